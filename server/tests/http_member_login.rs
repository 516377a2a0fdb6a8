//! A member's login over HTTP on both engines: the endpoint as every role against A's member
//! (nothing created), then A's secretary opens it and the member signs in with it.
mod support;

use domain::both_engines;
use domain::members;
use domain::tenancy::Commit;
use domain::testing::{member_input, today};
use support::*;
use uuid::Uuid;

async fn member_of_a(t: &TestDb, w: &World) -> Uuid {
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    let id = members::create(&tx, &member_input("王秀兰"), None, today())
        .await
        .expect("member");
    tx.commit().await.expect("commit");
    id
}

async fn has_account(t: &TestDb, w: &World, id: Uuid) -> bool {
    let tx = w.read_as(&t.db, "secretary_a", w.community_a.id).await;
    let m = members::get(&tx, id).await.expect("member");
    tx.commit().await.expect("commit");
    m.has_account
}

async fn member_login_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let member = member_of_a(&t, &w).await;
    let a = w.community_a.id;
    let body = |node: Uuid| {
        format!("community={node}&member={member}&login_name=wangxl&password=Wangxl%402026")
    };
    for (login_name, node) in [
        ("operator", a),
        ("district", a),
        ("street", a),
        ("other_street", a),
        ("worker_b", a),
        ("secretary_c", a),
        ("member_a", a),
        ("liaison", a),
        ("worker_b", w.community_b.id),
        ("secretary_c", w.community_c.id),
    ] {
        let cookie = login(&router, login_name, None).await;
        let reply = submit(&router, "/api/members/login", body(node), &cookie).await;
        assert!(
            [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&reply.status),
            "{login_name} at {node}: {}",
            reply.status
        );
    }
    assert!(!has_account(&t, &w, member).await, "nothing written");
    let nobody = send(
        &router,
        form_post(
            "/api/login",
            "login=wangxl&password=Wangxl%402026".to_owned(),
            None,
        ),
    )
    .await;
    assert_ne!(nobody.location.as_deref(), Some("/"), "no such login yet");

    // A's secretary: a taken login name is refused with a message, then the login opens.
    let secretary = login(&router, "secretary_a", None).await;
    let taken = format!("community={a}&member={member}&login_name=worker_b&password=Wangxl%402026");
    let reply = submit(&router, "/api/members/login", taken, &secretary).await;
    assert!(!reply.location.expect("back").contains("saved=1"));
    let page = visit(&router, &format!("/org/{a}/members/{member}"), &secretary).await;
    assert!(
        page.body.contains("登录名已被其他账号使用"),
        "{}",
        page.body
    );
    let reply = submit(&router, "/api/members/login", body(a), &secretary).await;
    assert!(reply.location.expect("to").contains("saved=1"));
    assert!(has_account(&t, &w, member).await);
    let page = visit(&router, &format!("/org/{a}/members/{member}"), &secretary).await;
    assert!(page.body.contains("已开通登录账号"));
    // The password the secretary handed over is one-time: the member chooses their own first.
    let cookie = first_login(&router, "wangxl", "Wangxl@2026").await;
    let home = visit(&router, &format!("/org/{a}"), &cookie).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("王秀兰"));

    // Forgotten: only the community's staff reset or close the member's login.
    let account = domain::auth::users::find_by_login(&t.db, "wangxl")
        .await
        .expect("read")
        .expect("account")
        .id;
    let reset = |node: Uuid| format!("node={node}&account={account}&member={member}");
    for login_name in not_staff_of_a() {
        let outsider = login(&router, login_name, None).await;
        for node in [a, w.account(login_name).node] {
            let reply = submit(&router, "/api/accounts/reset", reset(node), &outsider).await;
            assert!(refused(&reply), "{login_name} on {node}: {}", reply.status);
            let close = format!("{}&active=false", reset(node));
            let reply = submit(&router, "/api/accounts/active", close, &outsider).await;
            assert!(refused(&reply), "{login_name} on {node}: {}", reply.status);
        }
    }
    assert_eq!(
        visit(&router, &format!("/org/{a}"), &cookie).await.status,
        StatusCode::OK,
        "untouched"
    );
    let reply = submit(&router, "/api/accounts/reset", reset(a), &secretary).await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{a}/members/{member}?saved=1#login"))
    );
    let page = visit(&router, &format!("/org/{a}/members/{member}"), &secretary).await;
    let once = regex::Regex::new(r"<code>([A-Za-z0-9]{12})</code>")
        .expect("regex")
        .captures(&page.body)
        .map(|c| c[1].to_owned())
        .expect("the new one-time password, shown once");
    assert_eq!(
        visit(&router, &format!("/org/{a}"), &cookie)
            .await
            .location
            .as_deref()
            .map(without_next),
        Some("/login")
    );
    let cookie = first_login(&router, "wangxl", &once).await;
    let close = format!("{}&active=false", reset(a));
    submit(&router, "/api/accounts/active", close, &secretary).await;
    assert_eq!(
        visit(&router, &format!("/org/{a}"), &cookie)
            .await
            .location
            .as_deref()
            .map(without_next),
        Some("/login")
    );
    let page = visit(&router, &format!("/org/{a}/members/{member}"), &secretary).await;
    assert!(page.body.contains("登录账号已停用"));
}

both_engines!(member_login_as_every_role, member_login_as_every_role);

/// Revealing a member's full phone number: every other role, here or in another community, is
/// refused and nothing is recorded; A's secretary sees it once (a reload masks it again), and
/// the reveal is in the audit log.
async fn reveal_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let tx = w.write_as(&t.db, "secretary_a", a).await;
    let input = domain::members::MemberInput {
        phone: "13811112222".into(),
        ..member_input("李淑珍")
    };
    let member = members::create(&tx, &input, None, today())
        .await
        .expect("member");
    tx.commit().await.expect("commit");
    let body = format!("community={a}&member={member}");
    let reveals = |t: &TestDb| {
        let db = t.db.clone();
        async move {
            domain::audit::recent(&db, "phone_revealed", 10)
                .await
                .expect("audit")
                .len()
        }
    };
    for login_name in not_staff_of_a() {
        let cookie = login(&router, login_name, None).await;
        let reply = submit(&router, "/api/members/reveal_phone", body.clone(), &cookie).await;
        assert!(refused(&reply), "{login_name}: {}", reply.status);
        assert!(!reply.body.contains("13811112222"), "{login_name}");
        // Their own community's id with A's member: still nothing.
        let own = w.account(login_name).node;
        let reply = submit(
            &router,
            "/api/members/reveal_phone",
            format!("community={own}&member={member}"),
            &cookie,
        )
        .await;
        assert!(refused(&reply), "{login_name} via own node");
    }
    assert_eq!(reveals(&t).await, 0);

    let cookie = login(&router, "secretary_a", None).await;
    let page = format!("/org/{a}/members/{member}");
    let masked = visit(&router, &page, &cookie).await.body;
    assert!(masked.contains("138****2222") && !masked.contains("13811112222"));
    let reply = submit(&router, "/api/members/reveal_phone", body, &cookie).await;
    assert_eq!(
        reply.location.as_deref(),
        Some(format!("{page}#phone").as_str())
    );
    assert!(visit(&router, &page, &cookie)
        .await
        .body
        .contains("13811112222"));
    assert!(!visit(&router, &page, &cookie)
        .await
        .body
        .contains("13811112222"));
    assert_eq!(reveals(&t).await, 1);
}
both_engines!(phone_reveal_as_every_role, reveal_as_every_role);
