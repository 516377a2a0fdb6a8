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
use domain::testing::{
    local_field, member_input, roster_since_always, today, world, TestDb, World,
};
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
    // The China year: points are credited by it (on New Year's Eve after 16:00 UTC the UTC
    // year is the old one).
    let total = points::member_points(&tx, member, domain::clock::today().year())
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
    // The roster typed in before the history began: there all along.
    roster_since_always(&tx).await;
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
    // Added to the roster now: not on any earlier meeting's roll.
    placed(&tx, "孙六", second).await;
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
        ["李二", "张一"],
        "who belonged two days ago: 李二 moved since, 钱五 came since, 王三 reports here"
    );
    // In 拼音 order, as a roll is read out (钱 qian before 张 zhang).
    assert_eq!(roll_names(db, &w, s.coming).await, ["钱五", "张一"]);
    assert_eq!(
        roll_names(db, &w, s.second_coming).await,
        ["李二", "孙六", "赵四"]
    );

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
            ("钱五", Some(Attendance::NoShow), None),
            (
                "张一",
                Some(Attendance::Excused),
                Some(LeaveState::Approved)
            ),
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

/// One step in a transaction of `scope`'s, committed if it went through (rolled back if not,
/// as a request's is); what the step said.
async fn in_tx(
    db: &Db,
    scope: &TenantScope,
    step: impl AsyncFnOnce(&TenantTx) -> Result<(), DomainError>,
) -> Result<(), DomainError> {
    let tx = scope.write(db).await.expect("tx");
    let done = step(&tx).await;
    if done.is_ok() {
        tx.commit().await.expect("commit");
    }
    done
}

/// Plans change: a member withdraws a request not yet decided (until the meeting ends) or one
/// approved (until it starts), and is expected again; a refused one, an approved one once the
/// meeting is under way, and a meeting they are not expected at are not theirs to change.
async fn leave_is_withdrawn_while_plans_may_change(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let now = Utc::now();
    let s = setup(db, &w, now).await;
    let zhang = login_for(db, &w, s.zhang, "zhang_yi").await;
    let zhao = login_for(db, &w, s.zhao, "zhao_si").await;
    let secretary = w.scope_as(db, "secretary_a", w.community_a.id).await;
    let (started, over) = (
        now + Duration::days(1) + Duration::minutes(30),
        now + Duration::days(1) + Duration::hours(3),
    );
    let ask = async |at| {
        in_tx(db, &zhang, async |tx| {
            activities::ask_leave(tx, s.coming, "出差在外", at).await
        })
        .await
    };
    let withdraw = async |at| {
        in_tx(db, &zhang, async |tx| {
            activities::withdraw_leave(tx, s.coming, at).await
        })
        .await
    };
    let decide = async |approve: bool| {
        in_tx(db, &secretary, async |tx| {
            activities::decide_leave(tx, s.coming, s.zhang, approve, now).await
        })
        .await
    };
    let leave = async || {
        let tx = zhang.read(db).await.expect("tx");
        let mine = activities::my_roll(&tx, s.coming).await.expect("mine");
        tx.commit().await.expect("commit");
        mine.map(|m| (m.leave, m.leave_reason))
    };
    let not_withdrawable = Err(DomainError::invalid("leave_request", "not_withdrawable"));
    // The secretary's 工作台 counts the requests waiting for a decision.
    let to_decide = async || {
        let p = w.principal(db, "secretary_a").await;
        domain::workbench::community_staff(db, &p, w.community_a.id, now)
            .await
            .expect("workbench")
            .iter()
            .find(|i| i.work == domain::workbench::Work::LeaveToDecide)
            .map(|i| i.count)
    };
    assert_eq!(to_decide().await, Some(0));
    // …and the secretary's activity list marks the meeting that has them.
    let on_the_list = async || {
        let tx = secretary.read(db).await.expect("tx");
        let list = activities::activities(&tx, now).await.expect("list");
        tx.commit().await.expect("commit");
        list.iter()
            .find(|a| a.id == s.coming)
            .map(|a| a.leave_asked)
    };

    assert_eq!(
        withdraw(now).await,
        Err(DomainError::invalid("leave_request", "not_asked"))
    );
    ask(now).await.expect("asked");
    assert_eq!(to_decide().await, Some(1));
    assert_eq!(on_the_list().await, Some(1));
    withdraw(now).await.expect("withdrawn while undecided");
    assert_eq!(leave().await, Some((None, None)), "expected again");
    assert_eq!(to_decide().await, Some(0));
    assert_eq!(on_the_list().await, Some(0));
    // 赵四 is not expected at this meeting: nothing of theirs to withdraw.
    ask(now).await.expect("asked again");
    assert_eq!(
        in_tx(db, &zhao, async |tx| {
            activities::withdraw_leave(tx, s.coming, now).await
        })
        .await,
        Err(DomainError::invalid("leave", "not_on_roll"))
    );
    // Undecided, it may go until the meeting ends.
    withdraw(started).await.expect("withdrawn while it runs");
    ask(now).await.expect("asked");
    assert_eq!(withdraw(over).await, not_withdrawable);
    // Approved, until the meeting starts.
    decide(true).await.expect("approved");
    assert_eq!(to_decide().await, Some(0), "decided");
    assert_eq!(withdraw(started).await, not_withdrawable);
    withdraw(now).await.expect("withdrawn before it starts");
    assert_eq!(leave().await, Some((None, None)));
    // Refused, it stands.
    ask(now).await.expect("asked");
    decide(false).await.expect("refused");
    assert_eq!(withdraw(now).await, not_withdrawable);
    assert_eq!(
        leave().await,
        Some((Some(LeaveState::Refused), Some("出差在外".to_string())))
    );

    // Marked on the roll, what was asked stands: 钱五 asks, is marked 请假 once the meeting
    // starts, and cannot withdraw (the mark would stand without its reason); nor does it wait
    // on the 工作台 any longer.
    let qian = login_for(db, &w, s.qian, "qian_wu").await;
    in_tx(db, &qian, async |tx| {
        activities::ask_leave(tx, s.coming, "住院", now).await
    })
    .await
    .expect("asked");
    assert_eq!(to_decide().await, Some(1));
    // Marked 缺席 before the request was decided, it still waits (approving it makes the mark
    // 请假); marked 请假, it is settled.
    for (mark, waiting) in [("no_show", Some(1)), ("excused", Some(0))] {
        in_tx(db, &secretary, async |tx| {
            activities::mark_roll(tx, s.coming, s.qian, mark, started).await
        })
        .await
        .expect("marked");
        assert_eq!(to_decide().await, waiting, "{mark}");
        // The meeting's record says the same.
        let tx = secretary.read(db).await.expect("tx");
        let record = activities::meeting_record(&tx, s.coming)
            .await
            .expect("record");
        tx.commit().await.expect("commit");
        assert_eq!(Some(record.leave_pending() as u64), waiting, "{mark}");
    }
    assert_eq!(to_decide().await, Some(0), "marked: waits on nobody");
    assert_eq!(
        in_tx(db, &qian, async |tx| {
            activities::withdraw_leave(tx, s.coming, now).await
        })
        .await,
        not_withdrawable
    );
}
both_engines!(
    leave_is_withdrawn_while_plans_may_change,
    leave_is_withdrawn_while_plans_may_change
);

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
    assert_eq!(own.roll.len(), 3);
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

/// Once its attendance is finished, a meeting's record is what it recorded: later moves,
/// transfers and edits change nothing; a transfer out counts from the day of leaving; nobody
/// decides their own leave.
async fn a_finished_roll_stays_as_recorded(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let now = Utc::now();
    let s = setup(db, &w, now).await;
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    // Edited before anyone is marked: the roll follows the new start.
    let earlier = meeting("branch_assembly", s.first, now - Duration::days(3));
    activities::save_activity(&tx, Some(s.past), &earlier, now)
        .await
        .expect("moved a day earlier");
    assert_eq!(activities::finish_attendance(&tx, s.past, now).await, Ok(2));
    tx.commit().await.expect("commit");
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    members::move_members(&tx, &[s.zhang], Some(s.second))
        .await
        .expect("moved");
    // 赵四 left for another community two days ago, recorded only now.
    // 李二, on the finished meeting's roll, turns out to have left four days ago: the record
    // keeps what it recorded.
    let four_days_ago = (today() - Duration::days(4)).to_string();
    members::transfer_out(&tx, s.li, &four_days_ago, "外区", today())
        .await
        .expect("transferred out");
    let two_days_ago = (today() - Duration::days(2)).to_string();
    members::transfer_out(&tx, s.zhao, &two_days_ago, "外区", today())
        .await
        .expect("transferred out");
    let again = meeting("branch_assembly", s.second, now - Duration::days(4));
    assert_eq!(
        activities::save_activity(&tx, Some(s.past), &again, now).await,
        Err(DomainError::invalid("activity", "roll_kept"))
    );
    let save = |days: i64| {
        let tx = &tx;
        async move {
            let input = meeting("party_day", s.second, now - Duration::days(days));
            activities::save_activity(tx, None, &input, now)
                .await
                .expect("a 主题党日 of branch two")
        }
    };
    let (three_days_ago, yesterday) = (save(3).await, save(1).await);
    assert_eq!(activities::finish_attendance(&tx, s.past, now).await, Ok(0));
    // Nor does its end move: made later, the finished meeting would take leave requests again.
    let longer = ActivityInput {
        ends_at: local_field(now + Duration::hours(2)),
        ..earlier.clone()
    };
    assert_eq!(
        activities::save_activity(&tx, Some(s.past), &longer, now).await,
        Err(DomainError::invalid("activity", "roll_kept"))
    );
    tx.commit().await.expect("commit");
    assert_eq!(roll_names(db, &w, s.past).await, ["李二", "张一"]);
    assert_eq!(roll_names(db, &w, three_days_ago).await, ["赵四"]);
    assert!(
        roll_names(db, &w, yesterday).await.is_empty(),
        "赵四 had left two days ago; 李二, 孙六 and 张一 came today"
    );

    // A secretary on the roll asks for leave as a member; they cannot grant it themselves.
    let user = w.account("secretary_a").user_id;
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    let own = MemberInput {
        unit_id: Some(s.second),
        ..member_input("周书记")
    };
    let record = members::create(&tx, &own, Some(user), today())
        .await
        .expect("the secretary's own record");
    let coming = meeting("party_day", s.second, now + Duration::days(2));
    let coming = activities::save_activity(&tx, None, &coming, now)
        .await
        .expect("a coming 主题党日");
    tx.commit().await.expect("commit");
    let as_member = domain::testing::member_scope_of(w.community_a.id, user);
    let tx = as_member.write(db).await.expect("tx");
    activities::ask_leave(&tx, coming, "外出开会", now)
        .await
        .expect("asked");
    tx.commit().await.expect("commit");
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    assert_eq!(
        activities::decide_leave(&tx, coming, record, true, now).await,
        Err(DomainError::invalid("leave", "own_leave"))
    );
    tx.commit().await.expect("commit");
}
both_engines!(
    a_finished_roll_stays_as_recorded,
    a_finished_roll_stays_as_recorded
);

/// A 党小组会 is its building group's: the group's members (its households too), not the
/// whole branch.
async fn a_group_meeting_is_the_groups(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let now = Utc::now();
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    let branch =
        placements::create_placement(&tx, PlacementKind::GridBranch, "第一网格党支部", None)
            .await
            .expect("branch");
    let group = placements::create_placement(
        &tx,
        PlacementKind::BuildingGroup,
        "1号楼党小组",
        Some(branch),
    )
    .await
    .expect("group");
    let household = placements::create_placement(
        &tx,
        PlacementKind::CentralHousehold,
        "王家党员中心户",
        Some(group),
    )
    .await
    .expect("household");
    placed(&tx, "甲", branch).await;
    placed(&tx, "乙", group).await;
    placed(&tx, "丙", household).await;
    let mut input = meeting("group_meeting", branch, now + Duration::days(1));
    assert_eq!(
        activities::save_activity(&tx, None, &input, now).await,
        Err(DomainError::invalid("group", "required"))
    );
    input.group = branch.to_string();
    assert_eq!(
        activities::save_activity(&tx, None, &input, now).await,
        Err(DomainError::invalid("group", "not_found"))
    );
    input.group = group.to_string();
    // The signup window of a meeting may be left empty.
    input.signup_opens_at = String::new();
    input.signup_closes_at = String::new();
    let id = activities::save_activity(&tx, None, &input, now)
        .await
        .expect("党小组会");
    tx.commit().await.expect("commit");
    assert_eq!(roll_names(db, &w, id).await, ["丙", "乙"]);
}
both_engines!(a_group_meeting_is_the_groups, a_group_meeting_is_the_groups);

/// A meeting's photos and thumbnails are kept while listed (the sweep of left-over files leaves
/// them), at most six; taken off, the sweep removes their files.
async fn photos_are_kept_while_listed(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let now = Utc::now();
    let s = setup(db, &w, now).await;
    let a = w.community_a.id;
    let bytes = domain::testing::png_photo(900, 1200);
    let made = domain::files::thumbnail(std::sync::Arc::new(bytes.clone()))
        .await
        .expect("a photo");
    assert_eq!((made.width, made.height), (900, 1200));
    let photo = db.files().keep(a, "会场.png", bytes).await.expect("kept");
    let thumbnail = db
        .files()
        .keep(a, "会场-缩略图.jpg", made.thumbnail.clone())
        .await
        .expect("kept");
    let new = activities::NewPhoto {
        photo: photo.clone(),
        thumbnail: thumbnail.clone(),
        made,
    };
    let tx = w.write_as(db, "secretary_a", a).await;
    assert_eq!(
        activities::add_photos(&tx, s.past, vec![new.clone(); 7], now).await,
        Err(DomainError::invalid("photo", "too_many_files"))
    );
    activities::add_photos(&tx, s.past, vec![new.clone()], now)
        .await
        .expect("added");
    tx.commit().await.expect("commit");
    let on_disk = |sha: &str| db.files().path(a, sha).is_some_and(|p| p.exists());
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(2 * 3600);
    assert_eq!(domain::file_sweep::sweep_files(db, later).await, Ok(0));
    assert!(on_disk(&photo.sha256) && on_disk(&thumbnail.sha256));

    let tx = w.write_as(db, "secretary_a", a).await;
    let listed = activities::meeting_record(&tx, s.past)
        .await
        .expect("record")
        .photos;
    let file = activities::photo_file(&tx, s.past, listed[0].id, true)
        .await
        .expect("thumbnail");
    assert_eq!(file.sha256, thumbnail.sha256);
    activities::remove_photo(&tx, s.past, listed[0].id)
        .await
        .expect("removed");
    tx.commit().await.expect("commit");
    assert_eq!(domain::file_sweep::sweep_files(db, later).await, Ok(2));
    assert!(!on_disk(&photo.sha256) && !on_disk(&thumbnail.sha256));
}
both_engines!(photos_are_kept_while_listed, photos_are_kept_while_listed);
