//! 通知公告 and 消息 over HTTP on both engines: every notice endpoint and page as every role
//! against one community's ids (nothing read, nothing written), another person's message
//! refused to A's own staff, then the secretary sends a notice through the form (a refusal
//! comes back localised, markup stays text), the member sees the header's count, reads and
//! confirms it, and the secretary sees who has, reminds and withdraws.
mod support;

use chrono::Utc;
use domain::both_engines;
use domain::notices::{self, NoticeAudience, NoticeInput};
use domain::tenancy::Commit;
use domain::testing::member_a_record;
use support::*;
use uuid::Uuid;

const TITLE: &str = "关于召开秘密党员大会的通知";

/// A's secretary sends 陈晓明 (`member_a`) a notice asking for confirmation; its id and his
/// message's.
async fn fixture(t: &TestDb, w: &World) -> (Uuid, Uuid) {
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    member_a_record(&tx, w).await;
    tx.commit().await.expect("commit");
    let secretary = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let input = NoticeInput {
        title: TITLE.into(),
        body: "秘密议程".into(),
        audience: NoticeAudience::Members.as_str().into(),
        confirm_by: domain::testing::today().to_string(),
        ..Default::default()
    };
    let notice = notices::publish(&t.db, &secretary, &input, Utc::now())
        .await
        .expect("published");
    let member = w.scope_as(&t.db, "member_a", w.community_a.id).await;
    let inbox = notices::inbox(&t.db, &member, 1).await.expect("inbox");
    (notice, inbox.items[0].message_id)
}

/// What a refusal must leave as it was: the member's message and the notice's counts.
async fn state(t: &TestDb, w: &World) -> (notices::Inbox, Vec<notices::SentNotice>) {
    let member = w.scope_as(&t.db, "member_a", w.community_a.id).await;
    let secretary = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let inbox = notices::inbox(&t.db, &member, 1).await.expect("inbox");
    let (sent, _) = notices::sent(&t.db, &secretary, "", 1).await.expect("sent");
    (inbox, sent)
}

fn writes(node: Uuid, notice: Uuid, message: Uuid) -> Vec<(&'static str, String)> {
    vec![
        (
            "/api/notices/confirm",
            format!("node={node}&message={message}"),
        ),
        (
            "/api/notices/remind",
            format!("node={node}&notice={notice}"),
        ),
        (
            "/api/notices/withdraw",
            format!("node={node}&notice={notice}"),
        ),
        (
            "/api/messages/preferences",
            format!("node={node}&want%5B0%5D=activity_soon"),
        ),
    ]
}

/// Whoever may not act at A turned nothing off through it.
async fn no_preferences(t: &TestDb, w: &World, logins: &[&str]) {
    for login in logins {
        let off = notices::turned_off(&t.db, w.account(login).user_id).await;
        assert_eq!(off, Ok(Vec::new()), "{login}");
    }
}

fn pages(node: Uuid, notice: Uuid, message: Uuid) -> Vec<String> {
    vec![
        format!("/org/{node}/messages"),
        format!("/org/{node}/messages/{message}"),
        format!("/org/{node}/notices"),
        format!("/org/{node}/notices/{notice}"),
    ]
}

async fn notices_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let (notice, message) = fixture(&t, &w).await;
    let a = w.community_a.id;
    let before = state(&t, &w).await;
    assert_forbidden(
        &router,
        &NOT_IN_A,
        &writes(a, notice, message),
        &pages(a, notice, message),
        Some("秘密"),
    )
    .await;
    no_preferences(&t, &w, &NOT_IN_A).await;
    // Everyone with a node of their own, there, with A's ids: nothing found, nothing shown.
    for (login_name, own) in [
        ("worker_b", w.community_b.id),
        ("secretary_c", w.community_c.id),
        ("street", w.street.id),
        ("district", w.district.id),
    ] {
        let cookie = login(&router, login_name, None).await;
        for (path, body) in writes(own, notice, message) {
            if path.ends_with("publish") || path.ends_with("preferences") {
                continue; // a notice of their own is theirs to send, their settings theirs
            }
            let reply = submit(&router, path, body.clone(), &cookie).await;
            assert!(
                refused(&reply),
                "{login_name} {path} {body}: {}",
                reply.status
            );
        }
        for path in pages(own, notice, message) {
            let reply = visit(&router, &path, &cookie).await;
            assert!(!reply.body.contains("秘密"), "{login_name} sees {path}");
        }
    }
    // A's member may not send, remind or withdraw, nor see what was sent; A's secretary may
    // not open the member's message.
    let member = login(&router, "member_a", None).await;
    for (path, body) in writes(a, notice, message) {
        if path.ends_with("confirm") || path.ends_with("preferences") {
            continue;
        }
        let reply = submit(&router, path, body.clone(), &member).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "member_a {path}");
    }
    for path in [
        format!("/org/{a}/notices"),
        format!("/org/{a}/notices/{notice}"),
    ] {
        let reply = visit(&router, &path, &member).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "member_a {path}");
    }
    let secretary = login(&router, "secretary_a", None).await;
    let reply = visit(&router, &format!("/org/{a}/messages/{message}"), &secretary).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = submit(
        &router,
        "/api/notices/confirm",
        format!("node={a}&message={message}"),
        &secretary,
    )
    .await;
    assert!(refused(&reply), "{}", reply.status);
    assert_eq!(state(&t, &w).await, before, "nothing read, nothing written");
}
both_engines!(notices_as_every_role, notices_as_every_role);

async fn a_notice_sent_read_and_followed(t: TestDb) {
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let tx = w.write_as(&t.db, "secretary_a", a).await;
    member_a_record(&tx, &w).await;
    tx.commit().await.expect("commit");
    let secretary = login(&router, "secretary_a", None).await;
    let home = visit(&router, &format!("/org/{a}"), &secretary).await;
    assert!(home.body.contains(&format!("href=\"/org/{a}/notices\"")));

    // Refused: no title. Back to the form with the reason and the text as typed.
    let form = format!("/org/{a}/notices/publish");
    let reply = send(
        &router,
        multipart(
            &form,
            &[
                ("title", " "),
                ("body", "正文保留"),
                ("audience", "members"),
            ],
            &[],
            &secretary,
        ),
    )
    .await;
    assert_eq!(
        reply.location.as_deref(),
        Some(format!("/org/{a}/notices#new").as_str())
    );
    let page = visit(&router, &format!("/org/{a}/notices"), &secretary).await;
    assert!(page.body.contains("标题不能为空"), "{}", page.body);
    assert!(page.body.contains("正文保留"));

    let title = "<b>党员大会</b>通知";
    let confirm_by = domain::testing::today().to_string();
    let reply = send(
        &router,
        multipart(
            &form,
            &[
                ("title", title),
                ("body", "<script>x</script>\n第二行"),
                ("audience", "members"),
                ("confirm_by", &confirm_by),
            ],
            &[],
            &secretary,
        ),
    )
    .await;
    let to = reply.location.expect("to the notice");
    assert!(to.contains("done=published"), "{to}");
    let notice: Uuid = to
        .trim_start_matches(&format!("/org/{a}/notices/"))
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("the notice's page");

    // A link to the message opened before signing in: the login page, then the message.
    let message = domain_message(&t, &w).await;
    let path = format!("/org/{a}/messages/{message}");
    let anonymous = send(&router, get(&path, None)).await;
    let to_login = anonymous.location.expect("to the login page");
    assert_eq!(to_login, format!("/login?next={}", enc(&path)));
    let login_page = send(&router, get(&to_login, None)).await;
    assert!(login_page
        .body
        .contains(&format!("name=\"next\" value=\"{path}\"")));
    for (next, expected) in [(path.as_str(), path.as_str()), ("//evil.example", "/")] {
        let body = format!("login=member_a&password={PASSWORD}&next={}", enc(next));
        let reply = send(&router, form_post("/api/login", body, None)).await;
        assert_eq!(reply.location.as_deref(), Some(expected));
    }

    // The member: 消息 with one unread in the header, the message, confirmed.
    let member = login(&router, "member_a", None).await;
    let home = visit(&router, &format!("/org/{a}"), &member).await;
    assert!(
        home.body.contains(&format!("href=\"/org/{a}/messages\""))
            && home.body.contains("class=\"badge\">1<"),
        "the header's count"
    );
    let inbox = visit(&router, &format!("/org/{a}/messages"), &member).await;
    assert!(
        inbox.body.contains("&lt;b&gt;党员大会&lt;/b&gt;通知")
            && !inbox.body.contains("<b>党员大会")
    );
    let page = visit(&router, &path, &member).await;
    assert!(
        !page.body.contains("class=\"badge\""),
        "the message opened is not counted"
    );
    assert!(page.body.contains("&lt;script&gt;x&lt;/script&gt;\n第二行"));
    assert!(page.body.contains("确认收到"));
    let home = visit(&router, &format!("/org/{a}"), &member).await;
    assert!(!home.body.contains("class=\"badge\""), "read: no count");
    let reply = submit(
        &router,
        "/api/notices/confirm",
        format!("node={a}&message={message}"),
        &member,
    )
    .await;
    let back = reply.location.expect("back");
    assert!(back.contains("done=confirmed"), "{back}");
    let page = visit(&router, &back, &member).await;
    assert!(
        page.body.contains("class=\"notice\">已确认收到。<"),
        "said once confirmed"
    );

    // The secretary: who has read and confirmed; a reminder reaches no one (all done), a second
    // within the hour is refused with its reason; withdrawn, the message is gone.
    let receipts = visit(&router, &format!("/org/{a}/notices/{notice}"), &secretary).await;
    assert!(
        receipts.body.contains(">member_a<"),
        "who read it, by account name"
    );
    let list = visit(
        &router,
        &format!("/org/{a}/notices?q={}", enc("党员大会")),
        &secretary,
    )
    .await;
    assert!(list.body.contains(&format!("/org/{a}/notices/{notice}")));
    let remind = format!("node={a}&notice={notice}");
    let reply = submit(&router, "/api/notices/remind", remind.clone(), &secretary).await;
    let to = reply.location.expect("to");
    assert!(to.contains("reminded=0"), "{to}");
    let reply = submit(&router, "/api/notices/remind", remind.clone(), &secretary).await;
    assert!(!reply.location.expect("back").contains("reminded="));
    let page = visit(&router, &format!("/org/{a}/notices/{notice}"), &secretary).await;
    assert!(page.body.contains("一小时内已提醒过"), "{}", page.body);
    let reply = submit(&router, "/api/notices/withdraw", remind, &secretary).await;
    assert!(reply.location.expect("to").contains("done=withdrawn"));
    let inbox = visit(&router, &format!("/org/{a}/messages"), &member).await;
    assert!(!inbox.body.contains("党员大会"));
    let reply = visit(&router, &format!("/org/{a}/messages/{message}"), &member).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}
both_engines!(
    a_notice_sent_read_and_followed,
    a_notice_sent_read_and_followed
);

/// member_a's one message.
async fn domain_message(t: &TestDb, w: &World) -> Uuid {
    let member = w.scope_as(&t.db, "member_a", w.community_a.id).await;
    notices::inbox(&t.db, &member, 1)
        .await
        .expect("inbox")
        .items[0]
        .message_id
}

const WECOM: &str = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx";

/// 群机器人 over HTTP: A's secretary names the group's robot (an address off the robot's host
/// comes back localised and saves nothing; the key is not shown again once saved); nobody
/// else names or removes A's, through A or through their own node with A's id.
async fn a_robot_named_by_its_own_staff_only(t: TestDb) {
    let robots = domain::outbound::Outbound {
        robots: true,
        ..Default::default()
    };
    let t = TestDb {
        db: t.db.with_outbound(robots),
        ..t
    };
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let robot_of_a = async || {
        let secretary = w.scope_as(&t.db, "secretary_a", a).await;
        notices::robot(&t.db, &secretary).await.expect("robot")
    };
    let writes = |node: Uuid| {
        vec![
            (
                "/api/notices/robot",
                format!("node={node}&kind=wecom&url={}", enc(WECOM)),
            ),
            ("/api/notices/robot/remove", format!("node={node}")),
        ]
    };
    let secretary = login(&router, "secretary_a", None).await;
    let metadata = "https://169.254.169.254/cgi-bin/webhook/send?key=x";
    let body = format!("node={a}&kind=wecom&url={}", enc(metadata));
    let reply = submit(&router, "/api/notices/robot", body, &secretary).await;
    assert!(refused(&reply), "{reply:?}");
    let page = visit(&router, &format!("/org/{a}/notices"), &secretary).await;
    assert!(
        page.body.contains("Webhook 地址格式不正确"),
        "{}",
        page.body
    );
    assert_eq!(robot_of_a().await, None);

    let (path, body) = writes(a).remove(0);
    let reply = submit(&router, path, body, &secretary).await;
    assert!(!refused(&reply), "{reply:?}");
    let page = visit(&router, &format!("/org/{a}/notices"), &secretary).await;
    assert!(page.body.contains("企业微信"));
    assert!(
        !page.body.contains("693a91f6"),
        "the key is not shown again"
    );
    let named = robot_of_a().await;
    assert!(named.is_some());

    assert_forbidden(&router, &NOT_IN_A, &writes(a), &[], None).await;
    for (login_name, own) in [
        ("worker_b", w.community_b.id),
        ("secretary_c", w.community_c.id),
        ("street", w.street.id),
        ("district", w.district.id),
        ("member_a", a),
    ] {
        let cookie = login(&router, login_name, None).await;
        for (path, body) in writes(a) {
            let reply = submit(&router, path, body, &cookie).await;
            assert!(refused(&reply), "{login_name} {path}: {}", reply.status);
        }
        let page = visit(&router, &format!("/org/{own}/notices"), &cookie).await;
        assert!(!page.body.contains("693a91f6"), "{login_name}");
    }
    assert_eq!(robot_of_a().await, named, "nothing written");
}
both_engines!(
    a_robot_named_by_its_own_staff_only,
    a_robot_named_by_its_own_staff_only
);
