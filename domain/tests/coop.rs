//! 共建单位 and 结对共建 on both engines: the street registers and pairs units; a community sees
//! only the units paired with it; a liaison only their unit; other streets and roles nothing.
use domain::audit;
use domain::both_engines;
use domain::coop::{self, CoopScope, PartnerInput, PartnerKind};
use domain::testing::{today, world, TestDb, World};
use domain::DomainError;
use uuid::Uuid;

async fn scope(t: &TestDb, w: &World, login: &str, node: Uuid) -> DomainResult<CoopScope> {
    w.principal(&t.db, login)
        .await
        .coop_scope(&t.db, node)
        .await
}

type DomainResult<T> = Result<T, DomainError>;

fn unit(name: &str, kind: &str) -> PartnerInput {
    PartnerInput {
        name: name.into(),
        kind: kind.into(),
        party_org: format!("{name}党委"),
        liaison_name: "王晓东".into(),
        liaison_phone: "13811112222".into(),
        staff_count: "120".into(),
        member_count: "35".into(),
    }
}

async fn units_and_pairings(t: TestDb) {
    let w = world(&t.db).await;
    let (a, b, c) = (w.community_a.id, w.community_b.id, w.community_c.id);
    let street = scope(&t, &w, "street", w.street.id).await.expect("street");
    let tx = street.write(&t.db).await.expect("tx");
    let refused = [
        (
            PartnerInput {
                liaison_phone: "1381111".into(),
                ..unit("甲", "学校")
            },
            ("liaison_phone", "bad_phone"),
        ),
        (
            PartnerInput {
                member_count: "500".into(),
                ..unit("甲", "学校")
            },
            ("member_count", "more_than_staff"),
        ),
        (unit("甲", "小卖部"), ("unit_kind", "not_in_list")),
        (unit("", "学校"), ("unit_name", "required")),
        (
            PartnerInput {
                staff_count: "-3".into(),
                ..unit("甲", "学校")
            },
            ("staff_count", "bad_value"),
        ),
    ];
    for (input, (field, reason)) in refused {
        assert_eq!(
            coop::save_partner(&tx, None, &input).await,
            Err(DomainError::invalid(field, reason))
        );
    }
    let school = coop::save_partner(&tx, None, &unit("长春市第一中学", "学校"))
        .await
        .expect("unit");
    let tax = coop::save_partner(&tx, None, &unit("宽城区税务局", "agency"))
        .await
        .expect("unit");
    assert_eq!(
        coop::save_partner(&tx, None, &unit("长春市第一中学", "企业")).await,
        Err(DomainError::invalid("unit_name", "exists"))
    );
    coop::pair(&tx, school, a, today()).await.expect("pair");
    coop::pair(&tx, school, a, today())
        .await
        .expect("pairing again is no change");
    coop::pair(&tx, school, b, today()).await.expect("pair");
    coop::pair(&tx, tax, b, today()).await.expect("pair");
    for foreign in [c, w.street.id, w.district.id, Uuid::now_v7()] {
        assert_eq!(
            coop::pair(&tx, tax, foreign, today()).await,
            Err(DomainError::invalid("community", "other_street"))
        );
    }
    let all = coop::partners(&tx).await.expect("units");
    let seen: Vec<(&str, usize)> = all
        .iter()
        .map(|u| (u.name.as_str(), u.communities))
        .collect();
    assert_eq!(seen, vec![("宽城区税务局", 1), ("长春市第一中学", 2)]);
    assert_eq!(
        coop::get_partner(&tx, school).await.expect("unit").kind,
        PartnerKind::School
    );
    tx.commit().await.expect("commit");
    assert_eq!(
        audit::recent(&t.db, "unit_paired", 10)
            .await
            .expect("audit")
            .len(),
        3
    );

    // A community's staff: only the units paired with it, only their own pairing, no changes.
    let community_a = scope(&t, &w, "secretary_a", a).await.expect("community");
    let tx = community_a.read(&t.db).await.expect("tx");
    let seen: Vec<Uuid> = coop::partners(&tx)
        .await
        .expect("units")
        .iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(seen, vec![school]);
    let shown = coop::get_partner(&tx, school).await.expect("paired");
    assert_eq!(
        shown.communities.iter().map(|c| c.0).collect::<Vec<_>>(),
        vec![a]
    );
    assert_eq!(
        coop::get_partner(&tx, tax).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        coop::save_partner(&tx, Some(school), &unit("改名", "学校")).await,
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        coop::pair(&tx, tax, a, today()).await,
        Err(DomainError::Forbidden)
    );
    drop(tx);
    let community_b = scope(&t, &w, "worker_b", b).await.expect("community");
    let tx = community_b.read(&t.db).await.expect("tx");
    assert_eq!(coop::partners(&tx).await.expect("units").len(), 2);
    drop(tx);

    // The liaison: nothing until the street links the account, then their unit only.
    let liaison = w.account("liaison").user_id;
    assert_eq!(
        scope(&t, &w, "liaison", w.street.id).await.err(),
        Some(DomainError::Forbidden)
    );
    let tx = street.write(&t.db).await.expect("tx");
    coop::attach_liaison(&tx, school, liaison)
        .await
        .expect("attach");
    assert_eq!(
        coop::attach_liaison(&tx, school, liaison).await,
        Err(DomainError::invalid("liaison_account", "exists"))
    );
    tx.commit().await.expect("commit");
    let own = scope(&t, &w, "liaison", w.street.id)
        .await
        .expect("liaison");
    let tx = own.read(&t.db).await.expect("tx");
    let seen: Vec<Uuid> = coop::partners(&tx)
        .await
        .expect("units")
        .iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(seen, vec![school]);
    assert_eq!(
        coop::get_partner(&tx, school)
            .await
            .expect("own")
            .communities
            .len(),
        2
    );
    assert_eq!(
        coop::get_partner(&tx, tax).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        coop::save_partner(&tx, None, &unit("冒名单位", "企业")).await,
        Err(DomainError::Forbidden)
    );
    drop(tx);

    // Another street sees none of it; roles without a part in the space are refused.
    let other = scope(&t, &w, "other_street", w.other_street.id)
        .await
        .expect("other");
    let tx = other.write(&t.db).await.expect("tx");
    assert!(coop::partners(&tx).await.expect("units").is_empty());
    assert_eq!(
        coop::get_partner(&tx, school).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        coop::save_partner(&tx, Some(school), &unit("改名", "学校")).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        coop::pair(&tx, school, c, today()).await,
        Err(DomainError::NotFound)
    );
    drop(tx);
    for (login, node) in [
        ("other_street", w.street.id),
        ("district", w.street.id),
        ("operator", w.street.id),
        ("secretary_c", a),
        ("secretary_a", b),
        ("street", a),
        ("secretary_a", w.street.id),
    ] {
        assert_eq!(
            scope(&t, &w, login, node).await.err(),
            Some(DomainError::Forbidden),
            "{login}"
        );
    }

    // A member of A takes part in micro-wishes only: no units, no agreements.
    let member = scope(&t, &w, "member_a", a).await.expect("member");
    let tx = member.read(&t.db).await.expect("tx");
    assert_eq!(
        coop::partners(&tx).await.err(),
        Some(DomainError::Forbidden)
    );
    assert_eq!(
        coop::get_partner(&tx, school).await,
        Err(DomainError::Forbidden)
    );
    drop(tx);

    // Unpairing ends the community's view.
    let tx = street.write(&t.db).await.expect("tx");
    coop::unpair(&tx, school, a).await.expect("unpair");
    assert_eq!(
        coop::unpair(&tx, school, a).await,
        Err(DomainError::NotFound)
    );
    tx.commit().await.expect("commit");
    let tx = community_a.read(&t.db).await.expect("tx");
    assert!(coop::partners(&tx).await.expect("units").is_empty());
    drop(tx);
}
both_engines!(
    units_are_registered_paired_and_seen_by_their_part,
    units_and_pairings
);

fn agreement(community: &str, ends_on: &str, commitments: &str) -> coop::AgreementInput {
    coop::AgreementInput {
        community: community.into(),
        title: "共驻共建协议书".into(),
        starts_on: "2026-01-01".into(),
        ends_on: ends_on.into(),
        commitments: commitments.into(),
    }
}

async fn agreements_and_commitments(t: TestDb) {
    use chrono::Duration;
    let w = world(&t.db).await;
    let (a, b, c) = (w.community_a.id, w.community_b.id, w.community_c.id);
    let street = scope(&t, &w, "street", w.street.id).await.expect("street");
    let tx = street.write(&t.db).await.expect("tx");
    let school = coop::save_partner(&tx, None, &unit("长春市第一中学", "学校"))
        .await
        .expect("unit");
    coop::pair(&tx, school, a, today()).await.expect("pair");
    let soon = (today() + Duration::days(30)).to_string();
    let later = (today() + Duration::days(400)).to_string();
    let refused = [
        (
            agreement(&b.to_string(), &later, ""),
            ("community", "not_paired"),
        ),
        (
            agreement(&c.to_string(), &later, ""),
            ("community", "not_paired"),
        ),
        (agreement("", "2025-12-31", ""), ("ends_on", "before_start")),
        (agreement("", "2026-13-01", ""), ("ends_on", "bad_date")),
        (
            agreement("", &later, &"承".repeat(201)),
            ("commitments", "too_long"),
        ),
        (
            agreement("", &later, &"开放操场\n".repeat(21)),
            ("commitments", "too_many"),
        ),
        (
            coop::AgreementInput {
                title: " ".into(),
                ..agreement("", &later, "")
            },
            ("agreement_title", "required"),
        ),
    ];
    for (input, (field, reason)) in refused {
        assert_eq!(
            coop::add_agreement(&tx, school, &input).await,
            Err(DomainError::invalid(field, reason))
        );
    }
    let with_street = coop::add_agreement(
        &tx,
        school,
        &agreement("", &soon, "开放操场\n\n 共建图书角 "),
    )
    .await
    .expect("agreement");
    tx.commit().await.expect("commit");

    // The community makes its own agreement with the paired unit, and sees only that one.
    let community = scope(&t, &w, "secretary_a", a).await.expect("community");
    let tx = community.write(&t.db).await.expect("tx");
    let with_a = coop::add_agreement(
        &tx,
        school,
        &agreement(&b.to_string(), &later, "每季度义诊一次"),
    )
    .await
    .expect("the community is always the party");
    let seen = coop::agreements(&tx, Some(school), today())
        .await
        .expect("list");
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].id, with_a);
    assert_eq!(seen[0].community.as_ref().map(|c| c.0), Some(a));
    tx.commit().await.expect("commit");
    let street_commitment = {
        let tx = street.read(&t.db).await.expect("tx");
        let all = coop::agreements(&tx, None, today()).await.expect("all");
        tx.commit().await.expect("commit");
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].id, with_street, "soonest ending first");
        assert!(all[0].due_for_renewal && !all[1].due_for_renewal);
        assert_eq!(
            all[0]
                .commitments
                .iter()
                .map(|c| c.content.as_str())
                .collect::<Vec<_>>(),
            vec!["开放操场", "共建图书角"]
        );
        all[0].commitments[0].id
    };
    let tx = community.write(&t.db).await.expect("tx");
    assert_eq!(
        coop::set_commitment_done(&tx, street_commitment, true, today()).await,
        Err(DomainError::NotFound),
        "the street's own agreement is not the community's to tick"
    );
    let own_commitment = seen[0].commitments[0].id;
    coop::set_commitment_done(&tx, own_commitment, true, today())
        .await
        .expect("done");
    tx.commit().await.expect("commit");
    // A member of the community sees the agreement but does not keep its tally.
    let member = scope(&t, &w, "member_a", a).await.expect("member");
    let tx = member.write(&t.db).await.expect("tx");
    assert_eq!(
        coop::set_commitment_done(&tx, own_commitment, false, today()).await,
        Err(DomainError::Forbidden)
    );
    drop(tx);

    // The liaison reads both agreements of the unit but ticks nothing; other streets see none.
    let tx = street.write(&t.db).await.expect("tx");
    coop::attach_liaison(&tx, school, w.account("liaison").user_id)
        .await
        .expect("attach");
    tx.commit().await.expect("commit");
    let liaison = scope(&t, &w, "liaison", w.street.id)
        .await
        .expect("liaison");
    let tx = liaison.write(&t.db).await.expect("tx");
    let seen = coop::agreements(&tx, None, today()).await.expect("list");
    assert_eq!(seen.len(), 2);
    let done: Vec<Option<chrono::NaiveDate>> =
        seen[1].commitments.iter().map(|c| c.done_on).collect();
    assert_eq!(done, vec![Some(today())]);
    assert_eq!(
        coop::set_commitment_done(&tx, own_commitment, false, today()).await,
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        coop::add_agreement(&tx, school, &agreement("", &later, "")).await,
        Err(DomainError::Forbidden)
    );
    drop(tx);
    let other = scope(&t, &w, "other_street", w.other_street.id)
        .await
        .expect("other");
    let tx = other.write(&t.db).await.expect("tx");
    assert!(coop::agreements(&tx, None, today())
        .await
        .expect("none")
        .is_empty());
    assert_eq!(
        coop::set_commitment_done(&tx, own_commitment, false, today()).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        coop::add_agreement(&tx, school, &agreement("", &later, "")).await,
        Err(DomainError::NotFound)
    );
    drop(tx);
    let tx = scope(&t, &w, "worker_b", b)
        .await
        .expect("b")
        .read(&t.db)
        .await
        .expect("tx");
    assert!(coop::agreements(&tx, None, today())
        .await
        .expect("none")
        .is_empty());
    drop(tx);
}
both_engines!(
    agreements_have_parties_terms_and_commitments,
    agreements_and_commitments
);
