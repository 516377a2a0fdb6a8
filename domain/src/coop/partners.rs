//! 共建单位: units registered by the street, with their Party organisation, liaison and size.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{CoopTx, Viewer};
use crate::entities::{coop_pairing, coop_unit, org_node};
use crate::error::{DomainError, DomainResult};
use crate::tenancy::{shared, Row};
use crate::validate::check_phone;
use crate::validate::{optional_text, required_text};

pub use crate::kinds::PartnerKind;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PartnerInput {
    pub name: String,
    pub kind: String,
    pub party_org: String,
    pub liaison_name: String,
    pub liaison_phone: String,
    pub staff_count: String,
    pub member_count: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerUnit {
    pub id: Uuid,
    pub name: String,
    pub kind: PartnerKind,
    pub party_org: Option<String>,
    pub liaison_name: Option<String>,
    pub liaison_phone: Option<String>,
    pub staff_count: Option<u32>,
    pub member_count: Option<u32>,
    pub has_account: bool,
    /// The liaison's login, for the street that keeps it (to reset or close it); none for
    /// anyone else.
    pub account: Option<Uuid>,
    /// The communities it is paired with: (id, name, paired on). A community's staff see only
    /// their own community here.
    pub communities: Vec<(Uuid, String, chrono::NaiveDate)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerSummary {
    pub id: Uuid,
    pub name: String,
    pub kind: PartnerKind,
    pub liaison_name: Option<String>,
    pub communities: usize,
}

/// A head count: empty, or a whole number up to a million.
fn count(field: &str, value: &str) -> DomainResult<Option<u32>> {
    match value.trim() {
        "" => Ok(None),
        v => v
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= 1_000_000)
            .map(Some)
            .ok_or_else(|| DomainError::invalid(field, "bad_value")),
    }
}

/// The units this viewer may see: all of the street's, those paired with a community, or one.
async fn visible(tx: &CoopTx) -> DomainResult<Vec<coop_unit::Model>> {
    tx.ensure_not_member()?;
    let mut select = tx.tx().find::<coop_unit::Entity>();
    match tx.viewer() {
        Viewer::Street => {}
        Viewer::Unit(id) => select = select.filter(coop_unit::Column::Id.eq(id)),
        Viewer::Community(community) => {
            let paired: Vec<Uuid> = tx
                .tx()
                .find::<coop_pairing::Entity>()
                .filter(coop_pairing::Column::CommunityId.eq(community))
                .all(tx.tx())
                .await?
                .into_iter()
                .map(|p| p.unit_id)
                .collect();
            select = select.filter(coop_unit::Column::Id.is_in(paired));
        }
    }
    let mut units = select.all(tx.tx()).await?;
    crate::collate::sort_by_label(&mut units, |u| &u.name);
    Ok(units)
}

/// The pairings of these units that the viewer may see.
async fn pairings_of(tx: &CoopTx, units: &[Uuid]) -> DomainResult<Vec<coop_pairing::Model>> {
    let mut select = tx
        .tx()
        .find::<coop_pairing::Entity>()
        .filter(coop_pairing::Column::UnitId.is_in(units.to_vec()));
    if let Viewer::Community(community) = tx.viewer() {
        select = select.filter(coop_pairing::Column::CommunityId.eq(community));
    }
    select.all(tx.tx()).await
}

pub async fn partners(tx: &CoopTx) -> DomainResult<Vec<PartnerSummary>> {
    let found = visible(tx).await?;
    let ids: Vec<Uuid> = found.iter().map(|u| u.id).collect();
    let pairings = pairings_of(tx, &ids).await?;
    Ok(found
        .into_iter()
        .map(|u| PartnerSummary {
            id: u.id,
            communities: pairings.iter().filter(|p| p.unit_id == u.id).count(),
            kind: u.kind,
            name: u.name,
            liaison_name: u.liaison_name,
        })
        .collect())
}

/// One unit, if the viewer may see it (otherwise not found).
pub async fn get_partner(tx: &CoopTx, id: Uuid) -> DomainResult<PartnerUnit> {
    let unit = visible(tx)
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or(DomainError::NotFound)?;
    let pairings = pairings_of(tx, &[id]).await?;
    let names: HashMap<Uuid, String> = shared::find::<org_node::Entity>()
        .filter(org_node::Column::Id.is_in(pairings.iter().map(|p| p.community_id)))
        .all(tx.tx())
        .await?
        .into_iter()
        .map(|n| (n.id, n.name))
        .collect();
    let mut communities: Vec<_> = pairings
        .into_iter()
        .map(|p| {
            let name = names.get(&p.community_id).cloned().unwrap_or_default();
            (p.community_id, name, p.paired_on)
        })
        .collect();
    crate::collate::sort_by_label(&mut communities, |c| &c.1);
    Ok(PartnerUnit {
        id: unit.id,
        kind: unit.kind,
        name: unit.name,
        party_org: unit.party_org,
        liaison_name: unit.liaison_name,
        liaison_phone: unit.liaison_phone,
        staff_count: unit.staff_count.and_then(|n| u32::try_from(n).ok()),
        member_count: unit.member_count.and_then(|n| u32::try_from(n).ok()),
        has_account: unit.liaison_user_id.is_some(),
        account: unit
            .liaison_user_id
            .filter(|_| tx.viewer() == Viewer::Street),
        communities,
    })
}

/// Registers a unit (`id` none) or changes one. Street staff only; names are unique per street.
pub async fn save_partner(
    tx: &CoopTx,
    id: Option<Uuid>,
    input: &PartnerInput,
) -> DomainResult<Uuid> {
    tx.ensure_street()?;
    let name = required_text("unit_name", &input.name, 100)?;
    let kind = PartnerKind::parse(&input.kind)
        .ok_or_else(|| DomainError::invalid("unit_kind", "not_in_list"))?;
    let party_org = optional_text("party_org", &input.party_org, 100)?;
    let liaison_name = optional_text("liaison_name", &input.liaison_name, 64)?;
    let liaison_phone = match input.liaison_phone.trim() {
        "" => None,
        phone => Some(
            check_phone(phone).map_err(|_| DomainError::invalid("liaison_phone", "bad_phone"))?,
        ),
    };
    let staff = count("staff_count", &input.staff_count)?;
    let members = count("member_count", &input.member_count)?;
    if let (Some(staff), Some(members)) = (staff, members) {
        if members > staff {
            return Err(DomainError::invalid("member_count", "more_than_staff"));
        }
    }
    let mut same_name = tx
        .tx()
        .find::<coop_unit::Entity>()
        .filter(coop_unit::Column::Name.eq(name.as_str()));
    if let Some(id) = id {
        same_name = same_name.filter(coop_unit::Column::Id.ne(id));
    }
    if same_name.count(tx.tx()).await? > 0 {
        return Err(DomainError::invalid("unit_name", "exists"));
    }
    let to_i32 = |n: Option<u32>| n.and_then(|n| i32::try_from(n).ok());
    let mut active = match id {
        None => coop_unit::ActiveModel {
            tenant_id: Set(tx.street_id()),
            id: Set(Uuid::now_v7()),
            liaison_user_id: Set(None),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
        Some(id) => tx
            .tx()
            .find::<coop_unit::Entity>()
            .filter(coop_unit::Column::Id.eq(id))
            .one(tx.tx())
            .await?
            .ok_or(DomainError::NotFound)?
            .into(),
    };
    active.name = Set(name);
    active.kind = Set(kind);
    active.party_org = Set(party_org);
    active.liaison_name = Set(liaison_name);
    active.liaison_phone = Set(liaison_phone);
    active.staff_count = Set(to_i32(staff));
    active.member_count = Set(to_i32(members));
    let saved = match id {
        None => active.insert_in(tx.tx()).await?,
        Some(_) => active.update_in(tx.tx()).await?,
    };
    Ok(saved.id)
}

/// Links the account a unit's liaison logs in with (street staff, after creating it).
pub async fn attach_liaison(tx: &CoopTx, unit_id: Uuid, user_id: Uuid) -> DomainResult<()> {
    tx.ensure_street()?;
    tx.tx()
        .find::<coop_unit::Entity>()
        .filter(coop_unit::Column::Id.eq(unit_id))
        .one(tx.tx())
        .await?
        .ok_or(DomainError::NotFound)?;
    // Only while the unit has no liaison account (of two at once, the first wins).
    let attached = tx
        .tx()
        .update_many::<coop_unit::Entity>()
        .col_expr(
            coop_unit::Column::LiaisonUserId,
            sea_orm::sea_query::Expr::value(Some(user_id)),
        )
        .filter(coop_unit::Column::Id.eq(unit_id))
        .filter(coop_unit::Column::LiaisonUserId.is_null())
        .exec(tx.tx())
        .await?;
    if attached.rows_affected == 0 {
        return Err(DomainError::invalid("liaison_account", "exists"));
    }
    Ok(())
}

/// Creates the login of a unit's liaison (role `unit_liaison` on the street) and links it to the
/// unit, in one transaction: a refused request creates no account.
pub async fn create_liaison_account(
    db: &crate::Db,
    scope: &super::CoopScope,
    unit_id: Uuid,
    login_name: &str,
    password: &str,
) -> DomainResult<Uuid> {
    use crate::auth::users;
    let tx = scope.read(db).await?;
    tx.ensure_street()?;
    let unit = get_partner(&tx, unit_id).await?;
    tx.commit().await?;
    if unit.has_account {
        return Err(DomainError::invalid("liaison_account", "exists"));
    }
    let display_name = unit
        .liaison_name
        .clone()
        .unwrap_or_else(|| unit.name.clone());
    let account = users::prepare(
        login_name,
        unit.liaison_phone.as_deref(),
        &display_name,
        password,
    )
    .await?;
    // The account, its role and the link to the unit land together or not at all.
    let tx = scope.write(db).await?;
    let user_id = users::insert_opened(tx.tx(), account).await?;
    let actor = scope.street.actor_user_id();
    users::grant_role_in(
        tx.tx(),
        Some(actor),
        user_id,
        scope.street_id(),
        crate::kinds::Role::UnitLiaison,
    )
    .await?;
    attach_liaison(&tx, unit_id, user_id).await?;
    tx.commit().await?;
    Ok(user_id)
}
