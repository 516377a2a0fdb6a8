//! No double credit: two concurrent calls of each crediting write — a member's check-in, the
//! organiser's mark, the community's confirmation of a wish, a reversal — leave exactly one
//! ledger entry, on both engines (on PostgreSQL the second waits for the first's lock, then
//! sees what it did; the ledger's unique keys stand behind that).
use domain::tenancy::Commit;
use std::sync::Arc;

use chrono::{Duration, Utc};
use domain::activities::{self, ActivityInput};
use domain::both_engines;
use domain::coop::{self, NeedInput};
use domain::members;
use domain::points::{self, PointsCategory};
use domain::testing::{
    activity_tomorrow, local_field as at, member_a_record, member_input, today, world, TestDb,
};
use uuid::Uuid;

/// Runs `call` twice at once, each in its own write transaction committed when it succeeds;
/// returns how many succeeded.
async fn twice<S, F, Fut>(scope: Arc<S>, db: &domain::Db, call: F) -> usize
where
    S: Send + Sync + 'static,
    F: Fn(Arc<S>, domain::Db) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = bool> + Send + 'static,
{
    let tasks: Vec<_> = (0..2)
        .map(|_| tokio::spawn((call.clone())(scope.clone(), db.clone())))
        .collect();
    let mut ok = 0;
    for task in tasks {
        if task.await.expect("task") {
            ok += 1;
        }
    }
    ok
}

fn year() -> i32 {
    chrono::Datelike::year(&domain::clock::today())
}

async fn entries(
    t: &TestDb,
    scope: &domain::tenancy::TenantScope,
    member: Uuid,
) -> Vec<points::Entry> {
    let tx = scope.read(&t.db).await.expect("tx");
    points::member_points(&tx, member, year())
        .await
        .expect("points")
        .entries
}

async fn concurrent_credits(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.community_a.id;
    let secretary = w.principal(&t.db, "secretary_a").await;
    let staff = Arc::new(secretary.tenant_scope(&t.db, a).await.expect("scope"));
    let now = Utc::now();
    let tx = staff.write(&t.db).await.expect("tx");
    let me = member_a_record(&tx, &w).await;
    let other = members::create(&tx, &member_input("李淑珍"), None, today())
        .await
        .expect("member");
    let soon = ActivityInput {
        starts_at: at(now + Duration::minutes(10)),
        ends_at: at(now + Duration::minutes(130)),
        signup_closes_at: at(now + Duration::minutes(10)),
        points: "5".into(),
        ..activity_tomorrow("主题党日：重温入党誓词", "")
    };
    let day = activities::save_activity(&tx, None, &soon, now)
        .await
        .expect("published");
    activities::sign_up_for(&tx, day, me, now)
        .await
        .expect("signed up");
    activities::sign_up_for(&tx, day, other, now)
        .await
        .expect("signed up");
    let code = activities::current_code(&tx, day, now)
        .await
        .expect("code")
        .code;
    let other_signup = activities::signups(&tx, day)
        .await
        .expect("signups")
        .into_iter()
        .find(|s| s.name == "李淑珍")
        .expect("signup")
        .id;
    tx.commit().await.expect("commit");

    // Two taps of "check in" on a phone.
    let member = w.principal(&t.db, "member_a").await;
    let own = Arc::new(member.tenant_scope(&t.db, a).await.expect("own"));
    let done = twice(own, &t.db, move |scope, db| {
        let code = code.clone();
        async move {
            let tx = scope.write(&db).await.expect("tx");
            match activities::check_in(&tx, day, &code, now).await {
                Ok(_) => tx.commit().await.is_ok(),
                Err(_) => false,
            }
        }
    })
    .await;
    assert_eq!(done, 2, "the second tap finds the member checked in");
    let mine = entries(&t, &staff, me).await;
    assert_eq!(mine.len(), 1, "one credit: {mine:?}");
    assert_eq!(
        (mine[0].category, mine[0].points),
        (PointsCategory::Attendance, 5)
    );

    // The organiser marks the same member present twice at once.
    let later = now + Duration::minutes(20);
    twice(staff.clone(), &t.db, move |scope, db| async move {
        let tx = scope.write(&db).await.expect("tx");
        match activities::mark_attendance(&tx, other_signup, "attended", later).await {
            Ok(()) => tx.commit().await.is_ok(),
            Err(_) => false,
        }
    })
    .await;
    let theirs = entries(&t, &staff, other).await;
    assert_eq!(theirs.len(), 1, "one credit: {theirs:?}");

    // A correction to absent and back earns again, once (a new round of the same signup).
    for mark in ["no_show", "attended"] {
        let tx = staff.write(&t.db).await.expect("tx");
        activities::mark_attendance(&tx, other_signup, mark, later)
            .await
            .expect("corrected");
        tx.commit().await.expect("commit");
    }
    let standing: i32 = entries(&t, &staff, other)
        .await
        .iter()
        .map(|e| e.points)
        .sum();
    assert_eq!(standing, 5);

    // Two reversals of one entry at once: exactly one lands.
    let entry = mine[0].id;
    let reversed = twice(staff.clone(), &t.db, move |scope, db| async move {
        let tx = scope.write(&db).await.expect("tx");
        match points::reverse(&tx, entry, "误签到", later).await {
            Ok(()) => tx.commit().await.is_ok(),
            Err(_) => false,
        }
    })
    .await;
    assert_eq!(reversed, 1);
    let mine = entries(&t, &staff, me).await;
    assert_eq!(mine.iter().filter(|e| e.reversal).count(), 1);
    assert_eq!(mine.iter().map(|e| e.points).sum::<i32>(), 0);
}
both_engines!(
    concurrent_checkins_marks_and_reversals_credit_once,
    concurrent_credits
);

async fn concurrent_wish_confirmations(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.community_a.id;
    let secretary = w.principal(&t.db, "secretary_a").await;
    let staff = secretary.tenant_scope(&t.db, a).await.expect("scope");
    let tx = staff.write(&t.db).await.expect("tx");
    let me = member_a_record(&tx, &w).await;
    points::set_rule(&tx, "wish", "4").await.expect("rule");
    tx.commit().await.expect("commit");
    let community = Arc::new(
        secretary
            .coop_scope(&t.db, a)
            .await
            .expect("community scope"),
    );
    let wish = NeedInput {
        title: "陪老人去医院复查".into(),
        category: "助老".into(),
        urgency: "normal".into(),
        wish: true,
        ..Default::default()
    };
    let tx = community.write(&t.db).await.expect("tx");
    let id = coop::post_need(&tx, &wish, today()).await.expect("wish");
    tx.commit().await.expect("commit");
    let member = w
        .principal(&t.db, "member_a")
        .await
        .coop_scope(&t.db, a)
        .await
        .expect("member scope");
    let tx = member.write(&t.db).await.expect("tx");
    coop::claim(&tx, id, today()).await.expect("claim");
    coop::deliver(&tx, id, today()).await.expect("deliver");
    tx.commit().await.expect("commit");

    let confirmed = twice(community, &t.db, move |scope, db| async move {
        let tx = scope.write(&db).await.expect("tx");
        match coop::confirm(&tx, id, today()).await {
            Ok(()) => tx.commit().await.is_ok(),
            Err(_) => false,
        }
    })
    .await;
    assert_eq!(confirmed, 1);
    let mine = entries(&t, &staff, me).await;
    assert_eq!(mine.len(), 1, "one credit: {mine:?}");
    assert_eq!(mine[0].points, 4);
}
both_engines!(
    concurrent_wish_confirmations_credit_once,
    concurrent_wish_confirmations
);
