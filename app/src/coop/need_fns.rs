//! Form endpoints for needs and micro-wishes.
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{coop_scope, COOP_FORM};
use crate::error::AppError;

/// Posts a need or micro-wish of the community (its staff).
#[server(endpoint = "needs/post")]
#[allow(clippy::too_many_arguments)]
pub async fn post_need(
    node: String,
    title: String,
    category: String,
    urgency: String,
    detail: String,
    wish: Option<String>,
    requester_name: String,
    requester_phone: String,
) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::finish_form;
    use domain::coop::NeedInput;
    let (state, scope, node_id) = coop_scope(&node).await?;
    let input = NeedInput {
        title,
        category,
        urgency,
        detail,
        wish: wish.is_some(),
        requester_name,
        requester_phone,
    };
    let today = domain::clock::today();
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = domain::coop::post_need(&tx, &input, today)
        .await
        .map(|_| ());
    let page = format!("/org/{node_id}/needs");
    let mut values: std::collections::HashMap<String, String> = [
        ("title", input.title),
        ("category", input.category),
        ("urgency", input.urgency),
        ("detail", input.detail),
        ("requester_name", input.requester_name),
        ("requester_phone", input.requester_phone),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    if input.wish {
        values.insert("wish".into(), "on".into());
    }
    finish_form(
        tx,
        result,
        &format!("{page}?saved=1"),
        COOP_FORM,
        values,
        &format!("{page}#new"),
    )
    .await
}

/// Moves a need along: `claim` or `deliver` (a member or a unit), `confirm` or `escalate`
/// (the community's staff).
#[server(endpoint = "needs/act")]
pub async fn act_on_need(node: String, need: String, action: String) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::finish_form;
    use domain::coop;
    let (state, scope, node_id) = coop_scope(&node).await?;
    let need_id = domain::validate::parse_id(&need).map_err(fail)?;
    let today = domain::clock::today();
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = match action.as_str() {
        "claim" => coop::claim(&tx, need_id, today).await,
        "deliver" => coop::deliver(&tx, need_id, today).await,
        "confirm" => coop::confirm(&tx, need_id, today).await,
        "escalate" => coop::escalate(&tx, need_id, today).await,
        _ => Err(domain::DomainError::invalid("action", "not_in_list")),
    };
    let page = format!("/org/{node_id}/needs");
    finish_form(
        tx,
        result,
        &format!("{page}?saved=1"),
        COOP_FORM,
        Default::default(),
        &page,
    )
    .await
}

/// Sets how many days a need of the community may stay unclaimed before it is flagged.
#[server(endpoint = "needs/unclaimed_days")]
pub async fn set_unclaimed_days(node: String, days: String) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::finish_form;
    let (state, scope, node_id) = coop_scope(&node).await?;
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = domain::coop::set_unclaimed_days(&tx, &days).await;
    let page = format!("/org/{node_id}/needs");
    finish_form(
        tx,
        result,
        &format!("{page}?saved=1"),
        COOP_FORM,
        Default::default(),
        &format!("{page}#settings"),
    )
    .await
}

/// Session key of a requester's phone number the secretary just revealed: (need, number).
#[cfg(feature = "ssr")]
const REVEALED_REQUESTER_PHONE: &str = "revealed_requester_phone";

/// Shows the community's secretary the full phone number of whoever asked for a need, once;
/// every reveal is in the audit log.
#[server(endpoint = "needs/reveal_phone")]
pub async fn reveal_requester_phone(node: String, need: String) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::{redirect, session};
    let (state, scope, node_id) = coop_scope(&node).await?;
    let need_id = domain::validate::parse_id(&need).map_err(fail)?;
    let phone = domain::coop::reveal_requester_phone(&state.db, &scope, need_id)
        .await
        .map_err(fail)?;
    if let Some(phone) = phone {
        session()
            .await?
            .insert(REVEALED_REQUESTER_PHONE, (need_id, phone))
            .await
            .map_err(|_| fail(AppError::Internal))?;
    }
    redirect(&format!("/org/{node_id}/needs#need-{need_id}"));
    Ok(())
}

/// The requester's number revealed just now, as (need, number), taken out of the session so a
/// reload masks it again.
#[cfg(feature = "ssr")]
pub(crate) async fn take_revealed_requester_phone() -> Option<(uuid::Uuid, String)> {
    let session = crate::state::session().await.ok()?;
    session
        .remove::<(uuid::Uuid, String)>(REVEALED_REQUESTER_PHONE)
        .await
        .ok()
        .flatten()
}
