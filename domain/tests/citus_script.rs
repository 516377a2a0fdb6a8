//! `deploy/citus.sql`, the path onto a Citus cluster, checked on plain PostgreSQL (no Citus
//! package can be installed here): psql runs it against a migrated database in which three
//! stand-ins take the place of Citus's functions and only write down what they were asked
//! (`create_reference_table`, `create_distributed_table`); the catalogue then shows the
//! script keeps the rules Citus imposes — every table named once, each distributed table's
//! unique keys holding its distribution column, foreign keys only towards reference tables or
//! between co-located tables on their distribution columns, every table after those its keys
//! point at — and sets what the serving role needs. Each rule is shown to catch a planted
//! breach. What Citus itself would do is not tested (README).
use domain::testing::{fresh, Engine, APP_ROLE};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../deploy/citus.sql");

/// The stand-ins: same names and parameter names as Citus's (the script's named arguments
/// must match), writing each call down in order. They refuse what Citus would for a reason
/// the catalogue cannot show: a reference table made while local tables' keys to it would
/// turn them into Citus local tables, a table with triggers distributed without leave.
const STAND_INS: &[&str] = &[
    "CREATE SCHEMA citus_stand_in",
    "CREATE TABLE citus_stand_in.calls (n serial PRIMARY KEY, tbl regclass NOT NULL UNIQUE, \
     kind text NOT NULL, col text, colocate_with text)",
    "CREATE FUNCTION citus_stand_in.create_reference_table(table_name regclass) RETURNS void \
     LANGUAGE plpgsql AS $$ BEGIN \
       IF coalesce(current_setting('citus.enable_local_reference_table_foreign_keys', true), 'on') <> 'off' \
       THEN RAISE 'local tables keyed to % would become Citus local tables', table_name; END IF; \
       INSERT INTO citus_stand_in.calls (tbl, kind) VALUES (table_name, 'reference'); END $$",
    "CREATE FUNCTION citus_stand_in.create_distributed_table(table_name regclass, \
     distribution_column text, distribution_type text DEFAULT 'hash', \
     colocate_with text DEFAULT 'default', shard_count int DEFAULT NULL) RETURNS void \
     LANGUAGE plpgsql AS $$ BEGIN \
       IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = table_name AND NOT tgisinternal) \
          AND coalesce(current_setting('citus.enable_unsafe_triggers', true), 'off') <> 'on' \
       THEN RAISE '% has triggers', table_name; END IF; \
       INSERT INTO citus_stand_in.calls (tbl, kind, col, colocate_with) \
       VALUES (table_name, 'distributed', distribution_column, colocate_with); END $$",
];

/// What breaks a rule, one line each (empty: the script keeps them all).
const BREACHES: &[(&str, &str)] = &[
    (
        "a table the script does not name",
        "SELECT c.relname::text FROM pg_class c \
         WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') \
         AND NOT c.relispartition AND c.relname <> 'seaql_migrations' \
         AND c.oid NOT IN (SELECT tbl FROM citus_stand_in.calls)",
    ),
    (
        "a distribution column the table lacks",
        "SELECT d.tbl::text FROM citus_stand_in.calls d WHERE d.kind = 'distributed' \
         AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = d.tbl \
             AND a.attname = d.col AND NOT a.attisdropped)",
    ),
    (
        "a unique key without the distribution column",
        "SELECT i.indexrelid::regclass::text FROM pg_index i \
         JOIN citus_stand_in.calls d ON d.tbl = i.indrelid AND d.kind = 'distributed' \
         JOIN pg_attribute a ON a.attrelid = d.tbl AND a.attname = d.col \
         WHERE i.indisunique AND NOT a.attnum = ANY (i.indkey::int2[])",
    ),
    (
        "a co-location not with a group's first table named before",
        "SELECT d.tbl::text FROM citus_stand_in.calls d \
         WHERE d.colocate_with NOT IN ('none', 'default') AND NOT EXISTS \
             (SELECT 1 FROM citus_stand_in.calls g WHERE g.tbl = d.colocate_with::regclass \
              AND g.n < d.n AND g.kind = 'distributed' AND g.colocate_with = 'none')",
    ),
    (
        "a tenant table not distributed by tenant_id in the tenants' group",
        "SELECT c.relname::text FROM pg_class c \
         JOIN citus_stand_in.calls d ON d.tbl = c.oid \
         WHERE EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid \
             AND a.attname = 'tenant_id' AND NOT a.attisdropped) \
         AND (d.kind <> 'distributed' OR d.col <> 'tenant_id' \
             OR d.colocate_with <> 'community_settings' AND c.relname <> 'community_settings')",
    ),
    (
        "a foreign key to a table named later (or not at all)",
        "SELECT k.conname::text FROM pg_constraint k \
         JOIN citus_stand_in.calls child ON child.tbl = k.conrelid \
         LEFT JOIN citus_stand_in.calls parent ON parent.tbl = k.confrelid \
         WHERE k.contype = 'f' AND (parent.n IS NULL OR parent.n > child.n)",
    ),
    (
        "a foreign key from a reference table to a distributed one",
        "SELECT k.conname::text FROM pg_constraint k \
         JOIN citus_stand_in.calls child ON child.tbl = k.conrelid \
         JOIN citus_stand_in.calls parent ON parent.tbl = k.confrelid \
         WHERE k.contype = 'f' AND child.kind = 'reference' AND parent.kind = 'distributed'",
    ),
    (
        "a foreign key between distributed tables not co-located or not on their columns",
        "SELECT k.conname::text FROM pg_constraint k \
         JOIN citus_stand_in.calls child ON child.tbl = k.conrelid \
         JOIN citus_stand_in.calls parent ON parent.tbl = k.confrelid \
         WHERE k.contype = 'f' AND child.kind = 'distributed' AND parent.kind = 'distributed' \
         AND (coalesce(nullif(child.colocate_with, 'none'), child.tbl::text) \
              <> coalesce(nullif(parent.colocate_with, 'none'), parent.tbl::text) \
           OR NOT EXISTS (SELECT 1 FROM generate_subscripts(k.conkey, 1) s \
              JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = k.conkey[s] \
              JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[s] \
              WHERE ca.attname = child.col AND pa.attname = parent.col))",
    ),
    (
        "co-located tables whose distribution columns differ in type",
        "SELECT d.tbl::text FROM citus_stand_in.calls d \
         JOIN citus_stand_in.calls g ON g.tbl = d.colocate_with::regclass \
         JOIN pg_attribute a ON a.attrelid = d.tbl AND a.attname = d.col \
         JOIN pg_attribute b ON b.attrelid = g.tbl AND b.attname = g.col \
         WHERE d.colocate_with NOT IN ('none', 'default') \
         AND (a.atttypid, a.attcollation) <> (b.atttypid, b.attcollation)",
    ),
];

async fn texts(conn: &DatabaseConnection, sql: &str) -> Vec<String> {
    conn.query_all_raw(Statement::from_string(
        conn.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .unwrap_or_else(|e| panic!("{e}: {sql}"))
    .iter()
    .map(|row| row.try_get_by_index::<String>(0).expect("text"))
    .collect()
}

async fn breaches(conn: &DatabaseConnection) -> Vec<String> {
    let mut found = Vec::new();
    for (rule, sql) in BREACHES {
        for name in texts(conn, sql).await {
            found.push(format!("{rule}: {name}"));
        }
    }
    found
}

#[tokio::test]
async fn the_citus_script_names_every_table_by_the_rules_of_distribution() {
    let Some(t) = fresh(Engine::Postgres).await else {
        return;
    };
    let admin_url = std::env::var("GONGJIAN_TEST_PG").expect("GONGJIAN_TEST_PG");
    let database = t.app_url.rsplit('/').next().expect("database").to_owned();
    let url = format!("{admin_url}/{database}");
    let conn = Database::connect(&url).await.expect("connect as admin");
    for sql in STAND_INS {
        conn.execute_unprepared(sql).await.expect("stand-in");
    }
    let run = std::process::Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-v"])
        .arg(format!("app_role={APP_ROLE}"))
        .args(["-f", SCRIPT, "-d", &url])
        .env("PGOPTIONS", "-c search_path=public,citus_stand_in")
        .output()
        .expect("psql runs");
    assert!(
        run.status.success(),
        "the script runs: {}",
        String::from_utf8_lossy(&run.stderr)
    );

    let named = texts(&conn, "SELECT kind FROM citus_stand_in.calls").await;
    assert!(named.len() >= 60, "every table named: {}", named.len());
    assert_eq!(breaches(&conn).await, Vec::<String>::new());
    // The serving role's connections send SET LOCAL on to the workers.
    let settings = texts(
        &conn,
        &format!(
            "SELECT unnest(setconfig) FROM pg_db_role_setting s \
             WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()) \
             AND s.setrole IN (0, '{APP_ROLE}'::regrole) ORDER BY 1"
        ),
    )
    .await;
    assert_eq!(settings, ["citus.propagate_set_commands=local"]);

    // The stand-ins refuse what Citus would without the script's two settings.
    for (sql, refusal) in [
        (
            "SELECT citus_stand_in.create_reference_table('users')",
            "would become Citus local tables",
        ),
        (
            "SELECT citus_stand_in.create_distributed_table('points_entries', 'tenant_id')",
            "has triggers",
        ),
    ] {
        let err = conn.execute_unprepared(sql).await.expect_err(sql);
        assert!(err.to_string().contains(refusal), "{sql}: {err}");
    }

    // Each rule catches its breach, planted.
    for sql in [
        "CREATE TABLE planted_unnamed (id int PRIMARY KEY)",
        "CREATE UNIQUE INDEX planted_unique ON members (id)",
        "UPDATE citus_stand_in.calls SET col = 'nothing' WHERE tbl = 'login_failures'::regclass",
        "UPDATE citus_stand_in.calls SET colocate_with = 'members' WHERE tbl = 'reminders'::regclass",
        "UPDATE citus_stand_in.calls SET col = 'id' WHERE tbl = 'volunteer_team_members'::regclass",
        "UPDATE citus_stand_in.calls SET n = n + 1000 WHERE tbl = 'users'::regclass",
        "UPDATE citus_stand_in.calls SET kind = 'reference', col = NULL, colocate_with = NULL \
         WHERE tbl = 'notices'::regclass",
        "CREATE TABLE planted_ref (id uuid PRIMARY KEY, tenant_id uuid, member uuid, \
         FOREIGN KEY (tenant_id, member) REFERENCES members (tenant_id, id))",
        "INSERT INTO citus_stand_in.calls (tbl, kind) VALUES ('planted_ref', 'reference')",
        "CREATE TABLE planted_text (node_id text PRIMARY KEY)",
        "INSERT INTO citus_stand_in.calls (tbl, kind, col, colocate_with) \
         VALUES ('planted_text', 'distributed', 'node_id', 'community_settings')",
    ] {
        conn.execute_unprepared(sql).await.expect(sql);
    }
    let found = breaches(&conn).await;
    for expected in [
        "a table the script does not name: planted_unnamed",
        "a distribution column the table lacks: login_failures",
        "a unique key without the distribution column: planted_unique",
        "a co-location not with a group's first table named before: reminders",
        "a tenant table not distributed by tenant_id in the tenants' group: volunteer_team_members",
        "a tenant table not distributed by tenant_id in the tenants' group: notices",
        "a foreign key from a reference table to a distributed one: planted_ref_tenant_id_member_fkey",
        "co-located tables whose distribution columns differ in type: planted_text",
    ] {
        assert!(
            found.iter().any(|f| f == expected),
            "{expected} in {found:#?}"
        );
    }
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("a foreign key to a table named later")),
        "users named last: {found:#?}"
    );
    assert!(
        found.iter().any(|f| f.starts_with(
            "a foreign key between distributed tables not co-located or not on their columns"
        )),
        "volunteer_team_members by id: {found:#?}"
    );
    conn.close().await.ok();
}
