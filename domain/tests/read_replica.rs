//! With a read replica (`DATABASE_READ_URL`; the test command starts a real streaming replica
//! of its throwaway cluster), the aggregates of a district and above are read there, a
//! street's and a community's from the primary (their staff read what they just wrote): with
//! the replica's replay paused, a write shows at once on the community's and the street's
//! figures and not on the district's; resumed and caught up, every dashboard from the replica
//! equals the primary's. The lag is measured. A replica that does not answer costs nothing
//! but a warning: the primary serves.
use domain::members;
use domain::rollup::{self, RollupScope};
use domain::tenancy::Commit;
use domain::testing::{
    fresh, member_input, pause_replica, replica_catch_up, today, with_replica, world, Engine,
};

async fn dashboard(db: &domain::Db, scope: &RollupScope) -> rollup::Dashboard {
    rollup::dashboard(db, scope, chrono::Utc::now())
        .await
        .expect("dashboard")
}

#[tokio::test]
async fn aggregates_come_from_the_replica_and_writers_read_the_primary() {
    let Some(t) = fresh(Engine::Postgres).await else {
        return;
    };
    let w = world(&t.db).await;
    let Some(replicated) = with_replica(&t).await else {
        return;
    };
    // Every read from the tables, none kept in memory.
    let replicated = replicated.without_kept_figures();
    let primary = t.db.without_kept_figures();
    let operator = w.principal(&primary, "operator").await;
    let country = operator.assignments[0].node.id;
    let scopes = [
        w.rollup_as(&primary, "secretary_a", w.community_a.id).await,
        w.rollup_as(&primary, "street", w.street.id).await,
        w.rollup_as(&primary, "district", w.district.id).await,
        w.rollup_as(&primary, "operator", country).await,
    ];
    for scope in &scopes {
        assert_eq!(
            dashboard(&replicated, scope).await,
            dashboard(&primary, scope).await
        );
    }
    let community_before = dashboard(&replicated, &scopes[0]).await.totals.members;
    let street_before = dashboard(&replicated, &scopes[1]).await.totals.members;
    let district_before = dashboard(&replicated, &scopes[2]).await.totals.members;

    pause_replica(true).await;
    let tx = w
        .write_as(&replicated, "secretary_a", w.community_a.id)
        .await;
    for i in 0..3 {
        members::create(&tx, &member_input(&format!("副本{i}")), None, today())
            .await
            .expect("member");
    }
    tx.commit().await.expect("commit");
    while rollup::compact(&replicated).await.expect("compact") {}
    let lag = replicated
        .replica_lag()
        .await
        .expect("lag")
        .expect("a replica");
    assert!(lag.bytes > 0, "{lag:?}");
    assert_eq!(
        dashboard(&replicated, &scopes[0]).await.totals.members,
        community_before + 3,
        "the community's staff read what they wrote (the primary)"
    );
    assert_eq!(
        dashboard(&replicated, &scopes[1]).await.totals.members,
        street_before + 3,
        "the street's staff too (the primary)"
    );
    assert_eq!(
        dashboard(&replicated, &scopes[2]).await.totals.members,
        district_before,
        "the district's figures are the paused replica's"
    );
    assert_eq!(
        dashboard(&primary, &scopes[2]).await.totals.members,
        district_before + 3
    );

    pause_replica(false).await;
    // Caught up, the lag reads nothing — once no other test's write lands in between (the
    // cluster is shared by the tests running beside this one): a few tries.
    let mut lag = None;
    for _ in 0..50 {
        replica_catch_up().await;
        let now = replicated
            .replica_lag()
            .await
            .expect("lag")
            .expect("a replica");
        lag = Some(now);
        if now.bytes == 0 && now.seconds == 0.0 {
            break;
        }
    }
    let lag = lag.expect("read");
    assert_eq!(lag.bytes, 0, "{lag:?}");
    assert_eq!(lag.seconds, 0.0);
    for scope in &scopes {
        assert_eq!(
            dashboard(&replicated, scope).await,
            dashboard(&primary, scope).await,
            "{:?}",
            scope.kind()
        );
    }
    assert_eq!(
        dashboard(&replicated, &scopes[2]).await.totals.members,
        district_before + 3
    );
    // Without a replica there is no lag to show.
    assert_eq!(primary.replica_lag().await.expect("lag"), None);
}

#[tokio::test]
async fn a_replica_that_does_not_answer_leaves_the_primary_to_serve() {
    let Some(t) = fresh(Engine::Postgres).await else {
        return;
    };
    let w = world(&t.db).await;
    // Nothing listens on port 1.
    let pool = domain::db::PoolOptions {
        acquire_timeout: std::time::Duration::from_secs(1),
        connect_timeout: std::time::Duration::from_secs(1),
        ..domain::db::PoolOptions::default()
    };
    let down =
        t.db.with_reader("postgres://gongjian_app@127.0.0.1:1/nowhere", pool)
            .await
            .expect("the server starts without its replica")
            .without_kept_figures();
    let primary = t.db.without_kept_figures();
    let district = w.rollup_as(&primary, "district", w.district.id).await;
    assert_eq!(
        dashboard(&down, &district).await,
        dashboard(&primary, &district).await
    );
    assert!(down.replica_lag().await.is_err(), "its lag cannot be read");
    let operator = w.principal(&primary, "operator").await;
    let health = domain::operations::health(&down, &operator)
        .await
        .expect("the operator's page still opens");
    assert!(health.replica_unreachable && health.replica.is_none());
    // Nobody else reads the service's health.
    for login in ["district", "street", "secretary_a", "member_a", "liaison"] {
        let principal = w.principal(&primary, login).await;
        assert_eq!(
            domain::operations::health(&down, &principal).await,
            Err(domain::DomainError::Forbidden),
            "{login}"
        );
    }
}
