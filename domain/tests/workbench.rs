//! 工作台 on both engines: each role's home counts what waits for them where it is kept — a
//! community's staff their roster, activities, needs and resolutions; a member their seats,
//! waitlist places and notices to confirm; a street its escalated needs, overdue resolutions
//! and unread notices per community; a unit's liaison its claims, projects and resolutions —
//! and the counts move with the work (checked again twenty days on). Nobody gets another
//! node's or another role's workbench.
use chrono::{DateTime, Duration, Utc};
use domain::activities::{self, ActivityInput};
use domain::auth::Principal;
use domain::both_engines;
use domain::clock::CHINA;
use domain::coop::{
    self, MeetingInput, NeedInput, OwnerKind, ProjectInput, ResolutionInput, ResourceInput,
};
use domain::members;
use domain::notices::{self, NoticeAudience, NoticeInput};
use domain::tenancy::{Commit, TenantScope};
use domain::testing::{
    activity_tomorrow, local_field, member_a_scope, member_input, member_with_login, paired_school,
    today, world, TestDb, World,
};
use domain::workbench::{self, Waiting, Work};
use domain::{Db, DomainError};

fn count(items: &[Waiting], work: Work) -> Option<u64> {
    items.iter().find(|w| w.work == work).map(|w| w.count)
}

async fn save_activity(db: &Db, staff: &TenantScope, input: &ActivityInput) -> uuid::Uuid {
    let tx = staff.write(db).await.expect("tx");
    let id = activities::save_activity(&tx, None, input, Utc::now())
        .await
        .expect("saved");
    tx.commit().await.expect("commit");
    id
}

async fn sign_up(db: &Db, who: &TenantScope, id: uuid::Uuid) {
    let tx = who.write(db).await.expect("tx");
    activities::sign_up(&tx, id, Utc::now())
        .await
        .expect("signed up");
    tx.commit().await.expect("commit");
}

/// An activity starting in a few minutes (one seat), a member out of contact, a need, a
/// street meeting with a resolution for A due in three days, and a notice to confirm.
async fn work_for_a(
    db: &Db,
    w: &World,
    school: uuid::Uuid,
    now: DateTime<Utc>,
) -> (TenantScope, TenantScope) {
    let a = w.community_a.id;
    let secretary = w.scope_as(db, "secretary_a", a).await;
    let chen = member_a_scope(db, w).await;
    let (wang, _) = member_with_login(db, w, "secretary_a", a, "王秀兰", "wang_w").await;
    let starts = now + Duration::minutes(5);
    let soon = ActivityInput {
        starts_at: local_field(starts),
        ends_at: local_field(starts + Duration::hours(2)),
        signup_closes_at: local_field(starts),
        ..activity_tomorrow("社区环境整治", "1")
    };
    let id = save_activity(db, &secretary, &soon).await;
    sign_up(db, &chen, id).await;
    sign_up(db, &wang, id).await;

    let tx = secretary.write(db).await.expect("tx");
    let gone = members::MemberInput {
        status: "lost_contact".into(),
        ..member_input("赵桂芳")
    };
    members::create(&tx, &gone, None, today())
        .await
        .expect("member");
    tx.commit().await.expect("commit");

    let street = w.coop_as(db, "street", w.street.id).await;
    let tx = street.write(db).await.expect("tx");
    let hall = ResourceInput {
        kind: "venue".into(),
        name: "学校礼堂".into(),
        quantity: "1".into(),
        availability: "周末".into(),
        active: true,
    };
    let hall = coop::save_resource(&tx, school, None, &hall, today())
        .await
        .expect("resource");
    tx.commit().await.expect("commit");

    let coop_a = w.coop_as(db, "secretary_a", a).await;
    let tx = coop_a.write(db).await.expect("tx");
    let need = NeedInput {
        title: "楼道灯维修".into(),
        category: "environment".into(),
        urgency: "normal".into(),
        ..Default::default()
    };
    let need_input = |title: &str| NeedInput {
        title: title.into(),
        ..need.clone()
    };
    let escalated = coop::post_need(&tx, &need, today()).await.expect("need");
    coop::escalate(&tx, escalated, today())
        .await
        .expect("escalated");
    coop::post_need(&tx, &need_input("健身器材更新"), today())
        .await
        .expect("need");
    let served = coop::post_need(&tx, &need_input("暑期托管"), today())
        .await
        .expect("need");
    // The paired school takes one up in a project: no longer waiting for anyone.
    let project = ProjectInput {
        need: served.to_string(),
        title: "暑期托管班".into(),
        owner_unit: school.to_string(),
        lead_person: "校长".into(),
        deadline: (today() + Duration::days(60)).to_string(),
        resources: vec![hall.to_string()],
    };
    coop::create_project(&tx, &project, today())
        .await
        .expect("project");
    tx.commit().await.expect("commit");

    let tx = street.write(db).await.expect("tx");
    let meeting = MeetingInput {
        title: "联席会议".into(),
        convener: "李书记".into(),
        held_on: today().to_string(),
        starts_at: "09:00".into(),
        venue: "街道党群服务中心".into(),
    };
    let meeting = coop::save_meeting(&tx, None, &meeting, today())
        .await
        .expect("meeting");
    let resolution = ResolutionInput {
        content: "整治背街小巷".into(),
        owner_kind: OwnerKind::Community.as_str().into(),
        owner: a.to_string(),
        due_on: (today() + Duration::days(3)).to_string(),
    };
    coop::add_resolution(&tx, meeting, &resolution, today())
        .await
        .expect("resolution");
    tx.commit().await.expect("commit");

    let notice = NoticeInput {
        title: "关于开展主题党日的通知".into(),
        body: "请按时参加。".into(),
        audience: NoticeAudience::Members.as_str().into(),
        confirm_by: (today() + Duration::days(2)).to_string(),
        ..Default::default()
    };
    notices::publish(db, &secretary, &notice, now)
        .await
        .expect("notice");
    (chen, wang)
}

async fn each_role_sees_what_waits(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    let school = paired_school(db, &w).await;
    let (a, street) = (w.community_a.id, w.street.id);
    let now = Utc::now();
    let (chen, wang) = work_for_a(db, &w, school, now).await;
    let china_day = |t: DateTime<Utc>| t.with_timezone(&CHINA).date_naive();
    let starts_today = u64::from(china_day(now + Duration::minutes(5)) == china_day(now));

    let secretary = w.principal(db, "secretary_a").await;
    let mine = workbench::community_staff(db, &secretary, a, now)
        .await
        .expect("workbench");
    assert_eq!(count(&mine, Work::LostContact), Some(1));
    assert_eq!(count(&mine, Work::ReportsToConfirm), Some(0));
    assert_eq!(count(&mine, Work::ProposalsToReview), Some(0));
    assert_eq!(count(&mine, Work::ActivitiesToday), Some(starts_today));
    assert_eq!(count(&mine, Work::NeedsUnclaimed), Some(0), "posted today");
    assert_eq!(count(&mine, Work::ResolutionsDueSoon), Some(1));
    assert_eq!(count(&mine, Work::ResolutionsOverdue), Some(0));
    assert_eq!(
        count(&mine, Work::Unread),
        Some(1),
        "the resolution assigned to A, not their own notice"
    );
    // Twenty days on: the need is past the community's limit, the resolution past due.
    let later = now + Duration::days(20);
    let then = workbench::community_staff(db, &secretary, a, later)
        .await
        .expect("workbench");
    assert_eq!(
        count(&then, Work::NeedsUnclaimed),
        Some(1),
        "not the escalated one, not the one in a project"
    );
    assert_eq!(count(&then, Work::ResolutionsDueSoon), Some(0));
    assert_eq!(count(&then, Work::ResolutionsOverdue), Some(1));
    assert_eq!(count(&then, Work::ActivitiesToday), Some(0));
    // Kept between visits, but not past a change: another member lost, another need posted.
    let tx = w.write_as(db, "secretary_a", a).await;
    let gone = members::MemberInput {
        status: "lost_contact".into(),
        ..member_input("钱桂英")
    };
    members::create(&tx, &gone, None, today())
        .await
        .expect("member");
    tx.commit().await.expect("commit");
    let coop_a = w.coop_as(db, "secretary_a", a).await;
    let tx = coop_a.write(db).await.expect("tx");
    let need = NeedInput {
        title: "小区路灯".into(),
        category: "security".into(),
        urgency: "normal".into(),
        ..Default::default()
    };
    coop::post_need(&tx, &need, today()).await.expect("need");
    tx.commit().await.expect("commit");
    let moved = workbench::community_staff(db, &secretary, a, later)
        .await
        .expect("workbench");
    assert_eq!(count(&moved, Work::LostContact), Some(2));
    assert_eq!(count(&moved, Work::NeedsUnclaimed), Some(2));
    assert_eq!(count(&moved, Work::NoticesToConfirm), Some(0));
    // The street asks its communities' staff to confirm a notice: on A's secretary's
    // workbench at once, though their counts were kept.
    let street_scope = w.scope_as(db, "street", w.street.id).await;
    let to_staff = NoticeInput {
        title: "关于报送年度共建项目清单的通知".into(),
        body: "请于本周内报送。".into(),
        audience: NoticeAudience::CommunityStaff.as_str().into(),
        confirm_by: (today() + Duration::days(5)).to_string(),
        ..Default::default()
    };
    notices::publish(db, &street_scope, &to_staff, now)
        .await
        .expect("street notice");
    let asked = workbench::community_staff(db, &secretary, a, later)
        .await
        .expect("workbench");
    assert_eq!(count(&asked, Work::NoticesToConfirm), Some(1));

    let chen_bench = workbench::member(db, &w.principal(db, "member_a").await, a, now)
        .await
        .expect("member");
    assert_eq!(count(&chen_bench, Work::MyActivities), Some(1));
    assert_eq!(count(&chen_bench, Work::MyWaitlist), Some(0));
    assert_eq!(count(&chen_bench, Work::NoticesToConfirm), Some(1));
    assert_eq!(count(&chen_bench, Work::Unread), Some(1));
    let wang_principal = Principal::load(db, wang.actor_user_id())
        .await
        .expect("load")
        .expect("active");
    let wang_bench = workbench::member(db, &wang_principal, a, now)
        .await
        .expect("member");
    assert_eq!(count(&wang_bench, Work::MyWaitlist), Some(1));
    assert_eq!(count(&wang_bench, Work::MyActivities), Some(0));
    // Confirmed: no longer waiting.
    let inbox = notices::inbox(db, &chen, 1).await.expect("inbox");
    notices::confirm(db, &chen, inbox.items[0].message_id, now)
        .await
        .expect("confirmed");
    let chen_bench = workbench::member(db, &w.principal(db, "member_a").await, a, now)
        .await
        .expect("member");
    assert_eq!(count(&chen_bench, Work::NoticesToConfirm), Some(0));
    assert_eq!(count(&chen_bench, Work::Unread), Some(0));
    assert_eq!(count(&chen_bench, Work::WishesToDeliver), Some(0));
    // A wish they claim is theirs to deliver at once, though their counts were kept.
    let tx = coop_a.write(db).await.expect("tx");
    let wish = NeedInput {
        title: "一台助行器".into(),
        category: "elderly".into(),
        urgency: "normal".into(),
        wish: true,
        requester_name: "王秀兰".into(),
        ..Default::default()
    };
    let wish = coop::post_need(&tx, &wish, today()).await.expect("wish");
    tx.commit().await.expect("commit");
    let chen_coop = w.coop_as(db, "member_a", a).await;
    let tx = chen_coop.write(db).await.expect("tx");
    coop::claim(&tx, wish, today()).await.expect("claimed");
    tx.commit().await.expect("commit");
    let chen_bench = workbench::member(db, &w.principal(db, "member_a").await, a, now)
        .await
        .expect("member");
    assert_eq!(count(&chen_bench, Work::WishesToDeliver), Some(1));

    // The street: the escalated need and, later, the overdue resolution, per community by
    // name; the minutes it owes for the meeting it held.
    let street_staff = w.principal(db, "street").await;
    let theirs = workbench::street_staff(db, &street_staff, street, later)
        .await
        .expect("street");
    let a_name = db.node(a).await.expect("read").expect("A").name;
    let line = |work: Work| {
        theirs
            .iter()
            .find(|x| x.work == work)
            .expect("line")
            .clone()
    };
    let escalated = line(Work::NeedsEscalated);
    assert_eq!(escalated.count, 1);
    assert_eq!(escalated.by_community, vec![(a_name.clone(), 1)]);
    let overdue = line(Work::ResolutionsOverdue);
    assert_eq!(overdue.by_community, vec![(a_name.clone(), 1)]);
    assert_eq!(overdue.count, 1);
    assert_eq!(line(Work::MinutesOwed).count, 1);
    // Its notice to the communities' staff, read by nobody yet: A's secretary, B's worker.
    let b_name = db
        .node(w.community_b.id)
        .await
        .expect("read")
        .expect("B")
        .name;
    let mut unread_by = vec![(a_name.clone(), 1), (b_name, 1)];
    unread_by.sort();
    let mut shown = line(Work::NoticesUnread).by_community;
    shown.sort();
    assert_eq!(shown, unread_by);

    // The school's liaison: its project under way; nothing claimed, no resolution of theirs.
    let liaison = w.principal(db, "liaison").await;
    let unit = workbench::liaison(db, &liaison, street, now)
        .await
        .expect("liaison");
    assert_eq!(count(&unit, Work::UnitProjects), Some(1));
    assert_eq!(count(&unit, Work::WishesToDeliver), Some(0));
    assert_eq!(count(&unit, Work::UnitResolutions), Some(0));
}
both_engines!(each_role_sees_what_waits, each_role_sees_what_waits);

/// Another node's workbench, or another role's, is refused to everyone.
async fn nobody_gets_anothers_workbench(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    paired_school(db, &w).await;
    member_a_scope(db, &w).await;
    let (a, street) = (w.community_a.id, w.street.id);
    let now = Utc::now();
    let refused = |r: Result<Vec<Waiting>, DomainError>| {
        matches!(r, Err(DomainError::Forbidden | DomainError::NotFound))
    };
    for login in [
        "operator",
        "district",
        "street",
        "other_street",
        "worker_b",
        "secretary_c",
        "liaison",
        "member_a",
    ] {
        let p = w.principal(db, login).await;
        let community = workbench::community_staff(db, &p, a, now).await;
        assert!(refused(community), "{login}: A's staff workbench");
        if login != "member_a" {
            let member = workbench::member(db, &p, a, now).await;
            assert!(refused(member), "{login}: a member's workbench at A");
        }
    }
    for login in [
        "secretary_a",
        "member_a",
        "other_street",
        "district",
        "liaison",
    ] {
        let p = w.principal(db, login).await;
        let r = workbench::street_staff(db, &p, street, now).await;
        assert!(refused(r), "{login}: the street's workbench");
    }
    for login in ["secretary_a", "member_a", "street", "other_street"] {
        let p = w.principal(db, login).await;
        let r = workbench::liaison(db, &p, street, now).await;
        assert!(refused(r), "{login}: a liaison's workbench");
    }
    let secretary = w.principal(db, "secretary_a").await;
    let r = workbench::member(db, &secretary, a, now).await;
    assert!(refused(r), "staff have no member's workbench");
    let r = workbench::community_staff(db, &secretary, w.community_b.id, now).await;
    assert!(refused(r), "B's");
}
both_engines!(
    nobody_gets_anothers_workbench,
    nobody_gets_anothers_workbench
);
