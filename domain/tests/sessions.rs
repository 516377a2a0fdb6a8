//! The database session store: create, load, save, delete and expiry.
use domain::both_engines;
use domain::sessions::DbSessionStore;
use domain::testing::TestDb;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{ExpiredDeletion, SessionStore};

fn record(expiry: time::OffsetDateTime) -> Record {
    let mut data = std::collections::HashMap::new();
    data.insert("user_id".to_owned(), serde_json::json!("abc"));
    Record {
        id: Id::default(),
        data,
        expiry_date: expiry,
    }
}

async fn store_round_trip(t: TestDb) {
    let store = DbSessionStore::new(t.db.clone());
    let later = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    let mut rec = record(later);
    store.create(&mut rec).await.expect("create");
    let loaded = store.load(&rec.id).await.expect("load").expect("present");
    assert_eq!(loaded.data, rec.data);

    rec.data.insert("lang".into(), serde_json::json!("en"));
    store.save(&rec).await.expect("save");
    let loaded = store.load(&rec.id).await.expect("load").expect("present");
    assert_eq!(loaded.data.get("lang"), Some(&serde_json::json!("en")));

    store.delete(&rec.id).await.expect("delete");
    assert!(store.load(&rec.id).await.expect("load").is_none());

    let mut old = record(time::OffsetDateTime::now_utc() - time::Duration::minutes(1));
    store.create(&mut old).await.expect("create");
    assert!(
        store.load(&old.id).await.expect("load").is_none(),
        "expired is not loaded"
    );
    store.delete_expired().await.expect("delete expired");
}
both_engines!(sessions_persist_and_expire, store_round_trip);
