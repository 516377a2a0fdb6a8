//! An activity's live seats on both engines: who may watch (as who may open the page), what a
//! watcher is shown after each committed change (the seats and their own place, equal to the
//! signup list), one feed shared by every watcher of an
//! activity and ended with the last of them, and the last state after a 1,000-member rush.
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use domain::activities::{self, Live, Place, SignupState, Standing};
use domain::both_engines;
use domain::members;
use domain::tenancy::{Commit, TenantScope};
use domain::testing::{activity_tomorrow as tomorrow, member_a_record, member_input, today};
use domain::testing::{world, TestDb};
use domain::DomainError;
use tokio::sync::watch;
use uuid::Uuid;

type Feed = watch::Receiver<Option<Arc<Standing>>>;

/// The first standing the feed shows that `ok` accepts (a change is read within moments; the
/// bound only keeps a broken feed from hanging the suite).
async fn until(feed: &mut Feed, ok: impl Fn(&Standing) -> bool) -> Arc<Standing> {
    let wait = feed.wait_for(|s| s.as_deref().is_some_and(&ok));
    let seen = tokio::time::timeout(Duration::from_secs(60), wait)
        .await
        .expect("the feed showed it")
        .expect("the feed is running");
    seen.clone().expect("a standing")
}

async fn publish(t: &TestDb, scope: &TenantScope, title: &str, capacity: &str) -> Uuid {
    let tx = scope.write(&t.db).await.expect("tx");
    let id = activities::save_activity(&tx, None, &tomorrow(title, capacity), Utc::now())
        .await
        .expect("published");
    tx.commit().await.expect("commit");
    id
}

async fn watching(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.community_a.id;
    let staff = w.scope_as(&t.db, "secretary_a", a).await;
    let tx = staff.write(&t.db).await.expect("tx");
    member_a_record(&tx, &w).await;
    let other = members::create(&tx, &member_input("李淑珍"), None, today())
        .await
        .expect("member");
    tx.commit().await.expect("commit");
    let activity = publish(&t, &staff, "主题党日", "1").await;
    let member = w.scope_as(&t.db, "member_a", a).await;

    // Who may watch: the member and the staff of A; nobody of another community, with A's id
    // or their own node.
    let tx = member.read(&t.db).await.expect("tx");
    let mine = activities::watcher(&tx, activity, Utc::now())
        .await
        .expect("the member may watch");
    tx.commit().await.expect("commit");
    assert!(mine.member().is_some(), "a member sees their own place");
    let tx = staff.read(&t.db).await.expect("tx");
    let theirs = activities::watcher(&tx, activity, Utc::now())
        .await
        .expect("staff may watch");
    tx.commit().await.expect("commit");
    assert_eq!(theirs.member(), None, "staff see the counts only");
    for (login, node) in [
        ("worker_b", w.community_b.id),
        ("secretary_c", w.community_c.id),
    ] {
        let tx = w.read_as(&t.db, login, node).await;
        let refused = activities::watcher(&tx, activity, Utc::now()).await;
        tx.commit().await.expect("commit");
        assert_eq!(refused, Err(DomainError::NotFound), "{login}");
    }

    let live = Live::new(t.db.clone());
    let mut seen_by_member = live.follow(&mine);
    let mut seen_by_staff = live.follow(&theirs);
    assert_eq!(live.feeds(), 1, "one feed for the activity's watchers");
    let first = until(&mut seen_by_member, |_| true).await;
    assert_eq!(
        (first.capacity, first.confirmed, first.waitlisted),
        (Some(1), 0, 0)
    );
    let me_id = mine.member().expect("member");

    // The other member takes the seat (代报名), then member_a joins: waitlisted, first in line.
    let tx = staff.write(&t.db).await.expect("tx");
    activities::sign_up_for(&tx, activity, other, Utc::now())
        .await
        .expect("seated");
    tx.commit().await.expect("commit");
    let now = until(&mut seen_by_staff, |s| s.confirmed == 1).await;
    assert_eq!(now.seats_left(), Some(0));
    assert_eq!(now.place_of(other), Some(Place::Confirmed));
    let tx = member.write(&t.db).await.expect("tx");
    activities::sign_up(&tx, activity, Utc::now())
        .await
        .expect("waitlisted");
    tx.commit().await.expect("commit");
    let now = until(&mut seen_by_member, |s| s.waitlisted == 1).await;
    assert_eq!(now.place_of(me_id), Some(Place::Waitlisted(1)));

    // Staff withdraw the seated member: member_a moves up, and both watchers see it.
    let tx = staff.write(&t.db).await.expect("tx");
    let signup = activities::signups(&tx, activity).await.expect("signups")[0].id;
    activities::withdraw(&tx, signup, Utc::now())
        .await
        .expect("withdrawn");
    tx.commit().await.expect("commit");
    let now = until(&mut seen_by_member, |s| s.waitlisted == 0).await;
    assert_eq!(now.place_of(me_id), Some(Place::Confirmed), "promoted");
    assert_eq!(now.place_of(other), None);
    let now = until(&mut seen_by_staff, |s| s.waitlisted == 0).await;
    assert_eq!((now.confirmed, now.seats_left()), (1, Some(0)));

    // The feed ends with its last watcher; a new watcher starts a new one.
    drop(seen_by_member);
    drop(seen_by_staff);
    tokio::time::timeout(Duration::from_secs(60), async {
        while live.feeds() > 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the feed ended");
    let mut again = live.follow(&mine);
    let now = until(&mut again, |_| true).await;
    assert_eq!(now.place_of(me_id), Some(Place::Confirmed));
}

both_engines!(watching_an_activity_live, watching);

/// 1,000 members rush 50 seats while a member and staff watch: the last standing each is shown
/// is the signup list as committed (50 seated, 950 in one line, each member's own place).
async fn rush_watched(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.community_a.id;
    let staff = Arc::new(w.scope_as(&t.db, "secretary_a", a).await);
    let tx = staff.write(&t.db).await.expect("tx");
    let mut crowd = Vec::with_capacity(1000);
    for i in 0..1000 {
        crowd.push(
            members::create(&tx, &member_input(&format!("党员{i:04}")), None, today())
                .await
                .expect("member"),
        );
    }
    tx.commit().await.expect("commit");
    let activity = publish(&t, &staff, "志愿服务：清扫楼道", "50").await;
    let tx = staff.read(&t.db).await.expect("tx");
    let watcher = activities::watcher(&tx, activity, Utc::now())
        .await
        .expect("watcher");
    tx.commit().await.expect("commit");
    let live = Live::new(t.db.clone());
    let mut feed = live.follow(&watcher);
    until(&mut feed, |_| true).await;

    let in_flight = Arc::new(tokio::sync::Semaphore::new(100));
    let mut tasks = Vec::with_capacity(crowd.len());
    for &m in &crowd {
        let (db, staff, in_flight) = (t.db.clone(), staff.clone(), in_flight.clone());
        tasks.push(tokio::spawn(async move {
            let _slot = in_flight.acquire().await.expect("slot");
            let tx = staff.write(&db).await.expect("tx");
            activities::sign_up_for(&tx, activity, m, Utc::now())
                .await
                .expect("signup");
            tx.commit().await.expect("commit");
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    let last = until(&mut feed, |s| s.confirmed + s.waitlisted == 1000).await;
    assert_eq!((last.confirmed, last.waitlisted), (50, 950));
    let tx = staff.read(&t.db).await.expect("tx");
    let list = activities::signups(&tx, activity).await.expect("signups");
    tx.commit().await.expect("commit");
    for row in &list {
        let expected = match (row.state, row.position) {
            (SignupState::Waitlisted, Some(n)) => Place::Waitlisted(n),
            _ => Place::Confirmed,
        };
        assert_eq!(last.place_of(row.member_id), Some(expected), "{}", row.name);
    }
}

both_engines!(a_watched_rush_ends_as_committed, rush_watched);
