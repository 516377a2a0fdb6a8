//! The plain HTTP handlers beside the pages (downloads and the roster upload): who is signed
//! in, and how they answer: a file under its Chinese name, never cached, or the error as a
//! short page (the login page when signed out).
use axum::response::{IntoResponse, Redirect, Response};
use http::{header, StatusCode};
use tower_sessions::Session;

use crate::error::AppError;
use crate::state::AppState;

/// A file to download.
pub struct Download {
    name: String,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Download {
    /// An Excel workbook named `name` (Chinese is fine: it goes as `filename*`).
    pub fn xlsx(name: impl Into<String>, body: Vec<u8>) -> Download {
        Download {
            name: name.into(),
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            body,
        }
    }

    /// A workbook named `name`, written by `write` off the async runtime: a 50,000-member
    /// roster takes seconds of CPU, which would hold up every other request on that thread.
    pub async fn xlsx_written(
        name: impl Into<String>,
        write: impl FnOnce() -> domain::DomainResult<Vec<u8>> + Send + 'static,
    ) -> Result<Download, AppError> {
        let body = tokio::task::spawn_blocking(write)
            .await
            .map_err(|_| AppError::Internal)??;
        Ok(Download::xlsx(name, body))
    }

    /// A calendar file (.ics) of one event.
    pub fn ics(text: String) -> Download {
        Download {
            name: "activity.ics".into(),
            content_type: "text/calendar; charset=utf-8",
            body: text.into_bytes(),
        }
    }
}

impl IntoResponse for Download {
    fn into_response(self) -> Response {
        let headers = [
            (header::CONTENT_TYPE, self.content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                disposition("attachment", &self.name),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ];
        (headers, self.body).into_response()
    }
}

/// `Content-Disposition` for a file named `name` (Chinese is fine: it goes as `filename*`),
/// `how` being `attachment` or `inline`.
pub fn disposition(how: &str, name: &str) -> String {
    // A space is `%20` here (`+` would be taken as itself).
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    // Old clients take a plain ASCII name (without quotes); the rest the encoded one.
    let ascii = match name.rsplit_once('.') {
        _ if name.is_ascii() && !name.contains(['"', '\\']) => name.to_owned(),
        Some((_, ext)) if ext.chars().all(|c| c.is_ascii_alphanumeric()) => {
            format!("download.{ext}")
        }
        _ => "download".to_owned(),
    };
    format!("{how}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::Unauthenticated => return Redirect::to("/login").into_response(),
            AppError::PasswordChangeRequired => return Redirect::to("/account").into_response(),
            _ => {}
        }
        let status =
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, self.message(crate::i18n::Lang::Zh)).into_response()
    }
}

/// The signed-in user of the request (not while a one-time password awaits replacing).
pub async fn session_principal(
    state: &AppState,
    session: &Session,
) -> Result<domain::auth::Principal, AppError> {
    let user_id = session
        .get::<uuid::Uuid>(crate::state::USER_KEY)
        .await
        .ok()
        .flatten()
        .ok_or(AppError::Unauthenticated)?;
    let principal = domain::auth::Principal::current(&state.db, user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if principal.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    Ok(principal)
}

/// The signed-in user and their scope as staff of `community`.
pub async fn staff_scope(
    state: &AppState,
    session: &Session,
    community: &str,
) -> Result<(uuid::Uuid, domain::tenancy::TenantScope), AppError> {
    let principal = session_principal(state, session).await?;
    let id = domain::validate::parse_id(community)?;
    let scope = principal.manage_scope(&state.db, id).await?;
    Ok((principal.user_id, scope))
}

/// Back to the form `form` on the page `back`, with the reason and what was typed (the plain
/// handlers' way of what `crate::form::Form::finish` does for server functions).
pub async fn refuse_to_form(
    session: &Session,
    form: &str,
    values: std::collections::HashMap<String, String>,
    error: AppError,
    back: &str,
) -> Response {
    let flash = crate::state::Flash {
        form: form.into(),
        values,
        error,
    };
    if session.insert("flash", flash).await.is_err() {
        return AppError::Internal.into_response();
    }
    Redirect::to(back).into_response()
}

/// A file kept on disk (`domain::files`), as a record lists it.
pub struct Stored<'a> {
    pub tenant: uuid::Uuid,
    pub sha256: &'a str,
    pub kind: domain::files::FileKind,
    pub size: u64,
    pub name: &'a str,
}

/// A kept file's content, streamed from disk: images open in the browser, other files download;
/// personal, so never stored by a cache; opened on its own it runs and loads nothing.
pub async fn stored_file(state: &AppState, file: Stored<'_>) -> Result<Response, AppError> {
    let path = state
        .db
        .files()
        .to_read(file.tenant, file.sha256)
        .ok_or(AppError::NotFound)?;
    let opened = tokio::fs::File::open(&path).await.map_err(|err| {
        tracing::error!(error = %err, sha256 = file.sha256, "a file listed is not on disk");
        AppError::Internal
    })?;
    let how = if file.kind.is_image() {
        "inline"
    } else {
        "attachment"
    };
    let headers = [
        (header::CONTENT_TYPE, file.kind.media_type().to_owned()),
        (header::CONTENT_LENGTH, file.size.to_string()),
        (header::CONTENT_DISPOSITION, disposition(how, file.name)),
        (header::CACHE_CONTROL, "private, no-store".to_owned()),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; img-src 'self'; sandbox".to_owned(),
        ),
    ];
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::with_capacity(
        opened,
        64 * 1024,
    ));
    Ok((headers, body).into_response())
}

/// A multipart part's content, refused with `too_large` past `max` bytes (read no further).
pub async fn read_capped(
    field: &mut axum::extract::multipart::Field<'_>,
    max: usize,
    too_large: domain::DomainError,
) -> Result<Vec<u8>, domain::DomainError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|_| domain::DomainError::invalid("attachment", "upload_broken"))?
    {
        if bytes.len() + chunk.len() > max {
            return Err(too_large);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}
