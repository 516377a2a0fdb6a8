//! The typed wall on both engines: statements and rows stay in their tenant whatever the
//! caller names, and a cross-tenant step gives the tenant back even when it fails.
use crate::tenancy::Commit;
use sea_orm::{ColumnTrait, Set};
use uuid::Uuid;

use super::{shared, Row, Runner, Sql};
use crate::entities::{member, org_node};
use crate::error::DomainError;
use crate::testing::{community_scope, member_a_record, world, TestDb};

async fn wall(t: TestDb) {
    let w = world(&t.db).await;
    let (a, b) = (
        community_scope(w.community_a.id),
        community_scope(w.community_b.id),
    );
    let tx = a.write(&t.db).await.expect("tx");
    let own = member_a_record(&tx, &w).await;
    tx.commit().await.expect("commit");

    let in_a = a.read(&t.db).await.expect("tx");
    let in_b = b.write(&t.db).await.expect("tx");
    // A's statement does not run in B's transaction, nor on the pool.
    let a_members = in_a.find::<member::Entity>();
    assert_eq!(
        a_members.clone().all(&in_b).await.err(),
        Some(DomainError::Internal)
    );
    assert_eq!(
        a_members.clone().all(&t.db).await.err(),
        Some(DomainError::Internal)
    );
    assert_eq!(a_members.all(&in_a).await.expect("own").len(), 1);
    // B's own statements see none of A's rows, even when asked for A's row by id.
    let asked = in_b
        .find::<member::Entity>()
        .filter(member::Column::Id.eq(own));
    assert_eq!(asked.all(&in_b).await.expect("read"), vec![]);

    // A's row, as loaded in A, is neither updated nor deleted through B.
    let row = in_a
        .find::<member::Entity>()
        .filter(member::Column::Id.eq(own))
        .one(&in_a)
        .await
        .expect("read")
        .expect("row");
    let mut renamed: member::ActiveModel = row.clone().into();
    renamed.name = Set("改名".into());
    assert_eq!(
        renamed.update_in(&in_b).await.err(),
        Some(DomainError::NotFound)
    );
    let gone: member::ActiveModel = row.clone().into();
    assert_eq!(gone.delete_in(&in_b).await, Ok(0));

    // A row that names A, inserted through B, lands in B.
    let mut copy: member::ActiveModel = row.clone().into();
    copy.id = Set(Uuid::now_v7());
    copy.user_id = Set(None);
    copy.phone = Set(None);
    let inserted = copy.insert_in(&in_b).await.expect("insert");
    assert_eq!(inserted.tenant_id, w.community_b.id);
    in_b.commit().await.expect("commit");
    drop(in_a);

    let in_a = a.read(&t.db).await.expect("tx");
    let still = in_a
        .find::<member::Entity>()
        .all(&in_a)
        .await
        .expect("read");
    assert_eq!(still, vec![row], "A's row unchanged and alone in A");

    // Shared tables read from anywhere.
    let node = shared::find_by_id::<org_node::Entity>(w.community_a.id);
    assert!(node.clone().one(&in_a).await.expect("read").is_some());
    assert!(node.one(&t.db).await.expect("read").is_some());
}
crate::both_engines!(statements_and_rows_stay_in_their_tenant, wall);

async fn cross_tenant_step(t: TestDb) {
    let w = world(&t.db).await;
    let (a, b) = (
        community_scope(w.community_a.id),
        community_scope(w.community_b.id),
    );
    let tx = a.write(&t.db).await.expect("tx");
    member_a_record(&tx, &w).await;
    tx.commit().await.expect("commit");

    let in_b = b.write(&t.db).await.expect("tx");
    let seen = in_b
        .in_tenant(w.community_a.id, async |in_a| {
            in_a.find::<member::Entity>().all(in_a).await
        })
        .await
        .expect("step");
    assert_eq!(seen.len(), 1, "the step works in A");
    let failed: Result<(), _> = in_b
        .in_tenant(w.community_a.id, async |_| Err(DomainError::Forbidden))
        .await;
    assert_eq!(failed, Err(DomainError::Forbidden));
    // While a step runs in A, B's own transaction runs nothing.
    let meanwhile = in_b
        .in_tenant(w.community_a.id, async |_| {
            in_b.find::<member::Entity>().all(&in_b).await
        })
        .await;
    assert_eq!(meanwhile.err(), Some(DomainError::Internal));
    // Back in B on every path: B's statements run and see B's rows only (none).
    assert_eq!(in_b.tenant(), Some(w.community_b.id));
    let after = in_b
        .find::<member::Entity>()
        .all(&in_b)
        .await
        .expect("read");
    assert_eq!(after, vec![]);
    // On PostgreSQL the row-level wall follows too: a raw count sees B's rows only.
    let raw = in_b
        .query_one_sql(super::db::statement(
            in_b.backend(),
            "SELECT COUNT(*) AS n FROM members",
            vec![],
        ))
        .await
        .expect("count")
        .and_then(|r| r.try_get::<i64>("", "n").ok());
    if t.db.is_postgres() {
        assert_eq!(raw, Some(0));
    }
    in_b.commit().await.expect("commit");
}
crate::both_engines!(a_cross_tenant_step_gives_the_tenant_back, cross_tenant_step);

async fn abandoned_step(t: TestDb) {
    let w = world(&t.db).await;
    let in_b = community_scope(w.community_b.id)
        .write(&t.db)
        .await
        .expect("tx");
    // A step dropped half-way (a timeout) leaves the transaction in A: it refuses to commit.
    let step = in_b.in_tenant(w.community_a.id, async |_| {
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        Ok(())
    });
    let cut = tokio::time::timeout(std::time::Duration::from_millis(50), step).await;
    assert!(cut.is_err(), "the step was cut off");
    assert_eq!(in_b.tenant(), None);
    assert_eq!(in_b.commit().await, Err(DomainError::Internal));
}
crate::both_engines!(an_abandoned_step_cannot_commit, abandoned_step);

/// SQLite's writers take turns in the order they came, and one waiting for its turn holds no
/// connection: with more writers waiting than the pool has connections, a read still runs.
#[tokio::test]
async fn sqlite_writers_take_turns_in_arrival_order() {
    let t = crate::testing::fresh(crate::testing::Engine::Sqlite)
        .await
        .expect("sqlite");
    let w = world(&t.db).await;
    let scope = std::sync::Arc::new(community_scope(w.community_a.id));
    let first = scope.write(&t.db).await.expect("tx");
    let order = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut writers = Vec::new();
    // More than the pool's ten connections.
    for i in 0..12 {
        let (db, scope, order) = (t.db.clone(), scope.clone(), order.clone());
        writers.push(tokio::spawn(async move {
            let tx = scope.write(&db).await.expect("tx");
            order.lock().expect("order").push(i);
            tx.commit().await.expect("commit");
        }));
        // This test's runtime has one thread: the writer runs until it waits for its turn.
        tokio::task::yield_now().await;
    }
    let read = scope
        .read(&t.db)
        .await
        .expect("a read while twelve writers wait");
    read.find::<member::Entity>()
        .all(&read)
        .await
        .expect("read");
    drop(read);
    first.commit().await.expect("commit");
    for writer in writers {
        writer.await.expect("writer");
    }
    assert_eq!(*order.lock().expect("order"), (0..12).collect::<Vec<_>>());
}

/// SQLite is built with the query planner stability guarantee (`.cargo/config.toml`). Without
/// it, binding a LIMIT (every `.one()`, every page of ids) marks the statement expired, and
/// SQLite parses and plans it again on every run.
#[tokio::test]
async fn sqlite_plans_do_not_depend_on_bound_values() {
    use sea_orm::ConnectionTrait;
    let t = crate::testing::fresh(crate::testing::Engine::Sqlite)
        .await
        .expect("sqlite");
    let options =
        t.db.conn
            .query_all_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "PRAGMA compile_options",
            ))
            .await
            .expect("compile options");
    let options: Vec<String> = options
        .iter()
        .map(|row| row.try_get("", "compile_options").expect("option"))
        .collect();
    assert!(
        options.iter().any(|o| o == "ENABLE_QPSG"),
        "built without ENABLE_QPSG: {options:?}"
    );
}
