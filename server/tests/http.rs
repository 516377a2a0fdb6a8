//! The real router over HTTP (in-process), on SQLite and PostgreSQL: sessions, every page as
//! every role against other tenants' ids, and the bad-input answers.
mod support;

use clap::Parser;
use domain::both_engines;
use domain::members;
use domain::testing::TestDb;
use http::StatusCode;
use server::cli::Cli;
use support::*;
use tower::ServiceExt;

async fn session_lifecycle(t: TestDb) {
    let (router, w) = setup(&t).await;
    let page = format!("/org/{}", w.community_a.id);
    let first = login(&router, "secretary_a", None).await;
    assert_eq!(visit(&router, &page, &first).await.status, StatusCode::OK);

    // Logging in again on the same browser issues a new id; the old one stops working.
    let second = login(&router, "secretary_a", Some(&first)).await;
    assert_ne!(first, second, "the session id changes at login");
    let old = visit(&router, &page, &first).await;
    assert_eq!(old.status, StatusCode::FOUND);
    assert_eq!(old.location.as_deref().map(without_next), Some("/login"));

    // Logout deletes the session: the cookie no longer opens anything.
    let out = submit(&router, "/api/logout", String::new(), &second).await;
    assert_eq!(out.status, StatusCode::FOUND);
    assert_eq!(out.location.as_deref(), Some("/login?bye=1"));
    let after = visit(&router, &page, &second).await;
    assert_eq!(after.location.as_deref().map(without_next), Some("/login"));

    // A tampered cookie is no session at all.
    let third = login(&router, "secretary_a", None).await;
    let mut tampered = third.clone().into_bytes();
    let last = tampered.len() - 3;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("ascii");
    let reply = visit(&router, &page, &tampered).await;
    assert_eq!(reply.location.as_deref().map(without_next), Some("/login"));
}
both_engines!(sessions_cycle_at_login_and_die_at_logout, session_lifecycle);

async fn cookie_attributes(t: TestDb) {
    let (dev_router, _w) = setup(&t).await;
    let body = format!("login=street&password={PASSWORD}");
    let dev = send(&dev_router, form_post("/api/login", body.clone(), None)).await;
    let header = dev.cookie_header.expect("cookie");
    assert!(
        header.contains("HttpOnly") && header.contains("SameSite=Lax"),
        "{header}"
    );
    assert!(!header.contains("Secure"), "plain http in dev: {header}");

    let secret = "q3Jx9V0mZt7LkPw2Hs5Ne8Ra4Uc1Yb6Gd0Fi3Oj7Tl9Wv2Xe5Kz8Mn1Qp4Sr6Ay0B";
    let prod = Cli::parse_from([
        "gongjian",
        "--mode",
        "production",
        "--session-secret",
        secret,
    ])
    .config;
    let prod_router = server::router::build(&prod, server::router::app_state(&prod, t.db.clone()))
        .expect("router");
    let reply = send(&prod_router, form_post("/api/login", body, None)).await;
    let header = reply.cookie_header.expect("cookie");
    assert!(
        header.contains("Secure") && header.contains("HttpOnly"),
        "{header}"
    );
}
both_engines!(
    session_cookies_are_http_only_same_site_and_secure_in_production,
    cookie_attributes
);

async fn pages_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let nodes = [
        ("宽城区", w.district.id),
        ("朝阳区", w.other_district.id),
        ("站前街道", w.street.id),
        ("群英街道", w.other_street.id),
        ("长江路社区", w.community_a.id),
        ("丹东路社区", w.community_b.id),
        ("鞍山路社区", w.community_c.id),
    ];
    // Which of the nodes above each login may open (the rest must be 403).
    let allowed: [(&str, [bool; 7]); 9] = [
        ("operator", [true; 7]),
        ("district", [true, false, true, true, true, true, true]),
        ("street", [false, false, true, false, true, true, false]),
        (
            "other_street",
            [false, false, false, true, false, false, true],
        ),
        (
            "secretary_a",
            [false, false, false, false, true, false, false],
        ),
        ("worker_b", [false, false, false, false, false, true, false]),
        (
            "secretary_c",
            [false, false, false, false, false, false, true],
        ),
        ("member_a", [false, false, false, false, true, false, false]),
        ("liaison", [false, false, true, false, false, false, false]),
    ];
    for (login_name, row) in allowed {
        let cookie = login(&router, login_name, None).await;
        for ((name, id), ok) in nodes.iter().zip(row) {
            let reply = visit(&router, &format!("/org/{id}"), &cookie).await;
            if ok {
                assert_eq!(reply.status, StatusCode::OK, "{login_name} opens {name}");
                assert!(reply.body.contains(name));
            } else {
                assert_eq!(
                    reply.status,
                    StatusCode::FORBIDDEN,
                    "{login_name} on {name}"
                );
                assert!(reply.body.contains("无权访问"));
                assert!(
                    !reply.body.contains(name),
                    "{login_name} must not see {name}"
                );
            }
            // Personal data shows only on the community's own staff page.
            let own_staff = ["secretary_a"].contains(&login_name) && *id == w.community_a.id;
            if !own_staff {
                assert!(
                    !reply.body.contains("欧阳秀兰"),
                    "{login_name} on {name} leaks a member"
                );
            }
        }
    }
}
both_engines!(every_page_as_every_role, pages_as_every_role);

async fn street_sees_counts_by_category(t: TestDb) {
    let (router, w) = setup(&t).await;
    let cookie = login(&router, "street", None).await;
    for node in [w.street.id, w.community_a.id] {
        let page = visit(&router, &format!("/org/{node}"), &cookie).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("党员分类") && page.body.contains("离退休"));
        assert!(
            page.body.contains("<dt>离退休</dt><dd>2</dd>"),
            "two retired members in A"
        );
        assert!(!page.body.contains("欧阳秀兰"), "no person in a rollup");
    }
}
both_engines!(
    the_street_sees_members_by_category_and_status,
    street_sees_counts_by_category
);

async fn bad_input(t: TestDb) {
    let (router, w) = setup(&t).await;
    // Wrong password, unknown user, empty and over-long fields: back to the form with a reason.
    for (body, code) in [
        (
            format!("login=secretary_a&password=wrong-{PASSWORD}"),
            "bad_credentials",
        ),
        (
            format!("login=nobody&password={PASSWORD}"),
            "bad_credentials",
        ),
        ("login=&password=".to_owned(), "invalid"),
        (
            format!("login={}&password=x", "x".repeat(10_000)),
            "invalid",
        ),
    ] {
        let reply = send(&router, form_post("/api/login", body, None)).await;
        assert_eq!(reply.status, StatusCode::FOUND);
        assert_eq!(reply.location, Some(format!("/login?error={code}")));
        assert!(reply.cookie.is_none());
    }
    let page = send(&router, get("/login?error=bad_credentials", None)).await;
    assert!(page.body.contains("用户名或密码错误"));

    let cookie = login(&router, "street", None).await;
    // Malformed and foreign ids: 404, never data.
    for path in [
        "/org/not-a-uuid",
        "/org/0193a1d2-7c00-7000-8000-000000000000",
        "/nowhere",
    ] {
        let reply = visit(&router, path, &cookie).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
    }
    // Cross-site form post: 403 before any server function runs.
    let mut evil = form_post(
        "/api/login",
        format!("login=street&password={PASSWORD}"),
        None,
    );
    evil.headers_mut().insert(
        header::ORIGIN,
        "http://evil.example".parse().expect("header"),
    );
    assert_eq!(send(&router, evil).await.status, StatusCode::FORBIDDEN);
    // A body over the limit: 413.
    let huge = "x".repeat(server::router::BODY_LIMIT_BYTES + 1);
    let mut request = form_post("/api/login", huge.clone(), None);
    request.headers_mut().insert(
        header::CONTENT_LENGTH,
        huge.len().to_string().parse().expect("header"),
    );
    assert_eq!(
        send(&router, request).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    // Not signed in: to the login page.
    let anonymous = send(&router, get(&format!("/org/{}", w.street.id), None)).await;
    assert_eq!(anonymous.status, StatusCode::FOUND);
    assert_eq!(
        anonymous.location.as_deref().map(without_next),
        Some("/login")
    );
}
both_engines!(bad_input_gets_a_clear_answer, bad_input);

async fn language_and_health(t: TestDb) {
    let (router, _w) = setup(&t).await;
    let reply = send(
        &router,
        form_post("/api/set_language", "lang=en&back=/login".into(), None),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert_eq!(reply.location.as_deref().map(without_next), Some("/login"));
    let english = send(&router, get("/login", Some("lang=en"))).await;
    assert!(english.body.contains("Log in") && english.body.contains("lang=\"en\""));
    let chinese = send(&router, get("/login", None)).await;
    assert!(chinese.body.contains("登录") && chinese.body.contains("lang=\"zh-CN\""));
    let open_redirect = send(
        &router,
        form_post(
            "/api/set_language",
            "lang=en&back=//evil.example".into(),
            None,
        ),
    )
    .await;
    assert_eq!(open_redirect.location.as_deref(), Some("/"));
    let health = send(&router, get("/healthz", None)).await;
    assert_eq!(
        (health.status, health.body.as_str()),
        (StatusCode::OK, "ok")
    );
}
both_engines!(language_switch_and_health, language_and_health);

async fn unit_switcher(t: TestDb) {
    let (router, w) = setup(&t).await;
    let street = w.account("street");
    domain::auth::users::grant_role(
        &t.db,
        None,
        street.user_id,
        w.community_a.id,
        domain::auth::Role::CommunityWorker,
    )
    .await
    .expect("second role");
    let cookie = login(&router, "street", None).await;
    let page = visit(&router, &format!("/org/{}", w.street.id), &cookie).await;
    assert!(page.body.contains("切换组织"));
    assert!(page
        .body
        .contains(&format!("href=\"/org/{}\"", w.community_a.id)));
    assert!(page.body.contains("党务工作者 · 长江路社区"));
    // With the second role the community page is now the detail view.
    let community = visit(&router, &format!("/org/{}", w.community_a.id), &cookie).await;
    assert!(community.body.contains("组织设置"));
    // A user with one role gets no switcher.
    let single = login(&router, "worker_b", None).await;
    let page = visit(&router, &format!("/org/{}", w.community_b.id), &single).await;
    assert!(!page.body.contains("切换组织"));
}
both_engines!(users_with_several_roles_can_switch_units, unit_switcher);

async fn roster_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let a_members = member_ids(&t, &w, "secretary_a", w.community_a.id).await;
    assert_eq!(a_members.len(), 2);
    let a = w.community_a.id;
    let pages = [
        format!("/org/{a}/members"),
        format!("/org/{a}/members/new"),
        format!("/org/{a}/members/{}", a_members[0]),
        format!("/org/{a}/members/{}/edit", a_members[0]),
    ];
    for login_name in [not_staff_of_a(), vec!["secretary_a"]].concat() {
        let cookie = login(&router, login_name, None).await;
        for path in &pages {
            let reply = visit(&router, path, &cookie).await;
            if login_name == "secretary_a" {
                assert_eq!(reply.status, StatusCode::OK, "{login_name} {path}");
            } else {
                assert_eq!(reply.status, StatusCode::FORBIDDEN, "{login_name} {path}");
                assert!(
                    !reply.body.contains("欧阳秀兰"),
                    "{login_name} {path} leaks"
                );
            }
        }
        // Writes into A: only its secretary's goes through.
        let before = member_ids(&t, &w, "secretary_a", a).await.len();
        let body = member_form(a, "", "%E5%85%A5%E4%BE%B5%E8%80%85", "1990-07-01");
        let reply = submit(&router, "/api/members/save", body, &cookie).await;
        let after = member_ids(&t, &w, "secretary_a", a).await.len();
        if login_name == "secretary_a" {
            assert_eq!(reply.status, StatusCode::FOUND);
            assert!(reply
                .location
                .as_deref()
                .is_some_and(|l| l.contains("saved=1")));
            assert_eq!(after, before + 1);
        } else {
            assert_eq!(
                reply.status,
                StatusCode::FORBIDDEN,
                "{login_name} writes into A"
            );
            assert_eq!(after, before, "{login_name} wrote into A");
        }
        // Changing A's member from anyone else's community scope: refused, nothing changes.
        if login_name == "worker_b" {
            let body = member_form(
                w.community_b.id,
                &a_members[0].to_string(),
                "x",
                "1990-07-01",
            );
            let reply = submit(&router, "/api/members/save", body, &cookie).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND);
            let own_b = format!("/org/{}/members/{}", w.community_b.id, a_members[0]);
            assert_eq!(
                visit(&router, &own_b, &cookie).await.status,
                StatusCode::NOT_FOUND
            );
        }
    }
    let names = {
        let p = w.principal(&t.db, "secretary_a").await;
        let scope = p.manage_scope(&t.db, a).await.expect("scope");
        let tx = scope.read(&t.db).await.expect("tx");
        let query = members::ListQuery {
            page: 1,
            per_page: 50,
            ..Default::default()
        };
        members::list(&tx, &query)
            .await
            .expect("list")
            .rows
            .into_iter()
            .map(|r| r.name)
            .collect::<Vec<_>>()
    };
    assert!(!names.contains(&"x".to_owned()));
}
both_engines!(the_roster_as_every_role, roster_as_every_role);

async fn refused_saves_come_back_to_the_form(t: TestDb) {
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let cookie = login(&router, "secretary_a", None).await;
    let before = member_ids(&t, &w, "secretary_a", a).await.len();
    let body = member_form(a, "", "%E6%9D%8E%E6%98%A5%E7%94%9F", "2099-07-01");
    let reply = submit(&router, "/api/members/save", body, &cookie).await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert_eq!(reply.location, Some(format!("/org/{a}/members/new")));
    assert_eq!(
        member_ids(&t, &w, "secretary_a", a).await.len(),
        before,
        "nothing stored"
    );
    let form = visit(&router, &format!("/org/{a}/members/new"), &cookie).await;
    assert!(
        form.body.contains("入党日期不能晚于今天"),
        "the reason is shown"
    );
    assert!(
        form.body.contains("value=\"李春生\""),
        "what was typed is kept"
    );
    // The flash is shown once.
    let again = visit(&router, &format!("/org/{a}/members/new"), &cookie).await;
    assert!(!again.body.contains("入党日期不能晚于今天"));
    // An over-long name and a malformed community id.
    let long = member_form(a, "", &"x".repeat(10_000), "1990-07-01");
    let reply = submit(&router, "/api/members/save", long, &cookie).await;
    assert_eq!(reply.location, Some(format!("/org/{a}/members/new")));
    let bad = member_form(a, "", "x", "1990-07-01").replace(&a.to_string(), "not-a-uuid");
    let reply = submit(&router, "/api/members/save", bad, &cookie).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(member_ids(&t, &w, "secretary_a", a).await.len(), before);
}
both_engines!(
    refused_saves_come_back_with_the_reason,
    refused_saves_come_back_to_the_form
);

async fn export_as_every_role(t: TestDb) {
    use calamine::Reader;
    let (router, w) = setup(&t).await;
    let path = format!("/org/{}/roster.xlsx", w.community_a.id);
    let anonymous = send(&router, get(&path, None)).await;
    assert_eq!(
        anonymous.location.as_deref().map(without_next),
        Some("/login")
    );
    let pages = [path.clone()];
    assert_forbidden(&router, &not_staff_of_a(), &[], &pages, Some("欧阳秀兰")).await;
    assert!(domain::audit::recent(&t.db, "roster_exported", 10)
        .await
        .expect("audit")
        .is_empty());

    let cookie = login(&router, "secretary_a", None).await;
    let response = router
        .clone()
        .oneshot(get(&format!("{path}?q=%E6%AC%A7%E9%98%B3"), Some(&cookie)))
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("ascii")
        .starts_with("attachment;"));
    let bytes = to_bytes(response.into_body(), 1 << 20).await.expect("body");
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx file");
    let sheet = book.worksheet_range("党员名册").expect("sheet");
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        rows[0],
        domain::members::HEADERS.map(str::to_owned).to_vec()
    );
    assert_eq!(rows.len(), 2, "the filter (欧阳) applies to the export");
    assert_eq!(rows[1][0], "欧阳秀兰");
    assert_eq!(rows[1][5], "离退休");
    let audit = domain::audit::recent(&t.db, "roster_exported", 10)
        .await
        .expect("audit");
    assert_eq!(audit.len(), 1);
    assert_eq!(
        audit[0].actor_user_id,
        Some(w.account("secretary_a").user_id)
    );
    assert!(audit[0].detail.contains("\"rows\":1"));
}
both_engines!(the_export_is_for_keepers_and_audited, export_as_every_role);

const ROSTER_CSV: &str = "姓名,性别,出生日期,手机号,入党日期,党员分类\n\
    钱海燕,女,1970-01-01,13700000001,1995-07-01,自管居民\n\
    孔德明,男,1960-01-01,,2099-07-01,离退休\n";

async fn import_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let path = format!("/org/{a}/roster/import");
    let before = member_ids(&t, &w, "secretary_a", a).await.len();
    for login_name in not_staff_of_a() {
        let cookie = login(&router, login_name, None).await;
        let reply = send(&router, upload(&path, ROSTER_CSV.as_bytes(), &cookie)).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{login_name} imports into A"
        );
        let template = visit(&router, &format!("/org/{a}/roster-template.xlsx"), &cookie).await;
        assert_eq!(
            template.status,
            StatusCode::FORBIDDEN,
            "{login_name} template"
        );
    }
    assert_eq!(member_ids(&t, &w, "secretary_a", a).await.len(), before);

    let cookie = login(&router, "secretary_a", None).await;
    let reply = send(&router, upload(&path, ROSTER_CSV.as_bytes(), &cookie)).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let job = reply.location.expect("job page");
    assert!(job.starts_with(&format!("/org/{a}/members/import/")));
    let mut page = String::new();
    for _ in 0..200 {
        page = visit(&router, &job, &cookie).await.body;
        if page.contains("导入完成") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        page.contains("导入完成：成功 1 人，未导入 1 行。"),
        "{page}"
    );
    assert!(page.contains("孔德明") && page.contains("入党日期不能晚于今天"));
    assert_eq!(member_ids(&t, &w, "secretary_a", a).await.len(), before + 1);
    // The report is the uploader's: another community's secretary cannot open it.
    let other = login(&router, "secretary_c", None).await;
    assert_eq!(
        visit(&router, &job, &other).await.status,
        StatusCode::FORBIDDEN
    );
    let foreign_job = job.replace(&a.to_string(), &w.community_c.id.to_string());
    assert_eq!(
        visit(&router, &foreign_job, &other).await.status,
        StatusCode::NOT_FOUND
    );
}
both_engines!(imports_as_every_role, import_as_every_role);

async fn bad_uploads(t: TestDb) {
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let path = format!("/org/{a}/roster/import");
    let cookie = login(&router, "secretary_a", None).await;
    let before = member_ids(&t, &w, "secretary_a", a).await.len();
    // Not an xlsx although it starts like one: back to the form with the reason.
    let reply = send(&router, upload(&path, b"PK\x03\x04garbage", &cookie)).await;
    assert_eq!(reply.location, Some(format!("/org/{a}/members/import")));
    let form = visit(&router, &format!("/org/{a}/members/import"), &cookie).await;
    assert!(form.body.contains("文件无法读取"), "{}", form.body);
    // 2 MB is fine for an upload (over the limit of other requests) …
    let mut big = ROSTER_CSV.as_bytes().to_vec();
    big.resize(2 * 1024 * 1024, b'\n');
    let reply = send(&router, upload(&path, &big, &cookie)).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    // … 50 MB is not.
    let huge = vec![b'x'; 50 * 1024 * 1024];
    assert_eq!(
        send(&router, upload(&path, &huge, &cookie)).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    // Cross-site upload.
    let mut evil = upload(&path, ROSTER_CSV.as_bytes(), &cookie);
    evil.headers_mut().insert(
        header::ORIGIN,
        "http://evil.example".parse().expect("header"),
    );
    assert_eq!(send(&router, evil).await.status, StatusCode::FORBIDDEN);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(member_ids(&t, &w, "secretary_a", a).await.len() <= before + 1);
}
both_engines!(bad_uploads_get_a_clear_answer, bad_uploads);

async fn units_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let units = |t: &TestDb, w: &World| {
        let db = t.db.clone();
        let node = w.community_a.id;
        let user = w.account("secretary_a").user_id;
        async move {
            let p = domain::auth::Principal::load(&db, user)
                .await
                .expect("load")
                .expect("active");
            let scope = p.manage_scope(&db, node).await.expect("scope");
            let tx = scope.read(&db).await.expect("tx");
            domain::org::placements::list_placements(&tx)
                .await
                .expect("units")
        }
    };
    let body = format!(
        "community={a}&unit=&kind=grid_branch&name=%E7%AC%AC%E5%9B%9B%E7%BD%91%E6%A0%BC&parent="
    );
    let writes = [("/api/units/save", body.clone())];
    assert_forbidden(&router, &not_staff_of_a(), &writes, &[], None).await;
    assert_eq!(units(&t, &w).await.len(), 0);
    let cookie = login(&router, "secretary_a", None).await;
    let reply = submit(&router, "/api/units/save", body, &cookie).await;
    assert_eq!(reply.location, Some(format!("/org/{a}#units")));
    assert_eq!(units(&t, &w).await.len(), 1);
    let page = visit(&router, &format!("/org/{a}"), &cookie).await;
    assert!(page.body.contains("第四网格") && page.body.contains("新增楼栋党小组"));
    // A wrong level comes back as a message on the community page.
    let bad = format!("community={a}&unit=&kind=central_household&name=x&parent=");
    let reply = submit(&router, "/api/units/save", bad, &cookie).await;
    assert_eq!(reply.location, Some(format!("/org/{a}")));
    let page = visit(&router, &format!("/org/{a}"), &cookie).await;
    assert!(
        page.body.contains("上级组织层级不对"),
        "the reason is shown"
    );
    assert_eq!(units(&t, &w).await.len(), 1);

    // 成立日期: dated by the community's staff only; the edit form's empty field clears it.
    let branch = units(&t, &w).await[0].id;
    let founded = || async { units(&t, &w).await[0].founded_on.map(|d| d.to_string()) };
    let edit = |date: &str| {
        format!(
            "community={a}&unit={branch}&kind=grid_branch&name=%E7%AC%AC%E5%9B%9B%E7%BD%91%E6%A0%BC&parent=&founded={date}"
        )
    };
    let writes = [("/api/units/save", edit("2026-06-10"))];
    assert_forbidden(&router, &not_staff_of_a(), &writes, &[], None).await;
    assert_eq!(founded().await, None);
    let reply = submit(&router, "/api/units/save", edit("2026-06-10"), &cookie).await;
    assert_eq!(reply.location, Some(format!("/org/{a}#units")));
    assert_eq!(founded().await.as_deref(), Some("2026-06-10"));
    let page = visit(&router, &format!("/org/{a}"), &cookie).await;
    assert!(page.body.contains("2026-06-10 成立"));
    let reply = submit(&router, "/api/units/save", edit("2099-01-01"), &cookie).await;
    assert_eq!(reply.location, Some(format!("/org/{a}")));
    let page = visit(&router, &format!("/org/{a}"), &cookie).await;
    assert!(page.body.contains("成立日期不能晚于今天"));
    assert_eq!(founded().await.as_deref(), Some("2026-06-10"));
    // A caller that leaves the field out (a form from before it existed) keeps the date.
    let renamed = format!("community={a}&unit={branch}&kind=grid_branch&name=%E7%AC%AC%E5%9B%9B%E7%BD%91%E6%A0%BC&parent=");
    let reply = submit(&router, "/api/units/save", renamed, &cookie).await;
    assert_eq!(reply.location, Some(format!("/org/{a}#units")));
    assert_eq!(founded().await.as_deref(), Some("2026-06-10"), "kept");
    submit(&router, "/api/units/save", edit(""), &cookie).await;
    assert_eq!(founded().await, None, "cleared");
}
both_engines!(
    units_are_organised_only_by_their_community,
    units_as_every_role
);

async fn transfers_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let target = member_ids(&t, &w, "secretary_a", a).await[0];
    let body = format!(
        "community={a}&member={target}&date=2024-03-01&counterpart=%E5%8D%97%E5%85%B3%E5%8C%BA%E5%A7%94"
    );
    let transfers_page = format!("/org/{a}/members/transfers");
    let writes = [("/api/members/transfer_out", body.clone())];
    let pages = [transfers_page.clone()];
    assert_forbidden(&router, &not_staff_of_a(), &writes, &pages, None).await;
    assert_eq!(member_ids(&t, &w, "secretary_a", a).await.len(), 2);
    let cookie = login(&router, "secretary_a", None).await;
    // A future date comes back to the member page with the reason.
    let future = body.replace("2024-03-01", "2099-03-01");
    let reply = submit(&router, "/api/members/transfer_out", future, &cookie).await;
    assert_eq!(reply.location, Some(format!("/org/{a}/members/{target}")));
    let page = visit(&router, &format!("/org/{a}/members/{target}"), &cookie).await;
    assert!(page.body.contains("接转日期不能晚于今天"));
    let reply = submit(&router, "/api/members/transfer_out", body, &cookie).await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{a}/members/{target}?saved=1"))
    );
    let page = visit(&router, &transfers_page, &cookie).await;
    assert!(page.body.contains("南关区委") && page.body.contains("转出"));
    let roster = visit(&router, &format!("/org/{a}/members"), &cookie).await;
    assert!(
        roster.body.contains("共 1 人"),
        "transferred out leaves the roster"
    );
}
both_engines!(
    transfers_are_made_only_by_the_community,
    transfers_as_every_role
);

async fn floating_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let target = member_ids(&t, &w, "secretary_a", a).await[0];
    let yesterday = (domain::testing::today() - chrono::Duration::days(1)).to_string();
    let contact = format!(
        "community={a}&member={target}&date={yesterday}&method=phone&reached=on&city=%E6%B7%B1%E5%9C%B3&note="
    );
    let days = format!("community={a}&days=30");
    let page = format!("/org/{a}/members/floating");
    let writes = [
        ("/api/members/contact", contact.clone()),
        ("/api/members/lost_contact_days", days.clone()),
    ];
    assert_forbidden(
        &router,
        &not_staff_of_a(),
        &writes,
        std::slice::from_ref(&page),
        None,
    )
    .await;
    let cookie = login(&router, "secretary_a", None).await;
    let reply = submit(&router, "/api/members/contact", contact, &cookie).await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{a}/members/{target}?saved=1#contacts"))
    );
    let member_page = visit(&router, &format!("/org/{a}/members/{target}"), &cookie).await;
    assert!(member_page.body.contains("深圳") && member_page.body.contains("联系记录"));
    let reply = submit(&router, "/api/members/lost_contact_days", days, &cookie).await;
    assert_eq!(reply.location, Some(page.clone()));
    let floating = visit(&router, &page, &cookie).await;
    assert_eq!(floating.status, StatusCode::OK);
    assert!(floating.body.contains("超过 30 天未联系上"));
    let bad = format!("community={a}&days=abc");
    submit(&router, "/api/members/lost_contact_days", bad, &cookie).await;
    let floating = visit(&router, &page, &cookie).await;
    assert!(
        floating
            .body
            .contains("超过多少天未联系上视为失联格式不正确"),
        "the reason is shown"
    );
}
both_engines!(
    floating_members_are_followed_only_by_their_community,
    floating_as_every_role
);

async fn care_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let target = member_ids(&t, &w, "secretary_a", a).await[0];
    let today = domain::testing::today();
    let body = format!(
        "community={a}&member={target}&date={today}&kind=visit&help=%E6%85%B0%E9%97%AE%E9%87%91&amount=300&note="
    );
    let page = format!("/org/{a}/members/care");
    let writes = [("/api/members/care", body.clone())];
    assert_forbidden(
        &router,
        &not_staff_of_a(),
        &writes,
        std::slice::from_ref(&page),
        None,
    )
    .await;
    let cookie = login(&router, "secretary_a", None).await;
    let reply = submit(&router, "/api/members/care", body.clone(), &cookie).await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{a}/members/{target}?saved=1#care"))
    );
    let member_page = visit(&router, &format!("/org/{a}/members/{target}"), &cookie).await;
    assert!(member_page.body.contains("慰问金") && member_page.body.contains("300.00"));
    let bad = body.replace("amount=300", "amount=-3");
    let reply = submit(&router, "/api/members/care", bad, &cookie).await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{a}/members/{target}#care"))
    );
    let member_page = visit(&router, &format!("/org/{a}/members/{target}"), &cookie).await;
    assert!(member_page.body.contains("金额（元）格式不正确"));
    assert_eq!(visit(&router, &page, &cookie).await.status, StatusCode::OK);
}
both_engines!(care_is_recorded_only_by_the_community, care_as_every_role);
