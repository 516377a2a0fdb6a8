//! Login: credentials, bad input, per-account and per-IP limits, and the audit trail.
use std::net::{IpAddr, Ipv4Addr};

use domain::audit;
use domain::auth::{login, LoginGuard};
use domain::both_engines;
use domain::testing::{world, TestDb, PASSWORD};
use domain::DomainError;

const IP: Option<IpAddr> = Some(IpAddr::V4(Ipv4Addr::LOCALHOST));

async fn credentials(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let guard = LoginGuard::new(1000);
    let id = login(db, &guard, "Secretary_A", PASSWORD, IP)
        .await
        .expect("login ok");
    assert_eq!(id, w.account("secretary_a").user_id);
    assert_eq!(
        login(db, &guard, "secretary_a", "wrong-password", IP).await,
        Err(DomainError::BadCredentials)
    );
    assert_eq!(
        login(db, &guard, "nobody", PASSWORD, IP).await,
        Err(DomainError::BadCredentials)
    );
    assert_eq!(
        login(db, &guard, " ", PASSWORD, IP).await,
        Err(DomainError::invalid("login", "required"))
    );
    assert_eq!(
        login(db, &guard, "secretary_a", "", IP).await,
        Err(DomainError::invalid("password", "required"))
    );
    assert_eq!(
        login(db, &guard, &"x".repeat(10_000), PASSWORD, IP).await,
        Err(DomainError::invalid("login", "too_long"))
    );
    assert_eq!(
        login(db, &guard, "secretary_a", &"x".repeat(10_000), IP).await,
        Err(DomainError::invalid("password", "too_long"))
    );
    let ok = audit::recent(db, "login_ok", 10).await.expect("audit");
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].actor_user_id, Some(id));
    assert_eq!(ok[0].ip.as_deref(), Some("127.0.0.1"));
    let failed = audit::recent(db, "login_failed", 10).await.expect("audit");
    let subjects: Vec<_> = failed.iter().map(|e| e.subject.as_str()).collect();
    // What was typed for an unknown account is never stored (it is sometimes a password).
    assert_eq!(subjects, vec!["", "secretary_a"]);
    assert!(failed.iter().all(|e| !e.detail.contains("nobody")));
}
both_engines!(login_checks_credentials_and_audits, credentials);

fn ip(text: &str) -> Option<IpAddr> {
    text.parse().ok()
}

async fn pair_limit(t: TestDb) {
    let db = &t.db;
    world(db).await;
    let guard = LoginGuard::new(1000);
    let stranger = ip("198.51.100.7");
    for _ in 0..5 {
        assert_eq!(
            login(db, &guard, "street", "wrong-password", stranger).await,
            Err(DomainError::BadCredentials)
        );
    }
    // Even the right password is refused from that address while the pair is paused …
    assert_eq!(
        login(db, &guard, "street", PASSWORD, stranger).await,
        Err(DomainError::RateLimited)
    );
    // … but the owner on their own device is not locked out, nor are other accounts.
    assert!(login(db, &guard, "street", PASSWORD, IP).await.is_ok());
    assert!(login(db, &guard, "district", PASSWORD, stranger)
        .await
        .is_ok());
    // Five failures wrote two audit lines (the first and the pause), not five.
    let failed = audit::recent(db, "login_failed", 10).await.expect("audit");
    let paused = audit::recent(db, "login_paused", 10).await.expect("audit");
    assert_eq!((failed.len(), paused.len()), (1, 1));
    assert_eq!(paused[0].ip.as_deref(), Some("198.51.100.7"));
    // A name matching no account is paused like an account's, per name and address, and
    // nothing of what was typed is kept.
    for _ in 0..5 {
        assert_eq!(
            login(db, &guard, "no-such-account", "x-password", stranger).await,
            Err(DomainError::BadCredentials)
        );
    }
    assert_eq!(
        login(db, &guard, "No-Such-Account ", "x-password", stranger).await,
        Err(DomainError::RateLimited)
    );
    // After five unknown names, another unknown name and a real one answer alike: the answers
    // do not tell which names are accounts.
    for n in 0..5 {
        assert_eq!(
            login(db, &guard, &format!("guess-{n}"), "x-password", stranger).await,
            Err(DomainError::BadCredentials)
        );
    }
    for name in ["another-guess", "secretary_a"] {
        assert_eq!(
            login(db, &guard, name, "x-password", stranger).await,
            Err(DomainError::BadCredentials),
            "{name}"
        );
    }
    for action in ["login_failed", "login_paused"] {
        let rows = audit::recent(db, action, 50).await.expect("audit");
        assert!(rows
            .iter()
            .all(|e| !e.subject.contains("guess") && !e.subject.contains("no-such")));
        // Twelve names matching no account, the audit log heard of the address's first failure
        // and its fifth, not of each name.
        let unknown = rows.iter().filter(|e| e.subject.is_empty()).count();
        assert_eq!(unknown, 1, "{action}");
    }
}
both_engines!(failures_pause_an_account_from_one_address, pair_limit);

async fn account_limit(t: TestDb) {
    let db = &t.db;
    world(db).await;
    let guard = LoginGuard::new(1000);
    // The owner has signed in from their office before.
    assert!(login(db, &guard, "street", PASSWORD, IP).await.is_ok());
    // Guesses from many addresses, five each (all one address gets before its pause).
    for n in 0..10 {
        let from = ip(&format!("203.0.113.{n}"));
        for _ in 0..5 {
            assert_eq!(
                login(db, &guard, "street", "wrong-password", from).await,
                Err(DomainError::BadCredentials)
            );
        }
    }
    // Past the account's limit a new address may not try, even with the right password …
    assert_eq!(
        login(db, &guard, "street", PASSWORD, ip("192.0.2.1")).await,
        Err(DomainError::RateLimited)
    );
    // … while the owner's known address still signs in.
    assert!(login(db, &guard, "street", PASSWORD, IP).await.is_ok());
}
both_engines!(guesses_from_everywhere_leave_the_owner_in, account_limit);

/// Guesses sent at once from one address: each is counted before its password is checked, so
/// no more get an answer than the pause allows (checked first and counted after, all would).
async fn parallel_guesses(t: TestDb) {
    let db = &t.db;
    world(db).await;
    let guard = std::sync::Arc::new(LoginGuard::new(1000));
    let mut at_once = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let (db, guard) = (db.clone(), guard.clone());
        at_once.spawn(async move {
            login(&db, &guard, "street", "wrong-password", ip("198.51.100.9")).await
        });
    }
    let answers = at_once.join_all().await;
    let count = |wanted: &DomainError| {
        answers
            .iter()
            .filter(|a| a.as_ref().err() == Some(wanted))
            .count()
    };
    assert_eq!(
        (
            count(&DomainError::BadCredentials),
            count(&DomainError::RateLimited)
        ),
        (login::PAIR_MAX_FAILURES as usize, 15)
    );
    // The pause was written once, and the owner elsewhere still signs in.
    let paused = audit::recent(db, "login_paused", 10).await.expect("audit");
    assert_eq!(paused.len(), 1);
    assert!(login(db, &guard, "street", PASSWORD, IP).await.is_ok());
}
both_engines!(
    guesses_sent_at_once_are_counted_before_checked,
    parallel_guesses
);

#[test]
fn attempts_per_address_are_limited_ipv6_per_64() {
    let guard = LoginGuard::new(3);
    let home = ip("2001:db8:7:1::10");
    let same_prefix = ip("2001:db8:7:1:ffff::99");
    for _ in 0..2 {
        assert!(guard.allow(home));
    }
    assert!(guard.allow(same_prefix));
    assert!(!guard.allow(home), "the /64 shares one allowance");
    assert!(!guard.allow(same_prefix));
    assert!(guard.allow(ip("2001:db8:7:2::10")), "another /64");
    assert!(guard.allow(IP));
}

async fn audit_is_append_only(t: TestDb) {
    let db = &t.db;
    world(db).await;
    let count = audit::recent(db, "role_granted", 100)
        .await
        .expect("audit")
        .len();
    assert_eq!(count, 9, "every role grant is audited");
    assert!(
        audit::try_rewrite_for_test(db).await.is_err(),
        "UPDATE must fail"
    );
    assert!(
        audit::try_delete_for_test(db).await.is_err(),
        "DELETE must fail"
    );
    assert_eq!(
        audit::recent(db, "role_granted", 100)
            .await
            .expect("audit")
            .len(),
        9
    );
}
both_engines!(the_audit_log_cannot_be_changed, audit_is_append_only);

async fn accounts_are_unique_and_checked(t: TestDb) {
    use domain::auth::users::{create_user, NewUser};
    let db = &t.db;
    let new = |login: &'static str, phone: Option<&'static str>| NewUser {
        login_name: login,
        phone,
        display_name: "王秀兰",
        password: PASSWORD,
    };
    create_user(db, new("wangxl", Some("13800000001")))
        .await
        .expect("first");
    assert_eq!(
        create_user(db, new("WangXL", None)).await,
        Err(DomainError::Conflict("login_name".into())),
        "login names are case-insensitive"
    );
    assert_eq!(
        create_user(db, new("other", Some("13800000001"))).await,
        Err(DomainError::Conflict("login_name".into())),
        "a phone belongs to one account"
    );
    assert_eq!(
        create_user(db, new("third", Some("1380000000"))).await,
        Err(DomainError::invalid("phone", "bad_phone"))
    );
    assert_eq!(
        create_user(db, new("有空格 的名字", None)).await,
        Err(DomainError::invalid("login_name", "bad_chars"))
    );
    // The phone number works as a login.
    let guard = LoginGuard::new(100);
    assert!(login(db, &guard, "13800000001", PASSWORD, IP).await.is_ok());
}
both_engines!(
    accounts_are_unique_and_validated,
    accounts_are_unique_and_checked
);
