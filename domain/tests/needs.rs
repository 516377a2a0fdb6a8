//! 需求清单 and 微心愿 on both engines: who asked stays in the community; a wish has exactly one
//! live claim (two claims at once: one wins, the other learns who holds it); delivered,
//! confirmed; an unmet need escalated to the street, which sees it without who asked.
use domain::audit;
use domain::both_engines;
use domain::coop::{self, NeedInput, NeedStatus, PartnerInput};
use domain::tenancy::Commit;
use domain::testing::{today, world, TestDb, World};
use domain::DomainError;
use uuid::Uuid;

fn wish(title: &str) -> NeedInput {
    NeedInput {
        title: title.into(),
        category: "助老".into(),
        urgency: "normal".into(),
        detail: "腿脚不便，需要一台助行器".into(),
        wish: true,
        requester_name: "王秀兰".into(),
        requester_phone: "13812345678".into(),
    }
}

/// A school paired with A whose liaison is `liaison`.
async fn paired_unit(t: &TestDb, w: &World) -> Uuid {
    let street = w.coop_as(&t.db, "street", w.street.id).await;
    let tx = street.write(&t.db).await.expect("tx");
    let input = PartnerInput {
        name: "长春市第一中学".into(),
        kind: "school".into(),
        ..Default::default()
    };
    let unit = coop::save_partner(&tx, None, &input).await.expect("unit");
    coop::pair(&tx, unit, w.community_a.id, today())
        .await
        .expect("pair");
    coop::attach_liaison(&tx, unit, w.account("liaison").user_id)
        .await
        .expect("attach");
    tx.commit().await.expect("commit");
    unit
}

async fn wish_cycle(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.community_a.id;
    paired_unit(&t, &w).await;
    let community = w.coop_as(&t.db, "secretary_a", a).await;
    let tx = community.write(&t.db).await.expect("tx");
    let refused = [
        (
            NeedInput {
                title: " ".into(),
                ..wish("x")
            },
            ("need_title", "required"),
        ),
        (
            NeedInput {
                category: "修车".into(),
                ..wish("x")
            },
            ("need_category", "not_in_list"),
        ),
        (
            NeedInput {
                urgency: "later".into(),
                ..wish("x")
            },
            ("urgency", "not_in_list"),
        ),
        (
            NeedInput {
                requester_phone: "123".into(),
                ..wish("x")
            },
            ("requester_phone", "bad_phone"),
        ),
        (
            NeedInput {
                requester_name: String::new(),
                ..wish("x")
            },
            ("requester_name", "required"),
        ),
        (
            NeedInput {
                detail: "长".repeat(501),
                ..wish("x")
            },
            ("detail", "too_long"),
        ),
    ];
    for (input, (field, reason)) in refused {
        assert_eq!(
            coop::post_need(&tx, &input, today()).await,
            Err(DomainError::invalid(field, reason))
        );
    }
    let walker = coop::post_need(&tx, &wish("一台助行器"), today())
        .await
        .expect("wish");
    let road = NeedInput {
        wish: false,
        title: "小区路面修补".into(),
        category: "environment".into(),
        requester_name: String::new(),
        requester_phone: String::new(),
        ..wish("")
    };
    let road = coop::post_need(&tx, &road, today()).await.expect("need");
    // The community's staff see who asked; the phone masked, as a member's.
    let own = coop::needs(&tx).await.expect("needs");
    let posted = own.iter().find(|n| n.id == walker).expect("posted");
    assert_eq!(posted.requester.as_deref(), Some("王秀兰"));
    assert_eq!(posted.requester_phone.as_deref(), Some("138****5678"));
    assert_eq!(
        coop::claim(&tx, walker, today()).await,
        Err(DomainError::Forbidden),
        "staff post wishes; members and units claim them"
    );
    // Unclaimed for more than the community's limit (14 days unless it sets one): flagged.
    let road_need = own.iter().find(|n| n.id == road).expect("road");
    assert!(!road_need.flagged(today()));
    assert!(road_need.flagged(today() + chrono::Duration::days(15)));
    assert_eq!(
        coop::set_unclaimed_days(&tx, "0").await,
        Err(DomainError::invalid("unclaimed_days", "bad_value"))
    );
    coop::set_unclaimed_days(&tx, "30").await.expect("limit");
    coop::set_unclaimed_days(&tx, "31")
        .await
        .expect("changed again");
    let road_need = coop::needs(&tx)
        .await
        .expect("needs")
        .into_iter()
        .find(|n| n.id == road)
        .expect("road");
    assert!(!road_need.flagged(today() + chrono::Duration::days(31)));
    assert!(road_need.flagged(today() + chrono::Duration::days(32)));
    tx.commit().await.expect("commit");

    // The secretary reveals one requester's number at a time, each reveal audited; nobody else.
    assert_eq!(
        coop::reveal_requester_phone(&t.db, &community, walker).await,
        Ok(Some("13812345678".to_owned()))
    );
    assert_eq!(
        coop::reveal_requester_phone(&t.db, &community, Uuid::new_v4()).await,
        Err(DomainError::NotFound)
    );
    let reveals = || async {
        audit::recent(&t.db, "requester_phone_revealed", 10)
            .await
            .expect("audit")
    };
    let logged = reveals().await;
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].subject, walker.to_string());
    for (login, node) in [
        ("worker_b", w.community_b.id),
        ("member_a", a),
        ("liaison", w.street.id),
        ("street", w.street.id),
    ] {
        let other = w.coop_as(&t.db, login, node).await;
        assert_eq!(
            coop::reveal_requester_phone(&t.db, &other, walker).await,
            Err(DomainError::Forbidden),
            "{login}"
        );
    }
    assert_eq!(reveals().await.len(), 1, "a refused reveal is not one");

    let b_staff = w.coop_as(&t.db, "worker_b", w.community_b.id).await;
    let tx = b_staff.write(&t.db).await.expect("tx");
    coop::set_unclaimed_days(&tx, "1")
        .await
        .expect("B's own limit");
    tx.commit().await.expect("commit");

    // The member sees the wish masked; the unit too; the other street nothing.
    let member = w.coop_as(&t.db, "member_a", a).await;
    let tx = member.read(&t.db).await.expect("tx");
    let seen = coop::needs(&tx).await.expect("needs");
    assert_eq!(seen.len(), 1, "members see wishes only");
    assert_eq!(seen[0].requester.as_deref(), Some("王*兰"));
    assert_eq!(seen[0].requester_phone, None);
    assert_eq!(
        coop::post_need(&tx, &wish("冒名"), today()).await,
        Err(DomainError::Forbidden)
    );
    drop(tx);
    let unit = w.coop_as(&t.db, "liaison", w.street.id).await;
    let tx = unit.read(&t.db).await.expect("tx");
    let seen = coop::needs(&tx).await.expect("needs");
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|n| n.requester_phone.is_none()));
    assert_eq!(
        coop::claim(&tx, road, today()).await,
        Err(DomainError::invalid("need", "not_a_wish"))
    );
    drop(tx);
    let other = w.coop_as(&t.db, "other_street", w.other_street.id).await;
    let tx = other.write(&t.db).await.expect("tx");
    assert!(coop::needs(&tx).await.expect("none").is_empty());
    assert_eq!(
        coop::claim(&tx, walker, today()).await,
        Err(DomainError::Forbidden)
    );
    drop(tx);

    // Two claims at once: exactly one wins, the other is told who holds the wish.
    let (tx_member, tx_unit) = (member.write(&t.db), async {
        // A second connection for the unit's claim; on SQLite it waits for the first writer.
        unit.write(&t.db).await
    });
    let race = async {
        let tx = tx_member.await.expect("tx");
        let result = coop::claim(&tx, walker, today()).await;
        tx.commit().await.expect("commit");
        result
    };
    let other_race = async {
        let tx = tx_unit.await.expect("tx");
        let result = coop::claim(&tx, walker, today()).await;
        tx.commit().await.expect("commit");
        result
    };
    let (first, second) = tokio::join!(race, other_race);
    let results = [first.clone(), second.clone()];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    let lost = results.iter().find(|r| r.is_err()).expect("one lost");
    let winner = if first.is_ok() {
        "member_a"
    } else {
        "长春市第一中学"
    };
    assert_eq!(
        lost,
        &Err(DomainError::Taken {
            by: winner.to_owned()
        })
    );

    // The winner delivers; the community confirms.
    let holder = if first.is_ok() { &member } else { &unit };
    let loser = if first.is_ok() { &unit } else { &member };
    let tx = loser.write(&t.db).await.expect("tx");
    assert!(matches!(
        coop::deliver(&tx, walker, today()).await,
        Err(DomainError::NotFound | DomainError::Forbidden)
    ));
    drop(tx);
    let tx = community.write(&t.db).await.expect("tx");
    assert_eq!(
        coop::confirm(&tx, walker, today()).await,
        Err(DomainError::invalid("need", "not_delivered"))
    );
    drop(tx);
    let tx = holder.write(&t.db).await.expect("tx");
    coop::deliver(&tx, walker, today()).await.expect("deliver");
    tx.commit().await.expect("commit");
    let tx = community.write(&t.db).await.expect("tx");
    coop::confirm(&tx, walker, today()).await.expect("confirm");
    let done = coop::needs(&tx).await.expect("needs");
    let done = done.iter().find(|n| n.id == walker).expect("wish");
    assert_eq!(done.status, NeedStatus::Done);
    assert_eq!(done.confirmed_on, Some(today()));

    // The road is beyond the community: escalated, the street sees it without who asked.
    coop::escalate(&tx, road, today()).await.expect("escalate");
    assert_eq!(
        coop::escalate(&tx, road, today()).await,
        Err(DomainError::invalid("need", "already_escalated"))
    );
    tx.commit().await.expect("commit");
    assert_eq!(
        audit::recent(&t.db, "need_escalated", 5)
            .await
            .expect("audit")
            .len(),
        1
    );
    let street = w.coop_as(&t.db, "street", w.street.id).await;
    let tx = street.read(&t.db).await.expect("tx");
    let seen = coop::needs(&tx).await.expect("needs");
    assert_eq!(seen.iter().map(|n| n.id).collect::<Vec<_>>(), vec![road]);
    assert_eq!(
        coop::escalate(&tx, road, today()).await,
        Err(DomainError::Forbidden)
    );
    drop(tx);

    // B's staff see none of A's needs.
    let b = w.coop_as(&t.db, "worker_b", w.community_b.id).await;
    let tx = b.write(&t.db).await.expect("tx");
    assert!(coop::needs(&tx).await.expect("none").is_empty());
    assert_eq!(
        coop::confirm(&tx, walker, today()).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        coop::escalate(&tx, road, today()).await,
        Err(DomainError::NotFound)
    );
    drop(tx);
}
both_engines!(a_wish_is_claimed_once_delivered_and_confirmed, wish_cycle);

/// A member who claims and fulfils a wish earns the community's wish points once confirmed.
async fn wish_points(t: TestDb) {
    use domain::points::{self, PointsCategory};
    let w = world(&t.db).await;
    let a = w.community_a.id;
    let own = w.scope_as(&t.db, "secretary_a", a).await;
    let tx = own.write(&t.db).await.expect("tx");
    let me = domain::members::create(
        &tx,
        &domain::testing::member_input("陈晓明"),
        Some(w.account("member_a").user_id),
        today(),
    )
    .await
    .expect("member");
    points::set_rule(&tx, "wish", "4").await.expect("rule");
    tx.commit().await.expect("commit");
    let community = w.coop_as(&t.db, "secretary_a", a).await;
    let tx = community.write(&t.db).await.expect("tx");
    let id = coop::post_need(&tx, &wish("陪老人去医院复查"), today())
        .await
        .expect("wish");
    tx.commit().await.expect("commit");
    let member = w.coop_as(&t.db, "member_a", a).await;
    let tx = member.write(&t.db).await.expect("tx");
    coop::claim(&tx, id, today()).await.expect("claim");
    coop::deliver(&tx, id, today()).await.expect("deliver");
    tx.commit().await.expect("commit");
    let year = chrono::Datelike::year(&domain::clock::today());
    let tx = own.read(&t.db).await.expect("tx");
    assert_eq!(
        points::member_points(&tx, me, year).await.expect("p").total,
        0,
        "not before"
    );
    drop(tx);
    let tx = community.write(&t.db).await.expect("tx");
    coop::confirm(&tx, id, today()).await.expect("confirm");
    tx.commit().await.expect("commit");
    let tx = own.read(&t.db).await.expect("tx");
    let mine = points::member_points(&tx, me, year).await.expect("p");
    assert_eq!(mine.total, 4);
    assert_eq!(mine.entries[0].category, PointsCategory::Wish);
}

both_engines!(a_fulfilled_wish_earns_points, wish_points);

/// A claim on a wish the caller could never have claimed is not found — never "taken by …",
/// which would name who holds it; and a worker sees who asked with the phone masked.
async fn out_of_sight(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.community_a.id;
    // A unit of the street whose liaison is `liaison`, paired with no community.
    let street = w.coop_as(&t.db, "street", w.street.id).await;
    let tx = street.write(&t.db).await.expect("tx");
    let input = PartnerInput {
        name: "长春市第二中学".into(),
        kind: "school".into(),
        ..Default::default()
    };
    let unit = coop::save_partner(&tx, None, &input).await.expect("unit");
    coop::attach_liaison(&tx, unit, w.account("liaison").user_id)
        .await
        .expect("attach");
    tx.commit().await.expect("commit");
    let community = w.coop_as(&t.db, "secretary_a", a).await;
    let tx = community.write(&t.db).await.expect("tx");
    let walker = coop::post_need(&tx, &wish("一台助行器"), today())
        .await
        .expect("wish");
    tx.commit().await.expect("commit");
    let member = w.coop_as(&t.db, "member_a", a).await;
    let tx = member.write(&t.db).await.expect("tx");
    coop::claim(&tx, walker, today()).await.expect("claimed");
    tx.commit().await.expect("commit");

    let liaison = w.coop_as(&t.db, "liaison", w.street.id).await;
    let tx = liaison.write(&t.db).await.expect("tx");
    assert_eq!(
        coop::claim(&tx, walker, today()).await,
        Err(DomainError::NotFound),
        "an unpaired unit learns nothing of the wish"
    );
    drop(tx);

    let b = w.coop_as(&t.db, "worker_b", w.community_b.id).await;
    let tx = b.write(&t.db).await.expect("tx");
    let need = coop::post_need(&tx, &wish("换灯泡"), today())
        .await
        .expect("need");
    let seen = coop::needs(&tx).await.expect("needs");
    let posted = seen.iter().find(|n| n.id == need).expect("posted");
    assert_eq!(posted.requester.as_deref(), Some("王秀兰"));
    assert_eq!(posted.requester_phone.as_deref(), Some("138****5678"));
    tx.commit().await.expect("commit");
}
both_engines!(claims_out_of_sight_are_not_found, out_of_sight);
