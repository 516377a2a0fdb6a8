//! A 支部书记 works in one grid branch: the secretary grants the role for one of the community's
//! branches; its holder reads that branch's roster (building groups included), activities,
//! 三会一课 and points, organises the branch's activities, and reads or writes nothing else — not
//! the other branches', not the community's co-construction or figures, not another tenant's.
use domain::activities::{self, ActivityInput};
use domain::auth::admin::{self, NewAccount};
use domain::auth::Principal;
use domain::both_engines;
use domain::members::{self, ListQuery};
use domain::org::placements::{self, PlacementKind};
use domain::tenancy::{Commit, TenantScope};
use domain::testing::{activity_tomorrow, member_input, today, world, TestDb, World};
use domain::workbench::{self, Work};
use domain::{Db, DomainError};
use uuid::Uuid;

struct Branches {
    first: Uuid,
    second: Uuid,
    /// Members: 张一 in the first branch, 李二 in its building group, 王三 in the second, 赵四
    /// placed nowhere.
    zhang: Uuid,
    li: Uuid,
    wang: Uuid,
    zhao: Uuid,
    first_activity: Uuid,
    second_activity: Uuid,
    community_activity: Uuid,
}

/// A branch's own study session (signed up for: a branch meeting's roll is its roster).
fn for_branch(title: &str, branch: Uuid) -> ActivityInput {
    ActivityInput {
        kind: "study".into(),
        audience: "branch".into(),
        branch: branch.to_string(),
        ..activity_tomorrow(title, "")
    }
}

/// Community A's secretary organises two branches, places members and runs one activity for
/// each branch and one for everyone, with points for 张一 and 王三.
async fn community(db: &Db, w: &World) -> Branches {
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    let grid = |name: &'static str| {
        placements::create_placement(&tx, PlacementKind::GridBranch, name, None)
    };
    let first = grid("第一网格党支部").await.expect("branch");
    let second = grid("第二网格党支部").await.expect("branch");
    let group = placements::create_placement(
        &tx,
        PlacementKind::BuildingGroup,
        "1号楼党小组",
        Some(first),
    )
    .await
    .expect("group");
    let placed = |name: &str, unit: Option<Uuid>| members::MemberInput {
        unit_id: unit,
        ..member_input(name)
    };
    let add = |input: members::MemberInput| {
        let tx = &tx;
        async move {
            members::create(tx, &input, None, today())
                .await
                .expect("member")
        }
    };
    let zhang = add(placed("张一", Some(first))).await;
    let li = add(placed("李二", Some(group))).await;
    let wang = add(placed("王三", Some(second))).await;
    let zhao = add(placed("赵四", None)).await;
    let now = chrono::Utc::now();
    let save = |input: ActivityInput| {
        let tx = &tx;
        async move {
            activities::save_activity(tx, None, &input, now)
                .await
                .expect("activity")
        }
    };
    let first_activity = save(for_branch("第一支部党员大会", first)).await;
    let second_activity = save(for_branch("第二支部党员大会", second)).await;
    let community_activity = save(activity_tomorrow("社区主题党日", "")).await;
    for member in [zhang, wang] {
        domain::points::adjust(&tx, member, "5", "参加义务劳动", now)
            .await
            .expect("points");
    }
    tx.commit().await.expect("commit");
    Branches {
        first,
        second,
        zhang,
        li,
        wang,
        zhao,
        first_activity,
        second_activity,
        community_activity,
    }
}

fn branch_secretary(branch: &str) -> NewAccount {
    NewAccount {
        login_name: "branch_a".into(),
        display_name: "刘支书".into(),
        role: "branch_secretary".into(),
        branch: branch.into(),
        ..Default::default()
    }
}

/// A's secretary opens a 支部书记's account for the first branch: its id and scope.
async fn first_branch_secretary(db: &Db, w: &World, b: &Branches) -> (Uuid, TenantScope) {
    let mut input = branch_secretary(&b.first.to_string());
    input.place = w.community_a.id.to_string();
    let secretary = w.principal(db, "secretary_a").await;
    let (user, _) = admin::open_account(db, &secretary, &input)
        .await
        .expect("opened");
    (user, scope_of(db, w, user).await)
}

/// The 支部书记's scope in community A.
async fn scope_of(db: &Db, w: &World, user: Uuid) -> TenantScope {
    Principal::load(db, user)
        .await
        .expect("load")
        .expect("active")
        .manage_scope(db, w.community_a.id)
        .await
        .expect("staff of their branch")
}

fn names(page: &members::MemberPage) -> Vec<String> {
    let mut names: Vec<String> = page.rows.iter().map(|r| r.name.clone()).collect();
    names.sort();
    names
}

async fn granted_for_one_branch(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let b = community(db, &w).await;
    let a = w.community_a.id.to_string();
    let secretary = w.principal(db, "secretary_a").await;

    // The branch is required, and must be one of this community's.
    let mut input = branch_secretary("");
    input.place = a.clone();
    assert_eq!(
        admin::open_account(db, &secretary, &input)
            .await
            .map(|_| ()),
        Err(DomainError::invalid("branch", "required"))
    );
    let tx = w.write_as(db, "worker_b", w.community_b.id).await;
    let elsewhere = placements::create_placement(&tx, PlacementKind::GridBranch, "B支部", None)
        .await
        .expect("B's branch");
    tx.commit().await.expect("commit");
    for wrong in [elsewhere, b.zhang, Uuid::now_v7()] {
        let mut input = branch_secretary(&wrong.to_string());
        input.place = a.clone();
        assert_eq!(
            admin::open_account(db, &secretary, &input)
                .await
                .map(|_| ()),
            Err(DomainError::invalid("branch", "not_found"))
        );
    }
    // A building group is not a branch.
    let tx = w.read_as(db, "secretary_a", w.community_a.id).await;
    let group = placements::list_placements(&tx)
        .await
        .expect("units")
        .into_iter()
        .find(|u| u.kind == PlacementKind::BuildingGroup)
        .expect("group");
    tx.commit().await.expect("commit");
    let mut input = branch_secretary(&group.id.to_string());
    input.place = a.clone();
    assert_eq!(
        admin::open_account(db, &secretary, &input)
            .await
            .map(|_| ()),
        Err(DomainError::invalid("branch", "not_found"))
    );
    assert!(
        admin::accounts(db, &secretary, w.community_a.id)
            .await
            .expect("page")
            .accounts
            .iter()
            .all(|acc| acc.login_name != "branch_a"),
        "nothing half-written"
    );

    let mut input = branch_secretary(&b.first.to_string());
    input.place = a.clone();
    let (user, _) = admin::open_account(db, &secretary, &input)
        .await
        .expect("opened");
    let page = admin::accounts(db, &secretary, w.community_a.id)
        .await
        .expect("page");
    assert_eq!(page.branches.len(), 2, "the form offers A's branches");
    let held = page
        .accounts
        .iter()
        .find(|acc| acc.id == user)
        .expect("listed");
    assert_eq!(held.roles[0].branch, Some(b.first));

    let tx = scope_of(db, &w, user).await.read(db).await.expect("tx");
    let all = ListQuery {
        page: 1,
        per_page: 50,
        ..Default::default()
    };
    assert_eq!(
        names(&members::list(&tx, &all).await.expect("roster")),
        ["张一", "李二"]
    );
    tx.commit().await.expect("commit");

    // Granted again for the second branch, the role moves there.
    admin::grant(
        db,
        &secretary,
        "branch_a",
        "branch_secretary",
        &a,
        &b.second.to_string(),
    )
    .await
    .expect("moved");
    let tx = scope_of(db, &w, user).await.read(db).await.expect("tx");
    assert_eq!(
        names(&members::list(&tx, &all).await.expect("roster")),
        ["王三"]
    );
    tx.commit().await.expect("commit");
}
both_engines!(
    a_branch_secretary_is_granted_for_one_branch,
    granted_for_one_branch
);

async fn sees_their_branch(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let b = community(db, &w).await;
    let (user, scope) = first_branch_secretary(db, &w, &b).await;
    let now = chrono::Utc::now();
    let year = chrono::Datelike::year(&domain::clock::today());

    let tx = scope.read(db).await.expect("tx");
    // Roster: the branch and its building group, nobody else, by list or by id.
    let page = members::list(
        &tx,
        &ListQuery {
            page: 1,
            per_page: 50,
            ..Default::default()
        },
    )
    .await
    .expect("roster");
    assert_eq!(
        (names(&page), page.total),
        (vec!["张一".into(), "李二".into()], 2)
    );
    // The community page's count is the roster's, the branch only.
    assert_eq!(members::count_in_reach(&tx).await.expect("count"), 2);
    assert_eq!(
        members::lookup(&tx, "王").await.expect("lookup"),
        Vec::<(Uuid, String)>::new()
    );
    assert_eq!(
        members::get(&tx, b.li).await.expect("own").member.name,
        "李二"
    );
    for other in [b.wang, b.zhao] {
        assert_eq!(
            members::get(&tx, other).await.map(|_| ()),
            Err(DomainError::NotFound)
        );
        assert_eq!(
            members::history(&tx, other).await.map(|_| ()),
            Err(DomainError::Forbidden)
        );
        assert_eq!(
            domain::points::member_points(&tx, other, year)
                .await
                .map(|_| ()),
            Err(DomainError::NotFound)
        );
    }
    let units: Vec<Uuid> = members::placements_in_reach(&tx)
        .await
        .expect("units")
        .iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(units.len(), 2, "the branch and its building group");
    assert!(units.contains(&b.first) && !units.contains(&b.second));
    assert!(!members::history(&tx, b.zhang)
        .await
        .expect("history")
        .is_empty());
    // Activities: the branch's own.
    let listed: Vec<Uuid> = activities::activities(&tx, now)
        .await
        .expect("activities")
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(listed, vec![b.first_activity]);
    for other in [b.second_activity, b.community_activity] {
        assert_eq!(
            activities::activity(&tx, other, now).await.map(|_| ()),
            Err(DomainError::NotFound)
        );
        assert_eq!(
            activities::signups(&tx, other).await.map(|_| ()),
            Err(DomainError::NotFound)
        );
    }
    // 三会一课 and points: the branch's.
    let standing = activities::compliance(&tx, now).await.expect("compliance");
    assert_eq!(
        standing.iter().map(|c| c.branch_id).collect::<Vec<_>>(),
        vec![b.first]
    );
    let ranking = domain::points::ranking(&tx, year, None)
        .await
        .expect("ranking");
    assert_eq!(
        ranking.iter().map(|r| r.member_id).collect::<Vec<_>>(),
        vec![b.zhang]
    );
    // The community's other records are the secretary's and workers'.
    assert_eq!(
        members::floating(&tx, today()).await.map(|_| ()),
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        members::care_list(&tx, today()).await.map(|_| ()),
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        domain::reporting::reports(&tx).await.map(|_| ()),
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        domain::volunteers::team_choices(&tx).await.map(|_| ()),
        Err(DomainError::Forbidden)
    );
    tx.commit().await.expect("commit");

    let p = Principal::load(db, user)
        .await
        .expect("load")
        .expect("active");
    assert!(
        p.coop_scope(db, w.community_a.id).await.is_err(),
        "no co-construction"
    );
    assert!(
        p.rollup_scope(db, w.community_a.id).await.is_err(),
        "no community figures"
    );
    for tenant in w.tenants().into_iter().filter(|t| *t != w.community_a.id) {
        assert!(p.tenant_scope(db, tenant).await.is_err(), "no other tenant");
    }
}
both_engines!(a_branch_secretary_sees_their_branch_only, sees_their_branch);

async fn writes_in_their_branch(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let b = community(db, &w).await;
    let (_, scope) = first_branch_secretary(db, &w, &b).await;
    let now = chrono::Utc::now();

    // Refused, and nothing written.
    let tx = scope.write(db).await.expect("tx");
    // The form offers only what would be allowed: their own branch, for it alone.
    let offered = activities::choices(&tx).await.expect("choices");
    assert_eq!(offered.audiences, vec![activities::Audience::Branch]);
    assert_eq!(offered.branches.len(), 1);
    assert_eq!(offered.branches[0].0, b.first);
    assert!(offered.teams.is_empty());
    let refused = [
        activities::save_activity(&tx, None, &for_branch("越界", b.second), now).await,
        activities::save_activity(&tx, None, &activity_tomorrow("全社区", ""), now).await,
        activities::save_activity(
            &tx,
            Some(b.second_activity),
            &for_branch("改别的支部", b.first),
            now,
        )
        .await,
    ];
    assert_eq!(
        refused.map(|r| r.map(|_| ())),
        [
            Err(DomainError::invalid("branch", "not_your_branch")),
            Err(DomainError::invalid("branch", "not_your_branch")),
            Err(DomainError::NotFound),
        ]
    );
    assert_eq!(
        activities::sign_up_for(&tx, b.first_activity, b.wang, now)
            .await
            .map(|_| ()),
        Err(DomainError::invalid("member", "not_found"))
    );
    assert_eq!(
        activities::cancel_activity(&tx, b.second_activity, now).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        members::create(&tx, &member_input("新党员"), None, today())
            .await
            .map(|_| ()),
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        domain::points::adjust(&tx, b.zhang, "5", "自己加分", now)
            .await
            .map(|_| ()),
        Err(DomainError::Forbidden)
    );
    drop(tx);
    let tx = w.read_as(db, "secretary_a", w.community_a.id).await;
    let titles: Vec<String> = activities::activities(&tx, now)
        .await
        .expect("activities")
        .into_iter()
        .map(|a| a.title)
        .collect();
    assert_eq!(titles.len(), 3, "{titles:?}");
    tx.commit().await.expect("commit");

    // Their branch's: organising, 代报名 and attendance.
    let tx = scope.write(db).await.expect("tx");
    let lesson = activities::save_activity(&tx, None, &for_branch("第一支部党课", b.first), now)
        .await
        .expect("organised");
    let enrolled = activities::sign_up_for(&tx, lesson, b.li, now)
        .await
        .expect("代报名");
    assert_eq!(enrolled.state, domain::activities::SignupState::Confirmed);
    activities::sign_up_for(&tx, lesson, b.zhang, now)
        .await
        .expect("代报名");
    tx.commit().await.expect("commit");
    // 张一 moves to the second branch: the signup stays, out of the 支部书记's sight and hands.
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    members::move_members(&tx, &[b.zhang], Some(b.second))
        .await
        .expect("moved");
    let moved = activities::signups(&tx, lesson)
        .await
        .expect("signups")
        .into_iter()
        .find(|s| s.member_id == b.zhang)
        .expect("still signed up")
        .id;
    tx.commit().await.expect("commit");
    let tx = scope.write(db).await.expect("tx");
    let signups = activities::signups(&tx, lesson).await.expect("signups");
    assert_eq!(
        signups.iter().map(|s| s.member_id).collect::<Vec<_>>(),
        vec![b.li]
    );
    assert_eq!(
        activities::mark_attendance(&tx, moved, "attended", now).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        activities::withdraw(&tx, moved, now).await,
        Err(DomainError::NotFound)
    );
    drop(tx);
}
both_engines!(
    a_branch_secretary_organises_their_branch,
    writes_in_their_branch
);

/// The 支部书记's 工作台: today's activities of their branch only, and their messages; none of
/// the community's decisions (双报到, changes, members out of contact) or co-construction.
async fn workbench_of_their_branch(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let b = community(db, &w).await;
    let (user, _) = first_branch_secretary(db, &w, &b).await;
    // Two hours ago: never on the China day of the setup's activities a day ahead (three hours
    // ahead was, from 21:00 China time on).
    let starts = chrono::Utc::now() - chrono::Duration::hours(2);
    let today = |input: ActivityInput| ActivityInput {
        starts_at: domain::testing::local_field(starts),
        ends_at: domain::testing::local_field(starts + chrono::Duration::hours(1)),
        signup_opens_at: domain::testing::local_field(starts - chrono::Duration::hours(1)),
        signup_closes_at: domain::testing::local_field(starts),
        ..input
    };
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    for input in [
        for_branch("第一支部今日学习", b.first),
        for_branch("第二支部今日学习", b.second),
        activity_tomorrow("社区今日义诊", ""),
    ] {
        activities::save_activity(&tx, None, &today(input), chrono::Utc::now())
            .await
            .expect("activity");
    }
    let gone = members::MemberInput {
        status: "lost_contact".into(),
        unit_id: Some(b.first),
        ..member_input("孙五")
    };
    members::create(&tx, &gone, None, domain::testing::today())
        .await
        .expect("member");
    tx.commit().await.expect("commit");

    let a = w.community_a.id;
    let count = |items: &[workbench::Waiting], work: Work| {
        items.iter().find(|i| i.work == work).map(|i| i.count)
    };
    let branch = Principal::load(db, user)
        .await
        .expect("load")
        .expect("active");
    let items = workbench::community_staff(db, &branch, a, starts)
        .await
        .expect("branch workbench");
    let kinds: Vec<Work> = items.iter().map(|i| i.work).collect();
    assert_eq!(
        kinds,
        vec![
            Work::ActivitiesToday,
            Work::LeaveToDecide,
            Work::NoticesToConfirm,
            Work::Unread
        ]
    );
    assert_eq!(count(&items, Work::ActivitiesToday), Some(1));
    assert_eq!(count(&items, Work::LeaveToDecide), Some(0));

    let secretary = w.principal(db, "secretary_a").await;
    let items = workbench::community_staff(db, &secretary, a, starts)
        .await
        .expect("secretary's workbench");
    assert_eq!(count(&items, Work::ActivitiesToday), Some(3));
    assert_eq!(count(&items, Work::LostContact), Some(1));
    // Another community's staff home is not theirs.
    assert_eq!(
        workbench::community_staff(db, &branch, w.community_b.id, starts)
            .await
            .map(|_| ()),
        Err(DomainError::Forbidden)
    );
}
both_engines!(a_branch_secretarys_workbench, workbench_of_their_branch);
