//! Wall 1: every role against every tenant of the fixture. Detail only for one's own tenant,
//! aggregates only below, nothing for siblings or other branches of the tree.
use domain::auth::NodeAccess;
use domain::both_engines;
use domain::members;
use domain::org::placements::{self, PlacementKind};
use domain::overview::{node_page, NodeView};
use domain::tenancy::Commit;
use domain::testing::{world, TestDb};
use domain::DomainError;

#[derive(Debug, PartialEq)]
enum Seen {
    Manage,
    Paired,
    Own,
    Rollup,
    Forbidden,
}

async fn access_matrix(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let (d, od, s, os, a, b, c) = (
        w.district.id,
        w.other_district.id,
        w.street.id,
        w.other_street.id,
        w.community_a.id,
        w.community_b.id,
        w.community_c.id,
    );
    // The liaison's school is paired with A: there they run its activities, nothing more.
    domain::testing::paired_school(db, &w).await;
    use Seen::*;
    // login → expected access to [district, other district, street, other street, A, B, C]
    let expected = [
        (
            "operator",
            [Rollup, Rollup, Rollup, Rollup, Rollup, Rollup, Rollup],
        ),
        (
            "district",
            [Manage, Forbidden, Rollup, Rollup, Rollup, Rollup, Rollup],
        ),
        (
            "street",
            [
                Forbidden, Forbidden, Manage, Forbidden, Rollup, Rollup, Forbidden,
            ],
        ),
        (
            "other_street",
            [
                Forbidden, Forbidden, Forbidden, Manage, Forbidden, Forbidden, Rollup,
            ],
        ),
        (
            "secretary_a",
            [
                Forbidden, Forbidden, Forbidden, Forbidden, Manage, Forbidden, Forbidden,
            ],
        ),
        (
            "worker_b",
            [
                Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Manage, Forbidden,
            ],
        ),
        (
            "secretary_c",
            [
                Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Manage,
            ],
        ),
        (
            "member_a",
            [
                Forbidden, Forbidden, Forbidden, Forbidden, Own, Forbidden, Forbidden,
            ],
        ),
        (
            "liaison",
            [
                Forbidden, Forbidden, Own, Forbidden, Paired, Forbidden, Forbidden,
            ],
        ),
    ];
    for (login, row) in expected {
        let p = w.principal(db, login).await;
        for (node, want) in [d, od, s, os, a, b, c].into_iter().zip(row) {
            let seen = match p.access(db, node).await {
                Ok(NodeAccess::Manage { .. }) => Manage,
                Ok(NodeAccess::Own { .. }) => Own,
                Ok(NodeAccess::Rollup { .. }) => Rollup,
                Ok(NodeAccess::Paired { .. }) => Paired,
                Err(DomainError::Forbidden) => Forbidden,
                Err(other) => panic!("{login}: unexpected {other:?}"),
            };
            assert_eq!(seen, want, "{login} on {node}");
        }
    }
}
both_engines!(every_role_sees_only_what_its_level_allows, access_matrix);

async fn detail_stays_in_its_tenant(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let secretary_a = w.principal(db, "secretary_a").await;
    let scope_a = secretary_a
        .manage_scope(db, w.community_a.id)
        .await
        .expect("own scope");
    let tx = scope_a.write(db).await.expect("tx");
    let branch =
        placements::create_placement(&tx, PlacementKind::GridBranch, "第一网格党支部", None)
            .await
            .expect("unit");
    members::create(
        &tx,
        &domain::members::MemberInput {
            unit_id: Some(branch),
            ..domain::testing::member_input("王秀兰")
        },
        None,
        domain::testing::today(),
    )
    .await
    .expect("member");
    tx.commit().await.expect("commit");

    // B's secretary-level worker cannot get a scope for A, and B's own tenant holds nothing of A.
    let worker_b = w.principal(db, "worker_b").await;
    assert_eq!(
        worker_b.manage_scope(db, w.community_a.id).await.err(),
        Some(DomainError::Forbidden)
    );
    let scope_b = worker_b
        .manage_scope(db, w.community_b.id)
        .await
        .expect("own scope");
    let tx = scope_b.read(db).await.expect("tx");
    assert_eq!(members::count(&tx).await.expect("count"), 0);
    assert!(placements::list_placements(&tx)
        .await
        .expect("units")
        .is_empty());
    tx.commit().await.expect("commit");

    // Using A's branch id from B's tenant is refused: the parent is not found in B.
    let tx = scope_b.write(db).await.expect("tx");
    assert_eq!(
        placements::create_placement(
            &tx,
            PlacementKind::BuildingGroup,
            "1号楼党小组",
            Some(branch)
        )
        .await,
        Err(DomainError::invalid("parent", "not_found"))
    );
    drop(tx);

    // Nobody else can write into A: every other principal is refused a scope.
    for login in domain::testing::not_staff_of_a() {
        let p = w.principal(db, login).await;
        assert_eq!(
            p.manage_scope(db, w.community_a.id).await.err(),
            Some(DomainError::Forbidden),
            "{login} must not write into community A"
        );
    }
    let tx = scope_a.read(db).await.expect("tx");
    assert_eq!(members::count(&tx).await.expect("count"), 1);
    assert_eq!(
        placements::list_placements(&tx).await.expect("units").len(),
        1
    );
    tx.commit().await.expect("commit");
}
both_engines!(tenant_detail_is_isolated, detail_stays_in_its_tenant);

async fn pages_show_aggregates_above_and_nothing_across(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let secretary_a = w.principal(db, "secretary_a").await;
    let scope = secretary_a
        .manage_scope(db, w.community_a.id)
        .await
        .expect("scope");
    let tx = scope.write(db).await.expect("tx");
    placements::create_placement(&tx, PlacementKind::GridBranch, "第一网格党支部", None)
        .await
        .expect("unit");
    for name in ["王秀兰", "李建华", "张桂英"] {
        members::create(
            &tx,
            &domain::testing::member_input(name),
            None,
            domain::testing::today(),
        )
        .await
        .expect("member");
    }
    tx.commit().await.expect("commit");

    let street = w.principal(db, "street").await;
    let page = node_page(db, &street, w.street.id)
        .await
        .expect("street page");
    let NodeView::Overview {
        totals,
        children,
        breakdown,
        ..
    } = page.view
    else {
        panic!("street sees an overview");
    };
    // member_input makes retired members in normal status.
    let retired = breakdown
        .by_category
        .iter()
        .find(|(c, _)| *c == domain::members::Category::Retired)
        .map(|(_, n)| *n);
    assert_eq!(retired, Some(3));
    let normal = breakdown
        .by_status
        .iter()
        .find(|(s, _)| *s == domain::members::Status::Normal)
        .map(|(_, n)| *n);
    assert_eq!(normal, Some(3));
    assert_eq!(breakdown.by_category.iter().map(|(_, n)| n).sum::<i64>(), 3);
    assert_eq!(totals.communities, 2);
    assert_eq!(totals.members, 3);
    let names: Vec<_> = children
        .iter()
        .map(|c| (c.node.name.as_str(), c.figures.members))
        .collect();
    assert_eq!(names, vec![("长江路社区", 3), ("丹东路社区", 0)]);

    // The street opening community A sees figures, never the roster.
    let page = node_page(db, &street, w.community_a.id)
        .await
        .expect("community page");
    assert!(!page.own_tenant);
    assert!(
        matches!(page.view, NodeView::CommunityFigures { ref totals, .. } if totals.members == 3 && totals.grid_branches == 1)
    );

    // The district sees both streets; the other street's figures do not include A.
    let district = w.principal(db, "district").await;
    let page = node_page(db, &district, w.district.id)
        .await
        .expect("district page");
    let NodeView::Overview { children, .. } = page.view else {
        panic!("district sees an overview");
    };
    let figures: Vec<_> = children
        .iter()
        .map(|c| {
            (
                c.node.code.as_str(),
                c.figures.communities,
                c.figures.members,
            )
        })
        .collect();
    assert_eq!(figures, vec![("220103002", 2, 3), ("220103005", 1, 0)]);

    // Siblings and other streets get nothing.
    for (login, node) in [
        ("other_street", w.street.id),
        ("other_street", w.community_a.id),
        ("worker_b", w.community_a.id),
        ("secretary_c", w.street.id),
        ("member_a", w.community_b.id),
        ("member_a", w.street.id),
    ] {
        let p = w.principal(db, login).await;
        assert_eq!(
            node_page(db, &p, node).await.err(),
            Some(DomainError::Forbidden),
            "{login}"
        );
    }

    // The member sees their own community page without the roster.
    let member = w.principal(db, "member_a").await;
    let page = node_page(db, &member, w.community_a.id)
        .await
        .expect("member home");
    assert!(matches!(page.view, NodeView::MemberHome { .. }));

    // Breadcrumbs: the secretary's ancestors are shown but not linked.
    let page = node_page(db, &secretary_a, w.community_a.id)
        .await
        .expect("page");
    let crumbs: Vec<_> = page
        .crumbs
        .iter()
        .map(|c| (c.node.name.as_str(), c.linked))
        .collect();
    assert_eq!(
        crumbs,
        vec![("宽城区", false), ("站前街道", false), ("长江路社区", true)]
    );
}
both_engines!(
    rollups_go_up_and_nothing_goes_across,
    pages_show_aggregates_above_and_nothing_across
);

async fn unknown_ids_are_not_found(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let p = w.principal(db, "street").await;
    assert_eq!(
        p.access(db, uuid::Uuid::now_v7()).await.err(),
        Some(DomainError::NotFound)
    );
}
both_engines!(a_foreign_uuid_is_not_found, unknown_ids_are_not_found);

async fn organising_units(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let a = w
        .principal(db, "secretary_a")
        .await
        .manage_scope(db, w.community_a.id)
        .await
        .expect("scope");
    let tx = a.write(db).await.expect("tx");
    let first =
        placements::create_placement(&tx, PlacementKind::GridBranch, "第一网格党支部", None)
            .await
            .expect("unit");
    let second =
        placements::create_placement(&tx, PlacementKind::GridBranch, "第二网格党支部", None)
            .await
            .expect("unit");
    let group = placements::create_placement(
        &tx,
        PlacementKind::BuildingGroup,
        "1号楼党小组",
        Some(first),
    )
    .await
    .expect("unit");
    placements::update_placement(&tx, group, "1号楼第一党小组", Some(second), None)
        .await
        .expect("rename and move");
    assert_eq!(
        placements::update_placement(&tx, group, "x", None, None).await,
        Err(DomainError::invalid("parent", "wrong_level")),
        "a group needs a branch"
    );
    assert_eq!(
        placements::update_placement(&tx, second, "x", Some(first), None).await,
        Err(DomainError::invalid("parent", "wrong_level")),
        "a branch sits at the top"
    );
    assert_eq!(
        placements::create_placement(&tx, PlacementKind::CentralHousehold, "x", Some(first)).await,
        Err(DomainError::invalid("parent", "wrong_level"))
    );
    assert_eq!(
        placements::update_placement(&tx, group, " ", Some(second), None).await,
        Err(DomainError::invalid("name", "required"))
    );
    let listed = placements::list_placements(&tx).await.expect("units");
    let moved = listed.iter().find(|u| u.id == group).expect("group");
    assert_eq!(
        (moved.name.as_str(), moved.parent_id),
        ("1号楼第一党小组", Some(second))
    );
    let labels = placements::labels(&listed);
    assert!(labels.contains(&(group, "第二网格党支部 › 1号楼第一党小组".to_owned())));
    tx.commit().await.expect("commit");

    // B's worker cannot touch A's units, even with their ids.
    let b = w
        .principal(db, "worker_b")
        .await
        .manage_scope(db, w.community_b.id)
        .await
        .expect("scope");
    let tx = b.write(db).await.expect("tx");
    assert_eq!(
        placements::update_placement(&tx, group, "偷改", Some(second), Some("2026-01-01")).await,
        Err(DomainError::NotFound)
    );
    drop(tx);
    // A branch secretary of A may not reorganise (only the secretary and workers).
    let branch_secretary = domain::auth::users::create_user(
        db,
        domain::auth::users::NewUser {
            login_name: "branch_a",
            phone: None,
            display_name: "branch_a",
            password: domain::testing::PASSWORD,
        },
    )
    .await
    .expect("user");
    domain::auth::users::grant_branch_in(db, None, branch_secretary, w.community_a.id, first)
        .await
        .expect("role");
    let p = domain::auth::Principal::load(db, branch_secretary)
        .await
        .expect("load")
        .expect("active");
    let scope = p
        .manage_scope(db, w.community_a.id)
        .await
        .expect("branch secretaries read");
    let tx = scope.write(db).await.expect("tx");
    assert_eq!(
        placements::create_placement(&tx, PlacementKind::GridBranch, "x", None).await,
        Err(DomainError::Forbidden)
    );
    drop(tx);
}
both_engines!(units_are_organised_within_the_community, organising_units);
