//! Every request carries an id (`X-Request-Id`): the proxy's when it sent a sane one (nginx's
//! `$request_id`, so both logs name the same request), else a new UUID; it is in every log
//! line of the request and goes back in the response.
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

pub const HEADER: &str = "x-request-id";

/// An id from outside is kept only if short and plain (letters, digits, `-`): anything else
/// could forge log lines or bloat them, and is replaced.
fn sane(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Drops an id that is not `sane` (a new one is made by `SetRequestIdLayer`).
pub async fn drop_unsound_ids(mut request: Request, next: Next) -> Response {
    let unsound = request
        .headers()
        .get_all(HEADER)
        .iter()
        .enumerate()
        .any(|(i, v)| i > 0 || v.to_str().map_or(true, |v| !sane(v)));
    if unsound {
        request.headers_mut().remove(HEADER);
    }
    next.run(request).await
}

/// The request's id, for its log span.
pub fn of(request: &Request) -> &str {
    request
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
}

#[cfg(test)]
mod tests {
    use super::sane;

    #[test]
    fn only_short_plain_ids_are_kept() {
        assert!(sane("0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b"));
        assert!(sane("5f2b8c0e9d1a4b7c"));
        assert!(!sane(""));
        assert!(!sane("a b"));
        assert!(!sane("x\ninjected=1"));
        assert!(!sane(&"a".repeat(65)));
    }
}
