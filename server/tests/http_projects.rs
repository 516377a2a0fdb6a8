//! 资源清单 and 项目清单 over HTTP on both engines: every endpoint and the projects page as
//! every role against other tenants' ids (nothing read, nothing written), then A's own flow.
mod support;

use chrono::Duration;
use domain::both_engines;
use domain::coop::{self, ProjectInput, ResourceInput};
use domain::testing::{paired_school, today};
use support::*;
use uuid::Uuid;

/// A school paired with A (liaison `liaison`) offering a field R, and A's project P using it.
async fn fixture(t: &TestDb, w: &World) -> (Uuid, Uuid, Uuid) {
    let school = paired_school(&t.db, w).await;
    let scope = w.coop_as(&t.db, "street", w.street.id).await;
    let tx = scope.write(&t.db).await.expect("tx");
    let field = ResourceInput {
        kind: "venue".into(),
        name: "学校操场".into(),
        active: true,
        ..Default::default()
    };
    let field = coop::save_resource(&tx, school, None, &field, today())
        .await
        .expect("resource");
    tx.commit().await.expect("commit");
    let scope = w.coop_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = scope.write(&t.db).await.expect("tx");
    let project = ProjectInput {
        need: String::new(),
        title: "四点半课堂".into(),
        owner_unit: school.to_string(),
        lead_person: "李老师".into(),
        deadline: (today() + Duration::days(30)).to_string(),
        resources: vec![field.to_string()],
    };
    let project = coop::create_project(&tx, &project, today())
        .await
        .expect("project");
    tx.commit().await.expect("commit");
    (school, field, project)
}

/// What the street and A hold: resources (name, offered) and A's projects (title, status).
async fn state(t: &TestDb, w: &World) -> (Vec<(String, bool)>, Vec<(String, String)>) {
    let scope = w.coop_as(&t.db, "street", w.street.id).await;
    let tx = scope.read(&t.db).await.expect("tx");
    let resources = coop::resources(&tx).await.expect("resources");
    tx.commit().await.expect("commit");
    let scope = w.coop_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = scope.read(&t.db).await.expect("tx");
    let projects = coop::projects(&tx, today()).await.expect("projects");
    tx.commit().await.expect("commit");
    (
        resources.into_iter().map(|r| (r.name, r.active)).collect(),
        projects
            .into_iter()
            .map(|p| (p.title, p.status.as_str().to_owned()))
            .collect(),
    )
}

async fn projects_as_every_role(t: TestDb) {
    let (router, w) = setup(&t).await;
    let (school, field, project) = fixture(&t, &w).await;
    let (a, b) = (w.community_a.id, w.community_b.id);
    let before = state(&t, &w).await;
    let deadline = today() + Duration::days(10);
    let writes = |node: Uuid| {
        vec![
            (
                "/api/coop/resource",
                format!("node={node}&unit={school}&resource={field}&kind=venue&name=x&quantity=&availability="),
            ),
            (
                "/api/projects/create",
                format!("node={node}&need=&title=x&owner_unit={school}&lead_person=y&deadline={deadline}&resources[0]={field}"),
            ),
            (
                "/api/projects/update",
                format!("node={node}&project={project}&status=done&outcome=z&beneficiaries=1"),
            ),
        ]
    };
    let outsiders = not_staff_of_a();
    let pages = [format!("/org/{a}/projects")];
    assert_forbidden(&router, &outsiders, &writes(a), &pages, None).await;
    // B and the other street, each with their own node and A's ids: refused, nothing written.
    for (login_name, own) in [("worker_b", b), ("other_street", w.other_street.id)] {
        let cookie = login(&router, login_name, None).await;
        for (path, body) in writes(own) {
            let reply = submit(&router, path, body, &cookie).await;
            let refused = [StatusCode::NOT_FOUND, StatusCode::FORBIDDEN].contains(&reply.status)
                || (reply.status == StatusCode::FOUND
                    && !reply.location.as_deref().unwrap_or("").contains("saved=1"));
            assert!(refused, "{login_name} {path}: {}", reply.status);
        }
        let page = visit(&router, &format!("/org/{own}/projects"), &cookie).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("四点半课堂") && !page.body.contains("学校操场"));
    }
    assert_eq!(state(&t, &w).await, before, "nothing written");

    // A's secretary sees the project; the owner unit's liaison reports it done.
    let cookie = login(&router, "secretary_a", None).await;
    let page = visit(&router, &format!("/org/{a}/projects"), &cookie).await;
    assert!(page.body.contains("四点半课堂") && page.body.contains("学校操场"));
    let liaison = login(&router, "liaison", None).await;
    let s = w.street.id;
    let done = |outcome: &str| {
        format!("node={s}&project={project}&status=done&outcome={outcome}&beneficiaries=40")
    };
    let reply = submit(&router, "/api/projects/update", done(""), &liaison).await;
    assert_eq!(reply.location, Some(format!("/org/{s}/projects")));
    let page = visit(&router, &format!("/org/{s}/projects"), &liaison).await;
    assert!(page.body.contains("项目成效不能为空"), "{}", page.body);
    let reply = submit(
        &router,
        "/api/projects/update",
        done("%E5%BC%80%E8%AF%BE12%E6%AC%A1"),
        &liaison,
    )
    .await;
    assert_eq!(reply.location, Some(format!("/org/{s}/projects?saved=1")));
    assert_eq!(
        state(&t, &w).await.1,
        vec![("四点半课堂".to_owned(), "done".to_owned())]
    );
}
both_engines!(resources_and_projects_as_every_role, projects_as_every_role);
