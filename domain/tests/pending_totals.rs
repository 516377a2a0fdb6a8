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
