//! Members keep their own details current: a member proposes a new phone, address (楼栋, 单元,
//! 门牌) or, living elsewhere for now, the city they live in; the community's secretary or a
//! worker approves it (the roster changes as by an edit) or returns it with a reason. One open
//! proposal per member at a time; the member's history records the proposal and the decision.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::history::{record, EventKind};
use super::model::mask_phone;
use super::roster::{apply_own_details, ensure_keeper, own_member, OwnDetails};
use crate::entities::{member, member_proposal};
use crate::error::{DomainError, DomainResult};
use crate::kinds::{MessageKind, ProposalStatus};
use crate::tenancy::{Row, TenantTx};
use crate::validate::{check_phone, optional_text};

/// Open proposals a community's page lists at most.
const MAX_LISTED: u64 = 500;

/// What a member types: an empty field keeps what the roster has.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProposalInput {
    pub phone: String,
    pub building: String,
    pub unit_no: String,
    pub room: String,
    pub current_city: String,
    pub note: String,
}

/// A proposal as staff and the member see it (phones masked, as everywhere but the member's
/// own record).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub id: Uuid,
    pub member_id: Uuid,
    pub member_name: String,
    /// (field, now, proposed) for each field an open proposal changes; for a decided one, what it
    /// proposed (`now` empty).
    pub changes: Vec<(String, String, String)>,
    pub note: Option<String>,
    pub status: ProposalStatus,
    pub reason: Option<String>,
    pub proposed_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

fn details_of(p: &member_proposal::Model) -> OwnDetails {
    OwnDetails {
        phone: p.phone.clone(),
        building: p.building.clone(),
        unit_no: p.unit_no.clone(),
        room: p.room.clone(),
        current_city: p.current_city.clone(),
    }
}

/// (field, now, proposed) for the fields `details` would change on `m`.
fn changes(m: &member::Model, details: &OwnDetails) -> Vec<(String, String, String)> {
    let phone = |p: &Option<String>| p.as_deref().map(mask_phone).unwrap_or_default();
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    let mut out = Vec::new();
    let mut push = |field: &str, now: String, proposed: String| {
        out.push((field.to_owned(), now, proposed));
    };
    if details.phone.is_some() && details.phone != m.phone {
        push("phone", phone(&m.phone), phone(&details.phone));
    }
    for (field, new, old) in [
        ("building", &details.building, &m.building),
        ("unit_no", &details.unit_no, &m.unit_no),
        ("room", &details.room, &m.room),
        ("current_city", &details.current_city, &m.current_city),
    ] {
        if new.is_some() && new != old {
            push(field, text(old), text(new));
        }
    }
    out
}

/// (field, "", proposed) for each field a decided proposal named (the roster has moved on since,
/// so only what was proposed is shown).
fn proposed_only(details: &OwnDetails) -> Vec<(String, String, String)> {
    let phone = details.phone.as_deref().map(mask_phone);
    [
        ("phone", phone),
        ("building", details.building.clone()),
        ("unit_no", details.unit_no.clone()),
        ("room", details.room.clone()),
        ("current_city", details.current_city.clone()),
    ]
    .into_iter()
    .filter_map(|(field, value)| Some((field.to_owned(), String::new(), value?)))
    .collect()
}

fn shown(p: member_proposal::Model, m: &member::Model) -> Proposal {
    let details = details_of(&p);
    let changes = if p.status == ProposalStatus::Open {
        changes(m, &details)
    } else {
        proposed_only(&details)
    };
    Proposal {
        changes,
        id: p.id,
        member_id: p.member_id,
        member_name: m.name.clone(),
        note: p.note,
        status: p.status,
        reason: p.reason,
        proposed_at: p.proposed_at,
        decided_at: p.decided_at,
    }
}

/// The signed-in member proposes changes to their own details.
pub async fn propose(tx: &TenantTx, input: &ProposalInput) -> DomainResult<Uuid> {
    let me = own_member(tx).await?;
    let phone = match input.phone.trim() {
        "" => None,
        // The masked number the form shows back means "unchanged".
        p if me.phone.as_deref().map(mask_phone).as_deref() == Some(p) => None,
        p => Some(check_phone(p)?),
    };
    let details = OwnDetails {
        phone,
        building: optional_text("building", &input.building, 32)?,
        unit_no: optional_text("unit_no", &input.unit_no, 16)?,
        room: optional_text("room", &input.room, 16)?,
        current_city: optional_text("current_city", &input.current_city, 64)?,
    };
    let note = optional_text("note", &input.note, 200)?;
    let changed = changes(&me, &details);
    if changed.is_empty() {
        return Err(DomainError::invalid("proposal", "nothing_changed"));
    }
    // The member's row lock first: two proposals sent at once cannot both find none open.
    tx.update_many::<member::Entity>()
        .col_expr(member::Column::Id, Expr::col(member::Column::Id))
        .filter(member::Column::Id.eq(me.id))
        .exec(tx)
        .await?;
    let open = tx
        .find::<member_proposal::Entity>()
        .filter(member_proposal::Column::MemberId.eq(me.id))
        .filter(member_proposal::Column::Status.eq(ProposalStatus::Open.as_str()))
        .count(tx)
        .await?;
    if open > 0 {
        return Err(DomainError::invalid("proposal", "already_open"));
    }
    let id = Uuid::now_v7();
    member_proposal::ActiveModel {
        tenant_id: Set(tx.tenant_id()),
        id: Set(id),
        member_id: Set(me.id),
        phone: Set(details.phone),
        building: Set(details.building),
        unit_no: Set(details.unit_no),
        room: Set(details.room),
        current_city: Set(details.current_city),
        note: Set(note),
        status: Set(ProposalStatus::Open),
        reason: Set(None),
        proposed_at: Set(Utc::now()),
        decided_at: Set(None),
        decided_by: Set(None),
    }
    .insert_in(tx)
    .await?;
    let fields: Vec<String> = changed.into_iter().map(|(field, _, _)| field).collect();
    record(
        tx,
        me.id,
        EventKind::ProposalMade,
        serde_json::json!({ "fields": fields }),
    )
    .await?;
    Ok(id)
}

/// The signed-in member's proposals, newest first (the last few).
pub async fn my_proposals(tx: &TenantTx) -> DomainResult<Vec<Proposal>> {
    proposals_of(tx, &own_member(tx).await?).await
}

/// `my_proposals` for the member's own record, already read (`home`).
pub(super) async fn proposals_of(tx: &TenantTx, me: &member::Model) -> DomainResult<Vec<Proposal>> {
    let rows = tx
        .find::<member_proposal::Entity>()
        .filter(member_proposal::Column::MemberId.eq(me.id))
        .order_by_desc(member_proposal::Column::Id)
        .limit(5)
        .all(tx)
        .await?;
    Ok(rows.into_iter().map(|p| shown(p, me)).collect())
}

/// The community's open proposals, oldest first (staff who keep the roster).
pub async fn open_proposals(tx: &TenantTx) -> DomainResult<Vec<Proposal>> {
    ensure_keeper(tx)?;
    let rows = tx
        .find::<member_proposal::Entity>()
        .filter(member_proposal::Column::Status.eq(ProposalStatus::Open.as_str()))
        .order_by_asc(member_proposal::Column::Id)
        .limit(MAX_LISTED)
        .all(tx)
        .await?;
    let members = tx
        .find_ids::<member::Entity>(rows.iter().map(|p| p.member_id))
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|p| {
            let m = members.iter().find(|m| m.id == p.member_id)?;
            Some(shown(p, m))
        })
        .collect())
}

/// Approves (the roster changes) or returns (`reason` required) an open proposal.
pub async fn decide(tx: &TenantTx, id: Uuid, approve: bool, reason: &str) -> DomainResult<()> {
    ensure_keeper(tx)?;
    let proposal = tx
        .find::<member_proposal::Entity>()
        .filter(member_proposal::Column::Id.eq(id))
        .one(tx)
        .await?
        .ok_or(DomainError::NotFound)?;
    if proposal.status != ProposalStatus::Open {
        return Err(DomainError::invalid("proposal", "already_decided"));
    }
    let reason = optional_text("reason", reason, 200)?;
    if !approve && reason.is_none() {
        return Err(DomainError::invalid("reason", "required"));
    }
    let member = tx
        .find::<member::Entity>()
        .filter(member::Column::Id.eq(proposal.member_id))
        .one(tx)
        .await?
        .ok_or(DomainError::NotFound)?;
    let status = if approve {
        ProposalStatus::Approved
    } else {
        ProposalStatus::Returned
    };
    // Decided once: of two staff deciding at the same moment, the second finds it decided.
    let claimed = tx
        .update_many::<member_proposal::Entity>()
        .col_expr(
            member_proposal::Column::Status,
            Expr::value(status.as_str()),
        )
        .col_expr(member_proposal::Column::Reason, Expr::value(reason.clone()))
        .col_expr(member_proposal::Column::DecidedAt, Expr::value(Utc::now()))
        .col_expr(
            member_proposal::Column::DecidedBy,
            Expr::value(tx.actor_user_id()),
        )
        .filter(member_proposal::Column::Id.eq(id))
        .filter(member_proposal::Column::Status.eq(ProposalStatus::Open.as_str()))
        .exec(tx)
        .await?;
    if claimed.rows_affected == 0 {
        return Err(DomainError::invalid("proposal", "already_decided"));
    }
    let (kind, detail, message) = if approve {
        let changed = apply_own_details(tx, &member, &details_of(&proposal)).await?;
        (
            EventKind::ProposalApproved,
            serde_json::json!({ "changed": changed }),
            MessageKind::ProposalApproved,
        )
    } else {
        (
            EventKind::ProposalReturned,
            serde_json::json!({ "reason": reason }),
            MessageKind::ProposalReturned,
        )
    };
    record(tx, member.id, kind, detail).await?;
    super::messages::tell_member(tx, member.id, message, proposal.id).await
}
