//! A member's report (报到) to the community, the posts picked, and the secretary's decision.
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entities::{member, member_report, member_report_post, service_post};
use crate::error::{DomainError, DomainResult};
use crate::kinds::{MessageKind, Role};
use crate::members::{ensure_staff, record_event, tell_member, Category, EventKind, Status};
use crate::tenancy::{Row, TenantTx};
use crate::validate::required_text;

/// A member picks at most this many posts.
pub const MAX_POSTS: usize = 5;

pub use crate::kinds::ReportStatus;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub member_id: Uuid,
    pub member_name: String,
    pub employer: Option<String>,
    pub member_status: Status,
    pub reported_on: NaiveDate,
    pub status: ReportStatus,
    pub decided_on: Option<NaiveDate>,
    pub reason: Option<String>,
    /// The picked posts as (id, name), in the order the community lists them.
    pub posts: Vec<(Uuid, String)>,
}

/// The member a report is for: keepers name one; a member reports for themself only.
async fn target(tx: &TenantTx, member_id: Option<Uuid>) -> DomainResult<member::Model> {
    let select = tx.find::<member::Entity>();
    let found = match (tx.role(), member_id) {
        (Role::CommunitySecretary | Role::CommunityWorker, Some(id)) => {
            select.filter(member::Column::Id.eq(id))
        }
        (Role::Member, None) => select.filter(member::Column::UserId.eq(tx.actor_user_id())),
        _ => return Err(DomainError::Forbidden),
    };
    found.one(tx).await?.ok_or(DomainError::NotFound)
}

/// Checks the picked post ids: at least one, at most `MAX_POSTS`, each an active post here.
async fn picked_posts(tx: &TenantTx, picked: &[String]) -> DomainResult<Vec<Uuid>> {
    // Counted before anything is read: a form may carry thousands of ids.
    if picked.len() > MAX_POSTS {
        return Err(DomainError::invalid("posts", "too_many"));
    }
    let mut ids = Vec::new();
    for value in picked {
        let id = Uuid::parse_str(value.trim())
            .map_err(|_| DomainError::invalid("posts", "not_found"))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(DomainError::invalid("posts", "required"));
    }
    if ids.len() > MAX_POSTS {
        return Err(DomainError::invalid("posts", "too_many"));
    }
    let offered = tx
        .find::<service_post::Entity>()
        .filter(service_post::Column::Id.is_in(ids.clone()))
        .filter(service_post::Column::Active.eq(true))
        .all(tx)
        .await?;
    if offered.len() != ids.len() {
        return Err(DomainError::invalid("posts", "not_found"));
    }
    Ok(ids)
}

/// Reports an in-service member to the community with the posts they pick. A report by the
/// secretary is confirmed at once; a member's own report (or a worker's) waits for the secretary.
/// A member may change a pending or declined report, not a confirmed one.
pub async fn report(
    tx: &TenantTx,
    member_id: Option<Uuid>,
    picked: &[String],
    today: NaiveDate,
) -> DomainResult<()> {
    let person = target(tx, member_id).await?;
    if person.category != Category::InService {
        return Err(DomainError::invalid("category", "not_in_service"));
    }
    if person.status == Status::TransferredOut {
        return Err(DomainError::invalid("status", "transferred_out"));
    }
    let posts = picked_posts(tx, picked).await?;
    let existing = tx
        .find::<member_report::Entity>()
        .filter(member_report::Column::MemberId.eq(person.id))
        .one(tx)
        .await?;
    let was_confirmed = existing
        .as_ref()
        .is_some_and(|r| r.status == ReportStatus::Confirmed);
    if was_confirmed && tx.role() == Role::Member {
        return Err(DomainError::invalid("posts", "already_confirmed"));
    }
    // The secretary's own report is her decision; a worker's change keeps a confirmed report.
    let status = match (tx.role(), was_confirmed) {
        (Role::CommunitySecretary, _) | (_, true) => ReportStatus::Confirmed,
        _ => ReportStatus::Pending,
    };
    let decided_now = tx.role() == Role::CommunitySecretary;
    let is_new = existing.is_none();
    let report_id = existing.as_ref().map_or_else(Uuid::now_v7, |r| r.id);
    let mut active = match existing {
        Some(old) => {
            tx.delete::<member_report_post::Entity>()
                .filter(member_report_post::Column::ReportId.eq(old.id))
                .exec(tx)
                .await?;
            let keeps_decision = was_confirmed && !decided_now;
            let mut active: member_report::ActiveModel = old.into();
            if !keeps_decision {
                active.decided_on = Set(None);
                active.decided_by = Set(None);
            }
            if !was_confirmed {
                active.reported_on = Set(today);
            }
            active
        }
        None => member_report::ActiveModel {
            tenant_id: Set(tx.tenant_id()),
            id: Set(report_id),
            member_id: Set(person.id),
            reported_on: Set(today),
            decided_on: Set(None),
            decided_by: Set(None),
            ..Default::default()
        },
    };
    active.status = Set(status);
    active.reason = Set(None);
    if decided_now {
        active.decided_on = Set(Some(today));
        active.decided_by = Set(Some(tx.actor_user_id()));
    }
    if is_new {
        active.insert_in(tx).await?;
    } else {
        active.update_in(tx).await?;
    }
    let rows = posts.iter().map(|post_id| member_report_post::ActiveModel {
        tenant_id: Set(tx.tenant_id()),
        report_id: Set(report_id),
        post_id: Set(*post_id),
    });
    tx.insert_many(rows).await?;
    tx.record(crate::changes::Change::Reports);
    record_event(
        tx,
        person.id,
        EventKind::Reported,
        serde_json::json!({ "posts": posts }),
    )
    .await
}

/// The secretary confirms a pending report, or declines it with a reason.
pub async fn decide(
    tx: &TenantTx,
    member_id: Uuid,
    confirm: bool,
    reason: &str,
    today: NaiveDate,
) -> DomainResult<()> {
    if tx.role() != Role::CommunitySecretary {
        return Err(DomainError::Forbidden);
    }
    let found = tx
        .find::<member_report::Entity>()
        .filter(member_report::Column::MemberId.eq(member_id))
        .one(tx)
        .await?
        .ok_or(DomainError::NotFound)?;
    if found.status != ReportStatus::Pending {
        return Err(DomainError::invalid("report", "not_pending"));
    }
    let reason = if confirm {
        None
    } else {
        Some(required_text("reason", reason, 200)?)
    };
    let (status, kind, message) = if confirm {
        (
            ReportStatus::Confirmed,
            EventKind::ReportConfirmed,
            MessageKind::ReportConfirmed,
        )
    } else {
        (
            ReportStatus::Declined,
            EventKind::ReportDeclined,
            MessageKind::ReportReturned,
        )
    };
    let report_id = found.id;
    let mut active: member_report::ActiveModel = found.into();
    active.status = Set(status);
    active.decided_on = Set(Some(today));
    active.decided_by = Set(Some(tx.actor_user_id()));
    active.reason = Set(reason.clone());
    active.update_in(tx).await?;
    tx.record(crate::changes::Change::Reports);
    record_event(tx, member_id, kind, serde_json::json!({ "reason": reason })).await?;
    tell_member(tx, member_id, message, report_id).await
}

/// Loads reports (all, or one member's) with member names and post names.
pub(super) async fn load(tx: &TenantTx, member_id: Option<Uuid>) -> DomainResult<Vec<Report>> {
    let mut select = tx.find::<member_report::Entity>();
    if let Some(id) = member_id {
        select = select.filter(member_report::Column::MemberId.eq(id));
    }
    let reports = select.all(tx).await?;
    if reports.is_empty() {
        return Ok(Vec::new());
    }
    let people: HashMap<Uuid, member::Model> = tx
        .find_ids::<member::Entity>(reports.iter().map(|r| r.member_id))
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let posts = super::posts(tx).await?;
    let picks = tx
        .find::<member_report_post::Entity>()
        .filter(member_report_post::Column::ReportId.is_in(reports.iter().map(|r| r.id)))
        .all(tx)
        .await?;
    let mut out: Vec<Report> = reports
        .into_iter()
        .filter_map(|r| {
            let person = people.get(&r.member_id)?;
            let picked = posts
                .iter()
                .filter(|p| {
                    picks
                        .iter()
                        .any(|k| k.report_id == r.id && k.post_id == p.id)
                })
                .map(|p| (p.id, p.name.clone()))
                .collect();
            Some(Report {
                member_id: r.member_id,
                member_name: person.name.clone(),
                employer: person.employer.clone(),
                member_status: person.status,
                reported_on: r.reported_on,
                status: r.status,
                decided_on: r.decided_on,
                reason: r.reason,
                posts: picked,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (
            a.status != ReportStatus::Pending,
            a.reported_on,
            &a.member_name,
        )
            .cmp(&(
                b.status != ReportStatus::Pending,
                b.reported_on,
                &b.member_name,
            ))
    });
    Ok(out)
}

/// Every report in the community, pending first. Community staff.
pub async fn reports(tx: &TenantTx) -> DomainResult<Vec<Report>> {
    ensure_staff(tx)?;
    load(tx, None).await
}

/// One member's report, for the member page. Community staff.
pub async fn report_of(tx: &TenantTx, member_id: Uuid) -> DomainResult<Option<Report>> {
    ensure_staff(tx)?;
    report_for(tx, member_id).await
}

/// The signed-in member's own report.
pub async fn own_report(tx: &TenantTx) -> DomainResult<Option<Report>> {
    let me = tx
        .find::<member::Entity>()
        .filter(member::Column::UserId.eq(tx.actor_user_id()))
        .one(tx)
        .await?;
    match me {
        Some(me) => report_for(tx, me.id).await,
        None => Ok(None),
    }
}

/// A member's report, unchecked: for `report_of`, `own_report` and the member's own page.
pub(crate) async fn report_for(tx: &TenantTx, member_id: Uuid) -> DomainResult<Option<Report>> {
    Ok(load(tx, Some(member_id)).await?.pop())
}
