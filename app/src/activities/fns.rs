//! Form endpoints for activities. Each authorises in the domain through the caller's scope on
//! the community; a refused form comes back with its error (and what was typed) in the flash.
use leptos::prelude::*;

use crate::error::AppError;

/// Runs `act` in a write transaction on the community `node` (staff or member), then goes to
/// the path `act` returns, or back to `back` with the refusal in `form`'s flash. Both paths
/// are relative to the community's `/org/{id}`.
#[cfg(feature = "ssr")]
pub(crate) async fn on_community(
    node: &str,
    form: &str,
    back: &str,
    values: std::collections::HashMap<String, String>,
    act: impl AsyncFnOnce(
        &domain::tenancy::TenantTx,
        chrono::DateTime<chrono::Utc>,
    ) -> domain::DomainResult<String>,
) -> Result<(), AppError> {
    use super::activity_scope;
    use crate::error::fail;
    use crate::state::finish_form;
    let (state, scope, node_id) = activity_scope(node).await?;
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = act(&tx, chrono::Utc::now()).await;
    let base = format!("/org/{node_id}");
    let done = match &result {
        Ok(to) => format!("{base}{to}"),
        Err(_) => String::new(),
    };
    finish_form(
        tx,
        result.map(|_| ()),
        &done,
        form,
        values,
        &format!("{base}{back}"),
    )
    .await
}

/// `on_community` for the activity pages (paths relative to the community's activities).
#[cfg(feature = "ssr")]
async fn on_activities(
    node: &str,
    page: &str,
    values: std::collections::HashMap<String, String>,
    act: impl AsyncFnOnce(
        &domain::tenancy::TenantTx,
        chrono::DateTime<chrono::Utc>,
    ) -> domain::DomainResult<String>,
) -> Result<(), AppError> {
    on_community(
        node,
        super::ACTIVITY_FORM,
        &format!("/activities{page}"),
        values,
        async |tx, now| act(tx, now).await.map(|to| format!("/activities{to}")),
    )
    .await
}

/// Publishes an activity (empty `activity`) or changes one (the community's staff). The fields
/// come as `input[title]`, `input[starts_at]`… (the names of `ActivityInput`).
#[server(endpoint = "activities/save")]
pub async fn save_activity(
    node: String,
    activity: String,
    input: std::collections::HashMap<String, String>,
) -> Result<(), AppError> {
    let id = match activity.trim() {
        "" => None,
        id => Some(domain::validate::parse_id(id).map_err(crate::error::fail)?),
    };
    // Unknown names are ignored and missing ones are empty: the domain checks every field.
    let typed: domain::activities::ActivityInput = serde_json::to_value(&input)
        .and_then(serde_json::from_value)
        .unwrap_or_default();
    let values = input;
    let input = typed;
    let back = match id {
        Some(id) => format!("/{id}#edit"),
        None => "#new".to_owned(),
    };
    on_activities(&node, &back, values, async |tx, now| {
        let id = domain::activities::save_activity(tx, id, &input, now).await?;
        Ok(format!("/{id}?saved=1"))
    })
    .await
}

/// Cancels an activity; its members see it cancelled.
#[server(endpoint = "activities/cancel")]
pub async fn cancel_activity(node: String, activity: String) -> Result<(), AppError> {
    let id = domain::validate::parse_id(&activity).map_err(crate::error::fail)?;
    on_activities(
        &node,
        &format!("/{id}"),
        Default::default(),
        async |tx, now| {
            domain::activities::cancel_activity(tx, id, now).await?;
            Ok(format!("/{id}?saved=1"))
        },
    )
    .await
}

/// A member signs up (`join`) or cancels their signup (`leave`).
#[server(endpoint = "activities/signup")]
pub async fn sign_up(node: String, activity: String, action: String) -> Result<(), AppError> {
    let id = domain::validate::parse_id(&activity).map_err(crate::error::fail)?;
    on_activities(
        &node,
        &format!("/{id}"),
        Default::default(),
        async |tx, now| {
            match action.as_str() {
                "join" => domain::activities::sign_up(tx, id, now).await.map(|_| ()),
                "leave" => domain::activities::cancel_signup(tx, id, now).await,
                _ => Err(domain::DomainError::invalid("action", "not_in_list")),
            }?;
            Ok(format!("/{id}?saved=1"))
        },
    )
    .await
}

/// 代报名: staff sign a member up.
#[server(endpoint = "activities/sign_up_for")]
pub async fn sign_up_for(node: String, activity: String, member: String) -> Result<(), AppError> {
    let id = domain::validate::parse_id(&activity).map_err(crate::error::fail)?;
    let member = domain::validate::parse_id(&member).map_err(crate::error::fail)?;
    on_activities(
        &node,
        &format!("/{id}#signups"),
        Default::default(),
        async |tx, now| {
            domain::activities::sign_up_for(tx, id, member, now).await?;
            Ok(format!("/{id}?saved=1#signups"))
        },
    )
    .await
}

/// Staff take a member's signup back; the first in line moves up.
#[server(endpoint = "activities/withdraw")]
pub async fn withdraw(node: String, activity: String, signup: String) -> Result<(), AppError> {
    let id = domain::validate::parse_id(&activity).map_err(crate::error::fail)?;
    let signup = domain::validate::parse_id(&signup).map_err(crate::error::fail)?;
    on_activities(
        &node,
        &format!("/{id}#signups"),
        Default::default(),
        async |tx, now| {
            domain::activities::withdraw(tx, signup, now).await?;
            Ok(format!("/{id}?saved=1#signups"))
        },
    )
    .await
}

/// A member checks in with the code on the organiser's screen. A wrong code is counted (and
/// kept) even though the member is told it was wrong.
#[server(endpoint = "activities/check_in")]
pub async fn check_in(node: String, activity: String, code: String) -> Result<(), AppError> {
    use super::{activity_scope, ACTIVITY_FORM};
    use crate::error::fail;
    use crate::state::{finish_form, redirect, set_flash, Flash};
    use domain::activities::CheckIn;
    use domain::DomainError;
    let (state, scope, node_id) = activity_scope(&node).await?;
    let id = domain::validate::parse_id(&activity).map_err(fail)?;
    let page = format!("/org/{node_id}/activities/{id}");
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let outcome = domain::activities::check_in(&tx, id, &code, chrono::Utc::now()).await;
    let refused = match outcome {
        Ok(CheckIn::Done) => None,
        Ok(CheckIn::WrongCode { .. }) => Some(DomainError::invalid("check_in_code", "wrong")),
        Ok(CheckIn::Locked { .. }) => Some(DomainError::invalid("check_in", "locked")),
        Err(err) => {
            return finish_form(tx, Err(err), "", ACTIVITY_FORM, Default::default(), &page).await
        }
    };
    tx.commit().await.map_err(fail)?;
    match refused {
        None => redirect(&format!("{page}?saved=1")),
        Some(err) => {
            set_flash(Flash {
                form: ACTIVITY_FORM.into(),
                values: Default::default(),
                error: err.into(),
            })
            .await?;
            redirect(&page);
        }
    }
    Ok(())
}

/// The organiser marks a signup `attended`, `no_show` or `excused`.
#[server(endpoint = "activities/attendance")]
pub async fn mark_attendance(
    node: String,
    activity: String,
    signup: String,
    mark: String,
) -> Result<(), AppError> {
    let id = domain::validate::parse_id(&activity).map_err(crate::error::fail)?;
    let signup = domain::validate::parse_id(&signup).map_err(crate::error::fail)?;
    on_activities(
        &node,
        &format!("/{id}#signups"),
        Default::default(),
        async |tx, now| {
            domain::activities::mark_attendance(tx, signup, &mark, now).await?;
            Ok(format!("/{id}?saved=1#signups"))
        },
    )
    .await
}

/// After the activity: everyone confirmed and not marked is recorded absent.
#[server(endpoint = "activities/finish")]
pub async fn finish_attendance(node: String, activity: String) -> Result<(), AppError> {
    let id = domain::validate::parse_id(&activity).map_err(crate::error::fail)?;
    on_activities(
        &node,
        &format!("/{id}#signups"),
        Default::default(),
        async |tx, now| {
            domain::activities::finish_attendance(tx, id, now).await?;
            Ok(format!("/{id}?saved=1#signups"))
        },
    )
    .await
}

/// Sets how often a kind of 三会一课 meeting is due (the secretary or a worker).
#[server(endpoint = "activities/cadence")]
pub async fn set_cadence(node: String, kind: String, months: String) -> Result<(), AppError> {
    let form = super::ACTIVITY_FORM;
    on_community(
        &node,
        form,
        "/compliance",
        Default::default(),
        async |tx, _| {
            domain::activities::set_cadence(tx, &kind, &months).await?;
            Ok("/compliance?saved=1".to_owned())
        },
    )
    .await
}
