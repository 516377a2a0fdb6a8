//! Upper levels' totals on both engines: on PostgreSQL a change moves its street's totals at once
//! and leaves a pending delta for the district and above, read once folded in (`compact`, every
//! second in the server) — kept figures forgotten then — while `reconcile` counts the queue and
//! stays exact throughout (SQLite writes them all at once).
use domain::both_engines;
use domain::members;
use domain::rollup::{self, reconcile, Lag};
use domain::tenancy::Commit;
use domain::testing::{member_input, today, world, Engine, TestDb, World};

/// The district's members, and its streets' (by code), read through `db` (kept or not).
async fn district(db: &domain::Db, w: &World) -> (i64, Vec<(String, i64)>) {
    let scope = w.rollup_as(db, "district", w.district.id).await;
    let totals = rollup::totals(db, &scope).await.expect("totals");
    let children = rollup::children(db, &scope)
        .await
        .expect("children")
        .into_iter()
        .map(|c| (c.node.code, c.figures.members))
        .collect();
    (totals.members, children)
}

async fn upper_totals(t: TestDb) {
    let w = world(&t.db).await;
    let fresh = t.db.without_kept_figures();
    while rollup::compact(&t.db).await.expect("compact") {}
    let (before, streets_before) = district(&fresh, &w).await;
    // Kept by this process, as a page would be.
    assert_eq!(district(&t.db, &w).await, (before, streets_before.clone()));
    for (login, community, n) in [
        ("secretary_a", w.community_a.id, 3),
        ("worker_b", w.community_b.id, 2),
    ] {
        let tx = w.write_as(&t.db, login, community).await;
        for i in 0..n {
            members::create(&tx, &member_input(&format!("新党员{i}")), None, today())
                .await
                .expect("member");
        }
        tx.commit().await.expect("commit");
    }
    let postgres = t.engine == Engine::Postgres;
    let (now, streets) = district(&fresh, &w).await;
    assert_ne!(streets, streets_before, "the streets' totals moved at once");
    assert_eq!(
        now,
        if postgres { before } else { before + 5 },
        "the district's total moves when its deltas are folded in (PostgreSQL) or at once"
    );
    assert_eq!(district(&t.db, &w).await.0, now, "kept as read");
    let lag = rollup::lag(&t.db).await.expect("lag");
    if postgres {
        assert!(lag.pending >= 5 && lag.oldest_ms.is_some(), "{lag:?}");
    } else {
        assert_eq!(lag, Lag::default());
    }
    assert_eq!(reconcile(&t.db, false).await.expect("reconcile"), vec![]);

    assert_eq!(rollup::compact(&t.db).await.expect("compact"), postgres);
    assert!(!rollup::compact(&t.db).await.expect("compact"));
    assert_eq!(rollup::lag(&t.db).await.expect("lag"), Lag::default());
    let folded = (before + 5, streets);
    assert_eq!(district(&fresh, &w).await, folded);
    assert_eq!(
        district(&t.db, &w).await,
        folded,
        "folding in forgets the kept figures"
    );
    assert_eq!(reconcile(&t.db, false).await.expect("reconcile"), vec![]);
}
both_engines!(
    upper_totals_move_when_folded_in_and_reconcile_throughout,
    upper_totals
);

/// The pending table is a queue: on PostgreSQL (where it is used) autovacuum cleans it after a
/// few thousand dead rows (readers walk its dead index entries until then), not after a share
/// of the table.
#[tokio::test]
async fn the_pending_queue_is_vacuumed_often() {
    use sea_orm::{ConnectionTrait, Database, Statement};
    let Some(t) = domain::testing::fresh(Engine::Postgres).await else {
        return;
    };
    let conn = Database::connect(t.app_url.as_str())
        .await
        .expect("connect");
    let row = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT array_to_string(reloptions, ',') AS o FROM pg_class \
             WHERE relname = 'rollup_pending'"
                .to_owned(),
        ))
        .await
        .expect("read")
        .expect("the table");
    let options: String = row.try_get("", "o").expect("options");
    assert!(
        options.contains("autovacuum_vacuum_threshold=5000")
            && options.contains("autovacuum_vacuum_scale_factor=0"),
        "{options}"
    );
}

/// One process folds at a time: while another holds the folding's lock, `compact` skips its
/// turn and the queue waits; two processes folding while members are added leave the totals
/// exact, every delta folded in once.
#[tokio::test]
async fn one_process_folds_at_a_time_and_none_counts_twice() {
    use sea_orm::ConnectionTrait;
    let Some(t) = domain::testing::fresh(Engine::Postgres).await else {
        return;
    };
    let w = world(&t.db).await;
    while rollup::compact(&t.db).await.expect("compact") {}
    let (start, _) = district(&t.db.without_kept_figures(), &w).await;
    let add = |db: domain::Db, login: &'static str, community: uuid::Uuid, n: usize| {
        let w = &w;
        async move {
            for i in 0..n {
                let tx = w.write_as(&db, login, community).await;
                members::create(&tx, &member_input(&format!("党员{i}")), None, today())
                    .await
                    .expect("member");
                tx.commit().await.expect("commit");
            }
        }
    };
    add(t.db.clone(), "secretary_a", w.community_a.id, 3).await;
    let waiting = rollup::lag(&t.db).await.expect("lag").pending;
    assert!(waiting >= 3, "{waiting}");

    let other = sea_orm::Database::connect(&t.app_url)
        .await
        .expect("connect");
    let held = format!("SELECT pg_advisory_lock({})", rollup::COMPACT_LOCK);
    other.execute_unprepared(&held).await.expect("lock");
    assert!(
        !rollup::compact(&t.db).await.expect("compact"),
        "skips its turn"
    );
    assert_eq!(rollup::lag(&t.db).await.expect("lag").pending, waiting);
    let freed = format!("SELECT pg_advisory_unlock({})", rollup::COMPACT_LOCK);
    other.execute_unprepared(&freed).await.expect("unlock");
    assert!(rollup::compact(&t.db).await.expect("compact"));
    assert_eq!(rollup::lag(&t.db).await.expect("lag"), Lag::default());

    // A second process (its own pool) folds beside this one while both communities write.
    let second = domain::Db::connect(&t.app_url)
        .await
        .expect("second process");
    let done = std::sync::atomic::AtomicBool::new(false);
    let fold = |db: domain::Db| {
        let done = &done;
        async move {
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                rollup::compact(&db).await.expect("compact");
                tokio::task::yield_now().await;
            }
        }
    };
    let writers = async {
        tokio::join!(
            add(t.db.clone(), "secretary_a", w.community_a.id, 8),
            add(second.clone(), "worker_b", w.community_b.id, 8),
        );
        done.store(true, std::sync::atomic::Ordering::Relaxed);
    };
    tokio::join!(writers, fold(t.db.clone()), fold(second.clone()));
    while rollup::compact(&second).await.expect("compact") {}
    assert_eq!(rollup::lag(&t.db).await.expect("lag"), Lag::default());
    assert_eq!(reconcile(&t.db, false).await.expect("reconcile"), vec![]);
    let (members, _) = district(&t.db.without_kept_figures(), &w).await;
    assert_eq!(members, start + 19, "the 19 added, each counted once");
    second.close().await;
}

/// Migration 46 remakes the queue keyed by the writing community: taken down and up again, a
/// delta waiting in either shape is folded into the totals first, none lost or counted twice,
/// and the remade queue takes (and folds) the next changes.
async fn queue_remade(t: TestDb) {
    use domain::testing::{migration, APP_ROLE, OWNER_ROLE};
    use sea_orm::{ConnectionTrait, Statement, Value};
    const NAME: &str = "m20261207_000046_distribution_keys";
    let w = world(&t.db).await;
    let add = |name: &'static str| {
        let (db, w) = (t.db.clone(), &w);
        async move {
            let tx = w.write_as(&db, "secretary_a", w.community_a.id).await;
            members::create(&tx, &member_input(name), None, today())
                .await
                .expect("member");
            tx.commit().await.expect("commit");
        }
    };
    add("迁移前").await;
    let postgres = t.engine == Engine::Postgres;
    let owner = sea_orm::Database::connect(
        t.app_url
            .replace(&format!("{APP_ROLE}@"), &format!("{OWNER_ROLE}@")),
    )
    .await
    .expect("owner");
    let backend = owner.get_database_backend();
    // Placeholders as each engine writes them.
    let sql = |text: &str| match postgres {
        true => text.to_owned(),
        false => (1..=4).fold(text.to_owned(), |s, i| s.replace(&format!("${i}"), "?")),
    };
    let scalar = |text: String, values: Vec<Value>| {
        let owner = &owner;
        async move {
            let row = owner
                .query_one_raw(Statement::from_sql_and_values(backend, text, values))
                .await
                .expect("query")
                .expect("row");
            row.try_get_by_index::<i64>(0).expect("number")
        }
    };
    let waiting = || scalar("SELECT count(*) FROM rollup_pending".to_owned(), vec![]);
    assert_eq!(
        waiting().await > 0,
        postgres,
        "PostgreSQL queues the district's delta"
    );

    migration(&t, NAME, false).await;
    assert_eq!(waiting().await, 0, "folded in on the way down");
    assert_eq!(reconcile(&t.db, false).await.expect("reconcile"), vec![]);
    // A delta waiting in the old shape, as an older server left it: moved out of a stored
    // total of the district into the queue (reconcile counts both, so still exact).
    let district = w.district.id;
    let metric: String = owner
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql("SELECT metric FROM rollup_totals WHERE node_id = $1 ORDER BY metric"),
            [district.into()],
        ))
        .await
        .expect("query")
        .expect("a total of the district")
        .try_get_by_index(0)
        .expect("metric");
    let total = || {
        scalar(
            sql("SELECT value FROM rollup_totals WHERE node_id = $1 AND metric = $2"),
            vec![district.into(), metric.clone().into()],
        )
    };
    let before = total().await;
    for (text, values) in [
        (
            "UPDATE rollup_totals SET value = value - 1 WHERE node_id = $1 AND metric = $2",
            vec![district.into(), metric.clone().into()],
        ),
        (
            "INSERT INTO rollup_pending (id, node_id, metric, delta) VALUES ($1, $2, $3, 1)",
            vec![
                uuid::Uuid::now_v7().into(),
                district.into(),
                metric.clone().into(),
            ],
        ),
    ] {
        owner
            .execute_raw(Statement::from_sql_and_values(backend, sql(text), values))
            .await
            .expect(text);
    }
    assert_eq!(total().await, before - 1);
    assert_eq!(reconcile(&t.db, false).await.expect("reconcile"), vec![]);

    migration(&t, NAME, true).await;
    assert_eq!(waiting().await, 0, "folded in on the way up");
    assert_eq!(total().await, before, "the delta is in the total, once");
    assert_eq!(reconcile(&t.db, false).await.expect("reconcile"), vec![]);
    add("迁移后").await;
    while rollup::compact(&t.db).await.expect("compact") {}
    assert_eq!(waiting().await, 0);
    assert_eq!(reconcile(&t.db, false).await.expect("reconcile"), vec![]);
    owner.close().await.ok();
}
both_engines!(
    the_remade_queue_loses_no_delta_and_counts_none_twice,
    queue_remade
);
