//! Helpers shared by the HTTP test files: the router on a fixture world, requests, login.
#![allow(dead_code)] // each test file uses its own subset

pub use axum::body::{to_bytes, Body};
pub use axum::Router;
use clap::Parser;
use domain::members;
use domain::tenancy::Commit;
#[allow(unused_imports)] // the login lists of the isolation tests, not every file has one
pub use domain::testing::{not_staff_of_a, NOT_IN_A};
pub use domain::testing::{world, TestDb, World, PASSWORD};
pub use http::{header, Request, StatusCode};
use server::cli::Cli;
use tower::ServiceExt;

pub const HOST: &str = "gongjian.test";

pub fn config() -> server::config::Config {
    Cli::parse_from(["gongjian"]).config
}

pub async fn setup(t: &TestDb) -> (Router, World) {
    let w = world(&t.db).await;
    // A few members in community A, so leaks of personal data would be visible.
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    for name in ["欧阳秀兰", "司马建华"] {
        members::create(
            &tx,
            &domain::testing::member_input(name),
            None,
            domain::testing::today(),
        )
        .await
        .expect("member");
    }
    tx.commit().await.expect("commit");
    let cfg = config();
    let router =
        server::router::build(&cfg, server::router::app_state(&cfg, t.db.clone())).expect("router");
    (router, w)
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
    pub cookie: Option<String>,
    /// The whole Set-Cookie header of the session cookie, attributes included.
    pub cookie_header: Option<String>,
    pub body: String,
}

pub async fn send(router: &Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let location = headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let cookie_header = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("gongjian_session="))
        .map(str::to_owned);
    let cookie = cookie_header
        .as_deref()
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    let bytes = to_bytes(response.into_body(), 4 << 20)
        .await
        .unwrap_or_default();
    Reply {
        status,
        location,
        cookie,
        cookie_header,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub fn form_post(path: &str, body: String, cookie: Option<&str>) -> Request<Body> {
    let mut builder = Request::post(path)
        .header(header::HOST, HOST)
        .header(header::ORIGIN, format!("http://{HOST}"))
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, format!("http://{HOST}/login"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::from(body)).expect("request")
}

pub fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut builder = Request::get(path).header(header::HOST, HOST);
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::empty()).expect("request")
}

pub async fn login(router: &Router, login: &str, cookie: Option<&str>) -> String {
    let reply = send(
        router,
        form_post(
            "/api/login",
            format!("login={login}&password={PASSWORD}"),
            cookie,
        ),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::FOUND,
        "login {login}: {}",
        reply.body
    );
    assert_eq!(reply.location.as_deref(), Some("/"));
    reply.cookie.expect("session cookie")
}

/// The first sign-in of an account someone else opened: the one-time password leads to the
/// account page, where the person chooses their own; returns the session cookie.
pub async fn first_login(router: &Router, login_name: &str, one_time: &str) -> String {
    let body = format!("login={login_name}&password={}", enc(one_time));
    let reply = send(router, form_post("/api/login", body, None)).await;
    assert_eq!(reply.location.as_deref(), Some("/account"), "{login_name}");
    let cookie = reply.cookie.expect("session cookie");
    let own = enc("青山绿水-长江路-77");
    let change = format!(
        "current_password={}&new_password={own}&confirm_password={own}",
        enc(one_time)
    );
    let reply = submit(router, "/api/account/password", change, &cookie).await;
    assert_eq!(
        reply.location.as_deref(),
        Some("/"),
        "{login_name}: {}",
        reply.body
    );
    cookie
}

/// Ids of the members of a community, read as its own staff.
pub async fn member_ids(
    t: &TestDb,
    w: &World,
    login: &str,
    community: uuid::Uuid,
) -> Vec<uuid::Uuid> {
    let p = w.principal(&t.db, login).await;
    let scope = p.manage_scope(&t.db, community).await.expect("scope");
    let tx = scope.read(&t.db).await.expect("tx");
    let query = members::ListQuery {
        page: 1,
        per_page: 200,
        include_transferred: true,
        ..Default::default()
    };
    let page = members::list(&tx, &query).await.expect("list");
    page.rows.into_iter().map(|r| r.id).collect()
}

pub fn member_form(community: uuid::Uuid, member: &str, name: &str, joined_on: &str) -> String {
    format!(
        "community={community}&member={member}&name={name}&gender=%E5%A5%B3&birth_date=1960-01-01\
         &phone=&joined_on={joined_on}&category=retired&status=normal&unit_id=&building=&unit_no=\
         &room=&employer=&employer_party_org=&interests=&id_last4="
    )
}

pub fn upload(path: &str, file: &[u8], cookie: &str) -> Request<Body> {
    multipart(path, &[], &[("file", "roster.csv", file)], cookie)
}

/// A multipart form post (`fields`, then `files` as `(field, file name, content)`) by the
/// holder of `cookie`.
pub fn multipart(
    path: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
    cookie: &str,
) -> Request<Body> {
    let boundary = "gongjian-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, file_name, content) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                 filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Request::post(path)
        .header(header::HOST, HOST)
        .header(header::ORIGIN, format!("http://{HOST}"))
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::CONTENT_LENGTH, body.len().to_string())
        .body(Body::from(body))
        .expect("request")
}

/// A redirect's address without the page it carries to go to after login (`/login?next=…`).
pub fn without_next(location: &str) -> &str {
    location.split("?next=").next().unwrap_or(location)
}

/// A form value, percent-encoded.
pub fn enc(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// A write that did nothing: not found, forbidden, or sent back to its form with an error
/// (a done write lands on `?saved=1`).
pub fn refused(reply: &Reply) -> bool {
    [StatusCode::NOT_FOUND, StatusCode::FORBIDDEN].contains(&reply.status)
        || (reply.status == StatusCode::FOUND
            && !reply.location.as_deref().unwrap_or("").contains("saved=1"))
}

/// Every login is answered 403 on every write (a form post) and every page, and no answer shows
/// `hidden` (a name only A's staff may read), when given.
pub async fn assert_forbidden(
    router: &Router,
    logins: &[&str],
    writes: &[(&str, String)],
    pages: &[String],
    hidden: Option<&str>,
) {
    for login_name in logins {
        let cookie = login(router, login_name, None).await;
        let posts = writes
            .iter()
            .map(|(path, body)| (*path, form_post(path, body.clone(), Some(&cookie))));
        let gets = pages
            .iter()
            .map(|path| (path.as_str(), get(path, Some(&cookie))));
        for (path, request) in posts.chain(gets).collect::<Vec<_>>() {
            let reply = send(router, request).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{login_name} {path}");
            if let Some(hidden) = hidden {
                assert!(
                    !reply.body.contains(hidden),
                    "{login_name} {path} shows {hidden}"
                );
            }
        }
    }
}

/// A form posted by the holder of `cookie`.
pub async fn submit(router: &Router, path: &str, body: String, cookie: &str) -> Reply {
    send(router, form_post(path, body, Some(cookie))).await
}

/// A page opened by the holder of `cookie`.
pub async fn visit(router: &Router, path: &str, cookie: &str) -> Reply {
    send(router, get(path, Some(cookie))).await
}
