//! Channels beyond the app, on both engines: a message e-mailed to a recipient who gave an
//! address and a notice posted to its node's group robot, queued with the delivery; taken once,
//! tried again after growing waits and given up after `MAX_ATTEMPTS` (the operator sees both,
//! nobody else); a withdrawn notice or a channel turned off sends nothing; only the staff who
//! send a node's notices name its robot, for their own node only.
use chrono::{Duration, Utc};
use domain::auth::admin::{self, NewAccount};
use domain::both_engines;
use domain::kinds::{Channel, RobotKind};
use domain::members;
use domain::notices::{self, NoticeAudience, NoticeInput, RobotInput};
use domain::outbound::Outbound;
use domain::tenancy::{Commit, TenantScope};
use domain::testing::{member_a_record, member_with_login, world, TestDb, World};
use domain::{auth::account, Db, DomainError};

const WECOM: &str = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx";

fn sending(db: &Db) -> Db {
    db.with_outbound(Outbound {
        email: true,
        sms: true,
        robots: true,
        extra_robot_hosts: Vec::new(),
    })
}

fn notice(title: &str) -> NoticeInput {
    NoticeInput {
        title: title.into(),
        body: "本周六上午9点在社区广场开展环境整治志愿服务。".into(),
        audience: NoticeAudience::Members.as_str().into(),
        branch: String::new(),
        confirm_by: String::new(),
        files: Vec::new(),
    }
}

fn wecom() -> RobotInput {
    RobotInput {
        kind: "wecom".into(),
        url: WECOM.into(),
        secret: String::new(),
    }
}

/// member_a (陈晓明) with their record in A.
async fn member_a(db: &Db, w: &World) -> TenantScope {
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    member_a_record(&tx, w).await;
    tx.commit().await.expect("commit");
    w.scope_as(db, "member_a", w.community_a.id).await
}

async fn e_mail_and_robot(t: TestDb) {
    let db = &sending(&t.db);
    let w = world(db).await;
    let secretary = w.scope_as(db, "secretary_a", w.community_a.id).await;
    let chen = member_a(db, &w).await;
    // 王秀兰 gave no address: the app only.
    member_with_login(db, &w, "secretary_a", w.community_a.id, "王秀兰", "wang_a").await;
    account::set_email(db, chen.actor_user_id(), " chen.xm@changjiang.cn ")
        .await
        .expect("address");
    assert_eq!(
        account::my_email(db, chen.actor_user_id()).await,
        Ok(Some("chen.xm@changjiang.cn".to_owned()))
    );
    let now = Utc::now();
    notices::set_robot(db, &secretary, &wecom(), now)
        .await
        .expect("robot");
    notices::publish(db, &secretary, &notice("环境整治志愿服务"), now)
        .await
        .expect("published");

    let due = notices::take_due(db, now, 50).await.expect("due");
    assert_eq!(due.len(), 2, "{due:?}");
    let email = due
        .iter()
        .find(|d| d.channel == Channel::Email)
        .expect("e-mail");
    assert_eq!(email.address, "chen.xm@changjiang.cn");
    assert_eq!(email.title, "环境整治志愿服务");
    assert!(email.body.contains("社区广场"));
    assert_eq!(email.node, w.community_a.id);
    let robot = due
        .iter()
        .find(|d| d.channel == Channel::Robot)
        .expect("robot");
    assert_eq!(robot.address, WECOM);
    assert_eq!(robot.robot, Some((RobotKind::Wecom, None)));
    assert_eq!(robot.title, "环境整治志愿服务");
    // Claimed: a second turn (or process) does not send them again.
    assert_eq!(notices::take_due(db, now, 50).await.expect("due"), vec![]);

    notices::outbox_sent(db, email, now).await.expect("sent");
    notices::failed(db, robot, "HTTP 502 Bad Gateway", false, now)
        .await
        .expect("failed");
    // Tried again after a minute, then after two.
    let later = now + Duration::seconds(30);
    assert_eq!(notices::take_due(db, later, 50).await.expect("due"), vec![]);
    let again = notices::take_due(db, now + Duration::seconds(61), 50)
        .await
        .expect("due");
    assert_eq!(
        again.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![robot.id]
    );
    let second = now + Duration::seconds(61);
    // Whoever took it before its claim ran out no longer answers for it.
    notices::outbox_sent(db, robot, second)
        .await
        .expect("stale");
    notices::failed(db, &again[0], "timed out", false, second)
        .await
        .expect("failed");
    let before = second + Duration::seconds(110);
    assert_eq!(
        notices::take_due(db, before, 50).await.expect("due"),
        vec![]
    );
    let after = second + Duration::seconds(121);
    assert_eq!(
        notices::take_due(db, after, 50).await.expect("due").len(),
        1
    );

    let operator = w.principal(db, "operator").await;
    let status = notices::outbox_status(db, &operator, after)
        .await
        .expect("status");
    let of = |c: Channel| status.iter().find(|s| s.channel == c).expect("channel");
    assert!(of(Channel::Email).configured && of(Channel::Robot).configured);
    assert_eq!(
        (of(Channel::Email).waiting, of(Channel::Email).sent_last_day),
        (0, 1)
    );
    let robots = of(Channel::Robot);
    assert_eq!(
        (robots.waiting, robots.retrying, robots.given_up),
        (1, 1, 0)
    );
    assert_eq!(robots.latest_errors[0].1, 2);
    assert_eq!(robots.latest_errors[0].2, "timed out");
    for login in ["secretary_a", "street", "district", "member_a"] {
        let principal = w.principal(db, login).await;
        assert_eq!(
            notices::outbox_status(db, &principal, after).await,
            Err(DomainError::Forbidden),
            "{login}"
        );
    }

    // Given up after the last try; kept a month, then pruned with the sent one.
    let mut at = after + Duration::minutes(6); // the claim taken at `after` ran out
    for _ in 2..notices::MAX_ATTEMPTS {
        let taken = notices::take_due(db, at, 50).await.expect("due");
        assert_eq!(taken.len(), 1);
        notices::failed(db, &taken[0], "HTTP 502 Bad Gateway", false, at)
            .await
            .expect("failed");
        at += Duration::hours(7);
    }
    assert_eq!(notices::take_due(db, at, 50).await.expect("due"), vec![]);
    let status = notices::outbox_status(db, &operator, at)
        .await
        .expect("status");
    let robots = status
        .iter()
        .find(|s| s.channel == Channel::Robot)
        .expect("robot");
    assert_eq!((robots.waiting, robots.given_up), (0, 1));
    assert_eq!(robots.latest_errors[0].1, notices::MAX_ATTEMPTS);
    assert_eq!(notices::prune_outbox(db, at).await.expect("pruned"), 0);
    assert_eq!(
        notices::prune_outbox(db, at + Duration::days(31))
            .await
            .expect("pruned"),
        2
    );
}
both_engines!(
    a_notice_goes_out_by_e_mail_and_to_the_group,
    e_mail_and_robot
);

/// A withdrawn notice, an address removed, a channel the deployment turned off: nothing goes
/// out and nothing waits. Where the deployment sends no e-mail, no address is taken, and no
/// robot where it posts to none.
async fn nothing_to_send(t: TestDb) {
    let db = &sending(&t.db);
    let w = world(db).await;
    let secretary = w.scope_as(db, "secretary_a", w.community_a.id).await;
    let chen = member_a(db, &w).await;
    let me = chen.actor_user_id();
    account::set_email(db, me, "chen.xm@changjiang.cn")
        .await
        .expect("address");
    let now = Utc::now();
    notices::set_robot(db, &secretary, &wecom(), now)
        .await
        .expect("robot");
    let id = notices::publish(db, &secretary, &notice("撤回的通知"), now)
        .await
        .expect("published");
    notices::withdraw(db, &secretary, id, now)
        .await
        .expect("withdrawn");
    assert_eq!(notices::take_due(db, now, 50).await.expect("due"), vec![]);

    notices::publish(
        db,
        &secretary,
        &notice("地址删了"),
        now + Duration::hours(1),
    )
    .await
    .expect("published");
    account::set_email(db, me, "").await.expect("removed");
    notices::remove_robot(db, &secretary)
        .await
        .expect("removed");
    let at = now + Duration::hours(1);
    assert_eq!(notices::take_due(db, at, 50).await.expect("due"), vec![]);

    account::set_email(db, me, "chen.xm@changjiang.cn")
        .await
        .expect("address");
    notices::publish(
        db,
        &secretary,
        &notice("渠道关了"),
        now + Duration::hours(2),
    )
    .await
    .expect("published");
    let off = t.db.with_outbound(Outbound::default());
    let at = now + Duration::hours(2);
    assert_eq!(notices::take_due(&off, at, 50).await.expect("due"), vec![]);
    // Closed, not waiting for the channel to come back.
    assert_eq!(notices::take_due(db, at, 50).await.expect("due"), vec![]);
    let operator = w.principal(db, "operator").await;
    let status = notices::outbox_status(db, &operator, at)
        .await
        .expect("status");
    assert!(status.iter().all(|s| s.waiting == 0 && s.given_up == 0));
    let unconfigured = notices::outbox_status(&off, &operator, at).await;
    assert!(unconfigured.expect("status").iter().all(|s| !s.configured));

    assert_eq!(
        account::set_email(&off, me, "chen@changjiang.cn").await,
        Err(DomainError::invalid("email", "channel_off"))
    );
    assert_eq!(account::set_email(&off, me, "").await, Ok(()));
    assert_eq!(account::my_email(db, me).await, Ok(None));
    assert_eq!(
        account::set_email(db, me, "chen@").await,
        Err(DomainError::invalid("email", "bad_email"))
    );
    assert_eq!(
        notices::set_robot(&off, &secretary, &wecom(), now).await,
        Err(DomainError::invalid("robot", "channel_off"))
    );
    assert_eq!(notices::robot(db, &secretary).await, Ok(None));

    // An address the mail server says does not exist is given up at once, not for a day.
    account::set_email(db, me, "nobody@changjiang.cn")
        .await
        .expect("address");
    let at = now + Duration::hours(3);
    notices::publish(db, &secretary, &notice("地址不存在"), at)
        .await
        .expect("published");
    let due = notices::take_due(db, at, 50).await.expect("due");
    assert_eq!(due.len(), 1);
    notices::failed(db, &due[0], "SMTP: 550 5.1.1 user unknown", true, at)
        .await
        .expect("failed");
    let later = at + Duration::days(1);
    assert_eq!(notices::take_due(db, later, 50).await.expect("due"), vec![]);
    let status = notices::outbox_status(db, &operator, later)
        .await
        .expect("status");
    let email = status.iter().find(|s| s.channel == Channel::Email);
    let email = email.expect("e-mail");
    assert_eq!((email.waiting, email.given_up), (0, 1));
    assert_eq!(email.latest_errors[0].1, 1, "one try");

    // A notice to the staff only is e-mailed to them but stays out of the group (whose
    // address the audit does not keep either).
    notices::set_robot(db, &secretary, &wecom(), later)
        .await
        .expect("robot");
    let opener = w.principal(db, "secretary_a").await;
    let worker = NewAccount {
        login_name: "xiaowang".into(),
        display_name: "王小明".into(),
        role: "community_worker".into(),
        place: w.community_a.id.to_string(),
        ..Default::default()
    };
    let (worker, _) = admin::open_account(db, &opener, &worker)
        .await
        .expect("opened");
    account::set_email(db, worker, "xiaowang@changjiang.cn")
        .await
        .expect("address");
    let staff_only = NoticeInput {
        audience: NoticeAudience::Staff.as_str().into(),
        ..notice("工作人员内部通知")
    };
    notices::publish(db, &secretary, &staff_only, later)
        .await
        .expect("published");
    let due = notices::take_due(db, later, 50).await.expect("due");
    let channels: Vec<_> = due
        .iter()
        .map(|d| (d.channel, d.address.as_str()))
        .collect();
    assert_eq!(channels, vec![(Channel::Email, "xiaowang@changjiang.cn")]);
    let named = domain::audit::recent(db, "robot_set", 5)
        .await
        .expect("audit");
    assert_eq!(named.len(), 2, "named, removed and named again");
    assert!(!format!("{named:?}").contains("693a91f6"), "{named:?}");
    let removed = domain::audit::recent(db, "robot_removed", 5).await;
    assert_eq!(removed.expect("audit").len(), 1);
}
both_engines!(nothing_goes_out_that_should_not, nothing_to_send);

/// Each node's staff who send its notices name its robot, and only its own; members, liaisons
/// and 支部书记 name none. A 钉钉 robot keeps its 加签 secret (never shown back); 企业微信 has none.
async fn robots_per_node(t: TestDb) {
    let db = &sending(&t.db);
    let w = world(db).await;
    member_a(db, &w).await;
    domain::testing::paired_school(db, &w).await;
    let now = Utc::now();
    let ding = RobotInput {
        kind: "dingtalk".into(),
        url: "https://oapi.dingtalk.com/robot/send?access_token=abc123".into(),
        secret: "SEC0123456789abcdef".into(),
    };
    let a = w.scope_as(db, "secretary_a", w.community_a.id).await;
    notices::set_robot(db, &a, &ding, now)
        .await
        .expect("A's robot");
    let summary = notices::robot(db, &a).await.expect("read").expect("robot");
    assert_eq!((summary.kind, summary.signed), (RobotKind::Dingtalk, true));
    assert_eq!(
        notices::set_robot(
            db,
            &a,
            &RobotInput {
                secret: "SECabc".into(),
                ..wecom()
            },
            now
        )
        .await,
        Err(DomainError::invalid("robot_secret", "not_for_wecom"))
    );
    assert_eq!(
        notices::set_robot(
            db,
            &a,
            &RobotInput {
                url: "https://10.0.0.1/robot/send?access_token=x".into(),
                ..ding.clone()
            },
            now
        )
        .await,
        Err(DomainError::invalid("robot_url", "bad_value"))
    );

    // Every other role with a scope anywhere: staff change only their own node's robot.
    for account in &w.accounts {
        for node in w.tenants() {
            let principal = w.principal(db, account.login).await;
            let Ok(scope) = principal.tenant_scope(db, node).await else {
                continue;
            };
            if account.login == "secretary_a" && node == w.community_a.id {
                continue;
            }
            let login = account.login;
            match notices::set_robot(db, &scope, &wecom(), now).await {
                Ok(()) => {
                    assert_ne!(node, w.community_a.id, "{login}");
                    let own = notices::robot(db, &scope).await.expect("own").expect("set");
                    assert_eq!(own.kind, RobotKind::Wecom, "{login}");
                    notices::remove_robot(db, &scope).await.expect("removed");
                }
                Err(e) => {
                    assert_eq!(e, DomainError::Forbidden, "{login}");
                    assert_eq!(
                        notices::robot(db, &scope).await,
                        Err(DomainError::Forbidden)
                    );
                    assert_eq!(
                        notices::remove_robot(db, &scope).await,
                        Err(DomainError::Forbidden)
                    );
                    assert!(
                        matches!(login, "member_a" | "liaison" | "operator"),
                        "{login} may not set a robot"
                    );
                }
            }
        }
    }
    // A's robot is as A set it.
    let summary = notices::robot(db, &a).await.expect("read").expect("robot");
    assert_eq!((summary.kind, summary.signed), (RobotKind::Dingtalk, true));
}
both_engines!(each_node_names_its_own_robot, robots_per_node);

/// How many wait on each channel, as the operator sees it.
async fn waiting(db: &Db, w: &World) -> (u64, u64) {
    let operator = w.principal(db, "operator").await;
    let status = notices::outbox_status(db, &operator, Utc::now())
        .await
        .expect("status");
    let on = |channel| {
        status
            .iter()
            .find(|c| c.channel == channel)
            .map_or(0, |c| c.waiting)
    };
    (on(Channel::Email), on(Channel::Sms))
}

/// A text goes only to who gave a number, and only for what matters (a notice, not a
/// proposed change approved); the e-mail goes for both.
async fn texts_only_what_matters(t: TestDb) {
    let db = &sending(&t.db);
    let w = world(db).await;
    let secretary = w.scope_as(db, "secretary_a", w.community_a.id).await;
    let chen = member_a(db, &w).await;
    member_with_login(db, &w, "secretary_a", w.community_a.id, "王秀兰", "wang_a").await;
    let me = chen.actor_user_id();
    account::set_email(db, me, "chen.xm@changjiang.cn")
        .await
        .expect("address");
    account::set_sms_phone(db, me, "13800138000")
        .await
        .expect("number");
    notices::publish(
        db,
        &secretary,
        &notice("关于开展环境整治的通知"),
        Utc::now(),
    )
    .await
    .expect("published");
    assert_eq!(waiting(db, &w).await, (1, 1), "to 陈晓明 alone, both ways");

    let tx = chen.write(db).await.expect("tx");
    let proposal = members::ProposalInput {
        building: "7号楼".into(),
        ..Default::default()
    };
    let id = members::propose(&tx, &proposal).await.expect("proposed");
    tx.commit().await.expect("commit");
    let tx = secretary.write(db).await.expect("tx");
    members::decide(&tx, id, true, "").await.expect("approved");
    tx.commit().await.expect("commit");
    assert_eq!(
        waiting(db, &w).await,
        (2, 1),
        "approved: e-mailed, not texted"
    );
}
both_engines!(texts_only_what_matters, texts_only_what_matters);
