//! 党费 over HTTP, on both engines: every new endpoint and page as every role against other
//! tenants' ids (nothing read, nothing written), then the secretary's flow: assess, record (and
//! a refusal with its reason), the month's page and workbook, and the street's figures without
//! names.
mod support;

use domain::both_engines;
use domain::dues::{self, DuesInput, PaymentInput};
use domain::members::{self, MemberInput};
use domain::tenancy::Commit;
use domain::testing::{member_input, today};
use support::*;
use tower::ServiceExt;
use uuid::Uuid;

/// 诸葛文华 of A, assessed at 120 元 a month from this month and paid for it.
async fn fixture(t: &TestDb, w: &World) -> Uuid {
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    let member = members::create(
        &tx,
        &MemberInput {
            category: "in_service".into(),
            ..member_input("诸葛文华")
        },
        None,
        today(),
    )
    .await
    .expect("member");
    let month = dues::month_label(today());
    let input = DuesInput {
        from_month: month.clone(),
        base: "8000".into(),
        ..Default::default()
    };
    dues::assess(&tx, member, &input, today())
        .await
        .expect("assessed");
    let paid = PaymentInput {
        from_month: month,
        method: "cash".into(),
        paid_on: today().to_string(),
        ..Default::default()
    };
    dues::record_payment(&tx, member, &paid, today())
        .await
        .expect("paid");
    tx.commit().await.expect("commit");
    member
}

/// A's dues as its secretary reads them: assessments and payments of the member.
async fn a_dues(t: &TestDb, w: &World, member: Uuid) -> (usize, usize) {
    let tx = w.read_as(&t.db, "secretary_a", w.community_a.id).await;
    let kept = dues::member_dues(&tx, member, today()).await.expect("dues");
    tx.commit().await.expect("commit");
    (kept.assessments.len(), kept.payments.len())
}

async fn dues_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let member = fixture(&t, &w).await;
    let (a, b, c) = (w.community_a.id, w.community_b.id, w.community_c.id);
    let month = dues::month_label(today());
    let before = a_dues(&t, &w, member).await;
    let writes = |community: Uuid| {
        vec![
            (
                "/api/dues/assess",
                format!("community={community}&member={member}&from_month={month}&base=3000&rate=&fixed="),
            ),
            (
                "/api/dues/pay",
                format!(
                    "community={community}&member={member}&from_month={month}&to_month=&method=cash&paid_on={}&proxy=",
                    today()
                ),
            ),
            (
                "/api/dues/undo",
                format!("community={community}&member={member}&month={month}"),
            ),
        ]
    };
    let reads = [
        format!("/org/{a}/dues"),
        format!("/org/{a}/dues/{member}"),
        format!("/org/{a}/dues.xlsx?month={month}"),
    ];
    let outsiders = not_staff_of_a();
    assert_forbidden(&router, &outsiders, &writes(a), &reads, Some("诸葛文华")).await;
    // Staff of B and C with their own community id but A's member: refused, nothing read.
    for (login_name, own) in [("worker_b", b), ("secretary_c", c)] {
        let cookie = login(&router, login_name, None).await;
        for (path, body) in writes(own) {
            let reply = submit(&router, path, body, &cookie).await;
            assert!(refused(&reply), "{login_name} {path}: {}", reply.status);
        }
        let page = visit(&router, &format!("/org/{own}/dues/{member}"), &cookie).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{login_name}");
        assert!(!page.body.contains("诸葛文华"));
    }
    // The street's figures: another street's staff and the communities are refused; the street
    // sees counts and no names.
    let totals = format!("/org/{}/dues-totals?month={month}", w.street.id);
    for login_name in ["other_street", "secretary_a", "member_a", "liaison"] {
        let cookie = login(&router, login_name, None).await;
        let reply = visit(&router, &totals, &cookie).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{login_name}");
    }
    for login_name in ["street", "district"] {
        let cookie = login(&router, login_name, None).await;
        let reply = visit(&router, &totals, &cookie).await;
        assert_eq!(reply.status, StatusCode::OK, "{login_name}");
        assert!(reply.body.contains("120.00") && !reply.body.contains("诸葛文华"));
    }
    assert_eq!(a_dues(&t, &w, member).await, before, "nothing written in A");

    // The secretary: a month already paid is refused with its reason; the next is recorded.
    let cookie = login(&router, "secretary_a", None).await;
    let (_, pay) = &writes(a)[1];
    let reply = submit(&router, "/api/dues/pay", pay.clone(), &cookie).await;
    assert_eq!(reply.location, Some(format!("/org/{a}/dues/{member}#pay")));
    let page = visit(&router, &reads[1], &cookie).await;
    assert!(page.body.contains("其中有已缴纳的月份"), "{}", page.body);
    let next = dues::month_label(today() + chrono::Months::new(1));
    let ahead = format!(
        "community={a}&member={member}&from_month={next}&to_month=&method=transfer&paid_on={}&proxy={}",
        today(),
        enc("诸葛文华之女")
    );
    let reply = submit(&router, "/api/dues/pay", ahead, &cookie).await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{a}/dues/{member}?saved=1"))
    );
    assert_eq!(a_dues(&t, &w, member).await, (1, 2));
    let page = visit(&router, &reads[0], &cookie).await;
    assert!(page.body.contains("诸葛文华") && page.body.contains("120.00"));
    let response = router
        .clone()
        .oneshot(get(&reads[2], Some(&cookie)))
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = to_bytes(response.into_body(), 1 << 20).await.expect("body");
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx");
    use calamine::Reader;
    let lines = book.worksheet_range("明细").expect("the lines");
    let names: Vec<String> = lines.rows().map(|r| r[1].to_string()).collect();
    assert!(names.contains(&"诸葛文华".to_owned()), "{names:?}");
    let audited = domain::audit::recent(&t.db, "dues_exported", 10)
        .await
        .expect("audit");
    assert_eq!(audited.len(), 1, "the download is in the audit log");
    // Taken back: the payment of next month.
    let undo = format!("community={a}&member={member}&month={next}");
    let reply = submit(&router, "/api/dues/undo", undo, &cookie).await;
    assert_eq!(
        reply.location,
        Some(format!("/org/{a}/dues/{member}?saved=1"))
    );
    assert_eq!(a_dues(&t, &w, member).await, (1, 1));
}
both_engines!(party_dues_as_every_role, dues_as_every_role);
