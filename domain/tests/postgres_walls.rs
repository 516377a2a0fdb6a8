//! Wall 2 on PostgreSQL: row-level security holds for the serving role even when a query goes
//! around the domain API, and the schema is ready to be distributed by tenant_id.
use domain::members;
use domain::tenancy::Commit;
use domain::testing::{fresh, world, Engine, APP_ROLE};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement, TransactionTrait};

async fn scalar(conn: &impl ConnectionTrait, sql: &str) -> i64 {
    let row = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("query")
        .expect("row");
    row.try_get_by_index::<i64>(0).expect("bigint")
}

async fn seeded() -> Option<(domain::testing::TestDb, domain::testing::World)> {
    let t = fresh(Engine::Postgres).await?;
    let w = world(&t.db).await;
    for (login, node, names) in [
        ("secretary_a", w.community_a.id, vec!["王秀兰", "李建华"]),
        ("worker_b", w.community_b.id, vec!["张桂英"]),
    ] {
        let p = w.principal(&t.db, login).await;
        let scope = p.manage_scope(&t.db, node).await.expect("scope");
        let tx = scope.write(&t.db).await.expect("tx");
        for name in names {
            members::create(
                &tx,
                &domain::testing::member_input(name),
                None,
                domain::testing::today(),
            )
            .await
            .expect("member");
        }
        tx.commit().await.expect("commit");
    }
    Some((t, w))
}

async fn raw(app_url: &str) -> DatabaseConnection {
    Database::connect(app_url)
        .await
        .expect("connect as app role")
}

#[tokio::test]
async fn raw_queries_as_the_app_role_see_only_the_set_tenant() {
    let Some((t, w)) = seeded().await else { return };
    let conn = raw(&t.app_url).await;
    // No tenant set: nothing at all.
    assert_eq!(scalar(&conn, "SELECT count(*) FROM members").await, 0);

    let tx = conn.begin().await.expect("begin");
    tx.execute_unprepared(&format!(
        "SELECT set_config('app.tenant_id', '{}', true)",
        w.community_a.id
    ))
    .await
    .expect("set tenant");
    assert_eq!(scalar(&tx, "SELECT count(*) FROM members").await, 2);
    // Writing a row for another tenant is refused by the policy's WITH CHECK.
    let foreign = tx
        .execute_unprepared(&format!(
            "INSERT INTO members (tenant_id, id, name, gender, created_at) VALUES ('{}', gen_random_uuid(), 'x', '男', now())",
            w.community_b.id
        ))
        .await;
    assert!(foreign.is_err(), "insert into another tenant must fail");
    tx.rollback().await.expect("rollback");

    // The setting was local to that transaction: the pooled connection forgets it.
    assert_eq!(scalar(&conn, "SELECT count(*) FROM members").await, 0);

    // Updates and deletes aimed at another tenant touch nothing.
    let tx = conn.begin().await.expect("begin");
    tx.execute_unprepared(&format!(
        "SELECT set_config('app.tenant_id', '{}', true)",
        w.community_c.id
    ))
    .await
    .expect("set tenant");
    let updated = tx
        .execute_unprepared("UPDATE members SET name = 'hacked'")
        .await
        .expect("update");
    let deleted = tx
        .execute_unprepared("DELETE FROM members")
        .await
        .expect("delete");
    assert_eq!((updated.rows_affected(), deleted.rows_affected()), (0, 0));
    tx.commit().await.expect("commit");
    assert_eq!(
        scalar(
            &conn,
            &format!(
                "SELECT count(*) FROM (SELECT set_config('app.tenant_id', '{}', false)) s, members",
                w.community_b.id
            )
        )
        .await,
        1
    );
}

#[tokio::test]
async fn schema_is_distributable_and_the_app_role_is_fenced() {
    let Some((t, _w)) = seeded().await else {
        return;
    };
    let conn = raw(&t.app_url).await;
    // Every table with tenant_id has RLS enabled and forced.
    let unprotected = scalar(
        &conn,
        "SELECT count(*) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid \
         WHERE a.attname = 'tenant_id' AND c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace \
         AND NOT (c.relrowsecurity AND c.relforcerowsecurity)",
    )
    .await;
    assert_eq!(unprotected, 0);
    let tenant_tables = scalar(
        &conn,
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id'",
    )
    .await;
    assert!(tenant_tables >= 2);
    // The tables every tenant shares, each for a reason; a new one is added here on purpose,
    // not by forgetting its tenant_id.
    let shared: Vec<String> = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT c.relname::text FROM pg_class c \
             WHERE c.relkind IN ('r', 'p') AND c.relnamespace = 'public'::regnamespace \
             AND NOT c.relispartition AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id') \
             ORDER BY 1",
        ))
        .await
        .expect("tables")
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).expect("name"))
        .collect();
    assert_eq!(
        shared,
        [
            "audit_log",           // append-only, written by every tenant's changes
            "contact_checks",      // a code for a new address, before it is the person's
            "group_robots",        // a node's webhook, read by the delivery worker
            "login_failures",      // before anyone is signed in
            "message_preferences", // a person's, across their roles
            "org_nodes",           // the tree itself (reference)
            "outbox",              // deliveries, read by the delivery worker
            "reminders",           // the scheduler's queue, read across tenants
            "role_assignments",    // who may enter which tenant
            "rollup_counts",       // aggregates upward
            "rollup_pending",      // their deltas on the way up
            "rollup_totals",
            "scheduler_leases",
            "seaql_migrations",
            "sessions", // before the tenant is known
            "users",
        ]
    );
    // tenant_id is in every primary key and every foreign key of those tables (except the key
    // that points at the org tree itself, which is a reference table).
    let missing_in_keys = scalar(
        &conn,
        "SELECT count(*) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid \
         WHERE c.relnamespace = 'public'::regnamespace AND k.contype IN ('p', 'f') \
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id') \
         AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND a.attnum = ANY (k.conkey)) \
         AND NOT (k.contype = 'f' AND k.confrelid IN ('org_nodes'::regclass, 'users'::regclass))",
    )
    .await;
    assert_eq!(missing_in_keys, 0);
    // The serving role owns nothing and cannot bypass RLS.
    let owned = scalar(
        &conn,
        &format!("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = '{APP_ROLE}'"),
    )
    .await;
    assert_eq!(owned, 0);
    let privileged = scalar(
        &conn,
        &format!("SELECT count(*) FROM pg_roles WHERE rolname = '{APP_ROLE}' AND (rolsuper OR rolbypassrls)"),
    )
    .await;
    assert_eq!(privileged, 0);
    assert!(t.db.check_serving_role().await.is_ok());
    // The serving role may not rewrite the audit log even past the trigger.
    assert!(conn.execute_unprepared("TRUNCATE audit_log").await.is_err());

    // A serving role that is a member of the owner role could `SET ROLE` and drop RLS: refused.
    let admin_url = std::env::var("GONGJIAN_TEST_PG").expect("GONGJIAN_TEST_PG");
    let admin = sea_orm::Database::connect(format!("{admin_url}/postgres"))
        .await
        .expect("admin");
    let sneaky = format!("sneaky_{}", uuid::Uuid::now_v7().simple());
    admin
        .execute_unprepared(&format!(
            "CREATE ROLE {sneaky} LOGIN NOSUPERUSER NOBYPASSRLS IN ROLE {}",
            domain::testing::OWNER_ROLE
        ))
        .await
        .expect("role");
    let member_url = t.app_url.replace(APP_ROLE, &sneaky);
    let member_db = domain::Db::connect(&member_url).await.expect("connect");
    let refused = member_db.check_serving_role().await;
    member_db.close().await;
    admin
        .execute_unprepared(&format!("DROP ROLE {sneaky}"))
        .await
        .expect("drop role");
    assert!(
        refused.is_err_and(|e| e.contains("member of their owner")),
        "a member of the owner role is refused"
    );
}

/// The names a query returns (one text column), for messages that say what broke a rule.
async fn names(conn: &impl ConnectionTrait, sql: &str) -> Vec<String> {
    conn.query_all_raw(Statement::from_string(
        conn.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .expect("query")
    .iter()
    .map(|row| row.try_get_by_index::<String>(0).expect("text"))
    .collect()
}

/// The rules Citus imposes on tables distributed by `tenant_id` that plain PostgreSQL can check
/// (the path onto Citus, README): every unique key of a tenant table includes `tenant_id`; a
/// foreign key between two tenant tables pairs `tenant_id` with `tenant_id` (co-located rows);
/// no shared (reference) table points at a tenant table; no tenant table has a statement-level
/// trigger (Citus would fire it per shard).
#[tokio::test]
async fn tenant_tables_keep_the_rules_of_distribution() {
    let Some(t) = fresh(Engine::Postgres).await else {
        return;
    };
    let conn = raw(&t.app_url).await;
    const TENANT: &str = "EXISTS (SELECT 1 FROM pg_attribute x WHERE x.attrelid = {t}.oid \
                          AND x.attname = 'tenant_id' AND NOT x.attisdropped)";
    let tenant = |alias: &str| TENANT.replace("{t}", alias);
    let uniques_without_tenant = names(
        &conn,
        &format!(
            "SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid \
             WHERE i.indisunique AND c.relnamespace = 'public'::regnamespace AND {} \
             AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid \
                 AND a.attname = 'tenant_id' AND a.attnum = ANY (i.indkey::int2[]))",
            tenant("c")
        ),
    )
    .await;
    assert_eq!(uniques_without_tenant, Vec::<String>::new());
    let unique_count = scalar(
        &conn,
        &format!(
            "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid \
             WHERE i.indisunique AND NOT i.indisprimary AND c.relnamespace = 'public'::regnamespace AND {}",
            tenant("c")
        ),
    )
    .await;
    assert!(
        unique_count >= 10,
        "the check saw the unique keys: {unique_count}"
    );

    let unpaired = names(
        &conn,
        &format!(
            "SELECT k.conname::text FROM pg_constraint k \
             JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid \
             WHERE k.contype = 'f' AND c.relnamespace = 'public'::regnamespace AND {} AND {} \
             AND NOT EXISTS (SELECT 1 FROM generate_subscripts(k.conkey, 1) s \
                 JOIN pg_attribute ca ON ca.attrelid = c.oid AND ca.attnum = k.conkey[s] \
                 JOIN pg_attribute ra ON ra.attrelid = r.oid AND ra.attnum = k.confkey[s] \
                 WHERE ca.attname = 'tenant_id' AND ra.attname = 'tenant_id')",
            tenant("c"),
            tenant("r")
        ),
    )
    .await;
    assert_eq!(unpaired, Vec::<String>::new());
    let paired = scalar(
        &conn,
        &format!(
            "SELECT count(*) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid \
             JOIN pg_class r ON r.oid = k.confrelid WHERE k.contype = 'f' \
             AND c.relnamespace = 'public'::regnamespace AND {} AND {}",
            tenant("c"),
            tenant("r")
        ),
    )
    .await;
    assert!(
        paired >= 30,
        "the check saw the keys between tenant tables: {paired}"
    );

    let shared_to_tenant = names(
        &conn,
        &format!(
            "SELECT k.conname::text FROM pg_constraint k \
             JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid \
             WHERE k.contype = 'f' AND c.relnamespace = 'public'::regnamespace \
             AND NOT {} AND {}",
            tenant("c"),
            tenant("r")
        ),
    )
    .await;
    assert_eq!(shared_to_tenant, Vec::<String>::new());

    // Row-level is bit 0 of tgtype; foreign keys' own triggers are internal.
    let statement_triggers = names(
        &conn,
        &format!(
            "SELECT t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
             WHERE NOT t.tgisinternal AND (t.tgtype & 1) = 0 \
             AND c.relnamespace = 'public'::regnamespace AND {}",
            tenant("c")
        ),
    )
    .await;
    assert_eq!(statement_triggers, Vec::<String>::new());
    // None anywhere: the audit log's append-only trigger is row-level too. The query sees
    // triggers: the ledger's and the audit log's row-level ones.
    let any_statement_triggers = names(
        &conn,
        "SELECT t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
         WHERE NOT t.tgisinternal AND (t.tgtype & 1) = 0 AND c.relnamespace = 'public'::regnamespace",
    )
    .await;
    assert_eq!(any_statement_triggers, Vec::<String>::new());
    let row_triggers = names(
        &conn,
        "SELECT DISTINCT t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
         WHERE NOT t.tgisinternal AND (t.tgtype & 1) = 1 AND c.relnamespace = 'public'::regnamespace \
         ORDER BY 1",
    )
    .await;
    assert_eq!(
        row_triggers,
        ["audit_log_no_change", "points_entries_append_only"]
    );
}

/// The audit log is partitioned by China-time month (retention drops old months whole), 24
/// months ahead of today, its key holding the partition column; a line lands in its month,
/// and no month can be changed or emptied by the serving role, through the log or by name.
#[tokio::test]
async fn the_audit_log_is_kept_by_month() {
    let Some((t, _w)) = seeded().await else {
        return;
    };
    let conn = raw(&t.app_url).await;
    assert_eq!(
        names(
            &conn,
            "SELECT relkind::text FROM pg_class WHERE relname = 'audit_log'"
        )
        .await,
        ["p"]
    );
    let months = names(
        &conn,
        "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
         WHERE i.inhparent = 'audit_log'::regclass ORDER BY 1",
    )
    .await;
    let now = chrono::Utc::now().with_timezone(&chrono_tz_shanghai());
    let this_month = format!("audit_log_y{}", now.format("%Ym%m"));
    assert!(months.contains(&this_month), "{months:?}");
    assert!(months.contains(&"audit_log_default".to_owned()));
    assert!(
        months.len() >= 26,
        "this month, 24 ahead and the default: {months:?}"
    );
    // The seeded world's lines are in this month, none in the default.
    let here = scalar(&conn, &format!("SELECT count(*) FROM {this_month}")).await;
    assert!(here > 0, "the world's audit lines are in {this_month}");
    assert_eq!(
        scalar(&conn, "SELECT count(*) FROM audit_log_default").await,
        0
    );
    for sql in [
        format!("UPDATE {this_month} SET detail = 'x'"),
        format!("DELETE FROM {this_month}"),
        format!("TRUNCATE {this_month}"),
        "UPDATE audit_log SET detail = 'x'".to_owned(),
        "DELETE FROM audit_log".to_owned(),
    ] {
        assert!(conn.execute_unprepared(&sql).await.is_err(), "{sql}");
    }
    assert_eq!(
        scalar(&conn, &format!("SELECT count(*) FROM {this_month}")).await,
        here
    );

    // A line no month holds (a clock far ahead) lands in the default partition, and the
    // operator's readings say so.
    let health =
        |db: domain::Db| async move { domain::operations::measure(&db).await.expect("health") };
    assert_eq!(health(t.db.clone()).await.audit_unplaced, Some(0));
    conn.execute_unprepared(
        "INSERT INTO audit_log (id, at, action, subject, detail) \
         VALUES (gen_random_uuid(), '2045-01-01T00:00:00+08:00', 'test', 'x', '{}')",
    )
    .await
    .expect("a line in 2045");
    assert_eq!(
        scalar(&conn, "SELECT count(*) FROM audit_log_default").await,
        1
    );
    assert_eq!(health(t.db.clone()).await.audit_unplaced, Some(1));
}

/// China time, for the month a line belongs to.
fn chrono_tz_shanghai() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("+08:00")
}
