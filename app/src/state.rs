//! Request context on the server: shared state, the session, the signed-in principal.
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::ConnectInfo;
use domain::auth::{LoginGuard, Principal};
use domain::Db;
use leptos::prelude::use_context;
use tower_sessions::Session;
use uuid::Uuid;

use crate::error::{fail, AppError};

/// Session key holding the signed-in user's id.
pub const USER_KEY: &str = "user_id";

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub login_guard: Arc<LoginGuard>,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_proxy: bool,
    pub imports: Arc<crate::members::ImportJobs>,
    /// `https://gongjian.example`: for links that leave the browser (QR codes); else the
    /// request's own host.
    pub public_origin: Option<String>,
}

/// Where this site is reached from outside, for links printed or scanned.
pub fn public_origin() -> String {
    if let Some(origin) = use_context::<AppState>().and_then(|s| s.public_origin) {
        return origin;
    }
    let host = use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(http::header::HOST)?
                .to_str()
                .ok()
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "localhost".to_owned());
    format!("http://{host}")
}

pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| fail(AppError::Internal))
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|_| fail(AppError::Internal))
}

/// The signed-in principal, or `Unauthenticated` (401) when there is none.
pub async fn principal() -> Result<Principal, AppError> {
    let state = app_state()?;
    let user_id = session()
        .await?
        .get::<Uuid>(USER_KEY)
        .await
        .ok()
        .flatten()
        .ok_or_else(|| fail(AppError::Unauthenticated))?;
    Principal::load(&state.db, user_id)
        .await
        .map_err(fail)?
        .ok_or_else(|| fail(AppError::Unauthenticated))
}

/// The client's address, for rate limiting and the audit log.
pub async fn client_ip() -> Option<IpAddr> {
    let parts = use_context::<http::request::Parts>()?;
    if app_state().ok()?.trust_proxy {
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
}

/// Redirects with 302, replacing any error status set while the page was being worked out.
pub fn redirect(path: &str) {
    leptos_axum::redirect(path);
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(http::StatusCode::FOUND);
    }
}

const FLASH_KEY: &str = "flash";

/// What a form post hands back to its form after a validation error: the values the person
/// typed and the error, kept in the session for exactly one page view.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Flash {
    pub form: String,
    pub values: std::collections::HashMap<String, String>,
    pub error: AppError,
}

pub async fn set_flash(flash: Flash) -> Result<(), AppError> {
    session()
        .await?
        .insert(FLASH_KEY, flash)
        .await
        .map_err(|_| fail(AppError::Internal))
}

/// Takes the flash left for `form`, if any.
pub async fn take_flash(form: &str) -> Option<Flash> {
    let session = session().await.ok()?;
    let flash: Flash = session.get(FLASH_KEY).await.ok().flatten()?;
    if flash.form != form {
        return None;
    }
    session.remove::<Flash>(FLASH_KEY).await.ok();
    Some(flash)
}

/// For form endpoints: the shared state and the caller's detail scope on `community`
/// (403/404 otherwise).
pub async fn community_scope(
    community: &str,
) -> Result<(AppState, domain::tenancy::TenantScope), AppError> {
    let state = app_state()?;
    let principal = principal().await?;
    let id = domain::validate::parse_id(community).map_err(fail)?;
    let scope = principal.manage_scope(&state.db, id).await.map_err(fail)?;
    Ok((state, scope))
}

/// Ends a login form (a member's, a liaison's): to `page` + `#anchor` with `saved=1` when the
/// account was opened; back there with the reason and the typed login name when the input can be
/// fixed (the password is never kept); anything else is an error.
pub async fn finish_account<T>(
    created: domain::DomainResult<T>,
    page: &str,
    anchor: &str,
    form: &str,
    login_name: String,
) -> Result<(), AppError> {
    match created {
        Ok(_) => {
            redirect(&format!("{page}?saved=1#{anchor}"));
            Ok(())
        }
        Err(err @ domain::DomainError::Invalid { .. }) => {
            let values = [("login_name".to_owned(), login_name)]
                .into_iter()
                .collect();
            set_flash(Flash {
                form: form.into(),
                values,
                error: err.into(),
            })
            .await?;
            redirect(&format!("{page}#{anchor}"));
            Ok(())
        }
        Err(err) => Err(fail(err)),
    }
}

/// Ends a form write: commit and go to `done`; or, for input the person can fix, roll back,
/// keep the reason (and what was typed) for `form`, and go `back`; anything else is an error.
pub async fn finish_form(
    tx: impl domain::tenancy::Commit,
    result: domain::DomainResult<()>,
    done: &str,
    form: &str,
    values: std::collections::HashMap<String, String>,
    back: &str,
) -> Result<(), AppError> {
    use domain::DomainError;
    match result {
        Ok(()) => {
            tx.commit().await.map_err(fail)?;
            redirect(done);
            Ok(())
        }
        Err(
            err @ (DomainError::Invalid { .. }
            | DomainError::Conflict(_)
            | DomainError::Taken { .. }),
        ) => {
            drop(tx);
            set_flash(Flash {
                form: form.into(),
                values,
                error: err.into(),
            })
            .await?;
            redirect(back);
            Ok(())
        }
        Err(err) => Err(fail(err)),
    }
}
