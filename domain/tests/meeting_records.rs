//! 会议记录 on both engines: a branch meeting's 应到 is the branch's roster at its start, read
//! from the roster's history (a member who moved away after it stays on its roll, one who came
//! after is not on it, a 报到党员 never is; a 支委会's roll is the committee); nobody signs up;
//! a member on the roll asks for leave, the organiser approves or refuses, and finishing the
//! attendance marks the rest — 请假 costs nothing, 缺席 costs the absence rule; the minutes
//! are kept with it; only the meeting's organisers read or write its record.
use chrono::{DateTime, Datelike, Duration, Utc};
use domain::activities::{self, ActivityInput, Attendance, LeaveState, MinutesInput};
use domain::both_engines;
use domain::members::{self, MemberInput};
use domain::org::placements::{self, PlacementKind};
use domain::points;
use domain::tenancy::{Commit, TenantScope, TenantTx};
use domain::testing::{local_field, member_input, today, world, TestDb, World};
use domain::{Db, DomainError};
use uuid::Uuid;

fn meeting(kind: &str, branch: Uuid, starts: DateTime<Utc>) -> ActivityInput {
    ActivityInput {
        kind: kind.into(),
        title: format!("{kind} 会议"),
        venue: "党群服务中心".into(),
        starts_at: local_field(starts),
        ends_at: local_field(starts + Duration::hours(2)),
        signup_opens_at: local_field(starts - Duration::days(3)),
        signup_closes_at: local_field(starts),
        audience: "branch".into(),
        branch: branch.to_string(),
        points: "3".into(),
        ..Default::default()
    }
}

async fn placed(tx: &TenantTx, name: &str, unit: Uuid) -> Uuid {
    let input = MemberInput {
        unit_id: Some(unit),
        ..member_input(name)
    };
    members::create(tx, &input, None, today())
        .await
        .expect("member")
}

/// A login for a member record of community A; their scope there.
async fn login_for(db: &Db, w: &World, record: Uuid, login: &str) -> TenantScope {
    let staff = w.scope_as(db, "secretary_a", w.community_a.id).await;
    let user = members::create_login(db, &staff, record, login, "Notice@2026")
        .await
        .expect("login");
    domain::auth::Principal::load(db, user)
        .await
        .expect("load")
        .expect("active")
        .tenant_scope(db, w.community_a.id)
        .await
        .expect("member scope")
}

async fn roll_names(db: &Db, w: &World, id: Uuid) -> Vec<String> {
    let tx = w.read_as(db, "secretary_a", w.community_a.id).await;
    let record = activities::meeting_record(&tx, id).await.expect("record");
    tx.commit().await.expect("commit");
    record.roll.into_iter().map(|r| r.name).collect()
}

async fn total_points(db: &Db, w: &World, member: Uuid) -> i64 {
    let tx = w.read_as(db, "secretary_a", w.community_a.id).await;
    let total = points::member_points(&tx, member, Utc::now().year())
        .await
        .expect("points")
        .total;
    tx.commit().await.expect("commit");
    total
}

struct Setup {
    first: Uuid,
    second: Uuid,
    zhang: Uuid,
    li: Uuid,
    zhao: Uuid,
    qian: Uuid,
    past: Uuid,
    coming: Uuid,
    second_coming: Uuid,
}

/// Branch one: 张一, 李二 and 王三 (a 报到党员); branch two: 赵四. A meeting of branch one two
/// days ago and one tomorrow, and one of branch two tomorrow. Then 李二 moves to branch two and
/// 钱五 transfers into branch one today.
async fn setup(db: &Db, w: &World, now: DateTime<Utc>) -> Setup {
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    let grid = |name: &'static str| {
        placements::create_placement(&tx, PlacementKind::GridBranch, name, None)
    };
    let first = grid("第一网格党支部").await.expect("branch");
    let second = grid("第二网格党支部").await.expect("branch");
    let zhang = placed(&tx, "张一", first).await;
    let li = placed(&tx, "李二", first).await;
    let reporting = MemberInput {
        unit_id: Some(first),
        relation: "reporting".into(),
        category: "in_service".into(),
        ..member_input("王三")
    };
    members::create(&tx, &reporting, None, today())
        .await
        .expect("reporting member");
    let zhao = placed(&tx, "赵四", second).await;
    let save = |input: ActivityInput| {
        let tx = &tx;
        async move {
            activities::save_activity(tx, None, &input, now)
                .await
                .expect("meeting")
        }
    };
    let past = save(meeting("branch_assembly", first, now - Duration::days(2))).await;
    let coming = save(meeting("branch_assembly", first, now + Duration::days(1))).await;
    let second_coming = save(meeting("party_day", second, now + Duration::days(1))).await;
    tx.commit().await.expect("commit");

    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    members::move_members(&tx, &[li], Some(second))
        .await
        .expect("moved");
    let incoming = MemberInput {
        unit_id: Some(first),
        ..member_input("钱五")
    };
    let qian = members::transfer_in(
        &tx,
        &incoming,
        &today().to_string(),
        "外区某社区党委",
        today(),
    )
    .await
    .expect("transferred in");
    tx.commit().await.expect("commit");
    Setup {
        first,
        second,
        zhang,
        li,
        zhao,
        qian,
        past,
        coming,
        second_coming,
    }
}

async fn roll_follows_the_roster_at_the_date(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let now = Utc::now();
    let s = setup(db, &w, now).await;
    assert_eq!(
        roll_names(db, &w, s.past).await,
        ["张一", "李二"],
        "who belonged two days ago: 李二 moved since, 钱五 came since, 王三 reports here"
    );
    assert_eq!(roll_names(db, &w, s.coming).await, ["张一", "钱五"]);
    assert_eq!(roll_names(db, &w, s.second_coming).await, ["李二", "赵四"]);

    // Nobody signs up for a meeting, nor is signed up for one.
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    assert_eq!(
        activities::sign_up_for(&tx, s.coming, s.zhang, now).await,
        Err(DomainError::invalid("signup", "meeting_roll"))
    );
    // 支委会 and 支部党员大会 belong to a branch.
    let without_branch = ActivityInput {
        audience: "all".into(),
        branch: String::new(),
        ..meeting("branch_committee", s.first, now + Duration::days(2))
    };
    assert_eq!(
        activities::save_activity(&tx, None, &without_branch, now).await,
        Err(DomainError::invalid("branch", "required_for_meeting"))
    );

    // Marks on the past meeting: only those on its roll.
    activities::mark_roll(&tx, s.past, s.zhang, "attended", now)
        .await
        .expect("present");
    activities::mark_roll(&tx, s.past, s.li, "no_show", now)
        .await
        .expect("absent");
    assert_eq!(
        activities::mark_roll(&tx, s.past, s.qian, "attended", now).await,
        Err(DomainError::NotFound),
        "钱五 came after it"
    );
    assert_eq!(
        activities::mark_roll(&tx, s.coming, s.zhang, "attended", now).await,
        Err(DomainError::invalid("attendance", "before_activity"))
    );
    tx.commit().await.expect("commit");
    assert_eq!(total_points(db, &w, s.zhang).await, 3, "attending earns");
    assert_eq!(total_points(db, &w, s.li).await, -2, "absence costs");

    let tx = w.read_as(db, "secretary_a", w.community_a.id).await;
    let record = activities::meeting_record(&tx, s.past)
        .await
        .expect("record");
    assert_eq!(record.marked(Attendance::Attended).len(), 1);
    assert_eq!(record.marked(Attendance::NoShow)[0].name, "李二");
    tx.commit().await.expect("commit");
    let _ = (s.second, s.zhao);
}
both_engines!(
    roll_follows_the_roster_at_the_date,
    roll_follows_the_roster_at_the_date
);

async fn leave_is_asked_and_decided(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let now = Utc::now();
    let s = setup(db, &w, now).await;
    let zhang = login_for(db, &w, s.zhang, "zhang_yi").await;
    let zhao = login_for(db, &w, s.zhao, "zhao_si").await;

    let tx = zhao.write(db).await.expect("tx");
    assert_eq!(
        activities::ask_leave(&tx, s.coming, "出差", now).await,
        Err(DomainError::invalid("leave", "not_on_roll")),
        "another branch's meeting"
    );
    assert_eq!(activities::my_roll(&tx, s.coming).await, Ok(None));
    let own = activities::my_roll(&tx, s.second_coming)
        .await
        .expect("mine");
    assert_eq!(own.map(|r| r.leave), Some(None), "on their branch's roll");
    tx.commit().await.expect("commit");

    let tx = zhang.write(db).await.expect("tx");
    assert_eq!(
        activities::ask_leave(&tx, s.coming, "  ", now).await,
        Err(DomainError::invalid("leave_reason", "required"))
    );
    activities::ask_leave(&tx, s.coming, "出差在外", now)
        .await
        .expect("asked");
    assert_eq!(
        activities::sign_up(&tx, s.coming, now).await,
        Err(DomainError::invalid("signup", "meeting_roll"))
    );
    assert_eq!(
        activities::cancel_signup(&tx, s.coming, now).await,
        Err(DomainError::invalid("signup", "meeting_roll")),
        "on the roll, they ask for leave instead"
    );
    let mine = activities::my_roll(&tx, s.coming).await.expect("mine");
    assert_eq!(
        mine.map(|m| (m.leave, m.leave_reason)),
        Some((Some(LeaveState::Asked), Some("出差在外".to_string())))
    );
    tx.commit().await.expect("commit");

    // Undecided leave is decided before the attendance is finished.
    let after = now + Duration::days(2);
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    assert_eq!(
        activities::finish_attendance(&tx, s.coming, after).await,
        Err(DomainError::invalid("attendance", "leave_pending"))
    );
    assert_eq!(
        activities::decide_leave(&tx, s.coming, s.qian, true, now).await,
        Err(DomainError::NotFound),
        "钱五 asked for none"
    );
    activities::decide_leave(&tx, s.coming, s.zhang, true, now)
        .await
        .expect("approved");
    assert_eq!(
        activities::finish_attendance(&tx, s.coming, after).await,
        Ok(2)
    );
    tx.commit().await.expect("commit");
    let tx = w.read_as(db, "secretary_a", w.community_a.id).await;
    let record = activities::meeting_record(&tx, s.coming)
        .await
        .expect("record");
    let marks: Vec<_> = record
        .roll
        .iter()
        .map(|r| (r.name.as_str(), r.attendance, r.leave))
        .collect();
    assert_eq!(
        marks,
        [
            (
                "张一",
                Some(Attendance::Excused),
                Some(LeaveState::Approved)
            ),
            ("钱五", Some(Attendance::NoShow), None),
        ]
    );
    tx.commit().await.expect("commit");
    assert_eq!(
        total_points(db, &w, s.zhang).await,
        0,
        "excused costs nothing"
    );
    assert_eq!(total_points(db, &w, s.qian).await, -2, "unexcused costs");

    // Too late to ask now; refused after all, the excused absence becomes one that costs.
    let tx = zhang.write(db).await.expect("tx");
    assert_eq!(
        activities::ask_leave(&tx, s.coming, "再请", after).await,
        Err(DomainError::invalid("leave", "meeting_over"))
    );
    tx.commit().await.expect("commit");
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    activities::decide_leave(&tx, s.coming, s.zhang, false, after)
        .await
        .expect("refused");
    tx.commit().await.expect("commit");
    assert_eq!(total_points(db, &w, s.zhang).await, -2);
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    activities::decide_leave(&tx, s.coming, s.zhang, true, after)
        .await
        .expect("approved again");
    tx.commit().await.expect("commit");
    assert_eq!(total_points(db, &w, s.zhang).await, 0, "given back");
}
both_engines!(leave_is_asked_and_decided, leave_is_asked_and_decided);

async fn minutes_are_kept_with_the_meeting(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let now = Utc::now();
    let s = setup(db, &w, now).await;
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    let input = MinutesInput {
        host: "张一".into(),
        recorder: "李二".into(),
        topic: "学习党的二十届四中全会精神".into(),
        minutes: "一、传达学习……\r\n二、讨论……".into(),
    };
    for (bad, field, reason) in [
        (
            MinutesInput {
                host: " ".into(),
                ..input.clone()
            },
            "meeting_host",
            "required",
        ),
        (
            MinutesInput {
                minutes: "长".repeat(activities::MINUTES_MAX + 1),
                ..input.clone()
            },
            "meeting_minutes",
            "too_long",
        ),
        (
            MinutesInput {
                topic: "议题\u{202E}".into(),
                ..input.clone()
            },
            "meeting_topic",
            "bad_chars",
        ),
    ] {
        assert_eq!(
            activities::save_minutes(&tx, s.past, &bad, now).await,
            Err(DomainError::invalid(field, reason))
        );
    }
    activities::save_minutes(&tx, s.past, &input, now)
        .await
        .expect("saved");
    let again = MinutesInput {
        recorder: "赵四".into(),
        ..input.clone()
    };
    activities::save_minutes(&tx, s.past, &again, now)
        .await
        .expect("saved again");
    tx.commit().await.expect("commit");
    let tx = w.read_as(db, "secretary_a", w.community_a.id).await;
    let record = activities::meeting_record(&tx, s.past)
        .await
        .expect("record");
    let minutes = record.minutes.expect("minutes");
    assert_eq!(
        (minutes.recorder.as_str(), minutes.minutes.as_str()),
        ("赵四", "一、传达学习……\n二、讨论……")
    );
    tx.commit().await.expect("commit");

    // An activity that is not a branch meeting has no record.
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    let open_day = activities::save_activity(
        &tx,
        None,
        &domain::testing::activity_tomorrow("开放日", ""),
        now,
    )
    .await
    .expect("activity");
    assert_eq!(
        activities::meeting_record(&tx, open_day).await.map(|_| ()),
        Err(DomainError::NotFound)
    );
    assert_eq!(
        activities::save_minutes(&tx, open_day, &input, now).await,
        Err(DomainError::NotFound)
    );
    tx.commit().await.expect("commit");
}
both_engines!(
    minutes_are_kept_with_the_meeting,
    minutes_are_kept_with_the_meeting
);

/// A 支委会's roll is the branch's committee as it stood on the day.
async fn committee_meeting_roll_is_the_committee(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let now = Utc::now();
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    let branch =
        placements::create_placement(&tx, PlacementKind::GridBranch, "第三网格党支部", None)
            .await
            .expect("branch");
    let mut people = Vec::new();
    for i in 0..8 {
        people.push(placed(&tx, &format!("党员{i}"), branch).await);
    }
    for (member, post) in people
        .iter()
        .zip(["secretary", "organisation", "publicity"])
    {
        let seat = activities::SeatInput {
            member: member.to_string(),
            post: post.into(),
            since: today().to_string(),
        };
        activities::seat(&tx, branch, &seat, today())
            .await
            .expect("seated");
    }
    let committee = activities::save_activity(
        &tx,
        None,
        &meeting("branch_committee", branch, now + Duration::days(1)),
        now,
    )
    .await
    .expect("支委会");
    let before = activities::save_activity(
        &tx,
        None,
        &meeting("branch_committee", branch, now - Duration::days(3)),
        now,
    )
    .await
    .expect("an earlier 支委会");
    tx.commit().await.expect("commit");
    assert_eq!(
        roll_names(db, &w, committee).await,
        ["党员0", "党员1", "党员2"]
    );
    assert!(
        roll_names(db, &w, before).await.is_empty(),
        "no committee yet three days ago"
    );
}
both_engines!(
    committee_meeting_roll_is_the_committee,
    committee_meeting_roll_is_the_committee
);

/// Only the meeting's organisers read its record or write to it: not a member, not the staff of
/// another community, not a 支部书记 of another branch.
async fn records_are_the_organisers(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let now = Utc::now();
    let s = setup(db, &w, now).await;
    let zhang = login_for(db, &w, s.zhang, "zhang_yi").await;
    let tx = zhang.read(db).await.expect("tx");
    assert_eq!(
        activities::meeting_record(&tx, s.past).await.map(|_| ()),
        Err(DomainError::Forbidden)
    );
    tx.commit().await.expect("commit");
    let input = MinutesInput {
        host: "某".into(),
        recorder: "某".into(),
        topic: "某".into(),
        minutes: "某".into(),
    };
    for (login, node) in [
        ("secretary_c", w.community_c.id),
        ("worker_b", w.community_b.id),
    ] {
        let tx = w.write_as(db, login, node).await;
        assert_eq!(
            activities::meeting_record(&tx, s.past).await.map(|_| ()),
            Err(DomainError::NotFound)
        );
        assert_eq!(
            activities::save_minutes(&tx, s.past, &input, now).await,
            Err(DomainError::NotFound)
        );
        assert_eq!(
            activities::mark_roll(&tx, s.past, s.zhang, "attended", now).await,
            Err(DomainError::NotFound)
        );
        assert_eq!(
            activities::decide_leave(&tx, s.coming, s.zhang, true, now).await,
            Err(DomainError::NotFound)
        );
        tx.commit().await.expect("commit");
    }
    // Branch two's 支部书记 sees its meetings only.
    let secretary = w.principal(db, "secretary_a").await;
    let account = domain::auth::admin::NewAccount {
        login_name: "branch_two".into(),
        display_name: "赵支书".into(),
        role: "branch_secretary".into(),
        branch: s.second.to_string(),
        place: w.community_a.id.to_string(),
        ..Default::default()
    };
    let (user, _) = domain::auth::admin::open_account(db, &secretary, &account)
        .await
        .expect("opened");
    let scope = domain::auth::Principal::load(db, user)
        .await
        .expect("load")
        .expect("active")
        .manage_scope(db, w.community_a.id)
        .await
        .expect("scope");
    let tx = scope.write(db).await.expect("tx");
    assert_eq!(
        activities::meeting_record(&tx, s.past).await.map(|_| ()),
        Err(DomainError::NotFound)
    );
    assert_eq!(
        activities::save_minutes(&tx, s.past, &input, now).await,
        Err(DomainError::NotFound)
    );
    let own = activities::meeting_record(&tx, s.second_coming)
        .await
        .expect("their branch's");
    assert_eq!(own.roll.len(), 2);
    tx.commit().await.expect("commit");
    // Nothing was written by any of them.
    let tx = w.read_as(db, "secretary_a", w.community_a.id).await;
    let record = activities::meeting_record(&tx, s.past)
        .await
        .expect("record");
    assert!(record.minutes.is_none());
    assert!(record.roll.iter().all(|r| r.attendance.is_none()));
    tx.commit().await.expect("commit");
}
both_engines!(records_are_the_organisers, records_are_the_organisers);
