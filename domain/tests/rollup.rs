//! Rollup exactness on both engines: after a scripted mix of events — members added, changed,
//! lost from contact and transferred out, 双报到 reports made and waiting, branches, activities across months (moved, cancelled, their hours
//! changed after attendance), signups, attendance marked and corrected, concurrent check-in
//! marks, points adjusted and reversed, cadences — every stored figure equals the one
//! recomputed from the rows; a figure changed behind the domain's back is reported, and fixed.
use domain::tenancy::Commit;
use std::sync::Arc;

use chrono::{Datelike, Duration, Utc};
use domain::activities::{self, ActivityInput};
use domain::both_engines;
use domain::members::{self, MemberInput};
use domain::org::placements::{create_placement, PlacementKind};
use domain::reporting::{self, PostInput};
use domain::rollup::{self, reconcile, Difference};
use domain::testing::{activity_tomorrow, local_field, member_input, today, world, TestDb};

async fn scripted_events(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.community_a.id;
    let secretary = w.principal(&t.db, "secretary_a").await;
    let scope = secretary.tenant_scope(&t.db, a).await.expect("scope");
    let now = Utc::now();
    let tx = scope.write(&t.db).await.expect("tx");
    let branch = create_placement(&tx, PlacementKind::GridBranch, "第一网格党支部", None)
        .await
        .expect("branch");
    let mut people = Vec::new();
    for i in 0..24 {
        let input = MemberInput {
            category: ["retired", "in_service", "floating"][i % 3].into(),
            employer: if i % 3 == 1 {
                "长春市第一中学".into()
            } else {
                String::new()
            },
            ..member_input(&format!("党员{i}"))
        };
        people.push(
            members::create(&tx, &input, None, today())
                .await
                .expect("member"),
        );
    }
    // One changes category, one is transferred out.
    let changed = MemberInput {
        category: "unemployed".into(),
        ..member_input("党员0")
    };
    members::update(&tx, people[0], &changed, today())
        .await
        .expect("changed");
    let gone = MemberInput {
        status: "transferred_out".into(),
        ..member_input("党员3")
    };
    members::update(&tx, people[3], &gone, today())
        .await
        .expect("gone");
    let lost = MemberInput {
        status: "lost_contact".into(),
        ..member_input("党员2")
    };
    members::update(&tx, people[2], &lost, today())
        .await
        .expect("lost");
    // 双报到: the secretary reports three in-service members (confirmed at once).
    let post = |name: &str| PostInput {
        name: name.into(),
        description: String::new(),
        active: true,
    };
    let patrol = reporting::save_post(&tx, None, &post("平安巡逻"))
        .await
        .expect("post")
        .to_string();
    for m in [people[1], people[4], people[7]] {
        reporting::report(&tx, Some(m), std::slice::from_ref(&patrol), today())
            .await
            .expect("reported");
    }
    activities::set_cadence(&tx, "party_lesson", "6")
        .await
        .expect("cadence");

    // Activities now, last month and two months ago; one moves, one is cancelled.
    let month_start = {
        let today = domain::clock::today();
        let first = today.with_day(1).unwrap_or(today);
        domain::clock::from_china(first.and_time(chrono::NaiveTime::MIN))
    };
    let at = |days: i64, kind: &str, title: &str| {
        let starts = now + Duration::days(days) - Duration::hours(3);
        // This month's stay in this month (in a month's first three hours, China time, three
        // hours back was the month before).
        let starts = if days == 0 {
            starts.max(month_start)
        } else {
            starts
        };
        ActivityInput {
            kind: kind.into(),
            starts_at: local_field(starts),
            ends_at: local_field(starts + Duration::hours(2)),
            signup_opens_at: local_field(starts - Duration::days(3)),
            signup_closes_at: local_field(starts),
            volunteer_hours: if kind == "volunteer" {
                "1.5".into()
            } else {
                String::new()
            },
            audience: if kind == "branch_committee" {
                "branch".into()
            } else {
                "all".into()
            },
            branch: if kind == "branch_committee" {
                branch.to_string()
            } else {
                String::new()
            },
            ..activity_tomorrow(title, "")
        }
    };
    let service = at(0, "volunteer", "清扫楼道");
    let opened = now - Duration::days(2);
    let cleanup = activities::save_activity(&tx, None, &service, opened)
        .await
        .expect("saved");
    activities::save_activity(&tx, None, &at(-35, "branch_committee", "支委会"), opened)
        .await
        .expect("saved");
    let moved = activities::save_activity(&tx, None, &at(-70, "study", "学习"), opened)
        .await
        .expect("saved");
    activities::save_activity(&tx, Some(moved), &at(-40, "study", "学习"), opened)
        .await
        .expect("moved");
    let dropped = activities::save_activity(&tx, None, &at(5, "party_day", "主题党日"), opened)
        .await
        .expect("saved");
    activities::cancel_activity(&tx, dropped, now)
        .await
        .expect("cancelled");
    for m in &people[4..20] {
        activities::sign_up_for(&tx, cleanup, *m, now - Duration::days(1))
            .await
            .expect("signed up");
    }
    let signups = activities::signups(&tx, cleanup).await.expect("signups");
    activities::mark_attendance(&tx, signups[0].id, "attended", now)
        .await
        .expect("marked");
    activities::mark_attendance(&tx, signups[0].id, "no_show", now)
        .await
        .expect("corrected");
    activities::mark_attendance(&tx, signups[1].id, "excused", now)
        .await
        .expect("marked");
    let entry = domain::points::adjust(&tx, people[5], "7", "协助组织活动", now)
        .await
        .expect("adjusted");
    domain::points::reverse(&tx, entry, "记错了", now)
        .await
        .expect("reversed");
    domain::points::adjust(&tx, people[6], "-2", "无故缺席", now)
        .await
        .expect("adjusted");
    tx.commit().await.expect("commit");

    // Twelve marks at once, from twelve transactions, at an activity that earns no points (so
    // nothing but the rollup's own lock orders them).
    let tx = scope.write(&t.db).await.expect("tx");
    let plain = ActivityInput {
        points: "0".into(),
        ..at(0, "culture", "合唱排练")
    };
    let rehearsal = activities::save_activity(&tx, None, &plain, opened)
        .await
        .expect("saved");
    for m in &people[4..20] {
        activities::sign_up_for(&tx, rehearsal, *m, now - Duration::days(1))
            .await
            .expect("signed up");
    }
    let singers = activities::signups(&tx, rehearsal).await.expect("signups");
    tx.commit().await.expect("commit");
    let scope = Arc::new(scope);
    let mut tasks = Vec::new();
    for s in singers.iter().take(12) {
        let (db, scope, id) = (t.db.clone(), scope.clone(), s.id);
        tasks.push(tokio::spawn(async move {
            let tx = scope.write(&db).await.expect("tx");
            activities::mark_attendance(&tx, id, "attended", now)
                .await
                .expect("marked");
            tx.commit().await.expect("commit");
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    // The hours change after attendance was taken.
    let tx = scope.write(&t.db).await.expect("tx");
    let longer = ActivityInput {
        volunteer_hours: "2".into(),
        ..service
    };
    activities::save_activity(&tx, Some(cleanup), &longer, now)
        .await
        .expect("changed");
    tx.commit().await.expect("commit");
    // B has its own figures.
    let tx = w.write_as(&t.db, "worker_b", w.community_b.id).await;
    members::create(&tx, &member_input("李淑珍"), None, today())
        .await
        .expect("member");
    // A worker's report waits for the secretary.
    let engineer = MemberInput {
        category: "in_service".into(),
        employer: "长春市第一中学".into(),
        ..member_input("赵刚")
    };
    let engineer = members::create(&tx, &engineer, None, today())
        .await
        .expect("member");
    let help = reporting::save_post(&tx, None, &post("助老服务"))
        .await
        .expect("post")
        .to_string();
    reporting::report(&tx, Some(engineer), &[help], today())
        .await
        .expect("reported");
    tx.commit().await.expect("commit");

    assert_eq!(
        reconcile(&t.db, false).await.expect("reconcile"),
        Vec::<Difference>::new()
    );

    // The street's dashboard counts what happened, and names nobody.
    let street = w.principal(&t.db, "street").await;
    let domain::auth::NodeAccess::Manage { rollup, .. } =
        street.access(&t.db, w.street.id).await.expect("access")
    else {
        panic!("street staff manage their street");
    };
    let board = domain::rollup::dashboard(&t.db, &rollup, now)
        .await
        .expect("dashboard");
    let activities: i64 = board.trend.iter().map(|m| m.activities).sum();
    let attended: i64 = board.trend.iter().map(|m| m.attended).sum();
    assert_eq!(
        (activities, attended),
        (4, 12),
        "the cancelled one does not count"
    );
    assert_eq!(
        board.totals.members, 25,
        "23 in A (one transferred out) and two in B"
    );
    // By kind: this month's figure agrees with the trend's (read from the same counters by
    // another path), and holds only the cleanup and the rehearsal (the others are 35 days old
    // or more; the 主题党日 was cancelled).
    let act = &board.activity;
    assert_eq!(
        act.this_month(),
        board.trend.last().expect("this month").activities
    );
    assert!(act.this_month() <= act.this_quarter() && act.this_quarter() <= act.this_year());
    let kind = |name: &str| {
        act.by_kind
            .iter()
            .find(|k| k.kind.as_str() == name)
            .expect("every kind listed")
    };
    assert_eq!(
        kind("volunteer").this_month + kind("culture").this_month,
        act.this_month()
    );
    assert_eq!(kind("party_day").this_year, 0, "cancelled");
    let m = board.members;
    assert_eq!(
        (m.in_service, m.reported, m.reports_pending, m.lost_contact),
        (9, 3, 1, 1)
    );
    assert_eq!(m.reported_rate(), Some(3.0 * 100.0 / 9.0));
    // A is marked on the street's ranking (a member out of contact); B is not.
    let marked: Vec<(uuid::Uuid, bool)> = board
        .children
        .iter()
        .map(|c| (c.figures.node.id, c.is_behind()))
        .collect();
    assert!(marked.contains(&(a, true)) && marked.contains(&(w.community_b.id, false)));
    let month = board.trend.last().expect("this month");
    assert_eq!(
        (month.marked, month.attended, month.attendance_rate()),
        (14, 12, Some(12.0 * 100.0 / 14.0)),
        "this month: the corrected no-show, the excused and the twelve singers"
    );
    let json = serde_json::to_string(&board).expect("json");
    for private in [
        "党员",
        "李淑珍",
        "赵刚",
        "长春市第一中学",
        "清扫楼道",
        "平安巡逻",
    ] {
        assert!(!json.contains(private), "{private} in the rollup");
    }

    // A counter changed behind the domain's back is reported, then fixed from the rows.
    let started = (now - Duration::hours(3)).max(month_start);
    let month = format!(
        "att.attended.{}",
        started.with_timezone(&domain::clock::CHINA).format("%Y-%m")
    );
    domain::testing::tamper_counter(&t.db, a, &month, 5).await;
    let found = reconcile(&t.db, false).await.expect("reconcile");
    assert_eq!(
        found,
        vec![Difference {
            node: a,
            metric: month.clone(),
            stored: 17,
            expected: 12,
        }],
        "twelve attended the rehearsal (the cleanup's one mark was corrected to a no-show)"
    );
    reconcile(&t.db, true).await.expect("fixed");
    assert!(reconcile(&t.db, false).await.expect("reconcile").is_empty());
    // So is a street's subtree total.
    domain::testing::tamper_total(&t.db, w.street.id, "members", -2).await;
    let found = reconcile(&t.db, false).await.expect("reconcile");
    assert_eq!(
        found,
        vec![Difference {
            node: w.street.id,
            metric: "total.members".into(),
            stored: 23,
            expected: 25,
        }]
    );
    reconcile(&t.db, true).await.expect("fixed");
    assert!(reconcile(&t.db, false).await.expect("reconcile").is_empty());

    // A node's page reads its figures in two statements; they are the figures read one by one.
    for (login, node) in [("street", w.street.id), ("district", w.district.id)] {
        let scope = w
            .principal(&t.db, login)
            .await
            .rollup_scope(&t.db, node)
            .await
            .expect("rollup scope");
        let at_once = rollup::overview(&t.db, &scope, now)
            .await
            .expect("overview");
        let (org_life, org_life_children) = rollup::org_life(&t.db, &scope, now)
            .await
            .expect("org life");
        assert_eq!(
            at_once,
            rollup::Overview {
                totals: rollup::totals(&t.db, &scope).await.expect("totals"),
                breakdown: rollup::member_breakdown(&t.db, &scope)
                    .await
                    .expect("breakdown"),
                children: rollup::children(&t.db, &scope).await.expect("children"),
                org_life,
                org_life_children,
            }
        );
        assert!(at_once.totals.members > 0, "{login}: figures to compare");
    }
}

both_engines!(every_counter_equals_its_rows, scripted_events);

/// The co-construction figures follow the street's writes: needs, a joint meeting with its
/// resolutions (one closed, one overdue, one a unit's), and agree with the rows.
async fn coop_figures(t: TestDb) {
    use domain::coop::{self, MeetingInput, NeedInput, OwnerKind, ResolutionInput};
    let w = world(&t.db).await;
    let a = w.community_a.id;
    let school = domain::testing::paired_school(&t.db, &w).await;
    let community = w.coop_as(&t.db, "secretary_a", a).await;
    let tx = community.write(&t.db).await.expect("tx");
    let need = |title: &str| NeedInput {
        title: title.into(),
        category: "elderly".into(),
        urgency: "soon".into(),
        requester_name: "王秀兰".into(),
        ..Default::default()
    };
    let lift = coop::post_need(&tx, &need("加装电梯协调"), today())
        .await
        .expect("need");
    coop::post_need(&tx, &need("助老餐桌"), today())
        .await
        .expect("need");
    coop::escalate(&tx, lift, today()).await.expect("escalated");
    tx.commit().await.expect("commit");

    let street = w.principal(&t.db, "street").await;
    let coop_street = street.coop_scope(&t.db, w.street.id).await.expect("coop");
    let tx = coop_street.write(&t.db).await.expect("tx");
    let meeting = coop::save_meeting(
        &tx,
        None,
        &MeetingInput {
            title: "党建联席会议".into(),
            convener: "李书记".into(),
            held_on: today().to_string(),
            starts_at: "14:30".into(),
            venue: "街道会议室".into(),
        },
        today(),
    )
    .await
    .expect("meeting");
    let resolve = |content: &str, kind: OwnerKind, owner: String, due_in: i64| ResolutionInput {
        content: content.into(),
        owner_kind: kind.as_str().into(),
        owner,
        due_on: (today() + Duration::days(due_in)).to_string(),
    };
    coop::add_resolution(
        &tx,
        meeting,
        &resolve("摸排意愿", OwnerKind::Community, a.to_string(), 0),
        today(),
    )
    .await
    .expect("to A");
    let closed = coop::add_resolution(
        &tx,
        meeting,
        &resolve("上报名单", OwnerKind::Community, a.to_string(), 10),
        today(),
    )
    .await
    .expect("to A");
    coop::add_resolution(
        &tx,
        meeting,
        &resolve("操场开放", OwnerKind::Unit, school.to_string(), 20),
        today(),
    )
    .await
    .expect("to the school");
    coop::record_minutes(&tx, meeting, "议定三项事项。", today())
        .await
        .expect("minutes");
    coop::close_resolution(&tx, closed, "名单已报街道", today())
        .await
        .expect("closed");
    tx.commit().await.expect("commit");

    assert_eq!(
        reconcile(&t.db, false).await.expect("reconcile"),
        Vec::<Difference>::new()
    );
    // Tomorrow the resolution due today is overdue.
    let tomorrow = Utc::now() + Duration::days(1);
    let domain::auth::NodeAccess::Manage { rollup, .. } =
        street.access(&t.db, w.street.id).await.expect("access")
    else {
        panic!("street staff manage their street");
    };
    let board = domain::rollup::dashboard(&t.db, &rollup, tomorrow)
        .await
        .expect("dashboard");
    let c = &board.coop;
    assert_eq!((c.needs_open, c.needs_escalated), (2, 1));
    assert_eq!(
        (c.resolutions, c.resolutions_done, c.resolutions_overdue),
        (3, 1, 1)
    );
    let same_year = chrono::Datelike::year(&tomorrow.with_timezone(&domain::clock::CHINA))
        == chrono::Datelike::year(&today());
    assert_eq!(c.meetings_held, i64::from(same_year));
    let child_a = board
        .children
        .iter()
        .find(|ch| ch.figures.node.id == a)
        .expect("A");
    assert_eq!(
        (child_a.coop.resolutions, child_a.coop.resolutions_overdue),
        (2, 1),
        "the school's resolution counts for the street, not for A"
    );
    assert_eq!(child_a.coop.completion_rate(), Some(50.0));
    let json = serde_json::to_string(&board).expect("json");
    assert!(!json.contains("王秀兰") && !json.contains("加装电梯"));

    // A counter changed behind the domain's back is found at the street too.
    domain::testing::tamper_counter(&t.db, a, "coop.needs.open", 1).await;
    let found = reconcile(&t.db, false).await.expect("reconcile");
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].stored, found[0].expected), (3, 2));
}

both_engines!(coop_figures_follow_the_street, coop_figures);

/// The members count on a dashboard workbook's first sheet.
fn workbook_members(bytes: Vec<u8>) -> String {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("an xlsx file");
    let sheet = book.worksheet_range("总览").expect("sheet");
    let row = sheet
        .rows()
        .find(|r| r[0] == "党员数")
        .expect("the members row");
    row[1].to_string()
}

/// A street's and a district's figures, and a community's home, are kept in memory between
/// requests, and every commit below them is seen on the next read: a member added in a
/// community, a rolled-back write (nothing to see), a total repaired by `reconcile`. Each read
/// equals a read from the tables.
async fn kept_figures(t: TestDb) {
    let w = world(&t.db).await;
    let now = Utc::now();
    let from_tables = t.db.without_kept_figures();
    let mut scopes = Vec::new();
    for (login, node) in [("street", w.street.id), ("district", w.district.id)] {
        let principal = w.principal(&t.db, login).await;
        scopes.push(principal.rollup_scope(&t.db, node).await.expect("scope"));
    }
    let members_seen = async |db: &domain::Db| {
        let mut seen = Vec::new();
        for scope in &scopes {
            let overview = rollup::overview(db, scope, now).await.expect("overview");
            let board = rollup::dashboard(db, scope, now).await.expect("dashboard");
            assert_eq!(overview.totals, board.totals, "the same figures twice");
            // The workbook is kept with the figures, and follows them.
            let workbook = rollup::dashboard_workbook(db, scope, "书".into(), now)
                .await
                .expect("workbook");
            assert_eq!(
                workbook_members(workbook),
                board.totals.members.to_string(),
                "the workbook's figures are the dashboard's"
            );
            seen.push(board.totals.members);
        }
        seen
    };
    let secretary = w.principal(&t.db, "secretary_a").await;
    // The community's own home for its staff is kept too, until something is written there.
    let home_count = async || {
        let page = domain::overview::node_page(&t.db, &secretary, w.community_a.id)
            .await
            .expect("home");
        match page.view {
            domain::overview::NodeView::Community { members, .. } => members,
            other => panic!("the secretary's home: {other:?}"),
        }
    };
    let before = members_seen(&t.db).await;
    assert_eq!(before, members_seen(&from_tables).await);
    let home_before = home_count().await;

    let scope = secretary
        .tenant_scope(&t.db, w.community_a.id)
        .await
        .expect("scope");
    let tx = scope.write(&t.db).await.expect("tx");
    members::create(&tx, &member_input("赵明"), None, today())
        .await
        .expect("member");
    drop(tx); // rolled back
    assert_eq!(members_seen(&t.db).await, before, "nothing was written");
    assert_eq!(home_count().await, home_before);

    let tx = scope.write(&t.db).await.expect("tx");
    members::create(&tx, &member_input("赵明"), None, today())
        .await
        .expect("member");
    tx.commit().await.expect("commit");
    // The district's total moves once its pending delta is folded in (PostgreSQL; the server
    // does it every second), which forgets its kept figures.
    while rollup::compact(&t.db).await.expect("compact") {}
    let after = members_seen(&t.db).await;
    assert_eq!(after, before.iter().map(|n| n + 1).collect::<Vec<_>>());
    assert_eq!(after, members_seen(&from_tables).await);
    assert_eq!(home_count().await, home_before + 1);

    // Behind the domain's back, then repaired: the repair is seen too.
    domain::testing::tamper_total(&t.db, w.street.id, "members", 7).await;
    assert_eq!(members_seen(&t.db).await[0], after[0] + 7);
    reconcile(&t.db, true).await.expect("fixed");
    assert_eq!(members_seen(&t.db).await, after);
}

both_engines!(kept_figures_follow_each_commit, kept_figures);
