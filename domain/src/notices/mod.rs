//! 通知公告: staff send a notice down the tree and see who has read it. A community's staff send
//! to its members (all, one grid branch, the in-service reporters) or its staff, a 支部书记 to
//! their branch, a street's staff to its communities' staff or every member of them, a
//! district's organisers to its streets' or communities' staff or every member below.
//!
//! Each recipient gets a message in the tenant they receive it at (`inbox`): a member's stays
//! in their community, so a street sees how many in each community have read its notice, never
//! who. The sender keeps the notice and, per node it went to, how many received, read and
//! confirmed it (`sent`).
mod attachments;
mod audience;
mod inbox;
pub(crate) mod later;
mod outbox;
mod preferences;
mod robots;
mod sent;
mod subjects;

pub use attachments::{received_file, sent_file, Attachment, FILES_MAX};
use audience::active_only;
pub use audience::branch_choices;
pub use inbox::{
    confirm, inbox, open, to_confirm, unread, unread_everywhere, About, ActivityBrief, Inbox,
    InboxItem, Opened,
};
pub use outbox::{
    failed, prune as prune_outbox, sent as outbox_sent, status as outbox_status, take_due,
    ChannelStatus, Outgoing, MAX_ATTEMPTS,
};
pub(crate) use preferences::wanting;
pub use preferences::{kinds_for, optional_kinds, set_wanted, turned_off};
pub use robots::{remove_robot, robot, set_robot, RobotInput, RobotSummary};
pub use sent::{receipts, remind, sent, withdraw, NodeTally, PersonReceipt, Receipts, SentNotice};

pub use crate::kinds::{MessageKind, NoticeAudience};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::Set;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditEvent};
use crate::db::Db;
use crate::entities::{message, notice, notice_target};
use crate::error::{DomainError, DomainResult};
use crate::kinds::{NodeKind, Role};
use crate::tenancy::{Commit, Row, TenantScope, TenantTx};
use crate::validate::{plain_date, required_text};

pub const TITLE_MAX: usize = 100;
/// Items per page of the message centre and of the sent list.
pub const PER_PAGE: u64 = 20;
const MAX_PAGE: u64 = 10_000;
pub const BODY_MAX: usize = 5_000;
/// Messages written per statement (11 values each, well under either engine's bound).
const MESSAGES_PER_INSERT: usize = 500;
/// The same notice sent again by the same person within this long is a second click, not a
/// second notice.
const RESEND_GUARD: chrono::Duration = chrono::Duration::minutes(10);

/// As typed in the notice form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoticeInput {
    pub title: String,
    pub body: String,
    pub audience: String,
    /// A grid branch's id, for a notice to one branch (a 支部书记's own branch goes without).
    pub branch: String,
    /// `YYYY-MM-DD`, or empty when no confirmation is asked for.
    pub confirm_by: String,
    /// Files already kept (`files::FileStore::keep`), listed with the notice in this order.
    #[serde(skip)]
    pub files: Vec<crate::files::StoredFile>,
}

/// The audiences `role` may send to from a node of `kind` (none: may not send).
pub fn audiences(kind: NodeKind, role: Role) -> &'static [NoticeAudience] {
    use NoticeAudience::*;
    match (kind, role) {
        (NodeKind::Community, Role::CommunitySecretary | Role::CommunityWorker) => {
            &[Members, Branch, InService, Staff]
        }
        (NodeKind::Community, Role::BranchSecretary) => &[Branch],
        (NodeKind::Street, Role::StreetStaff) => &[CommunityStaff, AllMembers],
        (NodeKind::District, Role::DistrictOrganiser) => &[StreetStaff, CommunityStaff, AllMembers],
        _ => &[],
    }
}

/// Refused unless the scope's role may send notices from its node (checked before an upload
/// is read).
pub async fn may_send(db: &Db, scope: &TenantScope) -> DomainResult<()> {
    sent::ensure_sender(db, scope).await
}

/// Sends a notice: written with a message for every recipient in one transaction (all or
/// nothing). Refused when it would reach no one.
pub async fn publish(
    db: &Db,
    scope: &TenantScope,
    input: &NoticeInput,
    now: DateTime<Utc>,
) -> DomainResult<Uuid> {
    let Checked {
        node,
        title,
        body,
        audience,
        confirm_by,
    } = checked(db, scope, input, input.files.len(), now).await?;
    let targets = audience::targets(db, &node, audience, scope.actor_user_id()).await?;
    let tx = scope.write(db).await?;
    if sent_just_now(&tx, &title, &body, now).await? {
        return Err(DomainError::invalid("notice", "already_sent"));
    }
    let branch = match audience {
        NoticeAudience::Branch => Some(audience::branch(&tx, &input.branch).await?),
        _ => None,
    };
    let mut reached = Vec::with_capacity(targets.len());
    for target in targets {
        let users = audience::recipients(&tx, target, audience, branch).await?;
        reached.push(users);
    }
    let total: usize = reached.iter().map(|r| r.users.len()).sum();
    if total == 0 {
        return Err(DomainError::invalid("notice_audience", "no_recipients"));
    }
    let id = Uuid::now_v7();
    notice::ActiveModel {
        tenant_id: Set(tx.tenant_id()),
        id: Set(id),
        title: Set(title),
        body: Set(body),
        audience: Set(audience),
        branch_id: Set(branch),
        confirm_by: Set(confirm_by),
        sent_by: Set(scope.actor_user_id()),
        sent_at: Set(now),
        recipients: Set(count(total)),
        reminded_at: Set(None),
        withdrawn_at: Set(None),
    }
    .insert_in(&tx)
    .await?;
    attachments::list(&tx, id, &input.files).await?;
    for target in &reached {
        notice_target::ActiveModel {
            tenant_id: Set(tx.tenant_id()),
            id: Set(Uuid::now_v7()),
            notice_id: Set(id),
            node_id: Set(target.node),
            recipients: Set(count(target.users.len())),
            read_count: Set(0),
            confirmed_count: Set(0),
        }
        .insert_in(&tx)
        .await?;
        let source = tx.tenant_id();
        in_node(&tx, target.node, async |there: &TenantTx| {
            let about = (MessageKind::Notice, source, id);
            deliver_asking(there, about, &target.users, confirm_by, now).await
        })
        .await?;
    }
    if posted_to_group(audience) {
        outbox::post_to_robot(&tx, node.id, id, now).await?;
    }
    audit::record(
        &tx,
        AuditEvent::new("notice_published", id.to_string())
            .actor(Some(scope.actor_user_id()))
            .node(Some(node.id))
            .detail(serde_json::json!({
                "audience": audience.as_str(),
                "recipients": total,
                "nodes": reached.len(),
                "files": input.files.len(),
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A notice as typed, checked: what `publish` writes.
struct Checked {
    node: crate::entities::org_node::Model,
    title: String,
    body: String,
    audience: NoticeAudience,
    confirm_by: Option<NaiveDate>,
}

/// `publish`'s checks of what was typed and of the number of `files`, before anything is
/// written (an upload's files are checked before they are kept).
pub async fn check(
    db: &Db,
    scope: &TenantScope,
    input: &NoticeInput,
    files: usize,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    checked(db, scope, input, files, now).await.map(|_| ())
}

async fn checked(
    db: &Db,
    scope: &TenantScope,
    input: &NoticeInput,
    files: usize,
    now: DateTime<Utc>,
) -> DomainResult<Checked> {
    let node = db
        .node(scope.tenant_id())
        .await?
        .ok_or(DomainError::NotFound)?;
    let allowed = audiences(node.kind, scope.role());
    if allowed.is_empty() {
        return Err(DomainError::Forbidden);
    }
    let title = required_text("notice_title", &input.title, TITLE_MAX)?;
    let body = required_text("notice_body", &input.body, BODY_MAX)?;
    let audience = NoticeAudience::parse(&input.audience)
        .filter(|a| allowed.contains(a))
        .ok_or_else(|| DomainError::invalid("notice_audience", "not_in_list"))?;
    let confirm_by = confirm_by(&input.confirm_by, now)?;
    attachments::check(files)?;
    Ok(Checked {
        node,
        title,
        body,
        audience,
        confirm_by,
    })
}

/// Whether the actor sent this very notice from here within `RESEND_GUARD` (read in the
/// write transaction: two clicks at once are taken one after the other).
async fn sent_just_now(
    tx: &TenantTx,
    title: &str,
    body: &str,
    now: DateTime<Utc>,
) -> DomainResult<bool> {
    use sea_orm::ColumnTrait;
    let found = tx
        .find::<notice::Entity>()
        .filter(notice::Column::SentAt.gt(now - RESEND_GUARD))
        .filter(notice::Column::SentBy.eq(tx.actor_user_id()))
        // Withdrawn (say, sent without its attachment), it may be sent again at once.
        .filter(notice::Column::WithdrawnAt.is_null())
        .filter(notice::Column::Title.eq(title))
        .filter(notice::Column::Body.eq(body))
        .count(tx)
        .await?;
    Ok(found > 0)
}

/// Whether a notice goes to the node's group robot too: one to everyone the node addresses
/// (its members, or the staff of the levels below), whom its group is; not one meant for a
/// branch, the in-service reporters or the node's own staff.
fn posted_to_group(audience: NoticeAudience) -> bool {
    matches!(
        audience,
        NoticeAudience::Members
            | NoticeAudience::AllMembers
            | NoticeAudience::CommunityStaff
            | NoticeAudience::StreetStaff
    )
}

/// The day confirmations are asked by: empty for none, else a day from today on (China time).
fn confirm_by(value: &str, now: DateTime<Utc>) -> DomainResult<Option<NaiveDate>> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    let day = plain_date("confirm_by", value)?;
    if day < now.with_timezone(&crate::clock::CHINA).date_naive() {
        return Err(DomainError::invalid("confirm_by", "in_past"));
    }
    Ok(Some(day))
}

/// One message of `kind` about `subject` (kept in tenant `source`) per user, in the tenant `tx`
/// is in.
pub(crate) async fn deliver(
    tx: &TenantTx,
    kind: MessageKind,
    source: Uuid,
    subject: Uuid,
    users: &[Uuid],
    now: DateTime<Utc>,
) -> DomainResult<()> {
    deliver_asking(tx, (kind, source, subject), users, None, now).await
}

/// `deliver`, asking each to confirm it by `confirm_by` (a notice that asks for 确认收到).
async fn deliver_asking(
    tx: &TenantTx,
    (kind, source, subject): (MessageKind, Uuid, Uuid),
    users: &[Uuid],
    confirm_by: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    for chunk in users.chunks(MESSAGES_PER_INSERT) {
        tx.insert_many(chunk.iter().map(|&user| message::ActiveModel {
            tenant_id: Set(tx.tenant_id()),
            id: Set(Uuid::now_v7()),
            user_id: Set(user),
            kind: Set(kind),
            source_id: Set(source),
            subject_id: Set(subject),
            created_at: Set(now),
            read_at: Set(None),
            confirmed_at: Set(None),
            reminded_at: Set(None),
            withdrawn_at: Set(None),
            confirm_by: Set(confirm_by),
        }))
        .await?;
    }
    outbox::queue_each(tx, kind, source, subject, users, now).await?;
    Ok(())
}

/// A message of `kind` about `subject` (kept in tenant `source`) to each of `users` who can sign
/// in and wants it, in the tenant `tx` is in; how many. One they had of the same kind about it
/// before (a second change, a report returned again) gives way to the new one, unread.
pub(crate) async fn tell(
    tx: &TenantTx,
    kind: MessageKind,
    source: Uuid,
    subject: Uuid,
    users: &[Uuid],
    now: DateTime<Utc>,
) -> DomainResult<usize> {
    let users = active_only(tx, users.to_vec()).await?;
    let users = wanting(tx, kind, users).await?;
    if users.is_empty() {
        return Ok(0);
    }
    forget(tx, subject, Some(kind), &users).await?;
    deliver(tx, kind, source, subject, &users, now).await?;
    Ok(users.len())
}

/// `tell`, to people who receive at `node`, about a subject kept in `tx`'s tenant.
pub(crate) async fn tell_at(
    tx: &TenantTx,
    node: Uuid,
    kind: MessageKind,
    subject: Uuid,
    users: &[Uuid],
    now: DateTime<Utc>,
) -> DomainResult<usize> {
    let source = tx.tenant_id();
    in_node(tx, node, async |there: &TenantTx| {
        tell(there, kind, source, subject, users, now).await
    })
    .await
}

/// Deletes the messages (of `kind`, or every kind) about `subject` that `users` have in `tx`'s
/// tenant: what no longer concerns them (an invitation taken back).
pub(crate) async fn forget(
    tx: &TenantTx,
    subject: Uuid,
    kind: Option<MessageKind>,
    users: &[Uuid],
) -> DomainResult<()> {
    use sea_orm::ColumnTrait;
    for chunk in users.chunks(MESSAGES_PER_INSERT) {
        let mut delete = tx
            .delete::<message::Entity>()
            .filter(message::Column::SubjectId.eq(subject))
            .filter(message::Column::UserId.is_in(chunk.iter().copied()));
        if let Some(kind) = kind {
            delete = delete.filter(message::Column::Kind.eq(kind));
        }
        delete.exec(tx).await?;
    }
    Ok(())
}

/// A step in `node`'s tenant: `tx` itself when it is that tenant's.
pub(crate) async fn in_node<T>(
    tx: &TenantTx,
    node: Uuid,
    step: impl AsyncFnOnce(&TenantTx) -> DomainResult<T>,
) -> DomainResult<T> {
    if node == tx.tenant_id() {
        step(tx).await
    } else {
        tx.in_tenant(node, step).await
    }
}

/// Page `page` (from 1, clamped) of `select`, newest first by `newest`, and whether more follow
/// (one row past the page is read to know).
async fn page_of<E: sea_orm::EntityTrait>(
    tx: &TenantTx,
    select: crate::tenancy::Scoped<sea_orm::Select<E>>,
    newest: E::Column,
    id: E::Column,
    page: u64,
) -> DomainResult<(Vec<E::Model>, bool)> {
    let page = page.clamp(1, MAX_PAGE);
    let mut rows = select
        .order_by_desc(newest)
        .order_by_desc(id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE + 1)
        .all(tx)
        .await?;
    let more = rows.len() as u64 > PER_PAGE;
    rows.truncate(PER_PAGE as usize);
    Ok((rows, more))
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
