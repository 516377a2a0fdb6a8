//! Form endpoints for volunteer teams; each authorises in the domain through the caller's
//! scope on the community (staff only there).
use domain::volunteers::{self, TeamInput};
use leptos::prelude::*;

use super::VOLUNTEER_FORM;
use crate::error::AppError;
use crate::form::{id, Form};
use crate::page::Activities;
use crate::routes;

/// Forms a team (empty `team`) or changes one.
#[server(endpoint = "volunteers/save")]
pub async fn save_team(
    node: String,
    team: String,
    #[server(flatten)] input: TeamInput,
) -> Result<(), AppError> {
    Form::on(&node, VOLUNTEER_FORM)?
        .save::<Activities>(
            &team,
            routes::volunteers,
            routes::team,
            &input,
            async |tx, id| volunteers::save_team(tx, id, &input, chrono::Utc::now()).await,
        )
        .await
}

/// Adds a member of the community to a team.
#[server(endpoint = "volunteers/add")]
pub async fn add_team_member(node: String, team: String, member: String) -> Result<(), AppError> {
    let member = id(&member)?;
    on_team(&node, &team, async |tx, team| {
        volunteers::add_member(tx, team, member, chrono::Utc::now()).await
    })
    .await
}

/// Takes a member off a team.
#[server(endpoint = "volunteers/remove")]
pub async fn remove_team_member(
    node: String,
    team: String,
    member: String,
) -> Result<(), AppError> {
    let member = id(&member)?;
    on_team(&node, &team, async |tx, team| {
        volunteers::remove_member(tx, team, member).await
    })
    .await
}

/// A change to a team's members, back to that list.
async fn on_team(
    node: &str,
    team: &str,
    act: impl AsyncFnOnce(&domain::tenancy::TenantTx, uuid::Uuid) -> domain::DomainResult<()>,
) -> Result<(), AppError> {
    let form = Form::on(node, VOLUNTEER_FORM)?;
    let team = id(team)?;
    let page = routes::team(form.node, team);
    form.back(page.clone().at("members"))
        .submit::<Activities>(async |tx| {
            act(tx, team).await?;
            Ok(page.saved().at("members"))
        })
        .await
}
