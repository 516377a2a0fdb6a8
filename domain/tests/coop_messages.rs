//! The messages the co-construction space and the community's decisions send, on both engines:
//! a meeting's invitation, reminder and minutes to the invited communities' staff and units'
//! liaisons; a resolution to its owner, three days before it is due and the morning after
//! (not once closed); a micro-wish claimed and delivered to its community's staff; a 双报到
//! report and a proposed change decided, to the member. Nobody else sees or opens them.
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use domain::auth::Role;
use domain::both_engines;
use domain::clock::from_china;
use domain::coop::{self, InviteeKind, MeetingInput, NeedInput, OwnerKind, ResolutionInput};
use domain::kinds::MessageKind;
use domain::members::{self, MemberInput, ProposalInput};
use domain::notices::{self, About, InboxItem};
use domain::reminders;
use domain::reporting::{self, PostInput};
use domain::tenancy::{Commit, TenantScope};
use domain::testing::{
    member_input, migration, nobody_else_opens, paired_school, today, world, TestDb, World,
};
use domain::Db;

async fn items(db: &Db, who: &TenantScope) -> Vec<InboxItem> {
    notices::inbox(db, who, 1).await.expect("inbox").items
}

async fn kinds(db: &Db, who: &TenantScope) -> Vec<MessageKind> {
    items(db, who).await.iter().map(|i| i.kind).collect()
}

fn meeting_on(title: &str, day: NaiveDate) -> MeetingInput {
    MeetingInput {
        title: title.into(),
        convener: "李书记".into(),
        held_on: day.to_string(),
        starts_at: "14:30".into(),
        venue: "街道党群服务中心三楼会议室".into(),
    }
}

/// `day` at `HH:MM`, China time.
fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    from_china(day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).expect("time")))
}

/// The people every message here is checked against: the street's staff (who act), A's
/// secretary, B's worker, the other street's community, the school's liaison (at the street),
/// and A's member.
struct People {
    street: coop::CoopScope,
    secretary_a: TenantScope,
    worker_b: TenantScope,
    secretary_c: TenantScope,
    liaison: TenantScope,
    member_a: TenantScope,
}

async fn people(db: &Db, w: &World) -> People {
    People {
        street: w.coop_as(db, "street", w.street.id).await,
        secretary_a: w.scope_as(db, "secretary_a", w.community_a.id).await,
        worker_b: w.scope_as(db, "worker_b", w.community_b.id).await,
        secretary_c: w.scope_as(db, "secretary_c", w.community_c.id).await,
        liaison: w.scope_as(db, "liaison", w.street.id).await,
        member_a: w.scope_as(db, "member_a", w.community_a.id).await,
    }
}

async fn a_meeting_reaches_the_invited(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    let school = paired_school(db, &w).await;
    let p = people(db, &w).await;
    let day = today() + Duration::days(3);

    let tx = p.street.write(db).await.expect("tx");
    let id = coop::save_meeting(&tx, None, &meeting_on("四季度联席会议", day), today())
        .await
        .expect("meeting");
    let invite = |kind: InviteeKind, who: String| {
        let tx = &tx;
        async move { coop::invite(tx, id, kind.as_str(), &who).await }
    };
    invite(InviteeKind::Community, w.community_a.id.to_string())
        .await
        .expect("A");
    invite(InviteeKind::Community, w.community_b.id.to_string())
        .await
        .expect("B");
    invite(InviteeKind::Unit, school.to_string())
        .await
        .expect("school");
    invite(InviteeKind::Person, "张建国".into())
        .await
        .expect("person");
    // Inviting again tells nobody twice.
    invite(InviteeKind::Community, w.community_a.id.to_string())
        .await
        .expect("again");
    tx.commit().await.expect("commit");

    for who in [&p.secretary_a, &p.worker_b, &p.liaison] {
        assert_eq!(kinds(db, who).await, [MessageKind::MeetingInvited]);
    }
    for who in [&p.secretary_c, &p.member_a] {
        assert!(kinds(db, who).await.is_empty());
    }
    let item = &items(db, &p.secretary_a).await[0];
    assert_eq!(item.title, "四季度联席会议");
    let street = db.node(w.street.id).await.expect("read").expect("street");
    assert_eq!(item.from, street.name);
    assert!(
        matches!(&item.about, About::Meeting { id: m, held_on, starts_at, .. }
            if *m == id && *held_on == day && starts_at == "14:30")
    );
    nobody_else_opens(db, &w, item.message_id, ("secretary_a", w.community_a.id)).await;
    let opened = notices::open(db, &p.secretary_a, item.message_id, Utc::now())
        .await
        .expect("opened");
    assert!(opened.item.read);
    let liaisons = items(db, &p.liaison).await[0].message_id;
    nobody_else_opens(db, &w, liaisons, ("liaison", w.street.id)).await;

    // B's invitation is taken back: what B was told goes.
    let tx = p.street.write(db).await.expect("tx");
    let meeting = coop::meeting(&tx, id, today()).await.expect("meeting");
    let b_name = db
        .node(w.community_b.id)
        .await
        .expect("read")
        .expect("B")
        .name;
    let b = meeting
        .invitees
        .iter()
        .find(|i| i.name == b_name)
        .expect("B invited");
    coop::uninvite(&tx, id, b.id).await.expect("uninvited");
    tx.commit().await.expect("commit");
    assert!(kinds(db, &p.worker_b).await.is_empty());

    // A day before (14:30 China time), A's staff and the liaison are reminded, once.
    let before = at(day - Duration::days(1), 14, 30);
    assert_eq!(
        reminders::run_due(db, before - Duration::minutes(1)).await,
        Ok(0)
    );
    assert_eq!(reminders::run_due(db, before).await, Ok(1));
    assert_eq!(reminders::run_due(db, before).await, Ok(0), "sent once");
    for who in [&p.secretary_a, &p.liaison] {
        assert_eq!(kinds(db, who).await[0], MessageKind::MeetingSoon);
    }
    assert!(kinds(db, &p.worker_b).await.is_empty(), "no longer invited");
    assert_eq!(notices::unread(db, &p.secretary_a).await, Ok(1));

    // Moved a day later: reminded again before the new day.
    let tx = p.street.write(db).await.expect("tx");
    let later = day + Duration::days(1);
    coop::save_meeting(&tx, Some(id), &meeting_on("四季度联席会议", later), today())
        .await
        .expect("moved");
    tx.commit().await.expect("commit");
    assert_eq!(reminders::run_due(db, at(day, 14, 30)).await, Ok(1));
    let item = &items(db, &p.secretary_a).await[0];
    assert!(matches!(&item.about, About::Meeting { held_on, .. } if *held_on == later));
    assert_eq!(
        kinds(db, &p.secretary_a).await,
        [MessageKind::MeetingSoon, MessageKind::MeetingInvited],
        "the new reminder replaces the old"
    );
}
both_engines!(a_meeting_reaches_the_invited, a_meeting_reaches_the_invited);

async fn minutes_are_told_once(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    let p = people(db, &w).await;
    // Held today: its reminder's time has passed, and is not sent.
    let tx = p.street.write(db).await.expect("tx");
    let id = coop::save_meeting(&tx, None, &meeting_on("专题协调会", today()), today())
        .await
        .expect("meeting");
    coop::invite(&tx, id, "community", &w.community_a.id.to_string())
        .await
        .expect("A");
    tx.commit().await.expect("commit");
    assert_eq!(
        reminders::run_due(db, Utc::now() + Duration::minutes(1)).await,
        Ok(0)
    );
    for text in ["议定三件事。", "议定三件事（更正）。"] {
        let tx = p.street.write(db).await.expect("tx");
        coop::record_minutes(&tx, id, text, today())
            .await
            .expect("minutes");
        tx.commit().await.expect("commit");
    }
    assert_eq!(
        kinds(db, &p.secretary_a).await,
        [MessageKind::MinutesPublished, MessageKind::MeetingInvited],
        "a correction is not news"
    );
}
both_engines!(minutes_are_told_once, minutes_are_told_once);

async fn a_resolution_is_assigned_reminded_and_chased(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    let school = paired_school(db, &w).await;
    let p = people(db, &w).await;
    let due = today() + Duration::days(10);
    let tx = p.street.write(db).await.expect("tx");
    let meeting = coop::save_meeting(&tx, None, &meeting_on("联席会议", today()), today())
        .await
        .expect("meeting");
    let give = |kind: OwnerKind, owner: String, content: &str| ResolutionInput {
        content: content.into(),
        owner_kind: kind.as_str().into(),
        owner,
        due_on: due.to_string(),
    };
    let to_a = coop::add_resolution(
        &tx,
        meeting,
        &give(
            OwnerKind::Community,
            w.community_a.id.to_string(),
            "整治背街小巷",
        ),
        today(),
    )
    .await
    .expect("to A");
    let to_school = coop::add_resolution(
        &tx,
        meeting,
        &give(OwnerKind::Unit, school.to_string(), "开放学校操场"),
        today(),
    )
    .await
    .expect("to the school");
    coop::add_resolution(
        &tx,
        meeting,
        &give(OwnerKind::Person, "张建国".into(), "联系物业"),
        today(),
    )
    .await
    .expect("to a person");
    tx.commit().await.expect("commit");

    assert_eq!(
        kinds(db, &p.secretary_a).await,
        [MessageKind::ResolutionAssigned]
    );
    assert_eq!(
        kinds(db, &p.liaison).await,
        [MessageKind::ResolutionAssigned]
    );
    assert!(kinds(db, &p.worker_b).await.is_empty());
    let item = &items(db, &p.secretary_a).await[0];
    assert_eq!(item.title, "整治背街小巷");
    assert_eq!(
        item.about,
        About::Resolution {
            due_on: due,
            done: false
        }
    );
    nobody_else_opens(db, &w, item.message_id, ("secretary_a", w.community_a.id)).await;

    // Three days before, at nine in the morning: both owners.
    let soon = at(due - Duration::days(3), 9, 0);
    assert_eq!(
        reminders::run_due(db, soon - Duration::minutes(1)).await,
        Ok(0)
    );
    assert_eq!(reminders::run_due(db, soon).await, Ok(2));
    assert_eq!(
        kinds(db, &p.liaison).await[0],
        MessageKind::ResolutionDueSoon
    );

    // The school's is closed; the morning after the due date only A is chased.
    let tx = p.street.write(db).await.expect("tx");
    coop::close_resolution(&tx, to_school, "操场已于周末开放", today())
        .await
        .expect("closed");
    tx.commit().await.expect("commit");
    assert_eq!(
        reminders::run_due(db, at(due + Duration::days(1), 9, 0)).await,
        Ok(1)
    );
    assert_eq!(
        kinds(db, &p.secretary_a).await[0],
        MessageKind::ResolutionOverdue
    );
    let latest = &items(db, &p.liaison).await[0];
    assert_eq!(latest.kind, MessageKind::ResolutionDueSoon);
    assert!(matches!(latest.about, About::Resolution { done: true, .. }));
    assert_ne!(to_a, to_school);
}
both_engines!(
    a_resolution_is_assigned_reminded_and_chased,
    a_resolution_is_assigned_reminded_and_chased
);

async fn a_wish_claimed_and_delivered_reaches_its_community(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    paired_school(db, &w).await;
    let p = people(db, &w).await;
    let community = w.coop_as(db, "secretary_a", w.community_a.id).await;
    let tx = community.write(db).await.expect("tx");
    let wish = NeedInput {
        title: "一台助行器".into(),
        category: "elderly".into(),
        urgency: "normal".into(),
        wish: true,
        requester_name: "王秀兰".into(),
        ..Default::default()
    };
    let need = coop::post_need(&tx, &wish, today()).await.expect("wish");
    tx.commit().await.expect("commit");

    let unit = w.coop_as(db, "liaison", w.street.id).await;
    let tx = unit.write(db).await.expect("tx");
    coop::claim(&tx, need, today()).await.expect("claimed");
    tx.commit().await.expect("commit");
    assert_eq!(kinds(db, &p.secretary_a).await, [MessageKind::NeedClaimed]);
    let tx = unit.write(db).await.expect("tx");
    coop::deliver(&tx, need, today()).await.expect("delivered");
    tx.commit().await.expect("commit");
    assert_eq!(
        kinds(db, &p.secretary_a).await,
        [MessageKind::NeedDelivered, MessageKind::NeedClaimed]
    );
    let item = &items(db, &p.secretary_a).await[0];
    assert_eq!(
        (item.title.as_str(), &item.about),
        ("一台助行器", &About::Need)
    );
    for who in [&p.worker_b, &p.secretary_c, &p.liaison, &p.member_a] {
        assert!(kinds(db, who).await.is_empty());
    }
    nobody_else_opens(db, &w, item.message_id, ("secretary_a", w.community_a.id)).await;
}
both_engines!(
    a_wish_claimed_and_delivered_reaches_its_community,
    a_wish_claimed_and_delivered_reaches_its_community
);

async fn a_member_hears_what_was_decided(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    let p = people(db, &w).await;
    let tx = p.secretary_a.write(db).await.expect("tx");
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
    let in_service = MemberInput {
        category: "在职".into(),
        employer: "长春市第一中学".into(),
        ..member_input("陈晓明")
    };
    let me = members::create(
        &tx,
        &in_service,
        Some(w.account("member_a").user_id),
        today(),
    )
    .await
    .expect("member");
    tx.commit().await.expect("commit");

    let report = async || {
        let tx = p.member_a.write(db).await.expect("tx");
        reporting::report(&tx, None, &[post.to_string()], today())
            .await
            .expect("reported");
        tx.commit().await.expect("commit");
    };
    let decide = async |confirm: bool, reason: &str| {
        let tx = p.secretary_a.write(db).await.expect("tx");
        reporting::decide(&tx, me, confirm, reason, today())
            .await
            .expect("decided");
        tx.commit().await.expect("commit");
    };
    report().await;
    decide(false, "请补充工作单位").await;
    let item = &items(db, &p.member_a).await[0];
    assert_eq!(item.kind, MessageKind::ReportReturned);
    assert_eq!(
        item.about,
        About::Report {
            reason: Some("请补充工作单位".into())
        }
    );
    nobody_else_opens(db, &w, item.message_id, ("member_a", w.community_a.id)).await;
    report().await;
    decide(true, "").await;
    assert_eq!(
        kinds(db, &p.member_a).await,
        [MessageKind::ReportConfirmed, MessageKind::ReportReturned]
    );

    // A proposed change of their details, returned with a reason, then approved.
    for (approve, reason) in [(false, "门牌号有误"), (true, "")] {
        let tx = p.member_a.write(db).await.expect("tx");
        let proposal = ProposalInput {
            building: "7号楼".into(),
            ..Default::default()
        };
        let id = members::propose(&tx, &proposal).await.expect("proposed");
        tx.commit().await.expect("commit");
        let tx = p.secretary_a.write(db).await.expect("tx");
        members::decide(&tx, id, approve, reason)
            .await
            .expect("decided");
        tx.commit().await.expect("commit");
    }
    let told = items(db, &p.member_a).await;
    assert_eq!(told[0].kind, MessageKind::ProposalApproved);
    assert_eq!(told[1].kind, MessageKind::ProposalReturned);
    assert_eq!(
        told[1].about,
        About::Proposal {
            reason: Some("门牌号有误".into())
        }
    );
    for who in [&p.secretary_a, &p.worker_b, &p.liaison] {
        assert!(kinds(db, who).await.is_empty());
    }
}
both_engines!(
    a_member_hears_what_was_decided,
    a_member_hears_what_was_decided
);

async fn an_invitation_turned_off_is_not_sent(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    let p = people(db, &w).await;
    let wanted: Vec<String> = notices::optional_kinds()
        .filter(|k| *k != MessageKind::MeetingInvited)
        .map(|k| k.as_str().to_owned())
        .collect();
    notices::set_wanted(db, w.account("secretary_a").user_id, &wanted)
        .await
        .expect("saved");
    let tx = p.street.write(db).await.expect("tx");
    let id = coop::save_meeting(&tx, None, &meeting_on("联席会议", today()), today())
        .await
        .expect("meeting");
    coop::invite(&tx, id, "community", &w.community_a.id.to_string())
        .await
        .expect("A");
    coop::record_minutes(&tx, id, "议定两件事。", today())
        .await
        .expect("minutes");
    tx.commit().await.expect("commit");
    assert_eq!(
        kinds(db, &p.secretary_a).await,
        [MessageKind::MinutesPublished]
    );
    // Each is offered the kinds that can reach them.
    let liaison = notices::kinds_for(Role::UnitLiaison);
    assert!(liaison.contains(&MessageKind::ResolutionOverdue));
    assert!(!liaison.contains(&MessageKind::ActivitySoon));
    let member = notices::kinds_for(Role::Member);
    assert!(member.contains(&MessageKind::ReportReturned));
    assert!(!member.contains(&MessageKind::MeetingInvited));
    assert_eq!(
        notices::kinds_for(Role::CommunitySecretary).len(),
        notices::optional_kinds().count()
    );
    assert!(notices::kinds_for(Role::StreetStaff).is_empty());
}
both_engines!(
    an_invitation_turned_off_is_not_sent,
    an_invitation_turned_off_is_not_sent
);

/// The migration that queues what was planned before.
const QUEUED_ON_UPGRADE: &str = "m20261204_000031_coop_reminders";

async fn what_was_planned_before_is_queued_on_upgrade(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    let p = people(db, &w).await;
    let day = today() + Duration::days(3);
    let due = today() + Duration::days(10);
    let tx = p.street.write(db).await.expect("tx");
    let coming = coop::save_meeting(&tx, None, &meeting_on("联席会议", day), today())
        .await
        .expect("meeting");
    let held = coop::save_meeting(&tx, None, &meeting_on("专题会", today()), today())
        .await
        .expect("meeting");
    for id in [coming, held] {
        coop::invite(&tx, id, "community", &w.community_a.id.to_string())
            .await
            .expect("A");
    }
    let give = |content: &str| ResolutionInput {
        content: content.into(),
        owner_kind: OwnerKind::Community.as_str().into(),
        owner: w.community_a.id.to_string(),
        due_on: due.to_string(),
    };
    coop::add_resolution(&tx, held, &give("整治背街小巷"), today())
        .await
        .expect("open");
    let closed = coop::add_resolution(&tx, held, &give("清理楼道杂物"), today())
        .await
        .expect("closed");
    coop::close_resolution(&tx, closed, "已清理", today())
        .await
        .expect("closed");
    tx.commit().await.expect("commit");

    // As if planned before the queue existed: the migration's down removes what was queued
    // (nothing is due even after it all), its up queues what is still to come.
    let reminded = at(day - Duration::days(1), 14, 30);
    let soon = at(due - Duration::days(3), 9, 0);
    let late = at(due + Duration::days(1), 9, 0);
    migration(&t, QUEUED_ON_UPGRADE, false).await;
    assert_eq!(reminders::run_due(db, late).await, Ok(0));
    migration(&t, QUEUED_ON_UPGRADE, true).await;
    assert_eq!(
        reminders::run_due(db, soon.min(reminded) - Duration::minutes(1)).await,
        Ok(0)
    );
    assert_eq!(
        reminders::run_due(db, reminded).await,
        Ok(1),
        "the meeting to come"
    );
    assert_eq!(
        reminders::run_due(db, soon).await,
        Ok(1),
        "the open resolution"
    );
    assert_eq!(
        reminders::run_due(db, late).await,
        Ok(1),
        "and the morning after"
    );
    let told = kinds(db, &p.secretary_a).await;
    assert_eq!(
        told[..3],
        [
            MessageKind::ResolutionOverdue,
            MessageKind::ResolutionDueSoon,
            MessageKind::MeetingSoon
        ]
    );
}
both_engines!(
    what_was_planned_before_is_queued_on_upgrade,
    what_was_planned_before_is_queued_on_upgrade
);
