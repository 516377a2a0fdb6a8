//! Upper levels' totals on both engines: on PostgreSQL a change moves its street's totals at once
//! and leaves a pending delta for the district and above; every read adds what is pending, so
//! the figures are exact before and after the pending deltas are folded in, and `reconcile`
//! agrees (SQLite writes them all at once).
use domain::both_engines;
use domain::members;
use domain::rollup::{self, reconcile};
use domain::tenancy::Commit;
use domain::testing::{member_input, today, world, Engine, TestDb, World};

/// The district's members, and its streets' (by code), read from the tables.
async fn district(t: &TestDb, w: &World) -> (i64, Vec<(String, i64)>) {
    let db = t.db.without_kept_figures();
    let scope = w.rollup_as(&db, "district", w.district.id).await;
    let totals = rollup::totals(&db, &scope).await.expect("totals");
    let children = rollup::children(&db, &scope)
        .await
        .expect("children")
        .into_iter()
        .map(|c| (c.node.code, c.figures.members))
        .collect();
    (totals.members, children)
}

async fn upper_totals(t: TestDb) {
    let w = world(&t.db).await;
    let (before, streets_before) = district(&t, &w).await;
    while rollup::compact(&t.db).await.expect("compact") {}
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
    let (pending, streets) = district(&t, &w).await;
    assert_eq!(
        pending,
        before + 5,
        "pending deltas are read with the stored totals"
    );
    assert_ne!(streets, streets_before, "the street's totals moved at once");
    assert_eq!(reconcile(&t.db, false).await.expect("reconcile"), vec![]);

    // Folding them in changes no figure and leaves nothing pending (SQLite, one writer at a
    // time, keeps none).
    assert_eq!(
        rollup::compact(&t.db).await.expect("compact"),
        t.engine == Engine::Postgres
    );
    assert!(!rollup::compact(&t.db).await.expect("compact"));
    assert_eq!(district(&t, &w).await, (pending, streets));
    assert_eq!(reconcile(&t.db, false).await.expect("reconcile"), vec![]);
}
both_engines!(
    upper_totals_are_exact_before_and_after_folding,
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
