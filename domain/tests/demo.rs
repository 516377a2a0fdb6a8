//! The demo shows the day's work whenever it is seeded: an activity under way with check-in
//! open, a full lecture with a waitlist, next week's 主题党日 with seats, an open micro-wish, next
//! week's joint meeting with its agenda open and a resolution due in three days; its 支部书记 sees
//! their branch only; a refresh on the same day adds nothing twice.
use std::path::PathBuf;

use domain::auth::users;
use domain::both_engines;
use domain::demo;
use domain::kinds::NeedStatus;
use domain::tenancy::Commit;
use domain::testing::TestDb;
use domain::{auth::Principal, Db};

async fn principal(db: &Db, login: &str) -> Principal {
    let user = users::find_by_login(db, login)
        .await
        .expect("read")
        .expect("demo account");
    Principal::load(db, user.id)
        .await
        .expect("load")
        .expect("active")
}

async fn todays_work(t: TestDb) {
    let db = &t.db;
    let divisions =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/china-communities.csv.gz");
    let accounts = demo::seed(db, &divisions, "Demo@2026")
        .await
        .expect("seeded");
    assert!(accounts.iter().any(|a| a.login == "zhibu"));
    let now = chrono::Utc::now();
    let today = domain::clock::today();
    let a = domain::divisions::find_by_code(db, demo::COMMUNITY_A)
        .await
        .expect("read")
        .expect("长江路社区")
        .id;
    let street = domain::divisions::find_by_code(db, demo::STREET_CODE)
        .await
        .expect("read")
        .expect("站前街道")
        .id;

    let secretary = principal(db, "changjiang").await;
    let tx = secretary
        .manage_scope(db, a)
        .await
        .expect("scope")
        .read(db)
        .await
        .expect("tx");
    let listed = domain::activities::activities(&tx, now)
        .await
        .expect("activities");
    let find = |title: &str| {
        listed
            .iter()
            .find(|x| x.title == title)
            .unwrap_or_else(|| panic!("{title} in {listed:?}"))
    };
    let on_now = find("社区环境清洁日");
    assert!(on_now.check_in_open(now));
    assert_eq!(
        on_now
            .starts_at
            .with_timezone(&domain::clock::CHINA)
            .date_naive(),
        today
    );
    assert_eq!(on_now.confirmed, 6);
    let lecture = find("党课：新时代基层治理的长春实践");
    assert_eq!((lecture.seats_left(), lecture.waitlisted), (Some(0), 2));
    assert!(lecture.open_at(now));
    let party_day = find("主题党日：重温入党誓词");
    assert_eq!(party_day.seats_left(), Some(22));
    assert!(party_day.open_at(now));
    tx.commit().await.expect("commit");

    let coop = secretary.coop_scope(db, a).await.expect("coop");
    let tx = coop.read(db).await.expect("tx");
    let wishes: Vec<_> = domain::coop::needs(&tx)
        .await
        .expect("needs")
        .into_iter()
        .filter(|n| n.wish && n.status == NeedStatus::Open)
        .collect();
    assert_eq!(wishes.len(), 1, "{wishes:?}");
    tx.commit().await.expect("commit");

    let staff = principal(db, "zhanqian").await;
    let coop = staff.coop_scope(db, street).await.expect("coop");
    let tx = coop.read(db).await.expect("tx");
    let meetings = domain::coop::meetings(&tx).await.expect("meetings");
    let next = meetings
        .iter()
        .find(|m| m.held_on == today + chrono::Duration::days(7))
        .expect("next week's joint meeting");
    assert!(next.invited >= 5 && next.minutes_on.is_none());
    let agenda = domain::coop::meeting(&tx, next.id, today)
        .await
        .expect("meeting")
        .agenda;
    assert_eq!(agenda.len(), 1);
    let due: Vec<_> = domain::coop::resolutions(&tx, today)
        .await
        .expect("resolutions")
        .into_iter()
        .map(|r| (r.due_on - today).num_days())
        .collect();
    assert!(due.contains(&3) && due.contains(&-5), "{due:?}");
    tx.commit().await.expect("commit");

    // The 支部书记 sees the first branch's members only.
    let zhibu = principal(db, "zhibu").await;
    let tx = zhibu
        .manage_scope(db, a)
        .await
        .expect("scope")
        .read(db)
        .await
        .expect("tx");
    let theirs = domain::members::list(
        &tx,
        &domain::members::ListQuery {
            page: 1,
            per_page: 200,
            ..Default::default()
        },
    )
    .await
    .expect("roster");
    tx.commit().await.expect("commit");
    let tx = secretary
        .manage_scope(db, a)
        .await
        .expect("scope")
        .read(db)
        .await
        .expect("tx");
    let all = domain::members::count(&tx).await.expect("count");
    tx.commit().await.expect("commit");
    assert!(
        theirs.total > 0 && theirs.total < all,
        "{} of {all}",
        theirs.total
    );

    // Refreshing on the same day adds nothing twice.
    assert!(!demo::seed_today(db).await.expect("refresh"));
    let tx = secretary
        .manage_scope(db, a)
        .await
        .expect("scope")
        .read(db)
        .await
        .expect("tx");
    let again = domain::activities::activities(&tx, now)
        .await
        .expect("activities");
    tx.commit().await.expect("commit");
    assert_eq!(again.len(), listed.len());

    // Each member's list as the page reads it (the community's activities kept, their own
    // signups added) is the list read from the database.
    for login in ["dangyuan", "wangxiulan", "liuchunsheng"] {
        let scope = principal(db, login)
            .await
            .activities_scope(db, a)
            .await
            .expect("member");
        for _ in 0..2 {
            let kept = domain::activities::member_activities(db, &scope, now)
                .await
                .expect("member's list");
            let tx = scope.read(db).await.expect("tx");
            let read = domain::activities::activities(&tx, now)
                .await
                .expect("activities");
            tx.commit().await.expect("commit");
            assert!(!kept.is_empty(), "{login}");
            assert_eq!(kept, read, "{login}");
        }
        // Each of the community's activities (past, coming, for a branch or the in-service
        // reporters) and one of no community, as the member's activity page reads it.
        for id in listed.iter().map(|x| x.id).chain([uuid::Uuid::now_v7()]) {
            let kept = domain::activities::member_activity(db, &scope, id, now).await;
            let tx = scope.read(db).await.expect("tx");
            let read = domain::activities::activity(&tx, id, now).await;
            tx.commit().await.expect("commit");
            assert_eq!(kept, read, "{login} {id}");
        }
    }
}
both_engines!(the_demo_shows_todays_work, todays_work);
