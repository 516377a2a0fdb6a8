//! A person's own account: changing the password (the current one required, the rules, the
//! other sessions ending, nothing written on a refusal), one-time passwords (the command-line
//! operator, logins staff open for members), and sessions listed and ended by their owner only.
use std::collections::HashMap;

use domain::auth::account::{self, PasswordChange};
use domain::auth::{login, users, LoginGuard, Principal};
use domain::both_engines;
use domain::sessions::{keys, DbSessionStore};
use domain::tenancy::Commit;
use domain::testing::{member_input, today, world, TestDb, PASSWORD};
use domain::DomainError;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::SessionStore;
use uuid::Uuid;

const NEW: &str = "青山绿水-长江路-77";

fn change(current: &str, new: &str, again: &str) -> PasswordChange {
    PasswordChange {
        current_password: current.into(),
        new_password: new.into(),
        confirm_password: again.into(),
    }
}

/// A signed-in session of `user` in the store, as the app writes it at login.
async fn signed_in(store: &DbSessionStore, user: Uuid, agent: &str) -> String {
    let now = time::OffsetDateTime::now_utc();
    let mut data = HashMap::new();
    data.insert(keys::USER.to_owned(), serde_json::json!(user));
    data.insert(
        keys::SIGNED_IN_AT.to_owned(),
        serde_json::json!(now.unix_timestamp()),
    );
    data.insert(keys::AGENT.to_owned(), serde_json::json!(agent));
    let mut record = Record {
        id: Id::default(),
        data,
        expiry_date: now + time::Duration::hours(1),
    };
    store.create(&mut record).await.expect("session");
    record.id.to_string()
}

async fn alive(store: &DbSessionStore, id: &str) -> bool {
    let id: Id = id.parse().expect("session id");
    store.load(&id).await.expect("load").is_some()
}

async fn changing_the_password(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let guard = LoginGuard::new(1000);
    let store = DbSessionStore::new(db.clone());
    let me = w.account("secretary_a").user_id;
    let here = signed_in(&store, me, "this phone").await;
    let office = signed_in(&store, me, "office PC").await;
    let someone_else = signed_in(&store, w.account("secretary_c").user_id, "theirs").await;

    let refusals = [
        (
            change("wrong-password", NEW, NEW),
            ("current_password", "wrong_password"),
        ),
        (change("", NEW, NEW), ("current_password", "required")),
        (
            change(PASSWORD, NEW, "青山绿水"),
            ("confirm_password", "passwords_differ"),
        ),
        (
            change(PASSWORD, PASSWORD, PASSWORD),
            ("new_password", "same_as_current"),
        ),
        (
            change(PASSWORD, "short", "short"),
            ("new_password", "password_too_short"),
        ),
        (
            change(PASSWORD, "password123", "password123"),
            ("new_password", "password_guessable"),
        ),
        (
            change(PASSWORD, "secretary_a!2026", "secretary_a!2026"),
            ("new_password", "password_personal"),
        ),
        (
            change(PASSWORD, &"长".repeat(200), &"长".repeat(200)),
            ("new_password", "too_long"),
        ),
    ];
    for (input, (field, reason)) in refusals {
        assert_eq!(
            account::change_password(db, &guard, me, Some(&here), None, &input).await,
            Err(DomainError::invalid(field, reason)),
            "{field} {reason}"
        );
    }
    // Nothing changed: the old password still works, every session lives.
    assert_eq!(
        login(db, &guard, "secretary_a", PASSWORD, None).await,
        Ok(me)
    );
    assert!(alive(&store, &office).await);

    account::change_password(
        db,
        &guard,
        me,
        Some(&here),
        None,
        &change(PASSWORD, NEW, NEW),
    )
    .await
    .expect("changed");
    assert_eq!(login(db, &guard, "secretary_a", NEW, None).await, Ok(me));
    assert_eq!(
        login(db, &guard, "secretary_a", PASSWORD, None).await,
        Err(DomainError::BadCredentials)
    );
    assert!(alive(&store, &here).await, "this device stays signed in");
    assert!(
        !alive(&store, &office).await,
        "the other device is signed out"
    );
    assert!(
        alive(&store, &someone_else).await,
        "another account is untouched"
    );
    let audited = domain::audit::recent(db, "password_changed", 5)
        .await
        .expect("audit");
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].actor_user_id, Some(me));
}
both_engines!(
    a_password_is_changed_with_the_current_one,
    changing_the_password
);

async fn one_time_passwords(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let guard = LoginGuard::new(1000);
    // The command-line operator: a login already taken is refused, a new one gets a one-time
    // password that must be replaced.
    assert!(matches!(
        users::create_operator(db, "Operator", "运维").await,
        Err(DomainError::Conflict(_))
    ));
    let (ops, once) = users::create_operator(db, "ops", "平台运维")
        .await
        .expect("operator");
    assert_eq!(once.chars().count(), 12);
    assert_eq!(login(db, &guard, "ops", &once, None).await, Ok(ops));
    let p = Principal::load(db, ops)
        .await
        .expect("load")
        .expect("active");
    assert!(p.must_change_password);
    assert_eq!(p.assignments.len(), 1);
    assert_eq!(p.assignments[0].role, domain::auth::Role::PlatformOperator);
    account::change_password(db, &guard, ops, None, None, &change(&once, NEW, NEW))
        .await
        .expect("changed");
    let p = Principal::load(db, ops)
        .await
        .expect("load")
        .expect("active");
    assert!(!p.must_change_password);

    // A login the secretary opens for a member: the password she hands over is one-time.
    let scope = w.scope_as(db, "secretary_a", w.community_a.id).await;
    let tx = scope.write(db).await.expect("tx");
    let member = domain::members::create(&tx, &member_input("王秀兰"), None, today())
        .await
        .expect("member");
    tx.commit().await.expect("commit");
    let user = domain::members::create_login(db, &scope, member, "wangxl", "handed-over-1")
        .await
        .expect("login");
    let p = Principal::load(db, user)
        .await
        .expect("load")
        .expect("active");
    assert!(p.must_change_password);
    // Accounts made by seeding (fixtures, the demo) are not.
    let p = w.principal(db, "secretary_a").await;
    assert!(!p.must_change_password);
}
both_engines!(
    accounts_opened_by_others_start_with_one_time_passwords,
    one_time_passwords
);

async fn own_sessions(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let store = DbSessionStore::new(db.clone());
    let me = w.account("secretary_a").user_id;
    let them = w.account("secretary_c").user_id;
    let here = signed_in(&store, me, "this phone").await;
    let office = signed_in(&store, me, "office PC").await;
    let theirs = signed_in(&store, them, "theirs").await;
    let mine = account::my_sessions(db, me, Some(&here))
        .await
        .expect("list");
    assert_eq!(mine.len(), 2);
    assert!(mine[0].current, "this device first");
    assert_eq!(mine[1].agent.as_deref(), Some("office PC"));
    let office_handle = mine[1].handle;
    // Saving a session again (as touching it does) keeps its handle.
    let office_id: Id = office.parse().expect("id");
    let record = store
        .load(&office_id)
        .await
        .expect("load")
        .expect("present");
    store.save(&record).await.expect("touch");
    let again = account::my_sessions(db, me, Some(&here))
        .await
        .expect("list");
    assert_eq!(again[1].handle, office_handle);
    let their_handle = account::my_sessions(db, them, None).await.expect("list")[0].handle;

    // Another account's session, or this one, cannot be ended through this account.
    assert_eq!(
        account::end_session(db, me, Some(&here), their_handle).await,
        Err(DomainError::NotFound)
    );
    assert!(alive(&store, &theirs).await);
    assert_eq!(
        account::end_session(db, me, Some(&here), mine[0].handle).await,
        Err(DomainError::NotFound)
    );
    assert!(alive(&store, &here).await);

    account::end_session(db, me, Some(&here), office_handle)
        .await
        .expect("ended");
    assert!(!alive(&store, &office).await);
    let _laptop = signed_in(&store, me, "laptop").await;
    let _tablet = signed_in(&store, me, "tablet").await;
    assert_eq!(
        account::end_other_sessions(db, me, Some(&here)).await,
        Ok(2)
    );
    let left = account::my_sessions(db, me, Some(&here))
        .await
        .expect("list");
    assert_eq!(left.len(), 1);
    assert!(alive(&store, &theirs).await);
}
both_engines!(people_see_and_end_only_their_own_sessions, own_sessions);

/// Guessing the current password through the change form is paused like guessing at login.
async fn guessing_the_current_password(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let guard = LoginGuard::new(1000);
    let me = w.account("secretary_a").user_id;
    let ip = Some(std::net::IpAddr::from([10, 0, 0, 7]));
    for _ in 0..domain::auth::login::PAIR_MAX_FAILURES {
        assert_eq!(
            account::change_password(db, &guard, me, None, ip, &change("guess-guess-1", NEW, NEW))
                .await,
            Err(DomainError::invalid("current_password", "wrong_password"))
        );
    }
    assert_eq!(
        account::change_password(db, &guard, me, None, ip, &change(PASSWORD, NEW, NEW)).await,
        Err(DomainError::RateLimited),
        "paused from this address, even with the right password"
    );
    assert_eq!(
        login(db, &guard, "secretary_a", PASSWORD, ip).await,
        Err(DomainError::RateLimited)
    );
    // The owner elsewhere is not locked out.
    let home = Some(std::net::IpAddr::from([192, 168, 1, 2]));
    assert_eq!(
        login(db, &guard, "secretary_a", PASSWORD, home).await,
        Ok(me)
    );
}
both_engines!(
    guessing_the_current_password_is_paused,
    guessing_the_current_password
);

/// Current passwords guessed at once through the change form get no more answers than the pause
/// allows; the right one afterwards, from the owner's other device, clears nothing it should not.
async fn guessing_at_once(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let guard = std::sync::Arc::new(LoginGuard::new(1000));
    let me = w.account("secretary_a").user_id;
    let ip = Some(std::net::IpAddr::from([10, 0, 0, 8]));
    let mut at_once = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let (db, guard) = (db.clone(), guard.clone());
        at_once.spawn(async move {
            let guess = change("guess-guess-1", NEW, NEW);
            account::change_password(&db, &guard, me, None, ip, &guess).await
        });
    }
    let answers = at_once.join_all().await;
    let wrong = DomainError::invalid("current_password", "wrong_password");
    let count = |wanted: &DomainError| {
        answers
            .iter()
            .filter(|a| a.as_ref().err() == Some(wanted))
            .count()
    };
    assert_eq!(
        (count(&wrong), count(&DomainError::RateLimited)),
        (login::PAIR_MAX_FAILURES as usize, 7)
    );
    let home = Some(std::net::IpAddr::from([192, 168, 1, 3]));
    assert_eq!(
        login(db, &guard, "secretary_a", PASSWORD, home).await,
        Ok(me)
    );
}
both_engines!(
    current_passwords_guessed_at_once_are_paused,
    guessing_at_once
);

/// An ended session stays ended when a request that still holds it writes it afterwards.
async fn ended_stays_ended(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let store = DbSessionStore::new(db.clone());
    let me = w.account("secretary_a").user_id;
    let office = signed_in(&store, me, "office PC").await;
    let id: Id = office.parse().expect("id");
    let mut held = store.load(&id).await.expect("load").expect("present");
    assert_eq!(account::end_other_sessions(db, me, None).await, Ok(1));
    held.data
        .insert(keys::TOUCHED_AT.to_owned(), serde_json::json!(1));
    store.save(&held).await.expect("save");
    assert!(!alive(&store, &office).await);
}
both_engines!(an_ended_session_is_not_brought_back, ended_stays_ended);
