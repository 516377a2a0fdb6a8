//! What a node has sent: its notices with how many received, read and confirmed each, per node
//! it went to; for a community's own notices, who has read them. The sender reminds those who
//! have not read, or withdraws a notice (it leaves the message centres; notice and messages stay
//! on record, marked withdrawn).
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{audiences, in_node, page_of, NoticeAudience};
use crate::audit::{self, AuditEvent};
use crate::db::Db;
use crate::entities::{message, notice, notice_target, user};
use crate::error::{DomainError, DomainResult};
use crate::kinds::{MessageKind, Role};
use crate::tenancy::{shared, Commit, Row, Runner, TenantScope, TenantTx};

/// A sender reminds the same notice's readers at most once in this long.
const REMIND_EVERY: chrono::Duration = chrono::Duration::hours(1);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentNotice {
    pub id: Uuid,
    pub title: String,
    pub audience: NoticeAudience,
    pub branch_id: Option<Uuid>,
    /// That branch's name, for a notice to one branch.
    pub branch_name: Option<String>,
    pub sent_at: DateTime<Utc>,
    pub confirm_by: Option<NaiveDate>,
    pub recipients: u64,
    pub read: u64,
    pub confirmed: u64,
    pub reminded_at: Option<DateTime<Utc>>,
    pub withdrawn: bool,
    /// The viewer may remind and withdraw it (a 支部书记: only what they sent).
    pub may_act: bool,
}

/// One node a notice went to, counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeTally {
    pub node_id: Uuid,
    pub name: String,
    pub recipients: u64,
    pub read: u64,
    pub confirmed: u64,
}

/// One recipient of a community's own notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonReceipt {
    pub name: String,
    pub read_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipts {
    pub notice: SentNotice,
    pub body: String,
    /// Per node below (a street's or district's notice); empty for a community's own.
    pub nodes: Vec<NodeTally>,
    /// Per person, not yet read first (a community's own notice only).
    pub people: Vec<PersonReceipt>,
    pub files: Vec<super::Attachment>,
}

/// The node's notices, newest first, whose title holds `search`; a 支部书记 sees their branch's.
pub async fn sent(
    db: &Db,
    scope: &TenantScope,
    search: &str,
    page: u64,
) -> DomainResult<(Vec<SentNotice>, bool)> {
    ensure_sender(db, scope).await?;
    let tx = scope.read(db).await?;
    let mut select = mine(&tx);
    let search = crate::text_search::search_term(search, super::TITLE_MAX);
    if !search.is_empty() {
        select = select.filter(crate::text_search::contains(
            tx.backend(),
            notice::Column::Title,
            &search,
        ));
    }
    let (rows, more) = page_of(
        &tx,
        select,
        notice::Column::SentAt,
        notice::Column::Id,
        page,
    )
    .await?;
    let targets = tx
        .find::<notice_target::Entity>()
        .filter(notice_target::Column::NoticeId.is_in(rows.iter().map(|n| n.id)))
        .all(&tx)
        .await?;
    let acting = Acting::of(&tx);
    let branches = branch_names(&tx, &rows).await?;
    tx.commit().await?;
    let mut sums: HashMap<Uuid, (u64, u64)> = HashMap::new();
    for t in targets {
        let sum = sums.entry(t.notice_id).or_default();
        sum.0 += u64::try_from(t.read_count).unwrap_or(0);
        sum.1 += u64::try_from(t.confirmed_count).unwrap_or(0);
    }
    let out = rows
        .into_iter()
        .map(|n| {
            let (read, confirmed) = sums.get(&n.id).copied().unwrap_or_default();
            summary(&acting, &branches, n, read, confirmed)
        })
        .collect();
    Ok((out, more))
}

/// One notice with its counts per node, or (a community's own) per person.
pub async fn receipts(db: &Db, scope: &TenantScope, id: Uuid) -> DomainResult<Receipts> {
    ensure_sender(db, scope).await?;
    let tx = scope.read(db).await?;
    let n = load(&tx, id).await?;
    let targets = targets_of(&tx, id).await?;
    let own = tx.tenant_id();
    let mut people = Vec::new();
    if targets.iter().any(|t| t.node_id == own) {
        let rows = tx
            .find::<message::Entity>()
            .filter(message::Column::SubjectId.eq(id))
            .filter(message::Column::Kind.eq(MessageKind::Notice))
            .all(&tx)
            .await?;
        let names = names(db, rows.iter().map(|m| m.user_id).collect()).await?;
        people = rows
            .into_iter()
            .map(|m| PersonReceipt {
                name: names.get(&m.user_id).cloned().unwrap_or_default(),
                read_at: m.read_at,
                confirmed_at: m.confirmed_at,
            })
            .collect();
        // Each key read once: a street's notice may reach thousands.
        people.sort_by_cached_key(|p| {
            let name = crate::collate::name_key(&p.name);
            (p.read_at.is_some(), name, p.name.clone())
        });
    }
    let acting = Acting::of(&tx);
    let branches = branch_names(&tx, std::slice::from_ref(&n)).await?;
    let files = super::attachments::of(&tx, id).await?;
    tx.commit().await?;
    let below: Vec<Uuid> = targets
        .iter()
        .map(|t| t.node_id)
        .filter(|&n| n != own)
        .collect();
    let names: HashMap<Uuid, String> = db
        .nodes(&below)
        .await?
        .into_iter()
        .map(|n| (n.id, n.name))
        .collect();
    let mut nodes = Vec::new();
    let (mut read, mut confirmed) = (0, 0);
    for t in targets.iter() {
        read += u64::try_from(t.read_count).unwrap_or(0);
        confirmed += u64::try_from(t.confirmed_count).unwrap_or(0);
        if t.node_id != own {
            nodes.push(NodeTally {
                node_id: t.node_id,
                name: names.get(&t.node_id).cloned().unwrap_or_default(),
                recipients: u64::try_from(t.recipients).unwrap_or(0),
                read: u64::try_from(t.read_count).unwrap_or(0),
                confirmed: u64::try_from(t.confirmed_count).unwrap_or(0),
            });
        }
    }
    let body = n.body.clone();
    Ok(Receipts {
        notice: summary(&acting, &branches, n, read, confirmed),
        body,
        nodes,
        people,
        files,
    })
}

/// 提醒: marks the notice anew for everyone who has not read it (not confirmed it, when it asks
/// for that); how many that is. At most once an hour per notice.
pub async fn remind(
    db: &Db,
    scope: &TenantScope,
    id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<u64> {
    ensure_sender(db, scope).await?;
    let tx = scope.write(db).await?;
    let n = load(&tx, id).await?;
    ensure_may_act(&tx, &n)?;
    if n.withdrawn_at.is_some() {
        return Err(DomainError::invalid("notice", "withdrawn"));
    }
    if n.reminded_at.is_some_and(|at| now - at < REMIND_EVERY) {
        return Err(DomainError::invalid("notice", "reminded_recently"));
    }
    // Those who have not done what it asks: confirm it, or else read it.
    let pending = match n.confirm_by {
        Some(_) => message::Column::ConfirmedAt.is_null(),
        None => message::Column::ReadAt.is_null(),
    };
    let mut reminded = 0;
    for t in targets_of(&tx, id).await? {
        reminded += in_node(&tx, t.node_id, async |there: &TenantTx| {
            there
                .update_many::<message::Entity>()
                .filter(message::Column::SubjectId.eq(id))
                .filter(message::Column::Kind.eq(MessageKind::Notice))
                .filter(pending.clone())
                .col_expr(
                    message::Column::RemindedAt,
                    sea_orm::sea_query::Expr::value(now),
                )
                .exec(there)
                .await
                .map(|r| r.rows_affected)
        })
        .await?;
    }
    let mut active: notice::ActiveModel = n.into();
    active.reminded_at = Set(Some(now));
    active.update_in(&tx).await?;
    audit::record(
        &tx,
        AuditEvent::new("notice_reminded", id.to_string())
            .actor(Some(scope.actor_user_id()))
            .node(Some(tx.tenant_id()))
            .detail(serde_json::json!({ "reminded": reminded })),
    )
    .await?;
    tx.commit().await?;
    Ok(reminded)
}

/// 撤回: the notice leaves its recipients' message centres (their messages stay on record,
/// marked withdrawn, as does the notice with the sender).
pub async fn withdraw(
    db: &Db,
    scope: &TenantScope,
    id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    ensure_sender(db, scope).await?;
    let tx = scope.write(db).await?;
    let n = load(&tx, id).await?;
    ensure_may_act(&tx, &n)?;
    if n.withdrawn_at.is_some() {
        return Err(DomainError::invalid("notice", "withdrawn"));
    }
    let targets = targets_of(&tx, id).await?;
    for t in &targets {
        in_node(&tx, t.node_id, async |there: &TenantTx| {
            there
                .update_many::<message::Entity>()
                .filter(message::Column::SubjectId.eq(id))
                .filter(message::Column::Kind.eq(MessageKind::Notice))
                .col_expr(
                    message::Column::WithdrawnAt,
                    sea_orm::sea_query::Expr::value(now),
                )
                .exec(there)
                .await
                .map(|_| ())
        })
        .await?;
    }
    let read: i64 = targets.iter().map(|t| i64::from(t.read_count)).sum();
    let detail = serde_json::json!({
        "title": n.title,
        "recipients": n.recipients,
        "read": read,
    });
    let mut active: notice::ActiveModel = n.into();
    active.withdrawn_at = Set(Some(now));
    active.update_in(&tx).await?;
    audit::record(
        &tx,
        AuditEvent::new("notice_withdrawn", id.to_string())
            .actor(Some(scope.actor_user_id()))
            .node(Some(tx.tenant_id()))
            .detail(detail),
    )
    .await?;
    tx.commit().await
}

/// Staff who may send from this node.
pub(super) async fn ensure_sender(db: &Db, scope: &TenantScope) -> DomainResult<()> {
    let node = db
        .node(scope.tenant_id())
        .await?
        .ok_or(DomainError::NotFound)?;
    if audiences(node.kind, scope.role()).is_empty() {
        return Err(DomainError::Forbidden);
    }
    Ok(())
}

/// Who acts, as far as reminding and withdrawing go.
struct Acting {
    user: Uuid,
    role: Role,
}

impl Acting {
    fn of(tx: &TenantTx) -> Self {
        Acting {
            user: tx.actor_user_id(),
            role: tx.role(),
        }
    }

    /// A 支部书记 reminds and withdraws only what they sent; the community's other staff, any
    /// of its notices.
    fn may_act(&self, n: &notice::Model) -> bool {
        self.role != Role::BranchSecretary || n.sent_by == self.user
    }
}

fn ensure_may_act(tx: &TenantTx, n: &notice::Model) -> DomainResult<()> {
    if !Acting::of(tx).may_act(n) {
        return Err(DomainError::Forbidden);
    }
    Ok(())
}

/// The node's notices the actor works with: a 支部书记's are those to their branch.
fn mine(tx: &TenantTx) -> crate::tenancy::Scoped<sea_orm::Select<notice::Entity>> {
    let select = tx.find::<notice::Entity>();
    match (tx.role(), tx.branch()) {
        (Role::BranchSecretary, Some(branch)) => select.filter(notice::Column::BranchId.eq(branch)),
        (Role::BranchSecretary, None) => select.filter(notice::Column::Id.is_null()),
        _ => select,
    }
}

pub(super) async fn load(tx: &TenantTx, id: Uuid) -> DomainResult<notice::Model> {
    mine(tx)
        .filter(notice::Column::Id.eq(id))
        .one(tx)
        .await?
        .ok_or(DomainError::NotFound)
}

async fn targets_of(tx: &TenantTx, id: Uuid) -> DomainResult<Vec<notice_target::Model>> {
    let mut targets = tx
        .find::<notice_target::Entity>()
        .filter(notice_target::Column::NoticeId.eq(id))
        .all(tx)
        .await?;
    targets.sort_by_key(|t| t.id);
    Ok(targets)
}

/// Display names of accounts (a shared table), read a few hundred at a time.
async fn names(db: &Db, ids: Vec<Uuid>) -> DomainResult<HashMap<Uuid, String>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let found = shared::find::<user::Entity>()
            .filter(user::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        out.extend(found.into_iter().map(|u| (u.id, u.display_name)));
    }
    Ok(out)
}

/// The names of the branches `notices` went to (one read, only when one went to a branch).
async fn branch_names(
    tx: &TenantTx,
    notices: &[notice::Model],
) -> DomainResult<HashMap<Uuid, String>> {
    if notices.iter().all(|n| n.branch_id.is_none()) {
        return Ok(HashMap::new());
    }
    let units = crate::org::placements::list_placements(tx).await?;
    Ok(units.into_iter().map(|u| (u.id, u.name)).collect())
}

fn summary(
    acting: &Acting,
    branches: &HashMap<Uuid, String>,
    n: notice::Model,
    read: u64,
    confirmed: u64,
) -> SentNotice {
    SentNotice {
        may_act: acting.may_act(&n),
        branch_name: n.branch_id.and_then(|b| branches.get(&b).cloned()),
        id: n.id,
        title: n.title,
        audience: n.audience,
        branch_id: n.branch_id,
        sent_at: n.sent_at,
        confirm_by: n.confirm_by,
        recipients: u64::try_from(n.recipients).unwrap_or(0),
        read,
        confirmed,
        reminded_at: n.reminded_at,
        withdrawn: n.withdrawn_at.is_some(),
    }
}
