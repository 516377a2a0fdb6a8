//! The national-scale dashboard benchmark (not a test): all 111,430 communities of the divisions
//! file with synthetic members (about `ROLLUP_BENCH_MEMBERS` per community on average, skewed:
//! the default 90 gives ≥ 10 million), a year of activities with signups and attendance, needs,
//! joint meetings and resolutions, loaded in bulk with their rollup counters and subtree totals
//! (`dataset`), then the dashboard of a street, a district and the whole country read through
//! the domain — p50 / p95 of `ROLLUP_BENCH_ROUNDS` reads each — against a bare axum handler in
//! the same run, on SQLite and on PostgreSQL. The write side too: members added at once by
//! concurrent writers all over the scope (`ROLLUP_BENCH_WRITERS`, e.g. `16,64,256`), each
//! moving the totals of the same country and province. `ROLLUP_BENCH_SCOPE` narrows the divisions (e.g.
//! `22` for 吉林省, `220103` for one district); a narrowed run (or `ROLLUP_BENCH_RECONCILE=1`)
//! also reconciles every counter against the rows and fails on any difference — the small
//! version `scripts/test` runs.
#[path = "../common/mod.rs"]
mod common;
mod dataset;

use domain::tenancy::Commit;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use common::{ms, percentile};
use domain::auth::{Principal, Role};
use domain::testing::{fresh, Engine};
use domain::Db;
use http::Request;
use sea_orm::{ConnectionTrait, Database, Statement};
use tower::ServiceExt;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A connection that may write every tenant's rows in bulk (SQLite: the file; PostgreSQL: the
/// cluster's superuser, as an operator's bulk load would).
async fn loader(t: &domain::testing::TestDb) -> sea_orm::DatabaseConnection {
    match t.engine {
        Engine::Sqlite => Database::connect(t.app_url.as_str()).await.expect("sqlite"),
        Engine::Postgres => {
            let admin = std::env::var("GONGJIAN_TEST_PG").expect("GONGJIAN_TEST_PG");
            let name = t.app_url.rsplit('/').next().expect("database name");
            Database::connect(format!("{admin}/{name}"))
                .await
                .expect("postgres")
        }
    }
}

async fn count(conn: &sea_orm::DatabaseConnection, table: &str) -> i64 {
    conn.query_one_raw(Statement::from_string(
        conn.get_database_backend(),
        format!("SELECT COUNT(*) AS n FROM {table}"),
    ))
    .await
    .expect("count")
    .and_then(|r| r.try_get::<i64>("", "n").ok())
    .unwrap_or(0)
}

async fn node_at(conn: &sea_orm::DatabaseConnection, kind: &str) -> uuid::Uuid {
    let row = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            format!("SELECT id FROM org_nodes WHERE kind = '{kind}' ORDER BY code LIMIT 1"),
        ))
        .await
        .expect("query")
        .expect("a node");
    row.try_get("", "id").expect("id")
}

async fn timed(db: &Db, operator: &Principal, node: uuid::Uuid, rounds: usize) -> Vec<Duration> {
    let rollup = operator.rollup_scope(db, node).await.expect("aggregates");
    // The read itself each time, not the copy a server keeps until something below changes.
    let db = &db.without_kept_figures();
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        let board = domain::rollup::dashboard(db, &rollup, Utc::now())
            .await
            .expect("dashboard");
        times.push(started.elapsed());
        // The dashboard reads what was loaded: members, activities, attendance, resolutions.
        assert!(board.totals.members > 0);
        assert!(board.activity.this_year() > 0 && board.activity.attended > 0);
        assert!(board.coop.resolutions > 0 && board.coop.needs_open > 0);
    }
    times.sort();
    times
}

/// The write side: `writers` tasks at once, each adding a member to `each` communities spread
/// over the whole scope, a transaction each through the domain — every one moves the same
/// country and province totals. Returns writes per second and each write's duration.
async fn concurrent_writes(
    db: &Db,
    conn: &sea_orm::DatabaseConnection,
    writers: usize,
    each: usize,
) -> (f64, Vec<Duration>) {
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT id FROM org_nodes WHERE kind = 'community' ORDER BY code".to_owned(),
        ))
        .await
        .expect("communities");
    let all: Vec<uuid::Uuid> = rows
        .iter()
        .map(|r| r.try_get("", "id").expect("id"))
        .collect();
    let step = (all.len() / (writers * each)).max(1);
    let picked: Vec<uuid::Uuid> = all.into_iter().step_by(step).take(writers * each).collect();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for chunk in picked.chunks(each) {
        let (db, chunk) = (db.clone(), chunk.to_vec());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            for community in chunk {
                let begun = Instant::now();
                let scope = domain::testing::community_scope(community);
                let tx = scope.write(&db).await.expect("tx");
                let input = domain::testing::member_input("新党员");
                domain::members::create(&tx, &input, None, domain::testing::today())
                    .await
                    .expect("member");
                tx.commit().await.expect("commit");
                times.push(begun.elapsed());
            }
            times
        }));
    }
    let mut times = Vec::new();
    for task in tasks {
        times.extend(task.await.expect("writer"));
    }
    let per_second = times.len() as f64 / started.elapsed().as_secs_f64();
    times.sort();
    (per_second, times)
}

/// Whether the counts of writers were chosen (`ROLLUP_BENCH_WRITERS`).
fn writers_listed() -> bool {
    std::env::var("ROLLUP_BENCH_WRITERS").is_ok()
}

async fn operator(t: &domain::testing::TestDb, conn: &sea_orm::DatabaseConnection) -> uuid::Uuid {
    let operator = domain::auth::users::create_user(
        &t.db,
        domain::auth::users::NewUser {
            login_name: "bench",
            phone: None,
            display_name: "bench",
            password: "Bench@2026-operator",
        },
    )
    .await
    .expect("user");
    let country = node_at(conn, "country").await;
    domain::auth::users::grant_role(&t.db, None, operator, country, Role::PlatformOperator)
        .await
        .expect("role");
    operator
}

async fn run(engine: Engine) {
    let Some(t) = fresh(engine).await else {
        println!("{engine:?}: skipped (no PostgreSQL configured)");
        return;
    };
    let scope = std::env::var("ROLLUP_BENCH_SCOPE").unwrap_or_else(|_| "all".to_owned());
    let sizes = dataset::Sizes {
        members: env_or("ROLLUP_BENCH_MEMBERS", 90),
        activities_per_month: env_or("ROLLUP_BENCH_ACTIVITIES", 1),
        signups: env_or("ROLLUP_BENCH_SIGNUPS", 8),
        needs: env_or("ROLLUP_BENCH_NEEDS", 4),
    };
    let rounds = env_or("ROLLUP_BENCH_ROUNDS", 200) as usize;
    let file = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("run by cargo"))
        .join("../data/china-communities.csv.gz");
    let started = Instant::now();
    let prefix = domain::divisions::parse_selection(&scope).expect("scope");
    let reader = flate2::read::GzDecoder::new(std::fs::File::open(&file).expect("divisions"));
    let rows = domain::divisions::read_rows(std::io::BufReader::new(reader), prefix.as_deref())
        .expect("rows");
    domain::divisions::import(&t.db, &rows, &mut |_, _| {})
        .await
        .expect("import");
    let conn = loader(&t).await;
    let operator = operator(&t, &conn).await;
    dataset::load(&conn, &sizes, operator, Utc::now()).await;
    println!(
        "{engine:?}: {} communities, {} members, {} activities, {} signups, {} needs, \
         {} resolutions loaded with their counters in {:.0} s",
        rows.len(),
        count(&conn, "members").await,
        count(&conn, "activities").await,
        count(&conn, "activity_signups").await,
        count(&conn, "coop_needs").await,
        count(&conn, "coop_resolutions").await,
        started.elapsed().as_secs_f64()
    );
    // `ROLLUP_BENCH_WRITERS=16,64,256`: each count of writers adds 1,600 members in all (400
    // with the default 16 alone, as before).
    let writers = std::env::var("ROLLUP_BENCH_WRITERS").unwrap_or_else(|_| "16".to_owned());
    for writers in writers
        .split(',')
        .filter_map(|w| w.trim().parse::<usize>().ok())
    {
        let total = if writers_listed() { 1_600 } else { 400 };
        let each = (total / writers).max(1);
        let (per_second, times) = concurrent_writes(&t.db, &conn, writers, each).await;
        println!(
            "{engine:?}: {} members added at once by up to {writers} writers, in communities \
             across the scope: {per_second:.0}/s, p50 {}, p95 {}",
            times.len(),
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95))
        );
    }
    // What the writers left pending is folded in, as the server does every second.
    while domain::rollup::compact(&t.db).await.expect("compact") {}
    if scope != "all" || env_or("ROLLUP_BENCH_RECONCILE", 0) == 1 {
        let started = Instant::now();
        let differences = domain::rollup::reconcile(&t.db, false)
            .await
            .expect("reconcile");
        assert!(
            differences.is_empty(),
            "the bulk counters differ from the rows: {:?}",
            &differences[..differences.len().min(10)]
        );
        println!(
            "{engine:?}: reconcile: every counter equals its rows ({:.0} s)",
            started.elapsed().as_secs_f64()
        );
    }

    let operator = Principal::load(&t.db, operator)
        .await
        .expect("load")
        .expect("active");
    for kind in ["street", "district", "country"] {
        let node = node_at(&conn, kind).await;
        let times = timed(&t.db, &operator, node, rounds).await;
        println!(
            "{engine:?}: {kind} dashboard, {rounds} reads: p50 {}, p95 {}",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95))
        );
    }
    let bare = Router::new().route("/get", get(|| async { "ok" }));
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        let reply = bare
            .clone()
            .oneshot(Request::get("/get").body(Body::empty()).expect("request"))
            .await
            .expect("reply");
        assert!(reply.status().is_success());
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "{engine:?}: bare axum handler, same run: p50 {}, p95 {}",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95))
    );
    // The national SQLite file is several gigabytes: not left behind.
    if engine == Engine::Sqlite {
        drop(conn);
        let file = t.app_url.trim_start_matches("sqlite://");
        let file = file.split('?').next().unwrap_or(file);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{file}{suffix}"));
        }
    }
}

#[tokio::main]
async fn main() {
    // `ROLLUP_BENCH_ENGINE=postgres` (or `sqlite`) runs one engine only.
    let only = std::env::var("ROLLUP_BENCH_ENGINE").ok();
    for engine in [Engine::Sqlite, Engine::Postgres] {
        let name = format!("{engine:?}");
        if only
            .as_deref()
            .is_none_or(|o| o.eq_ignore_ascii_case(&name))
        {
            run(engine).await;
        }
    }
}
