//! 联席会议 and 议定事项 on both engines: the full cycle from a community's need to a closed
//! street resolution with its completion rate, a community's own meeting, and the refusals.
use chrono::{Duration, Utc};
use domain::audit;
use domain::both_engines;
use domain::coop::{
    self, AgendaInput, InviteeKind, MeetingInput, NeedInput, OwnerKind, PartnerInput,
    ResolutionInput, ResolutionStatus,
};
use domain::org::placements::{create_placement, PlacementKind as BranchKind};
use domain::tenancy::Commit;
use domain::testing::{today, world, TestDb, World};
use domain::DomainError;
use uuid::Uuid;

fn meeting_on(title: &str, days_from_today: i64) -> MeetingInput {
    MeetingInput {
        title: title.into(),
        convener: "李书记".into(),
        held_on: (today() + Duration::days(days_from_today)).to_string(),
        starts_at: "14:30".into(),
        venue: "街道党群服务中心三楼会议室".into(),
    }
}

fn resolution(content: &str, kind: OwnerKind, owner: &str, due_in: i64) -> ResolutionInput {
    ResolutionInput {
        content: content.into(),
        owner_kind: kind.as_str().into(),
        owner: owner.into(),
        due_on: (today() + Duration::days(due_in)).to_string(),
    }
}

/// Registers a school and a tax office; pairs the school with A (its liaison is `liaison`).
async fn units(t: &TestDb, w: &World) -> (Uuid, Uuid) {
    let street = w.coop_as(&t.db, "street", w.street.id).await;
    let tx = street.write(&t.db).await.expect("tx");
    let unit = |name: &str| PartnerInput {
        name: name.into(),
        kind: "school".into(),
        ..Default::default()
    };
    let school = coop::save_partner(&tx, None, &unit("长春市第一中学"))
        .await
        .expect("unit");
    let tax = coop::save_partner(&tx, None, &unit("宽城区税务局"))
        .await
        .expect("unit");
    coop::pair(&tx, school, w.community_a.id, today())
        .await
        .expect("pair");
    coop::attach_liaison(&tx, school, w.account("liaison").user_id)
        .await
        .expect("attach");
    tx.commit().await.expect("commit");
    (school, tax)
}

async fn full_cycle(t: TestDb) {
    let w = world(&t.db).await;
    let (a, b) = (w.community_a.id, w.community_b.id);
    let (school, tax) = units(&t, &w).await;

    // Community A cannot meet a need alone and hands it to the street.
    let community = w.coop_as(&t.db, "secretary_a", a).await;
    let tx = community.write(&t.db).await.expect("tx");
    let need = coop::post_need(
        &tx,
        &NeedInput {
            title: "老旧小区加装电梯协调".into(),
            category: "elderly".into(),
            urgency: "soon".into(),
            requester_name: "王秀兰".into(),
            ..Default::default()
        },
        today(),
    )
    .await
    .expect("need");
    coop::escalate(&tx, need, today()).await.expect("escalate");
    tx.commit().await.expect("commit");

    // The street plans today's meeting and invites the school, community A and a person.
    let street = w.coop_as(&t.db, "street", w.street.id).await;
    let tx = street.write(&t.db).await.expect("tx");
    let meeting = coop::save_meeting(&tx, None, &meeting_on("第三季度党建联席会议", 0), today())
        .await
        .expect("plan");
    coop::invite(&tx, meeting, "unit", &school.to_string())
        .await
        .expect("invite unit");
    coop::invite(&tx, meeting, "community", &a.to_string())
        .await
        .expect("invite community");
    coop::invite(&tx, meeting, "community", &a.to_string())
        .await
        .expect("inviting twice changes nothing");
    coop::invite(&tx, meeting, "person", "区住建局 赵科长")
        .await
        .expect("invite person");
    assert_eq!(
        coop::invite(&tx, meeting, "community", &w.community_c.id.to_string()).await,
        Err(DomainError::invalid("community", "other_street"))
    );
    assert_eq!(
        coop::invite(&tx, meeting, "unit", &Uuid::now_v7().to_string()).await,
        Err(DomainError::NotFound)
    );
    // The escalated need goes on the street's agenda.
    coop::propose_item(
        &tx,
        meeting,
        &AgendaInput {
            title: "研究加装电梯协调事项".into(),
            need: need.to_string(),
            ..Default::default()
        },
        today(),
    )
    .await
    .expect("agenda item");
    tx.commit().await.expect("commit");

    // The invited propose items and sign themselves in on the day; B sees nothing.
    let liaison = w.coop_as(&t.db, "liaison", w.street.id).await;
    let tx = liaison.write(&t.db).await.expect("tx");
    assert_eq!(coop::meetings(&tx).await.expect("meetings").len(), 1);
    coop::propose_item(
        &tx,
        meeting,
        &AgendaInput {
            title: "学校操场周末向居民开放".into(),
            detail: "<script>alert(1)</script>".into(),
            ..Default::default()
        },
        today(),
    )
    .await
    .expect("the invited unit proposes");
    let seen = coop::meeting(&tx, meeting, today()).await.expect("meeting");
    let invitation = seen.my_invitation().expect("invited");
    assert!(seen.may_propose(today()) && seen.may_sign_in(invitation, today()));
    let others = seen
        .invitees
        .iter()
        .find(|i| !i.mine)
        .expect("another invitee");
    assert!(!seen.may_sign_in(others, today()), "only their own");
    assert!(
        !seen.may_propose(today() + Duration::days(1)),
        "collection ends on the day"
    );
    let mine = invitation.id;
    coop::sign_in(&tx, meeting, mine, "", Utc::now(), today())
        .await
        .expect("signs in");
    tx.commit().await.expect("commit");

    let other = w.coop_as(&t.db, "worker_b", b).await;
    let tx = other.write(&t.db).await.expect("tx");
    assert!(coop::meetings(&tx).await.expect("meetings").is_empty());
    assert_eq!(
        coop::meeting(&tx, meeting, today()).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        coop::propose_item(&tx, meeting, &AgendaInput::default(), today()).await,
        Err(DomainError::NotFound)
    );
    drop(tx);

    // The street signs community A in by hand, records the decisions and the minutes.
    let tx = street.write(&t.db).await.expect("tx");
    let seen = coop::meeting(&tx, meeting, today()).await.expect("meeting");
    assert_eq!(seen.agenda.len(), 2);
    assert_eq!(
        seen.agenda[0].need.as_ref().map(|n| n.1.as_str()),
        Some("老旧小区加装电梯协调")
    );
    let a_row = seen
        .invitees
        .iter()
        .find(|i| i.kind == InviteeKind::Community)
        .expect("A invited")
        .id;
    assert_eq!(
        coop::sign_in(&tx, meeting, a_row, "", Utc::now(), today()).await,
        Err(DomainError::invalid("attendee", "required"))
    );
    coop::sign_in(&tx, meeting, a_row, "张红（社区书记）", Utc::now(), today())
        .await
        .expect("signed in by hand");
    let bad = [
        (
            resolution("x", OwnerKind::Community, &a.to_string(), -1),
            DomainError::invalid("due_on", "before_meeting"),
        ),
        (
            resolution("x", OwnerKind::Community, "", 10),
            DomainError::invalid("owner", "required"),
        ),
        (
            ResolutionInput {
                owner_kind: String::new(),
                ..resolution("x", OwnerKind::Person, "张三", 10)
            },
            DomainError::invalid("owner", "required"),
        ),
        (
            resolution("x", OwnerKind::Community, &w.community_c.id.to_string(), 10),
            DomainError::invalid("owner", "other_street"),
        ),
        (
            resolution(&"长".repeat(501), OwnerKind::Person, "张三", 10),
            DomainError::invalid("resolution_content", "too_long"),
        ),
    ];
    for (input, refused) in bad {
        assert_eq!(
            coop::add_resolution(&tx, meeting, &input, today()).await,
            Err(refused)
        );
    }
    let to_a = coop::add_resolution(
        &tx,
        meeting,
        &resolution(
            "摸排加装电梯意愿并报街道",
            OwnerKind::Community,
            &a.to_string(),
            10,
        ),
        today(),
    )
    .await
    .expect("assigned to A");
    coop::add_resolution(
        &tx,
        meeting,
        &resolution("操场开放方案", OwnerKind::Unit, &school.to_string(), 20),
        today(),
    )
    .await
    .expect("assigned to the school");
    coop::add_resolution(
        &tx,
        meeting,
        &resolution("协调住建局政策", OwnerKind::Person, "赵科长", 30),
        today(),
    )
    .await
    .expect("assigned to a person");
    // It took place today: its date no longer moves.
    assert_eq!(
        coop::save_meeting(
            &tx,
            Some(meeting),
            &meeting_on("第三季度党建联席会议", 1),
            today()
        )
        .await,
        Err(DomainError::invalid("held_on", "meeting_under_way"))
    );
    coop::save_meeting(
        &tx,
        Some(meeting),
        &MeetingInput {
            venue: "街道二楼会议室".into(),
            ..meeting_on("第三季度党建联席会议", 0)
        },
        today(),
    )
    .await
    .expect("the venue may still be corrected");
    coop::record_minutes(
        &tx,
        meeting,
        "会议听取了需求上报情况，议定三项事项。",
        today(),
    )
    .await
    .expect("minutes");
    assert_eq!(
        coop::invite(&tx, meeting, "unit", &tax.to_string()).await,
        Err(DomainError::invalid("meeting", "minutes_recorded"))
    );
    tx.commit().await.expect("commit");
    let assigned = audit::recent(&t.db, "resolution_assigned", 10)
        .await
        .expect("audit");
    assert_eq!(
        assigned.len(),
        2,
        "community and unit assignments are audited"
    );

    // A finds the resolution in its task list, reports progress, and may not close it.
    let tx = community.write(&t.db).await.expect("tx");
    let tasks = coop::resolutions(&tx, today()).await.expect("tasks");
    assert_eq!(tasks.len(), 1);
    assert!(tasks[0].may_report && !tasks[0].may_close);
    assert_eq!(tasks[0].status, ResolutionStatus::NotStarted);
    coop::report_progress(&tx, to_a, "已入户摸排 120 户，65 户同意", today())
        .await
        .expect("progress");
    assert_eq!(
        coop::close_resolution(&tx, to_a, "摸排表", today()).await,
        Err(DomainError::Forbidden)
    );
    let tasks = coop::resolutions(&tx, today()).await.expect("tasks");
    assert_eq!(tasks[0].status, ResolutionStatus::InProgress);
    assert_eq!(tasks[0].notes.len(), 1);
    assert!(tasks[0].notes[0].author.contains("secretary_a"));
    tx.commit().await.expect("commit");

    // B's staff neither see nor touch it.
    let tx = other.write(&t.db).await.expect("tx");
    assert!(coop::resolutions(&tx, today())
        .await
        .expect("none")
        .is_empty());
    assert_eq!(
        coop::report_progress(&tx, to_a, "x", today()).await,
        Err(DomainError::NotFound)
    );
    drop(tx);

    // The liaison sees only the school's resolution.
    let tx = liaison.write(&t.db).await.expect("tx");
    let own = coop::resolutions(&tx, today()).await.expect("own");
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].owner_name, "长春市第一中学");
    tx.commit().await.expect("commit");

    // The street closes A's on evidence: one of three done.
    let tx = street.write(&t.db).await.expect("tx");
    assert_eq!(
        coop::close_resolution(&tx, to_a, "  ", today()).await,
        Err(DomainError::invalid("evidence", "required"))
    );
    coop::close_resolution(&tx, to_a, "摸排台账已报街道，已形成加装计划", today())
        .await
        .expect("closed");
    assert_eq!(
        coop::close_resolution(&tx, to_a, "again", today()).await,
        Err(DomainError::invalid("resolution", "already_closed"))
    );
    let f = coop::followup(&tx, today()).await.expect("follow-up");
    assert_eq!((f.overall.done, f.overall.total), (1, 3));
    assert_eq!(f.overall.percent(), Some(33));
    assert_eq!(f.by_meeting.len(), 1);
    assert_eq!(f.by_community.len(), 1);
    assert_eq!(f.by_community[0].completion.percent(), Some(100));
    assert_eq!(f.by_unit[0].completion.percent(), Some(0));
    assert!(f.overdue.is_empty());
    let listed = coop::meetings(&tx).await.expect("meetings");
    assert_eq!(listed[0].resolutions.percent(), Some(33));
    assert_eq!((listed[0].invited, listed[0].signed_in), (3, 2));
    tx.commit().await.expect("commit");
    let closed = audit::recent(&t.db, "resolution_closed", 10)
        .await
        .expect("audit");
    assert_eq!(closed.len(), 1);
}

both_engines!(
    a_need_goes_through_a_street_meeting_to_a_closed_resolution,
    full_cycle
);

/// A community's own meeting: its paired units and grid branches; overdue and to-do.
async fn community_meeting(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.community_a.id;
    let (school, tax) = units(&t, &w).await;
    let own = w.scope_as(&t.db, "secretary_a", a).await;
    let tx = own.write(&t.db).await.expect("tx");
    let branch = create_placement(&tx, BranchKind::GridBranch, "第一网格党支部", None)
        .await
        .expect("branch");
    tx.commit().await.expect("commit");

    let community = w.coop_as(&t.db, "secretary_a", a).await;
    let tx = community.write(&t.db).await.expect("tx");
    let past = coop::save_meeting(&tx, None, &meeting_on("社区大党委联席会议", -30), today())
        .await
        .expect("plan");
    let choices = coop::invite_choices(&tx).await.expect("choices");
    assert_eq!(choices.units, vec![(school, "长春市第一中学".to_owned())]);
    assert_eq!(
        choices.branches,
        vec![(branch, "第一网格党支部".to_owned())]
    );
    assert!(choices.communities.is_empty());
    assert_eq!(
        coop::invite(&tx, past, "unit", &tax.to_string()).await,
        Err(DomainError::invalid("unit", "not_paired_here"))
    );
    coop::invite(&tx, past, "unit", &school.to_string())
        .await
        .expect("paired unit");
    coop::invite(&tx, past, "branch", &branch.to_string())
        .await
        .expect("branch");
    assert_eq!(
        coop::invite(&tx, past, "branch", &Uuid::now_v7().to_string()).await,
        Err(DomainError::invalid("branch", "not_found"))
    );
    assert_eq!(
        coop::invite(&tx, past, "community", &a.to_string()).await,
        Err(DomainError::invalid("community", "other_street"))
    );
    // Past its day without minutes: on the to-do list.
    let listed = coop::meetings(&tx).await.expect("meetings");
    assert!(listed[0].needs_minutes(today()));
    assert!(listed[0].convening);
    let overdue = coop::add_resolution(
        &tx,
        past,
        &resolution("楼道堆物清理", OwnerKind::Person, "第一网格 刘支书", -5),
        today(),
    )
    .await
    .expect("resolution");
    coop::add_resolution(
        &tx,
        past,
        &resolution("x", OwnerKind::Community, &w.community_b.id.to_string(), 5),
        today(),
    )
    .await
    .expect_err("a community meeting assigns only to its own community");
    let f = coop::followup(&tx, today()).await.expect("follow-up");
    assert_eq!(f.overdue.len(), 1);
    let todo = coop::todo(&tx, today()).await.expect("to-do");
    assert_eq!((todo.minutes_owed, todo.overdue), (1, 1));
    assert_eq!(f.overdue[0].id, overdue);
    assert_eq!(f.overdue[0].status, ResolutionStatus::Overdue);
    // Planned for later: nothing can be decided or signed in before the day.
    let later = coop::save_meeting(&tx, None, &meeting_on("下月例会", 7), today())
        .await
        .expect("plan");
    coop::invite(&tx, later, "person", "王五")
        .await
        .expect("invite");
    let person = coop::meeting(&tx, later, today())
        .await
        .expect("meeting")
        .invitees[0]
        .id;
    assert_eq!(
        coop::sign_in(&tx, later, person, "", Utc::now(), today()).await,
        Err(DomainError::invalid("sign_in", "before_meeting"))
    );
    assert_eq!(
        coop::record_minutes(&tx, later, "x", today()).await,
        Err(DomainError::invalid("minutes", "before_meeting"))
    );
    assert_eq!(
        coop::add_resolution(
            &tx,
            later,
            &resolution("x", OwnerKind::Person, "王五", 10),
            today()
        )
        .await,
        Err(DomainError::invalid("resolution", "before_meeting"))
    );
    tx.commit().await.expect("commit");

    // The street does not see a community's meeting; the invited liaison proposes items until
    // the day, not after.
    let street = w.coop_as(&t.db, "street", w.street.id).await;
    let tx = street.read(&t.db).await.expect("tx");
    assert!(coop::meetings(&tx).await.expect("meetings").is_empty());
    drop(tx);
    let liaison = w.coop_as(&t.db, "liaison", w.street.id).await;
    let tx = liaison.write(&t.db).await.expect("tx");
    assert_eq!(
        coop::propose_item(
            &tx,
            past,
            &AgendaInput {
                title: "迟到的议题".into(),
                ..Default::default()
            },
            today()
        )
        .await,
        Err(DomainError::invalid("agenda", "collection_closed"))
    );
    assert_eq!(
        coop::save_meeting(&tx, None, &meeting_on("x", 1), today()).await,
        Err(DomainError::Forbidden)
    );
    drop(tx);

    // A member of the community sees no meetings or resolutions.
    let member = w.coop_as(&t.db, "member_a", a).await;
    let tx = member.read(&t.db).await.expect("tx");
    assert_eq!(coop::meetings(&tx).await, Err(DomainError::Forbidden));
    assert_eq!(
        coop::resolutions(&tx, today()).await,
        Err(DomainError::Forbidden)
    );
}

both_engines!(
    a_community_meeting_invites_its_paired_units_and_branches,
    community_meeting
);

/// The workbook holds both sheets and reads back.
async fn export(t: TestDb) {
    let w = world(&t.db).await;
    let street = w.coop_as(&t.db, "street", w.street.id).await;
    let tx = street.write(&t.db).await.expect("tx");
    let meeting = coop::save_meeting(&tx, None, &meeting_on("年度联席会议", 0), today())
        .await
        .expect("plan");
    coop::add_resolution(
        &tx,
        meeting,
        &resolution("共建文明城区", OwnerKind::Person, "赵科长", 3),
        today(),
    )
    .await
    .expect("resolution");
    let meetings = coop::meetings(&tx).await.expect("meetings");
    let resolutions = coop::resolutions(&tx, today()).await.expect("resolutions");
    let bytes = coop::meetings_xlsx("站前街道", &meetings, &resolutions).expect("xlsx");
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("open");
    use calamine::Reader;
    assert_eq!(book.sheet_names(), vec!["联席会议", "议定事项"]);
    let rows = book.worksheet_range("议定事项").expect("sheet");
    let cells: Vec<String> = rows
        .rows()
        .nth(3)
        .expect("row")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(cells[2], "共建文明城区");
    assert_eq!(cells[6], "未开始");
}

both_engines!(meetings_and_resolutions_export_to_xlsx, export);

/// The to-do on a home page and the meetings page are kept in memory between requests, and
/// every write in the street's co-construction space is seen on the next read; a rolled-back
/// one changes nothing.
async fn kept_todo(t: TestDb) {
    let w = world(&t.db).await;
    let community = w.coop_as(&t.db, "secretary_a", w.community_a.id).await;
    let owed = async || {
        let listed: Vec<(String, bool)> = coop::meetings_of(&t.db, &community)
            .await
            .expect("meetings")
            .into_iter()
            .map(|m| (m.title, m.minutes_on.is_some()))
            .collect();
        let owed = coop::todo_of(&t.db, &community, today())
            .await
            .expect("to-do")
            .minutes_owed;
        // The list shows the meeting as soon as the to-do counts it, minutes and all.
        let listed_owing = listed.iter().filter(|(_, minutes)| !minutes).count();
        assert_eq!(listed_owing, owed, "{listed:?}");
        owed
    };
    assert_eq!(owed().await, 0);

    let tx = community.write(&t.db).await.expect("tx");
    coop::save_meeting(&tx, None, &meeting_on("联席会议", -3), today())
        .await
        .expect("plan");
    drop(tx); // rolled back
    assert_eq!(owed().await, 0, "nothing was written");

    let tx = community.write(&t.db).await.expect("tx");
    let past = coop::save_meeting(&tx, None, &meeting_on("联席会议", -3), today())
        .await
        .expect("plan");
    tx.commit().await.expect("commit");
    assert_eq!(owed().await, 1, "past its day without minutes");

    let tx = community.write(&t.db).await.expect("tx");
    coop::record_minutes(&tx, past, "议定三件事", today())
        .await
        .expect("minutes");
    tx.commit().await.expect("commit");
    assert_eq!(owed().await, 0, "minutes written");
    let listed = coop::meetings_of(&t.db, &community)
        .await
        .expect("meetings");
    assert_eq!(
        listed
            .iter()
            .map(|m| m.minutes_on.is_some())
            .collect::<Vec<_>>(),
        vec![true],
        "one meeting, its minutes shown"
    );
    // A member of the community sees no meetings page, kept or not.
    let member = w.coop_as(&t.db, "member_a", w.community_a.id).await;
    assert_eq!(
        coop::meetings_of(&t.db, &member).await.map(|_| ()),
        Err(domain::DomainError::Forbidden)
    );
    // Street staff convene other meetings: their to-do is their own.
    let street = w.coop_as(&t.db, "street", w.street.id).await;
    let of_street = coop::todo_of(&t.db, &street, today()).await.expect("to-do");
    assert_eq!(of_street.minutes_owed, 0);
}

both_engines!(the_kept_todo_and_meetings_follow_each_write, kept_todo);
