//! 共建协议: a unit's agreement with the street or a community it is paired with — a term and
//! commitments (承诺事项) the counterpart ticks off; agreements near their end come up for renewal.
use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{get_partner, CoopTx, Viewer};
use crate::entities::{coop_agreement, coop_commitment, coop_unit, org_node};
use crate::error::{DomainError, DomainResult};
use crate::tenancy::{shared, Row};
use crate::validate::{plain_date, required_text};

/// An agreement ending within this many days is due for renewal.
pub const RENEWAL_DAYS: i64 = 60;
pub const MAX_COMMITMENTS: usize = 20;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgreementInput {
    /// A paired community's id, or empty for the street itself.
    pub community: String,
    pub title: String,
    pub starts_on: String,
    pub ends_on: String,
    /// One commitment per line.
    pub commitments: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commitment {
    pub id: Uuid,
    pub content: String,
    pub done_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub unit_name: String,
    /// The community party, or none when the street is.
    pub community: Option<(Uuid, String)>,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub commitments: Vec<Commitment>,
    pub due_for_renewal: bool,
    pub ended: bool,
}

pub fn due_for_renewal(ends_on: NaiveDate, today: NaiveDate) -> bool {
    ends_on >= today && (ends_on - today).num_days() <= RENEWAL_DAYS
}

/// Adds an agreement for a unit the caller sees: the street with itself or any community the
/// unit is paired with; a community's staff with their own community only.
pub async fn add_agreement(
    tx: &CoopTx,
    unit_id: Uuid,
    input: &AgreementInput,
) -> DomainResult<Uuid> {
    let unit = get_partner(tx, unit_id).await?;
    let community = match (tx.viewer(), input.community.trim()) {
        (Viewer::Unit(_), _) => return Err(DomainError::Forbidden),
        (Viewer::Community(own), _) => Some(own),
        (Viewer::Street, "") => None,
        (Viewer::Street, id) => {
            Some(Uuid::parse_str(id).map_err(|_| DomainError::invalid("community", "not_paired"))?)
        }
    };
    if let Some(community) = community {
        if !unit.communities.iter().any(|c| c.0 == community) {
            return Err(DomainError::invalid("community", "not_paired"));
        }
    }
    let title = required_text("agreement_title", &input.title, 100)?;
    let starts_on = plain_date("starts_on", &input.starts_on)?;
    let ends_on = plain_date("ends_on", &input.ends_on)?;
    if ends_on <= starts_on {
        return Err(DomainError::invalid("ends_on", "before_start"));
    }
    let mut commitments = Vec::new();
    for line in input
        .commitments
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        commitments.push(required_text("commitments", line, 200)?);
    }
    if commitments.len() > MAX_COMMITMENTS {
        return Err(DomainError::invalid("commitments", "too_many"));
    }
    let id = Uuid::now_v7();
    coop_agreement::ActiveModel {
        tenant_id: Set(tx.street_id()),
        id: Set(id),
        unit_id: Set(unit_id),
        community_id: Set(community),
        title: Set(title),
        starts_on: Set(starts_on),
        ends_on: Set(ends_on),
        created_at: Set(Utc::now()),
    }
    .insert_in(tx.tx())
    .await?;
    for content in commitments {
        coop_commitment::ActiveModel {
            tenant_id: Set(tx.street_id()),
            id: Set(Uuid::now_v7()),
            agreement_id: Set(id),
            content: Set(content),
            done_on: Set(None),
        }
        .insert_in(tx.tx())
        .await?;
    }
    Ok(id)
}

/// The agreements the caller sees (of one unit, or all), soonest ending first.
pub async fn agreements(
    tx: &CoopTx,
    unit_id: Option<Uuid>,
    today: NaiveDate,
) -> DomainResult<Vec<Agreement>> {
    tx.ensure_not_member()?;
    let mut select = tx.tx().find::<coop_agreement::Entity>();
    match tx.viewer() {
        Viewer::Street => {}
        Viewer::Community(own) => {
            select = select.filter(coop_agreement::Column::CommunityId.eq(own))
        }
        Viewer::Unit(own) => select = select.filter(coop_agreement::Column::UnitId.eq(own)),
    }
    if let Some(unit) = unit_id {
        select = select.filter(coop_agreement::Column::UnitId.eq(unit));
    }
    let found = select
        .order_by_asc(coop_agreement::Column::EndsOn)
        .all(tx.tx())
        .await?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = found.iter().map(|a| a.id).collect();
    let commitments = tx
        .tx()
        .find::<coop_commitment::Entity>()
        .filter(coop_commitment::Column::AgreementId.is_in(ids))
        .order_by_asc(coop_commitment::Column::Id)
        .all(tx.tx())
        .await?;
    let units = tx
        .tx()
        .find_ids::<coop_unit::Entity>(found.iter().map(|a| a.unit_id))
        .await?;
    let communities = shared::find::<org_node::Entity>()
        .filter(org_node::Column::Id.is_in(found.iter().filter_map(|a| a.community_id)))
        .all(tx.tx())
        .await?;
    Ok(found
        .into_iter()
        .map(|a| Agreement {
            id: a.id,
            unit_id: a.unit_id,
            unit_name: units
                .iter()
                .find(|u| u.id == a.unit_id)
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            community: a.community_id.map(|id| {
                let name = communities
                    .iter()
                    .find(|c| c.id == id)
                    .map(|c| c.name.clone());
                (id, name.unwrap_or_default())
            }),
            commitments: commitments
                .iter()
                .filter(|c| c.agreement_id == a.id)
                .map(|c| Commitment {
                    id: c.id,
                    content: c.content.clone(),
                    done_on: c.done_on,
                })
                .collect(),
            due_for_renewal: due_for_renewal(a.ends_on, today),
            ended: a.ends_on < today,
            title: a.title,
            starts_on: a.starts_on,
            ends_on: a.ends_on,
        })
        .collect())
}

/// Ticks a commitment done (or not). The counterpart keeps the tally: the street for any of its
/// agreements, a community's staff for their community's.
pub async fn set_commitment_done(
    tx: &CoopTx,
    commitment_id: Uuid,
    done: bool,
    today: NaiveDate,
) -> DomainResult<()> {
    let commitment = tx
        .tx()
        .find::<coop_commitment::Entity>()
        .filter(coop_commitment::Column::Id.eq(commitment_id))
        .one(tx.tx())
        .await?
        .ok_or(DomainError::NotFound)?;
    let agreement = tx
        .tx()
        .find::<coop_agreement::Entity>()
        .filter(coop_agreement::Column::Id.eq(commitment.agreement_id))
        .one(tx.tx())
        .await?
        .ok_or(DomainError::NotFound)?;
    match tx.viewer() {
        Viewer::Street => {}
        Viewer::Community(own) if agreement.community_id == Some(own) => {
            // A member sees the agreement; keeping its tally is the staff's.
            super::needs::is_community_staff(tx).ok_or(DomainError::Forbidden)?;
        }
        Viewer::Community(_) => return Err(DomainError::NotFound),
        Viewer::Unit(own) if agreement.unit_id == own => return Err(DomainError::Forbidden),
        Viewer::Unit(_) => return Err(DomainError::NotFound),
    }
    let mut active: coop_commitment::ActiveModel = commitment.into();
    active.done_on = Set(done.then_some(today));
    active.update_in(tx.tx()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::due_for_renewal;
    use chrono::NaiveDate;

    #[test]
    fn renewal_is_due_in_the_last_sixty_days() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
        let day = |m, d| NaiveDate::from_ymd_opt(2027, m, d).expect("date");
        assert!(due_for_renewal(day(1, 22), today));
        assert!(!due_for_renewal(day(1, 23), today));
        assert!(due_for_renewal(today, today));
        assert!(!due_for_renewal(
            NaiveDate::from_ymd_opt(2026, 11, 22).expect("date"),
            today
        ));
    }
}
