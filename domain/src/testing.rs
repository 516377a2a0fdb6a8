//! Test support: a fresh database per test on SQLite or on the PostgreSQL server the test
//! command starts (`GONGJIAN_TEST_PG`), and a small org tree with one account per role.
// Only tests and benchmarks call this: a failed setup should stop them loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::tenancy::Commit;
use sea_orm::{ConnectionTrait, Database, Statement};
use uuid::Uuid;

use crate::auth::users::{self, NewUser};
use crate::auth::{Principal, Role};
use crate::db::{self, Db};
use crate::divisions as import;
use crate::error::DomainResult;
use crate::tenancy::{Runner, Sql, TenantScope, TenantTx};

pub const PASSWORD: &str = "test-password-1";

/// Fixture logins with no role in community A: the levels above (aggregates only), the other
/// street, staff of B and C, and the paired unit's liaison.
pub const NOT_IN_A: [&str; 7] = [
    "operator",
    "district",
    "street",
    "other_street",
    "worker_b",
    "secretary_c",
    "liaison",
];

/// `NOT_IN_A` and A's own member: everyone who may not act as A's staff.
pub fn not_staff_of_a() -> Vec<&'static str> {
    let mut logins = NOT_IN_A.to_vec();
    logins.push("member_a");
    logins
}
pub const APP_ROLE: &str = "gongjian_app";
pub const OWNER_ROLE: &str = "gongjian_owner";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

pub struct TestDb {
    pub db: Db,
    pub engine: Engine,
    /// The serving role's URL (PostgreSQL), for tests that go around the domain API.
    pub app_url: String,
    /// Its files on disk, removed when the test ends (thousands of runs filled the disk).
    pub leftovers: Leftovers,
}

/// Paths a test database left in the temporary directory: removed when dropped (an open
/// SQLite file may be unlinked; its connections keep it until they close).
#[derive(Default)]
pub struct Leftovers(Vec<std::path::PathBuf>);

impl Drop for Leftovers {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = std::fs::remove_dir_all(path).or_else(|_| std::fs::remove_file(path));
        }
    }
}

/// A file store of its own for a test database, in the temporary directory.
fn test_files(leftovers: &mut Leftovers) -> crate::files::FileStore {
    let dir = std::env::temp_dir().join(format!("gongjian-test-files-{}", Uuid::now_v7()));
    leftovers.0.push(dir.clone());
    crate::files::FileStore::new(dir)
}

/// A fresh, migrated database. `None` when PostgreSQL is asked for but not configured and not
/// required (`GONGJIAN_REQUIRE_PG=1`, set by the test command, turns that into a failure).
pub async fn fresh(engine: Engine) -> Option<TestDb> {
    match engine {
        Engine::Sqlite => {
            let path = std::env::temp_dir().join(format!("gongjian-test-{}.db", Uuid::now_v7()));
            let mut leftovers = Leftovers(
                ["", "-wal", "-shm", "-journal"]
                    .iter()
                    .map(|end| format!("{}{end}", path.display()).into())
                    .collect(),
            );
            let url = format!("sqlite://{}?mode=rwc", path.display());
            db::migrate(&url, None).await.expect("migrate sqlite");
            let db = Db::connect(&url).await.expect("connect sqlite");
            let db = db.with_files(test_files(&mut leftovers));
            Some(TestDb {
                db,
                engine,
                app_url: url,
                leftovers,
            })
        }
        Engine::Postgres => {
            let Ok(admin_url) = std::env::var("GONGJIAN_TEST_PG") else {
                assert!(
                    std::env::var("GONGJIAN_REQUIRE_PG").is_err(),
                    "GONGJIAN_TEST_PG is not set but PostgreSQL tests are required"
                );
                eprintln!("PostgreSQL not configured: skipped");
                return None;
            };
            let name = format!("t_{}", Uuid::now_v7().simple());
            let admin = Database::connect(format!("{admin_url}/postgres"))
                .await
                .expect("connect postgres admin");
            drop_old_test_databases(&admin).await;
            admin
                .execute_raw(Statement::from_string(
                    admin.get_database_backend(),
                    format!("CREATE DATABASE {name} OWNER {OWNER_ROLE}"),
                ))
                .await
                .expect("create database");
            admin.close().await.ok();
            let base = admin_url
                .split_once("://")
                .map(|(_, rest)| rest.split_once('@').map_or(rest, |(_, host)| host))
                .unwrap_or_default()
                .to_owned();
            let owner_url = format!("postgres://{OWNER_ROLE}@{base}/{name}");
            let app_url = format!("postgres://{APP_ROLE}@{base}/{name}");
            db::migrate(&owner_url, Some(APP_ROLE))
                .await
                .expect("migrate postgres");
            let mut leftovers = Leftovers::default();
            let db = Db::connect(&app_url)
                .await
                .expect("connect postgres app role")
                .with_files(test_files(&mut leftovers));
            Some(TestDb {
                db,
                engine,
                app_url,
                leftovers,
            })
        }
    }
}

/// Test databases are not dropped when their test ends (a test's pool may still hold
/// connections): once per process, those created over an hour ago are (their names carry a
/// UUIDv7, hence when), so a cluster that outlives many runs does not fill its disk. A run
/// going on beside this one keeps its newer ones.
async fn drop_old_test_databases(admin: &sea_orm::DatabaseConnection) {
    static SWEPT: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    SWEPT
        .get_or_init(|| async {
            let rows = admin
                .query_all_raw(Statement::from_string(
                    admin.get_database_backend(),
                    "SELECT datname::text FROM pg_database WHERE datname LIKE 't\\_%'",
                ))
                .await
                .unwrap_or_default();
            let hour_ago = chrono::Utc::now().timestamp() - 3600;
            for row in rows {
                let Ok(name) = row.try_get_by_index::<String>(0) else {
                    continue;
                };
                let created = name
                    .strip_prefix("t_")
                    .and_then(|id| Uuid::parse_str(id).ok())
                    .and_then(|id| id.get_timestamp())
                    .map(|ts| ts.to_unix().0);
                if created.is_some_and(|at| i64::try_from(at).unwrap_or(i64::MAX) < hour_ago) {
                    let _ = admin
                        .execute_raw(Statement::from_string(
                            admin.get_database_backend(),
                            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                        ))
                        .await;
                }
            }
        })
        .await;
}

/// The replica of the test cluster (`GONGJIAN_TEST_PG_READ`, a streaming replica the test
/// command starts beside `GONGJIAN_TEST_PG`): `t`'s pool reading aggregates from it, once it
/// has the test's database. `None` when none is configured and none is required
/// (`GONGJIAN_REQUIRE_REPLICA=1`, set by the test command, turns that into a failure).
pub async fn with_replica(t: &TestDb) -> Option<Db> {
    let Ok(replica) = std::env::var("GONGJIAN_TEST_PG_READ") else {
        assert!(
            std::env::var("GONGJIAN_REQUIRE_REPLICA").is_err(),
            "GONGJIAN_TEST_PG_READ is not set but the replica tests are required"
        );
        eprintln!("no read replica configured: skipped");
        return None;
    };
    replica_catch_up().await;
    // The same database and role, on the replica's address.
    let (_, rest) = t.app_url.rsplit_once('@').expect("app url");
    let (_, name) = rest.split_once('/').expect("database name");
    let host = replica
        .rsplit_once('@')
        .map_or(replica.as_str(), |(_, h)| h);
    let url = format!("postgres://{APP_ROLE}@{host}/{name}");
    Some(
        t.db.with_reader(&url, crate::db::PoolOptions::default())
            .await
            .expect("connect the replica"),
    )
}

/// Waits until the replica has replayed everything the primary has written so far.
pub async fn replica_catch_up() {
    let admin = |var: &str| {
        let url = std::env::var(var).expect(var);
        async move {
            Database::connect(format!("{url}/postgres"))
                .await
                .expect("connect admin")
        }
    };
    let primary = admin("GONGJIAN_TEST_PG").await;
    let replica = admin("GONGJIAN_TEST_PG_READ").await;
    let row = primary
        .query_one_raw(Statement::from_string(
            primary.get_database_backend(),
            "SELECT pg_current_wal_lsn()::text AS lsn",
        ))
        .await
        .expect("lsn")
        .expect("a row");
    let lsn: String = row.try_get("", "lsn").expect("lsn");
    for _ in 0..600 {
        let row = replica
            .query_one_raw(Statement::from_string(
                replica.get_database_backend(),
                format!("SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn AS done"),
            ))
            .await
            .expect("replay lsn")
            .expect("a row");
        if row.try_get::<bool>("", "done").expect("done") {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the replica did not catch up in 30 s");
}

/// Pauses (or resumes) the replica's replay, as its superuser.
pub async fn pause_replica(paused: bool) {
    let url = std::env::var("GONGJIAN_TEST_PG_READ").expect("GONGJIAN_TEST_PG_READ");
    let replica = Database::connect(format!("{url}/postgres"))
        .await
        .expect("connect replica");
    let call = if paused {
        "pg_wal_replay_pause"
    } else {
        "pg_wal_replay_resume"
    };
    replica
        .execute_raw(Statement::from_string(
            replica.get_database_backend(),
            format!("SELECT {call}()"),
        ))
        .await
        .expect(call);
}

/// Two communities of one street (A, B) and one community of another street (C), all in one
/// district, plus a second district (D) with one street and community.
pub const DIVISIONS: &str =
    "province,city,district_code,district,street_code,street,community_code,community
吉林省,长春市,220103,宽城区,220103002,站前街道,220103002001,长江路社区
吉林省,长春市,220103,宽城区,220103002,站前街道,220103002002,丹东路社区
吉林省,长春市,220103,宽城区,220103005,群英街道,220103005001,鞍山路社区
吉林省,长春市,220104,朝阳区,220104001,前进街道,220104001001,前进社区
";

pub struct Node {
    pub id: Uuid,
    pub code: &'static str,
}

pub struct Account {
    pub login: &'static str,
    pub user_id: Uuid,
    pub role: Role,
    pub node: Uuid,
}

pub struct World {
    pub district: Node,
    pub other_district: Node,
    pub street: Node,
    pub other_street: Node,
    pub community_a: Node,
    pub community_b: Node,
    pub community_c: Node,
    pub accounts: Vec<Account>,
}

impl World {
    pub fn account(&self, login: &str) -> &Account {
        self.accounts
            .iter()
            .find(|a| a.login == login)
            .expect("fixture account")
    }

    pub async fn principal(&self, db: &Db, login: &str) -> Principal {
        Principal::load(db, self.account(login).user_id)
            .await
            .expect("load principal")
            .expect("active principal")
    }

    /// `login`'s scope in `node`'s tenant.
    pub async fn scope_as(&self, db: &Db, login: &str, node: Uuid) -> TenantScope {
        self.principal(db, login)
            .await
            .tenant_scope(db, node)
            .await
            .expect("tenant scope")
    }

    /// `login`'s aggregates scope on `node` (a street or a district above it).
    pub async fn rollup_as(&self, db: &Db, login: &str, node: Uuid) -> crate::rollup::RollupScope {
        self.principal(db, login)
            .await
            .rollup_scope(db, node)
            .await
            .expect("rollup scope")
    }

    /// `login`'s co-construction scope from `node` (a street, or a community of it).
    pub async fn coop_as(&self, db: &Db, login: &str, node: Uuid) -> crate::coop::CoopScope {
        self.principal(db, login)
            .await
            .coop_scope(db, node)
            .await
            .expect("co-construction scope")
    }

    /// A write transaction of `login` in `node`'s tenant.
    pub async fn write_as(&self, db: &Db, login: &str, node: Uuid) -> TenantTx {
        let scope = self.scope_as(db, login, node).await;
        scope.write(db).await.expect("write transaction")
    }

    /// A read transaction of `login` in `node`'s tenant.
    pub async fn read_as(&self, db: &Db, login: &str, node: Uuid) -> TenantTx {
        let scope = self.scope_as(db, login, node).await;
        scope.read(db).await.expect("read transaction")
    }

    /// Every tenant node of the fixture.
    pub fn tenants(&self) -> Vec<Uuid> {
        vec![
            self.district.id,
            self.other_district.id,
            self.street.id,
            self.other_street.id,
            self.community_a.id,
            self.community_b.id,
            self.community_c.id,
        ]
    }
}

async fn node(db: &Db, code: &'static str) -> DomainResult<Node> {
    let model = import::find_by_code(db, code)
        .await?
        .ok_or(crate::DomainError::NotFound)?;
    Ok(Node { id: model.id, code })
}

/// Builds the fixture world: the tree above and one account per role.
pub async fn world(db: &Db) -> World {
    let rows = import::read_rows(DIVISIONS.as_bytes(), None).expect("fixture rows");
    import::import(db, &rows, &mut |_, _| {})
        .await
        .expect("import fixture");
    let n = |code| node(db, code);
    let mut world = World {
        district: n("220103").await.expect("node"),
        other_district: n("220104").await.expect("node"),
        street: n("220103002").await.expect("node"),
        other_street: n("220103005").await.expect("node"),
        community_a: n("220103002001").await.expect("node"),
        community_b: n("220103002002").await.expect("node"),
        community_c: n("220103005001").await.expect("node"),
        accounts: Vec::new(),
    };
    let country = n(import::COUNTRY_CODE).await.expect("node");
    let specs = [
        ("operator", Role::PlatformOperator, country.id),
        ("district", Role::DistrictOrganiser, world.district.id),
        ("street", Role::StreetStaff, world.street.id),
        ("other_street", Role::StreetStaff, world.other_street.id),
        (
            "secretary_a",
            Role::CommunitySecretary,
            world.community_a.id,
        ),
        ("worker_b", Role::CommunityWorker, world.community_b.id),
        (
            "secretary_c",
            Role::CommunitySecretary,
            world.community_c.id,
        ),
        ("member_a", Role::Member, world.community_a.id),
        ("liaison", Role::UnitLiaison, world.street.id),
    ];
    for (login, role, node) in specs {
        let user_id = users::create_user(
            db,
            NewUser {
                login_name: login,
                phone: None,
                display_name: login,
                password: PASSWORD,
            },
        )
        .await
        .expect("create user");
        users::grant_role(db, None, user_id, node, role)
            .await
            .expect("grant role");
        world.accounts.push(Account {
            login,
            user_id,
            role,
            node,
        });
    }
    world
}

/// The street registers 长春市第一中学, pairs it with community A and makes `liaison` its
/// liaison; returns the unit's id.
pub async fn paired_school(db: &Db, w: &World) -> Uuid {
    let street = w.principal(db, "street").await;
    let scope = street.coop_scope(db, w.street.id).await.expect("coop");
    let tx = scope.write(db).await.expect("tx");
    let unit = crate::coop::PartnerInput {
        name: "长春市第一中学".into(),
        kind: "school".into(),
        ..Default::default()
    };
    let school = crate::coop::save_partner(&tx, None, &unit)
        .await
        .expect("unit");
    crate::coop::pair(&tx, school, w.community_a.id, today())
        .await
        .expect("pair");
    crate::coop::attach_liaison(&tx, school, w.account("liaison").user_id)
        .await
        .expect("attach");
    tx.commit().await.expect("commit");
    school
}

/// A valid roster entry with the given name (a retired member, no phone).
pub fn member_input(name: &str) -> crate::members::MemberInput {
    crate::members::MemberInput {
        name: name.to_owned(),
        gender: "女".into(),
        birth_date: "1956-03-08".into(),
        joined_on: "1980-07-01".into(),
        category: "retired".into(),
        ..Default::default()
    }
}

/// 陈晓明: the member record of `member_a`'s login in community A, created in `tx`.
pub async fn member_a_record(tx: &crate::tenancy::TenantTx, w: &World) -> Uuid {
    crate::members::create(
        tx,
        &member_input("陈晓明"),
        Some(w.account("member_a").user_id),
        today(),
    )
    .await
    .expect("member_a's record")
}

/// member_a (陈晓明) with their record in A, written by A's secretary; their scope there.
pub async fn member_a_scope(db: &Db, w: &World) -> TenantScope {
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    member_a_record(&tx, w).await;
    Commit::commit(tx).await.expect("commit");
    w.scope_as(db, "member_a", w.community_a.id).await
}

/// A member account of `community` (opened by `by`, its staff) with a roster record; returns
/// its scope there and the record.
pub async fn member_with_login(
    db: &Db,
    w: &World,
    by: &str,
    community: Uuid,
    name: &str,
    login: &str,
) -> (crate::tenancy::TenantScope, Uuid) {
    let staff = w.scope_as(db, by, community).await;
    let tx = staff.write(db).await.expect("tx");
    let record = crate::members::create(&tx, &member_input(name), None, today())
        .await
        .expect("record");
    crate::tenancy::Commit::commit(tx).await.expect("commit");
    let user = crate::members::create_login(db, &staff, record, login, "Notice@2026")
        .await
        .expect("login");
    let scope = crate::auth::Principal::load(db, user)
        .await
        .expect("load")
        .expect("active")
        .tenant_scope(db, community)
        .await
        .expect("member scope");
    (scope, record)
}

/// A time as a datetime-local form field, in China time.
pub fn local_field(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&crate::clock::CHINA)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// A 主题党日 tomorrow, signup open from an hour ago until it starts; `capacity` empty for
/// unlimited.
pub fn activity_tomorrow(title: &str, capacity: &str) -> crate::activities::ActivityInput {
    let now = chrono::Utc::now();
    let starts = now + chrono::Duration::days(1);
    crate::activities::ActivityInput {
        kind: "party_day".into(),
        title: title.into(),
        venue: "党群服务中心".into(),
        starts_at: local_field(starts),
        ends_at: local_field(starts + chrono::Duration::hours(2)),
        capacity: capacity.into(),
        signup_opens_at: local_field(now - chrono::Duration::hours(1)),
        signup_closes_at: local_field(starts),
        audience: "all".into(),
        points: "5".into(),
        ..Default::default()
    }
}

/// A 党课 of two hours from `starts`, signup open the three days before it.
pub fn lesson_at(starts: chrono::DateTime<chrono::Utc>) -> crate::activities::ActivityInput {
    crate::activities::ActivityInput {
        kind: "party_lesson".into(),
        starts_at: local_field(starts),
        ends_at: local_field(starts + chrono::Duration::hours(2)),
        signup_opens_at: local_field(starts - chrono::Duration::days(3)),
        signup_closes_at: local_field(starts),
        ..activity_tomorrow("党课：党章学习", "")
    }
}

pub fn today() -> chrono::NaiveDate {
    crate::clock::today()
}

/// Runs an async test body once on SQLite and once on PostgreSQL, as two named tests.
#[macro_export]
macro_rules! both_engines {
    ($name:ident, $body:path) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let t = $crate::testing::fresh($crate::testing::Engine::Sqlite)
                    .await
                    .expect("sqlite");
                $body(t).await;
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(t) = $crate::testing::fresh($crate::testing::Engine::Postgres).await {
                    $body(t).await;
                }
            }
        }
    };
}

/// Changes one stored rollup counter behind the domain's back (to show reconcile finds it).
pub async fn tamper_counter(db: &Db, node: Uuid, metric: &str, delta: i64) {
    crate::rollup::bump_node(db, node, metric, delta)
        .await
        .expect("tampered");
}

/// Changes one stored subtree total behind the domain's back.
pub async fn tamper_total(db: &Db, node: Uuid, metric: &str, delta: i64) {
    db.execute_sql(crate::db::statement(
        db.backend(),
        "INSERT INTO rollup_totals (node_id, metric, value) VALUES ($1, $2, $3) \
         ON CONFLICT (node_id, metric) DO UPDATE SET value = rollup_totals.value + excluded.value",
        vec![node.into(), metric.into(), delta.into()],
    ))
    .await
    .expect("tampered");
    // Its parents show it as a child's figure too: forget every node's.
    db.node_reads().forget_all();
}

/// Overwrites one stored column of one of the tenant's rows behind the domain's back (to show a
/// corrupt value fails the read instead of passing for some default).
pub async fn tamper_column(
    tx: crate::tenancy::TenantTx,
    table: &str,
    column: &str,
    id: Uuid,
    value: &str,
) {
    let changed = tx
        .execute_sql(crate::db::statement(
            tx.backend(),
            &format!("UPDATE {table} SET {column} = $1 WHERE id = $2 AND tenant_id = $3"),
            vec![value.into(), id.into(), tx.tenant_id().into()],
        ))
        .await
        .expect("tampered");
    assert_eq!(changed.rows_affected(), 1, "one row tampered");
    tx.commit().await.expect("committed");
}

/// Moves the day a unit of the tenant was added `days` back (a branch kept here for a while).
pub async fn backdate_unit(tx: crate::tenancy::TenantTx, id: Uuid, days: i64) {
    unit_added_at(tx, id, chrono::Utc::now() - chrono::Duration::days(days)).await;
}

/// Sets when a placement unit was added (a test's fixed year must not depend on the day the
/// test runs).
pub async fn unit_added_at(
    tx: crate::tenancy::TenantTx,
    id: Uuid,
    added: chrono::DateTime<chrono::Utc>,
) {
    let changed = tx
        .execute_sql(crate::db::statement(
            tx.backend(),
            "UPDATE community_units SET created_at = $1 WHERE id = $2 AND tenant_id = $3",
            vec![added.into(), id.into(), tx.tenant_id().into()],
        ))
        .await
        .expect("backdated");
    assert_eq!(changed.rows_affected(), 1, "one unit backdated");
    tx.commit().await.expect("committed");
}

/// The community's own scope as the system acts in it (benchmarks writing through the domain
/// without a secretary account per community).
pub fn community_scope(community: Uuid) -> crate::tenancy::TenantScope {
    crate::tenancy::TenantScope::new(
        community,
        Uuid::nil(),
        crate::kinds::Role::CommunitySecretary,
    )
}

/// The id of `user`'s role assignment on `node` (the accounts page's revoke buttons post it).
pub async fn assignment_of(db: &Db, user: Uuid, node: Uuid) -> Uuid {
    use crate::entities::role_assignment;
    use sea_orm::ColumnTrait;
    crate::tenancy::shared::find::<role_assignment::Entity>()
        .filter(role_assignment::Column::UserId.eq(user))
        .filter(role_assignment::Column::NodeId.eq(node))
        .one(db)
        .await
        .expect("read")
        .expect("assignment")
        .id
}

/// Whoever the message was not sent to neither opens it nor finds it in their centre.
pub async fn nobody_else_opens(db: &Db, w: &World, message: Uuid, recipient: (&str, Uuid)) {
    let mut tried = 0;
    for account in &w.accounts {
        for node in w.tenants() {
            if (account.login, node) == recipient {
                continue;
            }
            let principal = w.principal(db, account.login).await;
            let Ok(scope) = principal.tenant_scope(db, node).await else {
                continue;
            };
            tried += 1;
            let opened = crate::notices::open(db, &scope, message, chrono::Utc::now()).await;
            assert_eq!(
                opened.map(|_| ()),
                Err(crate::DomainError::NotFound),
                "{}",
                account.login
            );
            let inbox = crate::notices::inbox(db, &scope, 1)
                .await
                .expect("own inbox");
            assert!(inbox.items.iter().all(|i| i.message_id != message));
        }
    }
    assert!(tried >= 7, "every role with a scope somewhere");
}

/// Takes migration `name` (and any newer) down, or (`up`) every migration back up, as the
/// database's owner: what it does to existing rows (a backfill) runs on what the test wrote.
pub async fn migration(t: &TestDb, name: &str, up: bool) {
    use migrations::{Migrator, MigratorTrait};
    let owner_url = t
        .app_url
        .replace(&format!("{APP_ROLE}@"), &format!("{OWNER_ROLE}@"));
    if up {
        // As the server does: the serving role is granted the tables made again.
        let role = (t.engine == Engine::Postgres).then_some(APP_ROLE);
        db::migrate(&owner_url, role).await.expect("up");
        return;
    }
    let conn = Database::connect(owner_url)
        .await
        .expect("connect as owner");
    let all = Migrator::migrations();
    let at = all.iter().position(|m| m.name() == name).expect("named");
    let newer = u32::try_from(all.len() - at).expect("few");
    Migrator::down(&conn, Some(newer)).await.expect("down");
    conn.close().await.ok();
}

/// Every member of the transaction's community counts as on their unit's roster all along, as
/// a roster already there when its history began does.
pub async fn roster_since_always(tx: &crate::tenancy::TenantTx) {
    crate::members::since_always(tx)
        .await
        .expect("roster history");
}

/// `user` acting as a member of `community` (a person who is staff there and on its roster
/// too, in their member role).
pub fn member_scope_of(community: Uuid, user: Uuid) -> crate::tenancy::TenantScope {
    crate::tenancy::TenantScope::new(community, user, crate::kinds::Role::Member)
}

/// A PNG photo of `width` × `height` pixels (a gradient).
pub fn png_photo(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("a PNG");
    out.into_inner()
}
