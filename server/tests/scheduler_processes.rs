//! The scheduler with two real server processes on one PostgreSQL database: each reminder that
//! falls due is sent once while both run, and when the process holding the lease stops, the
//! other takes over. Skipped without PostgreSQL unless the test command requires it.
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use domain::activities;
use domain::entities::reminder;
use domain::kinds::MessageKind;
use domain::tenancy::{shared, Commit, TenantScope};
use domain::testing::{activity_tomorrow, fresh, member_a_scope, world, Engine};
use domain::Db;
use sea_orm::ColumnTrait;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// A server process and its port, stopped when dropped (also when an assertion fails).
struct Server(Child, u16);

impl Drop for Server {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// Waits until the server answers `/healthz` (it would have exited had it failed to start).
async fn up(server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let answered = tokio::net::TcpStream::connect(("127.0.0.1", server.1))
            .await
            .is_ok();
        if answered {
            return;
        }
        assert!(Instant::now() < deadline, "a server did not come up");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A server whose reminders' clock runs 25 hours ahead (the day-before reminders of
/// tomorrow's activities are due), looking every second.
fn serve(app_url: &str, clock: &Path) -> Server {
    let owner_url = app_url.replacen("gongjian_app@", "gongjian_owner@", 1);
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", app_url)
        .env("DATABASE_OWNER_URL", owner_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("REMINDERS_EVERY_SECONDS", "1")
        .env("REMINDERS_CLOCK_FILE", clock)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start server");
    Server(child, port)
}

/// `n` activities in two days (their day-before reminders due once the clock is a day
/// ahead), the member signed up for each.
async fn activities_for(db: &Db, staff: &TenantScope, member: &TenantScope, n: usize) {
    for i in 0..n {
        let mut input = activity_tomorrow(&format!("活动 {i}"), "");
        let later = |field: &str| {
            let t = chrono::NaiveDateTime::parse_from_str(field, "%Y-%m-%dT%H:%M")
                .expect("a form time")
                + chrono::Duration::days(1);
            t.format("%Y-%m-%dT%H:%M").to_string()
        };
        input.starts_at = later(&input.starts_at);
        input.ends_at = later(&input.ends_at);
        input.signup_closes_at = later(&input.signup_closes_at);
        let tx = staff.write(db).await.expect("tx");
        let id = activities::save_activity(&tx, None, &input, Utc::now())
            .await
            .expect("saved");
        tx.commit().await.expect("commit");
        let tx = member.write(db).await.expect("tx");
        activities::sign_up(&tx, id, Utc::now())
            .await
            .expect("signed up");
        tx.commit().await.expect("commit");
    }
}

async fn day_before(db: &Db) -> Vec<reminder::Model> {
    shared::find::<reminder::Entity>()
        .filter(reminder::Column::Kind.eq(MessageKind::ActivityDayBefore))
        .all(db)
        .await
        .expect("reminders")
}

async fn until_all_sent(db: &Db, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let rows = day_before(db).await;
        if rows.len() == n && rows.iter().all(|r| r.sent_at.is_some()) {
            return;
        }
        assert!(Instant::now() < deadline, "the reminders were not sent");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The member's day-before messages: (id, written at).
async fn messages(db: &Db, member: &TenantScope) -> Vec<(uuid::Uuid, chrono::DateTime<Utc>)> {
    let mut out: Vec<_> = domain::notices::inbox(db, member, 1)
        .await
        .expect("inbox")
        .items
        .into_iter()
        .filter(|i| i.kind == MessageKind::ActivityDayBefore)
        .map(|i| (i.message_id, i.sent_at))
        .collect();
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn two_server_processes_send_each_reminder_once() {
    let Some(t) = fresh(Engine::Postgres).await else {
        return;
    };
    let (db, w) = (&t.db, world(&t.db).await);
    let a = w.community_a.id;
    let secretary = w.scope_as(db, "secretary_a", a).await;
    let member = member_a_scope(db, &w).await;
    let clock = std::env::temp_dir().join(format!("gongjian-clock-{}", uuid::Uuid::now_v7()));
    std::fs::write(&clock, (25 * 3600).to_string()).expect("clock file");

    // Twelve reminders due while both processes run: each sent once.
    activities_for(db, &secretary, &member, 12).await;
    // Started at the same moment (their migrations and grants take turns).
    let first = serve(&t.app_url, &clock);
    let second = serve(&t.app_url, &clock);
    up(&first).await;
    up(&second).await;
    until_all_sent(db, 12).await;
    let sent = messages(db, &member).await;
    assert_eq!(sent.len(), 12, "one message per reminder");
    // A few more turns of both: nothing is sent again (a second send would write anew).
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(messages(db, &member).await, sent);
    assert!(day_before(db).await.iter().all(|r| r.reached == Some(1)));

    // Whichever held the lease stops; the other takes over once its time has passed.
    let holder: String = {
        use domain::entities::scheduler_lease;
        shared::find::<scheduler_lease::Entity>()
            .all(db)
            .await
            .expect("lease")
            .into_iter()
            .map(|l| l.holder)
            .next()
            .expect("held")
    };
    let pid: u32 = holder
        .split('-')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("the holder names its process");
    let (stopped, still) = if first.0.id() == pid {
        (first, second)
    } else {
        (second, first)
    };
    drop(stopped);
    activities_for(db, &secretary, &member, 4).await;
    until_all_sent(db, 16).await;
    assert_eq!(messages(db, &member).await.len(), 16);
    drop(still);
    std::fs::remove_file(&clock).ok();
}
