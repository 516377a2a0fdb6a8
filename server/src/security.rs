//! Refuses cross-site writes (a POST to a server function must come from our own origin) and
//! logins past the per-address allowance (429 before anything is read or written).
use std::net::SocketAddr;
use std::sync::Arc;

use app::i18n::{request_lang, t};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::auth::LoginGuard;
use http::{header, Method, StatusCode};

#[derive(Clone, Debug, Default)]
pub struct OriginPolicy {
    /// e.g. `https://gongjian.example.org`; `None` compares with the request's Host.
    pub public_origin: Option<String>,
}

impl OriginPolicy {
    fn allows(&self, origin: Option<&str>, host: Option<&str>, fetch_site: Option<&str>) -> bool {
        match origin {
            Some(origin) => match &self.public_origin {
                Some(expected) => origin.eq_ignore_ascii_case(expected.trim_end_matches('/')),
                None => {
                    let origin_host = origin.split_once("://").map(|(_, rest)| rest);
                    origin_host.is_some() && origin_host == host
                }
            },
            // No Origin (non-browser clients): browsers that send Sec-Fetch-Site still tell.
            None => fetch_site != Some("cross-site"),
        }
    }
}

pub async fn check_origin(
    State(policy): State<OriginPolicy>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if unsafe_method {
        let headers = request.headers();
        let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let allowed = policy.allows(
            get(header::ORIGIN.as_str()),
            get(header::HOST.as_str()),
            get("sec-fetch-site"),
        );
        if !allowed {
            tracing::warn!(path = %request.uri().path(), "cross-site request refused");
            return (
                StatusCode::FORBIDDEN,
                "跨站请求被拒绝 / Cross-site request refused",
            )
                .into_response();
        }
    }
    next.run(request).await
}

/// Headers every response carries. Pages get their own CSP from the shell (with the request's
/// script nonce); anything else, the strictest one.
#[derive(Clone, Copy, Debug)]
pub struct HeaderPolicy {
    /// HTTPS only (production): browsers then refuse plain HTTP for a year.
    pub hsts: bool,
}

const STRICT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

pub async fn security_headers(
    State(policy): State<HeaderPolicy>,
    request: Request<Body>,
    next: Next,
) -> Response {
    // Build output and static files may be cached; pages and downloads carry personal data.
    let path = request.uri().path();
    let cache_control = if crate::router::is_hashed_build_file(path) {
        "public, max-age=31536000, immutable"
    } else if crate::router::is_static_file(path) {
        // Unhashed (debug) build files and the icon: kept, but checked again each time.
        "no-cache"
    } else {
        "no-store"
    };
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut http::HeaderMap, name: header::HeaderName, value: &'static str| {
        headers.insert(name, http::HeaderValue::from_static(value));
    };
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        set(headers, header::CONTENT_SECURITY_POLICY, STRICT_CSP);
    }
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    // Check-in links carry the code: never sent to another site.
    set(headers, header::REFERRER_POLICY, "same-origin");
    if policy.hsts {
        set(
            headers,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    // A missing file is never kept (a page of the next build may ask before it is here).
    let found = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
    let cache_control = if found { cache_control } else { "no-store" };
    set(response.headers_mut(), header::CACHE_CONTROL, cache_control);
    response
}

#[derive(Clone)]
pub struct LoginLimit {
    pub guard: Arc<LoginGuard>,
    pub proxy_hops: usize,
}

/// The address allowance of the endpoints that check a secret (login, password change, a
/// contact's code): past it, 429 with a page that returns to the login form and says why.
/// Nothing is written for a refused attempt.
pub async fn limit_logins(
    State(limit): State<LoginLimit>,
    request: Request<Body>,
    next: Next,
) -> Response {
    // Changing a password checks the current one, a contact's code is guessed the same way:
    // as guessable as a login.
    let checks_a_secret = matches!(
        request.uri().path(),
        "/api/login" | "/api/account/password" | "/api/account/confirm"
    );
    if request.method() != Method::POST || !checks_a_secret {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let ip = app::state::client_addr(&parts.headers, peer, limit.proxy_hops);
    if limit.guard.allow(ip) {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let lang = request_lang(&parts);
    let message = t(lang, "error.rate_limited");
    let back = t(lang, "auth.back_to_login");
    // The message is our own catalogue text; nothing from the request is echoed.
    let page = format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{message}</title></head><body><main><h1>{message}</h1>\
         <p><a href=\"/login?error=rate_limited\">{back}</a></p></main></body></html>",
        code = lang.code(),
    );
    (
        StatusCode::TOO_MANY_REQUESTS,
        [
            (header::RETRY_AFTER, "60"),
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_host_is_allowed_and_others_refused() {
        let p = OriginPolicy::default();
        assert!(p.allows(Some("http://127.0.0.1:3000"), Some("127.0.0.1:3000"), None));
        assert!(!p.allows(Some("http://evil.example"), Some("127.0.0.1:3000"), None));
        assert!(!p.allows(Some("null"), Some("127.0.0.1:3000"), None));
        assert!(p.allows(None, Some("127.0.0.1:3000"), None));
        assert!(!p.allows(None, Some("127.0.0.1:3000"), Some("cross-site")));
    }

    #[test]
    fn a_configured_public_origin_wins() {
        let p = OriginPolicy {
            public_origin: Some("https://gongjian.example.org/".into()),
        };
        assert!(p.allows(
            Some("https://gongjian.example.org"),
            Some("internal:3000"),
            None
        ));
        assert!(!p.allows(Some("http://internal:3000"), Some("internal:3000"), None));
    }
}
