//! A member at their community: their seats in activities to come and their waitlist places,
//! notices to confirm, micro-wishes they claimed and have yet to deliver, unread messages.
//! Each part kept per person (`Db::kept_personal`) until something is written where it lives:
//! the community (signups, messages) or the street's co-construction space (wishes).
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Waiting, Work};
use crate::activities;
use crate::auth::Principal;
use crate::clock::CHINA;
use crate::coop;
use crate::db::Db;
use crate::error::{DomainError, DomainResult};
use crate::kinds::{NeedStatus, Role, SignupState};
use crate::notices;
use crate::tenancy::recent::NodeRead;

pub async fn member(
    db: &Db,
    principal: &Principal,
    community: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<Vec<Waiting>> {
    let scope = principal.tenant_scope(db, community).await?;
    if scope.role() != Role::Member {
        return Err(DomainError::Forbidden);
    }
    let (day, whom) = (
        now.with_timezone(&CHINA).date_naive(),
        Some((principal.user_id, Role::Member)),
    );
    let here = NodeRead {
        node: community,
        what: "workbench.member",
        whom,
        day,
    };
    let (seats, waitlist, to_confirm) = db
        .kept_personal(here, async {
            let listed = activities::member_activities(db, &scope, now).await?;
            let mine = |state: SignupState| {
                listed
                    .iter()
                    .filter(|a| !a.cancelled && a.ends_at > now)
                    .filter(|a| a.mine.as_ref().is_some_and(|m| m.state == state))
                    .count()
            };
            let seats = mine(SignupState::Confirmed);
            let waitlist = mine(SignupState::Waitlisted);
            Ok((seats, waitlist, notices::to_confirm(db, &scope).await?))
        })
        .await?;
    let mut out = vec![
        Waiting::new(Work::MyActivities, seats),
        Waiting::new(Work::MyWaitlist, waitlist),
        Waiting::new(Work::NoticesToConfirm, to_confirm),
    ];
    if let Ok(coop) = principal.coop_scope(db, community).await {
        let wishes = NodeRead {
            node: coop.street_id(),
            what: "workbench.member.wishes",
            whom,
            day,
        };
        let to_deliver = db
            .kept_personal(wishes, async {
                let tx = coop.read(db).await?;
                let needs = coop::needs(&tx).await?;
                tx.commit().await?;
                Ok(needs
                    .iter()
                    .filter(|n| n.mine && n.status == NeedStatus::Claimed)
                    .count())
            })
            .await?;
        out.push(Waiting::new(Work::WishesToDeliver, to_deliver));
    }
    out.push(super::unread_at(db, principal, community).await?);
    Ok(out)
}
