//! Delivery: a rendered page goes out gzipped when the browser accepts it (also when it prefers
//! brotli, which costs a page far more CPU) and as it is when it does not; build files go out
//! as the brotli or gzip copies the build wrote; personal pages are never cached.
mod support;

use domain::both_engines;
use support::*;
use tower::ServiceExt;

/// The login page as a browser accepting `encoding` gets it: (Content-Encoding, bytes, Cache-Control).
async fn login_page(router: &Router, encoding: Option<&str>) -> (Option<String>, usize, String) {
    let (_, encoded, cache, body) = fetch(router, "/login", encoding.unwrap_or("")).await;
    (encoded, body.len(), cache)
}

async fn pages_are_compressed(t: TestDb) {
    let (router, _) = setup(&t).await;
    let (plain, plain_len, cache) = login_page(&router, None).await;
    assert_eq!(plain, None);
    assert_eq!(cache, "no-store");
    for (accepts, expected) in [
        ("gzip", "gzip"),
        ("gzip, deflate, br, zstd", "gzip"),
        ("br;q=1.0, gzip;q=0.5", "gzip"),
    ] {
        let (encoded, len, cache) = login_page(&router, Some(accepts)).await;
        assert_eq!(encoded.as_deref(), Some(expected), "{accepts}");
        eprintln!("login page, {accepts}: {len} of {plain_len} bytes");
        assert!(len * 2 < plain_len, "{accepts}: {len} of {plain_len} bytes");
        assert_eq!(cache, "no-store");
    }
}
both_engines!(rendered_pages_are_compressed, pages_are_compressed);

/// A site folder as `cargo leptos build --release --precompress` leaves it: a hashed CSS file
/// with its `.br` and `.gz` copies, an unhashed one, and a wasm module.
fn built_site() -> std::path::PathBuf {
    // One folder per call: the SQLite and PostgreSQL runs go side by side.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let root = std::env::temp_dir().join(format!("gongjian-site-{}-{call}", std::process::id()));
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).expect("site dir");
    let css = "body { color: #222; }\n".repeat(200);
    for (name, bytes) in [
        (HASHED_CSS, css.as_bytes().to_vec()),
        (&format!("{HASHED_CSS}.br")[..], b"brotli bytes".to_vec()),
        (&format!("{HASHED_CSS}.gz")[..], b"gzip bytes".to_vec()),
        ("plain.css", css.as_bytes().to_vec()),
        ("app.wasm", vec![7u8; 64 * 1024]),
    ] {
        std::fs::write(pkg.join(name), bytes).expect("site file");
    }
    root
}

const HASHED_CSS: &str = "gongjian.Xq3vT0b_Zk-8aLmN2pRsWw.css";

/// (status, Content-Encoding, Cache-Control, body) of a GET accepting `encoding` ("": no header).
async fn fetch(
    router: &Router,
    path: &str,
    encoding: &str,
) -> (StatusCode, Option<String>, String, Vec<u8>) {
    let mut request = Request::get(path).header(header::HOST, HOST);
    if !encoding.is_empty() {
        request = request.header(header::ACCEPT_ENCODING, encoding);
    }
    let request = request.body(Body::empty()).expect("request");
    let response = router.clone().oneshot(request).await.expect("response");
    let value = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v: &http::HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    let (status, encoded, cache) = (
        response.status(),
        value(header::CONTENT_ENCODING),
        value(header::CACHE_CONTROL).unwrap_or_default(),
    );
    let bytes = to_bytes(response.into_body(), 4 << 20).await.expect("body");
    (status, encoded, cache, bytes.to_vec())
}

async fn serve_build_files(t: TestDb) {
    let mut cfg = config();
    cfg.site_root = built_site().to_string_lossy().into_owned();
    let router =
        server::router::build(&cfg, server::router::app_state(&cfg, t.db.clone())).expect("router");
    let hashed = format!("/pkg/{HASHED_CSS}");
    let immutable = "public, max-age=31536000, immutable";

    // The copies the build wrote are sent as they are, brotli first.
    let (status, encoded, cache, body) = fetch(&router, &hashed, "gzip, deflate, br").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(encoded.as_deref(), Some("br"));
    assert_eq!(body, b"brotli bytes");
    assert_eq!(cache, immutable);
    let (_, encoded, _, body) = fetch(&router, &hashed, "gzip").await;
    assert_eq!(
        (encoded.as_deref(), &body[..]),
        (Some("gzip"), &b"gzip bytes"[..])
    );
    let (_, encoded, cache, body) = fetch(&router, &hashed, "identity").await;
    assert_eq!(encoded, None);
    assert_eq!(body.len(), 22 * 200);
    assert_eq!(cache, immutable);

    // An unhashed name may change content under the same name: checked again each time.
    let (status, _, cache, _) = fetch(&router, "/pkg/plain.css", "br").await;
    assert_eq!((status, &cache[..]), (StatusCode::OK, "no-cache"));

    // A wasm module without a precompressed copy is not compressed on the fly (that is the
    // build's work, not each request's).
    let (status, encoded, _, body) = fetch(&router, "/pkg/app.wasm", "gzip, br").await;
    assert_eq!(
        (status, encoded, body.len()),
        (StatusCode::OK, None, 64 * 1024)
    );

    // A hashed name that is not there (yet) is not kept either.
    for missing in [
        "/pkg/missing.css",
        "/pkg/gongjian.AAAAAAAAAAAAAAAAAAAAAA.css",
    ] {
        let (status, _, cache, _) = fetch(&router, missing, "br").await;
        assert_eq!(
            (status, &cache[..]),
            (StatusCode::NOT_FOUND, "no-store"),
            "{missing}"
        );
    }
}
both_engines!(build_files_are_precompressed_and_cached, serve_build_files);
