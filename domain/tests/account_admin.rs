//! Accounts administered down the tree: who may grant which role where, the accounts page of
//! each level, opening an account with a one-time password, granting an existing login a
//! second role, revoking, deactivating and resetting, each refused outside the actor's reach
//! with nothing written, and each audited where the level above sees it.
use domain::auth::admin::{self, NewAccount};
use domain::auth::{login, LoginGuard, Principal, Role};
use domain::both_engines;
use domain::divisions::find_by_code;
use domain::testing::{assignment_of, world, TestDb, World, PASSWORD};
use domain::{Db, DomainError};
use uuid::Uuid;

async fn node(db: &Db, code: &str) -> domain::entities::org_node::Model {
    find_by_code(db, code).await.expect("read").expect("node")
}

async fn who_grants_what(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let (district, other_district) = (node(db, "220103").await, node(db, "220104").await);
    let (street, other_street) = (node(db, "220103002").await, node(db, "220103005").await);
    let (a, b, c) = (
        node(db, "220103002001").await,
        node(db, "220103002002").await,
        node(db, "220103005001").await,
    );
    use Role::*;
    let expected: &[(&str, Role, &domain::entities::org_node::Model, bool)] = &[
        ("operator", DistrictOrganiser, &district, true),
        ("operator", DistrictOrganiser, &other_district, true),
        ("operator", StreetStaff, &street, false),
        ("operator", PlatformOperator, &district, false),
        ("district", DistrictOrganiser, &district, true),
        ("district", StreetStaff, &street, true),
        ("district", StreetStaff, &other_street, true),
        ("district", DistrictOrganiser, &other_district, false),
        ("district", CommunitySecretary, &a, false),
        ("street", CommunitySecretary, &a, true),
        ("street", CommunityWorker, &b, true),
        ("street", CommunitySecretary, &c, false),
        ("street", StreetStaff, &street, false),
        ("street", BranchSecretary, &a, false),
        ("other_street", CommunitySecretary, &a, false),
        ("secretary_a", CommunityWorker, &a, true),
        ("secretary_a", BranchSecretary, &a, true),
        ("secretary_a", CommunitySecretary, &a, false),
        ("secretary_a", CommunityWorker, &b, false),
        ("worker_b", CommunityWorker, &b, false),
        ("member_a", CommunityWorker, &a, false),
        ("liaison", CommunitySecretary, &a, false),
    ];
    // Members' and liaisons' logins are not granted here, but their staff manage them.
    for (actor, role, on, may) in [
        ("secretary_a", Member, &a, true),
        ("worker_b", Member, &b, true),
        ("street", Member, &a, false),
        ("secretary_c", Member, &a, false),
        ("street", UnitLiaison, &street, true),
        ("other_street", UnitLiaison, &street, false),
    ] {
        let p = w.principal(db, actor).await;
        assert!(!p.may_grant(role, on), "{actor} grants {role:?}");
        assert_eq!(
            p.may_manage(role, on),
            may,
            "{actor} manages {role:?} on {}",
            on.name
        );
    }
    for (actor, role, on, may) in expected {
        let p = w.principal(db, actor).await;
        assert_eq!(
            p.may_grant(*role, on),
            *may,
            "{actor} {role:?} on {}",
            on.name
        );
    }
}
both_engines!(each_level_grants_the_level_below_only, who_grants_what);

fn new_account(login: &str, role: &str, place: impl ToString) -> NewAccount {
    NewAccount {
        login_name: login.into(),
        display_name: "王小丽".into(),
        phone: String::new(),
        role: role.into(),
        place: place.to_string(),
        branch: String::new(),
    }
}

async fn listed(db: &Db, w: &World, viewer: &str, at: Uuid) -> Vec<String> {
    let p = w.principal(db, viewer).await;
    let view = admin::accounts(db, &p, at).await.expect("accounts page");
    view.accounts.into_iter().map(|a| a.login_name).collect()
}

async fn opening_and_listing(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let guard = LoginGuard::new(1000);
    let a = w.community_a.id;
    let secretary = w.principal(db, "secretary_a").await;

    // Refusals write nothing.
    let refusals = [
        (
            new_account("xw", "community_secretary", a),
            ("role", "not_yours_to_grant"),
        ),
        (
            new_account("xw", "community_worker", w.community_b.id),
            ("place", "not_found"),
        ),
        (
            new_account("xw", "community_worker", w.community_c.id),
            ("place", "not_found"),
        ),
        (new_account("xw", "root", a), ("role", "not_in_list")),
        (
            new_account("xw", "community_worker", "220103002002"),
            ("place", "not_found"),
        ),
        (
            new_account("worker_b", "community_worker", a),
            ("login_name", "taken"),
        ),
        (
            new_account("有空格 的", "community_worker", a),
            ("login_name", "bad_chars"),
        ),
    ];
    for (input, (field, reason)) in refusals {
        assert_eq!(
            admin::open_account(db, &secretary, &input)
                .await
                .map(|_| ()),
            Err(DomainError::invalid(field, reason)),
            "{}",
            input.login_name
        );
    }
    let none = domain::auth::users::find_by_login(db, "xw")
        .await
        .expect("read");
    assert!(none.is_none(), "nothing written");
    for viewer in ["member_a", "worker_b", "liaison", "street", "district"] {
        let p = w.principal(db, viewer).await;
        assert_eq!(
            admin::accounts(db, &p, a).await.map(|_| ()),
            Err(DomainError::Forbidden),
            "{viewer} on A's accounts page"
        );
    }

    // The secretary opens a worker's account: one-time password, the role on A.
    let (worker, once) = admin::open_account(
        db,
        &secretary,
        &new_account("XiaoWang", "community_worker", a),
    )
    .await
    .expect("opened");
    assert_eq!(login(db, &guard, "xiaowang", &once, None).await, Ok(worker));
    let p = Principal::load(db, worker)
        .await
        .expect("load")
        .expect("active");
    assert!(p.must_change_password);
    assert_eq!(p.assignments[0].role, Role::CommunityWorker);
    assert_eq!(p.assignments[0].node.id, a);
    assert_eq!(listed(db, &w, "secretary_a", a).await, vec!["xiaowang"]);

    // The street sees its communities' secretaries and workers (not the other street's, not
    // members), and the change the secretary made.
    let street_list = listed(db, &w, "street", w.street.id).await;
    for login_name in ["secretary_a", "worker_b", "xiaowang"] {
        assert!(
            street_list.contains(&login_name.to_owned()),
            "{street_list:?}"
        );
    }
    for login_name in ["secretary_c", "member_a", "street", "liaison"] {
        assert!(
            !street_list.contains(&login_name.to_owned()),
            "{street_list:?}"
        );
    }
    let street = w.principal(db, "street").await;
    let view = admin::accounts(db, &street, w.street.id)
        .await
        .expect("page");
    assert!(view.changes.iter().any(|c| c.action == "account_opened"
        && c.account == "xiaowang"
        && c.by.as_deref() == Some("secretary_a")));
    assert_eq!(view.places.len(), 2, "the street's two communities");
    // The district lists its organiser and its streets' staff; the operator, district
    // organisers (and opens a district's first one by its code).
    let district_list = listed(db, &w, "district", w.district.id).await;
    assert_eq!(district_list, vec!["district", "street", "other_street"]);
    let operator = w.principal(db, "operator").await;
    let (organiser, _) = admin::open_account(
        db,
        &operator,
        &new_account("nanguan", "district_organiser", "220104"),
    )
    .await
    .expect("first organiser of 220104");
    let country = node(db, "CN").await.id;
    let operator_list = listed(db, &w, "operator", country).await;
    assert_eq!(operator_list, vec!["district", "nanguan"]);
    let p = Principal::load(db, organiser)
        .await
        .expect("load")
        .expect("active");
    assert_eq!(p.assignments[0].node.id, w.other_district.id);
}
both_engines!(accounts_are_opened_for_the_level_below, opening_and_listing);

async fn lifecycle(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let guard = LoginGuard::new(1000);
    let street = w.principal(db, "street").await;
    let worker_b = w.account("worker_b").user_id;
    let secretary_a = w.account("secretary_a").user_id;

    // A second role for an existing login: worker_b also works in A.
    admin::grant(
        db,
        &street,
        "worker_b",
        "community_worker",
        &w.community_a.id.to_string(),
        "",
    )
    .await
    .expect("granted");
    let p = Principal::load(db, worker_b)
        .await
        .expect("load")
        .expect("active");
    assert_eq!(p.assignments.len(), 2);
    assert_eq!(
        admin::grant(
            db,
            &street,
            "nobody",
            "community_worker",
            &w.community_a.id.to_string(),
            ""
        )
        .await,
        Err(DomainError::invalid("login", "no_such_account"))
    );

    // Revoking: outside one's reach nothing is found; one's own role is refused.
    let assignment = assignment_of(db, worker_b, w.community_a.id).await;
    // A's secretary grants the role in A but not worker_b's role in B: she may take the one
    // back, not manage the account.
    let secretary = w.principal(db, "secretary_a").await;
    assert_eq!(
        admin::set_active(db, &secretary, worker_b, false).await,
        Err(DomainError::NotFound)
    );
    for outsider in [
        "secretary_c",
        "other_street",
        "member_a",
        "operator",
        "district",
    ] {
        let p = w.principal(db, outsider).await;
        assert_eq!(
            admin::revoke(db, &p, assignment).await,
            Err(DomainError::NotFound),
            "{outsider}"
        );
        assert_eq!(
            admin::set_active(db, &p, worker_b, false).await,
            Err(DomainError::NotFound),
            "{outsider}"
        );
        assert_eq!(
            admin::reset_password(db, &p, worker_b).await.map(|_| ()),
            Err(DomainError::NotFound),
            "{outsider}"
        );
    }
    let p = Principal::load(db, worker_b)
        .await
        .expect("load")
        .expect("active");
    assert_eq!(p.assignments.len(), 2, "nothing revoked");
    admin::revoke(db, &street, assignment)
        .await
        .expect("revoked");
    let p = Principal::load(db, worker_b)
        .await
        .expect("load")
        .expect("active");
    assert_eq!(p.assignments.len(), 1);
    let district = w.principal(db, "district").await;
    let own_assignment = assignment_of(db, district.user_id, w.district.id).await;
    assert_eq!(
        admin::revoke(db, &district, own_assignment).await,
        Err(DomainError::invalid("role", "own_role"))
    );
    // Nobody manages their own account here (they change their own password instead), nor
    // gives it a role.
    assert_eq!(
        admin::set_active(db, &district, district.user_id, false).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        admin::reset_password(db, &district, district.user_id)
            .await
            .map(|_| ()),
        Err(DomainError::NotFound)
    );
    assert_eq!(
        admin::grant(
            db,
            &street,
            "street",
            "community_worker",
            &w.community_a.id.to_string(),
            ""
        )
        .await,
        Err(DomainError::invalid("login", "own_account"))
    );
    // A login outside the granter's subtree reads as no such account (nothing to learn of it).
    assert_eq!(
        admin::grant(
            db,
            &street,
            "secretary_c",
            "community_worker",
            &w.community_a.id.to_string(),
            ""
        )
        .await,
        Err(DomainError::invalid("login", "no_such_account"))
    );

    // District organisers open accounts for their peers but never manage them: no peer takes
    // another's account over (the operator does).
    let (peer, _) = admin::open_account(
        db,
        &district,
        &new_account("zuzhibu2", "district_organiser", w.district.id),
    )
    .await
    .expect("peer opened");
    assert_eq!(
        admin::reset_password(db, &district, peer).await.map(|_| ()),
        Err(DomainError::NotFound)
    );
    assert_eq!(
        admin::set_active(db, &district, peer, false).await,
        Err(DomainError::NotFound)
    );
    let operator = w.principal(db, "operator").await;
    admin::reset_password(db, &operator, peer)
        .await
        .expect("the operator resets it");

    // What the street deactivated, A's secretary (who grants workers) cannot reopen.
    let secretary = w.principal(db, "secretary_a").await;
    let (temp, _) = admin::open_account(
        db,
        &secretary,
        &new_account("linshi", "community_worker", w.community_a.id),
    )
    .await
    .expect("opened");
    admin::set_active(db, &street, temp, false)
        .await
        .expect("street deactivates");
    assert_eq!(
        admin::set_active(db, &secretary, temp, true).await,
        Err(DomainError::invalid("active", "deactivated_above"))
    );
    assert!(Principal::load(db, temp).await.expect("load").is_none());
    admin::set_active(db, &district, temp, true)
        .await
        .expect_err("the district does not manage workers");
    admin::set_active(db, &street, temp, true)
        .await
        .expect("the street reopens it");

    // Deactivated: no login; reactivated: login again.
    admin::set_active(db, &street, secretary_a, false)
        .await
        .expect("deactivated");
    assert_eq!(
        login(db, &guard, "secretary_a", PASSWORD, None).await,
        Err(DomainError::BadCredentials)
    );
    assert!(Principal::load(db, secretary_a)
        .await
        .expect("load")
        .is_none());
    let listed_inactive = admin::accounts(db, &street, w.street.id)
        .await
        .expect("page")
        .accounts
        .into_iter()
        .find(|x| x.id == secretary_a)
        .expect("still listed");
    assert!(!listed_inactive.active);
    admin::set_active(db, &street, secretary_a, true)
        .await
        .expect("reactivated");
    assert_eq!(
        login(db, &guard, "secretary_a", PASSWORD, None).await,
        Ok(secretary_a)
    );

    // A forgotten password: a new one-time password; the old one no longer works.
    let once = admin::reset_password(db, &street, secretary_a)
        .await
        .expect("reset");
    assert_eq!(
        login(db, &guard, "secretary_a", PASSWORD, None).await,
        Err(DomainError::BadCredentials)
    );
    assert_eq!(
        login(db, &guard, "secretary_a", &once, None).await,
        Ok(secretary_a)
    );
    let p = Principal::load(db, secretary_a)
        .await
        .expect("load")
        .expect("active");
    assert!(p.must_change_password);

    // The district sees none of it as manageable (secretaries are the street's), but the
    // changes in its subtree are listed.
    let view = admin::accounts(db, &district, w.district.id)
        .await
        .expect("page");
    let actions: Vec<&str> = view.changes.iter().map(|c| c.action.as_str()).collect();
    for action in [
        "role_revoked",
        "account_deactivated",
        "account_reactivated",
        "password_reset",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    assert_eq!(
        admin::reset_password(db, &district, secretary_a)
            .await
            .map(|_| ()),
        Err(DomainError::NotFound)
    );
}
both_engines!(roles_and_accounts_have_a_lifecycle, lifecycle);

/// A shared write that reads before it writes (opening an account checks the login first)
/// while a community's write commits in between: on SQLite it used to fail at once ("database
/// is locked", a 500) because its read could not become a write; now it holds the write turn
/// from BEGIN and the community's write waits its turn. Both land.
async fn shared_write_beside_a_tenant_write(t: TestDb) {
    use domain::entities::user;
    use domain::tenancy::{shared, Commit};
    use sea_orm::ColumnTrait;
    let db = &t.db;
    let w = world(db).await;
    let scope = w.scope_as(db, "secretary_a", w.community_a.id).await;
    let shared_tx = db.begin_shared().await.expect("begin shared");
    let operator = shared::find::<user::Entity>()
        .filter(user::Column::LoginName.eq("operator"))
        .one(&shared_tx)
        .await
        .expect("read")
        .expect("operator");
    let writer = {
        let db = db.clone();
        tokio::spawn(async move {
            let tx = scope.write(&db).await?;
            domain::members::create(
                &tx,
                &domain::testing::member_input("钱海燕"),
                None,
                domain::testing::today(),
            )
            .await?;
            tx.commit().await
        })
    };
    // Time for the community's write to commit, had it not to wait for its turn.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    shared::update_many::<user::Entity>()
        .col_expr(
            user::Column::DisplayName,
            sea_orm::sea_query::Expr::value("平台运维"),
        )
        .filter(user::Column::Id.eq(operator.id))
        .exec(&shared_tx)
        .await
        .expect("the shared write after its read");
    shared_tx.commit().await.expect("commit shared");
    writer
        .await
        .expect("joined")
        .expect("the community's write, after its turn");
    let renamed = domain::auth::users::find_by_login(db, "operator")
        .await
        .expect("read")
        .expect("operator");
    assert_eq!(renamed.display_name, "平台运维");
}

both_engines!(
    a_shared_write_reading_first_is_not_refused_by_a_tenant_write_meanwhile,
    shared_write_beside_a_tenant_write
);
