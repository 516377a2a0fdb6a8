//! Form endpoints of the co-construction space: units (register, pair, the liaison's login,
//! agreements and commitments, resources), needs and micro-wishes, projects. Each authorises in
//! the domain through the caller's co-construction scope.
use domain::clock::today;
use domain::coop::{
    self, AgreementInput, CoopScope, NeedInput, PartnerInput, ProjectInput, ResourceInput,
};
use domain::DomainError;
use leptos::prelude::*;

use super::COOP_FORM;
use crate::error::AppError;
use crate::form::{id, optional_id, Form};
use crate::routes;
use crate::state::{redirect, session};

/// Registers a unit (`unit` empty) or changes one. Street staff.
#[server(endpoint = "coop/unit")]
pub async fn save_partner(
    street: String,
    unit: String,
    #[server(flatten)] input: PartnerInput,
) -> Result<(), AppError> {
    Form::on(&street, COOP_FORM)?
        .save::<CoopScope>(
            &unit,
            routes::units,
            routes::unit,
            &input,
            async |tx, id| coop::save_partner(tx, id, &input).await,
        )
        .await
}

/// Pairs a unit with a community of the street (`action` = `pair`) or ends the pairing.
#[server(endpoint = "coop/pairing")]
pub async fn change_pairing(
    street: String,
    unit: String,
    community: String,
    action: String,
) -> Result<(), AppError> {
    let form = Form::on(&street, COOP_FORM)?;
    let unit = id(&unit)?;
    let community = uuid::Uuid::parse_str(community.trim())
        .map_err(|_| DomainError::invalid("community", "required"))?;
    let page = routes::unit(form.node, unit);
    form.back(page.clone().at("pairings"))
        .submit::<CoopScope>(async |tx| {
            match action.as_str() {
                "pair" => coop::pair(tx, unit, community, today()).await,
                "unpair" => coop::unpair(tx, unit, community).await,
                _ => Err(DomainError::invalid("action", "not_in_list")),
            }?;
            Ok(page.saved().at("pairings"))
        })
        .await
}

/// Creates the liaison's login for a unit. Street staff. The password is never kept.
#[server(endpoint = "coop/liaison")]
pub async fn create_liaison(
    street: String,
    unit: String,
    login_name: String,
    password: String,
) -> Result<(), AppError> {
    let form = Form::on(&street, COOP_FORM)?;
    let unit = id(&unit)?;
    let page = routes::unit(form.node, unit);
    let (state, scope) = form.grant::<CoopScope>().await?;
    let created =
        coop::create_liaison_account(&state.db, &scope, unit, &login_name, &password).await;
    form.back(page.clone().at("liaison"))
        .keep_field("login_name", &login_name)
        .finish(created.map(|_| page.saved().at("liaison")))
        .await
}

/// Adds an agreement of a unit with the street or a paired community.
#[server(endpoint = "coop/agreement")]
pub async fn add_agreement(
    node: String,
    unit: String,
    #[server(flatten)] input: AgreementInput,
) -> Result<(), AppError> {
    let form = Form::on(&node, COOP_FORM)?;
    let unit = id(&unit)?;
    let page = routes::unit(form.node, unit);
    form.back(page.clone().at("agreements"))
        .keep(&input)
        .submit::<CoopScope>(async |tx| {
            coop::add_agreement(tx, unit, &input).await?;
            Ok(page.saved().at("agreements"))
        })
        .await
}

/// Ticks a commitment done (`done` = `1`) or not.
#[server(endpoint = "coop/commitment")]
pub async fn set_commitment(
    node: String,
    unit: String,
    commitment: String,
    done: String,
) -> Result<(), AppError> {
    let form = Form::on(&node, COOP_FORM)?;
    let (unit, commitment) = (id(&unit)?, id(&commitment)?);
    let page = routes::unit(form.node, unit).at("agreements");
    form.back(page.clone())
        .submit::<CoopScope>(async |tx| {
            coop::set_commitment_done(tx, commitment, done == "1", today()).await?;
            Ok(page)
        })
        .await
}

/// Adds (`resource` empty) or changes a resource a unit offers: its liaison, or the street.
#[server(endpoint = "coop/resource")]
pub async fn save_resource(
    node: String,
    unit: String,
    resource: String,
    #[server(flatten)] input: ResourceInput,
) -> Result<(), AppError> {
    let form = Form::on(&node, COOP_FORM)?;
    let (unit, resource) = (id(&unit)?, optional_id(&resource)?);
    let page = routes::unit(form.node, unit);
    form.back(page.clone().at("resources"))
        .submit::<CoopScope>(async |tx| {
            coop::save_resource(tx, unit, resource, &input, today()).await?;
            Ok(page.saved().at("resources"))
        })
        .await
}

/// Posts a need or micro-wish of the community (its staff).
#[server(endpoint = "needs/post")]
pub async fn post_need(node: String, #[server(flatten)] input: NeedInput) -> Result<(), AppError> {
    let form = Form::on(&node, COOP_FORM)?;
    let page = routes::needs(form.node);
    form.back(page.clone().at("new"))
        .keep(&input)
        .submit::<CoopScope>(async |tx| {
            coop::post_need(tx, &input, today()).await?;
            Ok(page.saved())
        })
        .await
}

/// Moves a need along: `claim` or `deliver` (a member or a unit), `confirm` or `escalate`
/// (the community's staff).
#[server(endpoint = "needs/act")]
pub async fn act_on_need(node: String, need: String, action: String) -> Result<(), AppError> {
    let form = Form::on(&node, COOP_FORM)?;
    let need = id(&need)?;
    let page = routes::needs(form.node);
    form.back(page.clone())
        .submit::<CoopScope>(async |tx| {
            let today = today();
            match action.as_str() {
                "claim" => coop::claim(tx, need, today).await,
                "deliver" => coop::deliver(tx, need, today).await,
                "confirm" => coop::confirm(tx, need, today).await,
                "escalate" => coop::escalate(tx, need, today).await,
                _ => Err(DomainError::invalid("action", "not_in_list")),
            }?;
            Ok(page.saved())
        })
        .await
}

/// Sets how many days a need of the community may stay unclaimed before it is flagged.
#[server(endpoint = "needs/unclaimed_days")]
pub async fn set_unclaimed_days(node: String, days: String) -> Result<(), AppError> {
    let form = Form::on(&node, COOP_FORM)?;
    let page = routes::needs(form.node);
    form.back(page.clone().at("settings"))
        .submit::<CoopScope>(async |tx| {
            coop::set_unclaimed_days(tx, &days).await?;
            Ok(page.saved())
        })
        .await
}

/// Session key of a requester's phone number the secretary just revealed: (need, number).
const REVEALED_REQUESTER_PHONE: &str = "revealed_requester_phone";

/// Shows the community's secretary the full phone number of whoever asked for a need, once;
/// every reveal is in the audit log.
#[server(endpoint = "needs/reveal_phone")]
pub async fn reveal_requester_phone(node: String, need: String) -> Result<(), AppError> {
    let form = Form::on(&node, COOP_FORM)?;
    let need = id(&need)?;
    let (state, scope) = form.grant::<CoopScope>().await?;
    if let Some(phone) = coop::reveal_requester_phone(&state.db, &scope, need).await? {
        session()
            .await?
            .insert(REVEALED_REQUESTER_PHONE, (need, phone))
            .await
            .map_err(|_| AppError::Internal)?;
    }
    redirect(
        &routes::needs(form.node)
            .at(&format!("need-{need}"))
            .to_string(),
    );
    Ok(())
}

/// The requester's number revealed just now, as (need, number), taken out of the session so a
/// reload masks it again.
pub(crate) async fn take_revealed_requester_phone() -> Option<(uuid::Uuid, String)> {
    crate::state::take(REVEALED_REQUESTER_PHONE).await
}

/// Plans a project: a need matched to resources, with an owner unit (street or community staff).
#[server(endpoint = "projects/create")]
pub async fn create_project(
    node: String,
    #[server(flatten)] input: ProjectInput,
) -> Result<(), AppError> {
    let form = Form::on(&node, COOP_FORM)?;
    let page = routes::projects(form.node);
    form.back(page.clone().at("new"))
        .keep(&input)
        .submit::<CoopScope>(async |tx| {
            coop::create_project(tx, &input, today()).await?;
            Ok(page.saved())
        })
        .await
}

/// Reports a project's status, outcome and how many people it served (planner or owner unit).
#[server(endpoint = "projects/update")]
pub async fn update_project(
    node: String,
    project: String,
    status: String,
    outcome: String,
    beneficiaries: String,
) -> Result<(), AppError> {
    let form = Form::on(&node, COOP_FORM)?;
    let project = id(&project)?;
    let page = routes::projects(form.node);
    form.back(page.clone())
        .submit::<CoopScope>(async |tx| {
            coop::update_project(tx, project, &status, &outcome, &beneficiaries, today()).await?;
            Ok(page.saved())
        })
        .await
}
