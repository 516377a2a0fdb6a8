//! The owner reports dated progress; the convener closes (销号) on written evidence.
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Set};
use uuid::Uuid;

use super::{owns, ResolutionStatus};
use crate::audit::{self, AuditEvent};
use crate::coop::convening::{actor_name, convenes, viewer_org_name};
use crate::coop::CoopTx;
use crate::entities::{coop_meeting, coop_resolution, coop_resolution_note};
use crate::error::{DomainError, DomainResult};
use crate::tenancy::Row;
use crate::validate::required_text;

/// A resolution with its meeting, if the viewer owns it or convenes its meeting.
async fn followed(
    tx: &CoopTx,
    id: Uuid,
) -> DomainResult<(coop_resolution::Model, coop_meeting::Model)> {
    tx.ensure_not_member()?;
    let row = tx
        .tx()
        .find::<coop_resolution::Entity>()
        .filter(coop_resolution::Column::Id.eq(id))
        .one(tx.tx())
        .await?
        .ok_or(DomainError::NotFound)?;
    let meeting = tx
        .tx()
        .find::<coop_meeting::Entity>()
        .filter(coop_meeting::Column::Id.eq(row.meeting_id))
        .one(tx.tx())
        .await?
        .ok_or(DomainError::NotFound)?;
    if !owns(tx, &row) && !convenes(tx, &meeting) {
        return Err(DomainError::NotFound);
    }
    if row.status == ResolutionStatus::Done {
        return Err(DomainError::invalid("resolution", "already_closed"));
    }
    Ok((row, meeting))
}

/// Adds a dated progress note; a resolution not started is then in progress.
pub async fn report_progress(
    tx: &CoopTx,
    id: Uuid,
    note: &str,
    today: NaiveDate,
) -> DomainResult<()> {
    let (row, _) = followed(tx, id).await?;
    let note = required_text("progress_note", note, 500)?;
    let author = match actor_name(tx).await? {
        name if name.is_empty() => viewer_org_name(tx).await?,
        name => format!("{}（{}）", name, viewer_org_name(tx).await?),
    };
    coop_resolution_note::ActiveModel {
        tenant_id: Set(tx.street_id()),
        id: Set(Uuid::now_v7()),
        resolution_id: Set(id),
        noted_on: Set(today),
        note: Set(note),
        author: Set(author),
    }
    .insert_in(tx.tx())
    .await?;
    if row.status == ResolutionStatus::NotStarted {
        let mut active: coop_resolution::ActiveModel = row.into();
        active.status = Set(ResolutionStatus::InProgress);
        active.update_in(tx.tx()).await?;
    }
    Ok(())
}

/// 销号: the convener closes a resolution on written evidence. Audited.
pub async fn close_resolution(
    tx: &CoopTx,
    id: Uuid,
    evidence: &str,
    today: NaiveDate,
) -> DomainResult<()> {
    let (row, meeting) = followed(tx, id).await?;
    if !convenes(tx, &meeting) {
        return Err(DomainError::Forbidden);
    }
    let evidence = required_text("evidence", evidence, 1000)?;
    let mut active: coop_resolution::ActiveModel = row.into();
    active.status = Set(ResolutionStatus::Done);
    active.evidence = Set(Some(evidence));
    active.closed_on = Set(Some(today));
    active.update_in(tx.tx()).await?;
    crate::coop::messages::resolution_closed(tx.tx(), id, chrono::Utc::now()).await?;
    let actor = tx.tx().actor_user_id();
    audit::record(
        tx.tx(),
        AuditEvent::new("resolution_closed", id.to_string())
            .actor((!actor.is_nil()).then_some(actor))
            .node(Some(meeting.community_id.unwrap_or(tx.street_id())))
            .detail(serde_json::json!({ "meeting": meeting.id })),
    )
    .await
}
