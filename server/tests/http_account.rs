//! The account page over HTTP on both engines. A one-time password leads to `/account` and
//! nowhere else (pages redirect there, forms and downloads are refused) until the person has
//! chosen their own; the account endpoints act on the caller's own account only (every role
//! posting another account's session handle ends nothing); a password change signs the other
//! devices out.
mod support;

use domain::auth::{account, contact};
use domain::both_engines;
use support::*;

const NEW: &str = "青山绿水-长江路-77";

fn password_form(current: &str, new: &str, again: &str) -> String {
    format!(
        "current_password={}&new_password={}&confirm_password={}",
        enc(current),
        enc(new),
        enc(again)
    )
}

async fn sign_in(router: &Router, login_name: &str, password: &str) -> Reply {
    let body = format!("login={login_name}&password={}", enc(password));
    send(router, form_post("/api/login", body, None)).await
}

async fn one_time_password_first(t: TestDb) {
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let (_, once) = domain::auth::users::create_operator(&t.db, "ops", "平台运维")
        .await
        .expect("operator");
    let reply = sign_in(&router, "ops", &once).await;
    assert_eq!(reply.location.as_deref(), Some("/account"));
    let cookie = reply.cookie.expect("session");

    // Every page leads to the password form; forms and downloads are refused.
    for path in [
        "/".to_owned(),
        format!("/org/{a}"),
        format!("/org/{}", w.district.id),
    ] {
        let reply = visit(&router, &path, &cookie).await;
        assert_eq!(reply.status, StatusCode::FOUND, "{path}");
        assert_eq!(reply.location.as_deref(), Some("/account"), "{path}");
    }
    let download = visit(
        &router,
        &format!("/org/{}/dashboard.xlsx", w.district.id),
        &cookie,
    )
    .await;
    assert_eq!(download.location.as_deref(), Some("/account"));
    let post = submit(
        &router,
        "/api/account/sessions/end-others",
        String::new(),
        &cookie,
    )
    .await;
    assert_eq!(post.status, StatusCode::FORBIDDEN);
    let page = visit(&router, "/account", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("一次性密码"), "{}", page.body);
    assert!(page.body.contains("至少 10 个字符"));

    // A weak choice is refused with its reason, and the one-time password still holds.
    let weak = submit(
        &router,
        "/api/account/password",
        password_form(&once, "password123", "password123"),
        &cookie,
    )
    .await;
    assert_eq!(weak.location.as_deref(), Some("/account#password"));
    let page = visit(&router, "/account", &cookie).await;
    assert!(page.body.contains("新密码太容易被猜到"), "{}", page.body);
    assert!(
        !page.body.contains("password123"),
        "passwords are never echoed"
    );

    let done = submit(
        &router,
        "/api/account/password",
        password_form(&once, NEW, NEW),
        &cookie,
    )
    .await;
    assert_eq!(done.location.as_deref(), Some("/"));
    let home = visit(&router, &format!("/org/{}", w.district.id), &cookie).await;
    assert_eq!(home.status, StatusCode::OK);
    assert_eq!(
        sign_in(&router, "ops", &once).await.location.as_deref(),
        Some("/login?error=bad_credentials")
    );
    assert_eq!(
        sign_in(&router, "ops", NEW).await.location.as_deref(),
        Some("/")
    );
}
both_engines!(
    a_one_time_password_must_be_replaced_first,
    one_time_password_first
);

async fn own_account_only(t: TestDb) {
    let (router, w) = setup(&t).await;
    // secretary_a on a second device: its session handle is what the others try to end.
    let phone = login(&router, "secretary_a", None).await;
    let office = login(&router, "secretary_a", None).await;
    let me = w.account("secretary_a").user_id;
    let handles: Vec<String> = account::my_sessions(&t.db, me, None)
        .await
        .expect("sessions")
        .iter()
        .map(|s| s.handle.to_string())
        .collect();
    assert_eq!(handles.len(), 2);
    for login_name in not_staff_of_a() {
        let cookie = login(&router, login_name, None).await;
        for handle in &handles {
            let reply = submit(
                &router,
                "/api/account/sessions/end",
                format!("session={handle}"),
                &cookie,
            )
            .await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{login_name}");
        }
        // Their own "sign out elsewhere" and password forms reach only their own account.
        submit(
            &router,
            "/api/account/sessions/end-others",
            String::new(),
            &cookie,
        )
        .await;
        let page = visit(&router, "/account", &cookie).await;
        assert!(
            !page.body.contains(&handles[0]) && !page.body.contains(&handles[1]),
            "{login_name}"
        );
    }
    assert_eq!(
        visit(&router, "/account", &phone).await.status,
        StatusCode::OK
    );
    assert_eq!(
        visit(&router, "/account", &office).await.status,
        StatusCode::OK
    );
    assert_eq!(
        account::my_sessions(&t.db, me, None)
            .await
            .expect("sessions")
            .len(),
        2
    );

    // Signed out, nothing: the page sends to the login, the forms are refused.
    assert_eq!(
        send(&router, get("/account", None))
            .await
            .location
            .as_deref()
            .map(without_next),
        Some("/login")
    );
    let anonymous = send(
        &router,
        form_post(
            "/api/account/sessions/end",
            format!("session={}", handles[0]),
            None,
        ),
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let anonymous = send(
        &router,
        form_post(
            "/api/account/password",
            password_form(PASSWORD, NEW, NEW),
            None,
        ),
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    // The owner changes the password on the phone: the office is signed out, the phone is not.
    let done = submit(
        &router,
        "/api/account/password",
        password_form(PASSWORD, NEW, NEW),
        &phone,
    )
    .await;
    assert_eq!(done.location.as_deref(), Some("/account?changed=1"));
    let a = w.community_a.id;
    assert_eq!(
        visit(&router, &format!("/org/{a}"), &phone).await.status,
        StatusCode::OK
    );
    let office_now = visit(&router, &format!("/org/{a}"), &office).await;
    assert_eq!(
        office_now.location.as_deref().map(without_next),
        Some("/login")
    );
}
both_engines!(
    account_endpoints_reach_the_callers_own_account_only,
    own_account_only
);

/// The e-mail address is the caller's own: a malformed one comes back with a localised reason
/// and saves nothing, one whose code cannot be sent saves nothing and says so, a code nobody
/// asked for confirms nothing; the one kept shows on their page (on nobody else's) until
/// emptied; with no SMTP server configured the form is refused as the channel being off.
async fn own_email_address(t: TestDb) {
    let sending = domain::outbound::Outbound {
        email: true,
        ..Default::default()
    };
    let t = TestDb {
        db: t.db.with_outbound(sending),
        ..t
    };
    let (router, w) = setup(&t).await;
    let member = login(&router, "member_a", None).await;
    let bad = submit(
        &router,
        "/api/account/email",
        "email=chen%40".into(),
        &member,
    )
    .await;
    assert_eq!(bad.location.as_deref(), Some("/account#email"));
    let page = visit(&router, "/account", &member).await;
    assert!(page.body.contains("格式不正确"), "{}", page.body);
    assert!(page.body.contains("value=\"chen@\""), "typed text kept");
    let user = w.account("member_a").user_id;
    assert_eq!(account::my_email(&t.db, user).await, Ok(None));

    // The code cannot be sent (this router has no mail server to send it through): the
    // person is told, nothing is saved or waits. (Sent and typed back: `channels.rs`.)
    let body = format!("email={}", enc("chen.xm@changjiang.cn"));
    let unsent = submit(&router, "/api/account/email", body.clone(), &member).await;
    assert_eq!(unsent.location.as_deref(), Some("/account#email"));
    let page = visit(&router, "/account", &member).await;
    assert!(page.body.contains("无法接收验证码"), "{}", page.body);
    assert_eq!(account::my_email(&t.db, user).await, Ok(None));
    let now = chrono::Utc::now();
    assert_eq!(contact::pending(&t.db, user, now).await, Ok(Vec::new()));
    // A code nobody asked for confirms nothing.
    let guessed = submit(
        &router,
        "/api/account/confirm",
        "channel=email&code=123456".into(),
        &member,
    )
    .await;
    assert_eq!(guessed.location.as_deref(), Some("/account#email"));
    assert_eq!(account::my_email(&t.db, user).await, Ok(None));
    let odd = submit(
        &router,
        "/api/account/confirm",
        "channel=robot&code=123456".into(),
        &member,
    )
    .await;
    assert!(
        !odd.location.as_deref().unwrap_or("").contains("saved"),
        "{odd:?}"
    );
    // Kept from before (confirmed), emptied: removed.
    account::set_email(&t.db, user, "chen.xm@changjiang.cn")
        .await
        .expect("kept");
    let page = visit(&router, "/account", &member).await;
    assert!(page.body.contains("value=\"chen.xm@changjiang.cn\""));
    let secretary = login(&router, "secretary_a", None).await;
    let theirs = visit(&router, "/account", &secretary).await;
    assert!(!theirs.body.contains("chen.xm@changjiang.cn"));
    let emptied = submit(&router, "/api/account/email", "email=".into(), &member).await;
    assert!(!refused(&emptied), "{emptied:?}");
    assert_eq!(account::my_email(&t.db, user).await, Ok(None));

    // No SMTP server: nothing to send by, so nothing is saved.
    let t = TestDb {
        db: t.db.with_outbound(Default::default()),
        ..t
    };
    let cfg = config();
    let router =
        server::router::build(&cfg, server::router::app_state(&cfg, t.db.clone())).expect("router");
    let worker = login(&router, "worker_b", None).await;
    let off = submit(&router, "/api/account/email", body, &worker).await;
    assert!(refused(&off), "{off:?}");
    assert_eq!(
        account::my_email(&t.db, w.account("worker_b").user_id).await,
        Ok(None)
    );
}
both_engines!(own_email_address, own_email_address);

/// The number texts go to is the caller's own consent: a malformed one refused with a
/// localised reason, one whose code cannot be sent saves nothing and says so, the one kept is
/// shown on their page only and emptied to take it back; refused where no SMS provider is
/// configured.
async fn own_sms_number(t: TestDb) {
    let texting = domain::outbound::Outbound {
        sms: true,
        ..Default::default()
    };
    let t = TestDb {
        db: t.db.with_outbound(texting),
        ..t
    };
    let (router, w) = setup(&t).await;
    let member = login(&router, "member_a", None).await;
    let user = w.account("member_a").user_id;
    let bad = submit(
        &router,
        "/api/account/sms",
        "sms_phone=1380013".into(),
        &member,
    )
    .await;
    assert_eq!(bad.location.as_deref(), Some("/account#sms"));
    let page = visit(&router, "/account", &member).await;
    assert!(
        page.body.contains("接收短信的手机号应为 11 位手机号"),
        "{}",
        page.body
    );
    assert_eq!(account::my_sms_phone(&t.db, user).await, Ok(None));

    // No provider behind this router to send the code: told, nothing saved.
    let unsent = submit(
        &router,
        "/api/account/sms",
        "sms_phone=13800138000".into(),
        &member,
    )
    .await;
    assert_eq!(unsent.location.as_deref(), Some("/account#sms"));
    let page = visit(&router, "/account", &member).await;
    assert!(page.body.contains("无法接收验证码"), "{}", page.body);
    assert_eq!(account::my_sms_phone(&t.db, user).await, Ok(None));
    account::set_sms_phone(&t.db, user, "13800138000")
        .await
        .expect("kept");
    let page = visit(&router, "/account", &member).await;
    assert!(page.body.contains("value=\"13800138000\""));
    let secretary = login(&router, "secretary_a", None).await;
    let theirs = visit(&router, "/account", &secretary).await;
    assert!(!theirs.body.contains("13800138000"));
    assert_eq!(
        account::my_sms_phone(&t.db, w.account("secretary_a").user_id).await,
        Ok(None)
    );
    let taken_back = submit(&router, "/api/account/sms", "sms_phone=".into(), &member).await;
    assert!(!refused(&taken_back), "{taken_back:?}");
    assert_eq!(account::my_sms_phone(&t.db, user).await, Ok(None));

    // No provider: nothing to text by, so nothing is saved, and no form is offered.
    let t = TestDb {
        db: t.db.with_outbound(Default::default()),
        ..t
    };
    let cfg = config();
    let router =
        server::router::build(&cfg, server::router::app_state(&cfg, t.db.clone())).expect("router");
    let worker = login(&router, "worker_b", None).await;
    let off = submit(
        &router,
        "/api/account/sms",
        "sms_phone=13900139000".into(),
        &worker,
    )
    .await;
    assert!(refused(&off), "{off:?}");
    assert_eq!(
        account::my_sms_phone(&t.db, w.account("worker_b").user_id).await,
        Ok(None)
    );
    let page = visit(&router, "/account", &worker).await;
    assert!(!page.body.contains("短信提醒"));
}
both_engines!(own_sms_number, own_sms_number);
