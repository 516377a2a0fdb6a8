//! The HTTP benchmark's load on top of the demo, so its pages are not trivially small: a street
//! of 32 communities (青岛市崂山区金家岭街道) with its staff account, each community with 155
//! members who can sign in (a street notice to all of them reaches ~5,000 people), and 2,000
//! more members in 长江路社区, the first 16 with a member login (`bench-m01` …).
use std::path::Path;

use uuid::Uuid;

use super::{draws, import_communities, random_member, seed_community, DemoAccount, COMMUNITY_A};
use crate::auth::users;
use crate::db::Db;
use crate::divisions as import;
use crate::entities::org_node;
use crate::error::{DomainError, DomainResult};
use crate::kinds::Role;
use crate::members;
use crate::org::placements::{self, PlacementKind};
use crate::tenancy::{Commit, TenantScope};

pub const LOAD_STREET: &str = "370212005"; // 金家岭街道, 32 communities
const LOAD_STREET_STAFF: (&str, &str, &str) = ("jinjialing", "孙海燕", "13900000020");
/// Members added to 长江路社区.
pub const LOAD_MEMBERS: usize = 2_000;
/// Of them, this many have a login: `bench-m01` …
pub const LOAD_LOGINS: usize = 16;
/// Members are written this many per transaction.
const BATCH: usize = 250;
/// Members with a login in each of the street's communities (`bench-j01-001` …).
pub const STREET_LOGINS: usize = 155;

/// Adds the benchmark's load to a seeded demo. Fails with `Conflict` if it is there already.
pub async fn seed_load(
    db: &Db,
    divisions_file: &Path,
    password: &str,
) -> DomainResult<Vec<DemoAccount>> {
    if users::find_by_login(db, LOAD_STREET_STAFF.0)
        .await?
        .is_some()
    {
        return Err(DomainError::Conflict(
            "benchmark load already seeded".into(),
        ));
    }
    let mut accounts = vec![big_street(db, divisions_file, password).await?];
    let community = import::find_by_code(db, COMMUNITY_A)
        .await?
        .ok_or(DomainError::NotFound)?;
    accounts.extend(big_roster(db, &community, password).await?);
    Ok(accounts)
}

/// 金家岭街道 from the divisions file, each community seeded as the demo's light ones are.
async fn big_street(db: &Db, divisions_file: &Path, password: &str) -> DomainResult<DemoAccount> {
    let mut communities = import_communities(db, divisions_file, LOAD_STREET).await?;
    communities.sort_by(|a, b| a.code.cmp(&b.code));
    let alike = users::PreparedUser::new(users::NewUser {
        login_name: "bench-j",
        phone: None,
        display_name: "bench",
        password,
    })?;
    for (c, community) in communities.iter().enumerate() {
        seed_community(db, community, &[], None).await?;
        members_with_logins(db, community, &alike, c + 1).await?;
    }
    let street = import::find_by_code(db, LOAD_STREET)
        .await?
        .ok_or(DomainError::NotFound)?;
    let (login, name, phone) = LOAD_STREET_STAFF;
    let user_id = super::demo_user(db, login, name, phone, password).await?;
    users::grant_role(db, None, user_id, street.id, Role::StreetStaff).await?;
    Ok(DemoAccount {
        login: login.into(),
        display_name: name.into(),
        role: Role::StreetStaff,
        node_name: street.name,
    })
}

/// The community's secretary scope (no one in particular) and its building groups (none: not
/// a seeded community).
async fn building_groups(
    db: &Db,
    community: &org_node::Model,
) -> DomainResult<(TenantScope, Vec<Uuid>)> {
    let scope = TenantScope::new(community.id, Uuid::nil(), Role::CommunitySecretary);
    let tx = scope.read(db).await?;
    let groups: Vec<Uuid> = placements::list_placements(&tx)
        .await?
        .into_iter()
        .filter(|p| p.kind == PlacementKind::BuildingGroup)
        .map(|p| p.id)
        .collect();
    tx.commit().await?;
    if groups.is_empty() {
        return Err(DomainError::NotFound);
    }
    Ok((scope, groups))
}

/// `STREET_LOGINS` made-up members of `community` (the `n`th), each with a member login.
async fn members_with_logins(
    db: &Db,
    community: &org_node::Model,
    alike: &users::PreparedUser,
    n: usize,
) -> DomainResult<()> {
    let (scope, groups) = building_groups(db, community).await?;
    let mut next = draws(1_000 + n as u64);
    let roster: Vec<_> = (0..STREET_LOGINS)
        .map(|i| random_member(&mut next, &groups, i).0)
        .collect();
    // Accounts first, in one shared transaction (SQLite: one writer at a time).
    let shared = db.begin_shared().await?;
    let mut ids = Vec::with_capacity(roster.len());
    for (i, input) in roster.iter().enumerate() {
        let login = format!("bench-j{n:02}-{:03}", i + 1);
        let id = users::insert_user(&shared, alike.alike(&login, &input.name)).await?;
        users::grant_role_in(&shared, None, id, community.id, Role::Member).await?;
        ids.push(id);
    }
    shared.commit().await?;
    let today = crate::clock::today();
    let tx = scope.write(db).await?;
    for (input, id) in roster.iter().zip(ids) {
        let mut input = input.clone();
        input.phone = String::new();
        members::create(&tx, &input, Some(id), today).await?;
    }
    tx.commit().await
}

/// 2,000 made-up members across the community's building groups; the first few can log in.
async fn big_roster(
    db: &Db,
    community: &org_node::Model,
    password: &str,
) -> DomainResult<Vec<DemoAccount>> {
    let (scope, groups) = building_groups(db, community).await?;
    let mut next = draws(2_000);
    let mut roster: Vec<_> = (0..LOAD_MEMBERS)
        .map(|i| random_member(&mut next, &groups, i).0)
        .collect();
    // Accounts first: on SQLite a second connection cannot write while the roster's
    // transaction is open.
    let mut users = Vec::new();
    let mut accounts = Vec::new();
    for (i, input) in roster.iter_mut().take(LOAD_LOGINS).enumerate() {
        let login = format!("bench-m{:02}", i + 1);
        input.phone = format!("1390002{:04}", i + 1);
        let user_id = super::demo_user(db, &login, &input.name, &input.phone, password).await?;
        users::grant_role(db, None, user_id, community.id, Role::Member).await?;
        users.push(user_id);
        accounts.push(DemoAccount {
            login,
            display_name: input.name.clone(),
            role: Role::Member,
            node_name: community.name.clone(),
        });
    }
    let today = crate::clock::today();
    for (batch, inputs) in roster.chunks(BATCH).enumerate() {
        let tx = scope.write(db).await?;
        for (j, input) in inputs.iter().enumerate() {
            let user = users.get(batch * BATCH + j).copied();
            members::create(&tx, input, user, today).await?;
        }
        tx.commit().await?;
    }
    Ok(accounts)
}
