//! The channels beyond the app against real receivers, on both engines: a notice e-mailed
//! through a real SMTP server started here (Python's aiosmtpd, writing a Maildir) and posted to
//! a local HTTP receiver standing in for the community's 企业微信 group robot. A receiver that
//! is down or answers an error costs nothing: the item is tried again later and arrives once.
//! Texts go to a local receiver standing in for Aliyun's SMS API, which checks each request's
//! signature as Aliyun does.
//! Skipped without aiosmtpd unless the test command requires every real part.
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration as StdDuration, Instant};

use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::Json;
use chrono::{Duration, Utc};
use clap::Parser;
use domain::both_engines;
use domain::kinds::Channel;
use domain::notices::{self, NoticeAudience, NoticeInput, RobotInput};
use domain::outbound::Outbound;
use domain::tenancy::Commit;
use domain::testing::{member_a_record, world, TestDb};
use server::channels::Channels;
use server::cli::Cli;

mod support;

const FROM: &str = "共建平台 <noreply@gongjian.test>";
const ORIGIN: &str = "https://gongjian.example.cn";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// The Python with aiosmtpd the test command installs (`GONGJIAN_TEST_PYTHON`).
fn python() -> Option<PathBuf> {
    let python = std::env::var_os("GONGJIAN_TEST_PYTHON").map(PathBuf::from)?;
    let works = Command::new(&python)
        .args(["-c", "import aiosmtpd"])
        .status()
        .is_ok_and(|s| s.success());
    works.then_some(python)
}

/// The Python with aiosmtpd, or None (told) when this run may skip the mail tests: the
/// test command always installs it, so there a missing one is a failure.
fn python_or_skip() -> Option<PathBuf> {
    let python = python();
    if python.is_none() {
        assert!(
            std::env::var("GONGJIAN_REQUIRE_PG").is_err(),
            "the test command installs aiosmtpd (GONGJIAN_TEST_PYTHON)"
        );
        eprintln!("skipped: no aiosmtpd (set GONGJIAN_TEST_PYTHON)");
    }
    python
}

/// aiosmtpd on `port`, delivering into the Maildir `dir`; stopped when dropped.
struct SmtpServer(Child);

impl SmtpServer {
    async fn start(python: &Path, port: u16, dir: &Path) -> SmtpServer {
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        let server = SmtpServer(child);
        let deadline = Instant::now() + StdDuration::from_secs(30);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "aiosmtpd did not come up");
            tokio::time::sleep(StdDuration::from_millis(50)).await;
        }
        server
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// A Maildir of this test's own, removed when dropped.
struct Maildir(PathBuf);

impl Maildir {
    fn new() -> Maildir {
        let name = format!("gongjian-maildir-{}", uuid::Uuid::new_v4());
        Maildir(std::env::temp_dir().join(name))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Maildir {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// The e-mails in the Maildir as Python's `email` package reads them: to, from, subject, body.
fn mails(python: &Path, dir: &Path) -> Vec<serde_json::Value> {
    let read = r#"
import email, json, pathlib, sys
from email import policy
for f in sorted(pathlib.Path(sys.argv[1], "new").iterdir()):
    m = email.message_from_bytes(f.read_bytes(), policy=policy.default)
    print(json.dumps({"to": str(m["to"]), "from": str(m["from"]),
                      "subject": str(m["subject"]), "body": m.get_content()}))
"#;
    let out = Command::new(python)
        .args(["-c", read])
        .arg(dir)
        .output()
        .expect("read the Maildir");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect()
}

/// What the robot receiver was posted (its key, the JSON body); while `failing` it answers
/// "sent too fast" (an error worth trying again).
#[derive(Clone, Default)]
struct Robot {
    posts: Arc<Mutex<Vec<(String, serde_json::Value)>>>,
    failing: Arc<Mutex<bool>>,
}

async fn robot_receives(
    State(robot): State<Robot>,
    Query(query): Query<std::collections::HashMap<String, String>>,
    Json(body): Json<serde_json::Value>,
) -> (http::StatusCode, Json<serde_json::Value>) {
    if *robot.failing.lock().expect("lock") {
        let answer = serde_json::json!({ "errcode": 45009, "errmsg": "api freq out of limit" });
        return (http::StatusCode::OK, Json(answer));
    }
    let key = query.get("key").cloned().unwrap_or_default();
    robot.posts.lock().expect("lock").push((key, body));
    (
        http::StatusCode::OK,
        Json(serde_json::json!({ "errcode": 0, "errmsg": "ok" })),
    )
}

async fn start_robot() -> (Robot, u16) {
    let robot = Robot::default();
    let app = axum::Router::new()
        .route("/cgi-bin/webhook/send", post(robot_receives))
        .with_state(robot.clone());
    (robot, serve_locally(app).await)
}

/// `app` served on a free loopback port, until the test ends; the port.
async fn serve_locally(app: axum::Router) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    port
}

fn notice(title: &str) -> NoticeInput {
    NoticeInput {
        title: title.into(),
        body: "本周六上午9点在社区广场开展环境整治志愿服务，请党员准时参加。".into(),
        audience: NoticeAudience::Members.as_str().into(),
        ..Default::default()
    }
}

async fn a_notice_reaches_the_mailbox_and_the_group(t: TestDb) {
    let Some(python) = python_or_skip() else {
        return;
    };
    let maildir = Maildir::new();
    let smtp_port = free_port();
    let smtp = SmtpServer::start(&python, smtp_port, maildir.path()).await;
    let (robot, robot_port) = start_robot().await;
    let robot_host = format!("127.0.0.1:{robot_port}");
    let db = t.db.with_outbound(Outbound {
        email: true,
        sms: false,
        robots: true,
        extra_robot_hosts: vec![robot_host.clone()],
    });
    let cli = Cli::parse_from([
        "gongjian",
        "--smtp-url",
        &format!("smtp://127.0.0.1:{smtp_port}"),
        "--mail-from",
        FROM,
        "--public-origin",
        ORIGIN,
    ]);
    let channels = Channels::from_config(&cli.config).expect("channels");

    let w = world(&db).await;
    let a = w.community_a.id;
    let tx = w.write_as(&db, "secretary_a", a).await;
    member_a_record(&tx, &w).await;
    tx.commit().await.expect("commit");
    let member = w.scope_as(&db, "member_a", a).await;
    domain::auth::account::set_email(&db, member.actor_user_id(), "chen.xm@changjiang.cn")
        .await
        .expect("address");
    let secretary = w.scope_as(&db, "secretary_a", a).await;
    let url = format!("http://{robot_host}/cgi-bin/webhook/send?key=group-a");
    let input = RobotInput {
        kind: "wecom".into(),
        url,
        secret: String::new(),
    };
    let now = Utc::now();
    notices::set_robot(&db, &secretary, &input, now)
        .await
        .expect("robot");

    // The robot answers an error first: the e-mail goes, the post waits for its next try.
    *robot.failing.lock().expect("lock") = true;
    notices::publish(&db, &secretary, &notice("环境整治志愿服务"), now)
        .await
        .expect("published");
    assert_eq!(channels.run_due(&db, now).await, Ok(1));
    let got = mails(&python, maildir.path());
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["to"], "chen.xm@changjiang.cn");
    assert_eq!(got[0]["from"], FROM);
    let subject = got[0]["subject"].as_str().unwrap_or_default();
    assert!(subject.ends_with("】环境整治志愿服务"), "{subject}");
    let body = got[0]["body"].as_str().unwrap_or_default();
    assert!(body.contains("社区广场开展环境整治"), "{body}");
    assert!(
        body.contains(&format!("{ORIGIN}/org/{a}/messages")),
        "{body}"
    );
    assert!(robot.posts.lock().expect("lock").is_empty());

    *robot.failing.lock().expect("lock") = false;
    assert_eq!(
        channels.run_due(&db, now + Duration::seconds(30)).await,
        Ok(0)
    );
    assert_eq!(
        channels.run_due(&db, now + Duration::seconds(61)).await,
        Ok(1)
    );
    let posts = robot.posts.lock().expect("lock").clone();
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert_eq!(posts[0].0, "group-a");
    assert_eq!(posts[0].1["msgtype"], "text");
    let text = posts[0].1["text"]["content"].as_str().unwrap_or_default();
    assert!(
        text.contains("环境整治志愿服务") && text.contains("社区广场"),
        "{text}"
    );

    // The mail server down: the next notice's e-mail waits, and arrives once it is back.
    drop(smtp);
    let later = now + Duration::seconds(120);
    notices::publish(&db, &secretary, &notice("党员大会通知"), later)
        .await
        .expect("published");
    assert_eq!(channels.run_due(&db, later).await, Ok(1), "the post goes");
    assert_eq!(mails(&python, maildir.path()).len(), 1);
    let _smtp = SmtpServer::start(&python, smtp_port, maildir.path()).await;
    let retry = later + Duration::seconds(61);
    assert_eq!(channels.run_due(&db, retry).await, Ok(1));
    let got = mails(&python, maildir.path());
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got.iter().any(|m| m["subject"]
        .as_str()
        .unwrap_or_default()
        .ends_with("党员大会通知")));
    assert_eq!(robot.posts.lock().expect("lock").len(), 2);
    assert_eq!(
        channels.run_due(&db, retry + Duration::hours(1)).await,
        Ok(0)
    );

    let operator = w.principal(&db, "operator").await;
    let status = notices::outbox_status(&db, &operator, retry)
        .await
        .expect("status");
    for channel in [Channel::Email, Channel::Robot] {
        let of = status
            .iter()
            .find(|s| s.channel == channel)
            .expect("channel");
        assert!(of.configured);
        assert_eq!((of.waiting, of.sent_last_day, of.given_up), (0, 2, 0));
    }
}
both_engines!(
    a_notice_reaches_the_mailbox_and_the_group,
    a_notice_reaches_the_mailbox_and_the_group
);

/// What the SMS receiver was asked to send (the request's parameters), each signature checked
/// as Aliyun checks it; a number starting 170 is "not a mobile number".
#[derive(Clone, Default)]
struct SmsApi {
    sent: Arc<Mutex<Vec<std::collections::BTreeMap<String, String>>>>,
}

const SMS_SECRET: &str = "test-secret";

async fn sms_receives(
    State(api): State<SmsApi>,
    Query(query): Query<std::collections::BTreeMap<String, String>>,
) -> Json<serde_json::Value> {
    let signed: std::collections::BTreeMap<&str, String> = query
        .iter()
        .filter(|(k, _)| k.as_str() != "Signature")
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    let expected = server::channels::aliyun_sms::signature(&signed, SMS_SECRET);
    if query.get("Signature") != Some(&expected) {
        return Json(serde_json::json!({ "Code": "SignatureDoesNotMatch" }));
    }
    if query
        .get("PhoneNumbers")
        .is_some_and(|p| p.starts_with("170"))
    {
        return Json(serde_json::json!({ "Code": "isv.MOBILE_NUMBER_ILLEGAL" }));
    }
    api.sent.lock().expect("lock").push(query);
    Json(serde_json::json!({ "Code": "OK", "Message": "OK" }))
}

async fn a_notice_is_texted_to_those_who_asked(t: TestDb) {
    let api = SmsApi::default();
    let app = axum::Router::new()
        .route("/", get(sms_receives))
        .with_state(api.clone());
    let port = serve_locally(app).await;
    let db = t.db.with_outbound(Outbound {
        sms: true,
        ..Default::default()
    });
    let endpoint = format!("http://127.0.0.1:{port}/");
    let cli = Cli::parse_from([
        "gongjian",
        "--aliyun-sms-access-key-id",
        "test-id",
        "--aliyun-sms-access-key-secret",
        SMS_SECRET,
        "--aliyun-sms-sign-name",
        "共建",
        "--aliyun-sms-template-code",
        "SMS_0001",
        "--aliyun-sms-code-template",
        "SMS_CODE",
        "--aliyun-sms-endpoint",
        &endpoint,
    ]);
    assert!(cli.config.outbound().sms, "configured");
    let channels = Channels::from_config(&cli.config).expect("channels");
    let w = world(&db).await;
    let a = w.community_a.id;
    let tx = w.write_as(&db, "secretary_a", a).await;
    member_a_record(&tx, &w).await;
    tx.commit().await.expect("commit");
    let member = w.scope_as(&db, "member_a", a).await;
    let user = member.actor_user_id();
    // A number that is not one is refused when typed.
    assert!(domain::auth::account::set_sms_phone(&db, user, "1380013")
        .await
        .is_err());
    domain::auth::account::set_sms_phone(&db, user, "13800138000")
        .await
        .expect("number");
    let secretary = w.scope_as(&db, "secretary_a", a).await;
    let now = Utc::now();
    let title = "关于冬季用电安全与楼道堆物清理的紧急通知（第二批）";
    notices::publish(&db, &secretary, &notice(title), now)
        .await
        .expect("published");
    assert_eq!(channels.run_due(&db, now).await, Ok(1));
    let sent = api.sent.lock().expect("lock").clone();
    assert_eq!(sent.len(), 1, "{sent:?}");
    let text = &sent[0];
    assert_eq!(text["PhoneNumbers"], "13800138000");
    assert_eq!(
        (text["SignName"].as_str(), text["TemplateCode"].as_str()),
        ("共建", "SMS_0001")
    );
    let params: serde_json::Value =
        serde_json::from_str(&text["TemplateParam"]).expect("template parameters");
    let shown = params["title"].as_str().unwrap_or_default();
    assert_eq!(shown.chars().count(), 20, "{shown}");
    assert!(
        shown.starts_with("关于冬季用电安全") && shown.ends_with('…'),
        "{shown}"
    );
    assert!(params["from"].as_str().is_some_and(|f| !f.is_empty()));

    // A number the provider says is none: given up at once, the number not kept in the error.
    domain::auth::account::set_sms_phone(&db, user, "17000000000")
        .await
        .expect("number");
    notices::publish(&db, &secretary, &notice("第二则通知"), now)
        .await
        .expect("published");
    assert_eq!(channels.run_due(&db, now).await, Ok(0));
    let operator = w.principal(&db, "operator").await;
    let status = notices::outbox_status(&db, &operator, now)
        .await
        .expect("status");
    let sms = status
        .iter()
        .find(|c| c.channel == Channel::Sms)
        .expect("sms");
    assert!(sms.configured);
    assert_eq!((sms.waiting, sms.given_up), (0, 1));
    assert!(
        sms.latest_errors[0].2.contains("MOBILE_NUMBER_ILLEGAL"),
        "{:?}",
        sms.latest_errors
    );
    assert!(
        !sms.latest_errors[0].2.contains("17000000000"),
        "no number kept"
    );
    // Taken back: nothing more is texted.
    domain::auth::account::set_sms_phone(&db, user, "")
        .await
        .expect("removed");
    notices::publish(&db, &secretary, &notice("第三则通知"), now)
        .await
        .expect("published");
    assert_eq!(channels.run_due(&db, now).await, Ok(0));
    assert_eq!(api.sent.lock().expect("lock").len(), 1);
}
both_engines!(
    a_notice_is_texted_to_those_who_asked,
    a_notice_is_texted_to_those_who_asked
);

/// The six digits of the code in `text`.
fn code_in(text: &str) -> String {
    let digits: Vec<char> = text.chars().collect();
    digits
        .windows(6)
        .find(|w| w.iter().all(char::is_ascii_digit))
        .map(|w| w.iter().collect())
        .unwrap_or_else(|| panic!("no code in {text}"))
}

/// Over HTTP with the real receivers: an address or number saved on the account page is
/// mailed or texted a code and used only once the code is typed back by the same person (not
/// by another account, not a wrong one); a number the provider says is none gets no code, and
/// the person is told.
async fn a_new_address_is_theirs_once_its_code_comes_back(t: TestDb) {
    use support::{enc, login, submit, visit};
    let Some(python) = python_or_skip() else {
        return;
    };
    let maildir = Maildir::new();
    let smtp_port = free_port();
    let _smtp = SmtpServer::start(&python, smtp_port, maildir.path()).await;
    let api = SmsApi::default();
    let sms_app = axum::Router::new()
        .route("/", get(sms_receives))
        .with_state(api.clone());
    let sms_port = serve_locally(sms_app).await;
    let cli = Cli::parse_from([
        "gongjian",
        "--smtp-url",
        &format!("smtp://127.0.0.1:{smtp_port}"),
        "--mail-from",
        FROM,
        "--aliyun-sms-access-key-id",
        "test-id",
        "--aliyun-sms-access-key-secret",
        SMS_SECRET,
        "--aliyun-sms-sign-name",
        "共建",
        "--aliyun-sms-template-code",
        "SMS_0001",
        "--aliyun-sms-code-template",
        "SMS_CODE",
        "--aliyun-sms-endpoint",
        &format!("http://127.0.0.1:{sms_port}/"),
    ]);
    let cfg = cli.config;
    let db = t.db.with_outbound(cfg.outbound());
    let w = world(&db).await;
    let router =
        server::router::build(&cfg, server::router::app_state(&cfg, db.clone())).expect("router");
    let member = login(&router, "member_a", None).await;
    let secretary = login(&router, "secretary_a", None).await;
    let (me, them) = (
        w.account("member_a").user_id,
        w.account("secretary_a").user_id,
    );
    let address = "chen.xm@changjiang.cn";

    let asked = submit(
        &router,
        "/api/account/email",
        format!("email={}", enc(address)),
        &member,
    )
    .await;
    assert_eq!(asked.location.as_deref(), Some("/account?sent=email#email"));
    let got = mails(&python, maildir.path());
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["to"], address);
    let code = code_in(got[0]["subject"].as_str().unwrap_or_default());
    assert!(got[0]["body"].as_str().is_some_and(|b| b.contains(&code)));
    let page = visit(&router, "/account", &member).await;
    assert!(page.body.contains("验证码已发送至 chen.xm@changjiang.cn"));
    assert_eq!(domain::auth::account::my_email(&db, me).await, Ok(None));

    // Another account typing the code: nothing of theirs waits, nothing of mine is used.
    let confirm = |code: &str| format!("channel=email&code={code}");
    let theirs = submit(&router, "/api/account/confirm", confirm(&code), &secretary).await;
    assert_eq!(theirs.location.as_deref(), Some("/account#email"));
    let page = visit(&router, "/account", &secretary).await;
    assert!(page.body.contains("验证码已失效"), "{}", page.body);
    assert!(!page.body.contains(address));
    assert_eq!(domain::auth::account::my_email(&db, them).await, Ok(None));

    let wrong = if code == "000000" { "111111" } else { "000000" };
    submit(&router, "/api/account/confirm", confirm(wrong), &member).await;
    let page = visit(&router, "/account", &member).await;
    assert!(page.body.contains("验证码不正确"), "{}", page.body);
    let done = submit(&router, "/api/account/confirm", confirm(&code), &member).await;
    assert_eq!(
        done.location.as_deref(),
        Some("/account?saved=1&on=email#email")
    );
    assert_eq!(
        domain::auth::account::my_email(&db, me).await,
        Ok(Some(address.into()))
    );
    let page = visit(&router, "/account", &member).await;
    assert!(page.body.contains(&format!("value=\"{address}\"")));
    assert!(!page.body.contains("验证码已发送"));

    // A text: the code goes through the 验证码 template.
    submit(
        &router,
        "/api/account/sms",
        "sms_phone=13800138000".into(),
        &member,
    )
    .await;
    let sent = api.sent.lock().expect("lock").clone();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(
        (
            sent[0]["PhoneNumbers"].as_str(),
            sent[0]["TemplateCode"].as_str()
        ),
        ("13800138000", "SMS_CODE")
    );
    let params: serde_json::Value =
        serde_json::from_str(&sent[0]["TemplateParam"]).expect("template parameters");
    let code = params["code"].as_str().unwrap_or_default().to_owned();
    assert_eq!(code.len(), 6);
    submit(
        &router,
        "/api/account/confirm",
        format!("channel=sms&code={code}"),
        &member,
    )
    .await;
    assert_eq!(
        domain::auth::account::my_sms_phone(&db, me).await,
        Ok(Some("13800138000".into()))
    );

    // A number the provider says is none: no code waits, the person is told.
    submit(
        &router,
        "/api/account/sms",
        "sms_phone=17000000000".into(),
        &secretary,
    )
    .await;
    let page = visit(&router, "/account", &secretary).await;
    assert!(page.body.contains("无法接收验证码"), "{}", page.body);
    assert_eq!(
        domain::auth::contact::pending(&db, them, Utc::now()).await,
        Ok(Vec::new())
    );
    assert_eq!(
        domain::auth::account::my_sms_phone(&db, them).await,
        Ok(None)
    );
}
both_engines!(
    a_new_address_is_theirs_once_its_code_comes_back,
    a_new_address_is_theirs_once_its_code_comes_back
);
