//! 支部委员会: the committee a grid branch elected, recorded by the community's staff. A branch
//! of fewer than seven 正式党员 whose Party relation is here elects none and a 预备党员 is not
//! elected (the Party's rules), and a branch without one is not
//! expected to hold 支委会 (`compliance` and the street's figures skip it).
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::changes::Change;
use crate::entities::{branch_committee_seat, member};
use crate::error::{DomainError, DomainResult};
use crate::kinds::{CommitteePost, PartyRelation, PartyStanding, PlacementKind, Status};
use crate::members::{ensure_keeper, reach};
use crate::org::placements::{list_placements, subtree};
use crate::tenancy::{Row, TenantTx};
use crate::validate::plain_date;

/// Members a branch needs before it may have a committee.
pub const COMMITTEE_MIN_MEMBERS: usize = 7;
/// Seats on a committee, at most (《中国共产党支部工作条例（试行）》: three to five, generally
/// no more than seven).
pub const COMMITTEE_MAX_SEATS: usize = 7;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SeatInput {
    pub member: String,
    pub post: String,
    /// The day they were elected, `2026-03-01`.
    pub since: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub member_id: Uuid,
    pub name: String,
    pub post: CommitteePost,
    pub since: NaiveDate,
}

/// The branches of the community that have a committee, each with the day its earliest seat
/// was elected.
pub(crate) async fn committees_since(tx: &TenantTx) -> DomainResult<BTreeMap<Uuid, NaiveDate>> {
    let mut out: BTreeMap<Uuid, NaiveDate> = BTreeMap::new();
    for s in tx.find::<branch_committee_seat::Entity>().all(tx).await? {
        let since = out.entry(s.branch_id).or_insert(s.since);
        *since = (*since).min(s.since);
    }
    Ok(out)
}

/// The first period (of `every` months) of `year` in which a committee elected on `since` owes
/// a 支委会: none before the year it was elected, the period it was elected in that year, the
/// first of every later year.
pub(crate) fn first_owed_period(since: NaiveDate, year: i32, every: u32) -> Option<u32> {
    match since.year().cmp(&year) {
        std::cmp::Ordering::Greater => None,
        std::cmp::Ordering::Equal => Some(since.month0() / every.max(1)),
        std::cmp::Ordering::Less => Some(0),
    }
}

/// The committees of the branches within the actor's reach (a 支部书记: their own), by branch.
pub async fn committees(tx: &TenantTx) -> DomainResult<BTreeMap<Uuid, Vec<Seat>>> {
    let own = reach(tx).await?.branch();
    let seats = tx.find::<branch_committee_seat::Entity>().all(tx).await?;
    let seats: Vec<_> = seats
        .into_iter()
        .filter(|s| own.is_none_or(|b| b == s.branch_id))
        .collect();
    let names: BTreeMap<Uuid, String> = tx
        .find::<member::Entity>()
        .filter(member::Column::Id.is_in(seats.iter().map(|s| s.member_id)))
        .all(tx)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let mut out: BTreeMap<Uuid, Vec<Seat>> = BTreeMap::new();
    for s in seats {
        out.entry(s.branch_id).or_default().push(Seat {
            member_id: s.member_id,
            name: names.get(&s.member_id).cloned().unwrap_or_default(),
            post: s.post,
            since: s.since,
        });
    }
    for seats in out.values_mut() {
        seats.sort_by_cached_key(|s| (s.post, crate::collate::name_key(&s.name), s.name.clone()));
    }
    Ok(out)
}

/// The members of `branch` (its building groups and households included) whose Party relation
/// is here and who are on the active roster.
pub(crate) async fn branch_members(
    tx: &TenantTx,
    branch: Uuid,
) -> DomainResult<Vec<member::Model>> {
    let units = list_placements(tx).await?;
    let is_branch = units
        .iter()
        .any(|u| u.id == branch && u.kind == PlacementKind::GridBranch);
    if !is_branch {
        return Err(DomainError::NotFound);
    }
    tx.find::<member::Entity>()
        .filter(member::Column::UnitId.is_in(subtree(&units, branch)))
        .filter(member::Column::Status.ne(Status::TransferredOut.as_str()))
        .filter(member::Column::Relation.eq(PartyRelation::Here.as_str()))
        .all(tx)
        .await
}

/// Who of the branch may sit on its committee (its 正式党员, by name), for those who keep its
/// records.
pub async fn branch_roster(tx: &TenantTx, branch: Uuid) -> DomainResult<Vec<(Uuid, String)>> {
    if reach(tx).await?.branch().is_some_and(|own| own != branch) {
        return Err(DomainError::NotFound);
    }
    let mut people: Vec<(Uuid, String)> = branch_members(tx, branch)
        .await?
        .into_iter()
        .filter(|m| m.standing == PartyStanding::Full)
        .map(|m| (m.id, m.name))
        .collect();
    people.sort_by_cached_key(|(id, name)| (crate::collate::name_key(name), name.clone(), *id));
    Ok(people)
}

/// Seats a member of the branch on its committee in a post (or changes their post).
pub async fn seat(
    tx: &TenantTx,
    branch: Uuid,
    input: &SeatInput,
    today: NaiveDate,
) -> DomainResult<()> {
    ensure_keeper(tx)?;
    let member = crate::validate::parse_id(&input.member)
        .map_err(|_| DomainError::invalid("committee_member", "not_in_list"))?;
    let post = CommitteePost::parse(&input.post)
        .ok_or_else(|| DomainError::invalid("committee_post", "not_in_list"))?;
    let since = plain_date("committee_since", &input.since)?;
    if since > today {
        return Err(DomainError::invalid("committee_since", "in_future"));
    }
    // Two clerks seating at once go one after the other (seven seats, one 书记, a row each).
    lock_branch(tx, branch).await?;
    let members = branch_members(tx, branch).await?;
    let full = |m: &&member::Model| m.standing == PartyStanding::Full;
    if members.iter().filter(full).count() < COMMITTEE_MIN_MEMBERS {
        return Err(DomainError::invalid("branch", "too_small_for_committee"));
    }
    match members.iter().find(|m| m.id == member) {
        None => return Err(DomainError::invalid("committee_member", "not_in_branch")),
        // A 预备党员 neither votes nor is elected.
        Some(m) if !full(&m) => {
            return Err(DomainError::invalid("committee_member", "probationary"))
        }
        Some(_) => {}
    }
    let seats = tx
        .find::<branch_committee_seat::Entity>()
        .filter(branch_committee_seat::Column::BranchId.eq(branch))
        .all(tx)
        .await?;
    let taken = seats.len();
    let other_secretary = seats
        .iter()
        .any(|s| s.post == CommitteePost::Secretary && s.member_id != member);
    if post == CommitteePost::Secretary && other_secretary {
        return Err(DomainError::invalid("committee_post", "secretary_taken"));
    }
    match seats.into_iter().find(|s| s.member_id == member) {
        Some(held) => {
            let mut active: branch_committee_seat::ActiveModel = held.into();
            active.post = Set(post);
            active.since = Set(since);
            active.update_in(tx).await?;
        }
        None => {
            if taken >= COMMITTEE_MAX_SEATS {
                return Err(DomainError::invalid("committee_member", "committee_full"));
            }
            branch_committee_seat::ActiveModel {
                tenant_id: Set(tx.tenant_id()),
                id: Set(Uuid::now_v7()),
                branch_id: Set(branch),
                member_id: Set(member),
                post: Set(post),
                since: Set(since),
            }
            .insert_in(tx)
            .await?;
        }
    }
    // Whether the branch is expected to hold 支委会 may have changed.
    tx.record(Change::OrgLife);
    Ok(())
}

/// Takes the branch's row lock for the rest of the transaction (a no-op update).
pub(crate) async fn lock_branch(tx: &TenantTx, branch: Uuid) -> DomainResult<()> {
    use crate::entities::community_unit;
    use sea_orm::sea_query::Expr;
    tx.update_many::<community_unit::Entity>()
        .col_expr(
            community_unit::Column::Id,
            Expr::col(community_unit::Column::Id),
        )
        .filter(community_unit::Column::Id.eq(branch))
        .exec(tx)
        .await?;
    Ok(())
}

/// Takes a member off the branch's committee.
pub async fn unseat(tx: &TenantTx, branch: Uuid, member: Uuid) -> DomainResult<()> {
    ensure_keeper(tx)?;
    lock_branch(tx, branch).await?;
    let gone = tx
        .delete::<branch_committee_seat::Entity>()
        .filter(branch_committee_seat::Column::BranchId.eq(branch))
        .filter(branch_committee_seat::Column::MemberId.eq(member))
        .exec(tx)
        .await?
        .rows_affected;
    if gone == 0 {
        return Err(DomainError::NotFound);
    }
    tx.record(Change::OrgLife);
    Ok(())
}
