//! Removing files no record lists: those left by an upload whose record was never written (a
//! notice send or a photo upload that failed after keeping them), and a meeting photo taken
//! off its meeting. A file is listed by a notice (`notice_files`) or a meeting's photos
//! (`meeting_photos`, the photo and its thumbnail) of its own tenant.
use std::collections::HashSet;
use std::time::SystemTime;

use sea_orm::ColumnTrait;
use uuid::Uuid;

use crate::db::Db;
use crate::entities::{meeting_photo, notice_file};
use crate::error::{DomainError, DomainResult};
use crate::kinds::Role;
use crate::tenancy::{Commit, TenantScope, TenantTx};

/// How long a kept file may wait for its record's transaction before it counts as left over.
const SWEEP_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);
/// How far back a sweep looks: two days, so a server down for a day misses none.
const SWEEP_WINDOW: std::time::Duration = std::time::Duration::from_secs(2 * 86_400);

/// Of `hashes`, those a record of the transaction's tenant lists.
pub(crate) async fn listed(tx: &TenantTx, hashes: &[String]) -> DomainResult<HashSet<String>> {
    let mut found: HashSet<String> = tx
        .find::<notice_file::Entity>()
        .filter(notice_file::Column::Sha256.is_in(hashes.iter().cloned()))
        .select_only()
        .column(notice_file::Column::Sha256)
        .into_tuple::<String>()
        .all(tx)
        .await?
        .into_iter()
        .collect();
    for column in [
        meeting_photo::Column::Sha256,
        meeting_photo::Column::ThumbSha256,
    ] {
        let photos: Vec<String> = tx
            .find::<meeting_photo::Entity>()
            .filter(column.is_in(hashes.iter().cloned()))
            .select_only()
            .column(column)
            .into_tuple()
            .all(tx)
            .await?;
        found.extend(photos);
    }
    Ok(found)
}

/// Removes tenant `tenant`'s files of these hashes that were last written before `cutoff`
/// (one kept again since belongs to a record about to list it); how many.
pub(crate) async fn remove_unlisted(
    db: &Db,
    tenant: Uuid,
    orphans: Vec<String>,
    cutoff: SystemTime,
) -> DomainResult<u64> {
    let store = db.files().clone();
    tokio::task::spawn_blocking(move || {
        let mut removed = 0;
        for sha256 in orphans {
            if store.remove_if_written_before(tenant, &sha256, cutoff)? {
                removed += 1;
            }
        }
        Ok::<u64, std::io::Error>(removed)
    })
    .await
    .map_err(internal)?
    .map_err(internal)
}

/// Files kept in the `SWEEP_WINDOW` before the last `SWEEP_AFTER` that no record of their
/// tenant lists are removed; how many. Older files were looked at by an earlier sweep (run it
/// more often than the window is long).
pub async fn sweep_files(db: &Db, now: SystemTime) -> DomainResult<u64> {
    let store = db.files().clone();
    let cutoff = now - SWEEP_AFTER;
    let old =
        tokio::task::spawn_blocking(move || store.written_between(cutoff - SWEEP_WINDOW, cutoff))
            .await
            .map_err(internal)?
            .map_err(internal)?;
    let mut removed = 0;
    for (tenant, hashes) in old {
        let tx = TenantScope::new(tenant, Uuid::nil(), Role::CommunitySecretary)
            .read(db)
            .await?;
        let kept = listed(&tx, &hashes).await?;
        tx.commit().await?;
        let orphans: Vec<String> = hashes.into_iter().filter(|h| !kept.contains(h)).collect();
        removed += remove_unlisted(db, tenant, orphans, cutoff).await?;
    }
    Ok(removed)
}

fn internal(err: impl std::fmt::Display) -> DomainError {
    tracing::error!(error = %err, "sweeping kept files");
    DomainError::Internal
}

/// Removes the scope's tenant's files of `hashes` that no record lists any more (a photo taken
/// off its meeting) and were last written over an hour ago (one kept since may belong to an
/// upload about to list it; a later sweep looks at those); how many.
pub async fn forget(db: &Db, scope: &TenantScope, hashes: Vec<String>) -> DomainResult<u64> {
    let tx = scope.read(db).await?;
    let kept = listed(&tx, &hashes).await?;
    tx.commit().await?;
    let orphans = hashes.into_iter().filter(|h| !kept.contains(h)).collect();
    let cutoff = SystemTime::now() - SWEEP_AFTER;
    remove_unlisted(db, scope.tenant_id(), orphans, cutoff).await
}
