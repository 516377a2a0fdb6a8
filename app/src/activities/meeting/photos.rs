//! A meeting's photos over plain HTTP. `POST /org/:id/activities/:aid/record/photos` adds some
//! (multipart, field `photos`): who may add is checked before the body is read, each file is
//! read with a cap as it arrives, each is checked to be a photo and its thumbnail made (off the
//! async runtime) before any is kept, then all are listed in one transaction; a refusal goes
//! back to the record with its reason. `GET …/record/photos/:pid` (and `/thumb`) serves one to
//! those who may read the record.
use std::sync::Arc;

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::activities::{self, NewPhoto, PHOTOS_MAX};
use domain::files::{FileStore, FILE_MAX_BYTES};
use domain::tenancy::{Commit, TenantScope};
use domain::DomainError;
use tower_sessions::Session;
use uuid::Uuid;

use crate::activities::ACTIVITY_FORM;
use crate::download::{read_capped, refuse_to_form, session_principal, stored_file, Stored};
use crate::error::AppError;
use crate::routes;
use crate::state::AppState;

/// The whole post: every photo at its largest.
pub const PHOTO_UPLOAD_LIMIT: usize = PHOTOS_MAX * FILE_MAX_BYTES + 64 * 1024;

/// How many photo uploads are read at once (each holds its photos in memory, ≤ 60 MB).
static UPLOADS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);
/// An upload still arriving after this long is given up (60 MB at 1 Mbit/s takes 8 minutes;
/// a phone on 4G sends a few photos in seconds).
const READ_WITHIN: std::time::Duration = std::time::Duration::from_secs(300);

/// The signed-in person's scope at `node` and the meeting's id, if they may add a photo to it.
async fn organiser(
    state: &AppState,
    session: &Session,
    node: &str,
    activity: &str,
    adding: usize,
) -> Result<(TenantScope, Uuid), AppError> {
    let principal = session_principal(state, session).await?;
    let scope = principal
        .tenant_scope(&state.db, domain::validate::parse_id(node)?)
        .await?;
    let id = domain::validate::parse_id(activity)?;
    let tx = scope.read(&state.db).await?;
    activities::may_add_photos(&tx, id, adding).await?;
    tx.commit().await?;
    Ok((scope, id))
}

pub async fn add_photos_upload(
    State(state): State<AppState>,
    session: Session,
    Path((node, activity)): Path<(String, String)>,
    multipart: Multipart,
) -> Response {
    let (scope, id) = match organiser(&state, &session, &node, &activity, 1).await {
        Ok(found) => found,
        Err(err) => return err.into_response(),
    };
    let back = routes::meeting_record(scope.tenant_id(), id);
    // Nobody queues behind slow uploads: when all turns are taken the upload is refused at once.
    let Ok(_turn) = UPLOADS.try_acquire() else {
        let busy = DomainError::invalid("photo", "uploads_busy").into();
        let to = back.at("photos").to_string();
        return refuse_to_form(&session, ACTIVITY_FORM, Default::default(), busy, &to).await;
    };
    let added = async {
        let sent = tokio::time::timeout(READ_WITHIN, read_photos(multipart))
            .await
            .map_err(|_| DomainError::invalid("attachment", "upload_broken"))??;
        // Read again: the upload may have taken minutes, and others may have added photos.
        let (scope, id) = organiser(&state, &session, &node, &activity, sent.len()).await?;
        let photos = keep(&state, &scope, sent).await?;
        let tx = scope.write(&state.db).await?;
        activities::add_photos(&tx, id, photos, chrono::Utc::now()).await?;
        tx.commit().await?;
        Ok::<(), AppError>(())
    }
    .await;
    match added {
        Ok(()) => Redirect::to(&back.saved().at("photos").to_string()).into_response(),
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict)) => {
            let to = back.at("photos").to_string();
            refuse_to_form(&session, ACTIVITY_FORM, Default::default(), err, &to).await
        }
        Err(err) => err.into_response(),
    }
}

/// Each photo checked and its thumbnail made before any is kept (a photo refused keeps
/// nothing; one kept for an upload then refused under the meeting's lock — another filled it
/// meanwhile — is left to `file_sweep`, which removes it within hours).
async fn keep(
    state: &AppState,
    scope: &TenantScope,
    sent: Vec<(String, Vec<u8>)>,
) -> Result<Vec<NewPhoto>, AppError> {
    let mut made = Vec::with_capacity(sent.len());
    for (name, bytes) in sent {
        let bytes = Arc::new(bytes);
        let thumbnail = domain::files::thumbnail(bytes.clone()).await?;
        made.push((name, bytes, thumbnail));
    }
    let store: &FileStore = state.db.files();
    let tenant = scope.tenant_id();
    let mut photos = Vec::with_capacity(made.len());
    for (name, bytes, made) in made {
        let bytes = Arc::try_unwrap(bytes).unwrap_or_else(|shared| (*shared).clone());
        let photo = store.keep(tenant, &name, bytes).await?;
        let stem = photo.name.rsplit_once('.').map_or("照片", |(stem, _)| stem);
        let thumbnail = store
            .keep(
                tenant,
                &format!("{stem}-缩略图.jpg"),
                made.thumbnail.clone(),
            )
            .await?;
        photos.push(NewPhoto {
            photo,
            thumbnail,
            made,
        });
    }
    Ok(photos)
}

/// The photos sent (at most `PHOTOS_MAX`, none past `FILE_MAX_BYTES`), refused as soon as a cap
/// is passed.
async fn read_photos(mut multipart: Multipart) -> Result<Vec<(String, Vec<u8>)>, DomainError> {
    let unreadable = || DomainError::invalid("attachment", "upload_broken");
    let mut photos = Vec::new();
    while let Some(mut field) = multipart.next_field().await.map_err(|_| unreadable())? {
        if field.name() != Some("photos") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let too_large = DomainError::invalid("photo", "file_too_large");
        let bytes = read_capped(&mut field, FILE_MAX_BYTES, too_large).await?;
        // A file input left empty still sends a part, without a name or content.
        if name.is_empty() && bytes.is_empty() {
            continue;
        }
        if photos.len() == PHOTOS_MAX {
            return Err(DomainError::invalid("photo", "too_many_files"));
        }
        photos.push((name, bytes));
    }
    Ok(photos)
}

/// `GET /org/:id/activities/:aid/record/photos/:pid`
pub async fn photo(
    state: State<AppState>,
    session: Session,
    path: Path<(String, String, String)>,
) -> Result<Response, AppError> {
    serve(state, session, path, false).await
}

/// `GET /org/:id/activities/:aid/record/photos/:pid/thumb`
pub async fn thumbnail(
    state: State<AppState>,
    session: Session,
    path: Path<(String, String, String)>,
) -> Result<Response, AppError> {
    serve(state, session, path, true).await
}

async fn serve(
    State(state): State<AppState>,
    session: Session,
    Path((node, activity, photo)): Path<(String, String, String)>,
    thumbnail: bool,
) -> Result<Response, AppError> {
    let principal = session_principal(&state, &session).await?;
    let parse = |id: &str| domain::validate::parse_id(id);
    let scope = principal.tenant_scope(&state.db, parse(&node)?).await?;
    let tx = scope.read(&state.db).await?;
    let file = activities::photo_file(&tx, parse(&activity)?, parse(&photo)?, thumbnail).await?;
    tx.commit().await?;
    let stored = Stored {
        tenant: scope.tenant_id(),
        sha256: &file.sha256,
        kind: file.kind,
        size: file.size,
        name: &file.name,
    };
    stored_file(&state, stored).await
}
