//! The national-scale dashboard benchmark (not a test): all 111,430 communities of the divisions
//! file with synthetic members (about `ROLLUP_BENCH_MEMBERS` per community on average, skewed:
//! the default 90 gives ≥ 10 million), loaded in bulk with their rollup counters and subtree
//! totals, then the dashboard of a street, a district and the whole country read through the
//! domain — p50 / p95 of `ROUNDS` reads each — against a bare axum handler in the same run, on
//! SQLite and on PostgreSQL. `ROLLUP_BENCH_SCOPE` narrows the divisions (e.g. `22` for 吉林省).
//! Activities, signups, needs and resolutions are not generated yet (see the notes).
mod common;

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
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use tower::ServiceExt;

const ROUNDS: usize = 200;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
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

async fn run_sql(conn: &sea_orm::DatabaseConnection, sql: &str) {
    conn.execute_raw(Statement::from_string(
        conn.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .unwrap_or_else(|e| panic!("{e}: {sql}"));
}

/// Members for every community: a skewed size from the community's code, categories and a few
/// lost-contact members spread by number.
async fn members(conn: &sea_orm::DatabaseConnection, average: u64) {
    let size =
        |code: &str| format!("({average} / 2 + {average} * (({code} % 13) * ({code} % 13)) / 72)");
    let columns = "tenant_id, id, name, gender, created_at, category, status";
    let category = "CASE s.n % 6 WHEN 0 THEN 'in_service' WHEN 1 THEN 'retired' \
                    WHEN 2 THEN 'unemployed' WHEN 3 THEN 'floating' WHEN 4 THEN 'resident' \
                    ELSE 'graduate' END";
    let status = "CASE WHEN s.n % 50 = 0 THEN 'lost_contact' ELSE 'normal' END";
    let gender = "CASE s.n % 2 WHEN 0 THEN '男' ELSE '女' END";
    let sql = match conn.get_database_backend() {
        DbBackend::Postgres => format!(
            "INSERT INTO members ({columns}) \
             SELECT c.id, gen_random_uuid(), '党员' || s.n, {gender}, now(), {category}, {status} \
             FROM org_nodes c CROSS JOIN LATERAL generate_series(1, {}) AS s(n) \
             WHERE c.kind = 'community'",
            size("CAST(c.code AS BIGINT)")
        ),
        _ => format!(
            "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {}) \
             INSERT INTO members ({columns}) \
             SELECT c.id, randomblob(16), '党员' || s.n, {gender}, '2026-01-01 00:00:00+00:00', \
             {category}, {status} \
             FROM org_nodes c JOIN s ON s.n <= {} WHERE c.kind = 'community'",
            average * 3,
            size("CAST(c.code AS INTEGER)")
        ),
    };
    run_sql(conn, &sql).await;
    // The counters the domain keeps for them, as `reconcile` would compute them.
    for (metric, filter, group) in [
        ("'members'", "status <> 'transferred_out'", "tenant_id"),
        (
            "'members.category.' || category",
            "1 = 1",
            "tenant_id, category",
        ),
        ("'members.status.' || status", "1 = 1", "tenant_id, status"),
    ] {
        run_sql(
            conn,
            &format!(
                "INSERT INTO rollup_counts (node_id, metric, value) \
                 SELECT tenant_id, {metric}, COUNT(*) FROM members WHERE {filter} \
                 GROUP BY {group}"
            ),
        )
        .await;
    }
    migrations::rebuild_totals(conn).await.expect("totals");
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

async fn timed(db: &Db, operator: &Principal, node: uuid::Uuid) -> Vec<Duration> {
    let rollup = operator.rollup_scope(db, node).await.expect("aggregates");
    let mut times = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let board = domain::rollup::dashboard(db, &rollup, Utc::now())
            .await
            .expect("dashboard");
        times.push(started.elapsed());
        assert!(board.totals.members > 0);
    }
    times.sort();
    times
}

async fn run(engine: Engine) {
    let Some(t) = fresh(engine).await else {
        println!("{engine:?}: skipped (no PostgreSQL configured)");
        return;
    };
    let scope = env_or("ROLLUP_BENCH_SCOPE", "all");
    let average: u64 = env_or("ROLLUP_BENCH_MEMBERS", "90").parse().unwrap_or(90);
    let file =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/china-communities.csv.gz");
    let started = Instant::now();
    let prefix = domain::org::import::parse_selection(&scope).expect("scope");
    let reader = flate2::read::GzDecoder::new(std::fs::File::open(&file).expect("divisions"));
    let rows = domain::org::import::read_rows(std::io::BufReader::new(reader), prefix.as_deref())
        .expect("rows");
    domain::org::import::import(&t.db, &rows, &mut |_, _| {})
        .await
        .expect("import");
    let conn = loader(&t).await;
    members(&conn, average).await;
    let count = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT COUNT(*) AS n FROM members".to_owned(),
        ))
        .await
        .expect("count")
        .and_then(|r| r.try_get::<i64>("", "n").ok())
        .unwrap_or(0);
    println!(
        "{engine:?}: {} communities, {count} members loaded with their counters in {:.0} s",
        rows.len(),
        started.elapsed().as_secs_f64()
    );

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
    let country = node_at(&conn, "country").await;
    domain::auth::users::grant_role(&t.db, None, operator, country, Role::PlatformOperator)
        .await
        .expect("role");
    let operator = Principal::load(&t.db, operator)
        .await
        .expect("load")
        .expect("active");
    for kind in ["street", "district", "country"] {
        let node = node_at(&conn, kind).await;
        let times = timed(&t.db, &operator, node).await;
        println!(
            "{engine:?}: {kind} dashboard, {ROUNDS} reads: p50 {}, p95 {}",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95))
        );
    }
    let bare = Router::new().route("/get", get(|| async { "ok" }));
    let mut times = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
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
    run(Engine::Sqlite).await;
    run(Engine::Postgres).await;
}
