//! A unit liaison's login over HTTP on both engines: only the street's staff reset or close it,
//! from the unit's page (which shows the new one-time password once); every other role, on the
//! street or on its own node, changes nothing, and the paired community's staff see no buttons.
mod support;

use domain::both_engines;
use domain::testing::paired_school;
use support::*;
use uuid::Uuid;

async fn liaison_login_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let school = paired_school(&t.db, &w).await;
    let street = w.street.id;
    let account = w.account("liaison").user_id;
    let unit_page = format!("/org/{street}/units/{school}");
    let liaison = login(&router, "liaison", None).await;
    let keep = |node: Uuid| format!("node={node}&account={account}&unit={school}");

    for login_name in [
        "operator",
        "district",
        "other_street",
        "secretary_a",
        "worker_b",
        "secretary_c",
        "member_a",
        "liaison",
    ] {
        let cookie = login(&router, login_name, None).await;
        for node in [street, w.account(login_name).node] {
            let reply = submit(&router, "/api/accounts/reset", keep(node), &cookie).await;
            assert!(refused(&reply), "{login_name} on {node}: {}", reply.status);
            let close = format!("{}&active=false", keep(node));
            let reply = submit(&router, "/api/accounts/active", close, &cookie).await;
            assert!(refused(&reply), "{login_name} on {node}: {}", reply.status);
        }
    }
    assert_eq!(
        visit(&router, &format!("/org/{street}"), &liaison)
            .await
            .status,
        StatusCode::OK,
        "untouched: the liaison's session holds"
    );
    // The paired community's secretary sees the unit, not its login's buttons.
    let secretary = login(&router, "secretary_a", None).await;
    let seen = visit(
        &router,
        &format!("/org/{}/units/{school}", w.community_a.id),
        &secretary,
    )
    .await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(!seen.body.contains("/api/accounts/"), "{}", seen.body);

    let staff = login(&router, "street", None).await;
    let page = visit(&router, &unit_page, &staff).await;
    assert!(page.body.contains("已开通联络员登录账号"), "{}", page.body);
    let reply = submit(&router, "/api/accounts/reset", keep(street), &staff).await;
    assert_eq!(reply.location, Some(format!("{unit_page}?saved=1#liaison")));
    let page = visit(&router, &unit_page, &staff).await;
    let once = regex::Regex::new(r"<code>([A-Za-z0-9]{12})</code>")
        .expect("regex")
        .captures(&page.body)
        .map(|c| c[1].to_owned())
        .expect("the new one-time password, shown once");
    assert!(!visit(&router, &unit_page, &staff)
        .await
        .body
        .contains(&once));
    assert_eq!(
        visit(&router, &format!("/org/{street}"), &liaison)
            .await
            .location
            .as_deref()
            .map(without_next),
        Some("/login"),
        "a reset ends the old sessions"
    );
    let liaison = first_login(&router, "liaison", &once).await;
    let close = format!("{}&active=false", keep(street));
    let reply = submit(&router, "/api/accounts/active", close, &staff).await;
    assert_eq!(reply.location, Some(format!("{unit_page}?saved=1#liaison")));
    assert_eq!(
        visit(&router, &format!("/org/{street}"), &liaison)
            .await
            .location
            .as_deref()
            .map(without_next),
        Some("/login")
    );
    let page = visit(&router, &unit_page, &staff).await;
    assert!(page.body.contains("联络员登录账号已停用"), "{}", page.body);
}
both_engines!(liaison_login_as_every_role, liaison_login_as_every_role);
