//! Messages nobody sends by hand, on both engines: an activity's reminders a day and two hours
//! before it starts (to those with a seat, once each, also when two schedulers run at once),
//! the waitlist place that becomes a seat, a new time or venue, the cancellation; reminders set
//! anew when the activity moves; the scheduler's lease held by one process at a time.
use chrono::{DateTime, Duration, Utc};
use domain::activities::{self, ActivityInput};
use domain::both_engines;
use domain::kinds::MessageKind;
use domain::notices::{self, About, InboxItem};
use domain::reminders;
use domain::tenancy::{Commit, TenantScope};
use domain::testing::{
    activity_tomorrow, local_field, member_a_scope, member_with_login, nobody_else_opens, world,
    TestDb,
};
use domain::{Db, DomainError};
use uuid::Uuid;

async fn kinds(db: &Db, who: &TenantScope) -> Vec<MessageKind> {
    notices::inbox(db, who, 1)
        .await
        .expect("inbox")
        .items
        .iter()
        .map(|i: &InboxItem| i.kind)
        .collect()
}

async fn save(db: &Db, staff: &TenantScope, id: Option<Uuid>, input: &ActivityInput) -> Uuid {
    let tx = staff.write(db).await.expect("tx");
    let id = activities::save_activity(&tx, id, input, Utc::now())
        .await
        .expect("saved");
    tx.commit().await.expect("commit");
    id
}

async fn sign_up(db: &Db, who: &TenantScope, id: Uuid) {
    let tx = who.write(db).await.expect("tx");
    activities::sign_up(&tx, id, Utc::now())
        .await
        .expect("signed up");
    tx.commit().await.expect("commit");
}

/// Starting `hours` from now (to the minute, as typed in the form).
fn starting_in(input: &ActivityInput, now: DateTime<Utc>, hours: i64) -> ActivityInput {
    let starts = now + Duration::hours(hours);
    ActivityInput {
        starts_at: local_field(starts),
        ends_at: local_field(starts + Duration::hours(2)),
        signup_closes_at: local_field(starts),
        ..input.clone()
    }
}

async fn an_activity_reminds_and_tells(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    let a = w.community_a.id;
    let secretary = w.scope_as(db, "secretary_a", a).await;
    let chen = member_a_scope(db, &w).await;
    let (wang, _) = member_with_login(db, &w, "secretary_a", a, "王秀兰", "wang_r").await;

    // In 30 hours (to the minute), one seat: 陈 has it, 王 waits.
    let now = Utc::now();
    let planned = starting_in(&activity_tomorrow("重阳节敬老活动", "1"), now, 30);
    let id = save(db, &secretary, None, &planned).await;
    sign_up(db, &chen, id).await;
    sign_up(db, &wang, id).await;

    // Nothing is due yet; the day before, the first reminder is.
    assert_eq!(reminders::run_due(db, now).await, Ok(0));
    let day_before = now + Duration::hours(7);
    // Two schedulers at once send it once.
    let (one, other) = tokio::join!(
        reminders::run_due(db, day_before),
        reminders::run_due(db, day_before)
    );
    assert_eq!(one.expect("ran") + other.expect("ran"), 1);
    assert_eq!(reminders::run_due(db, day_before).await, Ok(0), "sent once");
    assert_eq!(kinds(db, &chen).await, [MessageKind::ActivityDayBefore]);
    assert!(kinds(db, &wang).await.is_empty(), "no seat, no reminder");
    let item = &notices::inbox(db, &chen, 1).await.expect("inbox").items[0];
    assert_eq!(item.title, "重阳节敬老活动");
    assert!(matches!(&item.about, About::Activity(b) if b.id == id));
    assert_eq!(notices::unread(db, &chen).await, Ok(1));
    let message = item.message_id;
    nobody_else_opens(db, &w, message, ("member_a", w.community_a.id)).await;
    let opened = notices::open(db, &chen, message, now)
        .await
        .expect("opened");
    assert!(opened.item.read && matches!(opened.item.about, About::Activity(_)));
    assert_eq!(notices::unread(db, &chen).await, Ok(0));

    // 陈 gives the seat back: 王 has it and is told.
    let tx = chen.write(db).await.expect("tx");
    activities::cancel_signup(&tx, id, Utc::now())
        .await
        .expect("cancelled");
    tx.commit().await.expect("commit");
    assert_eq!(kinds(db, &wang).await, [MessageKind::WaitlistPromoted]);

    // A new venue: 王 (signed up) hears it, 陈 (no longer) does not.
    let moved = ActivityInput {
        venue: "社区文化广场".into(),
        ..planned.clone()
    };
    save(db, &secretary, Some(id), &moved).await;
    assert_eq!(
        kinds(db, &wang).await,
        [MessageKind::ActivityChanged, MessageKind::WaitlistPromoted]
    );
    assert_eq!(kinds(db, &chen).await, [MessageKind::ActivityDayBefore]);

    // Two hours before: the second reminder, to 王 alone.
    assert_eq!(
        reminders::run_due(db, now + Duration::hours(29)).await,
        Ok(1)
    );
    assert_eq!(kinds(db, &wang).await[0], MessageKind::ActivitySoon);
    assert_eq!(kinds(db, &chen).await.len(), 1);

    // Moved three days on: its reminders are set anew, the day before the new date.
    let later = starting_in(&moved, now, 72);
    save(db, &secretary, Some(id), &later).await;
    assert_eq!(
        reminders::run_due(db, now + Duration::hours(31)).await,
        Ok(0)
    );
    assert_eq!(
        reminders::run_due(db, now + Duration::hours(49)).await,
        Ok(1)
    );
    let wang_kinds = kinds(db, &wang).await;
    assert_eq!(wang_kinds[0], MessageKind::ActivityDayBefore);
    assert_eq!(
        wang_kinds
            .iter()
            .filter(|k| **k == MessageKind::ActivityChanged)
            .count(),
        1,
        "a second change replaces the first message"
    );

    // A month after it was sent, the day-before reminder's row goes; the one still to come
    // stays (whatever the date).
    assert_eq!(reminders::prune(db, now + Duration::days(29)).await, Ok(0));
    assert_eq!(reminders::prune(db, now + Duration::days(33)).await, Ok(1));
    assert_eq!(reminders::prune(db, now + Duration::days(365)).await, Ok(0));
    let rows = domain::tenancy::shared::find::<domain::entities::reminder::Entity>()
        .all(db)
        .await
        .expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].kind, MessageKind::ActivitySoon);
    assert!(rows[0].sent_at.is_none());

    // Cancelled: 王 is told, and its last reminder is never sent. (The reminders above were
    // written at the times the scheduler was run for, later than this.)
    let tx = secretary.write(db).await.expect("tx");
    activities::cancel_activity(&tx, id, Utc::now())
        .await
        .expect("cancelled");
    tx.commit().await.expect("commit");
    let items = notices::inbox(db, &wang, 1).await.expect("inbox").items;
    let cancelled = items
        .iter()
        .find(|i| i.kind == MessageKind::ActivityCancelled)
        .expect("told of the cancellation");
    assert!(matches!(&cancelled.about, About::Activity(b) if b.cancelled));
    assert_eq!(
        reminders::run_due(db, now + Duration::hours(71)).await,
        Ok(0)
    );
}
both_engines!(
    an_activity_reminds_its_members_and_tells_them_of_changes,
    an_activity_reminds_and_tells
);

/// An activity published less than a day ahead has no day-before reminder to send (its time
/// has passed): only the two-hour one goes.
async fn passed_reminders(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    let a = w.community_a.id;
    let secretary = w.scope_as(db, "secretary_a", a).await;
    let chen = member_a_scope(db, &w).await;
    let now = Utc::now();
    let soon = starting_in(&activity_tomorrow("党课", ""), now, 5);
    let id = save(db, &secretary, None, &soon).await;
    sign_up(db, &chen, id).await;
    assert_eq!(
        reminders::run_due(db, now + Duration::hours(1)).await,
        Ok(0)
    );
    assert_eq!(
        reminders::run_due(db, now + Duration::hours(3) + Duration::minutes(5)).await,
        Ok(1)
    );
    assert_eq!(kinds(db, &chen).await, [MessageKind::ActivitySoon]);
}
both_engines!(
    reminders_whose_time_has_passed_are_not_sent,
    passed_reminders
);

async fn one_holder(t: TestDb) {
    let db = &t.db;
    let now = Utc::now();
    let lease = Duration::seconds(30);
    // (holder, at second, takes it): the holder renews it (until 40 s); its time past, another
    // takes it and the first one no longer has it.
    let turns = [
        ("a", 0, true),
        ("b", 10, false),
        ("a", 10, true),
        ("b", 35, false),
        ("b", 41, true),
        ("a", 42, false),
    ];
    for (holder, second, takes) in turns {
        let at = now + Duration::seconds(second);
        let taken = reminders::take_lease(db, "test", holder, at, lease).await;
        assert_eq!(taken, Ok(takes), "{holder} at {second} s");
    }
    // Only the holder of the reminders' lease sends them.
    assert_eq!(reminders::tick(db, "a", now, lease).await, Ok(Some(0)));
    assert_eq!(reminders::tick(db, "b", now, lease).await, Ok(None));
}
both_engines!(the_scheduler_lease_has_one_holder_at_a_time, one_holder);

/// A member who turned a kind off gets none of it; a notice cannot be turned off; bad input
/// changes nothing.
async fn turned_off(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    let a = w.community_a.id;
    let secretary = w.scope_as(db, "secretary_a", a).await;
    let chen = member_a_scope(db, &w).await;
    let user = w.account("member_a").user_id;
    let refused = Err(DomainError::invalid("message_kinds", "not_in_list"));
    assert_eq!(
        notices::set_wanted(db, user, &["notice".to_owned()]).await,
        refused
    );
    let too_many = vec!["activity_soon".to_owned(); MessageKind::ALL.len() + 1];
    assert_eq!(notices::set_wanted(db, user, &too_many).await, refused);
    assert_eq!(notices::turned_off(db, user).await, Ok(Vec::new()));
    // Only a cancellation is still wanted.
    notices::set_wanted(db, user, &["activity_cancelled".to_owned()])
        .await
        .expect("saved");
    assert_eq!(
        notices::turned_off(db, user).await.expect("read").len(),
        notices::optional_kinds().count() - 1
    );

    let now = Utc::now();
    let planned = starting_in(&activity_tomorrow("红色观影", ""), now, 30);
    let id = save(db, &secretary, None, &planned).await;
    sign_up(db, &chen, id).await;
    assert_eq!(
        reminders::run_due(db, now + Duration::hours(7)).await,
        Ok(1)
    );
    assert!(kinds(db, &chen).await.is_empty(), "reminders turned off");
    let tx = secretary.write(db).await.expect("tx");
    activities::cancel_activity(&tx, id, Utc::now())
        .await
        .expect("cancelled");
    tx.commit().await.expect("commit");
    assert_eq!(kinds(db, &chen).await, [MessageKind::ActivityCancelled]);
}
both_engines!(a_kind_turned_off_is_not_sent, turned_off);
