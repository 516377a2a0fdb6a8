//! The roster as its pages read it (`members::roster`, kept in memory and worked out there)
//! against the roster read from the database (`members::list`), on both engines: the same
//! rows, totals and labels for every viewer and filter; each write seen at once; a community
//! too large to keep read from the database every time.
use domain::auth::admin::{self, NewAccount};
use domain::auth::Principal;
use domain::both_engines;
use domain::members::{self, Category, ListQuery, MemberInput, PartyStanding, Status};
use domain::org::placements::{self, PlacementKind};
use domain::tenancy::{Commit, TenantScope};
use domain::testing::{member_input, today, world, TestDb, World};
use domain::{Db, DomainError};
use uuid::Uuid;

struct Community {
    first_branch: Uuid,
    group: Uuid,
    second_branch: Uuid,
    secretary: TenantScope,
    worker: TenantScope,
    branch_secretary: TenantScope,
    /// The secretary's own record, phone 13800000001.
    own: Uuid,
}

/// Opens an account in community A (as its secretary) and returns its scope there.
async fn opened(db: &Db, w: &World, login: &str, role: &str, branch: Option<Uuid>) -> TenantScope {
    let secretary = w.principal(db, "secretary_a").await;
    let input = NewAccount {
        login_name: login.into(),
        display_name: login.into(),
        role: role.into(),
        branch: branch.map(|b| b.to_string()).unwrap_or_default(),
        place: w.community_a.id.to_string(),
        ..Default::default()
    };
    let (user, _) = admin::open_account(db, &secretary, &input)
        .await
        .expect("opened");
    Principal::load(db, user)
        .await
        .expect("load")
        .expect("active")
        .manage_scope(db, w.community_a.id)
        .await
        .expect("staff")
}

/// Community A with two branches (the first with a building group) and 37 members across
/// them, of several categories, every fifth a 预备党员, one transferred out, some with phones
/// and Latin names.
async fn community(db: &Db, w: &World) -> Community {
    let secretary = w.scope_as(db, "secretary_a", w.community_a.id).await;
    let tx = secretary.write(db).await.expect("tx");
    let first_branch =
        placements::create_placement(&tx, PlacementKind::GridBranch, "第一网格党支部", None)
            .await
            .expect("branch");
    let group = placements::create_placement(
        &tx,
        PlacementKind::BuildingGroup,
        "1号楼党小组",
        Some(first_branch),
    )
    .await
    .expect("group");
    let second_branch =
        placements::create_placement(&tx, PlacementKind::GridBranch, "第二网格党支部", None)
            .await
            .expect("branch");
    let units = [Some(first_branch), Some(group), Some(second_branch), None];
    let categories = ["离退休", "在职", "流动", "下岗失业"];
    let names = [
        "王秀兰",
        "李建华",
        "王志刚",
        "张桂英",
        "Li Ming",
        "wang fang",
    ];
    let mut transferred = None;
    for i in 0..36 {
        let input = MemberInput {
            phone: if i % 3 == 0 {
                format!("139{i:08}")
            } else {
                String::new()
            },
            unit_id: units[i % units.len()],
            category: categories[i % categories.len()].into(),
            standing: if i % 5 == 1 {
                "probationary".into()
            } else {
                String::new()
            },
            ..member_input(&format!("{}{i}", names[i % names.len()]))
        };
        let id = members::create(&tx, &input, None, today())
            .await
            .expect("create");
        if i == 7 {
            transferred = Some(id);
        }
    }
    let own = members::create(
        &tx,
        &MemberInput {
            phone: "13800000001".into(),
            unit_id: Some(group),
            ..member_input("书记本人")
        },
        Some(secretary.actor_user_id()),
        today(),
    )
    .await
    .expect("own record");
    members::transfer_out(
        &tx,
        transferred.expect("eighth"),
        "2024-03-01",
        "长春市南关区党委",
        today(),
    )
    .await
    .expect("out");
    tx.commit().await.expect("commit");
    Community {
        first_branch,
        group,
        second_branch,
        worker: opened(db, w, "worker_a", "community_worker", None).await,
        branch_secretary: opened(db, w, "branch_a", "branch_secretary", Some(first_branch)).await,
        secretary,
        own,
    }
}

fn queries(c: &Community) -> Vec<ListQuery> {
    let page = |page, per_page| ListQuery {
        page,
        per_page,
        ..Default::default()
    };
    let with = |f: &dyn Fn(&mut ListQuery)| {
        let mut q = page(1, 50);
        f(&mut q);
        q
    };
    vec![
        page(1, 50),
        page(1, 10),
        page(3, 10),
        page(4, 10),
        page(0, 0),
        page(u64::MAX, 10),
        with(&|q| q.category = Some(Category::Floating)),
        with(&|q| q.status = Some(Status::TransferredOut)),
        with(&|q| q.standing = Some(PartyStanding::Probationary)),
        with(&|q| {
            q.standing = Some(PartyStanding::Full);
            q.unit_id = Some(c.second_branch);
        }),
        with(&|q| q.include_transferred = true),
        with(&|q| q.unit_id = Some(c.group)),
        with(&|q| q.unit_id = Some(c.second_branch)),
        with(&|q| q.search = "王".into()),
        with(&|q| q.search = " 王秀 ".into()),
        with(&|q| q.search = "ming".into()),
        with(&|q| q.search = "WANG F".into()),
        with(&|q| q.search = "1390000".into()),
        with(&|q| q.search = "%".into()),
        with(&|q| {
            q.search = "王".into();
            q.category = Some(Category::Retired);
            q.page = 2;
            q.per_page = 2;
        }),
    ]
}

async fn same_as_the_database(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let c = community(db, &w).await;
    for scope in [&c.secretary, &c.worker, &c.branch_secretary] {
        for query in queries(&c) {
            // Twice: the first reads and keeps, the second is worked out from what was kept.
            for _ in 0..2 {
                let kept = members::roster(db, scope, &query).await.expect("roster");
                let tx = scope.read(db).await.expect("tx");
                let listed = members::list(&tx, &query).await.expect("list");
                let units = placements::labels(
                    &members::placements_in_reach(&tx).await.expect("placements"),
                );
                tx.commit().await.expect("commit");
                assert_eq!(kept.page, listed, "{:?} {query:?}", scope.role());
                assert_eq!(kept.units, units, "{:?}", scope.role());
            }
        }
    }
    // What the comparison covers: the 预备党员 filter keeps the seven of them (every fifth of
    // the 36, none transferred out) and only them; the secretary finds by phone and sees their
    // own number, a worker neither; a 支部书记 their branch only.
    let probationary = members::roster(
        db,
        &c.secretary,
        &ListQuery {
            standing: Some(PartyStanding::Probationary),
            page: 1,
            per_page: 50,
            ..Default::default()
        },
    )
    .await
    .expect("roster")
    .page;
    assert_eq!(probationary.total, 7);
    assert!(probationary
        .rows
        .iter()
        .all(|r| r.standing == PartyStanding::Probationary));
    let search = |text: &str| ListQuery {
        search: text.into(),
        page: 1,
        per_page: 50,
        ..Default::default()
    };
    let found = async |scope: &TenantScope, text: &str| {
        members::roster(db, scope, &search(text))
            .await
            .expect("roster")
            .page
    };
    assert_eq!(found(&c.secretary, "13900000003").await.total, 1);
    assert_eq!(found(&c.worker, "13900000003").await.total, 0);
    let own = |page: members::MemberPage| {
        page.rows
            .into_iter()
            .find(|r| r.id == c.own)
            .and_then(|r| r.phone)
    };
    assert_eq!(
        own(found(&c.secretary, "书记").await).as_deref(),
        Some("13800000001")
    );
    assert_eq!(
        own(found(&c.worker, "书记").await).as_deref(),
        Some("138****0001")
    );
    let everyone = found(&c.secretary, "").await;
    let branch = found(&c.branch_secretary, "").await;
    assert_eq!(everyone.total, 36, "36 active of 37");
    assert!(branch.total > 0 && branch.total < everyone.total);
    let in_first = members::roster(
        db,
        &c.secretary,
        &ListQuery {
            unit_id: Some(c.first_branch),
            ..search("")
        },
    )
    .await
    .expect("roster");
    assert!(branch.rows.iter().any(|r| r.unit_id == Some(c.group)));
    assert!(branch
        .rows
        .iter()
        .all(|r| [Some(c.first_branch), Some(c.group)].contains(&r.unit_id)));
    assert!(
        in_first.page.total < branch.total,
        "the branch and its group"
    );
    // Latin letters match whatever their case.
    assert_eq!(found(&c.secretary, "MING").await.total, 6);
    assert_eq!(found(&c.secretary, "li m").await.total, 6);
}
both_engines!(
    the_kept_roster_pages_as_the_database_does,
    same_as_the_database
);

async fn follows_each_write(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let c = community(db, &w).await;
    let opening = ListQuery {
        page: 1,
        per_page: 50,
        ..Default::default()
    };
    let name_of = |id: Uuid| {
        let opening = opening.clone();
        let scope = c.worker.clone();
        async move {
            members::roster(db, &scope, &opening)
                .await
                .expect("roster")
                .page
                .rows
                .into_iter()
                .find(|r| r.id == id)
                .map(|r| r.name)
        }
    };
    assert_eq!(name_of(c.own).await.as_deref(), Some("书记本人"));

    // Rolled back: nothing changes.
    let tx = c.secretary.write(db).await.expect("tx");
    members::update(&tx, c.own, &member_input("改名未存"), today())
        .await
        .expect("update");
    drop(tx);
    assert_eq!(name_of(c.own).await.as_deref(), Some("书记本人"));

    // Committed: the very next page shows it, and a new member with it.
    let tx = c.secretary.write(db).await.expect("tx");
    let renamed = MemberInput {
        phone: "13800000001".into(),
        ..member_input("书记改名")
    };
    members::update(&tx, c.own, &renamed, today())
        .await
        .expect("update");
    let added = members::create(&tx, &member_input("新党员"), None, today())
        .await
        .expect("create");
    tx.commit().await.expect("commit");
    assert_eq!(name_of(c.own).await.as_deref(), Some("书记改名"));
    assert_eq!(name_of(added).await.as_deref(), Some("新党员"));

    // A new placement is among the labels at once.
    let tx = c.secretary.write(db).await.expect("tx");
    let third =
        placements::create_placement(&tx, PlacementKind::GridBranch, "第三网格党支部", None)
            .await
            .expect("branch");
    tx.commit().await.expect("commit");
    let roster = members::roster(db, &c.secretary, &opening)
        .await
        .expect("roster");
    assert!(roster.units.iter().any(|(id, _)| *id == third));

    // A member is refused, with the community's roster kept.
    let member = w.scope_as(db, "member_a", w.community_a.id).await;
    assert_eq!(
        members::roster(db, &member, &opening).await.map(|_| ()),
        Err(DomainError::Forbidden)
    );
}
both_engines!(the_kept_roster_follows_each_write, follows_each_write);

async fn read_once_when_many_open_it(t: TestDb) {
    let w = world(&t.db).await;
    let c = community(&t.db, &w).await;
    let (counted, log) = t.db.counting();
    let opening = ListQuery {
        page: 1,
        per_page: 50,
        ..Default::default()
    };
    log.take();
    let mut viewers = tokio::task::JoinSet::new();
    for n in 0..16 {
        let (db, query) = (counted.clone(), opening.clone());
        let scope = [&c.secretary, &c.worker, &c.branch_secretary][n % 3].clone();
        viewers.spawn(async move {
            members::roster(&db, &scope, &query)
                .await
                .map(|r| r.page.total)
        });
    }
    while let Some(total) = viewers.join_next().await {
        assert!(total.expect("viewer").expect("roster") > 0);
    }
    let reads = log
        .take()
        .into_iter()
        .filter(|sql| sql.contains("\"members\""))
        .count();
    assert_eq!(reads, 2, "the count and the rows, once for all 16");
}
both_engines!(
    sixteen_opening_the_roster_at_once_read_it_once,
    read_once_when_many_open_it
);

async fn too_large_to_keep(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let secretary = w.scope_as(db, "secretary_a", w.community_a.id).await;
    let mut csv =
        String::from("姓名,性别,出生日期,手机号,入党日期,党员分类,状态,所在组织,困难党员\n");
    for i in 0..5_001 {
        csv.push_str(&format!("党员{i:04},女,1956-03-08,,1980-07-01,离退休,,,\n"));
    }
    let sheet = members::read_file(csv.as_bytes()).expect("readable");
    let tx = secretary.write(db).await.expect("tx");
    let report = members::import(
        &tx,
        std::sync::Arc::new(sheet),
        today(),
        std::sync::Arc::new(|_, _| {}),
    )
    .await
    .expect("import");
    assert_eq!(report.imported, 5_001);
    tx.commit().await.expect("commit");
    for query in [
        ListQuery {
            page: 101,
            per_page: 50,
            ..Default::default()
        },
        ListQuery {
            search: "党员49".into(),
            page: 2,
            per_page: 50,
            ..Default::default()
        },
    ] {
        let kept = members::roster(db, &secretary, &query)
            .await
            .expect("roster");
        let tx = secretary.read(db).await.expect("tx");
        let listed = members::list(&tx, &query).await.expect("list");
        tx.commit().await.expect("commit");
        assert_eq!(kept.page, listed);
        assert!(!kept.page.rows.is_empty());
    }
    let opening = ListQuery {
        page: 1,
        per_page: 50,
        ..Default::default()
    };
    let total = members::roster(db, &secretary, &opening)
        .await
        .expect("roster")
        .page
        .total;
    assert_eq!(total, 5_001);
    // Still paged in the database: a member added is counted at once.
    let tx = secretary.write(db).await.expect("tx");
    members::create(&tx, &member_input("又一位"), None, today())
        .await
        .expect("create");
    tx.commit().await.expect("commit");
    let total = members::roster(db, &secretary, &opening)
        .await
        .expect("roster")
        .page
        .total;
    assert_eq!(total, 5_002);
}
both_engines!(
    a_roster_too_large_to_keep_is_read_each_time,
    too_large_to_keep
);
