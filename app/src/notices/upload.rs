//! `POST /org/:id/notices/publish`: the notice form with its attachments (multipart). Who may
//! send is checked before the body is read; each part is read with a cap as it arrives; the
//! files are kept on disk first (off the async runtime), then the notice, every recipient's
//! message and the files' list are written in one transaction (`notices::publish`). A refusal
//! goes back to the form with the reason and what was typed.
use std::collections::HashMap;

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::files::{FileStore, FILE_MAX_BYTES};
use domain::notices::{self, NoticeInput, FILES_MAX};
use domain::DomainError;
use tower_sessions::Session;

use super::{Done, NOTICE_FORM};
use crate::download::{read_capped, refuse_to_form, session_principal};
use crate::error::AppError;
use crate::routes;
use crate::state::AppState;

/// A text field of the form is read up to this size (the body's 5,000 characters fit).
const TEXT_FIELD_MAX: usize = 32 * 1024;

/// The whole post: every file at its largest, and the text.
pub const NOTICE_UPLOAD_LIMIT: usize = FILES_MAX * FILE_MAX_BYTES + 256 * 1024;

pub async fn publish_upload(
    State(state): State<AppState>,
    session: Session,
    Path(node): Path<String>,
    multipart: Multipart,
) -> Response {
    let scope = match sender(&state, &session, &node).await {
        Ok(scope) => scope,
        Err(err) => return err.into_response(),
    };
    let node = scope.tenant_id();
    let back = routes::notices(node).at("new");
    // Each upload in flight holds its files in memory (≤ 50 MB): a few at once.
    let Ok(_turn) = UPLOADS.acquire().await else {
        return AppError::Internal.into_response();
    };
    let mut typed = HashMap::new();
    let read = read_form(multipart, &mut typed).await;
    let now = chrono::Utc::now();
    let sent = match read {
        Ok(files) => publish(&state, &session, &node.to_string(), &typed, files, now).await,
        Err(err) => Err(err.into()),
    };
    match sent {
        Ok(id) => {
            Redirect::to(&Done::Published.on(routes::notice(node, id)).to_string()).into_response()
        }
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict)) => {
            // What goes back into the form is kept in the session: no more than it shows.
            for (field, max) in [
                ("title", notices::TITLE_MAX),
                ("body", notices::BODY_MAX),
                ("audience", 64),
                ("branch", 64),
                ("confirm_by", 64),
            ] {
                if let Some(text) = typed.get_mut(field) {
                    *text = text.chars().take(max).collect();
                }
            }
            refuse_to_form(&session, NOTICE_FORM, typed, err, &back.to_string()).await
        }
        Err(err) => err.into_response(),
    }
}

/// How many notice uploads are read at once (the others wait their turn).
static UPLOADS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// Sends what was read: the text checked and every file's kind and size before any file is
/// kept (a refusal leaves nothing on disk), and the sender's right to send read again (the
/// upload may have taken minutes).
async fn publish(
    state: &AppState,
    session: &Session,
    node: &str,
    typed: &HashMap<String, String>,
    files: Vec<Sent>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<uuid::Uuid, AppError> {
    let scope = sender(state, session, node).await?;
    let mut input = typed_input(typed);
    notices::check(&state.db, &scope, &input, files.len(), now).await?;
    for (_, bytes) in &files {
        FileStore::check(bytes)?;
    }
    let node_id = scope.tenant_id();
    for (name, bytes) in files {
        input
            .files
            .push(state.db.files().keep(node_id, &name, bytes).await?);
    }
    Ok(notices::publish(&state.db, &scope, &input, now).await?)
}

/// The signed-in person's scope at the node, if they may send notices from it.
async fn sender(
    state: &AppState,
    session: &Session,
    node: &str,
) -> Result<domain::tenancy::TenantScope, AppError> {
    let principal = session_principal(state, session).await?;
    let node = domain::validate::parse_id(node)?;
    let scope = principal.tenant_scope(&state.db, node).await?;
    notices::may_send(&state.db, &scope).await?;
    Ok(scope)
}

/// A file as sent: its name and content.
type Sent = (String, Vec<u8>);

/// Reads the text fields into `typed` and the files (`files`, at most `FILES_MAX`, none past
/// `FILE_MAX_BYTES`), refusing as soon as a cap is passed.
async fn read_form(
    mut multipart: Multipart,
    typed: &mut HashMap<String, String>,
) -> Result<Vec<Sent>, DomainError> {
    let unreadable = || DomainError::invalid("attachment", "upload_broken");
    let mut files = Vec::new();
    while let Some(mut field) = multipart.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "files" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let bytes = read_capped(
                &mut field,
                FILE_MAX_BYTES,
                DomainError::invalid("attachment", "file_too_large"),
            )
            .await?;
            // A file input left empty still sends a part, without a name or content.
            if file_name.is_empty() && bytes.is_empty() {
                continue;
            }
            if files.len() == FILES_MAX {
                return Err(DomainError::invalid("attachment", "too_many_files"));
            }
            files.push((file_name, bytes));
        } else if ["title", "body", "audience", "branch", "confirm_by"].contains(&name.as_str()) {
            let bytes = read_capped(
                &mut field,
                TEXT_FIELD_MAX,
                DomainError::invalid("notice", "too_long"),
            )
            .await?;
            let text = String::from_utf8(bytes).map_err(|_| unreadable())?;
            typed.insert(name, text);
        }
    }
    Ok(files)
}

fn typed_input(typed: &HashMap<String, String>) -> NoticeInput {
    let field = |name: &str| typed.get(name).cloned().unwrap_or_default();
    NoticeInput {
        title: field("title"),
        body: field("body"),
        audience: field("audience"),
        branch: field("branch"),
        confirm_by: field("confirm_by"),
        files: Vec::new(),
    }
}
