//! A member at their community: their seats in activities to come and their waitlist places,
//! notices to confirm, micro-wishes they claimed and have yet to deliver, unread messages.
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Waiting, Work};
use crate::activities;
use crate::auth::Principal;
use crate::coop;
use crate::db::Db;
use crate::error::{DomainError, DomainResult};
use crate::kinds::{NeedStatus, Role, SignupState};
use crate::notices;

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
    let listed = activities::member_activities(db, &scope, now).await?;
    let mine = |state: SignupState| {
        listed
            .iter()
            .filter(|a| !a.cancelled && a.ends_at > now)
            .filter(|a| a.mine.as_ref().is_some_and(|m| m.state == state))
            .count()
    };
    let mut out = vec![
        Waiting::new(Work::MyActivities, mine(SignupState::Confirmed)),
        Waiting::new(Work::MyWaitlist, mine(SignupState::Waitlisted)),
        Waiting::new(
            Work::NoticesToConfirm,
            notices::to_confirm(db, &scope).await?,
        ),
    ];
    if let Ok(coop) = principal.coop_scope(db, community).await {
        let tx = coop.read(db).await?;
        let needs = coop::needs(&tx).await?;
        tx.commit().await?;
        let to_deliver = needs
            .iter()
            .filter(|n| n.mine && n.status == NeedStatus::Claimed)
            .count();
        out.push(Waiting::new(Work::WishesToDeliver, to_deliver));
    }
    out.push(Waiting::new(
        Work::Unread,
        notices::unread(db, &scope).await?,
    ));
    Ok(out)
}
