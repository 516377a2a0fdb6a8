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
pub const USER_KEY: &str = domain::sessions::keys::USER;
/// Session key holding when the user signed in (Unix seconds; set by the server's session
/// policy, removed at every login so a new sign-in starts a new lifetime).
pub const SIGNED_IN_AT: &str = domain::sessions::keys::SIGNED_IN_AT;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub login_guard: Arc<LoginGuard>,
    /// Trusted reverse proxies in front of the server (0: none, the peer is the client); the
    /// client is the address the outermost of them appended to `X-Forwarded-For`.
    pub proxy_hops: usize,
    pub imports: Arc<crate::members::ImportJobs>,
    /// `https://gongjian.example`: for links that leave the browser (QR codes); else the
    /// request's own host.
    pub public_origin: Option<String>,
    /// The open live pages (activity seats) and their shared feeds.
    pub watching: Arc<crate::activities::Watching>,
    /// Sends the codes that confirm a person's address or number (none: none can be given).
    pub codes: Option<Arc<dyn crate::account::codes::SendsCodes>>,
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

/// The signed-in principal, or `Unauthenticated` (401) when there is none, or
/// `PasswordChangeRequired` (403) while the account still has a one-time password.
pub async fn principal() -> Result<Principal, AppError> {
    let principal = principal_even_with_one_time_password().await?;
    if principal.must_change_password {
        return Err(fail(AppError::PasswordChangeRequired));
    }
    Ok(principal)
}

/// The signed-in principal, also while the account must replace a one-time password (for the
/// account page and its password form, which are how it does so).
pub async fn principal_even_with_one_time_password() -> Result<Principal, AppError> {
    let state = app_state()?;
    let user_id = session()
        .await?
        .get::<Uuid>(USER_KEY)
        .await
        .ok()
        .flatten()
        .ok_or_else(|| fail(AppError::Unauthenticated))?;
    Principal::current(&state.db, user_id)
        .await
        .map_err(fail)?
        .ok_or_else(|| fail(AppError::Unauthenticated))
}

/// The client's address, for rate limiting and the audit log.
pub async fn client_ip() -> Option<IpAddr> {
    let parts = use_context::<http::request::Parts>()?;
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    client_addr(&parts.headers, peer, app_state().ok()?.proxy_hops)
}

/// The client's address: the peer's, or behind `hops` trusted proxies the one the outermost
/// of them appended to `X-Forwarded-For` (`hops`-th from the right). What the client wrote
/// further left is never taken; a request with fewer entries did not come through them all.
pub fn client_addr(headers: &http::HeaderMap, peer: Option<IpAddr>, hops: usize) -> Option<IpAddr> {
    if hops == 0 {
        return peer;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    match forwarded.len().checked_sub(hops) {
        Some(i) => forwarded[i].parse().ok().or(peer),
        None => peer,
    }
}

#[cfg(test)]
mod tests {
    use super::client_addr;
    use std::net::IpAddr;

    fn headers(values: &[&str]) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for v in values {
            map.append("x-forwarded-for", v.parse().expect("header"));
        }
        map
    }

    #[test]
    fn the_proxy_appended_address_is_taken_never_the_clients_own() {
        let peer: Option<IpAddr> = "10.0.0.2".parse().ok();
        let forged = headers(&["6.6.6.6, 203.0.113.7"]);
        assert_eq!(client_addr(&forged, peer, 0), peer);
        assert_eq!(
            client_addr(&forged, peer, 1).map(|a| a.to_string()),
            Some("203.0.113.7".into())
        );
        assert_eq!(
            client_addr(&forged, peer, 2).map(|a| a.to_string()),
            Some("6.6.6.6".into())
        );
        // Two headers count as one list, in order.
        let split = headers(&["6.6.6.6", "203.0.113.7"]);
        assert_eq!(
            client_addr(&split, peer, 1).map(|a| a.to_string()),
            Some("203.0.113.7".into())
        );
        // Fewer entries than proxies: not through them all, so the peer.
        assert_eq!(client_addr(&headers(&[]), peer, 1), peer);
        assert_eq!(client_addr(&headers(&["203.0.113.7"]), peer, 2), peer);
    }
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
    session.remove_value(FLASH_KEY).await.ok();
    Some(flash)
}

const HANDOVER_KEY: &str = "handover";

/// A one-time password to hand over in person, shown once on the page the post returns to.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Handover {
    pub login_name: String,
    pub password: String,
}

pub async fn set_handover(handover: Handover) -> Result<(), AppError> {
    session()
        .await?
        .insert(HANDOVER_KEY, handover)
        .await
        .map_err(|_| fail(AppError::Internal))
}

/// Takes the one-time password left to hand over, if any (it is then gone from the session).
pub async fn take_handover() -> Option<Handover> {
    take(HANDOVER_KEY).await
}

/// Takes what a post left in the session for the page it returns to (then gone). Looked up
/// first: a removal marks the session changed, and a changed session is written back to the
/// database after the page, which a page with nothing to take should not cost.
pub async fn take<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    let session = session().await.ok()?;
    let value = session.get_value(key).await.ok().flatten()?;
    session.remove_value(key).await.ok();
    serde_json::from_value(value).ok()
}
