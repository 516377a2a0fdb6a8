//! 需求清单 and 微心愿. A community posts needs (who asked stays in the community's own tenant);
//! a micro-wish is claimed by one member of the community or one paired unit — exactly one live
//! claim, by a conditional update — then delivered and confirmed by the community. A need the
//! community cannot meet is escalated to the street (需求上报, audited).
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{CoopTx, Viewer};
use crate::audit::{self, AuditEvent};
use crate::entities::{
    coop_need, coop_need_setting, coop_pairing, coop_unit, need_requester, user,
};
use crate::error::{DomainError, DomainResult};
use crate::kinds::{MessageKind, Role};
use crate::tenancy::{shared, Row, TenantTx};
use crate::validate::check_phone;
use crate::validate::{optional_text, required_text};

pub use crate::kinds::{NeedCategory, NeedStatus, Urgency};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NeedInput {
    pub title: String,
    pub category: String,
    pub urgency: String,
    pub detail: String,
    /// A small personal need a member or unit claims directly (微心愿).
    #[serde(deserialize_with = "crate::validate::checkbox")]
    pub wish: bool,
    pub requester_name: String,
    pub requester_phone: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    pub id: Uuid,
    pub community_id: Uuid,
    pub title: String,
    pub category: NeedCategory,
    pub urgency: Urgency,
    pub detail: Option<String>,
    pub wish: bool,
    /// The requester's full name for the community's staff, masked (`王*兰`) for anyone else.
    pub requester: Option<String>,
    /// The community's staff only.
    pub requester_phone: Option<String>,
    pub status: NeedStatus,
    pub created_on: NaiveDate,
    pub escalated_on: Option<NaiveDate>,
    pub claimant: Option<String>,
    pub claimed_on: Option<NaiveDate>,
    pub delivered_on: Option<NaiveDate>,
    pub confirmed_on: Option<NaiveDate>,
    /// Whether the viewer (this member or this unit) holds the claim.
    pub mine: bool,
    /// The community's limit: days a need may stay unclaimed before it is flagged.
    pub unclaimed_days: i32,
}

/// A need is flagged once it stays unclaimed for longer than this, unless the community sets
/// its own number.
pub const DEFAULT_UNCLAIMED_DAYS: i32 = 14;

impl Need {
    /// Open (nobody claimed it) for more than the community's limit.
    pub fn flagged(&self, today: NaiveDate) -> bool {
        self.status == NeedStatus::Open
            && (today - self.created_on).num_days() > i64::from(self.unclaimed_days)
    }
}

/// Sets the community's limit of days unclaimed (1 to 365). Its staff.
pub async fn set_unclaimed_days(tx: &CoopTx, days: &str) -> DomainResult<()> {
    let community = is_community_staff(tx).ok_or(DomainError::Forbidden)?;
    let days = days
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|d| (1..=365).contains(d))
        .ok_or_else(|| DomainError::invalid("unclaimed_days", "bad_value"))?;
    let existing = tx
        .tx()
        .find::<coop_need_setting::Entity>()
        .filter(coop_need_setting::Column::CommunityId.eq(community))
        .one(tx.tx())
        .await?;
    match existing {
        Some(row) => {
            let mut active: coop_need_setting::ActiveModel = row.into();
            active.unclaimed_days = Set(days);
            active.update_in(tx.tx()).await?;
        }
        None => {
            coop_need_setting::ActiveModel {
                tenant_id: Set(tx.street_id()),
                community_id: Set(community),
                unclaimed_days: Set(days),
            }
            .insert_in(tx.tx())
            .await?;
        }
    }
    Ok(())
}

/// The viewer's community's limit of days unclaimed (its staff).
pub async fn unclaimed_days(tx: &CoopTx) -> DomainResult<i32> {
    let community = is_community_staff(tx).ok_or(DomainError::Forbidden)?;
    Ok(limits(tx, vec![community])
        .await?
        .get(&community)
        .copied()
        .unwrap_or(DEFAULT_UNCLAIMED_DAYS))
}

/// The limit of days unclaimed for each community among `communities`.
async fn limits(tx: &CoopTx, communities: Vec<Uuid>) -> DomainResult<HashMap<Uuid, i32>> {
    Ok(tx
        .tx()
        .find::<coop_need_setting::Entity>()
        .filter(coop_need_setting::Column::CommunityId.is_in(communities))
        .all(tx.tx())
        .await?
        .into_iter()
        .map(|s| (s.community_id, s.unclaimed_days))
        .collect())
}

/// `王秀兰` → `王*兰`, `王兰` → `王*`.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".to_owned(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// The community whose staff (not a member) the viewer is.
pub(super) fn is_community_staff(tx: &CoopTx) -> Option<Uuid> {
    match tx.viewer() {
        Viewer::Community(c) if tx.tx().role() != Role::Member => Some(c),
        _ => None,
    }
}

/// Posts a need of the viewer's community (its staff). Who asked goes into the community's own
/// tenant in the same transaction.
pub async fn post_need(tx: &CoopTx, input: &NeedInput, today: NaiveDate) -> DomainResult<Uuid> {
    let community = is_community_staff(tx).ok_or(DomainError::Forbidden)?;
    let title = required_text("need_title", &input.title, 100)?;
    let category = NeedCategory::parse(&input.category)
        .ok_or_else(|| DomainError::invalid("need_category", "not_in_list"))?;
    let urgency = Urgency::parse(&input.urgency)
        .ok_or_else(|| DomainError::invalid("urgency", "not_in_list"))?;
    let detail = optional_text("detail", &input.detail, 500)?;
    let requester = optional_text("requester_name", &input.requester_name, 64)?;
    let phone = match input.requester_phone.trim() {
        "" => None,
        phone => Some(
            check_phone(phone).map_err(|_| DomainError::invalid("requester_phone", "bad_phone"))?,
        ),
    };
    if phone.is_some() && requester.is_none() {
        return Err(DomainError::invalid("requester_name", "required"));
    }
    let id = Uuid::now_v7();
    coop_need::ActiveModel {
        tenant_id: Set(tx.street_id()),
        id: Set(id),
        community_id: Set(community),
        title: Set(title),
        category: Set(category),
        urgency: Set(urgency),
        detail: Set(detail),
        wish: Set(input.wish),
        requester_masked: Set(requester.as_deref().map(mask_name)),
        status: Set(NeedStatus::Open),
        created_on: Set(today),
        escalated_on: Set(None),
        claimant_unit_id: Set(None),
        claimant_user_id: Set(None),
        claimant_name: Set(None),
        claimed_on: Set(None),
        delivered_on: Set(None),
        confirmed_on: Set(None),
    }
    .insert_in(tx.tx())
    .await?;
    if let Some(name) = requester {
        // The community's own row, written in this same transaction.
        let requester = need_requester::ActiveModel {
            tenant_id: Set(community),
            need_id: Set(id),
            name: Set(name),
            phone: Set(phone),
        };
        tx.tx()
            .in_tenant(community, async |own: &TenantTx| {
                requester.insert_in(own).await
            })
            .await?;
    }
    Ok(id)
}

/// The communities a unit is paired with.
async fn paired_communities(tx: &CoopTx, unit: Uuid) -> DomainResult<Vec<Uuid>> {
    Ok(tx
        .tx()
        .find::<coop_pairing::Entity>()
        .filter(coop_pairing::Column::UnitId.eq(unit))
        .all(tx.tx())
        .await?
        .into_iter()
        .map(|p| p.community_id)
        .collect())
}

/// The needs the viewer may see: all of their community for its staff; open and own-claimed
/// wishes for a member; the paired communities' open and own-claimed needs for a unit;
/// escalated needs for the street.
pub async fn needs(tx: &CoopTx) -> DomainResult<Vec<Need>> {
    let me = tx.tx().actor_user_id();
    let mut select = tx.tx().find::<coop_need::Entity>();
    let open_or_mine = |mine: sea_orm::Condition| {
        sea_orm::Condition::any()
            .add(coop_need::Column::Status.eq(NeedStatus::Open.as_str()))
            .add(mine)
    };
    match (tx.viewer(), tx.tx().role()) {
        (Viewer::Street, _) => select = select.filter(coop_need::Column::EscalatedOn.is_not_null()),
        (Viewer::Community(c), Role::Member) => {
            select = select
                .filter(coop_need::Column::CommunityId.eq(c))
                .filter(coop_need::Column::Wish.eq(true))
                .filter(open_or_mine(
                    sea_orm::Condition::all().add(coop_need::Column::ClaimantUserId.eq(me)),
                ));
        }
        (Viewer::Community(c), _) => select = select.filter(coop_need::Column::CommunityId.eq(c)),
        (Viewer::Unit(u), _) => {
            let communities = paired_communities(tx, u).await?;
            select = select
                .filter(coop_need::Column::CommunityId.is_in(communities))
                .filter(open_or_mine(
                    sea_orm::Condition::all().add(coop_need::Column::ClaimantUnitId.eq(u)),
                ));
        }
    }
    let found = select
        .order_by_desc(coop_need::Column::CreatedOn)
        .order_by_desc(coop_need::Column::Id)
        .all(tx.tx())
        .await?;
    let requesters = match is_community_staff(tx) {
        Some(community) if !found.is_empty() => {
            let ids: Vec<Uuid> = found.iter().map(|n| n.id).collect();
            let rows = tx
                .tx()
                .in_tenant(community, async |own: &TenantTx| {
                    own.find::<need_requester::Entity>()
                        .filter(need_requester::Column::NeedId.is_in(ids))
                        .all(own)
                        .await
                })
                .await?;
            rows.into_iter().map(|r| (r.need_id, r)).collect()
        }
        _ => HashMap::new(),
    };
    let unit = match tx.viewer() {
        Viewer::Unit(u) => Some(u),
        _ => None,
    };
    let limits = limits(tx, found.iter().map(|n| n.community_id).collect()).await?;
    Ok(found
        .into_iter()
        .map(|n| {
            let full = requesters.get(&n.id);
            let mine = (unit.is_some() && n.claimant_unit_id == unit)
                || (unit.is_none() && n.claimant_user_id == Some(me));
            Need {
                id: n.id,
                community_id: n.community_id,
                category: n.category,
                urgency: n.urgency,
                detail: n.detail,
                wish: n.wish,
                requester: full.map(|r| r.name.clone()).or(n.requester_masked),
                // Masked like a member's phone: the secretary reveals one, audited.
                requester_phone: full
                    .and_then(|r| r.phone.as_deref())
                    .map(crate::members::mask_phone),
                status: n.status,
                created_on: n.created_on,
                escalated_on: n.escalated_on,
                claimant: n.claimant_name,
                claimed_on: n.claimed_on,
                delivered_on: n.delivered_on,
                confirmed_on: n.confirmed_on,
                unclaimed_days: limits
                    .get(&n.community_id)
                    .copied()
                    .unwrap_or(DEFAULT_UNCLAIMED_DAYS),
                title: n.title,
                mine,
            }
        })
        .collect())
}

/// The full phone number of whoever asked for a need, for the community's secretary, one at a
/// time: read without the write lock, then recorded in the audit log. `None`: no phone on file.
pub async fn reveal_requester_phone(
    db: &crate::Db,
    scope: &super::CoopScope,
    need_id: Uuid,
) -> DomainResult<Option<String>> {
    let tx = scope.read(db).await?;
    let community = is_community_staff(&tx).ok_or(DomainError::Forbidden)?;
    if tx.tx().role() != Role::CommunitySecretary {
        return Err(DomainError::Forbidden);
    }
    tx.tx()
        .find::<coop_need::Entity>()
        .filter(coop_need::Column::Id.eq(need_id))
        .filter(coop_need::Column::CommunityId.eq(community))
        .one(tx.tx())
        .await?
        .ok_or(DomainError::NotFound)?;
    let requester = tx
        .tx()
        .in_tenant(community, async |own: &TenantTx| {
            own.find::<need_requester::Entity>()
                .filter(need_requester::Column::NeedId.eq(need_id))
                .one(own)
                .await
        })
        .await?;
    let actor = tx.tx().actor_user_id();
    tx.commit().await?;
    audit::record(
        db,
        AuditEvent::new("requester_phone_revealed", need_id.to_string())
            .actor(Some(actor))
            .node(Some(community)),
    )
    .await?;
    Ok(requester.and_then(|r| r.phone))
}

/// One need the viewer may see, or not found.
async fn visible_need(tx: &CoopTx, id: Uuid) -> DomainResult<Need> {
    needs(tx)
        .await?
        .into_iter()
        .find(|n| n.id == id)
        .ok_or(DomainError::NotFound)
}

/// Claims an open micro-wish: a member of its community, or the liaison of a paired unit.
/// Exactly one claim wins; a late one is told who holds the wish.
pub async fn claim(tx: &CoopTx, need_id: Uuid, today: NaiveDate) -> DomainResult<()> {
    let (unit, claimant) = match (tx.viewer(), tx.tx().role()) {
        (Viewer::Unit(u), _) => {
            let unit = tx
                .tx()
                .find::<coop_unit::Entity>()
                .filter(coop_unit::Column::Id.eq(u))
                .one(tx.tx())
                .await?
                .ok_or(DomainError::NotFound)?;
            (Some(u), unit.name)
        }
        (Viewer::Community(_), Role::Member) => {
            let me = shared::find::<user::Entity>()
                .filter(user::Column::Id.eq(tx.tx().actor_user_id()))
                .one(tx.tx())
                .await?
                .ok_or(DomainError::Forbidden)?;
            (None, me.display_name)
        }
        _ => return Err(DomainError::Forbidden),
    };
    let wish = match visible_need(tx, need_id).await {
        Ok(need) => need,
        // Claimed by someone else, the wish left this viewer's list: say who holds it.
        Err(DomainError::NotFound) => return Err(taken_or_missing(tx, need_id).await),
        Err(err) => return Err(err),
    };
    if !wish.wish {
        return Err(DomainError::invalid("need", "not_a_wish"));
    }
    let user = unit.is_none().then_some(tx.tx().actor_user_id());
    let claimed = tx
        .tx()
        .update_many::<coop_need::Entity>()
        .col_expr(
            coop_need::Column::Status,
            Expr::value(NeedStatus::Claimed.as_str()),
        )
        .col_expr(coop_need::Column::ClaimantUnitId, Expr::value(unit))
        .col_expr(coop_need::Column::ClaimantUserId, Expr::value(user))
        .col_expr(coop_need::Column::ClaimantName, Expr::value(claimant))
        .col_expr(coop_need::Column::ClaimedOn, Expr::value(today))
        .filter(coop_need::Column::Id.eq(need_id))
        .filter(coop_need::Column::Status.eq(NeedStatus::Open.as_str()))
        .exec(tx.tx())
        .await?;
    if claimed.rows_affected == 0 {
        return Err(taken_or_missing(tx, need_id).await);
    }
    let need = load(tx, need_id).await?;
    super::messages::need_moved(tx.tx(), &need, MessageKind::NeedClaimed, Utc::now()).await
}

/// Why a claim found no open wish: "taken by …" only for a wish the caller could have claimed
/// (of their own community, or of one paired with their unit); anything else is not found.
async fn taken_or_missing(tx: &CoopTx, need_id: Uuid) -> DomainError {
    let holder = async {
        let need = tx
            .tx()
            .find::<coop_need::Entity>()
            .filter(coop_need::Column::Id.eq(need_id))
            .filter(coop_need::Column::Wish.eq(true))
            .one(tx.tx())
            .await?;
        let Some(need) = need else {
            return Ok(None);
        };
        let could_claim = match tx.viewer() {
            Viewer::Community(c) => need.community_id == c,
            Viewer::Unit(u) => paired_communities(tx, u)
                .await?
                .contains(&need.community_id),
            Viewer::Street => false,
        };
        Ok::<_, DomainError>(could_claim.then_some(need))
    };
    match holder.await {
        Ok(Some(need)) => match need.claimant_name {
            Some(by) if need.status != NeedStatus::Open => DomainError::Taken { by },
            _ => DomainError::NotFound,
        },
        Ok(None) => DomainError::NotFound,
        Err(err) => err,
    }
}

async fn load(tx: &CoopTx, need_id: Uuid) -> DomainResult<coop_need::Model> {
    tx.tx()
        .find::<coop_need::Entity>()
        .filter(coop_need::Column::Id.eq(need_id))
        .one(tx.tx())
        .await?
        .ok_or(DomainError::NotFound)
}

/// The claimant says the wish is fulfilled.
pub async fn deliver(tx: &CoopTx, need_id: Uuid, today: NaiveDate) -> DomainResult<()> {
    let need = visible_need(tx, need_id).await?;
    if !need.mine {
        return Err(DomainError::Forbidden);
    }
    if need.status != NeedStatus::Claimed {
        return Err(DomainError::invalid("need", "not_claimed"));
    }
    let mut active: coop_need::ActiveModel = load(tx, need_id).await?.into();
    active.status = Set(NeedStatus::Delivered);
    active.delivered_on = Set(Some(today));
    let delivered = active.update_in(tx.tx()).await?;
    super::messages::need_moved(tx.tx(), &delivered, MessageKind::NeedDelivered, Utc::now()).await
}

/// The community's staff confirm a delivered wish.
pub async fn confirm(tx: &CoopTx, need_id: Uuid, today: NaiveDate) -> DomainResult<()> {
    is_community_staff(tx).ok_or(DomainError::Forbidden)?;
    let need = visible_need(tx, need_id).await?;
    if need.status != NeedStatus::Delivered {
        return Err(DomainError::invalid("need", "not_delivered"));
    }
    let row = load(tx, need_id).await?;
    let (claimant, community, title) = (row.claimant_user_id, row.community_id, row.title.clone());
    // Conditional on still being delivered: of two confirmations, one changes the row (the
    // other waits for it on PostgreSQL, then matches nothing) and only that one credits.
    let confirmed = tx
        .tx()
        .update_many::<coop_need::Entity>()
        .col_expr(
            coop_need::Column::Status,
            Expr::value(NeedStatus::Done.as_str()),
        )
        .col_expr(coop_need::Column::ConfirmedOn, Expr::value(Some(today)))
        .filter(coop_need::Column::TenantId.eq(row.tenant_id))
        .filter(coop_need::Column::Id.eq(need_id))
        .filter(coop_need::Column::Status.eq(NeedStatus::Delivered.as_str()))
        .exec(tx.tx())
        .await?;
    if confirmed.rows_affected == 0 {
        return Err(DomainError::invalid("need", "not_delivered"));
    }
    // A member who fulfilled a wish earns the community's wish points.
    if let Some(user) = claimant {
        crate::points::credit_wish(
            tx.tx(),
            community,
            user,
            tx.tx().actor_user_id(),
            &title,
            chrono::Utc::now(),
        )
        .await?;
    }
    Ok(())
}

/// 需求上报: the community's staff hand an open need they cannot meet to the street, which then
/// sees it (without who asked). Audited.
pub async fn escalate(tx: &CoopTx, need_id: Uuid, today: NaiveDate) -> DomainResult<()> {
    let community = is_community_staff(tx).ok_or(DomainError::Forbidden)?;
    let need = visible_need(tx, need_id).await?;
    if need.escalated_on.is_some() {
        return Err(DomainError::invalid("need", "already_escalated"));
    }
    if need.status == NeedStatus::Done {
        return Err(DomainError::invalid("need", "already_done"));
    }
    let mut active: coop_need::ActiveModel = load(tx, need_id).await?.into();
    active.escalated_on = Set(Some(today));
    active.update_in(tx.tx()).await?;
    let actor = tx.tx().actor_user_id();
    audit::record(
        tx.tx(),
        AuditEvent::new("need_escalated", need_id.to_string())
            .actor((!actor.is_nil()).then_some(actor))
            .node(Some(community))
            .detail(serde_json::json!({ "street": tx.street_id() })),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::mask_name;

    #[test]
    fn names_are_masked_inside() {
        assert_eq!(mask_name("王秀兰"), "王*兰");
        assert_eq!(mask_name("欧阳春梅"), "欧**梅");
        assert_eq!(mask_name("王兰"), "王*");
        assert_eq!(mask_name("王"), "*");
    }
}
