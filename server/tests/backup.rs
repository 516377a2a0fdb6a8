//! `backup` and `restore` round-trip: the demo seeded into a database, backed up, restored into
//! an empty one — every table holds the same rows — and never restored over data.
use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Parser;
use domain::testing::{fresh, Engine, TestDb};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use server::cli::Cli;

fn repo_file(path: &str) -> PathBuf {
    // Read when the test runs: the binary may be built in another checkout sharing the target.
    PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("run by cargo"))
        .join("..")
        .join(path)
}

fn config(args: &[&str]) -> server::config::Config {
    let mut all = vec!["gongjian"];
    all.extend_from_slice(args);
    Cli::parse_from(all).config
}

fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("gongjian-{}-{name}", uuid::Uuid::now_v7()))
}

async fn seed(t: &TestDb) {
    domain::demo::seed(
        &t.db,
        &repo_file("data/china-communities.csv.gz"),
        "Demo@2026",
    )
    .await
    .expect("demo seeded");
}

/// Every table's row count and rows (as text, sorted), read past row-level security.
async fn tables(url: &str) -> BTreeMap<String, (i64, String)> {
    let conn = Database::connect(url).await.expect("connect");
    let backend = conn.get_database_backend();
    let names_sql = match backend {
        DbBackend::Postgres => {
            "SELECT table_name AS name FROM information_schema.tables \
             WHERE table_schema = 'public' ORDER BY 1"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1",
    };
    let names: Vec<String> = conn
        .query_all_raw(Statement::from_string(backend, names_sql))
        .await
        .expect("tables")
        .into_iter()
        .filter_map(|r| r.try_get::<String>("", "name").ok())
        .collect();
    let mut out = BTreeMap::new();
    for name in names {
        let sql = match backend {
            DbBackend::Postgres => format!(
                "SELECT count(*) AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) \
                 AS h FROM \"{name}\" t"
            ),
            _ => {
                let columns: Vec<String> = conn
                    .query_all_raw(Statement::from_string(
                        backend,
                        format!("SELECT name FROM pragma_table_info('{name}')"),
                    ))
                    .await
                    .expect("columns")
                    .into_iter()
                    .filter_map(|r| r.try_get::<String>("", "name").ok())
                    .map(|c| format!("quote(\"{c}\")"))
                    .collect();
                format!(
                    "SELECT count(*) AS n, coalesce(group_concat(r, '|'), '') AS h FROM \
                     (SELECT {} AS r FROM \"{name}\" ORDER BY r)",
                    columns.join(" || ',' || ")
                )
            }
        };
        let row = conn
            .query_one_raw(Statement::from_string(backend, sql))
            .await
            .expect("rows")
            .expect("one row");
        let n: i64 = row.try_get("", "n").expect("n");
        let h: String = row.try_get("", "h").expect("h");
        out.insert(name, (n, h));
    }
    conn.close().await.ok();
    out
}

fn assert_same(before: &BTreeMap<String, (i64, String)>, after: &BTreeMap<String, (i64, String)>) {
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (table, (n, rows)) in before {
        assert_eq!(after[table].0, *n, "{table}: row count");
        assert!(after[table].1 == *rows, "{table}: rows differ");
    }
    let members = before.get("members").map_or(0, |(n, _)| *n);
    assert!(
        members > 10,
        "the demo was there to back up ({members} members)"
    );
}

#[tokio::test]
async fn sqlite_backup_restores_every_table() {
    let t = fresh(Engine::Sqlite).await.expect("sqlite");
    seed(&t).await;
    let source = config(&["--database-url", &t.app_url]);
    let file = scratch("backup.db");
    server::backup::backup(&source, &file)
        .await
        .expect("backup");
    assert!(
        server::backup::backup(&source, &file).await.is_err(),
        "never overwrites a file"
    );
    let target_file = scratch("restored.db");
    let target_url = format!("sqlite://{}?mode=rwc", target_file.display());
    let target = config(&["--database-url", &target_url]);
    server::backup::restore(&target, &file)
        .await
        .expect("restore");
    assert_same(&tables(&t.app_url).await, &tables(&target_url).await);
    // Never over data: the restored database now holds some.
    let again = server::backup::restore(&target, &file).await;
    assert!(again.is_err_and(|e| e.contains("holds data")));
    // A damaged backup is refused and leaves no database behind.
    let damaged = scratch("damaged.db");
    let bytes = std::fs::read(&file).expect("backup bytes");
    std::fs::write(&damaged, &bytes[..bytes.len() / 2]).expect("write half");
    let elsewhere = scratch("elsewhere.db");
    let other = config(&[
        "--database-url",
        &format!("sqlite://{}?mode=rwc", elsewhere.display()),
    ]);
    assert!(server::backup::restore(&other, &damaged).await.is_err());
    assert!(!elsewhere.exists());
    for f in [file, target_file, damaged] {
        std::fs::remove_file(f).ok();
    }
}

#[tokio::test]
async fn postgres_backup_restores_every_table() {
    let Some(t) = fresh(Engine::Postgres).await else {
        return;
    };
    seed(&t).await;
    let admin = std::env::var("GONGJIAN_TEST_PG").expect("GONGJIAN_TEST_PG");
    let name = t.app_url.rsplit('/').next().expect("db name").to_owned();
    let source = config(&[
        "--database-url",
        &t.app_url,
        "--backup-database-url",
        &format!("{admin}/{name}"),
    ]);
    let file = scratch("backup.pgdump");
    server::backup::backup(&source, &file)
        .await
        .expect("backup");

    // An empty database made for it, owned by the owner role as `migrate` expects.
    let restored = format!("{name}_restored");
    let conn = Database::connect(format!("{admin}/postgres"))
        .await
        .expect("admin");
    conn.execute_unprepared(&format!(
        "CREATE DATABASE {restored} OWNER {}",
        domain::testing::OWNER_ROLE
    ))
    .await
    .expect("create database");
    conn.close().await.ok();
    let app = t
        .app_url
        .replace(&format!("/{name}"), &format!("/{restored}"));
    let owner = app.replace(domain::testing::APP_ROLE, domain::testing::OWNER_ROLE);
    let target = config(&[
        "--database-url",
        &app,
        "--database-owner-url",
        &owner,
        "--backup-database-url",
        &format!("{admin}/{restored}"),
    ]);
    server::backup::restore(&target, &file)
        .await
        .expect("restore");
    assert_same(
        &tables(&format!("{admin}/{name}")).await,
        &tables(&format!("{admin}/{restored}")).await,
    );
    let again = server::backup::restore(&target, &file).await;
    assert!(again.is_err_and(|e| e.contains("not empty")));
    // The serving role works on the restored database, behind its walls as before.
    let db = domain::Db::connect(&app).await.expect("serving role");
    assert_eq!(db.check_serving_role().await, Ok(()));
    std::fs::remove_file(file).ok();
}
