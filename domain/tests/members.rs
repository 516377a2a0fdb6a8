//! The roster on both engines: checks that need the database, filters and paging, masking,
//! history, and the counters the street sees.
use domain::both_engines;
use domain::members::{self, Category, ListQuery, MemberInput};
use domain::org::units::{self, UnitKind};
use domain::rollup;
use domain::testing::{member_input, today, world, TestDb, World};
use domain::DomainError;

async fn scope(
    t: &TestDb,
    w: &World,
    login: &str,
    node: uuid::Uuid,
) -> domain::tenancy::TenantScope {
    let p = w.principal(&t.db, login).await;
    p.manage_scope(&t.db, node).await.expect("scope")
}

async fn roster_rules(t: TestDb) {
    let w = world(&t.db).await;
    let a = scope(&t, &w, "secretary_a", w.community_a.id).await;
    let tx = a.write(&t.db).await.expect("tx");
    let branch = units::create_unit(&tx, UnitKind::GridBranch, "第一网格党支部", None)
        .await
        .expect("unit");
    let first = MemberInput {
        phone: "13812345678".into(),
        unit_id: Some(branch),
        category: "在职".into(),
        employer: "长春市第一中学".into(),
        ..member_input("王秀兰")
    };
    let id = members::create(&tx, &first, None, today())
        .await
        .expect("create");
    let dup = MemberInput {
        phone: "13812345678".into(),
        ..member_input("李建华")
    };
    assert_eq!(
        members::create(&tx, &dup, None, today()).await,
        Err(DomainError::invalid("phone", "duplicate"))
    );
    tx.commit().await.expect("commit");

    // A unit of another community is unknown here; the same phone is fine in another community.
    let b = scope(&t, &w, "worker_b", w.community_b.id).await;
    let tx = b.write(&t.db).await.expect("tx");
    let foreign_unit = MemberInput {
        unit_id: Some(branch),
        ..member_input("张桂英")
    };
    assert_eq!(
        members::create(&tx, &foreign_unit, None, today()).await,
        Err(DomainError::invalid("unit_id", "not_found"))
    );
    members::create(&tx, &dup, None, today())
        .await
        .expect("same phone in another community");
    // A's member id does not exist in B.
    assert_eq!(members::get(&tx, id).await, Err(DomainError::NotFound));
    assert_eq!(
        members::update(&tx, id, &member_input("改名"), today()).await,
        Err(DomainError::NotFound)
    );
    tx.commit().await.expect("commit");

    // The secretary sees the phone, the worker of the same community would see it masked.
    let tx = a.read(&t.db).await.expect("tx");
    let row = members::get(&tx, id).await.expect("get");
    assert_eq!(row.phone.as_deref(), Some("13812345678"));
    assert_eq!(row.category, Category::InService);
    tx.commit().await.expect("commit");
}
both_engines!(the_roster_checks_what_needs_the_database, roster_rules);

async fn masking(t: TestDb) {
    let w = world(&t.db).await;
    let b = scope(&t, &w, "worker_b", w.community_b.id).await;
    let tx = b.write(&t.db).await.expect("tx");
    let id = members::create(
        &tx,
        &MemberInput {
            phone: "13987654321".into(),
            ..member_input("赵玉梅")
        },
        None,
        today(),
    )
    .await
    .expect("create");
    let row = members::get(&tx, id).await.expect("get");
    assert_eq!(
        row.phone.as_deref(),
        Some("139****4321"),
        "a worker sees a masked phone"
    );
    // Workers cannot search by phone either.
    let found = members::list(
        &tx,
        &ListQuery {
            search: "13987".into(),
            page: 1,
            per_page: 20,
            ..Default::default()
        },
    )
    .await
    .expect("list");
    assert_eq!(found.total, 0);
    tx.commit().await.expect("commit");
}
both_engines!(phones_are_masked_except_for_the_secretary, masking);

async fn filters_and_paging(t: TestDb) {
    let w = world(&t.db).await;
    let a = scope(&t, &w, "secretary_a", w.community_a.id).await;
    let tx = a.write(&t.db).await.expect("tx");
    for i in 0..25 {
        let category = if i % 5 == 0 { "流动" } else { "离退休" };
        let input = MemberInput {
            category: category.into(),
            ..member_input(&format!("党员{i:02}"))
        };
        members::create(&tx, &input, None, today())
            .await
            .expect("create");
    }
    let page = |n, per| ListQuery {
        page: n,
        per_page: per,
        ..Default::default()
    };
    let p1 = members::list(&tx, &page(1, 10)).await.expect("list");
    let p3 = members::list(&tx, &page(3, 10)).await.expect("list");
    assert_eq!((p1.total, p1.rows.len(), p3.rows.len()), (25, 10, 5));
    assert_ne!(p1.rows[0].id, p3.rows[0].id);
    let floating = ListQuery {
        category: Some(Category::Floating),
        page: 1,
        per_page: 50,
        ..Default::default()
    };
    assert_eq!(members::list(&tx, &floating).await.expect("list").total, 5);
    let search = ListQuery {
        search: "党员1".into(),
        page: 1,
        per_page: 50,
        ..Default::default()
    };
    assert_eq!(members::list(&tx, &search).await.expect("list").total, 10);
    let wildcard = ListQuery {
        search: "%".into(),
        page: 1,
        per_page: 50,
        ..Default::default()
    };
    assert_eq!(
        members::list(&tx, &wildcard).await.expect("list").total,
        25,
        "% is not a wildcard"
    );
    tx.commit().await.expect("commit");
}
both_engines!(the_roster_filters_and_pages, filters_and_paging);

async fn history_and_counters(t: TestDb) {
    let w = world(&t.db).await;
    let a = scope(&t, &w, "secretary_a", w.community_a.id).await;
    let tx = a.write(&t.db).await.expect("tx");
    let id = members::create(&tx, &member_input("孙德明"), None, today())
        .await
        .expect("create");
    members::create(&tx, &member_input("周海燕"), None, today())
        .await
        .expect("create");
    let moved = MemberInput {
        status: "已转出".into(),
        ..member_input("孙德明")
    };
    members::update(&tx, id, &moved, today())
        .await
        .expect("update");
    // An identical update changes nothing and records nothing.
    members::update(&tx, id, &moved, today())
        .await
        .expect("no-op update");
    assert_eq!(
        members::count(&tx).await.expect("count"),
        1,
        "transferred out leaves the roster"
    );
    let active = members::list(
        &tx,
        &ListQuery {
            page: 1,
            per_page: 10,
            ..Default::default()
        },
    )
    .await
    .expect("list");
    assert_eq!(active.total, 1);
    let all = ListQuery {
        include_transferred: true,
        page: 1,
        per_page: 10,
        ..Default::default()
    };
    assert_eq!(members::list(&tx, &all).await.expect("list").total, 2);
    let events = members::history(&tx, id).await.expect("history");
    let kinds: Vec<_> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, vec!["created", "updated"]);
    assert_eq!(events[1].detail["changed"], serde_json::json!(["status"]));
    assert_eq!(
        events[1].actor_user_id,
        Some(w.account("secretary_a").user_id)
    );
    tx.commit().await.expect("commit");

    // The street sees the count of the active roster, nothing else of the members.
    let street = w.principal(&t.db, "street").await;
    let domain::auth::NodeAccess::Rollup { rollup: scope } = street
        .access(&t.db, w.community_a.id)
        .await
        .expect("access")
    else {
        panic!("street oversees A");
    };
    assert_eq!(
        rollup::totals(&t.db, &scope).await.expect("totals").members,
        1
    );
}
both_engines!(history_is_kept_and_counters_follow, history_and_counters);

async fn members_see_only_themselves(t: TestDb) {
    let w = world(&t.db).await;
    let a = scope(&t, &w, "secretary_a", w.community_a.id).await;
    let tx = a.write(&t.db).await.expect("tx");
    let me = members::create(
        &tx,
        &member_input("陈晓明"),
        Some(w.account("member_a").user_id),
        today(),
    )
    .await
    .expect("create");
    let other = members::create(&tx, &member_input("刘春生"), None, today())
        .await
        .expect("create");
    tx.commit().await.expect("commit");

    let member = w.principal(&t.db, "member_a").await;
    let domain::auth::NodeAccess::Own { scope } = member
        .access(&t.db, w.community_a.id)
        .await
        .expect("access")
    else {
        panic!("a member has own access");
    };
    let tx = scope.write(&t.db).await.expect("tx");
    let query = ListQuery {
        page: 1,
        per_page: 10,
        ..Default::default()
    };
    assert_eq!(
        members::list(&tx, &query).await.err(),
        Some(DomainError::Forbidden)
    );
    assert_eq!(
        members::get(&tx, other).await.err(),
        Some(DomainError::Forbidden)
    );
    assert_eq!(
        members::history(&tx, other).await.err(),
        Some(DomainError::Forbidden)
    );
    assert_eq!(
        members::create(&tx, &member_input("冒名"), None, today())
            .await
            .err(),
        Some(DomainError::Forbidden)
    );
    assert_eq!(
        members::update(&tx, me, &member_input("改名"), today())
            .await
            .err(),
        Some(DomainError::Forbidden)
    );
    let own = members::own_record(&tx)
        .await
        .expect("own")
        .expect("linked");
    assert_eq!((own.id, own.name.as_str()), (me, "陈晓明"));
    assert_eq!(
        members::history(&tx, me).await.expect("own history").len(),
        1
    );
    drop(tx);
}
both_engines!(
    a_member_sees_only_their_own_record,
    members_see_only_themselves
);
