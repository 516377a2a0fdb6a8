//! Writing and reading the ledger: rule credits, reversals, manual adjustments, a member's
//! total and history, and the community's ranking.
use chrono::{DateTime, Datelike, Utc};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::PointsCategory;
use crate::changes::{points_metric, Change};
use crate::clock::month_key;
use crate::entities::{member, points_entry, points_year_total};
use crate::error::{DomainError, DomainResult};
use crate::kinds::Role;
use crate::members::{ensure_keeper, lock_member};
use crate::tenancy::{Row, TenantTx};
use crate::validate::required_text;

/// The year an entry counts for: the local calendar year when it was made.
fn year_of(now: DateTime<Utc>) -> i32 {
    now.with_timezone(&crate::clock::CHINA).year()
}

/// Appends one entry (rules and adjustments go through here).
pub(crate) async fn credit(
    tx: &TenantTx,
    member_id: Uuid,
    category: PointsCategory,
    points: i32,
    reason: &str,
    signup: Option<Uuid>,
    now: DateTime<Utc>,
) -> DomainResult<Uuid> {
    let id = Uuid::now_v7();
    let actor = tx.actor_user_id();
    let credit_round = match signup {
        Some(signup) => reversals_of(tx, signup, category).await?,
        None => 0,
    };
    points_entry::ActiveModel {
        tenant_id: Set(tx.tenant_id()),
        id: Set(id),
        member_id: Set(member_id),
        year: Set(year_of(now)),
        category: Set(category),
        points: Set(points),
        reason: Set(reason.chars().take(200).collect()),
        signup_id: Set(signup),
        reverses: Set(None),
        created_by: Set((!actor.is_nil()).then_some(actor)),
        created_at: Set(now),
        credit_round: Set(credit_round),
    }
    .insert_in(tx)
    .await?;
    tx.record(Change::Count {
        node: tx.tenant_id(),
        metric: points_metric(&month_key(now)),
        delta: i64::from(points),
    });
    Ok(id)
}

/// How many of the signup's credits in `category` were reversed: the round of its next credit.
async fn reversals_of(tx: &TenantTx, signup: Uuid, category: PointsCategory) -> DomainResult<i32> {
    let n = tx
        .find::<points_entry::Entity>()
        .filter(points_entry::Column::SignupId.eq(signup))
        .filter(points_entry::Column::Category.eq(category.as_str()))
        .filter(points_entry::Column::Reverses.is_not_null())
        .count(tx)
        .await?;
    i32::try_from(n).map_err(|_| DomainError::Internal)
}

/// Credits the member of `community` whose account fulfilled a micro-wish. The wish lives in the
/// street's tenant (`street`); the ledger is the community's, written in the same transaction
/// (as `need_requesters` are). No roster row for the account: no credit.
pub(crate) async fn credit_wish(
    street: &TenantTx,
    community: Uuid,
    user: Uuid,
    actor: Uuid,
    title: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    use crate::entities::points_rule;
    street
        .in_tenant(community, async |tx: &TenantTx| {
            let member = tx
                .find::<member::Entity>()
                .filter(member::Column::UserId.eq(user))
                .one(tx)
                .await?;
            let Some(member) = member else {
                return Ok(());
            };
            let own = tx
                .find::<points_rule::Entity>()
                .filter(points_rule::Column::Rule.eq(super::Rule::Wish.as_str()))
                .one(tx)
                .await?;
            let points = own.map_or(super::Rule::Wish.default_points(), |r| r.points);
            if points == 0 {
                return Ok(());
            }
            points_entry::ActiveModel {
                tenant_id: Set(community),
                id: Set(Uuid::now_v7()),
                member_id: Set(member.id),
                year: Set(year_of(now)),
                category: Set(PointsCategory::Wish),
                points: Set(points),
                reason: Set(format!("认领并完成微心愿：{title}")
                    .chars()
                    .take(200)
                    .collect()),
                signup_id: Set(None),
                reverses: Set(None),
                created_by: Set((!actor.is_nil()).then_some(actor)),
                created_at: Set(now),
                credit_round: Set(0),
            }
            .insert_in(tx)
            .await?;
            tx.record(Change::Count {
                node: community,
                metric: points_metric(&month_key(now)),
                delta: i64::from(points),
            });
            Ok(())
        })
        .await
}

async fn counter_entry(
    tx: &TenantTx,
    original: &points_entry::Model,
    reason: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let actor = tx.actor_user_id();
    points_entry::ActiveModel {
        tenant_id: Set(tx.tenant_id()),
        id: Set(Uuid::now_v7()),
        member_id: Set(original.member_id),
        // A reversal counts against the year the entry counted for.
        year: Set(original.year),
        category: Set(original.category),
        points: Set(-original.points),
        reason: Set(reason.chars().take(200).collect()),
        signup_id: Set(original.signup_id),
        reverses: Set(Some(original.id)),
        created_by: Set((!actor.is_nil()).then_some(actor)),
        created_at: Set(now),
        credit_round: Set(0),
    }
    .insert_in(tx)
    .await?;
    tx.record(Change::Count {
        node: tx.tenant_id(),
        metric: points_metric(&month_key(now)),
        delta: -i64::from(original.points),
    });
    Ok(())
}

/// Entries that stand: not a reversal, and not reversed.
fn standing(entries: &[points_entry::Model]) -> Vec<&points_entry::Model> {
    entries
        .iter()
        .filter(|e| e.reverses.is_none() && !entries.iter().any(|r| r.reverses == Some(e.id)))
        .collect()
}

/// Reverses what a signup's attendance earned or cost (when the attendance is corrected).
pub(crate) async fn reverse_signup(
    tx: &TenantTx,
    signup: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let entries = tx
        .find::<points_entry::Entity>()
        .filter(points_entry::Column::SignupId.eq(signup))
        .all(tx)
        .await?;
    for e in standing(&entries) {
        counter_entry(tx, e, reason, now).await?;
    }
    Ok(())
}

async fn ensure_member(tx: &TenantTx, member_id: Uuid) -> DomainResult<member::Model> {
    tx.find::<member::Entity>()
        .filter(member::Column::Id.eq(member_id))
        .one(tx)
        .await?
        .ok_or_else(|| DomainError::invalid("member", "not_found"))
}

/// A manual adjustment (the secretary or a worker): up to ±100 with a reason.
pub async fn adjust(
    tx: &TenantTx,
    member_id: Uuid,
    points: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> DomainResult<Uuid> {
    ensure_keeper(tx)?;
    ensure_member(tx, member_id).await?;
    let points: i32 = points
        .trim()
        .parse()
        .map_err(|_| DomainError::invalid("points", "bad_value"))?;
    if points == 0 || points.abs() > 100 {
        return Err(DomainError::invalid("points", "bad_value"));
    }
    let reason = required_text("points_reason", reason, 200)?;
    credit(
        tx,
        member_id,
        PointsCategory::Manual,
        points,
        &reason,
        None,
        now,
    )
    .await
}

/// Reverses one entry by a counter-entry (an entry already reversed, or a reversal, cannot be).
pub async fn reverse(
    tx: &TenantTx,
    entry_id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    ensure_keeper(tx)?;
    let reason = required_text("points_reason", reason, 200)?;
    let entry = tx
        .find::<points_entry::Entity>()
        .filter(points_entry::Column::Id.eq(entry_id))
        .one(tx)
        .await?
        .ok_or(DomainError::NotFound)?;
    // The ledger rows cannot be locked (append-only), so two reversals queue on the member.
    lock_member(tx, entry.member_id).await?;
    let reversed = tx
        .find::<points_entry::Entity>()
        .filter(points_entry::Column::Reverses.eq(entry_id))
        .one(tx)
        .await?;
    if entry.reverses.is_some() || reversed.is_some() {
        return Err(DomainError::invalid("points_entry", "already_reversed"));
    }
    counter_entry(tx, &entry, &reason, now).await
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub category: PointsCategory,
    pub points: i32,
    pub reason: String,
    pub reversal: bool,
    pub reversed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPoints {
    pub member_id: Uuid,
    pub name: String,
    pub year: i32,
    pub total: i64,
    pub by_category: Vec<(PointsCategory, i64)>,
    /// Newest first.
    pub entries: Vec<Entry>,
}

async fn points_of(tx: &TenantTx, m: member::Model, year: i32) -> DomainResult<MemberPoints> {
    let rows = tx
        .find::<points_entry::Entity>()
        .filter(points_entry::Column::MemberId.eq(m.id))
        .filter(points_entry::Column::Year.eq(year))
        .order_by_desc(points_entry::Column::Id)
        .all(tx)
        .await?;
    let by_category = PointsCategory::ALL
        .iter()
        .map(|c| {
            let sum = rows
                .iter()
                .filter(|e| e.category == *c)
                .map(|e| i64::from(e.points))
                .sum();
            (*c, sum)
        })
        .filter(|(_, sum)| *sum != 0)
        .collect();
    let entries = rows
        .iter()
        .map(|e| Entry {
            id: e.id,
            at: e.created_at,
            category: e.category,
            points: e.points,
            reason: e.reason.clone(),
            reversal: e.reverses.is_some(),
            reversed: rows.iter().any(|r| r.reverses == Some(e.id)),
        })
        .collect();
    Ok(MemberPoints {
        member_id: m.id,
        name: m.name,
        year,
        total: rows.iter().map(|e| i64::from(e.points)).sum(),
        by_category,
        entries,
    })
}

/// The signed-in member's own points for a year.
pub async fn my_points(tx: &TenantTx, year: i32) -> DomainResult<MemberPoints> {
    if tx.role() != Role::Member {
        return Err(DomainError::Forbidden);
    }
    let me = crate::members::own_member(tx).await?;
    points_of(tx, me, year).await
}

/// One member's points for a year (the community's staff, a 支部书记 for their branch).
pub async fn member_points(
    tx: &TenantTx,
    member_id: Uuid,
    year: i32,
) -> DomainResult<MemberPoints> {
    let reach = crate::members::reach(tx).await?;
    let m = tx
        .find::<member::Entity>()
        .filter(member::Column::Id.eq(member_id))
        .filter(reach.members())
        .one(tx)
        .await?
        .ok_or(DomainError::NotFound)?;
    points_of(tx, m, year).await
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankRow {
    pub rank: usize,
    pub member_id: Uuid,
    pub name: String,
    pub points: i64,
}

/// Every member's total for a year (the 双报到 feedback sheet).
pub(crate) async fn year_totals(
    tx: &TenantTx,
    year: i32,
) -> DomainResult<std::collections::HashMap<Uuid, i64>> {
    let rows = tx
        .find::<points_entry::Entity>()
        .filter(points_entry::Column::Year.eq(year))
        .all(tx)
        .await?;
    let mut sums = std::collections::HashMap::new();
    for e in rows {
        *sums.entry(e.member_id).or_default() += i64::from(e.points);
    }
    Ok(sums)
}

/// When the year's totals were frozen, if they were.
pub async fn frozen_at(tx: &TenantTx, year: i32) -> DomainResult<Option<DateTime<Utc>>> {
    crate::members::reach(tx).await?;
    Ok(tx
        .find::<points_year_total::Entity>()
        .filter(points_year_total::Column::Year.eq(year))
        .one(tx)
        .await?
        .map(|t| t.frozen_at))
}

/// Freezes a finished year's totals (per member and category) for its ranking; entries that
/// come later (a reversal of that year's entry) no longer move it. Once per year.
pub async fn freeze_year(tx: &TenantTx, year: i32, now: DateTime<Utc>) -> DomainResult<usize> {
    ensure_keeper(tx)?;
    if year >= year_of(now) {
        return Err(DomainError::invalid("year", "not_over"));
    }
    if frozen_at(tx, year).await?.is_some() {
        return Err(DomainError::invalid("year", "already_frozen"));
    }
    let rows = tx
        .find::<points_entry::Entity>()
        .filter(points_entry::Column::Year.eq(year))
        .all(tx)
        .await?;
    let mut sums: std::collections::BTreeMap<(Uuid, PointsCategory), i64> = Default::default();
    for e in rows {
        *sums.entry((e.member_id, e.category)).or_default() += i64::from(e.points);
    }
    let n = sums.len();
    let totals =
        sums.into_iter().map(
            |((member_id, category), points)| points_year_total::ActiveModel {
                tenant_id: Set(tx.tenant_id()),
                year: Set(year),
                member_id: Set(member_id),
                category: Set(category),
                points: Set(points),
                frozen_at: Set(now),
            },
        );
    // A year without entries has nothing to freeze; its ranking is empty either way.
    if n > 0 {
        tx.insert_many(totals).await?;
    }
    crate::audit::record(
        tx,
        crate::audit::AuditEvent::new("points_year_frozen", year.to_string())
            .actor(Some(tx.actor_user_id()))
            .node(Some(tx.tenant_id()))
            .detail(serde_json::json!({ "totals": n })),
    )
    .await?;
    Ok(n)
}

/// The community's ranking for a year (a 支部书记's: their branch's), in one category or over
/// all; equal points share a rank. A frozen year ranks by its frozen totals.
pub async fn ranking(
    tx: &TenantTx,
    year: i32,
    category: Option<PointsCategory>,
) -> DomainResult<Vec<RankRow>> {
    let reach = crate::members::reach(tx).await?;
    let mut sums: std::collections::HashMap<Uuid, i64> = std::collections::HashMap::new();
    let mut frozen = tx
        .find::<points_year_total::Entity>()
        .filter(points_year_total::Column::Year.eq(year));
    if let Some(c) = category {
        frozen = frozen.filter(points_year_total::Column::Category.eq(c.as_str()));
    }
    let frozen = match frozen_at(tx, year).await? {
        Some(_) => Some(frozen.all(tx).await?),
        None => None,
    };
    match frozen {
        Some(totals) => {
            for t in totals {
                *sums.entry(t.member_id).or_default() += t.points;
            }
        }
        None => {
            let mut select = tx
                .find::<points_entry::Entity>()
                .filter(points_entry::Column::Year.eq(year));
            if let Some(c) = category {
                select = select.filter(points_entry::Column::Category.eq(c.as_str()));
            }
            for e in select.all(tx).await? {
                *sums.entry(e.member_id).or_default() += i64::from(e.points);
            }
        }
    }
    let names = tx.find_ids::<member::Entity>(sums.keys().copied()).await?;
    if reach.branch().is_some() {
        sums.retain(|id, _| names.iter().any(|m| m.id == *id && reach.covers(m)));
    }
    let mut ranked: Vec<(Uuid, String, i64)> = sums
        .into_iter()
        .map(|(id, points)| {
            let name = names
                .iter()
                .find(|m| m.id == id)
                .map(|m| m.name.clone())
                .unwrap_or_default();
            (id, name, points)
        })
        .collect();
    ranked.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
    let mut out: Vec<RankRow> = Vec::with_capacity(ranked.len());
    for (i, (member_id, name, points)) in ranked.into_iter().enumerate() {
        let rank = match out.last() {
            Some(prev) if prev.points == points => prev.rank,
            _ => i + 1,
        };
        out.push(RankRow {
            rank,
            member_id,
            name,
            points,
        });
    }
    Ok(out)
}

/// For the tests: tries to change the ledger in place (the table refuses).
#[cfg(feature = "test-support")]
pub async fn try_update_for_test(tx: &TenantTx) -> DomainResult<()> {
    use sea_orm::sea_query::Expr;
    tx.update_many::<points_entry::Entity>()
        .col_expr(points_entry::Column::Points, Expr::value(100))
        .exec(tx)
        .await?;
    Ok(())
}

/// For the tests: tries to delete from the ledger (the table refuses).
#[cfg(feature = "test-support")]
pub async fn try_delete_for_test(tx: &TenantTx) -> DomainResult<()> {
    tx.delete::<points_entry::Entity>().exec(tx).await?;
    Ok(())
}
