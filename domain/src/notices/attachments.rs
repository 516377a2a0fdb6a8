//! A notice's attachments: listed with the notice when it is sent (`publish`), shown with it to
//! its sender and its recipients, and fetched by them only: the sender's staff through the
//! notice, a recipient through their own message about it (never by the notice's id alone).
use sea_orm::{ColumnTrait, Set};
use uuid::Uuid;

use super::{in_node, inbox, sent};
use crate::db::Db;
use crate::entities::notice_file;
use crate::error::{DomainError, DomainResult};
use crate::files::{FileKind, StoredFile};
use crate::kinds::MessageKind;
use crate::tenancy::{Commit, Row, TenantScope, TenantTx};

/// At most this many files to a notice.
pub const FILES_MAX: usize = 5;

/// A file attached to a notice, as its pages list it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Attachment {
    pub id: Uuid,
    pub name: String,
    pub kind: FileKind,
    pub size: u64,
    /// Where its content is (`files::FileStore::path`): the sender's tenant and the hash.
    pub tenant: Uuid,
    pub sha256: String,
}

impl From<notice_file::Model> for Attachment {
    fn from(f: notice_file::Model) -> Self {
        Attachment {
            id: f.id,
            name: f.name,
            kind: f.kind,
            size: u64::try_from(f.size_bytes).unwrap_or_default(),
            tenant: f.tenant_id,
            sha256: f.sha256,
        }
    }
}

/// Refused before anything is written: more files than a notice takes.
pub(super) fn check(files: usize) -> DomainResult<()> {
    if files > FILES_MAX {
        return Err(DomainError::invalid("attachment", "too_many_files"));
    }
    Ok(())
}

/// Lists `files` with notice `notice`, in the order sent, in the notice's transaction.
pub(super) async fn list(tx: &TenantTx, notice: Uuid, files: &[StoredFile]) -> DomainResult<()> {
    for (position, file) in files.iter().enumerate() {
        notice_file::ActiveModel {
            tenant_id: Set(tx.tenant_id()),
            id: Set(Uuid::now_v7()),
            notice_id: Set(notice),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            name: Set(file.name.clone()),
            kind: Set(file.kind),
            size_bytes: Set(i64::try_from(file.size).unwrap_or(i64::MAX)),
            sha256: Set(file.sha256.clone()),
        }
        .insert_in(tx)
        .await?;
    }
    Ok(())
}

/// The files of notice `notice`, kept in `tx`'s tenant, in their order.
pub(super) async fn of(tx: &TenantTx, notice: Uuid) -> DomainResult<Vec<Attachment>> {
    let rows = tx
        .find::<notice_file::Entity>()
        .filter(notice_file::Column::NoticeId.eq(notice))
        .order_by_asc(notice_file::Column::Position)
        .all(tx)
        .await?;
    Ok(rows.into_iter().map(Attachment::from).collect())
}

async fn one(tx: &TenantTx, notice: Uuid, file: Uuid) -> DomainResult<Attachment> {
    tx.find::<notice_file::Entity>()
        .filter(notice_file::Column::NoticeId.eq(notice))
        .filter(notice_file::Column::Id.eq(file))
        .one(tx)
        .await?
        .map(Attachment::from)
        .ok_or(DomainError::NotFound)
}

/// A file of a notice the node sent, for its staff who may see the notice (a 支部书记: their
/// branch's).
pub async fn sent_file(
    db: &Db,
    scope: &TenantScope,
    notice: Uuid,
    file: Uuid,
) -> DomainResult<Attachment> {
    sent::ensure_sender(db, scope).await?;
    let tx = scope.read(db).await?;
    sent::load(&tx, notice).await?;
    let found = one(&tx, notice, file).await?;
    tx.commit().await?;
    Ok(found)
}

/// A file of the notice one of the person's messages is about (not once it is withdrawn).
pub async fn received_file(
    db: &Db,
    scope: &TenantScope,
    message: Uuid,
    file: Uuid,
) -> DomainResult<Attachment> {
    let tx = scope.read(db).await?;
    let m = inbox::own_message(&tx, message).await?;
    if m.kind != MessageKind::Notice {
        return Err(DomainError::NotFound);
    }
    // Read through the subject: a withdrawn notice is not found.
    inbox::the_subject(db, &tx, &m).await?;
    let found = in_node(&tx, m.source_id, async |there: &TenantTx| {
        one(there, m.subject_id, file).await
    })
    .await?;
    tx.commit().await?;
    Ok(found)
}
