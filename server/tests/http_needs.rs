//! 需求清单 and 微心愿 over HTTP on both engines: the needs page and both endpoints as every
//! role against other tenants' ids (nothing read, nothing written), who asked stays in the
//! community, and a second claim is told who holds the wish.
mod support;

use domain::both_engines;
use domain::coop::{self, NeedInput};
use domain::testing::{paired_school, today};
use support::*;
use uuid::Uuid;

/// A school paired with A (liaison `liaison`), and in A a wish W and an ordinary need N.
async fn fixture(t: &TestDb, w: &World) -> (Uuid, Uuid) {
    paired_school(&t.db, w).await;
    let scope = w.coop_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = scope.write(&t.db).await.expect("tx");
    let need = |title: &str, wish: bool| NeedInput {
        title: title.into(),
        category: "elderly".into(),
        urgency: "normal".into(),
        detail: String::new(),
        wish,
        requester_name: "王秀兰".into(),
        requester_phone: "13812345678".into(),
    };
    let wish = coop::post_need(&tx, &need("一台助行器", true), today())
        .await
        .expect("wish");
    let other = coop::post_need(&tx, &need("楼道扶手", false), today())
        .await
        .expect("need");
    tx.commit().await.expect("commit");
    (wish, other)
}

/// A's needs as its secretary sees them: (title, status, claimant, escalated).
async fn a_needs(t: &TestDb, w: &World) -> Vec<(String, String, Option<String>, bool)> {
    let scope = w.coop_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = scope.read(&t.db).await.expect("tx");
    let needs = coop::needs(&tx).await.expect("needs");
    tx.commit().await.expect("commit");
    needs
        .into_iter()
        .map(|n| {
            (
                n.title,
                n.status.as_str().to_owned(),
                n.claimant,
                n.escalated_on.is_some(),
            )
        })
        .collect()
}

async fn needs_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let (wish, need) = fixture(&t, &w).await;
    let (a, b, c) = (w.community_a.id, w.community_b.id, w.community_c.id);
    let before = a_needs(&t, &w).await;
    let writes = |node: Uuid| {
        let mut out = vec![(
            "/api/needs/post",
            format!("node={node}&title=x&category=elderly&urgency=normal&detail=&wish=on&requester_name=&requester_phone="),
        )];
        for (id, action) in [
            (wish, "claim"),
            (wish, "deliver"),
            (wish, "confirm"),
            (need, "escalate"),
        ] {
            out.push((
                "/api/needs/act",
                format!("node={node}&need={id}&action={action}"),
            ));
        }
        out.push(("/api/needs/unclaimed_days", format!("node={node}&days=3")));
        out.push((
            "/api/needs/reveal_phone",
            format!("node={node}&need={wish}"),
        ));
        out
    };
    let outsiders = NOT_IN_A;
    let pages = [format!("/org/{a}/needs")];
    assert_forbidden(&router, &outsiders, &writes(a), &pages, None).await;
    // Staff of B and C with their own community and A's need ids: nothing found there.
    for (login_name, own) in [("worker_b", b), ("secretary_c", c)] {
        let cookie = login(&router, login_name, None).await;
        // Posting and setting their own limit are theirs to do; the rest names A's needs.
        for (path, body) in writes(own)
            .into_iter()
            .filter(|(p, _)| ["/api/needs/act", "/api/needs/reveal_phone"].contains(p))
        {
            let reply = submit(&router, path, body, &cookie).await;
            assert!(
                [StatusCode::NOT_FOUND, StatusCode::FORBIDDEN].contains(&reply.status),
                "{login_name} {path}: {}",
                reply.status
            );
        }
        let page = visit(&router, &format!("/org/{own}/needs"), &cookie).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains("助行器")
                && !page.body.contains("王*兰")
                && !page.body.contains("王秀兰"),
            "{login_name}: {}",
            page.body
        );
    }
    // The street sees no need of A until one is escalated, and never who asked.
    let cookie = login(&router, "street", None).await;
    let page = visit(&router, &format!("/org/{}/needs", w.street.id), &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("助行器") && !page.body.contains("扶手"));
    assert_eq!(a_needs(&t, &w).await, before, "nothing written");

    // Markup in any text is shown as text, never run.
    let cookie = login(&router, "secretary_a", None).await;
    let body = format!(
        "node={a}&title=%3Cscript%3Ealert(1)%3C%2Fscript%3E&category=other&urgency=normal&detail=%3Cb%3Ebold%3C%2Fb%3E&requester_name=&requester_phone="
    );
    let reply = submit(&router, "/api/needs/post", body, &cookie).await;
    assert_eq!(reply.location, Some(format!("/org/{a}/needs?saved=1")));
    let page = visit(&router, &format!("/org/{a}/needs"), &cookie).await;
    assert!(
        page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
            && !page.body.contains("<script>alert(1)")
    );
    assert!(page.body.contains("&lt;b&gt;bold&lt;/b&gt;") && !page.body.contains("<b>bold"));

    // Who asked: the name for A's staff, the phone masked until the secretary reveals it
    // (once, audited); masked for A's member, who may not reveal it.
    let reveals = || async {
        domain::audit::recent(&t.db, "requester_phone_revealed", 10)
            .await
            .expect("audit")
            .len()
    };
    assert_eq!(reveals().await, 0, "no refused reveal counted");
    let page = visit(&router, &format!("/org/{a}/needs"), &cookie).await;
    assert!(page.body.contains("王秀兰") && page.body.contains("138****5678"));
    assert!(!page.body.contains("13812345678"));
    let reveal = format!("node={a}&need={wish}");
    let reply = submit(&router, "/api/needs/reveal_phone", reveal.clone(), &cookie).await;
    assert_eq!(reply.location, Some(format!("/org/{a}/needs#need-{wish}")));
    let page = visit(&router, &format!("/org/{a}/needs"), &cookie).await;
    assert!(page.body.contains("13812345678"));
    let page = visit(&router, &format!("/org/{a}/needs"), &cookie).await;
    assert!(!page.body.contains("13812345678"), "shown once");
    assert_eq!(reveals().await, 1);
    let member = login(&router, "member_a", None).await;
    let reply = submit(&router, "/api/needs/reveal_phone", reveal, &member).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(!reply.body.contains("13812345678"));
    assert_eq!(reveals().await, 1);
    let page = visit(&router, &format!("/org/{a}/needs"), &member).await;
    assert!(
        page.body.contains("王*兰") && !page.body.contains("王秀兰") && !page.body.contains("扶手")
    );
    let claim = format!("node={a}&need={wish}&action=claim");
    let reply = submit(&router, "/api/needs/act", claim, &member).await;
    assert_eq!(reply.location, Some(format!("/org/{a}/needs?saved=1")));
    // The unit comes second: told who holds it, nothing changed.
    let liaison = login(&router, "liaison", None).await;
    let s = w.street.id;
    let claim = format!("node={s}&need={wish}&action=claim");
    let reply = submit(&router, "/api/needs/act", claim, &liaison).await;
    assert_eq!(reply.location, Some(format!("/org/{s}/needs")));
    let page = visit(&router, &format!("/org/{s}/needs"), &liaison).await;
    assert!(page.body.contains("已被member_a认领"), "{}", page.body);
    assert!(!page.body.contains("13812345678"));
    // A escalates the other need; now the street sees it, still without who asked.
    let escalate = format!("node={a}&need={need}&action=escalate");
    let reply = submit(&router, "/api/needs/act", escalate, &cookie).await;
    assert_eq!(reply.location, Some(format!("/org/{a}/needs?saved=1")));
    let street = login(&router, "street", None).await;
    let page = visit(&router, &format!("/org/{s}/needs"), &street).await;
    assert!(
        page.body.contains("楼道扶手")
            && page.body.contains("王*兰")
            && !page.body.contains("王秀兰")
    );
}
both_engines!(needs_and_wishes_as_every_role, needs_as_every_role);
