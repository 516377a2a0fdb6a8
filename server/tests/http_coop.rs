//! 共建单位 over HTTP on both engines: every page and endpoint as every role against other
//! tenants' ids (nothing read, nothing written), then the street's flow and the liaison's view.
mod support;

use domain::both_engines;
use domain::coop::{self, PartnerInput};
use domain::testing::today;
use support::*;
use uuid::Uuid;

fn unit_input(name: &str) -> PartnerInput {
    PartnerInput {
        name: name.into(),
        kind: "school".into(),
        party_org: String::new(),
        liaison_name: "王晓东".into(),
        liaison_phone: String::new(),
        staff_count: String::new(),
        member_count: String::new(),
    }
}

/// Units U (paired with A, with an agreement of one commitment K) and V (unpaired).
async fn fixture(t: &TestDb, w: &World) -> (Uuid, Uuid, Uuid) {
    let scope = w.coop_as(&t.db, "street", w.street.id).await;
    let tx = scope.write(&t.db).await.expect("tx");
    let u = coop::save_partner(&tx, None, &unit_input("长春市第一中学"))
        .await
        .expect("unit");
    let v = coop::save_partner(&tx, None, &unit_input("宽城区税务局"))
        .await
        .expect("unit");
    coop::pair(&tx, u, w.community_a.id, today())
        .await
        .expect("pair");
    let agreement = coop::AgreementInput {
        community: String::new(),
        title: "共建协议".into(),
        starts_on: "2026-01-01".into(),
        ends_on: "2030-12-31".into(),
        commitments: "开放操场".into(),
    };
    coop::add_agreement(&tx, u, &agreement)
        .await
        .expect("agreement");
    let k = coop::agreements(&tx, Some(u), today()).await.expect("list")[0].commitments[0].id;
    tx.commit().await.expect("commit");
    (u, v, k)
}

/// The street's units with their pairing counts, and its agreements with commitments done.
async fn street_state(t: &TestDb, w: &World) -> (Vec<(String, usize)>, Vec<(String, usize)>) {
    let scope = w.coop_as(&t.db, "street", w.street.id).await;
    let tx = scope.read(&t.db).await.expect("tx");
    let units = coop::partners(&tx).await.expect("units");
    let agreements = coop::agreements(&tx, None, today())
        .await
        .expect("agreements");
    tx.commit().await.expect("commit");
    (
        units.into_iter().map(|u| (u.name, u.communities)).collect(),
        agreements
            .into_iter()
            .map(|a| {
                (
                    a.title,
                    a.commitments.iter().filter(|c| c.done_on.is_some()).count(),
                )
            })
            .collect(),
    )
}

async fn coop_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let (u, v, k) = fixture(&t, &w).await;
    let (s, a, b, c) = (
        w.street.id,
        w.community_a.id,
        w.community_b.id,
        w.community_c.id,
    );
    let before = street_state(&t, &w).await;
    let writes = |street: Uuid| {
        vec![
            (
                "/api/coop/unit",
                format!("street={street}&unit={u}&name=x&kind=school&party_org=&liaison_name=&liaison_phone=&staff_count=&member_count="),
            ),
            (
                "/api/coop/pairing",
                format!("street={street}&unit={u}&community={b}&action=pair"),
            ),
            (
                "/api/coop/liaison",
                format!("street={street}&unit={u}&login_name=intruder&password=long-enough-1"),
            ),
            (
                "/api/coop/agreement",
                format!("node={street}&unit={u}&community=&title=x&starts_on=2026-01-01&ends_on=2027-01-01&commitments=y"),
            ),
            (
                "/api/coop/commitment",
                format!("node={street}&unit={u}&commitment={k}&done=1"),
            ),
        ]
    };
    // login → pages that must answer 403 (everything else of the street is theirs or refused).
    let cases: [(&str, Vec<String>); 8] = [
        (
            "operator",
            vec![format!("/org/{s}/units"), format!("/org/{a}/units")],
        ),
        (
            "district",
            vec![format!("/org/{s}/units"), format!("/org/{a}/units/{u}")],
        ),
        (
            "other_street",
            vec![format!("/org/{s}/units"), format!("/org/{s}/units/{u}")],
        ),
        (
            "secretary_a",
            vec![format!("/org/{s}/units"), format!("/org/{b}/units")],
        ),
        (
            "worker_b",
            vec![format!("/org/{a}/units"), format!("/org/{s}/units/{u}")],
        ),
        ("secretary_c", vec![format!("/org/{a}/units/{u}")]),
        (
            "member_a",
            vec![format!("/org/{a}/units"), format!("/org/{a}/units/{u}")],
        ),
        (
            "liaison",
            vec![format!("/org/{s}/units"), format!("/org/{s}/units/{u}")],
        ),
    ];
    for (login_name, forbidden) in cases {
        let cookie = login(&router, login_name, None).await;
        for (path, body) in writes(s) {
            let reply = submit(&router, path, body, &cookie).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{login_name} {path}");
        }
        for path in forbidden {
            let reply = visit(&router, &path, &cookie).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{login_name} {path}");
            assert!(!reply.body.contains("第一中学"), "{login_name} {path}");
        }
    }
    // The other street with its own id and this street's unit: not found there.
    let cookie = login(&router, "other_street", None).await;
    for (path, body) in writes(w.other_street.id) {
        let reply = submit(&router, path, body, &cookie).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "other_street {path}");
    }
    let reply = visit(
        &router,
        &format!("/org/{}/units/{u}", w.other_street.id),
        &cookie,
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(street_state(&t, &w).await, before, "nothing written");

    // Communities: A sees U (paired), not V; B and C see none of them.
    let cookie = login(&router, "secretary_a", None).await;
    let page = visit(&router, &format!("/org/{a}/units"), &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("长春市第一中学") && !page.body.contains("宽城区税务局"));
    let reply = visit(&router, &format!("/org/{a}/units/{v}"), &cookie).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    for (login_name, own) in [("worker_b", b), ("secretary_c", c)] {
        let cookie = login(&router, login_name, None).await;
        let page = visit(&router, &format!("/org/{own}/units"), &cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{login_name}");
        assert!(!page.body.contains("第一中学") && !page.body.contains("税务局"));
        let reply = visit(&router, &format!("/org/{own}/units/{u}"), &cookie).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{login_name}");
    }
}
both_engines!(co_building_units_as_every_role, coop_as_every_role);

async fn street_flow_and_liaison(t: TestDb) {
    let (router, w) = setup(&t).await;
    let (u, _, _) = fixture(&t, &w).await;
    let (s, b, c) = (w.street.id, w.community_b.id, w.community_c.id);
    let cookie = login(&router, "street", None).await;
    // A bad phone comes back to the form with the reason and what was typed.
    let body = format!(
        "street={s}&unit=&name=%E5%AE%BD%E5%9F%8E%E5%8C%BB%E9%99%A2&kind=hospital&party_org=&liaison_name=&liaison_phone=12345&staff_count=&member_count="
    );
    let reply = submit(&router, "/api/coop/unit", body, &cookie).await;
    assert_eq!(reply.location, Some(format!("/org/{s}/units#new")));
    let page = visit(&router, &format!("/org/{s}/units"), &cookie).await;
    assert!(
        page.body.contains("联络员电话应为 11 位手机号"),
        "{}",
        page.body
    );
    assert!(page.body.contains("宽城医院"), "the typed name comes back");
    // Pairing: with B is fine, with a community of another street is refused.
    let pair = |community: Uuid| format!("street={s}&unit={u}&community={community}&action=pair");
    let reply = submit(&router, "/api/coop/pairing", pair(b), &cookie).await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{s}/units/{u}?saved=1#pairings"))
    );
    let reply = submit(&router, "/api/coop/pairing", pair(c), &cookie).await;
    assert_eq!(reply.location, Some(format!("/org/{s}/units/{u}#pairings")));
    let page = visit(&router, &format!("/org/{s}/units/{u}"), &cookie).await;
    assert!(page.body.contains("社区不属于本街道"));
    assert!(page.body.contains("长江路社区") && page.body.contains("丹东路社区"));
    // The liaison's login: a short password is refused, then it is created.
    let liaison =
        |password: &str| format!("street={s}&unit={u}&login_name=yizhong&password={password}");
    let reply = submit(&router, "/api/coop/liaison", liaison("short"), &cookie).await;
    assert_eq!(reply.location, Some(format!("/org/{s}/units/{u}#liaison")));
    let reply = submit(
        &router,
        "/api/coop/liaison",
        liaison("Yizhong%402026"),
        &cookie,
    )
    .await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{s}/units/{u}?saved=1#liaison"))
    );

    // The liaison logs in: their unit, its communities; nothing to change.
    let cookie = first_login(&router, "yizhong", "Yizhong@2026").await;
    let home = visit(&router, &format!("/org/{s}"), &cookie).await;
    assert!(
        home.body.contains(&format!("/org/{s}/units/{u}")),
        "{}",
        home.body
    );
    let page = visit(&router, &format!("/org/{s}/units/{u}"), &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("丹东路社区") && !page.body.contains("/api/coop/unit"));
    let reply = submit(&router, "/api/coop/pairing", pair(b), &cookie).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    // Community A signs its own agreement with U: a term that ends before it starts is refused.
    let a = w.community_a.id;
    let cookie = login(&router, "secretary_a", None).await;
    let agreement = |ends: &str| {
        format!("node={a}&unit={u}&title=%E5%8D%8F%E8%AE%AE&starts_on=2026-01-01&ends_on={ends}&commitments=%E4%B9%89%E8%AF%8A")
    };
    let reply = submit(
        &router,
        "/api/coop/agreement",
        agreement("2025-01-01"),
        &cookie,
    )
    .await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{a}/units/{u}#agreements"))
    );
    let page = visit(&router, &format!("/org/{a}/units/{u}"), &cookie).await;
    assert!(page.body.contains("结束日期应晚于开始日期"));
    let reply = submit(
        &router,
        "/api/coop/agreement",
        agreement("2030-01-01"),
        &cookie,
    )
    .await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{a}/units/{u}?saved=1#agreements"))
    );
    let page = visit(&router, &format!("/org/{a}/units/{u}"), &cookie).await;
    assert!(
        page.body.contains("义诊") && !page.body.contains("开放操场"),
        "only A's agreement"
    );
}
both_engines!(
    the_street_pairs_units_and_opens_a_liaison_login,
    street_flow_and_liaison
);
