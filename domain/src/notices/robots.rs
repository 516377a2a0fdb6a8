//! A node's group robot (企业微信 or 钉钉 群机器人): the staff who send its notices name the
//! robot of their group, and each notice the node publishes is posted there too. The address
//! carries the robot's key, so once saved it is shown to nobody, only its kind and when it was
//! set. Only the robots' own hosts are accepted (the server posts to it: nothing else may be
//! reached that way).
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};

use crate::audit::{self, AuditEvent};
use crate::db::Db;
use crate::entities::group_robot;
use crate::error::{DomainError, DomainResult};
use crate::kinds::{RobotKind, Role};
use crate::tenancy::{shared, TenantScope};
use crate::validate::optional_text;

const URL_MAX: usize = 500;
const SECRET_MAX: usize = 100;

/// As typed in the robot form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RobotInput {
    pub kind: String,
    pub url: String,
    /// 钉钉's 加签 secret (`SEC…`), if the robot was set to ask for it.
    pub secret: String,
}

/// A robot as its node's staff see it once saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RobotSummary {
    pub kind: RobotKind,
    pub signed: bool,
    pub set_at: DateTime<Utc>,
}

/// The node's robot, for staff who send its notices.
pub async fn robot(db: &Db, scope: &TenantScope) -> DomainResult<Option<RobotSummary>> {
    may_set(db, scope).await?;
    let found = shared::find::<group_robot::Entity>()
        .filter(group_robot::Column::NodeId.eq(scope.tenant_id()))
        .one(db)
        .await?;
    Ok(found.map(|r| RobotSummary {
        kind: r.kind,
        signed: r.secret.is_some(),
        set_at: r.set_at,
    }))
}

/// Names (or replaces) the node's robot.
pub async fn set_robot(
    db: &Db,
    scope: &TenantScope,
    input: &RobotInput,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    may_set(db, scope).await?;
    let kind = RobotKind::parse(&input.kind)
        .ok_or_else(|| DomainError::invalid("robot_kind", "not_in_list"))?;
    let url = robot_url(kind, &input.url, &db.outbound().extra_robot_hosts)?;
    let secret = optional_text("robot_secret", &input.secret, SECRET_MAX)?;
    let secret = match (kind, secret) {
        (_, None) => None,
        (RobotKind::Dingtalk, Some(s)) if s.chars().all(|c| c.is_ascii_graphic()) => Some(s),
        (RobotKind::Dingtalk, Some(_)) => {
            return Err(DomainError::invalid("robot_secret", "bad_value"))
        }
        (RobotKind::Wecom, Some(_)) => {
            return Err(DomainError::invalid("robot_secret", "not_for_wecom"))
        }
    };
    let row = group_robot::ActiveModel {
        node_id: Set(scope.tenant_id()),
        kind: Set(kind),
        url: Set(url),
        secret: Set(secret),
        set_by: Set(scope.actor_user_id()),
        set_at: Set(now),
    };
    let replace = OnConflict::column(group_robot::Column::NodeId)
        .update_columns([
            group_robot::Column::Kind,
            group_robot::Column::Url,
            group_robot::Column::Secret,
            group_robot::Column::SetBy,
            group_robot::Column::SetAt,
        ])
        .to_owned();
    let tx = db.begin_shared().await?;
    shared::upsert(&tx, row, replace).await?;
    audit::record(
        &tx,
        robot_event("robot_set", scope).detail(serde_json::json!({ "kind": kind.as_str() })),
    )
    .await?;
    tx.commit().await
}

/// The audit record of a robot named or removed (its address, which holds the key, is not kept
/// there).
fn robot_event(action: &'static str, scope: &TenantScope) -> AuditEvent {
    AuditEvent::new(action, scope.tenant_id().to_string())
        .actor(Some(scope.actor_user_id()))
        .node(Some(scope.tenant_id()))
}

/// The node's notices are no longer posted to a group.
pub async fn remove_robot(db: &Db, scope: &TenantScope) -> DomainResult<()> {
    may_set(db, scope).await?;
    let tx = db.begin_shared().await?;
    let removed = shared::delete_many::<group_robot::Entity>()
        .filter(group_robot::Column::NodeId.eq(scope.tenant_id()))
        .exec(&tx)
        .await?;
    if removed.rows_affected > 0 {
        audit::record(&tx, robot_event("robot_removed", scope)).await?;
    }
    tx.commit().await
}

/// Staff who may send the node's notices to its whole audience (not a 支部书记, who sends to
/// their branch only), where the deployment posts to robots.
async fn may_set(db: &Db, scope: &TenantScope) -> DomainResult<()> {
    let node = db
        .node(scope.tenant_id())
        .await?
        .ok_or(DomainError::NotFound)?;
    let sends = !super::audiences(node.kind, scope.role()).is_empty();
    if !sends || scope.role() == Role::BranchSecretary {
        return Err(DomainError::Forbidden);
    }
    if !db.outbound().robots {
        return Err(DomainError::invalid("robot", "channel_off"));
    }
    Ok(())
}

/// The robot's webhook address: `https://` on the robot's own host and path (企业微信:
/// `qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`, 钉钉: `oapi.dingtalk.com/robot/send?
/// access_token=…`), or any path on one of `extra_hosts` (a test's receiver, plain HTTP too).
fn robot_url(kind: RobotKind, typed: &str, extra_hosts: &[String]) -> DomainResult<String> {
    let refused = || DomainError::invalid("robot_url", "bad_value");
    let url = typed.trim();
    if url.is_empty() {
        return Err(DomainError::invalid("robot_url", "required"));
    }
    if url.chars().count() > URL_MAX {
        return Err(DomainError::invalid("robot_url", "too_long"));
    }
    let clean = url
        .chars()
        .all(|c| c.is_ascii_graphic() && c != '@' && c != '\\');
    if !clean {
        return Err(refused());
    }
    let (scheme, rest) = url.split_once("://").ok_or_else(refused)?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(end);
    if extra_hosts.iter().any(|h| h == host) && matches!(scheme, "http" | "https") {
        return Ok(url.to_owned());
    }
    let (own_host, own_path) = match kind {
        RobotKind::Wecom => ("qyapi.weixin.qq.com", "/cgi-bin/webhook/send?key="),
        RobotKind::Dingtalk => ("oapi.dingtalk.com", "/robot/send?access_token="),
    };
    let key = path.strip_prefix(own_path).unwrap_or_default();
    if scheme != "https" || host != own_host || key.is_empty() {
        return Err(refused());
    }
    Ok(url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_robots_own_addresses_are_accepted() {
        let wecom = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx";
        let ding = "https://oapi.dingtalk.com/robot/send?access_token=abc123";
        assert_eq!(
            robot_url(RobotKind::Wecom, wecom, &[]),
            Ok(wecom.to_owned())
        );
        assert_eq!(
            robot_url(RobotKind::Dingtalk, ding, &[]),
            Ok(ding.to_owned())
        );
        let refused = Err(DomainError::invalid("robot_url", "bad_value"));
        for bad in [
            "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1",
            "https://qyapi.weixin.qq.com.evil.cn/cgi-bin/webhook/send?key=1",
            "https://qyapi.weixin.qq.com@10.0.0.1/cgi-bin/webhook/send?key=1",
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=",
            "https://169.254.169.254/latest/meta-data",
            "https://oapi.dingtalk.com/robot/send?access_token=abc",
            "file:///etc/passwd",
        ] {
            assert_eq!(robot_url(RobotKind::Wecom, bad, &[]), refused, "{bad}");
        }
        let local = ["127.0.0.1:4555".to_owned()];
        let receiver = "http://127.0.0.1:4555/hook";
        assert_eq!(
            robot_url(RobotKind::Wecom, receiver, &local),
            Ok(receiver.to_owned())
        );
        assert_eq!(robot_url(RobotKind::Wecom, receiver, &[]), refused);
    }
}
