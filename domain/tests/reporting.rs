//! 双报到 on both engines: posts, a member's own report, the secretary's decision, the year-end
//! feedback per employer unit, and every refusal across roles and communities.
use chrono::Datelike;
use domain::auth::NodeAccess;
use domain::both_engines;
use domain::members::{self, MemberInput};
use domain::reporting::{self, PostInput, ReportStatus};
use domain::tenancy::Commit;
use domain::testing::{member_input, today, world, TestDb};
use domain::DomainError;
use uuid::Uuid;

fn post(name: &str, active: bool) -> PostInput {
    PostInput {
        name: name.into(),
        description: String::new(),
        active,
    }
}

fn in_service(name: &str, employer: &str) -> MemberInput {
    MemberInput {
        category: "在职".into(),
        employer: employer.into(),
        ..member_input(name)
    }
}

fn ids(posts: &[Uuid]) -> Vec<String> {
    posts.iter().map(Uuid::to_string).collect()
}

async fn a_member_reports_and_the_secretary_decides(t: TestDb) {
    let w = world(&t.db).await;
    let secretary = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = secretary.write(&t.db).await.expect("tx");
    let talks = reporting::save_post(&tx, None, &post("政策宣讲", true))
        .await
        .expect("post");
    let cleanup = reporting::save_post(&tx, None, &post("环境整治", true))
        .await
        .expect("post");
    let retired_post = reporting::save_post(&tx, None, &post("旧岗位", false))
        .await
        .expect("post");
    assert_eq!(
        reporting::save_post(&tx, None, &post(" 政策宣讲 ", true)).await,
        Err(DomainError::invalid("post_name", "exists"))
    );
    assert_eq!(
        reporting::save_post(&tx, None, &post(&"岗".repeat(51), true)).await,
        Err(DomainError::invalid("post_name", "too_long"))
    );
    let me = members::create(
        &tx,
        &in_service("陈晓明", "长春市第一中学"),
        Some(w.account("member_a").user_id),
        today(),
    )
    .await
    .expect("member");
    let colleague = members::create(&tx, &in_service("刘春生", ""), None, today())
        .await
        .expect("member");
    let retired = members::create(&tx, &member_input("赵淑芬"), None, today())
        .await
        .expect("member");
    tx.commit().await.expect("commit");

    // The member reports for themself; bad picks are refused and nothing is stored.
    let member = w.scope_as(&t.db, "member_a", w.community_a.id).await;
    let tx = member.write(&t.db).await.expect("tx");
    let refused = [
        (vec![], "required"),
        (ids(&[retired_post]), "not_found"),
        (vec!["not-an-id".to_owned()], "not_found"),
        (
            (0..6).map(|_| Uuid::now_v7().to_string()).collect(),
            "too_many",
        ),
        // Thousands, counted before they are compared with each other.
        (
            (0..20_000).map(|_| Uuid::now_v7().to_string()).collect(),
            "too_many",
        ),
    ];
    for (picked, reason) in refused {
        assert_eq!(
            reporting::report(&tx, None, &picked, today()).await,
            Err(DomainError::invalid("posts", reason))
        );
    }
    assert_eq!(reporting::own_report(&tx).await.expect("own"), None);
    assert_eq!(
        reporting::report(&tx, Some(colleague), &ids(&[talks]), today()).await,
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        reporting::decide(&tx, me, true, "", today()).await,
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        reporting::save_post(&tx, None, &post("冒名岗位", true))
            .await
            .err(),
        Some(DomainError::Forbidden)
    );
    assert_eq!(
        reporting::reports(&tx).await.err(),
        Some(DomainError::Forbidden)
    );
    reporting::report(&tx, None, &ids(&[talks, cleanup, talks]), today())
        .await
        .expect("report");
    let own = reporting::own_report(&tx)
        .await
        .expect("own")
        .expect("some");
    assert_eq!(own.status, ReportStatus::Pending);
    assert_eq!(own.posts.len(), 2);
    // The member sees the posts offered (to pick from).
    assert_eq!(reporting::posts(&tx).await.expect("posts").len(), 3);
    tx.commit().await.expect("commit");

    let tx = secretary.write(&t.db).await.expect("tx");
    assert_eq!(
        reporting::report(&tx, Some(retired), &ids(&[talks]), today()).await,
        Err(DomainError::invalid("category", "not_in_service"))
    );
    assert_eq!(
        reporting::decide(&tx, me, false, "  ", today()).await,
        Err(DomainError::invalid("reason", "required"))
    );
    reporting::decide(&tx, me, false, "请补选岗位", today())
        .await
        .expect("decline");
    assert_eq!(
        reporting::decide(&tx, me, true, "", today()).await,
        Err(DomainError::invalid("report", "not_pending"))
    );
    tx.commit().await.expect("commit");

    // Declined: the member may report again; it waits for the secretary once more.
    let tx = member.write(&t.db).await.expect("tx");
    let own = reporting::own_report(&tx)
        .await
        .expect("own")
        .expect("some");
    assert_eq!(
        (own.status, own.reason.as_deref()),
        (ReportStatus::Declined, Some("请补选岗位"))
    );
    reporting::report(&tx, None, &ids(&[cleanup]), today())
        .await
        .expect("again");
    tx.commit().await.expect("commit");

    let tx = secretary.write(&t.db).await.expect("tx");
    reporting::decide(&tx, me, true, "", today())
        .await
        .expect("confirm");
    // The secretary's report on a member's behalf is confirmed at once.
    reporting::report(&tx, Some(colleague), &ids(&[talks]), today())
        .await
        .expect("on behalf");
    let all = reporting::reports(&tx).await.expect("reports");
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|r| r.status == ReportStatus::Confirmed));
    tx.commit().await.expect("commit");

    // A confirmed report is the member's no longer to change.
    let tx = member.write(&t.db).await.expect("tx");
    assert_eq!(
        reporting::report(&tx, None, &ids(&[talks]), today()).await,
        Err(DomainError::invalid("posts", "already_confirmed"))
    );
    drop(tx);

    // Year end: one sheet per employer, the unknown employer last; nothing for last year.
    let year = today().year();
    let sheets = reporting::export_feedback(&t.db, &secretary, year)
        .await
        .expect("feedback");
    let tx = secretary.write(&t.db).await.expect("tx");
    let units: Vec<(&str, usize)> = sheets
        .iter()
        .map(|s| (s.employer.as_str(), s.rows.len()))
        .collect();
    assert_eq!(units, vec![("长春市第一中学", 1), ("", 1)]);
    let row = &sheets[0].rows[0];
    assert_eq!(
        (
            row.name.as_str(),
            row.posts.clone(),
            row.attendance,
            row.points
        ),
        ("陈晓明", vec!["环境整治".to_owned()], 0, 0)
    );
    assert!(reporting::feedback(&tx, year - 1)
        .await
        .expect("last year")
        .is_empty());
    let book = reporting::feedback_xlsx(&sheets, year, "社区甲").expect("xlsx");
    let workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(book)).expect("opens");
    use calamine::Reader;
    assert_eq!(
        workbook.sheet_names(),
        vec!["长春市第一中学".to_owned(), "未填写工作单位".to_owned()]
    );
    // A member who transfers out leaves next year's sheet.
    members::transfer_out(&tx, colleague, &today().to_string(), "外区某社区", today())
        .await
        .expect("transfer");
    let sheets = reporting::feedback(&tx, year).await.expect("feedback");
    assert_eq!(sheets.len(), 1);
    let history = members::history(&tx, me).await.expect("history");
    let kinds: Vec<&str> = history.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        vec![
            "created",
            "reported",
            "report_declined",
            "reported",
            "report_confirmed"
        ]
    );
    tx.commit().await.expect("commit");
}
both_engines!(
    dual_reporting_runs_from_report_to_feedback,
    a_member_reports_and_the_secretary_decides
);

async fn reporting_stays_in_its_community(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = a.write(&t.db).await.expect("tx");
    let post_a = reporting::save_post(&tx, None, &post("政策宣讲", true))
        .await
        .expect("post");
    let member_a = members::create(&tx, &in_service("王秀兰", "市教育局"), None, today())
        .await
        .expect("member");
    reporting::report(&tx, Some(member_a), &ids(&[post_a]), today())
        .await
        .expect("report");
    tx.commit().await.expect("commit");

    // The worker of B: B's own posts, a report that waits, no decisions, nothing of A's.
    let b = w.scope_as(&t.db, "worker_b", w.community_b.id).await;
    let tx = b.write(&t.db).await.expect("tx");
    let post_b = reporting::save_post(&tx, None, &post("政策宣讲", true))
        .await
        .expect("same name in another community");
    let member_b = members::create(&tx, &in_service("李建华", "市财政局"), None, today())
        .await
        .expect("member");
    assert_eq!(
        reporting::report(&tx, Some(member_b), &ids(&[post_a]), today()).await,
        Err(DomainError::invalid("posts", "not_found"))
    );
    assert_eq!(
        reporting::report(&tx, Some(member_a), &ids(&[post_b]), today()).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        reporting::save_post(&tx, Some(post_a), &post("改名", true)).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        reporting::decide(&tx, member_a, true, "", today()).await,
        Err(DomainError::Forbidden)
    );
    assert_eq!(reporting::report_of(&tx, member_a).await, Ok(None));
    reporting::report(&tx, Some(member_b), &ids(&[post_b]), today())
        .await
        .expect("report");
    let seen = reporting::reports(&tx).await.expect("reports");
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].status, ReportStatus::Pending);
    assert!(reporting::feedback(&tx, today().year())
        .await
        .expect("feedback")
        .is_empty());
    tx.commit().await.expect("commit");
    assert_eq!(
        reporting::export_feedback(&t.db, &b, today().year())
            .await
            .err(),
        None,
        "workers keep the roster and may export"
    );

    // The secretary of A does not see B's report or posts; B's member is unknown in A.
    let tx = a.write(&t.db).await.expect("tx");
    assert_eq!(reporting::posts(&tx).await.expect("posts").len(), 1);
    assert_eq!(reporting::reports(&tx).await.expect("reports").len(), 1);
    assert_eq!(
        reporting::decide(&tx, member_b, true, "", today()).await,
        Err(DomainError::NotFound)
    );
    drop(tx);

    // Street staff and the district have no tenant scope on a community.
    for login in ["street", "district", "operator", "liaison", "other_street"] {
        let p = w.principal(&t.db, login).await;
        assert!(
            !matches!(
                p.access(&t.db, w.community_a.id).await,
                Ok(NodeAccess::Manage { .. } | NodeAccess::Own { .. })
            ),
            "{login}"
        );
        assert_eq!(
            p.tenant_scope(&t.db, w.community_a.id).await.err(),
            Some(DomainError::Forbidden),
            "{login}"
        );
    }
}
both_engines!(
    dual_reporting_stays_in_its_community,
    reporting_stays_in_its_community
);

async fn moving_several_members(t: TestDb) {
    use domain::org::placements::{self, PlacementKind};
    let w = world(&t.db).await;
    let a = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = a.write(&t.db).await.expect("tx");
    let branch =
        placements::create_placement(&tx, PlacementKind::GridBranch, "第一网格党支部", None)
            .await
            .expect("unit");
    let mut people = Vec::new();
    for name in ["甲", "乙", "丙"] {
        let id = members::create(&tx, &member_input(name), None, today())
            .await
            .expect("member");
        people.push(id);
    }
    assert_eq!(
        members::move_members(&tx, &[], Some(branch)).await,
        Err(DomainError::invalid("members", "none_selected"))
    );
    // A form carrying thousands of ids is refused before they are sorted.
    let flood: Vec<Uuid> = (0..20_000).map(|_| Uuid::now_v7()).collect();
    assert_eq!(
        members::move_members(&tx, &flood, Some(branch)).await,
        Err(DomainError::invalid("members", "too_many"))
    );
    assert_eq!(
        members::move_members(&tx, &people[..2], Some(branch)).await,
        Ok(2)
    );
    assert_eq!(
        members::move_members(&tx, &people[..2], Some(branch)).await,
        Ok(0),
        "already there"
    );
    tx.commit().await.expect("commit");

    // B: A's members and A's unit are unknown; nothing moves.
    let b = w.scope_as(&t.db, "worker_b", w.community_b.id).await;
    let tx = b.write(&t.db).await.expect("tx");
    let own = members::create(&tx, &member_input("丁"), None, today())
        .await
        .expect("member");
    assert_eq!(
        members::move_members(&tx, &[own, people[2]], None).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        members::move_members(&tx, &[own], Some(branch)).await,
        Err(DomainError::invalid("unit_id", "not_found"))
    );
    drop(tx);

    let member = w.principal(&t.db, "member_a").await;
    let scope = member
        .tenant_scope(&t.db, w.community_a.id)
        .await
        .expect("own");
    let tx = scope.write(&t.db).await.expect("tx");
    assert_eq!(
        members::move_members(&tx, &people, None).await,
        Err(DomainError::Forbidden)
    );
    drop(tx);

    let tx = a.read(&t.db).await.expect("tx");
    let placed: Vec<Option<Uuid>> = {
        let mut out = Vec::new();
        for id in &people {
            out.push(members::get(&tx, *id).await.expect("get").member.unit_id);
        }
        out
    };
    assert_eq!(placed, vec![Some(branch), Some(branch), None]);
    let kinds: Vec<String> = members::history(&tx, people[0])
        .await
        .expect("history")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, vec!["created", "moved"]);
    tx.commit().await.expect("commit");
}
both_engines!(several_members_move_at_once, moving_several_members);
