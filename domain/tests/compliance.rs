//! The compliance rules on both engines: each building group owes its own 党小组会 (a branch's
//! standing sums its groups', and one group short keeps the branch behind), 主题党日 is owed
//! every month (one held for the whole community counts for every branch), and a group created
//! or moved to another branch changes which branch owes it, and one founded this year owes from
//! its founding — in the community's view and in the street's counters alike (reconciled).
use chrono::{DateTime, TimeZone, Utc};
use domain::activities::{self, ActivityInput, BranchCompliance};
use domain::both_engines;
use domain::org::placements::{create_placement, update_placement, PlacementKind};
use domain::rollup::{self, reconcile};
use domain::tenancy::Commit;
use domain::testing::{local_field, world, TestDb, World};
use uuid::Uuid;

/// A moment of 2026 in China time.
fn local(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    domain::clock::CHINA
        .with_ymd_and_hms(2026, month, day, hour, 0, 0)
        .single()
        .expect("local time")
        .with_timezone(&Utc)
}

/// A meeting on the 10th of `month`, for `branch` (and `group`, for a 党小组会).
fn meeting(kind: &str, branch: Uuid, group: Option<Uuid>, month: u32) -> ActivityInput {
    let starts = local(month, 10, 19);
    ActivityInput {
        kind: kind.into(),
        title: format!("{kind} {month}月"),
        venue: "党群服务中心".into(),
        starts_at: local_field(starts),
        ends_at: local_field(starts + chrono::Duration::hours(2)),
        audience: "branch".into(),
        branch: branch.to_string(),
        group: group.map(|g| g.to_string()).unwrap_or_default(),
        ..Default::default()
    }
}

/// "Now" for the whole test: mid-November, so January to October are finished months.
fn now() -> DateTime<Utc> {
    local(11, 15, 12)
}

async fn hold(
    t: &TestDb,
    w: &World,
    kind: &str,
    branch: Uuid,
    group: Option<Uuid>,
    months: &[u32],
) {
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    for month in months {
        activities::save_activity(&tx, None, &meeting(kind, branch, group, *month), now())
            .await
            .expect("meeting");
    }
    tx.commit().await.expect("commit");
}

async fn seen(t: &TestDb, w: &World) -> Vec<BranchCompliance> {
    let tx = w.read_as(&t.db, "secretary_a", w.community_a.id).await;
    let seen = activities::compliance(&tx, now())
        .await
        .expect("compliance");
    tx.commit().await.expect("commit");
    seen
}

fn branch<'a>(seen: &'a [BranchCompliance], name: &str) -> &'a BranchCompliance {
    seen.iter().find(|b| b.name == name).expect("branch shown")
}

/// Each group's (name, held, due) under a branch.
fn groups(b: &BranchCompliance) -> Vec<(String, u32, u32)> {
    b.groups
        .iter()
        .map(|g| (g.name.clone(), g.held, g.due))
        .collect()
}

/// The street's (branches, behind), and whether the counters agree with the rows.
async fn street(t: &TestDb, w: &World) -> (i64, i64) {
    let scope = w.rollup_as(&t.db, "street", w.street.id).await;
    let (totals, _) = rollup::org_life(&t.db, &scope, now())
        .await
        .expect("rollup");
    assert_eq!(
        reconcile(&t.db, false).await.expect("reconcile"),
        vec![],
        "the counters are the rows'"
    );
    (totals.branches, totals.behind)
}

/// Only the monthly kinds matter in these tests: the others once a year (none due before
/// December).
async fn monthly_only(tx: &domain::tenancy::TenantTx) {
    for kind in ["branch_assembly", "branch_committee", "party_lesson"] {
        activities::set_cadence(tx, kind, "12")
            .await
            .expect("cadence");
    }
}

async fn building_groups_and_party_days(t: TestDb) {
    let w = world(&t.db).await;
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    monthly_only(&tx).await;
    let x = create_placement(&tx, PlacementKind::GridBranch, "一网格党支部", None)
        .await
        .expect("branch");
    let y = create_placement(&tx, PlacementKind::GridBranch, "二网格党支部", None)
        .await
        .expect("branch");
    let g1 = create_placement(&tx, PlacementKind::BuildingGroup, "1号楼党小组", Some(x))
        .await
        .expect("group");
    let g2 = create_placement(&tx, PlacementKind::BuildingGroup, "2号楼党小组", Some(x))
        .await
        .expect("group");
    let g3 = create_placement(&tx, PlacementKind::BuildingGroup, "3号楼党小组", Some(y))
        .await
        .expect("group");
    tx.commit().await.expect("commit");
    let ten: Vec<u32> = (1..=10).collect();
    let but_may: Vec<u32> = (1..=10).filter(|m| *m != 5).collect();
    hold(&t, &w, "party_day", x, None, &ten).await;
    hold(&t, &w, "party_day", y, None, &ten).await;
    // 1号楼 met every month, November's too; 2号楼 every month but May; 3号楼 never.
    hold(
        &t,
        &w,
        "group_meeting",
        x,
        Some(g1),
        &(1..=11).collect::<Vec<_>>(),
    )
    .await;
    hold(&t, &w, "group_meeting", x, Some(g2), &but_may).await;

    let all = seen(&t, &w).await;
    let (bx, by) = (branch(&all, "一网格党支部"), branch(&all, "二网格党支部"));
    assert_eq!(
        groups(bx),
        [
            ("1号楼党小组".to_owned(), 10, 10),
            ("2号楼党小组".to_owned(), 9, 10)
        ]
    );
    let group_kind = |b: &BranchCompliance| {
        b.kinds
            .iter()
            .find(|k| k.kind.as_str() == "group_meeting")
            .map(|k| (k.held, k.due, k.current_held))
    };
    // Summed over its groups; November is not held by every group yet.
    assert_eq!(group_kind(bx), Some((19, 20, false)));
    assert!(bx.groups[0].current_held && !bx.groups[1].current_held);
    assert!(bx.behind(), "one group short keeps the branch behind");
    assert_eq!(groups(by), [("3号楼党小组".to_owned(), 0, 10)]);
    assert!(by.behind());
    assert_eq!(street(&t, &w).await, (2, 2));

    // 2号楼's May meeting recorded: 一网格 is on track, in both views.
    hold(&t, &w, "group_meeting", x, Some(g2), &[5]).await;
    assert!(!branch(&seen(&t, &w).await, "一网格党支部").behind());
    assert_eq!(street(&t, &w).await, (2, 1));

    // 3号楼 moves to 一网格: it owes its meetings there, and 二网格 owes no 党小组会 at all.
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    update_placement(&tx, g3, "3号楼党小组", Some(x), None)
        .await
        .expect("moved");
    tx.commit().await.expect("commit");
    let all = seen(&t, &w).await;
    let (bx, by) = (branch(&all, "一网格党支部"), branch(&all, "二网格党支部"));
    assert_eq!(groups(bx).len(), 3);
    assert!(bx.behind());
    assert_eq!(group_kind(by), None, "no groups, no 党小组会 owed");
    assert!(by.groups.is_empty() && !by.behind());
    assert_eq!(street(&t, &w).await, (2, 1));

    // A new group under 二网格 owes its meetings from January like any other.
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    create_placement(&tx, PlacementKind::BuildingGroup, "4号楼党小组", Some(y))
        .await
        .expect("group");
    tx.commit().await.expect("commit");
    assert!(branch(&seen(&t, &w).await, "二网格党支部").behind());
    assert_eq!(street(&t, &w).await, (2, 2));

    // A branch without groups that skipped July's 主题党日 is behind for that alone.
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    let z = create_placement(&tx, PlacementKind::GridBranch, "三网格党支部", None)
        .await
        .expect("branch");
    tx.commit().await.expect("commit");
    hold(&t, &w, "party_day", z, None, &[1, 2, 3, 4, 5, 6, 8, 9, 10]).await;
    let all = seen(&t, &w).await;
    // Numbered branches by their numbers (by code point 三 comes before 二).
    let names: Vec<&str> = all.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["一网格党支部", "二网格党支部", "三网格党支部"]);
    let bz = branch(&all, "三网格党支部");
    let party_day = bz
        .kinds
        .iter()
        .find(|k| k.kind.as_str() == "party_day")
        .expect("主题党日 owed");
    assert_eq!((party_day.held, party_day.due), (9, 10));
    assert!(bz.behind());
    assert_eq!(street(&t, &w).await, (3, 3));
    // July's 主题党日 held for the whole community counts for it (and every branch).
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    let for_all = ActivityInput {
        audience: "all".into(),
        branch: String::new(),
        signup_opens_at: local_field(local(7, 1, 8)),
        signup_closes_at: local_field(local(7, 10, 19)),
        ..meeting("party_day", z, None, 7)
    };
    activities::save_activity(&tx, None, &for_all, now())
        .await
        .expect("community 主题党日");
    tx.commit().await.expect("commit");
    assert!(!branch(&seen(&t, &w).await, "三网格党支部").behind());
    assert_eq!(street(&t, &w).await, (3, 2));
}
both_engines!(
    building_groups_and_party_days,
    building_groups_and_party_days
);

/// The (held, due) of one kind of a branch, if it owes it.
fn kind_of(b: &BranchCompliance, kind: &str) -> Option<(u32, u32)> {
    b.kinds
        .iter()
        .find(|k| k.kind.as_str() == kind)
        .map(|k| (k.held, k.due))
}

async fn set_founded(
    t: &TestDb,
    w: &World,
    unit: Uuid,
    name: &str,
    parent: Option<Uuid>,
    on: &str,
) {
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    update_placement(&tx, unit, name, parent, Some(on))
        .await
        .expect("founding date");
    tx.commit().await.expect("commit");
}

/// A branch or group founded this year (成立日期) owes its meetings from the month it was
/// founded, not from January — in the community's view and the street's counters alike; one
/// founded in an earlier year, or with no date, owes the whole year. A date in the future,
/// before 1921 or on a 党员中心户 is refused, and nothing is written.
async fn founded_this_year(t: TestDb) {
    let w = world(&t.db).await;
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    monthly_only(&tx).await;
    let x = create_placement(&tx, PlacementKind::GridBranch, "四网格党支部", None)
        .await
        .expect("branch");
    let g = create_placement(&tx, PlacementKind::BuildingGroup, "9号楼党小组", Some(x))
        .await
        .expect("group");
    let h = create_placement(&tx, PlacementKind::CentralHousehold, "9-1 中心户", Some(g))
        .await
        .expect("household");
    tx.commit().await.expect("commit");
    // Added here on the first of the test's month (not the day the test runs: a founding year
    // counts only from the year a unit was added).
    for unit in [x, g] {
        let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
        domain::testing::unit_added_at(tx, unit, local(11, 1, 9)).await;
    }
    // Founded this month, before any meeting of the year: nothing is owed yet — the street's
    // counters hold the founding year even with no meeting in it.
    set_founded(&t, &w, x, "四网格党支部", None, "2026-11-01").await;
    assert!(!branch(&seen(&t, &w).await, "四网格党支部").behind());
    assert_eq!(street(&t, &w).await, (1, 0));
    set_founded(&t, &w, x, "四网格党支部", None, "").await;
    assert_eq!(street(&t, &w).await, (1, 1));
    hold(&t, &w, "party_day", x, None, &[6, 7, 8, 9, 10]).await;
    hold(&t, &w, "group_meeting", x, Some(g), &[8, 9, 10]).await;
    // No founding date: owed from January, so behind.
    let all = seen(&t, &w).await;
    let b = branch(&all, "四网格党支部");
    assert_eq!(kind_of(b, "party_day"), Some((5, 10)));
    assert_eq!(groups(b), [("9号楼党小组".to_owned(), 3, 10)]);
    assert!(b.behind());
    assert_eq!(street(&t, &w).await, (1, 1));

    // Founded in June, its group in August: each owes from then on and met every time.
    set_founded(&t, &w, x, "四网格党支部", None, "2026-06-10").await;
    set_founded(&t, &w, g, "9号楼党小组", Some(x), "2026年8月1日").await;
    let all = seen(&t, &w).await;
    let b = branch(&all, "四网格党支部");
    assert_eq!(kind_of(b, "party_day"), Some((5, 5)));
    assert_eq!(groups(b), [("9号楼党小组".to_owned(), 3, 3)]);
    assert!(!b.behind());
    assert_eq!(street(&t, &w).await, (1, 0));
    // Each change of a date is on record, from what to what (the street may ask why).
    let audited = domain::audit::recent(&t.db, "unit_founding_set", 10)
        .await
        .expect("audit");
    assert_eq!(audited.len(), 4, "November, cleared, June, August");
    assert_eq!(audited[0].subject, g.to_string());
    assert_eq!(audited[0].org_node_id, Some(w.community_a.id));
    assert!(
        audited[0].detail.contains("\"to\":\"2026-08-01\""),
        "{}",
        audited[0].detail
    );
    let tx = w.read_as(&t.db, "secretary_a", w.community_a.id).await;
    let listed = domain::org::placements::list_placements(&tx)
        .await
        .expect("units");
    tx.commit().await.expect("commit");
    let founded = |id: Uuid| {
        listed
            .iter()
            .find(|u| u.id == id)
            .and_then(|u| u.founded_on)
    };
    assert_eq!(
        (founded(x), founded(g)),
        (
            chrono::NaiveDate::from_ymd_opt(2026, 6, 10),
            chrono::NaiveDate::from_ymd_opt(2026, 8, 1)
        )
    );

    // A group dated before its branch, or not at all, owes from its branch's founding, June,
    // and is short.
    for on in ["2026-03-01", ""] {
        set_founded(&t, &w, g, "9号楼党小组", Some(x), on).await;
        let all = seen(&t, &w).await;
        assert_eq!(
            groups(branch(&all, "四网格党支部")),
            [("9号楼党小组".to_owned(), 3, 5)],
            "{on}"
        );
        assert_eq!(street(&t, &w).await, (1, 1));
    }
    // Founded in an earlier year: the whole year is owed.
    set_founded(&t, &w, g, "9号楼党小组", Some(x), "2026-08-01").await;
    set_founded(&t, &w, x, "四网格党支部", None, "2025-03-01").await;
    let all = seen(&t, &w).await;
    let b = branch(&all, "四网格党支部");
    assert_eq!(kind_of(b, "party_day"), Some((5, 10)));
    assert_eq!(groups(b), [("9号楼党小组".to_owned(), 3, 3)]);
    assert_eq!(street(&t, &w).await, (1, 1));

    // Kept here since a month ago, the branch cannot be dated after that: months it owed
    // would be taken off.
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    domain::testing::backdate_unit(tx, x, 30).await;
    let tomorrow = domain::clock::today() + chrono::Duration::days(1);
    let (tomorrow, last_week) = (
        tomorrow.to_string(),
        (tomorrow - chrono::Duration::days(8)).to_string(),
    );
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    for (unit, parent, on, reason) in [
        (x, None, last_week.as_str(), "after_added"),
        (x, None, tomorrow.as_str(), "in_future"),
        (x, None, "1920-12-31", "before_1921"),
        (x, None, "去年", "bad_date"),
        (h, Some(g), "2026-08-01", "not_for_households"),
    ] {
        assert_eq!(
            update_placement(&tx, unit, "改名", parent, Some(on)).await,
            Err(domain::DomainError::invalid("founded_on", reason)),
            "{on}"
        );
    }
    tx.commit().await.expect("commit");
    let tx = w.read_as(&t.db, "secretary_a", w.community_a.id).await;
    let listed = domain::org::placements::list_placements(&tx)
        .await
        .expect("units");
    tx.commit().await.expect("commit");
    assert!(listed.iter().all(|u| u.name != "改名"), "nothing written");
    assert_eq!(street(&t, &w).await, (1, 1));
}
both_engines!(
    a_unit_founded_this_year_owes_from_then_on,
    founded_this_year
);

/// A group kept here before it was moved under a branch founded later still owes from its own
/// start: a branch added and dated this month takes nothing off the year of a group moved under
/// it (else a secretary could clear a group's year that way), and the move is on record.
async fn moved_under_a_younger_branch(t: TestDb) {
    let w = world(&t.db).await;
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    monthly_only(&tx).await;
    let old = create_placement(&tx, PlacementKind::GridBranch, "五网格党支部", None)
        .await
        .expect("branch");
    let g = create_placement(&tx, PlacementKind::BuildingGroup, "12号楼党小组", Some(old))
        .await
        .expect("group");
    let young = create_placement(&tx, PlacementKind::GridBranch, "六网格党支部", None)
        .await
        .expect("branch");
    tx.commit().await.expect("commit");
    for (unit, added) in [
        (old, local(1, 5, 9)),
        (g, local(1, 5, 9)),
        (young, local(11, 1, 9)),
    ] {
        let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
        domain::testing::unit_added_at(tx, unit, added).await;
    }
    hold(&t, &w, "group_meeting", old, Some(g), &[8, 9, 10]).await;
    set_founded(&t, &w, young, "六网格党支部", None, "2026-11-01").await;
    let owed = |all: &[BranchCompliance], branch_name: &str| groups(branch(all, branch_name));
    assert_eq!(
        owed(&seen(&t, &w).await, "五网格党支部"),
        [("12号楼党小组".to_owned(), 3, 10)]
    );
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    update_placement(&tx, g, "12号楼党小组", Some(young), None)
        .await
        .expect("moved");
    tx.commit().await.expect("commit");
    let all = seen(&t, &w).await;
    assert_eq!(
        owed(&all, "六网格党支部"),
        [("12号楼党小组".to_owned(), 3, 10)],
        "still owed from January"
    );
    assert!(branch(&all, "六网格党支部").behind());
    street(&t, &w).await;
    // A group added with its young branch owes from the branch's founding.
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    let new_group = create_placement(
        &tx,
        PlacementKind::BuildingGroup,
        "13号楼党小组",
        Some(young),
    )
    .await
    .expect("group");
    tx.commit().await.expect("commit");
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    domain::testing::unit_added_at(tx, new_group, local(11, 1, 9)).await;
    assert_eq!(
        owed(&seen(&t, &w).await, "六网格党支部"),
        [
            ("12号楼党小组".to_owned(), 3, 10),
            ("13号楼党小组".to_owned(), 0, 0)
        ]
    );
    let moved = domain::audit::recent(&t.db, "unit_moved", 10)
        .await
        .expect("audit");
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].subject, g.to_string());
    assert!(
        moved[0].detail.contains(&young.to_string()),
        "{}",
        moved[0].detail
    );
}
both_engines!(
    a_group_moved_under_a_younger_branch_owes_what_it_owed,
    moved_under_a_younger_branch
);
