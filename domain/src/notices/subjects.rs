//! What a message names, read for its recipient in the tenant that keeps it: a notice as its
//! sender keeps it (a withdrawn one left out), an activity of their community, a joint meeting,
//! resolution or need of their street, their own 双报到 report or proposed change.
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ColumnTrait;
use uuid::Uuid;

use super::inbox::{About, ActivityBrief};
use crate::entities::{
    activity, coop_meeting, coop_need, coop_resolution, member_proposal, member_report, notice,
};
use crate::error::DomainResult;
use crate::kinds::{MessageSubject, ResolutionStatus};
use crate::tenancy::TenantTx;

/// A message's subject as its page shows it.
pub(super) struct Subject {
    pub title: String,
    /// The name of the node that keeps it.
    pub from: String,
    /// When a notice was sent (the rest: when the message was written).
    pub sent_at: Option<DateTime<Utc>>,
    pub confirm_by: Option<NaiveDate>,
    pub body: String,
    pub about: About,
}

impl Subject {
    /// A subject that is not a notice.
    fn about(title: String, from: &str, about: About) -> Subject {
        Subject {
            title,
            from: from.to_owned(),
            sent_at: None,
            confirm_by: None,
            body: String::new(),
            about,
        }
    }
}

/// The subjects of `kind` among `ids`, read in `tx`'s tenant (the one that keeps them, whose
/// name is `from`), by id.
pub(super) async fn read(
    tx: &TenantTx,
    kind: MessageSubject,
    ids: Vec<Uuid>,
    from: &str,
) -> DomainResult<Vec<(Uuid, Subject)>> {
    Ok(match kind {
        MessageSubject::Notice => tx
            .find::<notice::Entity>()
            .filter(notice::Column::Id.is_in(ids))
            .filter(notice::Column::WithdrawnAt.is_null())
            .all(tx)
            .await?
            .into_iter()
            .map(|n| {
                let subject = Subject {
                    title: n.title,
                    from: from.to_owned(),
                    sent_at: Some(n.sent_at),
                    confirm_by: n.confirm_by,
                    body: n.body,
                    about: About::Notice,
                };
                (n.id, subject)
            })
            .collect(),
        MessageSubject::Activity => tx
            .find::<activity::Entity>()
            .filter(activity::Column::Id.is_in(ids))
            .all(tx)
            .await?
            .into_iter()
            .map(|a| {
                let brief = ActivityBrief {
                    id: a.id,
                    starts_at: a.starts_at,
                    ends_at: a.ends_at,
                    venue: a.venue,
                    cancelled: a.cancelled_at.is_some(),
                };
                let subject = Subject::about(a.title, from, About::Activity(brief));
                (a.id, subject)
            })
            .collect(),
        MessageSubject::Meeting => tx
            .find::<coop_meeting::Entity>()
            .filter(coop_meeting::Column::Id.is_in(ids))
            .all(tx)
            .await?
            .into_iter()
            .map(|m| {
                let about = About::Meeting {
                    id: m.id,
                    held_on: m.held_on,
                    starts_at: m.starts_at,
                    venue: m.venue,
                };
                (m.id, Subject::about(m.title, from, about))
            })
            .collect(),
        MessageSubject::Resolution => tx
            .find::<coop_resolution::Entity>()
            .filter(coop_resolution::Column::Id.is_in(ids))
            .all(tx)
            .await?
            .into_iter()
            .map(|r| {
                let about = About::Resolution {
                    due_on: r.due_on,
                    done: r.status == ResolutionStatus::Done,
                };
                (r.id, Subject::about(r.content, from, about))
            })
            .collect(),
        MessageSubject::Need => tx
            .find::<coop_need::Entity>()
            .filter(coop_need::Column::Id.is_in(ids))
            .all(tx)
            .await?
            .into_iter()
            .map(|n| (n.id, Subject::about(n.title, from, About::Need)))
            .collect(),
        MessageSubject::Report => tx
            .find::<member_report::Entity>()
            .filter(member_report::Column::Id.is_in(ids))
            .all(tx)
            .await?
            .into_iter()
            .map(|r| {
                let about = About::Report { reason: r.reason };
                (r.id, Subject::about(String::new(), from, about))
            })
            .collect(),
        MessageSubject::Proposal => tx
            .find::<member_proposal::Entity>()
            .filter(member_proposal::Column::Id.is_in(ids))
            .all(tx)
            .await?
            .into_iter()
            .map(|p| {
                let about = About::Proposal { reason: p.reason };
                (p.id, Subject::about(String::new(), from, about))
            })
            .collect(),
    })
}
