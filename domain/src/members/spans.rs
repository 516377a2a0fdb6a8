//! Who was on which placement unit's roster when: a span opens when a member whose Party
//! relation is here is placed on a unit and closes when they move, leave the active roster or
//! their relation moves elsewhere. A meeting's 应到 is read from the spans covering its start,
//! so a meeting recorded after members moved still lists who belonged then.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, Set};
use uuid::Uuid;

use crate::entities::roster_span;
use crate::error::DomainResult;
use crate::kinds::{PartyRelation, Status};
use crate::tenancy::{Row, TenantTx};

/// The unit a member counts on, if any: placed, on the active roster, relation here.
pub(crate) fn counted_unit(
    unit: Option<Uuid>,
    status: Status,
    relation: PartyRelation,
) -> Option<Uuid> {
    unit.filter(|_| status != Status::TransferredOut && relation == PartyRelation::Here)
}

/// A member just added: on `unit`'s roster since `since` (None: since before the service saw
/// them — the roster as it stood when the history began, or a demo's).
pub(crate) fn first_span(
    tenant: Uuid,
    member: Uuid,
    unit: Option<Uuid>,
    since: Option<DateTime<Utc>>,
) -> Option<roster_span::ActiveModel> {
    unit.map(|unit| roster_span::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(Uuid::now_v7()),
        member_id: Set(member),
        unit_id: Set(unit),
        from_at: Set(since),
        until_at: Set(None),
    })
}

/// Follows a change of a member's placement, status or relation at `now`: the open span is
/// closed unless the member still counts on the same unit, and a new one opened where they now
/// count.
pub(crate) async fn follow(
    tx: &TenantTx,
    member: Uuid,
    now_counted_on: Option<Uuid>,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    // Two changes of one member at once go one after the other (one open span at a time).
    super::lock_member(tx, member).await?;
    let open = tx
        .find::<roster_span::Entity>()
        .filter(roster_span::Column::MemberId.eq(member))
        .filter(roster_span::Column::UntilAt.is_null())
        .all(tx)
        .await?;
    if open.len() == 1 && open.iter().all(|s| Some(s.unit_id) == now_counted_on) {
        return Ok(());
    }
    for span in open {
        let mut closed: roster_span::ActiveModel = span.into();
        closed.until_at = Set(Some(now));
        closed.update_in(tx).await?;
    }
    if let Some(span) = first_span(tx.tenant_id(), member, now_counted_on, Some(now)) {
        span.insert_in(tx).await?;
    }
    Ok(())
}

/// A member just added who transferred in on `since` was on the roster from then.
pub(crate) async fn joined_on(
    tx: &TenantTx,
    member: Uuid,
    since: DateTime<Utc>,
) -> DomainResult<()> {
    tx.update_many::<roster_span::Entity>()
        .col_expr(roster_span::Column::FromAt, Expr::value(since))
        .filter(roster_span::Column::MemberId.eq(member))
        .exec(tx)
        .await?;
    Ok(())
}

/// A member who transferred out on `left` was not on the roster after it (the transfer is
/// often recorded days later).
pub(crate) async fn left_on(tx: &TenantTx, member: Uuid, left: DateTime<Utc>) -> DomainResult<()> {
    tx.update_many::<roster_span::Entity>()
        .col_expr(roster_span::Column::UntilAt, Expr::value(left))
        .filter(roster_span::Column::MemberId.eq(member))
        .filter(roster_span::Column::UntilAt.gt(left))
        .exec(tx)
        .await?;
    Ok(())
}

/// Every member of the community counts as on their unit's roster all along (the demo's
/// invented history).
pub(crate) async fn since_always(tx: &TenantTx) -> DomainResult<()> {
    tx.update_many::<roster_span::Entity>()
        .col_expr(
            roster_span::Column::FromAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(roster_span::Column::UntilAt.is_null())
        .exec(tx)
        .await?;
    Ok(())
}

/// The members on the roster of any of `units` at `at`.
pub(crate) async fn on_roster_at(
    tx: &TenantTx,
    units: &[Uuid],
    at: DateTime<Utc>,
) -> DomainResult<Vec<Uuid>> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let mut members: Vec<Uuid> = tx
        .find::<roster_span::Entity>()
        .filter(roster_span::Column::UnitId.is_in(units.iter().copied()))
        .filter(
            Condition::any()
                .add(roster_span::Column::FromAt.is_null())
                .add(roster_span::Column::FromAt.lte(at)),
        )
        .filter(
            Condition::any()
                .add(roster_span::Column::UntilAt.is_null())
                .add(roster_span::Column::UntilAt.gt(at)),
        )
        .select_only()
        .column(roster_span::Column::MemberId)
        .into_tuple()
        .all(tx)
        .await?;
    members.sort();
    members.dedup();
    Ok(members)
}
