//! Where a member's Party relation is held, on both engines: a 报到党员 (relation at their
//! employer) stays on the community's roster but not in its member figures above, and misses a
//! 三会一课 without the absence deduction; changing it moves the figures, `reconcile` agrees;
//! migration 37 marks the in-service members with a confirmed report and their employer's
//! Party organisation as 报到党员.
use chrono::{Datelike, Duration, Utc};
use domain::activities;
use domain::both_engines;
use domain::members::{self, ListQuery, MemberInput, PartyRelation};
use domain::reporting::{self, PostInput};
use domain::rollup::{self, reconcile};
use domain::tenancy::Commit;
use domain::testing::{lesson_at, member_input, migration, today, world};
use domain::testing::{TestDb, World};
use domain::DomainError;
use uuid::Uuid;

fn reporter_input(name: &str) -> MemberInput {
    MemberInput {
        category: "在职".into(),
        relation: "报到党员".into(),
        employer: "长春市第一中学".into(),
        employer_party_org: "长春市第一中学党总支".into(),
        ..member_input(name)
    }
}

/// The street's member figure over its subtree; its overview's row for community A agrees.
async fn street_members(t: &TestDb, w: &World) -> i64 {
    let scope = w.rollup_as(&t.db, "street", w.street.id).await;
    let total = rollup::totals(&t.db, &scope).await.expect("totals").members;
    let overview = rollup::overview(&t.db, &scope, Utc::now())
        .await
        .expect("overview");
    let rows: i64 = overview.children.iter().map(|c| c.figures.members).sum();
    assert_eq!(
        (overview.totals.members, rows),
        (total, total),
        "the rows add up"
    );
    total
}

async fn counted_apart(t: TestDb) {
    let w = world(&t.db).await;
    let before = street_members(&t, &w).await;
    let secretary = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = secretary.write(&t.db).await.expect("tx");
    let own = members::create(&tx, &member_input("王建国"), None, today())
        .await
        .expect("member");
    let reporter = members::create(&tx, &reporter_input("李文华"), None, today())
        .await
        .expect("member");
    assert_eq!(
        members::create(
            &tx,
            &MemberInput {
                relation: "elsewhere".into(),
                ..member_input("赵一")
            },
            None,
            today()
        )
        .await,
        Err(DomainError::invalid("relation", "not_in_list"))
    );
    let on_roster = members::count_in_reach(&tx).await.expect("roster");
    tx.commit().await.expect("commit");
    assert_eq!(
        street_members(&t, &w).await,
        before + 1,
        "the 报到党员 left out"
    );
    assert!(reconcile(&t.db, false).await.expect("reconcile").is_empty());

    // The roster finds each kind, from its kept copy and from the database alike.
    let reporters = ListQuery {
        relation: Some(PartyRelation::Reporting),
        page: 1,
        per_page: 50,
        ..Default::default()
    };
    let kept = members::roster(&t.db, &secretary, &reporters)
        .await
        .expect("roster")
        .page;
    let tx = secretary.read(&t.db).await.expect("tx");
    let listed = members::list(&tx, &reporters).await.expect("list");
    drop(tx);
    for page in [kept, listed] {
        let ids: Vec<Uuid> = page.rows.iter().map(|r| r.id).collect();
        assert_eq!((ids, page.total), (vec![reporter], 1));
        assert_eq!(page.rows[0].relation, PartyRelation::Reporting);
    }

    // A 党课 that has ended: both missed it; only the community's own member pays.
    let now = Utc::now();
    let starts = now - Duration::hours(3);
    let lesson = lesson_at(starts);
    let tx = secretary.write(&t.db).await.expect("tx");
    let id = activities::save_activity(&tx, None, &lesson, now - Duration::days(2))
        .await
        .expect("saved");
    for m in [own, reporter] {
        activities::sign_up_for(&tx, id, m, starts - Duration::days(1))
            .await
            .expect("signed up");
    }
    for s in activities::signups(&tx, id).await.expect("signups") {
        activities::mark_attendance(&tx, s.id, "no_show", now)
            .await
            .expect("marked");
    }
    let year = today().year();
    let points = |m: Uuid| {
        let tx = &tx;
        async move {
            domain::points::member_points(tx, m, year)
                .await
                .expect("points")
                .total
        }
    };
    assert_eq!(points(own).await, -2, "the absence rule");
    assert_eq!(points(reporter).await, 0, "kept at their employer");

    // Their relation moves here: the figure follows, and their next absence would cost.
    let mut moved = reporter_input("李文华");
    moved.relation = PartyRelation::Here.as_str().into();
    members::update(&tx, reporter, &moved, today())
        .await
        .expect("updated");
    assert_eq!(members::count_in_reach(&tx).await, Ok(on_roster));
    tx.commit().await.expect("commit");
    assert_eq!(street_members(&t, &w).await, before + 2);
    assert!(reconcile(&t.db, false).await.expect("reconcile").is_empty());
}
both_engines!(a_reporting_member_is_counted_apart, counted_apart);

/// Members kept before migration 37: an in-service member with a confirmed report and their
/// employer's Party organisation becomes a 报到党员; one without either stays.
async fn marked_by_the_migration(t: TestDb) {
    let w = world(&t.db).await;
    let secretary = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = secretary.write(&t.db).await.expect("tx");
    let post = reporting::save_post(
        &tx,
        None,
        &PostInput {
            name: "政策宣讲".into(),
            description: String::new(),
            active: true,
        },
    )
    .await
    .expect("post");
    let as_before = |name: &str, org: &str| MemberInput {
        relation: String::new(),
        employer_party_org: org.into(),
        ..reporter_input(name)
    };
    let reported = members::create(&tx, &as_before("李文华", "一中党总支"), None, today())
        .await
        .expect("member");
    let no_org = members::create(&tx, &as_before("刘春生", ""), None, today())
        .await
        .expect("member");
    let unreported = members::create(&tx, &as_before("陈明", "一汽党委"), None, today())
        .await
        .expect("member");
    for m in [reported, no_org] {
        reporting::report(&tx, Some(m), &[post.to_string()], today())
            .await
            .expect("reported, confirmed by the secretary");
    }
    tx.commit().await.expect("commit");
    let before = street_members(&t, &w).await;

    migration(&t, PARTY_RELATION, false).await;
    migration(&t, PARTY_RELATION, true).await;
    let tx = secretary.read(&t.db).await.expect("tx");
    for (m, relation) in [
        (reported, PartyRelation::Reporting),
        (no_org, PartyRelation::Here),
        (unreported, PartyRelation::Here),
    ] {
        let found = members::get(&tx, m).await.expect("member").member.relation;
        assert_eq!(found, relation);
    }
    drop(tx);
    assert!(reconcile(&t.db, false).await.expect("reconcile").is_empty());
    assert_eq!(street_members(&t, &w).await, before - 1);
}
const PARTY_RELATION: &str = "m20261205_000037_party_relation";
both_engines!(
    reporting_members_marked_by_migration,
    marked_by_the_migration
);
