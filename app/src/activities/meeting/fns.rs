//! Form endpoints of a meeting's record. Each authorises in the domain through the caller's
//! scope on the community (organisers write the record; a member asks for their own leave).
use domain::activities::{self, MinutesInput};
use domain::DomainError;
use leptos::prelude::*;

use crate::activities::ACTIVITY_FORM;
use crate::error::AppError;
use crate::form::{id, Form};
use crate::page::Activities;
use crate::routes;

/// Saves the minutes: host, recorder, topic and what was said.
#[server(endpoint = "meetings/record/minutes")]
pub async fn save_meeting_minutes(
    node: String,
    activity: String,
    #[server(flatten)] input: MinutesInput,
) -> Result<(), AppError> {
    let form = Form::on(&node, ACTIVITY_FORM)?;
    let id = id(&activity)?;
    let page = routes::meeting_record(form.node, id);
    let kept = MinutesInput {
        host: input.host.chars().take(20).collect(),
        recorder: input.recorder.chars().take(20).collect(),
        topic: input.topic.chars().take(200).collect(),
        minutes: input
            .minutes
            .chars()
            .take(activities::MINUTES_MAX)
            .collect(),
    };
    form.back(page.clone().at("minutes"))
        .keep(&kept)
        .submit::<Activities>(async |tx| {
            activities::save_minutes(tx, id, &input, chrono::Utc::now()).await?;
            Ok(page.saved().at("minutes"))
        })
        .await
}

/// Marks a person on the roll 实到 (`attended`), 请假 (`excused`) or 缺席 (`no_show`).
#[server(endpoint = "meetings/record/mark")]
pub async fn mark_roll(
    node: String,
    activity: String,
    member: String,
    mark: String,
) -> Result<(), AppError> {
    let (id, member) = (id(&activity)?, id(&member)?);
    on_roll(&node, id, async |tx| {
        activities::mark_roll(tx, id, member, &mark, chrono::Utc::now()).await
    })
    .await
}

/// Approves (`approve`) or refuses (`refuse`) a member's leave.
#[server(endpoint = "meetings/record/leave")]
pub async fn decide_leave(
    node: String,
    activity: String,
    member: String,
    decision: String,
) -> Result<(), AppError> {
    let (id, member) = (id(&activity)?, id(&member)?);
    on_roll(&node, id, async |tx| {
        let approve = match decision.as_str() {
            "approve" => true,
            "refuse" => false,
            _ => return Err(DomainError::invalid("decision", "not_in_list")),
        };
        activities::decide_leave(tx, id, member, approve, chrono::Utc::now()).await
    })
    .await
}

/// After the meeting: everyone on the roll not marked is 请假 (leave approved) or 缺席.
#[server(endpoint = "meetings/record/finish")]
pub async fn finish_roll(node: String, activity: String) -> Result<(), AppError> {
    let id = id(&activity)?;
    on_roll(&node, id, async |tx| {
        activities::finish_attendance(tx, id, chrono::Utc::now())
            .await
            .map(|_| ())
    })
    .await
}

/// A write on a meeting's roll, back to it.
async fn on_roll(
    node: &str,
    activity: uuid::Uuid,
    act: impl AsyncFnOnce(&domain::tenancy::TenantTx) -> domain::DomainResult<()>,
) -> Result<(), AppError> {
    let form = Form::on(node, ACTIVITY_FORM)?;
    let page = routes::meeting_record(form.node, activity);
    form.back(page.clone().at("roll"))
        .submit::<Activities>(async |tx| {
            act(tx).await?;
            Ok(page.saved().at("roll"))
        })
        .await
}

/// A member on a meeting's roll asks for leave, with a reason.
#[server(endpoint = "meetings/leave")]
pub async fn ask_leave(node: String, activity: String, reason: String) -> Result<(), AppError> {
    let form = Form::on(&node, ACTIVITY_FORM)?;
    let id = id(&activity)?;
    let page = routes::activity(form.node, id);
    form.back(page.clone().at("leave"))
        .keep_field("reason", &reason.chars().take(200).collect::<String>())
        .submit::<Activities>(async |tx| {
            activities::ask_leave(tx, id, &reason, chrono::Utc::now()).await?;
            Ok(page.saved().at("leave"))
        })
        .await
}

/// A member withdraws their leave request from a meeting (plans changed: they will come).
#[server(endpoint = "meetings/leave/withdraw")]
pub async fn withdraw_leave(node: String, activity: String) -> Result<(), AppError> {
    let form = Form::on(&node, ACTIVITY_FORM)?;
    let id = id(&activity)?;
    let page = routes::activity(form.node, id);
    form.back(page.clone().at("leave"))
        .submit::<Activities>(async |tx| {
            activities::withdraw_leave(tx, id, chrono::Utc::now()).await?;
            Ok(page.saved().at("leave"))
        })
        .await
}

/// Takes a photo off the meeting; its files go once nothing lists them.
#[server(endpoint = "meetings/record/photos/remove")]
pub async fn remove_meeting_photo(
    node: String,
    activity: String,
    photo: String,
) -> Result<(), AppError> {
    use domain::tenancy::Commit;
    let form = Form::on(&node, ACTIVITY_FORM)?;
    let (id, photo) = (id(&activity)?, id(&photo)?);
    let page = routes::meeting_record(form.node, id);
    let (state, access) = form.grant::<Activities>().await?;
    let tx = access.0.write(&state.db).await?;
    let result = match activities::remove_photo(&tx, id, photo).await {
        Ok(hashes) => {
            tx.commit().await?;
            // Leftovers are the sweep's if this fails: the photo is off the record either way.
            if let Err(err) = domain::file_sweep::forget(&state.db, &access.0, hashes).await {
                tracing::warn!(error = %err, "removing a photo's files");
            }
            Ok(page.clone().saved().at("photos"))
        }
        Err(err) => {
            drop(tx);
            Err(err)
        }
    };
    form.back(page.at("photos")).finish(result).await
}
