//! 支部委员会 over HTTP, on both engines: the seat and unseat endpoints as every role against
//! other tenants' ids (nothing written), then the secretary's flow on the 三会一课 page.
mod support;

use domain::activities::{self, SeatInput};
use domain::both_engines;
use domain::members::{self, MemberInput};
use domain::org::placements::{self, PlacementKind};
use domain::tenancy::Commit;
use domain::testing::{member_input, today};
use support::*;
use uuid::Uuid;

/// A's 第一网格党支部 with seven members (上官一 … 上官七), 上官一 its 书记.
async fn fixture(t: &TestDb, w: &World) -> (Uuid, Vec<Uuid>) {
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    let branch =
        placements::create_placement(&tx, PlacementKind::GridBranch, "第一网格党支部", None)
            .await
            .expect("branch");
    let mut people = Vec::new();
    for n in ["一", "二", "三", "四", "五", "六", "七"] {
        let input = MemberInput {
            unit_id: Some(branch),
            ..member_input(&format!("上官{n}"))
        };
        people.push(
            members::create(&tx, &input, None, today())
                .await
                .expect("member"),
        );
    }
    let first = SeatInput {
        member: people[0].to_string(),
        post: "secretary".into(),
        since: today().to_string(),
    };
    activities::seat(&tx, branch, &first, today())
        .await
        .expect("seated");
    tx.commit().await.expect("commit");
    (branch, people)
}

async fn seats(t: &TestDb, w: &World, branch: Uuid) -> usize {
    let tx = w.read_as(&t.db, "secretary_a", w.community_a.id).await;
    let all = activities::committees(&tx).await.expect("committees");
    all.get(&branch).map_or(0, Vec::len)
}

async fn committees_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let (branch, people) = fixture(&t, &w).await;
    let (a, b, c) = (w.community_a.id, w.community_b.id, w.community_c.id);
    let writes = |node: Uuid| {
        vec![
            (
                "/api/committee/seat",
                format!(
                    "node={node}&branch={branch}&member={}&post=organisation&since={}",
                    people[1],
                    today()
                ),
            ),
            (
                "/api/committee/unseat",
                format!("node={node}&branch={branch}&member={}", people[0]),
            ),
        ]
    };
    let page = format!("/org/{a}/compliance");
    assert_forbidden(
        &router,
        &not_staff_of_a(),
        &writes(a),
        std::slice::from_ref(&page),
        Some("上官一"),
    )
    .await;
    for (login_name, own) in [("worker_b", b), ("secretary_c", c)] {
        let cookie = login(&router, login_name, None).await;
        for (path, body) in writes(own) {
            let reply = submit(&router, path, body, &cookie).await;
            assert!(refused(&reply), "{login_name} {path}: {}", reply.status);
        }
        let own_page = visit(&router, &format!("/org/{own}/compliance"), &cookie).await;
        assert!(!own_page.body.contains("上官一"), "{login_name}");
    }
    assert_eq!(seats(&t, &w, branch).await, 1, "nothing written in A");

    // The secretary seats 上官二 and sees the committee; a future date is refused with its reason.
    let cookie = login(&router, "secretary_a", None).await;
    let (path, body) = &writes(a)[0];
    let reply = submit(&router, path, body.clone(), &cookie).await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{a}/compliance?saved=1#committees"))
    );
    let shown = visit(&router, &page, &cookie).await;
    assert!(shown.body.contains("上官二") && shown.body.contains("组织委员"));
    let later = (today() + chrono::Duration::days(3)).to_string();
    let future = format!(
        "node={a}&branch={branch}&member={}&post=publicity&since={later}",
        people[2]
    );
    let reply = submit(&router, "/api/committee/seat", future, &cookie).await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{a}/compliance#committees"))
    );
    let shown = visit(&router, &page, &cookie).await;
    assert!(shown.body.contains("不能晚于今天"), "the reason is shown");
    assert_eq!(seats(&t, &w, branch).await, 2);
    let (path, body) = &writes(a)[1];
    let reply = submit(&router, path, body.clone(), &cookie).await;
    assert!(reply.location.as_deref().unwrap_or("").contains("saved=1"));
    assert_eq!(seats(&t, &w, branch).await, 1);
}
both_engines!(branch_committees_as_every_role, committees_as_every_role);
