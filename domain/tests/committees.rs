//! 支部委员会 on both engines: a branch of seven or more members whose relation is here may
//! record its committee (at most seven, one 书记, its own members only); only a branch with one
//! owes 支委会, from the period it was elected in, in the community's compliance view and in the
//! street's "behind" figure alike (reconciled); only the community's staff record it, no one
//! across tenants.
use chrono::{Datelike, Utc};
use domain::activities::{self, ActivityKind, SeatInput};
use domain::both_engines;
use domain::members::{self, MemberInput};
use domain::org::placements::{self, PlacementKind};
use domain::rollup::{self, reconcile};
use domain::tenancy::Commit;
use domain::testing::{member_input, today, world, TestDb, World};
use domain::DomainError;
use uuid::Uuid;

fn seat_of(member: Uuid, post: &str) -> SeatInput {
    SeatInput {
        member: member.to_string(),
        post: post.into(),
        since: today().to_string(),
    }
}

/// Elected on the first of January this year.
fn seat_from_january(member: Uuid, post: &str) -> SeatInput {
    let january = chrono::NaiveDate::from_ymd_opt(today().year(), 1, 1).expect("date");
    SeatInput {
        since: january.to_string(),
        ..seat_of(member, post)
    }
}

/// Branches of the street behind on 三会一课 now.
async fn street_behind(t: &TestDb, w: &World) -> i64 {
    let scope = w.rollup_as(&t.db, "street", w.street.id).await;
    rollup::org_life(&t.db, &scope, Utc::now())
        .await
        .expect("org life")
        .0
        .behind
}

async fn committee_decides_what_is_due(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    let grid = |name: &'static str| {
        placements::create_placement(&tx, PlacementKind::GridBranch, name, None)
    };
    let big = grid("第一网格党支部").await.expect("branch");
    let small = grid("第二网格党支部").await.expect("branch");
    let placed = |name: String, unit: Uuid| MemberInput {
        unit_id: Some(unit),
        ..member_input(&name)
    };
    let mut ours = Vec::new();
    for i in 0..10 {
        let id = members::create(&tx, &placed(format!("党员{i}"), big), None, today())
            .await
            .expect("member");
        ours.push(id);
    }
    let alone = members::create(&tx, &placed("孤雁".into(), small), None, today())
        .await
        .expect("member");
    // Only 支委会 is due monthly here: the other kinds once a year (none due before December).
    for kind in [
        ActivityKind::BranchAssembly,
        ActivityKind::GroupMeeting,
        ActivityKind::PartyLesson,
        ActivityKind::PartyDay,
    ] {
        activities::set_cadence(&tx, kind.as_str(), "12")
            .await
            .expect("cadence");
    }
    for (branch, input, field, reason) in [
        (
            small,
            seat_of(alone, "secretary"),
            "branch",
            "too_small_for_committee",
        ),
        (
            big,
            seat_of(alone, "secretary"),
            "committee_member",
            "not_in_branch",
        ),
        (
            big,
            seat_of(ours[0], "chair"),
            "committee_post",
            "not_in_list",
        ),
        (
            big,
            SeatInput {
                since: (today() + chrono::Duration::days(1)).to_string(),
                ..seat_of(ours[0], "secretary")
            },
            "committee_since",
            "in_future",
        ),
    ] {
        assert_eq!(
            activities::seat(&tx, branch, &input, today()).await,
            Err(DomainError::invalid(field, reason))
        );
    }
    tx.commit().await.expect("commit");
    // Due from February: January's 支委会 is the first finished period.
    let due = i64::from(today().month() > 1);
    let behind_in_a = |has: bool| {
        let w = &w;
        async move {
            let tx = w.read_as(db, "secretary_a", w.community_a.id).await;
            let view = activities::compliance(&tx, Utc::now()).await.expect("view");
            let first = view.iter().find(|b| b.branch_id == big).expect("listed");
            assert_eq!(first.has_committee, has);
            let expects = first
                .kinds
                .iter()
                .any(|k| k.kind == ActivityKind::BranchCommittee);
            assert_eq!(expects, has, "支委会 expected only with a committee");
            view.iter().filter(|b| b.behind()).count() as i64
        }
    };
    assert_eq!(
        (behind_in_a(false).await, street_behind(&t, &w).await),
        (0, 0)
    );

    // Three elected in January: the branch owes its monthly 支委会 since; the street agrees.
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    for (member, post) in [
        (ours[0], "secretary"),
        (ours[1], "organisation"),
        (ours[2], "publicity"),
    ] {
        activities::seat(&tx, big, &seat_from_january(member, post), today())
            .await
            .expect("seated");
    }
    // A post changes in place; one 书记; an eighth seat does not exist.
    activities::seat(&tx, big, &seat_from_january(ours[2], "discipline"), today())
        .await
        .expect("changed");
    assert_eq!(
        activities::seat(&tx, big, &seat_from_january(ours[3], "secretary"), today()).await,
        Err(DomainError::invalid("committee_post", "secretary_taken"))
    );
    for member in &ours[3..7] {
        activities::seat(&tx, big, &seat_from_january(*member, "member"), today())
            .await
            .expect("seated");
    }
    assert_eq!(
        activities::seat(&tx, big, &seat_of(ours[7], "member"), today()).await,
        Err(DomainError::invalid("committee_member", "committee_full"))
    );
    tx.commit().await.expect("commit");
    assert_eq!(
        (behind_in_a(true).await, street_behind(&t, &w).await),
        (due, due)
    );
    assert_eq!(reconcile(db, false).await.expect("reconcile"), vec![]);
    let tx = w.read_as(db, "secretary_a", w.community_a.id).await;
    let seats = activities::committees(&tx).await.expect("committees");
    assert_eq!(seats[&big].len(), 7);
    assert_eq!(seats[&big][0].name, "党员0", "the 书记 first");
    drop(tx);

    // Elected only this month instead: nothing was owed before it, in both views.
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    for member in &ours[..7] {
        let post = if *member == ours[0] {
            "secretary"
        } else {
            "member"
        };
        activities::seat(&tx, big, &seat_of(*member, post), today())
            .await
            .expect("re-dated");
    }
    tx.commit().await.expect("commit");
    assert_eq!(
        (behind_in_a(true).await, street_behind(&t, &w).await),
        (0, 0)
    );
    assert_eq!(reconcile(db, false).await.expect("reconcile"), vec![]);

    // A member moved to another branch, or whose relation moves elsewhere, leaves the committee.
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    members::move_members(&tx, &[ours[6]], Some(small))
        .await
        .expect("moved");
    let mut elsewhere = MemberInput {
        unit_id: Some(big),
        relation: "reporting".into(),
        ..member_input("党员5")
    };
    elsewhere.category = "in_service".into();
    members::update(&tx, ours[5], &elsewhere, today())
        .await
        .expect("updated");
    tx.commit().await.expect("commit");
    let tx = w.read_as(db, "secretary_a", w.community_a.id).await;
    let seats = activities::committees(&tx).await.expect("committees");
    assert_eq!(seats[&big].len(), 5);
    drop(tx);
    assert_eq!(reconcile(db, false).await.expect("reconcile"), vec![]);

    // Across tenants, and below staff: nothing read, nothing written.
    for (login, node) in [
        ("worker_b", w.community_b.id),
        ("secretary_c", w.community_c.id),
    ] {
        let tx = w.write_as(db, login, node).await;
        assert_eq!(
            activities::seat(&tx, big, &seat_of(ours[9], "member"), today()).await,
            Err(DomainError::NotFound)
        );
        assert_eq!(
            activities::unseat(&tx, big, ours[0]).await,
            Err(DomainError::NotFound)
        );
        assert_eq!(
            activities::branch_roster(&tx, big).await.err(),
            Some(DomainError::NotFound)
        );
        assert!(activities::committees(&tx).await.expect("own").is_empty());
        tx.commit().await.expect("commit");
    }
    let member = domain::testing::member_a_scope(db, &w).await;
    let tx = member.write(db).await.expect("tx");
    assert_eq!(
        activities::unseat(&tx, big, ours[0]).await,
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        activities::committees(&tx).await.err(),
        Some(DomainError::Forbidden)
    );
    drop(tx);

    // All off the committee: 支委会 no longer expected.
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    for member in &ours[..5] {
        activities::unseat(&tx, big, *member)
            .await
            .expect("unseated");
    }
    assert_eq!(
        activities::unseat(&tx, big, ours[0]).await,
        Err(DomainError::NotFound)
    );
    tx.commit().await.expect("commit");
    assert_eq!(
        (behind_in_a(false).await, street_behind(&t, &w).await),
        (0, 0)
    );
    assert_eq!(reconcile(db, false).await.expect("reconcile"), vec![]);
}
both_engines!(
    a_committee_decides_whether_branch_committee_is_due,
    committee_decides_what_is_due
);

/// 正式党员 and 预备党员: a branch needs seven full members for a committee, and a 预备党员 is
/// not offered for it nor seated; the standing is kept on the roster, exported and imported.
async fn probationary_members_are_not_elected(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    let branch =
        placements::create_placement(&tx, PlacementKind::GridBranch, "第一网格党支部", None)
            .await
            .expect("branch");
    let add = |name: String, standing: &'static str| {
        let tx = &tx;
        async move {
            let input = MemberInput {
                unit_id: Some(branch),
                standing: standing.into(),
                ..member_input(&name)
            };
            members::create(tx, &input, None, today())
                .await
                .expect("member")
        }
    };
    let mut full = Vec::new();
    for i in 0..6 {
        full.push(add(format!("正式{i}"), "").await);
    }
    let probationary = add("预备甲".into(), "预备党员").await;
    let wrong = MemberInput {
        standing: "候补党员".into(),
        ..member_input("某")
    };
    assert_eq!(
        members::create(&tx, &wrong, None, today()).await,
        Err(DomainError::invalid("standing", "not_in_list"))
    );
    assert_eq!(
        activities::seat(&tx, branch, &seat_of(full[0], "secretary"), today()).await,
        Err(DomainError::invalid("branch", "too_small_for_committee")),
        "six full members and one on probation"
    );
    full.push(add("正式6".into(), "probationary").await);
    let mut last = members::get(&tx, full[6]).await.expect("member").member;
    assert_eq!(last.standing, members::PartyStanding::Probationary);
    // Confirmed as a full member (转正).
    let mut input = member_input("正式6");
    input.unit_id = last.unit_id;
    input.standing = "full".into();
    members::update(&tx, full[6], &input, today())
        .await
        .expect("转正");
    last = members::get(&tx, full[6]).await.expect("member").member;
    assert_eq!(last.standing, members::PartyStanding::Full);
    assert_eq!(
        activities::seat(&tx, branch, &seat_of(probationary, "member"), today()).await,
        Err(DomainError::invalid("committee_member", "probationary"))
    );
    activities::seat(&tx, branch, &seat_of(full[0], "secretary"), today())
        .await
        .expect("seven full members elect");
    let offered = activities::branch_roster(&tx, branch)
        .await
        .expect("roster");
    assert_eq!(offered.len(), 7);
    assert!(offered.iter().all(|(id, _)| *id != probationary));
    // The roster's workbook names the standing, and reads back.
    let rows = members::list(
        &tx,
        &members::ListQuery {
            per_page: 50,
            ..Default::default()
        },
    )
    .await
    .expect("list");
    let tagged = rows
        .rows
        .iter()
        .find(|r| r.id == probationary)
        .expect("listed");
    assert_eq!(tagged.standing, members::PartyStanding::Probationary);
    tx.commit().await.expect("commit");
    let scope = w.scope_as(db, "secretary_a", w.community_a.id).await;
    let exported = members::export(db, &scope, &members::ListQuery::default())
        .await
        .expect("export");
    let book = members::roster_xlsx(&exported, &[]).expect("workbook");
    let sheet = members::read_file(&book).expect("reads");
    let column = sheet
        .headers
        .iter()
        .position(|h| h == "党员身份")
        .expect("a 党员身份 column");
    let standings: Vec<&str> = sheet.rows.iter().map(|(_, r)| r[column].as_str()).collect();
    assert!(standings.contains(&"预备党员") && standings.contains(&"正式党员"));
}
both_engines!(
    probationary_members_are_not_elected,
    probationary_members_are_not_elected
);
