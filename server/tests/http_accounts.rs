//! The accounts pages over HTTP on both engines: A's page is its secretary's alone; every other
//! role, posting on its own node or on A's, opens, resets, deactivates and revokes nothing in
//! A; A's secretary opens a worker's account and sees its one-time password once; the street
//! above may reset it; a revoked role stops working on the session's next request.
mod support;

use domain::auth::{users, Principal};
use domain::both_engines;
use domain::testing::assignment_of;
use support::*;
use uuid::Uuid;

async fn active(t: &TestDb, id: Uuid) -> bool {
    Principal::load(&t.db, id).await.expect("load").is_some()
}

async fn accounts_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let page = format!("/org/{a}/accounts");
    let secretary = login(&router, "secretary_a", None).await;
    assert_eq!(
        visit(&router, &page, &secretary).await.status,
        StatusCode::OK
    );

    // A's secretary opens a worker's account: the one-time password shows once.
    let open = |node: Uuid, login_name: &str| {
        format!("node={node}&login_name={login_name}&display_name=%E7%8E%8B%E5%B0%8F%E4%B8%BD&phone=&role=community_worker&place={a}")
    };
    let reply = submit(
        &router,
        "/api/accounts/open",
        open(a, "xiaowang"),
        &secretary,
    )
    .await;
    assert!(
        reply.location.as_deref().unwrap_or("").contains("saved=1"),
        "{:?}",
        reply.location
    );
    let shown = visit(&router, &page, &secretary).await;
    assert!(shown.body.contains("xiaowang"), "{}", shown.body);
    let password = regex::Regex::new(r"<code>([A-Za-z0-9]{12})</code>")
        .expect("regex")
        .captures(&shown.body)
        .map(|c| c[1].to_owned())
        .expect("one-time password shown");
    let again = visit(&router, &page, &secretary).await;
    assert!(!again.body.contains(&password), "shown only once");
    let worker = users::find_by_login(&t.db, "xiaowang")
        .await
        .expect("read")
        .expect("account")
        .id;
    let assignment = assignment_of(&t.db, worker, a).await;

    for login_name in [
        "operator",
        "district",
        "other_street",
        "worker_b",
        "secretary_c",
        "member_a",
        "liaison",
    ] {
        let cookie = login(&router, login_name, None).await;
        assert_eq!(
            visit(&router, &page, &cookie).await.status,
            StatusCode::FORBIDDEN,
            "{login_name}"
        );
        let own = w.account(login_name).node;
        for node in [a, own] {
            let posts = [
                ("/api/accounts/open", open(node, "intruder")),
                (
                    "/api/accounts/reset",
                    format!("node={node}&account={worker}"),
                ),
                (
                    "/api/accounts/active",
                    format!("node={node}&account={worker}&active=false"),
                ),
                (
                    "/api/accounts/revoke",
                    format!("node={node}&assignment={assignment}"),
                ),
                (
                    "/api/accounts/grant",
                    format!("node={node}&login=member_a&role=community_worker&place={a}"),
                ),
            ];
            for (path, body) in posts {
                let reply = submit(&router, path, body, &cookie).await;
                assert!(
                    refused(&reply),
                    "{login_name} {path} on {node}: {} {:?}",
                    reply.status,
                    reply.location
                );
            }
        }
        // No one-time password was handed to them.
        let mine = visit(&router, &format!("/org/{own}/accounts"), &cookie).await;
        assert!(!mine.body.contains("<code>"), "{login_name}");
    }
    assert!(users::find_by_login(&t.db, "intruder")
        .await
        .expect("read")
        .is_none());
    assert!(active(&t, worker).await);
    let p = Principal::load(&t.db, w.account("member_a").user_id)
        .await
        .expect("load")
        .expect("active");
    assert_eq!(p.assignments.len(), 1, "member_a gained no role");
    assert_eq!(
        domain::auth::login(
            &t.db,
            &domain::auth::LoginGuard::new(100),
            "xiaowang",
            &password,
            None
        )
        .await,
        Ok(worker),
        "the one-time password still holds"
    );

    // The street above resets it (a new password shows to the street), and deactivates it.
    let street = login(&router, "street", None).await;
    let street_page = format!("/org/{}/accounts", w.street.id);
    let reply = submit(
        &router,
        "/api/accounts/reset",
        format!("node={}&account={worker}", w.street.id),
        &street,
    )
    .await;
    assert!(reply.location.as_deref().unwrap_or("").contains("saved=1"));
    let shown = visit(&router, &street_page, &street).await;
    assert!(shown.body.contains("<code>"));
    let reply = submit(
        &router,
        "/api/accounts/active",
        format!("node={}&account={worker}&active=false", w.street.id),
        &street,
    )
    .await;
    assert!(reply.location.as_deref().unwrap_or("").contains("saved=1"));
    assert!(!active(&t, worker).await);
}
both_engines!(accounts_endpoints_as_every_role, accounts_as_every_role);

async fn revoked_role_stops_at_once(t: TestDb) {
    let (router, w) = setup(&t).await;
    let street_cookie = login(&router, "street", None).await;
    let street_home = format!("/org/{}", w.street.id);
    assert_eq!(
        visit(&router, &street_home, &street_cookie).await.status,
        StatusCode::OK
    );
    let district = login(&router, "district", None).await;
    let assignment = assignment_of(&t.db, w.account("street").user_id, w.street.id).await;
    let reply = submit(
        &router,
        "/api/accounts/revoke",
        format!("node={}&assignment={assignment}", w.district.id),
        &district,
    )
    .await;
    assert!(
        reply.location.as_deref().unwrap_or("").contains("saved=1"),
        "{:?}",
        reply.location
    );
    assert_eq!(
        visit(&router, &street_home, &street_cookie).await.status,
        StatusCode::FORBIDDEN
    );
    // The district's own role is not the district's to take back.
    let own = assignment_of(&t.db, w.account("district").user_id, w.district.id).await;
    let reply = submit(
        &router,
        "/api/accounts/revoke",
        format!("node={}&assignment={own}", w.district.id),
        &district,
    )
    .await;
    assert!(refused(&reply));
    let page = visit(
        &router,
        &format!("/org/{}/accounts", w.district.id),
        &district,
    )
    .await;
    assert!(page.body.contains("是您自己的角色"), "{}", page.body);
}
both_engines!(
    a_revoked_role_stops_working_on_the_next_request,
    revoked_role_stops_at_once
);

/// A person with several roles sees in the header which one each page is seen in, and the
/// switcher marks it.
async fn the_role_a_page_is_seen_in(t: TestDb) {
    let (router, w) = setup(&t).await;
    let street = w.account("street").user_id;
    domain::auth::users::grant_role(
        &t.db,
        None,
        street,
        w.community_a.id,
        domain::auth::Role::CommunityWorker,
    )
    .await
    .expect("second role");
    let cookie = login(&router, "street", None).await;
    let acting = |body: &str| {
        regex::Regex::new(r#"<span class="acting">当前身份：([^<]*)</span>"#)
            .expect("regex")
            .captures(body)
            .map(|c| c[1].to_owned())
    };
    let on_street = visit(&router, &format!("/org/{}", w.street.id), &cookie).await;
    assert_eq!(
        acting(&on_street.body).as_deref(),
        Some("街道党工委 · 站前街道")
    );
    let on_a = visit(
        &router,
        &format!("/org/{}/members", w.community_a.id),
        &cookie,
    )
    .await;
    assert_eq!(on_a.status, StatusCode::OK);
    assert_eq!(
        acting(&on_a.body).as_deref(),
        Some("党务工作者 · 长江路社区")
    );
    assert!(
        on_a.body.contains(&format!(
            r#"href="/org/{}" aria-current="true""#,
            w.community_a.id
        )),
        "{}",
        on_a.body
    );
    // Community B is seen from the street above it.
    let on_b = visit(&router, &format!("/org/{}", w.community_b.id), &cookie).await;
    assert_eq!(acting(&on_b.body).as_deref(), Some("街道党工委 · 站前街道"));
}
both_engines!(
    the_header_says_which_role_a_page_is_seen_in,
    the_role_a_page_is_seen_in
);

/// A 支部书记 over HTTP: A's secretary opens the account for one of A's branches (another
/// tenant's branch id is refused, by A's secretary and by B's worker alike); at first login its
/// holder sees their branch's roster and members, and the community's other pages refuse them.
async fn branch_secretary_over_http(t: TestDb) {
    use domain::org::placements::{create_placement, PlacementKind};
    use domain::tenancy::Commit;
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let b = w.community_b.id;
    let tx = w.write_as(&t.db, "secretary_a", a).await;
    let first = create_placement(&tx, PlacementKind::GridBranch, "第一网格党支部", None)
        .await
        .expect("branch");
    let second = create_placement(&tx, PlacementKind::GridBranch, "第二网格党支部", None)
        .await
        .expect("branch");
    let placed = |name: &str, unit| domain::members::MemberInput {
        unit_id: Some(unit),
        ..domain::testing::member_input(name)
    };
    let today = domain::testing::today();
    domain::members::create(&tx, &placed("张一", first), None, today)
        .await
        .expect("member");
    let wang = domain::members::create(&tx, &placed("王三", second), None, today)
        .await
        .expect("member");
    tx.commit().await.expect("commit");
    let tx = w.write_as(&t.db, "worker_b", b).await;
    let b_branch = create_placement(&tx, PlacementKind::GridBranch, "B支部", None)
        .await
        .expect("branch");
    tx.commit().await.expect("commit");

    let open = |node: Uuid, place: Uuid, branch: Uuid| {
        format!("node={node}&login_name=zhishu&display_name=zhishu&phone=&role=branch_secretary&place={place}&branch={branch}")
    };
    let secretary = login(&router, "secretary_a", None).await;
    let worker_b = login(&router, "worker_b", None).await;
    for (body, cookie) in [
        (open(a, a, b_branch), &secretary),
        (open(b, b, first), &worker_b),
        (open(b, a, first), &worker_b),
    ] {
        let reply = submit(&router, "/api/accounts/open", body.clone(), cookie).await;
        assert!(refused(&reply), "{body}: {:?}", reply.location);
    }
    assert!(users::find_by_login(&t.db, "zhishu")
        .await
        .expect("read")
        .is_none());

    let reply = submit(&router, "/api/accounts/open", open(a, a, first), &secretary).await;
    assert!(reply.location.as_deref().unwrap_or("").contains("saved=1"));
    let shown = visit(&router, &format!("/org/{a}/accounts"), &secretary).await;
    assert!(
        shown
            .body
            .contains("支部书记 · 长江路社区 · 第一网格党支部"),
        "{}",
        shown.body
    );
    let password = regex::Regex::new(r"<code>([A-Za-z0-9]{12})</code>")
        .expect("regex")
        .captures(&shown.body)
        .map(|c| c[1].to_owned())
        .expect("one-time password shown");
    let cookie = first_login(&router, "zhishu", &password).await;

    let home = visit(&router, &format!("/org/{a}"), &cookie).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("第一网格党支部"), "{}", home.body);
    assert!(
        !home.body.contains(&format!("/org/{a}/needs")),
        "no co-construction link"
    );
    let roster = visit(&router, &format!("/org/{a}/members"), &cookie).await;
    assert_eq!(roster.status, StatusCode::OK);
    assert!(roster.body.contains("张一") && !roster.body.contains("王三"));
    assert!(
        !roster.body.contains("第二网格党支部"),
        "other branches' names"
    );
    assert!(
        !roster.body.contains(&format!("/org/{a}/members/new")),
        "no keeper's buttons"
    );
    for page in [
        format!("/org/{a}/members/{wang}"),
        format!("/org/{a}/members/floating"),
        format!("/org/{a}/dashboard"),
        format!("/org/{a}/needs"),
        format!("/org/{a}/volunteers"),
        format!("/org/{b}/members"),
    ] {
        let reply = visit(&router, &page, &cookie).await;
        assert!(refused(&reply), "{page}: {}", reply.status);
        assert!(!reply.body.contains("王三"), "{page}");
    }
}
both_engines!(a_branch_secretary_over_http, branch_secretary_over_http);

/// Accounts, roles and sessions are kept in memory between requests; every change made to them
/// is obeyed on the very next request all the same: a role granted, a role taken back, an
/// account closed, a password reset (its sessions end).
async fn changes_obeyed_on_the_next_request(t: TestDb) {
    let (router, w) = setup(&t).await;
    let street = w.principal(&t.db, "street").await;
    let worker = w.account("worker_b").user_id;
    let (a, b) = (
        format!("/org/{}", w.community_a.id),
        format!("/org/{}", w.community_b.id),
    );
    let cookie = login(&router, "worker_b", None).await;
    let status = |path: String| {
        let (router, cookie) = (router.clone(), cookie.clone());
        async move { visit(&router, &path, &cookie).await.status }
    };
    assert_eq!(status(b.clone()).await, StatusCode::OK);
    assert_eq!(status(a.clone()).await, StatusCode::FORBIDDEN);

    // Granted a role in A: A opens on the next request.
    let place = w.community_a.id.to_string();
    domain::auth::admin::grant(&t.db, &street, "worker_b", "community_worker", &place, "")
        .await
        .expect("granted");
    assert_eq!(status(a.clone()).await, StatusCode::OK);

    // Taken back: refused on the next request.
    let in_a = assignment_of(&t.db, worker, w.community_a.id).await;
    domain::auth::admin::revoke(&t.db, &street, in_a)
        .await
        .expect("revoked");
    assert_eq!(status(a.clone()).await, StatusCode::FORBIDDEN);
    assert_eq!(status(b.clone()).await, StatusCode::OK);

    // A reset password ends the session: the next request is signed out.
    domain::auth::admin::reset_password(&t.db, &street, worker)
        .await
        .expect("reset");
    let reply = visit(&router, &b, &cookie).await;
    assert_eq!(
        reply.location.as_deref().map(without_next),
        Some("/login"),
        "{}",
        reply.status
    );

    // Deactivated while signed in again: the next request is signed out too.
    let again = first_login_after_reset(&t, &router, &street, worker).await;
    assert_eq!(visit(&router, &b, &again).await.status, StatusCode::OK);
    domain::auth::admin::set_active(&t.db, &street, worker, false)
        .await
        .expect("deactivated");
    let reply = visit(&router, &b, &again).await;
    assert_eq!(
        reply.location.as_deref().map(without_next),
        Some("/login"),
        "{}",
        reply.status
    );
}
both_engines!(
    account_changes_are_obeyed_on_the_next_request,
    changes_obeyed_on_the_next_request
);

/// Resets the worker's password again and signs in with it, choosing a new one.
async fn first_login_after_reset(
    t: &TestDb,
    router: &Router,
    street: &Principal,
    worker: Uuid,
) -> String {
    let one_time = domain::auth::admin::reset_password(&t.db, street, worker)
        .await
        .expect("reset");
    first_login(router, "worker_b", &one_time).await
}
