//! What a person wants in their 消息 centre: each kind of reminder about their activities may
//! be turned off (a notice from their organisation always arrives). Kept per account, so it
//! holds at every node they receive at; applied when a message is about to be written.
use sea_orm::{ColumnTrait, Set};
use uuid::Uuid;

use crate::db::Db;
use crate::entities::message_preference;
use crate::error::{DomainError, DomainResult};
use crate::kinds::{MessageKind, Role};
use crate::tenancy::{shared, Runner};

/// The kinds a person may turn off: everything but a notice.
pub fn optional_kinds() -> impl Iterator<Item = MessageKind> {
    MessageKind::ALL
        .iter()
        .copied()
        .filter(|k| *k != MessageKind::Notice)
}

/// Of the optional kinds, those a person holding `role` at a node can receive there (the
/// settings they are shown): a member hears of their activities and of what was decided on
/// their report or details, a unit's liaison of meetings and resolutions, a community's staff
/// of all of it (their co-construction work, and their own activities as members).
pub fn kinds_for(role: Role) -> Vec<MessageKind> {
    use crate::kinds::MessageSubject as S;
    let concerns = |subject: S| match role {
        Role::CommunitySecretary | Role::CommunityWorker => subject != S::Notice,
        Role::Member | Role::BranchSecretary => {
            matches!(subject, S::Activity | S::Report | S::Proposal)
        }
        Role::UnitLiaison => matches!(subject, S::Meeting | S::Resolution),
        _ => false,
    };
    optional_kinds().filter(|k| concerns(k.subject())).collect()
}

/// The kinds `user` has turned off.
pub async fn turned_off(db: &Db, user: Uuid) -> DomainResult<Vec<MessageKind>> {
    let rows = shared::find::<message_preference::Entity>()
        .filter(message_preference::Column::UserId.eq(user))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| r.kind).collect())
}

/// Keeps `wanted` (codes as the form sends them) and turns every other optional kind off for
/// `user`. A code that names no optional kind is refused, and nothing changes.
pub async fn set_wanted(db: &Db, user: Uuid, wanted: &[String]) -> DomainResult<()> {
    let refused = || DomainError::invalid("message_kinds", "not_in_list");
    if wanted.len() > MessageKind::ALL.len() {
        return Err(refused());
    }
    let mut keep = Vec::with_capacity(wanted.len());
    for code in wanted {
        let kind = MessageKind::parse(code).filter(|k| *k != MessageKind::Notice);
        keep.push(kind.ok_or_else(refused)?);
    }
    let off: Vec<message_preference::ActiveModel> = optional_kinds()
        .filter(|k| !keep.contains(k))
        .map(|kind| message_preference::ActiveModel {
            user_id: Set(user),
            kind: Set(kind),
        })
        .collect();
    let tx = db.begin_shared().await?;
    shared::delete_many::<message_preference::Entity>()
        .filter(message_preference::Column::UserId.eq(user))
        .exec(&tx)
        .await?;
    shared::insert_many(&tx, off).await?;
    tx.commit().await
}

/// Of `users`, those who have not turned `kind` off.
pub(crate) async fn wanting(
    on: &impl Runner,
    kind: MessageKind,
    mut users: Vec<Uuid>,
) -> DomainResult<Vec<Uuid>> {
    let mut off = std::collections::HashSet::new();
    for chunk in users.chunks(500) {
        let found: Vec<Uuid> = shared::find::<message_preference::Entity>()
            .filter(message_preference::Column::Kind.eq(kind))
            .filter(message_preference::Column::UserId.is_in(chunk.iter().copied()))
            .select_only()
            .column(message_preference::Column::UserId)
            .into_tuple()
            .all(on)
            .await?;
        off.extend(found);
    }
    users.retain(|u| !off.contains(u));
    Ok(users)
}
