//! Form endpoints for activities. Each authorises in the domain through the caller's scope on
//! the community; a refused form comes back with its error (and what was typed) in the flash.
use domain::activities::{self, ActivityInput};
use domain::tenancy::Commit;
use domain::DomainError;
use leptos::prelude::*;

use super::ACTIVITY_FORM;
use crate::error::AppError;
use crate::form::{id, Form};
use crate::page::Activities;
use crate::routes;

/// Publishes an activity (empty `activity`) or changes one (the community's staff).
#[server(endpoint = "activities/save")]
pub async fn save_activity(
    node: String,
    activity: String,
    #[server(flatten)] input: ActivityInput,
) -> Result<(), AppError> {
    Form::on(&node, ACTIVITY_FORM)?
        .save::<Activities>(
            &activity,
            routes::activities,
            routes::activity,
            &input,
            async |tx, id| activities::save_activity(tx, id, &input, chrono::Utc::now()).await,
        )
        .await
}

/// Cancels an activity; its members see it cancelled.
#[server(endpoint = "activities/cancel")]
pub async fn cancel_activity(node: String, activity: String) -> Result<(), AppError> {
    let form = Form::on(&node, ACTIVITY_FORM)?;
    let id = id(&activity)?;
    let page = routes::activity(form.node, id);
    form.back(page.clone())
        .submit::<Activities>(async |tx| {
            activities::cancel_activity(tx, id, chrono::Utc::now()).await?;
            Ok(page.saved())
        })
        .await
}

/// A member signs up (`join`) or cancels their signup (`leave`).
#[server(endpoint = "activities/signup")]
pub async fn sign_up(node: String, activity: String, action: String) -> Result<(), AppError> {
    let form = Form::on(&node, ACTIVITY_FORM)?;
    let id = id(&activity)?;
    let page = routes::activity(form.node, id);
    form.back(page.clone())
        .submit::<Activities>(async |tx| {
            let now = chrono::Utc::now();
            match action.as_str() {
                "join" => activities::sign_up(tx, id, now).await.map(|_| ()),
                "leave" => activities::cancel_signup(tx, id, now).await,
                _ => Err(DomainError::invalid("action", "not_in_list")),
            }?;
            Ok(page.saved())
        })
        .await
}

/// 代报名: staff sign a member up.
#[server(endpoint = "activities/sign_up_for")]
pub async fn sign_up_for(node: String, activity: String, member: String) -> Result<(), AppError> {
    let (id, member) = (id(&activity)?, id(&member)?);
    on_signups(&node, id, async |tx| {
        activities::sign_up_for(tx, id, member, chrono::Utc::now())
            .await
            .map(|_| ())
    })
    .await
}

/// Staff take a member's signup back; the first in line moves up.
#[server(endpoint = "activities/withdraw")]
pub async fn withdraw(node: String, activity: String, signup: String) -> Result<(), AppError> {
    let signup = id(&signup)?;
    on_signups(&node, id(&activity)?, async |tx| {
        activities::withdraw(tx, signup, chrono::Utc::now()).await
    })
    .await
}

/// The organiser marks a signup `attended`, `no_show` or `excused`.
#[server(endpoint = "activities/attendance")]
pub async fn mark_attendance(
    node: String,
    activity: String,
    signup: String,
    mark: String,
) -> Result<(), AppError> {
    let signup = id(&signup)?;
    on_signups(&node, id(&activity)?, async |tx| {
        activities::mark_attendance(tx, signup, &mark, chrono::Utc::now()).await
    })
    .await
}

/// After the activity: everyone confirmed and not marked is recorded absent.
#[server(endpoint = "activities/finish")]
pub async fn finish_attendance(node: String, activity: String) -> Result<(), AppError> {
    let id = id(&activity)?;
    on_signups(&node, id, async |tx| {
        activities::finish_attendance(tx, id, chrono::Utc::now())
            .await
            .map(|_| ())
    })
    .await
}

/// A write on an activity's signup list, back to that list.
async fn on_signups(
    node: &str,
    activity: uuid::Uuid,
    act: impl AsyncFnOnce(&domain::tenancy::TenantTx) -> domain::DomainResult<()>,
) -> Result<(), AppError> {
    let form = Form::on(node, ACTIVITY_FORM)?;
    let page = routes::activity(form.node, activity);
    form.back(page.clone().at("signups"))
        .submit::<Activities>(async |tx| {
            act(tx).await?;
            Ok(page.saved().at("signups"))
        })
        .await
}

/// A member checks in with the code on the organiser's screen. A wrong code is counted (and
/// kept) even though the member is told it was wrong.
#[server(endpoint = "activities/check_in")]
pub async fn check_in(node: String, activity: String, code: String) -> Result<(), AppError> {
    let form = Form::on(&node, ACTIVITY_FORM)?;
    let id = id(&activity)?;
    let page = routes::activity(form.node, id);
    let (state, access) = form.grant::<Activities>().await?;
    let tx = access.0.write(&state.db).await?;
    let outcome = activities::check_in(&tx, id, &code, chrono::Utc::now()).await;
    // The attempt is committed whatever the code was: wrong codes count towards the lock.
    let result = match outcome {
        Ok(checked) => {
            tx.commit().await?;
            match checked {
                activities::CheckIn::Done => Ok(page.clone().saved()),
                activities::CheckIn::WrongCode { .. } => {
                    Err(DomainError::invalid("check_in_code", "wrong"))
                }
                activities::CheckIn::Locked { .. } => {
                    Err(DomainError::invalid("check_in", "locked"))
                }
            }
        }
        Err(err) => {
            // Rolled back now: SQLite's write turn is not held while the answer is made.
            drop(tx);
            Err(err)
        }
    };
    form.back(page).finish(result).await
}

/// Sets how often a kind of 三会一课 meeting is due (the secretary or a worker).
#[server(endpoint = "activities/cadence")]
pub async fn set_cadence(node: String, kind: String, months: String) -> Result<(), AppError> {
    let form = Form::on(&node, ACTIVITY_FORM)?;
    let page = routes::compliance(form.node);
    form.back(page.clone())
        .submit::<Activities>(async |tx| {
            activities::set_cadence(tx, &kind, &months).await?;
            Ok(page.saved())
        })
        .await
}

/// Seats a member of a branch on its committee, or changes their post (the community's staff).
#[server(endpoint = "committee/seat")]
pub async fn seat_committee_member(
    node: String,
    branch: String,
    #[server(flatten)] input: activities::SeatInput,
) -> Result<(), AppError> {
    let form = Form::on(&node, ACTIVITY_FORM)?;
    let branch = id(&branch)?;
    let page = routes::compliance(form.node);
    form.back(page.clone().at("committees"))
        .keep_field("since", &input.since)
        .submit::<Activities>(async |tx| {
            activities::seat(tx, branch, &input, domain::clock::today()).await?;
            Ok(page.saved().at("committees"))
        })
        .await
}

/// Takes a member off a branch's committee (the community's staff).
#[server(endpoint = "committee/unseat")]
pub async fn unseat_committee_member(
    node: String,
    branch: String,
    member: String,
) -> Result<(), AppError> {
    let form = Form::on(&node, ACTIVITY_FORM)?;
    let (branch, member) = (id(&branch)?, id(&member)?);
    let page = routes::compliance(form.node);
    form.back(page.clone().at("committees"))
        .submit::<Activities>(async |tx| {
            activities::unseat(tx, branch, member).await?;
            Ok(page.saved().at("committees"))
        })
        .await
}
