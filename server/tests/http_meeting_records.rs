//! 会议记录 over HTTP, on both engines: the record page and its endpoints (minutes, marks,
//! leave decisions, finishing) as every role against other tenants' ids (nothing read or
//! written), a member's 请假 likewise, then the secretary's and the member's flows.
mod support;

use chrono::{Duration, Utc};
use domain::activities::{self, ActivityInput};
use domain::both_engines;
use domain::members::{self, MemberInput};
use domain::org::placements::{self, PlacementKind};
use domain::tenancy::Commit;
use domain::testing::{local_field, member_input, png_photo, roster_since_always, today};
use support::*;
use uuid::Uuid;

struct Fixture {
    member_a: Uuid,
    ouyang: Uuid,
    past: Uuid,
    coming: Uuid,
}

fn meeting(branch: Uuid, starts: chrono::DateTime<Utc>) -> ActivityInput {
    ActivityInput {
        kind: "branch_assembly".into(),
        title: "第一支部党员大会".into(),
        venue: "党群服务中心".into(),
        starts_at: local_field(starts),
        ends_at: local_field(starts + Duration::hours(2)),
        signup_opens_at: local_field(starts - Duration::days(3)),
        signup_closes_at: local_field(starts),
        audience: "branch".into(),
        branch: branch.to_string(),
        ..Default::default()
    }
}

/// A's 第一网格党支部: 欧阳一, 欧阳二 and member_a's 陈晓明; its 支部党员大会 two days ago and
/// tomorrow.
async fn fixture(t: &TestDb, w: &World) -> Fixture {
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    let branch =
        placements::create_placement(&tx, PlacementKind::GridBranch, "第一网格党支部", None)
            .await
            .expect("branch");
    let placed = |name: &str| MemberInput {
        unit_id: Some(branch),
        ..member_input(name)
    };
    let ouyang = members::create(&tx, &placed("欧阳一"), None, today())
        .await
        .expect("member");
    members::create(&tx, &placed("欧阳二"), None, today())
        .await
        .expect("member");
    let member_a = members::create(
        &tx,
        &placed("陈晓明"),
        Some(w.account("member_a").user_id),
        today(),
    )
    .await
    .expect("member_a");
    // The branch's roster was there before its history began.
    roster_since_always(&tx).await;
    let now = Utc::now();
    let past = activities::save_activity(&tx, None, &meeting(branch, now - Duration::days(2)), now)
        .await
        .expect("past");
    let coming =
        activities::save_activity(&tx, None, &meeting(branch, now + Duration::days(1)), now)
            .await
            .expect("coming");
    tx.commit().await.expect("commit");
    Fixture {
        member_a,
        ouyang,
        past,
        coming,
    }
}

async fn record(t: &TestDb, w: &World, id: Uuid) -> activities::MeetingRecord {
    let tx = w.read_as(&t.db, "secretary_a", w.community_a.id).await;
    let record = activities::meeting_record(&tx, id).await.expect("record");
    tx.commit().await.expect("commit");
    record
}

async fn meeting_records_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let f = fixture(&t, &w).await;
    let (a, b, c) = (w.community_a.id, w.community_b.id, w.community_c.id);
    let (past, coming, ouyang) = (f.past, f.coming, f.ouyang);
    let staff_writes = |node: Uuid| {
        vec![
            (
                "/api/meetings/record/minutes",
                format!("node={node}&activity={past}&host=欧阳一&recorder=欧阳二&topic=学习&minutes=内容"),
            ),
            (
                "/api/meetings/record/mark",
                format!("node={node}&activity={past}&member={ouyang}&mark=attended"),
            ),
            (
                "/api/meetings/record/leave",
                format!("node={node}&activity={coming}&member={}&decision=approve", f.member_a),
            ),
            (
                "/api/meetings/record/finish",
                format!("node={node}&activity={past}"),
            ),
        ]
    };
    let page = format!("/org/{a}/activities/{past}/record");
    assert_forbidden(
        &router,
        &not_staff_of_a(),
        &staff_writes(a),
        std::slice::from_ref(&page),
        Some("欧阳一"),
    )
    .await;
    let leave = |node: Uuid| {
        (
            "/api/meetings/leave",
            format!("node={node}&activity={coming}&reason=出差"),
        )
    };
    let withdraw = |node: Uuid| {
        (
            "/api/meetings/leave/withdraw",
            format!("node={node}&activity={coming}"),
        )
    };
    assert_forbidden(&router, &NOT_IN_A, &[leave(a), withdraw(a)], &[], None).await;
    for (login_name, own) in [("worker_b", b), ("secretary_c", c)] {
        let cookie = login(&router, login_name, None).await;
        for (path, body) in staff_writes(own)
            .into_iter()
            .chain([leave(own), withdraw(own)])
        {
            let reply = submit(&router, path, body, &cookie).await;
            assert!(refused(&reply), "{login_name} {path}: {}", reply.status);
        }
        let theirs = format!("/org/{own}/activities/{past}/record");
        let reply = visit(&router, &theirs, &cookie).await;
        assert!(
            refused(&reply) && !reply.body.contains("欧阳一"),
            "{login_name}"
        );
    }
    let untouched = record(&t, &w, past).await;
    assert!(untouched.minutes.is_none());
    assert!(untouched.roll.iter().all(|r| r.attendance.is_none()));
    assert!(record(&t, &w, coming)
        .await
        .roll
        .iter()
        .all(|r| r.leave.is_none()));

    // member_a, on the roll, asks for leave from their activity page; the secretary sees it.
    let cookie = login(&router, "member_a", None).await;
    let own = visit(&router, &format!("/org/{a}/activities/{coming}"), &cookie).await;
    assert!(
        own.body.contains("你在本次会议的应到名单中"),
        "told they are expected"
    );
    let reply = submit(&router, leave(a).0, leave(a).1, &cookie).await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{a}/activities/{coming}?saved=1#leave"))
    );
    let own = visit(&router, &format!("/org/{a}/activities/{coming}"), &cookie).await;
    assert!(own.body.contains("请假待审批"));

    let cookie = login(&router, "secretary_a", None).await;
    let coming_page = format!("/org/{a}/activities/{coming}/record");
    let shown = visit(&router, &coming_page, &cookie).await;
    assert!(shown.body.contains("有 1 条请假申请待审批") && shown.body.contains("出差"));
    let (path, body) = &staff_writes(a)[2];
    let reply = submit(&router, path, body.clone(), &cookie).await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{a}/activities/{coming}/record?saved=1#roll"))
    );
    assert!(visit(&router, &coming_page, &cookie)
        .await
        .body
        .contains("已准假"));

    // Nobody else withdraws it; member_a does, before the meeting starts (plans changed).
    assert_forbidden(&router, &NOT_IN_A, &[withdraw(a)], &[], None).await;
    for (login_name, own) in [("worker_b", b), ("secretary_c", c), ("secretary_a", a)] {
        let cookie = login(&router, login_name, None).await;
        let reply = submit(&router, withdraw(own).0, withdraw(own).1, &cookie).await;
        assert!(refused(&reply), "{login_name}: {}", reply.status);
    }
    let approved = |r: &activities::MeetingRecord| {
        r.roll
            .iter()
            .any(|e| e.leave == Some(activities::LeaveState::Approved))
    };
    assert!(approved(&record(&t, &w, coming).await), "still approved");
    let member = login(&router, "member_a", None).await;
    let own = visit(&router, &format!("/org/{a}/activities/{coming}"), &member).await;
    assert!(own.body.contains("撤回请假"), "offered");
    let reply = submit(&router, withdraw(a).0, withdraw(a).1, &member).await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{a}/activities/{coming}?saved=1#leave"))
    );
    let withdrawn = record(&t, &w, coming).await;
    assert!(withdrawn.roll.iter().all(|r| r.leave.is_none()));
    let own = visit(&router, &format!("/org/{a}/activities/{coming}"), &member).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains("你在本次会议的应到名单中"));
    assert!(!own.body.contains("已准假") && !own.body.contains("撤回请假"));

    // Minutes refused keep what was typed and say why; saved, they are on the printed record.
    let empty_host = format!(
        "node={a}&activity={past}&host=&recorder=欧阳二&topic=学习二十届四中全会精神&minutes=内容"
    );
    let reply = submit(&router, "/api/meetings/record/minutes", empty_host, &cookie).await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{a}/activities/{past}/record#minutes"))
    );
    let shown = visit(&router, &page, &cookie).await;
    assert!(
        shown.body.contains("学习二十届四中全会精神"),
        "typed topic kept"
    );
    assert!(
        shown.body.contains("主持人不能为空"),
        "the field refused is named"
    );
    for (path, body) in staff_writes(a)
        .into_iter()
        .filter(|(p, _)| !p.ends_with("/leave"))
    {
        let reply = submit(&router, path, body, &cookie).await;
        assert!(
            reply.location.as_deref().unwrap_or("").contains("saved=1"),
            "{path}"
        );
    }
    let shown = visit(&router, &page, &cookie).await;
    assert!(shown
        .body
        .contains("应到 3 人，实到 1 人，请假 0 人，缺席 2 人"));
    assert!(shown.body.contains("欧阳一") && shown.body.contains("内容"));
    let done = record(&t, &w, past).await;
    assert_eq!(done.minutes.map(|m| m.host), Some("欧阳一".to_string()));
}
both_engines!(meeting_records_as_every_role, meeting_records_as_every_role);

/// Photos: added by the meeting's organisers only (every other role refused before its upload is
/// read), checked to be photos, at most six, served with their thumbnails to those who may read
/// the record only, and taken off again.
async fn meeting_photos_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let f = fixture(&t, &w).await;
    let (a, b) = (w.community_a.id, w.community_b.id);
    let past = f.past;
    let photo = png_photo(1200, 800);
    let upload = |node: Uuid, files: &[(&str, &str, &[u8])], cookie: &str| {
        multipart(
            &format!("/org/{node}/activities/{past}/record/photos"),
            &[],
            files,
            cookie,
        )
    };
    for login_name in not_staff_of_a() {
        let cookie = login(&router, login_name, None).await;
        let reply = send(
            &router,
            upload(a, &[("photos", "会场.png", &photo)], &cookie),
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{login_name}");
    }
    let cookie = login(&router, "worker_b", None).await;
    let reply = send(
        &router,
        upload(b, &[("photos", "会场.png", &photo)], &cookie),
    )
    .await;
    assert!(refused(&reply), "B's staff with A's meeting");
    assert!(record(&t, &w, past).await.photos.is_empty());

    let cookie = login(&router, "secretary_a", None).await;
    let page = format!("/org/{a}/activities/{past}/record");
    let not_a_photo: &[u8] = b"%PDF-1.4 not a photo";
    let reply = send(
        &router,
        upload(a, &[("photos", "纪要.pdf", not_a_photo)], &cookie),
    )
    .await;
    assert_eq!(reply.location, Some(format!("{page}#photos")));
    assert!(visit(&router, &page, &cookie)
        .await
        .body
        .contains("不是可识别的照片"));
    let seven: Vec<(&str, &str, &[u8])> = (0..7)
        .map(|_| ("photos", "会场.png", photo.as_slice()))
        .collect();
    let reply = send(&router, upload(a, &seven, &cookie)).await;
    assert_eq!(
        reply.location,
        Some(format!("{page}#photos")),
        "seven is too many"
    );
    assert!(
        record(&t, &w, past).await.photos.is_empty(),
        "nothing half-kept"
    );

    let reply = send(
        &router,
        upload(a, &[("photos", "会场.png", &photo)], &cookie),
    )
    .await;
    assert_eq!(reply.location, Some(format!("{page}?saved=1#photos")));
    let listed = record(&t, &w, past).await.photos;
    assert_eq!(listed.len(), 1);
    let (id, width) = (listed[0].id, listed[0].width);
    assert_eq!(width, 1200);
    let full = format!("{page}/photos/{id}");
    let thumb = format!("{full}/thumb");
    let got = visit(&router, &thumb, &cookie).await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(
        visit(&router, &page, &cookie).await.body.contains(&thumb),
        "shown on the record"
    );
    let got = visit(&router, &full, &cookie).await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(got.body.starts_with("\u{fffd}PNG"), "the photo as sent");
    // Nobody else fetches it, by any address.
    assert_forbidden(
        &router,
        &not_staff_of_a(),
        &[],
        &[full.clone(), thumb.clone()],
        None,
    )
    .await;
    let cookie_b = login(&router, "worker_b", None).await;
    let theirs = format!("/org/{b}/activities/{past}/record/photos/{id}");
    assert!(refused(&visit(&router, &theirs, &cookie_b).await));

    let remove = format!("node={a}&activity={past}&photo={id}");
    let reply = submit(
        &router,
        "/api/meetings/record/photos/remove",
        remove.replace(&a.to_string(), &b.to_string()),
        &cookie_b,
    )
    .await;
    assert!(refused(&reply));
    let reply = submit(
        &router,
        "/api/meetings/record/photos/remove",
        remove,
        &cookie,
    )
    .await;
    assert_eq!(reply.location, Some(format!("{page}?saved=1#photos")));
    assert!(record(&t, &w, past).await.photos.is_empty());
    assert!(refused(&visit(&router, &full, &cookie).await), "gone");
}
both_engines!(meeting_photos_as_every_role, meeting_photos_as_every_role);
