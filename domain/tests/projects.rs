//! 资源清单 and 项目清单 on both engines: units offer resources; a community matches its need to
//! its paired units' resources in a project; the owner unit reports the outcome.
use chrono::Duration;
use domain::both_engines;
use domain::coop::{self, NeedInput, PartnerInput, ProjectInput, ProjectStatus, ResourceInput};
use domain::testing::{today, world, TestDb};
use domain::DomainError;
use uuid::Uuid;

fn resource(kind: &str, name: &str) -> ResourceInput {
    ResourceInput {
        kind: kind.into(),
        name: name.into(),
        quantity: "1 块".into(),
        availability: "每周六上午".into(),
        active: true,
    }
}

async fn resources_and_projects(t: TestDb) {
    let w = world(&t.db).await;
    let (a, b) = (w.community_a.id, w.community_b.id);
    let street = w.coop_as(&t.db, "street", w.street.id).await;
    let tx = street.write(&t.db).await.expect("tx");
    let unit = |name: &str| PartnerInput {
        name: name.into(),
        kind: "school".into(),
        ..Default::default()
    };
    let school = coop::save_partner(&tx, None, &unit("长春市第一中学"))
        .await
        .expect("unit");
    let tax = coop::save_partner(&tx, None, &unit("宽城区税务局"))
        .await
        .expect("unit");
    coop::pair(&tx, school, a, today()).await.expect("pair");
    coop::pair(&tx, tax, b, today()).await.expect("pair");
    coop::attach_liaison(&tx, school, w.account("liaison").user_id)
        .await
        .expect("attach");
    let funds = coop::save_resource(&tx, tax, None, &resource("funds", "助学金"), today())
        .await
        .expect("the street adds for any unit");
    tx.commit().await.expect("commit");

    // The liaison offers the school's resources, not another unit's.
    let liaison = w.coop_as(&t.db, "liaison", w.street.id).await;
    let tx = liaison.write(&t.db).await.expect("tx");
    assert_eq!(
        coop::save_resource(&tx, school, None, &resource("rocket", "x"), today()).await,
        Err(DomainError::invalid("resource_kind", "not_in_list"))
    );
    assert_eq!(
        coop::save_resource(&tx, tax, None, &resource("venue", "x"), today()).await,
        Err(DomainError::NotFound)
    );
    let field = coop::save_resource(&tx, school, None, &resource("场地", "学校操场"), today())
        .await
        .expect("resource");
    let hidden = ResourceInput {
        active: false,
        ..resource("equipment", "投影仪")
    };
    coop::save_resource(&tx, school, None, &hidden, today())
        .await
        .expect("resource");
    assert_eq!(coop::resources(&tx).await.expect("own").len(), 2);
    tx.commit().await.expect("commit");

    // A sees the school's offered resource only; B the tax office's.
    let community = w.coop_as(&t.db, "secretary_a", a).await;
    let tx = community.write(&t.db).await.expect("tx");
    let seen: Vec<Uuid> = coop::resources(&tx)
        .await
        .expect("seen")
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(seen, vec![field]);
    assert_eq!(
        coop::save_resource(&tx, school, None, &resource("venue", "x"), today()).await,
        Err(DomainError::Forbidden)
    );
    let need = NeedInput {
        title: "暑期青少年活动场地".into(),
        category: "education".into(),
        urgency: "soon".into(),
        ..Default::default()
    };
    let need = coop::post_need(&tx, &need, today()).await.expect("need");
    let deadline = (today() + Duration::days(60)).to_string();
    let project = |owner: Uuid, resources: Vec<Uuid>, deadline: &str| ProjectInput {
        need: need.to_string(),
        title: "暑期四点半课堂".into(),
        owner_unit: owner.to_string(),
        lead_person: "李老师".into(),
        deadline: deadline.into(),
        resources: resources.iter().map(Uuid::to_string).collect(),
    };
    let yesterday = (today() - Duration::days(1)).to_string();
    let refused = [
        (
            project(school, vec![funds], &deadline),
            ("resources", "not_found"),
        ),
        (
            project(tax, vec![field], &deadline),
            ("owner_unit", "not_paired"),
        ),
        (
            project(school, vec![], &deadline),
            ("resources", "required"),
        ),
        (
            project(school, vec![field], &yesterday),
            ("deadline", "in_past"),
        ),
    ];
    for (input, (field_name, reason)) in refused {
        assert_eq!(
            coop::create_project(&tx, &input, today()).await,
            Err(DomainError::invalid(field_name, reason))
        );
    }
    let planned = coop::create_project(&tx, &project(school, vec![field], &deadline), today())
        .await
        .expect("project");
    let mine = coop::projects(&tx, today()).await.expect("projects");
    assert_eq!(mine.len(), 1);
    assert_eq!(
        mine[0].need.as_ref().map(|n| n.1.as_str()),
        Some("暑期青少年活动场地")
    );
    assert_eq!(mine[0].resources, vec![(field, "学校操场".to_owned())]);
    tx.commit().await.expect("commit");

    // The owner unit reports; done needs the outcome.
    let tx = liaison.write(&t.db).await.expect("tx");
    assert_eq!(coop::projects(&tx, today()).await.expect("owned").len(), 1);
    assert_eq!(
        coop::update_project(&tx, planned, "done", "", "", today()).await,
        Err(DomainError::invalid("outcome", "required"))
    );
    assert_eq!(
        coop::update_project(&tx, planned, "active", "", "many", today()).await,
        Err(DomainError::invalid("beneficiaries", "bad_value"))
    );
    coop::update_project(&tx, planned, "done", "开放操场 8 次", "120", today())
        .await
        .expect("done");
    assert_eq!(
        coop::create_project(&tx, &project(school, vec![field], &deadline), today()).await,
        Err(DomainError::Forbidden)
    );
    tx.commit().await.expect("commit");

    // Nobody else sees or changes it.
    for (login, node) in [
        ("worker_b", b),
        ("street", w.street.id),
        ("other_street", w.other_street.id),
    ] {
        let s = w.coop_as(&t.db, login, node).await;
        let tx = s.write(&t.db).await.expect("tx");
        assert!(
            coop::projects(&tx, today()).await.expect("none").is_empty(),
            "{login}"
        );
        assert_eq!(
            coop::update_project(&tx, planned, "planned", "", "", today()).await,
            Err(DomainError::NotFound),
            "{login}"
        );
        drop(tx);
    }
    let tx = community.read(&t.db).await.expect("tx");
    let done = &coop::projects(&tx, today()).await.expect("projects")[0];
    assert_eq!(
        (done.status, done.beneficiaries),
        (ProjectStatus::Done, Some(120))
    );
    drop(tx);
    let member = w.coop_as(&t.db, "member_a", a).await;
    let tx = member.read(&t.db).await.expect("tx");
    assert_eq!(
        coop::projects(&tx, today()).await.err(),
        Some(DomainError::Forbidden)
    );
    assert_eq!(
        coop::resources(&tx).await.err(),
        Some(DomainError::Forbidden)
    );
    drop(tx);
}
both_engines!(
    needs_are_matched_to_resources_in_projects,
    resources_and_projects
);
