//! Form endpoints for volunteer teams; each authorises in the domain through the caller's
//! scope on the community (staff only there).
use leptos::prelude::*;

use crate::error::AppError;

/// Forms a team (empty `team`) or changes one. Fields come as `input[name]`,
/// `input[service_area]`, `input[leader]`.
#[server(endpoint = "volunteers/save")]
pub async fn save_team(
    node: String,
    team: String,
    input: std::collections::HashMap<String, String>,
) -> Result<(), AppError> {
    let id = match team.trim() {
        "" => None,
        id => Some(domain::validate::parse_id(id).map_err(crate::error::fail)?),
    };
    // Unknown names are ignored and missing ones are empty: the domain checks every field.
    let typed: domain::volunteers::TeamInput = serde_json::to_value(&input)
        .and_then(serde_json::from_value)
        .unwrap_or_default();
    let back = match id {
        Some(id) => format!("/volunteers/{id}#edit"),
        None => "/volunteers#new".to_owned(),
    };
    crate::activities::on_community(
        &node,
        super::VOLUNTEER_FORM,
        &back,
        input,
        async |tx, now| {
            let id = domain::volunteers::save_team(tx, id, &typed, now).await?;
            Ok(format!("/volunteers/{id}?saved=1"))
        },
    )
    .await
}

/// Adds a member of the community to a team.
#[server(endpoint = "volunteers/add")]
pub async fn add_team_member(node: String, team: String, member: String) -> Result<(), AppError> {
    let team = domain::validate::parse_id(&team).map_err(crate::error::fail)?;
    let member = domain::validate::parse_id(&member).map_err(crate::error::fail)?;
    let back = format!("/volunteers/{team}#members");
    crate::activities::on_community(
        &node,
        super::VOLUNTEER_FORM,
        &back,
        Default::default(),
        async |tx, now| {
            domain::volunteers::add_member(tx, team, member, now).await?;
            Ok(format!("/volunteers/{team}?saved=1#members"))
        },
    )
    .await
}

/// Takes a member off a team.
#[server(endpoint = "volunteers/remove")]
pub async fn remove_team_member(
    node: String,
    team: String,
    member: String,
) -> Result<(), AppError> {
    let team = domain::validate::parse_id(&team).map_err(crate::error::fail)?;
    let member = domain::validate::parse_id(&member).map_err(crate::error::fail)?;
    let back = format!("/volunteers/{team}#members");
    crate::activities::on_community(
        &node,
        super::VOLUNTEER_FORM,
        &back,
        Default::default(),
        async |tx, _| {
            domain::volunteers::remove_member(tx, team, member).await?;
            Ok(format!("/volunteers/{team}?saved=1#members"))
        },
    )
    .await
}
