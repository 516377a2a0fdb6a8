//! A person's message centre (消息) at one node: the notices sent to them there and the messages
//! the service sends (`reminders`: their activities, meetings, resolutions…), newest first,
//! opened (marked read) and confirmed (已阅/收到, a notice that asks for it) by them alone.
//! Whoever holds a role at the node has one; every statement names them, so another person's
//! message is not found.
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ColumnTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::subjects::Subject;
use super::{in_node, page_of, MAX_PAGE};
use crate::auth::Principal;
use crate::db::Db;
use crate::entities::{message, notice_target};
use crate::error::{DomainError, DomainResult};
use crate::kinds::{MessageKind, MessageSubject};
use crate::tenancy::recent::NodeRead;
use crate::tenancy::{Commit, TenantScope, TenantTx};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxItem {
    pub message_id: Uuid,
    pub kind: MessageKind,
    pub title: String,
    /// The sending node's name.
    pub from: String,
    pub sent_at: DateTime<Utc>,
    pub read: bool,
    /// Asked to confirm by this day.
    pub confirm_by: Option<NaiveDate>,
    pub confirmed: bool,
    /// The sender reminded them and they have not opened it since.
    pub reminded: bool,
    /// What a message that is not a notice is about.
    pub about: About,
}

/// What a message is about, as much as its page says and links to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum About {
    Notice,
    Activity(ActivityBrief),
    Meeting {
        id: Uuid,
        held_on: NaiveDate,
        /// `HH:MM`, China time.
        starts_at: String,
        venue: String,
    },
    Resolution {
        due_on: NaiveDate,
        done: bool,
    },
    Need,
    /// The person's 双报到 report; why it was returned.
    Report {
        reason: Option<String>,
    },
    /// The person's proposed change of their details; why it was returned.
    Proposal {
        reason: Option<String>,
    },
}

/// An activity as a message about it names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityBrief {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue: String,
    pub cancelled: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub items: Vec<InboxItem>,
    pub unread: u64,
    pub page: u64,
    pub more: bool,
}

/// A notice as its recipient reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opened {
    pub item: InboxItem,
    pub body: String,
    /// A notice's attachments.
    pub files: Vec<super::Attachment>,
}

/// How many of the person's messages at this node want their attention: not yet read, or
/// reminded since they read it (one indexed read).
pub async fn unread(db: &Db, scope: &TenantScope) -> DomainResult<u64> {
    let tx = scope.read(db).await?;
    let n = count_unread(&tx).await?;
    tx.commit().await?;
    Ok(n)
}

/// The person's unread messages at each node they hold a role at, for the header's 消息 link:
/// kept in memory until something is written in that node's tenant (a message delivered,
/// opened) or for seconds, so a page costs no statement for it.
pub async fn unread_everywhere(db: &Db, principal: &Principal) -> DomainResult<Vec<(Uuid, u64)>> {
    let mut held: Vec<(Uuid, crate::kinds::Role)> = principal
        .assignments
        .iter()
        .map(|a| (a.node.id, a.role))
        .collect();
    held.sort_by_key(|(node, role)| (*node, !role.manages()));
    held.dedup_by_key(|(node, _)| *node);
    let mut out = Vec::with_capacity(held.len());
    for (node, role) in held {
        let key = NodeRead {
            node,
            what: "notices.unread",
            whom: Some((principal.user_id, role)),
            day: NaiveDate::MIN,
        };
        let n = db
            .kept_personal(key, async {
                match principal.tenant_scope(db, node).await {
                    Ok(scope) => unread(db, &scope).await,
                    // A role with no message centre there (a paired unit's liaison).
                    Err(DomainError::Forbidden | DomainError::NotFound) => Ok(0),
                    Err(err) => Err(err),
                }
            })
            .await?;
        out.push((node, n));
    }
    Ok(out)
}

async fn count_unread(tx: &TenantTx) -> DomainResult<u64> {
    use sea_orm::Condition;
    mine(tx)
        .filter(
            Condition::any()
                .add(message::Column::ReadAt.is_null())
                .add(message::Column::RemindedAt.is_not_null()),
        )
        .count(tx)
        .await
}

/// The actor's messages here, those withdrawn left out.
fn mine(tx: &TenantTx) -> crate::tenancy::Scoped<sea_orm::Select<message::Entity>> {
    tx.find::<message::Entity>()
        .filter(message::Column::UserId.eq(tx.actor_user_id()))
        .filter(message::Column::WithdrawnAt.is_null())
}

/// Notices the person was asked to confirm (确认收到) and has not, for their 工作台 (one
/// indexed count: each message carries its notice's date).
pub async fn to_confirm(db: &Db, scope: &TenantScope) -> DomainResult<u64> {
    let tx = scope.read(db).await?;
    let asked = mine(&tx)
        .filter(message::Column::Kind.eq(MessageKind::Notice))
        .filter(message::Column::ConfirmBy.is_not_null())
        .filter(message::Column::ConfirmedAt.is_null())
        .count(&tx)
        .await?;
    tx.commit().await?;
    Ok(asked)
}

/// A page of the person's messages, newest first.
pub async fn inbox(db: &Db, scope: &TenantScope, page: u64) -> DomainResult<Inbox> {
    let page = page.clamp(1, MAX_PAGE);
    let tx = scope.read(db).await?;
    let (rows, more) = page_of(
        &tx,
        mine(&tx),
        message::Column::CreatedAt,
        message::Column::Id,
        page,
    )
    .await?;
    let subjects = subjects_of(db, &tx, &rows).await?;
    let unread = count_unread(&tx).await?;
    tx.commit().await?;
    let items = rows
        .iter()
        .filter_map(|m| subjects.get(&m.subject_id).map(|n| item(m, n)))
        .collect();
    Ok(Inbox {
        items,
        unread,
        page,
        more,
    })
}

/// Opens one of the person's messages, marking it read (the sender's count moves with it) and
/// its reminder seen.
pub async fn open(
    db: &Db,
    scope: &TenantScope,
    message_id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<Opened> {
    // Read first: a message opened again is only read.
    let tx = scope.read(db).await?;
    let mut m = own_message(&tx, message_id).await?;
    let mut n = the_subject(db, &tx, &m).await?;
    let files = match m.kind {
        MessageKind::Notice => {
            in_node(&tx, m.source_id, async |there: &TenantTx| {
                super::attachments::of(there, m.subject_id).await
            })
            .await?
        }
        _ => Vec::new(),
    };
    tx.commit().await?;
    if m.read_at.is_none() || m.reminded_at.is_some() {
        let tx = scope.write(db).await?;
        m = own_message(&tx, message_id).await?;
        n = the_subject(db, &tx, &m).await?;
        m = mark(&tx, m, now, false).await?;
        tx.commit().await?;
    }
    Ok(Opened {
        item: item(&m, &n),
        body: n.body.clone(),
        files,
    })
}

/// 已阅/收到: confirms a notice that asks for it (read with it, if it was not). Confirming
/// again changes nothing.
pub async fn confirm(
    db: &Db,
    scope: &TenantScope,
    message_id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let tx = scope.write(db).await?;
    let m = own_message(&tx, message_id).await?;
    let n = the_subject(db, &tx, &m).await?;
    if n.confirm_by.is_none() {
        return Err(DomainError::invalid("notice", "no_confirmation_asked"));
    }
    if m.confirmed_at.is_none() {
        mark(&tx, m, now, true).await?;
    }
    tx.commit().await
}

pub(super) async fn own_message(tx: &TenantTx, id: Uuid) -> DomainResult<message::Model> {
    mine(tx)
        .filter(message::Column::Id.eq(id))
        .one(tx)
        .await?
        .ok_or(DomainError::NotFound)
}

pub(super) async fn the_subject(
    db: &Db,
    tx: &TenantTx,
    m: &message::Model,
) -> DomainResult<Subject> {
    subjects_of(db, tx, std::slice::from_ref(m))
        .await?
        .remove(&m.subject_id)
        .ok_or(DomainError::NotFound)
}

/// What `rows` are about, by subject id, each read in the tenant that keeps it (a person's
/// messages come from their own node and the few above it); a withdrawn notice is left out.
async fn subjects_of(
    db: &Db,
    tx: &TenantTx,
    rows: &[message::Model],
) -> DomainResult<HashMap<Uuid, Subject>> {
    let mut groups: HashMap<(MessageSubject, Uuid), Vec<Uuid>> = HashMap::new();
    for m in rows {
        groups
            .entry((m.kind.subject(), m.source_id))
            .or_default()
            .push(m.subject_id);
    }
    let mut out = HashMap::new();
    for ((kind, source), ids) in groups {
        let from = db.node(source).await?.map(|n| n.name).unwrap_or_default();
        let found = in_node(tx, source, async |there: &TenantTx| {
            super::subjects::read(there, kind, ids, &from).await
        })
        .await?;
        out.extend(found);
    }
    Ok(out)
}

/// Marks a message read (and confirmed) and its reminder seen, and counts it on the sender's
/// target for this node.
/// Each mark is a conditional update: of two openings at once (PostgreSQL lets both through)
/// only the one that changed the row counts it.
async fn mark(
    tx: &TenantTx,
    mut m: message::Model,
    now: DateTime<Utc>,
    confirming: bool,
) -> DomainResult<message::Model> {
    if m.reminded_at.is_some() {
        tx.update_many::<message::Entity>()
            .filter(message::Column::Id.eq(m.id))
            .filter(message::Column::UserId.eq(tx.actor_user_id()))
            .col_expr(
                message::Column::RemindedAt,
                sea_orm::sea_query::Expr::value(Option::<DateTime<Utc>>::None),
            )
            .exec(tx)
            .await?;
        m.reminded_at = None;
    }
    let newly_read = set_once(tx, m.id, message::Column::ReadAt, now).await?;
    let newly_confirmed =
        confirming && set_once(tx, m.id, message::Column::ConfirmedAt, now).await?;
    m.read_at = m.read_at.or(Some(now));
    if confirming {
        m.confirmed_at = m.confirmed_at.or(Some(now));
    }
    // A notice's sender counts who has read it; nobody counts the rest.
    if m.kind != MessageKind::Notice || (!newly_read && !newly_confirmed) {
        return Ok(m);
    }
    let (notice_id, node) = (m.subject_id, tx.tenant_id());
    in_node(tx, m.source_id, async |there: &TenantTx| {
        use sea_orm::sea_query::{Expr, ExprTrait};
        let mut update = there
            .update_many::<notice_target::Entity>()
            .filter(notice_target::Column::NoticeId.eq(notice_id))
            .filter(notice_target::Column::NodeId.eq(node));
        if newly_read {
            update = update.col_expr(
                notice_target::Column::ReadCount,
                Expr::col(notice_target::Column::ReadCount).add(1),
            );
        }
        if newly_confirmed {
            update = update.col_expr(
                notice_target::Column::ConfirmedCount,
                Expr::col(notice_target::Column::ConfirmedCount).add(1),
            );
        }
        update.exec(there).await.map(|_| ())
    })
    .await?;
    Ok(m)
}

/// Sets `column` of the actor's message to `now` if it was empty; whether it was.
async fn set_once(
    tx: &TenantTx,
    id: Uuid,
    column: message::Column,
    now: DateTime<Utc>,
) -> DomainResult<bool> {
    let changed = tx
        .update_many::<message::Entity>()
        .filter(message::Column::Id.eq(id))
        .filter(message::Column::UserId.eq(tx.actor_user_id()))
        .filter(column.is_null())
        .col_expr(column, sea_orm::sea_query::Expr::value(now))
        .exec(tx)
        .await?;
    Ok(changed.rows_affected == 1)
}

fn item(m: &message::Model, n: &Subject) -> InboxItem {
    InboxItem {
        message_id: m.id,
        kind: m.kind,
        title: n.title.clone(),
        from: n.from.clone(),
        sent_at: n.sent_at.unwrap_or(m.created_at),
        read: m.read_at.is_some(),
        confirm_by: n.confirm_by,
        confirmed: m.confirmed_at.is_some(),
        reminded: m.reminded_at.is_some(),
        about: n.about.clone(),
    }
}
