//! A new address or number is the person's only once the code sent to it comes back, on both
//! engines: the code is theirs alone (another account typing it gets nothing), used once, in
//! time, at most `TRIES_MAX` guesses (even typed at once), a new one at most once a minute and
//! `SENDS_PER_DAY` a day (even asked for at once); an address typed wrong or on a channel this
//! deployment lacks sends nothing.
use chrono::{Duration, SubsecRound, Utc};
use domain::auth::account;
use domain::auth::contact::{self, Pending, CODE_VALID, RESEND_AFTER, SENDS_PER_DAY, TRIES_MAX};
use domain::both_engines;
use domain::kinds::Channel;
use domain::outbound::Outbound;
use domain::testing::{world, TestDb};
use domain::{Db, DomainError};

fn sending(db: &Db) -> Db {
    db.with_outbound(Outbound {
        email: true,
        sms: true,
        ..Default::default()
    })
}

fn invalid(field: &str, reason: &str) -> Result<String, DomainError> {
    Err(DomainError::invalid(field, reason))
}

async fn code_comes_back(t: TestDb) {
    let db = &sending(&t.db);
    let w = world(db).await;
    let me = w.account("member_a").user_id;
    let other = w.account("secretary_a").user_id;
    // Whole milliseconds, stored alike by both engines.
    let now = Utc::now().trunc_subsecs(3);

    let asked = contact::ask(db, me, Channel::Sms, " 13800138000 ", now)
        .await
        .expect("asked");
    assert_eq!(asked.address, "13800138000");
    assert!(asked.code.len() == 6 && asked.code.bytes().all(|b| b.is_ascii_digit()));
    // Not theirs until the code is back.
    assert_eq!(account::my_sms_phone(db, me).await, Ok(None));
    assert_eq!(
        contact::pending(db, me, now).await,
        Ok(vec![Pending {
            channel: Channel::Sms,
            address: "13800138000".into(),
            expires_at: now + CODE_VALID,
        }])
    );
    // Another account with the same code: nothing of theirs waits, nothing of mine is used.
    assert_eq!(
        contact::confirm(db, other, Channel::Sms, &asked.code, now).await,
        invalid("code", "none_pending")
    );
    assert_eq!(contact::pending(db, other, now).await, Ok(Vec::new()));
    // Asking again within the minute sends nothing new.
    assert_eq!(
        contact::ask(
            db,
            me,
            Channel::Sms,
            "13900139000",
            now + Duration::seconds(10)
        )
        .await
        .map(|c| c.address),
        invalid("code", "too_soon")
    );
    let wrong = if asked.code == "000000" {
        "111111"
    } else {
        "000000"
    };
    assert_eq!(
        contact::confirm(db, me, Channel::Sms, wrong, now).await,
        invalid("code", "wrong_code")
    );
    assert_eq!(
        contact::confirm(db, me, Channel::Sms, &asked.code, now).await,
        Ok("13800138000".into())
    );
    assert_eq!(
        account::my_sms_phone(db, me).await,
        Ok(Some("13800138000".into()))
    );
    assert_eq!(account::my_sms_phone(db, other).await, Ok(None));
    // Used once.
    assert_eq!(
        contact::confirm(db, me, Channel::Sms, &asked.code, now).await,
        invalid("code", "none_pending")
    );
    assert_eq!(contact::pending(db, me, now).await, Ok(Vec::new()));

    // Too late: the code is gone, the number kept so far stays.
    let later = now + RESEND_AFTER;
    let asked = contact::ask(db, me, Channel::Sms, "13900139000", later)
        .await
        .expect("asked");
    let late = later + CODE_VALID;
    assert_eq!(contact::pending(db, me, late).await, Ok(Vec::new()));
    assert_eq!(
        contact::confirm(db, me, Channel::Sms, &asked.code, late).await,
        invalid("code", "expired")
    );
    assert_eq!(
        account::my_sms_phone(db, me).await,
        Ok(Some("13800138000".into()))
    );

    // E-mail alike. A code that could not be sent is withdrawn: it confirms nothing, and it
    // counted (a failing channel is not asked again at once).
    let asked = contact::ask(db, me, Channel::Email, "chen.xm@changjiang.cn", now)
        .await
        .expect("asked");
    contact::withdraw(db, me, Channel::Email, now)
        .await
        .expect("withdrawn");
    assert_eq!(
        contact::confirm(db, me, Channel::Email, &asked.code, now).await,
        invalid("code", "none_pending")
    );
    let waiting = contact::pending(db, me, now).await.expect("pending");
    assert!(
        waiting.iter().all(|p| p.channel != Channel::Email),
        "{waiting:?}"
    );
    assert_eq!(
        contact::ask(db, me, Channel::Email, "chen.xm@changjiang.cn", now)
            .await
            .map(|c| c.address),
        invalid("code", "too_soon")
    );
    let again = now + RESEND_AFTER;
    let asked = contact::ask(db, me, Channel::Email, "chen.xm@changjiang.cn", again)
        .await
        .expect("asked again");
    assert_eq!(
        contact::confirm(db, me, Channel::Email, &asked.code, again).await,
        Ok("chen.xm@changjiang.cn".into())
    );
    assert_eq!(
        account::my_email(db, me).await,
        Ok(Some("chen.xm@changjiang.cn".into()))
    );
}
both_engines!(a_code_makes_an_address_theirs, code_comes_back);

async fn guesses_are_capped(t: TestDb) {
    let db = &sending(&t.db);
    let w = world(db).await;
    let me = w.account("member_a").user_id;
    let now = Utc::now();
    let asked = contact::ask(db, me, Channel::Email, "chen.xm@changjiang.cn", now)
        .await
        .expect("asked");
    let wrong: Vec<String> = (0..20)
        .map(|i| format!("{:06}", i))
        .filter(|c| *c != asked.code)
        .take(TRIES_MAX as usize + 3)
        .collect();
    let mut at_once = tokio::task::JoinSet::new();
    for code in wrong {
        let db = db.clone();
        at_once.spawn(async move { contact::confirm(&db, me, Channel::Email, &code, now).await });
    }
    let tries: Vec<Result<String, DomainError>> = at_once.join_all().await;
    let counted = tries
        .iter()
        .filter(|r| **r == invalid("code", "wrong_code"))
        .count();
    assert_eq!(counted, TRIES_MAX as usize, "{tries:?}");
    assert!(tries
        .iter()
        .all(|r| *r == invalid("code", "wrong_code") || *r == invalid("code", "too_many_tries")));
    // The right code comes too late: ask for a new one.
    assert_eq!(
        contact::confirm(db, me, Channel::Email, &asked.code, now).await,
        invalid("code", "too_many_tries")
    );
    assert_eq!(account::my_email(db, me).await, Ok(None));
    assert_eq!(contact::pending(db, me, now).await, Ok(Vec::new()));
    // Kept while it counts the day's codes, then pruned.
    assert_eq!(contact::prune(db, now + CODE_VALID * 2).await, Ok(0));
    assert_eq!(contact::prune(db, now + Duration::days(1)).await, Ok(1));
}
both_engines!(guesses_are_capped, guesses_are_capped);

/// Nobody gets more than a code a minute and `SENDS_PER_DAY` a day from one account, not even
/// asked for at once; the next day counts anew.
async fn sends_are_limited(t: TestDb) {
    let db = &sending(&t.db);
    let w = world(db).await;
    let me = w.account("member_a").user_id;
    let now = Utc::now().trunc_subsecs(3);
    let mut at_once = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let db = db.clone();
        at_once.spawn(async move {
            contact::ask(&db, me, Channel::Sms, "13800138000", now)
                .await
                .map(|c| c.address)
        });
    }
    let asks: Vec<Result<String, DomainError>> = at_once.join_all().await;
    let sent = asks.iter().filter(|r| r.is_ok()).count();
    assert_eq!(sent, 1, "{asks:?}");
    assert!(asks
        .iter()
        .all(|r| r.is_ok() || *r == invalid("code", "too_soon")));

    let minute = |n: i32| now + RESEND_AFTER * n;
    for n in 1..SENDS_PER_DAY {
        let asked = contact::ask(db, me, Channel::Sms, "13800138000", minute(n)).await;
        assert!(asked.is_ok(), "send {n}: {asked:?}");
    }
    assert_eq!(
        contact::ask(db, me, Channel::Sms, "13900139000", minute(SENDS_PER_DAY))
            .await
            .map(|c| c.address),
        invalid("code", "too_many_today")
    );
    // The other channel counts on its own; the next day, this one again.
    let mail = contact::ask(db, me, Channel::Email, "chen@changjiang.cn", minute(6)).await;
    assert!(mail.is_ok(), "{mail:?}");
    let next_day = now + Duration::days(1);
    let asked = contact::ask(db, me, Channel::Sms, "13900139000", next_day)
        .await
        .expect("a new day");
    assert_eq!(
        contact::confirm(db, me, Channel::Sms, &asked.code, next_day).await,
        Ok("13900139000".into())
    );
}
both_engines!(sends_are_limited, sends_are_limited);

async fn nothing_sent_for_bad_input(t: TestDb) {
    let w = world(&t.db).await;
    let me = w.account("member_a").user_id;
    let now = Utc::now();
    let off = t.db.with_outbound(Outbound::default());
    for (channel, typed) in [
        (Channel::Email, "chen@changjiang.cn"),
        (Channel::Sms, "13800138000"),
        (Channel::Robot, "https://qyapi.weixin.qq.com/"),
    ] {
        assert_eq!(
            contact::ask(&off, me, channel, typed, now)
                .await
                .map(|c| c.address),
            invalid(contact::field(channel), "channel_off")
        );
    }
    let db = &sending(&t.db);
    assert_eq!(
        contact::ask(db, me, Channel::Email, "chen@", now)
            .await
            .map(|c| c.address),
        invalid("email", "bad_email")
    );
    assert_eq!(
        contact::ask(db, me, Channel::Sms, "1380013", now)
            .await
            .map(|c| c.address),
        invalid("sms_phone", "bad_phone")
    );
    assert_eq!(contact::pending(db, me, now).await, Ok(Vec::new()));
}
both_engines!(nothing_is_sent_for_bad_input, nothing_sent_for_bad_input);
