//! Refuses cross-site writes: a POST to a server function must come from our own origin.
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
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
