//! 会议照片: a few photos of a meeting, added by its organisers, each on disk under its hash
//! with a JPEG thumbnail made on upload (`files::thumbnail`), served only to those who may read
//! the meeting's record.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::super::{ensure_organiser, load, lock};
use super::roll::is_meeting;
use crate::entities::meeting_photo;
use crate::error::{DomainError, DomainResult};
use crate::files::{FileKind, StoredFile, Thumbnailed};
use crate::tenancy::{Row, TenantTx};

/// A meeting has at most this many photos.
pub const PHOTOS_MAX: usize = 6;

/// A photo as the record lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    pub id: Uuid,
    pub name: String,
    pub width: u32,
    pub height: u32,
}

/// A photo kept on disk with its thumbnail, to be listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPhoto {
    pub photo: StoredFile,
    pub thumbnail: StoredFile,
    pub made: Thumbnailed,
}

/// A photo's file on disk, to serve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhotoFile {
    pub name: String,
    pub kind: FileKind,
    pub size: u64,
    pub sha256: String,
}

/// The meeting an organiser may add photos to: theirs, a branch meeting, not cancelled, with
/// room for `adding` more.
pub async fn may_add_photos(tx: &TenantTx, activity_id: Uuid, adding: usize) -> DomainResult<()> {
    ensure_organiser(tx)?;
    let a = load(tx, activity_id).await?;
    room_for(tx, &a, adding).await
}

async fn room_for(
    tx: &TenantTx,
    a: &crate::entities::activity::Model,
    adding: usize,
) -> DomainResult<()> {
    if !is_meeting(a) {
        return Err(DomainError::NotFound);
    }
    if a.cancelled_at.is_some() {
        return Err(DomainError::invalid("activity", "cancelled"));
    }
    if adding == 0 {
        return Err(DomainError::invalid("photo", "required"));
    }
    let held = listed(tx, a.id).await?.len();
    if held + adding > PHOTOS_MAX {
        return Err(DomainError::invalid("photo", "too_many_files"));
    }
    Ok(())
}

async fn listed(tx: &TenantTx, activity_id: Uuid) -> DomainResult<Vec<meeting_photo::Model>> {
    tx.find::<meeting_photo::Entity>()
        .filter(meeting_photo::Column::ActivityId.eq(activity_id))
        .order_by_asc(meeting_photo::Column::Position)
        .all(tx)
        .await
}

/// The meeting's photos in order (for those who read its record).
pub(crate) async fn photos_of(tx: &TenantTx, activity_id: Uuid) -> DomainResult<Vec<Photo>> {
    Ok(listed(tx, activity_id)
        .await?
        .into_iter()
        .map(|p| Photo {
            id: p.id,
            name: p.name,
            width: u32::try_from(p.width).unwrap_or(0),
            height: u32::try_from(p.height).unwrap_or(0),
        })
        .collect())
}

/// Lists photos already kept on disk under the meeting (checked again under its lock: another
/// upload may have filled it meanwhile).
pub async fn add_photos(
    tx: &TenantTx,
    activity_id: Uuid,
    photos: Vec<NewPhoto>,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    ensure_organiser(tx)?;
    let a = lock(tx, activity_id).await?;
    room_for(tx, &a, photos.len()).await?;
    let next = listed(tx, a.id).await?.last().map_or(0, |p| p.position + 1);
    for (n, p) in photos.into_iter().enumerate() {
        meeting_photo::ActiveModel {
            tenant_id: Set(tx.tenant_id()),
            id: Set(Uuid::now_v7()),
            activity_id: Set(a.id),
            position: Set(next + n as i32),
            name: Set(p.photo.name),
            kind: Set(p.photo.kind),
            size_bytes: Set(p.photo.size as i64),
            sha256: Set(p.photo.sha256),
            thumb_sha256: Set(p.thumbnail.sha256),
            thumb_bytes: Set(p.thumbnail.size as i64),
            width: Set(p.made.width as i32),
            height: Set(p.made.height as i32),
            added_at: Set(now),
            added_by: Set(tx.actor_user_id()),
        }
        .insert_in(tx)
        .await?;
    }
    Ok(())
}

/// Takes a photo off the meeting; returns the hashes it listed (its files go once no record
/// lists them: `file_sweep::forget`).
pub async fn remove_photo(
    tx: &TenantTx,
    activity_id: Uuid,
    photo_id: Uuid,
) -> DomainResult<Vec<String>> {
    ensure_organiser(tx)?;
    let a = lock(tx, activity_id).await?;
    if !is_meeting(&a) {
        return Err(DomainError::NotFound);
    }
    let photo = listed(tx, a.id)
        .await?
        .into_iter()
        .find(|p| p.id == photo_id)
        .ok_or(DomainError::NotFound)?;
    let hashes = vec![photo.sha256.clone(), photo.thumb_sha256.clone()];
    tx.delete::<meeting_photo::Entity>()
        .filter(meeting_photo::Column::Id.eq(photo.id))
        .exec(tx)
        .await?;
    Ok(hashes)
}

/// A photo (or its thumbnail) of a meeting the organiser may read the record of.
pub async fn photo_file(
    tx: &TenantTx,
    activity_id: Uuid,
    photo_id: Uuid,
    thumbnail: bool,
) -> DomainResult<PhotoFile> {
    ensure_organiser(tx)?;
    let a = load(tx, activity_id).await?;
    if !is_meeting(&a) {
        return Err(DomainError::NotFound);
    }
    let p = listed(tx, a.id)
        .await?
        .into_iter()
        .find(|p| p.id == photo_id)
        .ok_or(DomainError::NotFound)?;
    Ok(match thumbnail {
        true => PhotoFile {
            name: format!(
                "缩略图-{}.jpg",
                p.name.rsplit_once('.').map_or(p.name.as_str(), |(s, _)| s)
            ),
            kind: FileKind::Jpeg,
            size: u64::try_from(p.thumb_bytes).unwrap_or(0),
            sha256: p.thumb_sha256,
        },
        false => PhotoFile {
            name: p.name,
            kind: p.kind,
            size: u64::try_from(p.size_bytes).unwrap_or(0),
            sha256: p.sha256,
        },
    })
}
