//! 党建统筹 over HTTP on both engines: who may open which dashboard (staff of the node or
//! above, the operator; never a member, a liaison, a sibling or another street), and that a
//! dashboard shows figures — never a member's name, phone or address.
mod support;

use calamine::Reader;
use chrono::Utc;
use domain::activities;
use domain::both_engines;
use domain::members::{self, MemberInput};
use domain::tenancy::Commit;
use domain::testing::{activity_tomorrow, member_input, paired_school, today};
use support::*;
use tower::ServiceExt;
use uuid::Uuid;

async fn dashboards_by_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    paired_school(&t.db, &w).await;
    // A member with a name, phone and address nobody above the community may see.
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    let input = MemberInput {
        phone: "13912345678".into(),
        building: "秘密小区7号楼".into(),
        room: "1203室".into(),
        ..member_input("秘密张三")
    };
    members::create(&tx, &input, None, today())
        .await
        .expect("member");
    activities::save_activity(&tx, None, &activity_tomorrow("秘密活动", ""), Utc::now())
        .await
        .expect("activity");
    tx.commit().await.expect("commit");

    let (d, od, s, os, a, b, c) = (
        w.district.id,
        w.other_district.id,
        w.street.id,
        w.other_street.id,
        w.community_a.id,
        w.community_b.id,
        w.community_c.id,
    );
    let all = [d, od, s, os, a, b, c];
    // login → the dashboards they may open (every other one is refused).
    let allowed: [(&str, Vec<Uuid>); 9] = [
        ("operator", all.to_vec()),
        ("district", vec![d, s, os, a, b, c]),
        ("street", vec![s, a, b]),
        ("other_street", vec![os, c]),
        ("secretary_a", vec![a]),
        ("worker_b", vec![b]),
        ("secretary_c", vec![c]),
        ("member_a", vec![]),
        ("liaison", vec![]),
    ];
    for (login_name, may) in allowed {
        let cookie = login(&router, login_name, None).await;
        for node in all {
            let reply = visit(&router, &format!("/org/{node}/dashboard"), &cookie).await;
            let want = if may.contains(&node) {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(reply.status, want, "{login_name} on {node}");
            let file = visit(&router, &format!("/org/{node}/dashboard.xlsx"), &cookie).await;
            assert_eq!(file.status, want, "{login_name} on {node}.xlsx");
            for private in [
                "秘密张三",
                "13912345678",
                "秘密小区",
                "1203室",
                "秘密活动",
                "长春市第一中学",
            ] {
                assert!(
                    !reply.body.contains(private),
                    "{login_name} sees {private} on {node}"
                );
            }
        }
    }
    // The street's dashboard has the figures and each community one click further down.
    let street = login(&router, "street", None).await;
    let page = visit(&router, &format!("/org/{s}/dashboard"), &street).await;
    assert!(page.body.contains("党建统筹") && page.body.contains("<svg"));
    assert!(page.body.contains(&format!("href=\"/org/{a}/dashboard\"")));
    assert!(
        !page.body.contains(&format!("href=\"/org/{c}/dashboard\"")),
        "not another street's"
    );
    // The tables download as a workbook with the communities' rows (and still nobody's name).
    let response = router
        .clone()
        .oneshot(get(&format!("/org/{s}/dashboard.xlsx"), Some(&street)))
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = to_bytes(response.into_body(), 1 << 20).await.expect("body");
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx file");
    let rows: Vec<Vec<String>> = book
        .worksheet_range("下级单位")
        .expect("sheet")
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0][0], "名称");
    let names: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names, vec!["长江路社区", "丹东路社区"]);
    assert_eq!(
        rows[1][2], "3",
        "the fixture's two members of A and 秘密张三"
    );
    for sheet in book.sheet_names() {
        let range = book.worksheet_range(&sheet).expect("sheet");
        for cell in range.cells() {
            assert!(!cell.2.to_string().contains("秘密"), "{sheet}");
        }
    }
    // Any figure ranks the communities; an unknown one falls back to activities.
    for by in [
        "members",
        "lost",
        "reported",
        "attendance",
        "hours",
        "points",
        "behind",
        "completion",
        "overdue",
        "nonsense",
    ] {
        let page = visit(&router, &format!("/org/{s}/dashboard?by={by}"), &street).await;
        assert_eq!(page.status, StatusCode::OK, "{by}");
    }
}

both_engines!(dashboards_by_role, dashboards_by_role);
