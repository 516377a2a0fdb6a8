//! 联席会议 and 议定事项 over HTTP on both engines: every endpoint, page and the export as every
//! role against other tenants' ids (nothing read, nothing written), then the street's meeting
//! from plan to a closed resolution, with refusals shown as localised errors.
mod support;

use chrono::Duration;
use domain::both_engines;
use domain::coop::{self, Meeting, MeetingInput, OwnerKind, ResolutionInput};
use domain::testing::{paired_school, today};
use support::*;
use uuid::Uuid;

struct Fixture {
    /// The street's meeting (today): the school and A invited, one agenda item, one
    /// resolution assigned to A.
    street_meeting: Uuid,
    invitee: Uuid,
    item: Uuid,
    resolution: Uuid,
    /// A's own meeting (today) with a person invited and a person-owned resolution.
    community_meeting: Uuid,
    community_resolution: Uuid,
}

fn plan(title: &str) -> MeetingInput {
    MeetingInput {
        title: title.into(),
        convener: "李书记".into(),
        held_on: today().to_string(),
        starts_at: "09:30".into(),
        venue: "党群服务中心".into(),
    }
}

async fn fixture(t: &TestDb, w: &World) -> Fixture {
    let a = w.community_a.id;
    let school = paired_school(&t.db, w).await;
    let scope = w.coop_as(&t.db, "street", w.street.id).await;
    let tx = scope.write(&t.db).await.expect("tx");
    let street_meeting = coop::save_meeting(&tx, None, &plan("街道秘密联席会议"), today())
        .await
        .expect("meeting");
    coop::invite(&tx, street_meeting, "unit", &school.to_string())
        .await
        .expect("invite");
    coop::invite(&tx, street_meeting, "community", &a.to_string())
        .await
        .expect("invite");
    let item = coop::propose_item(
        &tx,
        street_meeting,
        &coop::AgendaInput {
            title: "街道秘密议题".into(),
            ..Default::default()
        },
        today(),
    )
    .await
    .expect("item");
    let resolution = coop::add_resolution(
        &tx,
        street_meeting,
        &ResolutionInput {
            content: "街道秘密事项".into(),
            owner_kind: OwnerKind::Community.as_str().into(),
            owner: a.to_string(),
            due_on: (today() + Duration::days(7)).to_string(),
        },
        today(),
    )
    .await
    .expect("resolution");
    let invitee = coop::meeting(&tx, street_meeting, today())
        .await
        .expect("meeting")
        .invitees[0]
        .id;
    tx.commit().await.expect("commit");

    let scope = w.coop_as(&t.db, "secretary_a", a).await;
    let tx = scope.write(&t.db).await.expect("tx");
    let community_meeting = coop::save_meeting(&tx, None, &plan("社区秘密联席会议"), today())
        .await
        .expect("meeting");
    coop::invite(&tx, community_meeting, "person", "王五")
        .await
        .expect("invite");
    let community_resolution = coop::add_resolution(
        &tx,
        community_meeting,
        &ResolutionInput {
            content: "社区秘密事项".into(),
            owner_kind: OwnerKind::Person.as_str().into(),
            owner: "王五".into(),
            due_on: (today() + Duration::days(7)).to_string(),
        },
        today(),
    )
    .await
    .expect("resolution");
    tx.commit().await.expect("commit");
    Fixture {
        street_meeting,
        invitee,
        item,
        resolution,
        community_meeting,
        community_resolution,
    }
}

/// Both meetings as their conveners see them, and how many meetings each convener has.
async fn state(t: &TestDb, w: &World, f: &Fixture) -> (Meeting, Meeting, usize, usize) {
    let scope = w.coop_as(&t.db, "street", w.street.id).await;
    let tx = scope.read(&t.db).await.expect("tx");
    let sm = coop::meeting(&tx, f.street_meeting, today())
        .await
        .expect("meeting");
    let street_count = coop::meetings(&tx).await.expect("meetings").len();
    tx.commit().await.expect("commit");
    let scope = w.coop_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = scope.read(&t.db).await.expect("tx");
    let cm = coop::meeting(&tx, f.community_meeting, today())
        .await
        .expect("meeting");
    let community_count = coop::meetings(&tx).await.expect("meetings").len();
    tx.commit().await.expect("commit");
    (sm, cm, street_count, community_count)
}

/// Every write endpoint, posted from `node` against the fixture's ids.
fn writes(node: Uuid, f: &Fixture) -> Vec<(&'static str, String)> {
    let day = today();
    let mut all = Vec::new();
    for meeting in [f.street_meeting, f.community_meeting] {
        all.extend([
            (
                "/api/meetings/save",
                format!("node={node}&meeting={meeting}&title=x&convener=y&held_on={day}&starts_at=10:00&venue=z"),
            ),
            (
                "/api/meetings/invite",
                format!("node={node}&meeting={meeting}&kind=person&who=x"),
            ),
            (
                "/api/meetings/uninvite",
                format!("node={node}&meeting={meeting}&invitee={}", f.invitee),
            ),
            (
                "/api/meetings/agenda",
                format!("node={node}&meeting={meeting}&title=x&detail=&need=&resource=&project="),
            ),
            (
                "/api/meetings/agenda_remove",
                format!("node={node}&meeting={meeting}&item={}", f.item),
            ),
            (
                "/api/meetings/sign_in",
                format!("node={node}&meeting={meeting}&invitee={}&attendee=x&action=in", f.invitee),
            ),
            (
                "/api/meetings/minutes",
                format!("node={node}&meeting={meeting}&minutes=x"),
            ),
            (
                "/api/resolutions/add",
                format!("node={node}&meeting={meeting}&content=x&owner=person&person=y&due_on={day}"),
            ),
        ]);
    }
    for resolution in [f.resolution, f.community_resolution] {
        for action in ["progress", "close"] {
            all.push((
                "/api/resolutions/act",
                format!("node={node}&resolution={resolution}&action={action}&text=x&back="),
            ));
        }
    }
    all.push((
        "/api/meetings/save",
        format!("node={node}&meeting=&title=x&convener=y&held_on={day}&starts_at=10:00&venue=z"),
    ));
    all
}

fn pages(node: Uuid, f: &Fixture) -> Vec<String> {
    let mut all = vec![
        format!("/org/{node}/meetings"),
        format!("/org/{node}/resolutions"),
        format!("/org/{node}/meetings.xlsx"),
    ];
    for m in [f.street_meeting, f.community_meeting] {
        all.push(format!("/org/{node}/meetings/{m}"));
        all.push(format!("/org/{node}/meetings/{m}/minutes"));
        all.push(format!("/org/{node}/meetings/{m}/sign-in-sheet"));
    }
    all
}

async fn meetings_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let f = fixture(&t, &w).await;
    let (a, s) = (w.community_a.id, w.street.id);
    let before = state(&t, &w, &f).await;

    // With the street's or A's node: everyone without a role there is refused outright.
    for (login_name, nodes) in [
        ("operator", vec![a, s]),
        ("district", vec![a, s]),
        ("other_street", vec![a, s]),
        ("worker_b", vec![a, s]),
        ("secretary_c", vec![a, s]),
        ("member_a", vec![a, s]),
        ("liaison", vec![a]),
        ("street", vec![a]),
        ("secretary_a", vec![s]),
    ] {
        let cookie = login(&router, login_name, None).await;
        for node in nodes {
            for (path, body) in writes(node, &f) {
                let reply = submit(&router, path, body, &cookie).await;
                assert_eq!(
                    reply.status,
                    StatusCode::FORBIDDEN,
                    "{login_name} {path} at {node}"
                );
            }
            for path in pages(node, &f) {
                let reply = visit(&router, &path, &cookie).await;
                assert_eq!(
                    reply.status,
                    StatusCode::FORBIDDEN,
                    "{login_name} reads {path}"
                );
            }
        }
    }
    // With their own node and these ids: nothing found, nothing written, nothing shown.
    let others = [
        ("worker_b", w.community_b.id),
        ("secretary_c", w.community_c.id),
        ("other_street", w.other_street.id),
    ];
    for (login_name, own) in others {
        let cookie = login(&router, login_name, None).await;
        for (path, body) in writes(own, &f) {
            if body.contains("meeting=&") {
                continue; // planning their own meeting is theirs to do
            }
            let reply = submit(&router, path, body.clone(), &cookie).await;
            assert!(
                refused(&reply),
                "{login_name} {path} {body}: {}",
                reply.status
            );
        }
        for path in pages(own, &f) {
            let reply = visit(&router, &path, &cookie).await;
            let leaked = ["秘密", "王五"].iter().any(|s| reply.body.contains(s));
            assert!(!leaked, "{login_name} sees {path}");
            if path.contains(&f.street_meeting.to_string())
                || path.contains(&f.community_meeting.to_string())
            {
                assert_eq!(reply.status, StatusCode::NOT_FOUND, "{login_name} {path}");
            }
        }
    }
    // The liaison is invited to the street's meeting only: A's meeting and resolutions are not
    // theirs, and they neither convene nor close.
    let liaison = login(&router, "liaison", None).await;
    for (path, body) in writes(s, &f) {
        let about_a = body.contains(&f.community_meeting.to_string())
            || body.contains(&f.community_resolution.to_string());
        let convener_only = [
            "save",
            "invite",
            "uninvite",
            "agenda_remove",
            "minutes",
            "add",
            "act",
        ]
        .iter()
        .any(|p| path.ends_with(p));
        if about_a || convener_only {
            let reply = submit(&router, path, body.clone(), &liaison).await;
            assert!(refused(&reply), "liaison {path} {body}: {}", reply.status);
        }
    }
    let page = visit(
        &router,
        &format!("/org/{s}/meetings/{}", f.community_meeting),
        &liaison,
    )
    .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(state(&t, &w, &f).await, before, "nothing written");

    // A's member sees no meetings page.
    let member = login(&router, "member_a", None).await;
    let page = visit(&router, &format!("/org/{a}/meetings"), &member).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

both_engines!(meetings_as_every_role, meetings_as_every_role);

/// The street plans, invites, decides and closes over HTTP; refusals come back as messages.
async fn street_meeting_over_http(t: TestDb) {
    let (router, w) = setup(&t).await;
    let (a, s) = (w.community_a.id, w.street.id);
    let street = login(&router, "street", None).await;
    let day = today();
    let reply = submit(
        &router,
        "/api/meetings/save",
        format!(
            "node={s}&meeting=&title={}&convener={}&held_on={day}&starts_at=14:30&venue={}",
            enc("<script>alert(1)</script>季度联席会议"),
            enc("李书记"),
            enc("三楼会议室")
        ),
        &street,
    )
    .await;
    let location = reply.location.expect("redirect");
    assert!(location.contains("saved=1"), "{location}");
    let meeting: Uuid = location
        .trim_start_matches(&format!("/org/{s}/meetings/"))
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("meeting id");
    let page = visit(&router, &format!("/org/{s}/meetings/{meeting}"), &street).await;
    assert!(page
        .body
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;季度联席会议"));
    assert!(!page.body.contains("<script>alert(1)"));

    let post = |path: &'static str, body: String| {
        let router = router.clone();
        let cookie = street.clone();
        async move { submit(&router, path, body, &cookie).await }
    };
    let reply = post(
        "/api/meetings/invite",
        format!("node={s}&meeting={meeting}&kind=community&who={a}"),
    )
    .await;
    assert!(reply.location.expect("to").contains("saved=1"));
    let reply = post(
        "/api/meetings/invite",
        format!(
            "node={s}&meeting={meeting}&kind=community&who={}",
            w.community_c.id
        ),
    )
    .await;
    assert!(!reply.location.expect("back").contains("saved=1"));
    let page = visit(&router, &format!("/org/{s}/meetings/{meeting}"), &street).await;
    assert!(
        page.body.contains("社区不属于本街道"),
        "the refusal is shown"
    );

    // A resolution due before the meeting, and one without an owner, are refused.
    let yesterday = day - Duration::days(1);
    let content = enc("摸排加装电梯意愿");
    for (body, message) in [
        (
            format!("node={s}&meeting={meeting}&content={content}&owner=community:{a}&person=&due_on={yesterday}"),
            "完成时限不能早于会议日期",
        ),
        (
            format!("node={s}&meeting={meeting}&content={content}&owner=&person=&due_on={day}"),
            "责任方不能为空",
        ),
        (
            format!("node={s}&meeting={meeting}&content={content}&owner=person&person=&due_on={day}"),
            "责任方不能为空",
        ),
    ] {
        let reply = post("/api/resolutions/add", body).await;
        assert!(!reply.location.expect("back").contains("saved=1"));
        let page = visit(&router, &format!("/org/{s}/meetings/{meeting}"), &street).await;
        assert!(page.body.contains(message), "{message}");
    }
    let reply = post(
        "/api/resolutions/add",
        format!(
            "node={s}&meeting={meeting}&content={content}&owner=community:{a}&person=&due_on={day}"
        ),
    )
    .await;
    assert!(reply.location.expect("to").contains("saved=1"));

    // A's secretary finds it in the task list and reports progress; the street closes it.
    let secretary = login(&router, "secretary_a", None).await;
    let page = visit(&router, &format!("/org/{a}/resolutions"), &secretary).await;
    assert!(page.body.contains("摸排加装电梯意愿"));
    let resolution = {
        let scope = w
            .principal(&t.db, "secretary_a")
            .await
            .coop_scope(&t.db, a)
            .await
            .expect("scope");
        let tx = scope.read(&t.db).await.expect("tx");
        let id = coop::resolutions(&tx, day).await.expect("tasks")[0].id;
        tx.commit().await.expect("commit");
        id
    };
    let reply = submit(
        &router,
        "/api/resolutions/act",
        format!(
            "node={a}&resolution={resolution}&action=progress&text={}&back=",
            enc("已入户摸排")
        ),
        &secretary,
    )
    .await;
    assert!(reply.location.expect("to").contains("saved=1"));
    let reply = post(
        "/api/resolutions/act",
        format!("node={s}&resolution={resolution}&action=close&text=&back={meeting}"),
    )
    .await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{s}/meetings/{meeting}#r-{resolution}"))
    );
    let page = visit(&router, &format!("/org/{s}/meetings/{meeting}"), &street).await;
    assert!(page.body.contains("办结依据不能为空"));
    let reply = post(
        "/api/resolutions/act",
        format!(
            "node={s}&resolution={resolution}&action=close&text={}&back={meeting}",
            enc("摸排台账")
        ),
    )
    .await;
    assert!(reply.location.expect("to").contains("saved=1"));
    let page = visit(&router, &format!("/org/{s}/resolutions"), &street).await;
    assert!(page.body.contains("100%（1/1）"), "completion rate shown");

    // Minutes, then the print view and the workbook.
    let reply = post(
        "/api/meetings/minutes",
        format!(
            "node={s}&meeting={meeting}&minutes={}",
            enc("会议议定一项事项。")
        ),
    )
    .await;
    assert!(reply.location.expect("to").contains("saved=1"));
    let print = visit(
        &router,
        &format!("/org/{s}/meetings/{meeting}/minutes"),
        &street,
    )
    .await;
    assert_eq!(print.status, StatusCode::OK);
    assert!(print.body.contains("会议议定一项事项。") && print.body.contains("摸排加装电梯意愿"));
    let sheet = visit(
        &router,
        &format!("/org/{s}/meetings/{meeting}/sign-in-sheet"),
        &street,
    )
    .await;
    assert!(sheet.body.contains("参会人签名"));
    let xlsx = visit(&router, &format!("/org/{s}/meetings.xlsx"), &street).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let exported = domain::audit::recent(&t.db, "meetings_exported", 5)
        .await
        .expect("audit");
    assert_eq!(exported.len(), 1);
}

both_engines!(a_street_meeting_over_http, street_meeting_over_http);
