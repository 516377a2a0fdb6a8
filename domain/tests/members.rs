//! The roster on both engines: checks that need the database, filters and paging, masking,
//! history, and the counters the street sees.
use domain::both_engines;
use domain::members::{self, Category, Gender, ListQuery, MemberInput};
use domain::org::placements::{self, PlacementKind};
use domain::rollup;
use domain::tenancy::Commit;
use domain::testing::{member_a_record, member_input, today, world, TestDb, World};
use domain::DomainError;

async fn roster_rules(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = a.write(&t.db).await.expect("tx");
    let branch =
        placements::create_placement(&tx, PlacementKind::GridBranch, "第一网格党支部", None)
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
    let b = w.scope_as(&t.db, "worker_b", w.community_b.id).await;
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

    // Everyone sees the phone masked; the secretary reveals it, one number at a time, audited.
    let tx = a.read(&t.db).await.expect("tx");
    let row = members::get(&tx, id).await.expect("get");
    assert_eq!(row.member.phone.as_deref(), Some("138****5678"));
    assert_eq!(row.member.category, Category::InService);
    let roster = ListQuery {
        page: 1,
        per_page: 50,
        ..Default::default()
    };
    let roster = members::list(&tx, &roster).await.expect("list");
    let listed = roster.rows.iter().find(|r| r.id == id).expect("listed");
    assert_eq!(
        (listed.phone.as_deref(), listed.category),
        (Some("138****5678"), Category::InService),
        "the roster masks it too"
    );
    tx.commit().await.expect("commit");
    assert_eq!(
        members::reveal_phone(&t.db, &a, id)
            .await
            .as_ref()
            .map(|p| p.as_deref()),
        Ok(Some("13812345678"))
    );
    let reveals = domain::audit::recent(&t.db, "phone_revealed", 10)
        .await
        .expect("audit");
    assert_eq!(reveals.len(), 1);
    assert_eq!(reveals[0].subject, id.to_string());
    assert_eq!(
        members::reveal_phone(&t.db, &b, id).await,
        Err(DomainError::Forbidden),
        "a worker does not reveal numbers"
    );
    let member = w
        .principal(&t.db, "member_a")
        .await
        .tenant_scope(&t.db, w.community_a.id)
        .await
        .expect("own scope");
    assert_eq!(
        members::reveal_phone(&t.db, &member, id).await,
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        domain::audit::recent(&t.db, "phone_revealed", 10)
            .await
            .expect("audit")
            .len(),
        1,
        "a refused reveal is not one"
    );
}
both_engines!(the_roster_checks_what_needs_the_database, roster_rules);

async fn masking(t: TestDb) {
    let w = world(&t.db).await;
    let b = w.scope_as(&t.db, "worker_b", w.community_b.id).await;
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
        row.member.phone.as_deref(),
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
    // Saved back with the masked number unchanged, the stored phone is kept.
    let mut unchanged = member_input("赵玉梅");
    unchanged.phone = "139****4321".into();
    unchanged.room = "302".into();
    members::update(&tx, id, &unchanged, today())
        .await
        .expect("saved");
    assert_eq!(
        members::get(&tx, id)
            .await
            .expect("get")
            .member
            .phone
            .as_deref(),
        Some("139****4321")
    );
    tx.commit().await.expect("commit");
    // "Already a member's phone" tells whether a number is a member's: a worker gets that
    // answer a limited number of times an hour (the first proves the phone was kept).
    let mut answers = 0;
    loop {
        let tx = b.write(&t.db).await.expect("tx");
        let probe = MemberInput {
            phone: "13987654321".into(),
            ..member_input("探号")
        };
        match members::create(&tx, &probe, None, today()).await {
            Err(DomainError::Invalid { field, reason }) => {
                assert_eq!((field.as_str(), reason.as_str()), ("phone", "duplicate"));
                answers += 1;
            }
            Err(DomainError::RateLimited) => break,
            other => panic!("{other:?}"),
        }
        assert!(answers <= members::PHONE_PROBE_BUDGET, "never limited");
    }
    assert_eq!(answers, members::PHONE_PROBE_BUDGET);
    // A new number still saves.
    let tx = b.write(&t.db).await.expect("tx");
    let fresh = MemberInput {
        phone: "13900001111".into(),
        ..member_input("钱立新")
    };
    members::create(&tx, &fresh, None, today())
        .await
        .expect("a new phone is no probe");
    tx.commit().await.expect("commit");
}
both_engines!(phones_are_masked_except_for_the_secretary, masking);

async fn corrupt_codes(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = a.write(&t.db).await.expect("tx");
    let id = members::create(&tx, &member_input("王秀兰"), None, today())
        .await
        .expect("create");
    tx.commit().await.expect("commit");
    let tx = a.read(&t.db).await.expect("tx");
    assert_eq!(
        members::get(&tx, id).await.expect("read").member.gender,
        Gender::Female
    );
    drop(tx);

    // A stored gender that is none of the codes is an error, not 女 or any other default.
    let tx = a.write(&t.db).await.expect("tx");
    domain::testing::tamper_column(tx, "members", "gender", id, "F").await;
    let tx = a.read(&t.db).await.expect("tx");
    assert_eq!(members::get(&tx, id).await, Err(DomainError::Internal));
    let everyone = members::list(&tx, &ListQuery::default()).await;
    assert_eq!(everyone.map(|p| p.total), Err(DomainError::Internal));
}
both_engines!(a_corrupt_stored_code_fails_the_read, corrupt_codes);

async fn filters_and_paging(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
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
    // Any page number the address may carry (the driver panics on an offset beyond i64):
    // past the end, an empty page.
    let far = members::list(&tx, &page(u64::MAX, 10)).await.expect("list");
    assert_eq!((far.total, far.rows.len()), (25, 0));
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
        0,
        "% is a character no name holds, not a wildcard"
    );
    // A search is looked for as far as a name can be long; what a query carries past that is
    // not sent on to the database (a name of 64 characters is still found).
    let long_name = format!("{}{}", "党".repeat(40), "员".repeat(24));
    members::create(&tx, &member_input(&long_name), None, today())
        .await
        .expect("member");
    let flood = ListQuery {
        search: format!("{long_name}{}", "x".repeat(100_000)),
        page: 1,
        per_page: 50,
        ..Default::default()
    };
    let found = members::list(&tx, &flood).await.expect("list");
    assert_eq!(found.total, 1);
    tx.commit().await.expect("commit");
}
both_engines!(the_roster_filters_and_pages, filters_and_paging);

async fn history_and_counters(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
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
    assert_eq!(members_the_street_sees(&t, &w).await, 1);
}
both_engines!(history_is_kept_and_counters_follow, history_and_counters);

async fn members_see_only_themselves(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = a.write(&t.db).await.expect("tx");
    let me = member_a_record(&tx, &w).await;
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
    assert_eq!((own.id, own.member.name.as_str()), (me, "陈晓明"));
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

const CSV_HEADER: &str = "姓名,性别,出生日期,手机号,入党日期,党员分类,状态,所在组织,困难党员\n";

async fn import_mixed_rows(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = a.write(&t.db).await.expect("tx");
    placements::create_placement(&tx, PlacementKind::GridBranch, "第一网格党支部", None)
        .await
        .expect("unit");
    let existing = MemberInput {
        phone: "13800000009".into(),
        ..member_input("老党员")
    };
    members::create(&tx, &existing, None, today())
        .await
        .expect("existing");
    let csv = format!(
        "{CSV_HEADER}\
         王秀兰,女,1956-03-08,13812345678,1980-07-01,离退休,正常,第一网格党支部,是\n\
         李建华,男,1960/05/01,,1985-07-01,在职,,,否\n\
         张桂英,女,1950-01-01,,2099-07-01,离退休,,,\n\
         赵志刚,男,1950-01-01,,1980-07-01,党员,,,\n\
         孙玉梅,女,1950-01-01,13812345678,1980-07-01,流动,,,\n\
         周春生,男,1950-01-01,13800000009,1980-07-01,流动,,,\n\
         吴丽娟,女,1950-01-01,,1980-07-01,流动,,第九网格,\n\
         ,,,,,,,,\n\
         郑德明,男,1990-01-01,,1980-07-01,流动,,,\n"
    );
    let sheet = members::read_file(csv.as_bytes()).expect("readable");
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = calls.clone();
    let report = members::import(
        &tx,
        std::sync::Arc::new(sheet),
        today(),
        std::sync::Arc::new(move |_, _| {
            counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }),
    )
    .await
    .expect("import");
    assert!(calls.load(std::sync::atomic::Ordering::Relaxed) >= 1);
    assert_eq!(
        (report.total, report.imported),
        (8, 2),
        "the blank line is skipped"
    );
    let rejected: Vec<_> = report
        .rejected
        .iter()
        .map(|r| (r.line, r.name.as_str(), r.field.as_str(), r.reason.as_str()))
        .collect();
    assert_eq!(
        rejected,
        vec![
            (4, "张桂英", "joined_on", "in_future"),
            (5, "赵志刚", "category", "not_in_list"),
            (6, "孙玉梅", "phone", "duplicate"),
            (7, "周春生", "phone", "duplicate"),
            (8, "吴丽娟", "unit_id", "not_found"),
            (10, "郑德明", "birth_date", "after_joining"),
        ]
    );
    let query = ListQuery {
        search: "王秀兰".into(),
        page: 1,
        per_page: 10,
        ..Default::default()
    };
    let imported = members::list(&tx, &query).await.expect("list");
    let imported = members::get(&tx, imported.rows[0].id)
        .await
        .expect("the imported member");
    assert!(imported.member.hardship && imported.member.unit_id.is_some());
    assert_eq!(members::count(&tx).await.expect("count"), 3);
    tx.commit().await.expect("commit");

    assert_eq!(members_the_street_sees(&t, &w).await, 3);
}
both_engines!(
    an_import_takes_the_good_rows_and_reports_the_bad,
    import_mixed_rows
);

async fn bad_files_import_nothing(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let unreadable = DomainError::invalid("file", "unreadable");
    assert_eq!(
        members::read_file(b"PK\x03\x04 not really a zip"),
        Err(unreadable.clone())
    );
    assert_eq!(
        members::read_file(&[0xff, 0xd8, 0xff, 0x00, 0x81, 0x00]),
        Err(unreadable)
    );
    assert_eq!(
        members::read_file("名字,年龄\n张三,40\n".as_bytes()),
        Err(DomainError::invalid("file", "bad_headers"))
    );
    // A GBK-encoded CSV (as Excel saves it in China) reads fine.
    let text = format!("{CSV_HEADER}钱海燕,女,1970-01-01,,1995-07-01,自管居民,,,\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let sheet = members::read_file(&gbk).expect("gbk csv");
    assert_eq!(sheet.rows[0].1[0], "钱海燕");
    let tx = a.read(&t.db).await.expect("tx");
    assert_eq!(members::count(&tx).await.expect("count"), 0);
    drop(tx);
}
both_engines!(an_unreadable_file_imports_nothing, bad_files_import_nothing);

async fn xlsx_round_trip(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = a.write(&t.db).await.expect("tx");
    for name in ["王秀兰", "李建华", "张桂英"] {
        let input = MemberInput {
            birth_date: "1956-03-08".into(),
            ..member_input(name)
        };
        members::create(&tx, &input, None, today())
            .await
            .expect("create");
    }
    tx.commit().await.expect("commit");
    let rows = members::export(&t.db, &a, &ListQuery::default())
        .await
        .expect("export");
    let bytes = members::roster_xlsx(&rows, &[]).expect("xlsx");

    let b = w.scope_as(&t.db, "worker_b", w.community_b.id).await;
    let tx = b.write(&t.db).await.expect("tx");
    let sheet = members::read_file(&bytes).expect("the export reads back");
    let report = members::import(
        &tx,
        std::sync::Arc::new(sheet),
        today(),
        std::sync::Arc::new(|_, _| {}),
    )
    .await
    .expect("import");
    assert_eq!((report.imported, report.rejected.len()), (3, 0));
    let copied = members::list(
        &tx,
        &ListQuery {
            page: 1,
            per_page: 10,
            ..Default::default()
        },
    )
    .await
    .expect("list");
    assert_eq!(
        members::get(&tx, copied.rows[0].id)
            .await
            .expect("the copy")
            .member
            .birth_date,
        chrono::NaiveDate::from_ymd_opt(1956, 3, 8)
    );
    assert_eq!(
        members::history(&tx, copied.rows[0].id)
            .await
            .expect("history")[0]
            .kind,
        "imported"
    );
    tx.commit().await.expect("commit");
    // The template reads as a valid file too.
    let template =
        members::read_file(&members::template_xlsx().expect("template")).expect("template reads");
    assert_eq!(template.rows.len(), 1);
}
both_engines!(the_export_imports_back, xlsx_round_trip);

async fn transfers_in_and_out(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = a.write(&t.db).await.expect("tx");
    let id = members::create(&tx, &member_input("孙德明"), None, today())
        .await
        .expect("create");
    assert_eq!(
        members::transfer_out(&tx, id, "2099-01-01", "长春市南关区党委", today()).await,
        Err(DomainError::invalid("transfer_date", "in_future"))
    );
    assert_eq!(
        members::transfer_out(&tx, id, "2024-03-01", " ", today()).await,
        Err(DomainError::invalid("counterpart", "required"))
    );
    members::transfer_out(&tx, id, "2024-03-01", "长春市南关区党委", today())
        .await
        .expect("out");
    assert!(matches!(
        members::transfer_out(&tx, id, "2024-03-02", "x", today()).await,
        Err(DomainError::Conflict(_))
    ));
    assert_eq!(
        members::count(&tx).await.expect("count"),
        0,
        "off the active roster"
    );
    let joined = members::transfer_in(
        &tx,
        &member_input("周海燕"),
        "2024-05-01",
        "吉林大学党委",
        today(),
    )
    .await
    .expect("in");
    let records = members::transfers(&tx).await.expect("transfers");
    let seen: Vec<_> = records
        .iter()
        .map(|r| {
            (
                r.name.as_str(),
                r.kind.as_str(),
                r.date.as_str(),
                r.counterpart.as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("周海燕", "transfer_in", "2024-05-01", "吉林大学党委"),
            ("孙德明", "transfer_out", "2024-03-01", "长春市南关区党委"),
        ]
    );
    let kinds: Vec<_> = members::history(&tx, id)
        .await
        .expect("history")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, vec!["created", "transfer_out"]);
    assert_eq!(
        members::get(&tx, joined).await.expect("get").member.status,
        domain::members::Status::Normal
    );
    tx.commit().await.expect("commit");

    assert_eq!(members_the_street_sees(&t, &w).await, 1);

    // Another community cannot transfer A's member out.
    let b = w.scope_as(&t.db, "worker_b", w.community_b.id).await;
    let tx = b.write(&t.db).await.expect("tx");
    assert_eq!(
        members::transfer_out(&tx, joined, "2024-06-01", "x", today()).await,
        Err(DomainError::NotFound)
    );
    assert!(members::transfers(&tx).await.expect("transfers").is_empty());
}
both_engines!(
    transfers_are_recorded_and_leave_the_roster,
    transfers_in_and_out
);

async fn floating_members_are_tracked(t: TestDb) {
    use domain::members::ContactInput;
    let w = world(&t.db).await;
    let a = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = a.write(&t.db).await.expect("tx");
    let floating = |name: &str| MemberInput {
        category: "流动".into(),
        ..member_input(name)
    };
    let near = members::create(&tx, &floating("王海燕"), None, today())
        .await
        .expect("create");
    let far = members::create(&tx, &floating("李春生"), None, today())
        .await
        .expect("create");
    members::create(&tx, &floating("张立新"), None, today())
        .await
        .expect("create");
    members::create(&tx, &member_input("不流动"), None, today())
        .await
        .expect("create");
    let day = |ago: i64| (today() - chrono::Duration::days(ago)).to_string();
    let contact = |ago: i64, reached: bool, city: &str| ContactInput {
        date: day(ago),
        method: "电话".into(),
        reached,
        city: city.into(),
        note: String::new(),
    };
    members::record_contact(&tx, near, &contact(10, true, "深圳"), today())
        .await
        .expect("contact");
    members::record_contact(&tx, far, &contact(200, true, "上海"), today())
        .await
        .expect("contact");
    members::record_contact(&tx, far, &contact(5, false, ""), today())
        .await
        .expect("unanswered call");
    assert_eq!(
        members::record_contact(
            &tx,
            near,
            &ContactInput {
                method: "飞鸽".into(),
                ..contact(1, true, "")
            },
            today()
        )
        .await,
        Err(DomainError::invalid("method", "not_in_list"))
    );
    assert_eq!(
        members::record_contact(&tx, near, &contact(-3, true, ""), today()).await,
        Err(DomainError::invalid("contact_date", "in_future"))
    );
    let (limit, rows) = members::floating(&tx, today()).await.expect("floating");
    assert_eq!(limit, domain::members::DEFAULT_LOST_CONTACT_DAYS);
    let seen: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.name.as_str(),
                r.days_since,
                r.lost,
                r.current_city.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("张立新", None, true, None),
            ("李春生", Some(200), true, Some("上海")),
            ("王海燕", Some(10), false, Some("深圳")),
        ]
    );
    members::set_lost_contact_days(&tx, "365")
        .await
        .expect("setting");
    assert_eq!(
        members::set_lost_contact_days(&tx, "0").await,
        Err(DomainError::invalid("lost_contact_days", "bad_value"))
    );
    let (limit, rows) = members::floating(&tx, today()).await.expect("floating");
    assert_eq!(limit, 365);
    assert_eq!(
        rows.iter().filter(|r| r.lost).count(),
        1,
        "200 days is fine with N = 365"
    );
    assert_eq!(
        members::contacts(&tx, far).await.expect("contacts").len(),
        2
    );

    tx.commit().await.expect("commit");

    // Another community neither sees nor records contacts of A's members.
    let b = w.scope_as(&t.db, "worker_b", w.community_b.id).await;
    let tx = b.write(&t.db).await.expect("tx");
    assert_eq!(
        members::record_contact(&tx, near, &contact(1, true, "北京"), today()).await,
        Err(DomainError::NotFound)
    );
    assert!(members::contacts(&tx, near)
        .await
        .expect("contacts")
        .is_empty());
    assert!(members::floating(&tx, today())
        .await
        .expect("floating")
        .1
        .is_empty());
    assert_eq!(
        members::lost_contact_days(&tx).await.expect("days"),
        90,
        "settings are per community"
    );
}
both_engines!(
    floating_members_are_followed_up,
    floating_members_are_tracked
);

async fn care_is_recorded(t: TestDb) {
    use domain::members::{CareInput, CareKind};
    let w = world(&t.db).await;
    let a = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = a.write(&t.db).await.expect("tx");
    let poor = MemberInput {
        hardship: true,
        ..member_input("马春生")
    };
    let frail = MemberInput {
        immobile: true,
        ..member_input("胡淑珍")
    };
    let poor = members::create(&tx, &poor, None, today())
        .await
        .expect("create");
    let frail = members::create(&tx, &frail, None, today())
        .await
        .expect("create");
    members::create(&tx, &member_input("健康"), None, today())
        .await
        .expect("create");
    let visit = CareInput {
        date: today().to_string(),
        kind: "走访".into(),
        help: "慰问金".into(),
        amount: "500".into(),
        note: String::new(),
    };
    members::record_care(&tx, poor, &visit, today())
        .await
        .expect("care");
    assert_eq!(
        members::record_care(
            &tx,
            poor,
            &CareInput {
                amount: "-1".into(),
                ..visit.clone()
            },
            today()
        )
        .await,
        Err(DomainError::invalid("amount", "bad_value"))
    );
    assert_eq!(
        members::record_care(
            &tx,
            poor,
            &CareInput {
                kind: "请客".into(),
                ..visit.clone()
            },
            today()
        )
        .await,
        Err(DomainError::invalid("care_kind", "not_in_list"))
    );
    let study = CareInput {
        kind: "送学上门".into(),
        help: String::new(),
        amount: String::new(),
        ..visit.clone()
    };
    members::record_care(&tx, frail, &study, today())
        .await
        .expect("care");
    let records = members::care_for(&tx, poor).await.expect("records");
    assert_eq!(
        (records[0].kind, records[0].amount_cents),
        (CareKind::Visit, Some(50_000))
    );
    let list = members::care_list(&tx, today()).await.expect("list");
    let names: Vec<_> = list
        .iter()
        .map(|r| (r.name.as_str(), r.this_year))
        .collect();
    assert_eq!(
        names.len(),
        2,
        "only members in hardship or with limited mobility"
    );
    assert!(names.contains(&("马春生", 1)) && names.contains(&("胡淑珍", 1)));
    tx.commit().await.expect("commit");

    let b = w.scope_as(&t.db, "worker_b", w.community_b.id).await;
    let tx = b.write(&t.db).await.expect("tx");
    assert_eq!(
        members::record_care(&tx, poor, &visit, today()).await,
        Err(DomainError::NotFound)
    );
    assert!(members::care_for(&tx, poor)
        .await
        .expect("records")
        .is_empty());
    assert!(members::care_list(&tx, today())
        .await
        .expect("list")
        .is_empty());
}
both_engines!(care_is_recorded_for_members_in_need, care_is_recorded);

/// The secretary opens a member's login: the member then works as themselves (their own
/// record, activities); a second login, another community's staff or a member cannot.
async fn member_login(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.community_a.id;
    let scope = w.scope_as(&t.db, "secretary_a", a).await;
    let tx = scope.write(&t.db).await.expect("tx");
    let id = members::create(
        &tx,
        &domain::testing::member_input("王秀兰"),
        None,
        domain::testing::today(),
    )
    .await
    .expect("member");
    tx.commit().await.expect("commit");
    let user = members::create_login(&t.db, &scope, id, "wangxl", "Wangxl@2026")
        .await
        .expect("login");
    assert_eq!(
        members::create_login(&t.db, &scope, id, "wangxl2", "Wangxl@2026").await,
        Err(DomainError::invalid("member_login", "exists"))
    );
    let me = domain::auth::Principal::load(&t.db, user)
        .await
        .expect("load")
        .expect("active");
    let own = me.tenant_scope(&t.db, a).await.expect("own scope");
    let tx = own.read(&t.db).await.expect("tx");
    assert_eq!(
        members::own_record(&tx).await.expect("own").map(|m| m.id),
        Some(id)
    );
    assert!(domain::activities::activities(&tx, chrono::Utc::now())
        .await
        .is_ok());
    drop(tx);
    // Only the community's keepers; the member themselves cannot open logins.
    let tx = scope.write(&t.db).await.expect("tx");
    let other = members::create(
        &tx,
        &domain::testing::member_input("刘春生"),
        None,
        domain::testing::today(),
    )
    .await
    .expect("member");
    tx.commit().await.expect("commit");
    assert_eq!(
        members::create_login(&t.db, &own, other, "liucs", "Liucs@2026").await,
        Err(DomainError::Forbidden)
    );
    let b_scope = w.scope_as(&t.db, "worker_b", w.community_b.id).await;
    assert_eq!(
        members::create_login(&t.db, &b_scope, other, "liucs", "Liucs@2026").await,
        Err(DomainError::NotFound)
    );
    // Two keepers open the same member's login at once: one account, and none left over from
    // the other (the account, its role and the link land together or not at all).
    let scope = std::sync::Arc::new(scope);
    let (first, second) = tokio::join!(
        members::create_login(&t.db, &scope, other, "liucs", "Liucs@2026"),
        members::create_login(&t.db, &scope, other, "liuchunsheng", "Liucs@2026"),
    );
    assert_eq!([&first, &second].iter().filter(|r| r.is_ok()).count(), 1);
    let loser = if first.is_ok() {
        "liuchunsheng"
    } else {
        "liucs"
    };
    assert_eq!(
        domain::auth::users::find_by_login(&t.db, loser)
            .await
            .expect("lookup"),
        None,
        "no orphan account"
    );
}

both_engines!(the_secretary_opens_a_members_login, member_login);

/// The active members of community A as its street sees them: a count, nothing else.
async fn members_the_street_sees(t: &TestDb, w: &World) -> i64 {
    let street = w.principal(&t.db, "street").await;
    let domain::auth::NodeAccess::Rollup { rollup: scope } = street
        .access(&t.db, w.community_a.id)
        .await
        .expect("access")
    else {
        panic!("street oversees A");
    };
    rollup::totals(&t.db, &scope).await.expect("totals").members
}

/// The roster as it opens takes its total from the community's counter; it is always the
/// count of the active members: after adds and a transfer out, and inside a write (whose own
/// changes reach the counter only at commit) as after it. A branch secretary's or a filtered
/// view counts its rows.
async fn opening_total(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let opening = ListQuery {
        page: 1,
        per_page: 20,
        ..ListQuery::default()
    };
    let both = async |tx: &domain::tenancy::TenantTx| {
        let listed = members::list(tx, &opening).await.expect("list").total;
        (listed, members::count(tx).await.expect("count"))
    };
    let tx = a.read(&t.db).await.expect("tx");
    let (start, _) = both(&tx).await;
    tx.commit().await.expect("commit");
    let tx = a.write(&t.db).await.expect("tx");
    let mut ids = Vec::new();
    for i in 0..5 {
        let id = members::create(&tx, &member_input(&format!("党员{i}")), None, today())
            .await
            .expect("create");
        ids.push(id);
        let (listed, counted) = both(&tx).await;
        assert_eq!(listed, counted, "inside the write");
    }
    tx.commit().await.expect("commit");
    let tx = a.read(&t.db).await.expect("tx");
    let before = start + 5;
    assert_eq!(both(&tx).await, (before, before));
    tx.commit().await.expect("commit");
    // It is the counter that is read: changed behind the domain's back, the opening total
    // follows it (and `reconcile` puts it right).
    domain::testing::tamper_counter(&t.db, w.community_a.id, "members", 7).await;
    let tx = a.read(&t.db).await.expect("tx");
    assert_eq!(both(&tx).await, (before + 7, before));
    tx.commit().await.expect("commit");
    rollup::reconcile(&t.db, true).await.expect("fixed");

    let tx = a.write(&t.db).await.expect("tx");
    members::transfer_out(&tx, ids[0], "2024-03-01", "长春市南关区党委", today())
        .await
        .expect("out");
    tx.commit().await.expect("commit");
    let tx = a.read(&t.db).await.expect("tx");
    assert_eq!(both(&tx).await, (before - 1, before - 1));
    let with_transferred = ListQuery {
        include_transferred: true,
        ..opening.clone()
    };
    assert_eq!(
        members::list(&tx, &with_transferred)
            .await
            .expect("list")
            .total,
        before
    );
    tx.commit().await.expect("commit");
}

both_engines!(the_opening_roster_total_is_the_active_count, opening_total);
