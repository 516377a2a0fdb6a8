//! 民主评议党员 over HTTP, on both engines: the grade, decide and reopen endpoints and the review
//! pages as every role against other tenants' ids (nothing read, nothing written), then the
//! secretary's flow — grade the branch in one form, decide, the street's figures without names,
//! reopen — and a hostile year refused with its reason.
mod support;

use chrono::Datelike;
use domain::both_engines;
use domain::members::{self, MemberInput};
use domain::org::placements::{self, PlacementKind};
use domain::reviews;
use domain::tenancy::Commit;
use domain::testing::{member_input, today};
use support::*;
use uuid::Uuid;

/// A's 第一网格党支部 with 欧阳甲 and 欧阳乙.
async fn fixture(t: &TestDb, w: &World) -> (Uuid, [Uuid; 2]) {
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    let branch =
        placements::create_placement(&tx, PlacementKind::GridBranch, "第一网格党支部", None)
            .await
            .expect("branch");
    let mut people = [Uuid::nil(); 2];
    for (slot, name) in people.iter_mut().zip(["欧阳甲", "欧阳乙"]) {
        let input = MemberInput {
            unit_id: Some(branch),
            ..member_input(name)
        };
        *slot = members::create(&tx, &input, None, today())
            .await
            .expect("member");
    }
    tx.commit().await.expect("commit");
    (branch, people)
}

/// How many of A's branch's members are graded, and whether it decided.
async fn kept(t: &TestDb, w: &World, branch: Uuid) -> (u32, bool) {
    let tx = w.read_as(&t.db, "secretary_a", w.community_a.id).await;
    let review = reviews::branch_review(&tx, branch, today().year(), today())
        .await
        .expect("review");
    tx.commit().await.expect("commit");
    (review.grades.total(), review.decided_on.is_some())
}

async fn reviews_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let (branch, people) = fixture(&t, &w).await;
    let (a, b, c) = (w.community_a.id, w.community_b.id, w.community_c.id);
    let year = today().year();
    let writes = |node: Uuid| {
        vec![
            (
                "/api/reviews/grade",
                format!(
                    "node={node}&branch={branch}&year={year}\
                     &members%5B0%5D={}&grades%5B0%5D=excellent\
                     &members%5B1%5D={}&grades%5B1%5D=qualified",
                    people[0], people[1]
                ),
            ),
            (
                "/api/reviews/decide",
                format!(
                    "node={node}&branch={branch}&year={year}&meeting=&decided_on={}\
                     &decision=%E7%BB%8F%E6%94%AF%E9%83%A8%E5%86%B3%E5%AE%9A",
                    today()
                ),
            ),
            (
                "/api/reviews/reopen",
                format!("node={node}&branch={branch}&year={year}"),
            ),
        ]
    };
    let pages = vec![
        format!("/org/{a}/reviews"),
        format!("/org/{a}/reviews/{branch}?year={year}"),
    ];
    assert_forbidden(
        &router,
        &not_staff_of_a(),
        &writes(a),
        &pages,
        Some("欧阳甲"),
    )
    .await;
    for (login_name, own) in [("worker_b", b), ("secretary_c", c)] {
        let cookie = login(&router, login_name, None).await;
        for (path, body) in writes(own) {
            let reply = submit(&router, path, body, &cookie).await;
            assert!(refused(&reply), "{login_name} {path}: {}", reply.status);
        }
        let list = visit(&router, &format!("/org/{own}/reviews"), &cookie).await;
        assert!(!list.body.contains("第一网格党支部"), "{login_name}");
        let theirs = format!("/org/{own}/reviews/{branch}?year={year}");
        let reply = visit(&router, &theirs, &cookie).await;
        assert!(
            !reply.body.contains("欧阳甲"),
            "{login_name}: {}",
            reply.status
        );
    }
    assert_eq!(
        kept(&t, &w, branch).await,
        (0, false),
        "nothing written in A"
    );

    // The secretary grades both in one form, then decides.
    let cookie = login(&router, "secretary_a", None).await;
    let page = format!("/org/{a}/reviews/{branch}?year={year}");
    let shown = visit(&router, &page, &cookie).await;
    assert!(shown.body.contains("欧阳甲") && shown.body.contains("保存评定"));
    let write = writes(a);
    let reply = submit(&router, write[0].0, write[0].1.clone(), &cookie).await;
    assert_eq!(reply.location, Some(format!("{page}&saved=1#grades")));
    assert_eq!(kept(&t, &w, branch).await, (2, false));
    let reply = submit(&router, write[1].0, write[1].1.clone(), &cookie).await;
    assert_eq!(reply.location, Some(format!("{page}&saved=1")));
    assert_eq!(kept(&t, &w, branch).await, (2, true));
    let shown = visit(&router, &page, &cookie).await;
    assert!(shown.body.contains("评定结果已生效") && shown.body.contains("经支部决定"));
    let list = visit(&router, &format!("/org/{a}/reviews?year={year}"), &cookie).await;
    assert!(list.body.contains("第一网格党支部"));

    // The street sees the figures, never a name.
    let street = login(&router, "street", None).await;
    let totals = visit(
        &router,
        &format!("/org/{}/review-totals?year={year}", w.street.id),
        &street,
    )
    .await;
    assert!(totals.body.contains("民主评议情况") && totals.body.contains("50.0%"));
    assert!(!totals.body.contains("欧阳"));

    // A year that is no year is refused with its reason; reopening lets the grades change.
    let hostile = format!("node={a}&branch={branch}&year=2026%0D%0ALocation:%20x");
    let reply = submit(&router, "/api/reviews/reopen", hostile, &cookie).await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{a}/reviews/{branch}?year=0"))
    );
    let shown = visit(&router, &page, &cookie).await;
    assert!(
        shown.body.contains("评议年度超出可选范围"),
        "the reason is shown"
    );
    assert_eq!(kept(&t, &w, branch).await, (2, true), "still decided");
    let reply = submit(&router, write[2].0, write[2].1.clone(), &cookie).await;
    assert!(reply.location.as_deref().unwrap_or("").contains("saved=1"));
    assert_eq!(kept(&t, &w, branch).await, (2, false));
}
both_engines!(reviews_as_every_role, reviews_as_every_role);
