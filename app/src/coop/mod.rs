//! 共建单位 in the UI: the street registers units, pairs them with its communities and gives each
//! a liaison login; a community sees the units paired with it; a liaison sees their unit.
#[cfg(feature = "ssr")]
mod list;
#[cfg(feature = "ssr")]
mod needs;
#[cfg(feature = "ssr")]
mod projects;
#[cfg(feature = "ssr")]
mod unit;

#[cfg(feature = "ssr")]
pub use list::UnitsPage;
#[cfg(feature = "ssr")]
pub use needs::NeedsPage;
#[cfg(feature = "ssr")]
pub use projects::ProjectsPage;
#[cfg(feature = "ssr")]
pub use unit::UnitPage;

use leptos::prelude::*;

use crate::error::AppError;

/// Name of the forms on the unit pages (their error comes back in the flash).
pub const COOP_FORM: &str = "coop";

/// The caller's scope on the co-construction space of the street `node` is or belongs to.
#[cfg(feature = "ssr")]
pub(crate) async fn coop_scope(
    node: &str,
) -> Result<(crate::state::AppState, domain::coop::CoopScope), AppError> {
    use crate::error::fail;
    let state = crate::state::app_state()?;
    let principal = crate::state::principal().await?;
    let id = domain::validate::parse_id(node).map_err(fail)?;
    let scope = principal.coop_scope(&state.db, id).await.map_err(fail)?;
    Ok((state, scope))
}

/// Registers a unit (`unit` empty) or changes one. Street staff.
#[server(endpoint = "coop/unit")]
#[allow(clippy::too_many_arguments)]
pub async fn save_unit(
    street: String,
    unit: String,
    name: String,
    kind: String,
    party_org: String,
    liaison_name: String,
    liaison_phone: String,
    staff_count: String,
    member_count: String,
) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::{redirect, set_flash, Flash};
    use domain::coop::{self, UnitInput};
    let (state, scope) = coop_scope(&street).await?;
    let unit_id = match unit.trim() {
        "" => None,
        id => Some(domain::validate::parse_id(id).map_err(fail)?),
    };
    let input = UnitInput {
        name,
        kind,
        party_org,
        liaison_name,
        liaison_phone,
        staff_count,
        member_count,
    };
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let base = format!("/org/{}/units", scope.street_id());
    match coop::save_unit(&tx, unit_id, &input).await {
        Ok(id) => {
            tx.commit().await.map_err(fail)?;
            redirect(&format!("{base}/{id}?saved=1"));
            Ok(())
        }
        Err(err @ domain::DomainError::Invalid { .. }) => {
            drop(tx);
            let values = [
                ("name", input.name),
                ("kind", input.kind),
                ("party_org", input.party_org),
                ("liaison_name", input.liaison_name),
                ("liaison_phone", input.liaison_phone),
                ("staff_count", input.staff_count),
                ("member_count", input.member_count),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
            set_flash(Flash {
                form: COOP_FORM.into(),
                values,
                error: err.into(),
            })
            .await?;
            match unit_id {
                Some(id) => redirect(&format!("{base}/{id}#edit")),
                None => redirect(&format!("{base}#new")),
            }
            Ok(())
        }
        Err(err) => Err(fail(err)),
    }
}

/// Pairs a unit with a community of the street (`action` = `pair`) or ends the pairing.
#[server(endpoint = "coop/pairing")]
pub async fn change_pairing(
    street: String,
    unit: String,
    community: String,
    action: String,
) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::finish_form;
    let (state, scope) = coop_scope(&street).await?;
    let unit_id = domain::validate::parse_id(&unit).map_err(fail)?;
    let community_id = uuid::Uuid::parse_str(community.trim()).map_err(|_| {
        fail(AppError::Invalid {
            field: "community".into(),
            reason: "required".into(),
        })
    })?;
    let today = chrono::Local::now().date_naive();
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = match action.as_str() {
        "pair" => domain::coop::pair(&tx, unit_id, community_id, today).await,
        "unpair" => domain::coop::unpair(&tx, unit_id, community_id).await,
        _ => Err(domain::DomainError::invalid("action", "not_in_list")),
    };
    let page = format!("/org/{}/units/{unit_id}", scope.street_id());
    finish_form(
        tx,
        result,
        &format!("{page}?saved=1#pairings"),
        COOP_FORM,
        Default::default(),
        &format!("{page}#pairings"),
    )
    .await
}

/// Creates the liaison's login for a unit. Street staff.
#[server(endpoint = "coop/liaison")]
pub async fn create_liaison(
    street: String,
    unit: String,
    login_name: String,
    password: String,
) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::{redirect, set_flash, Flash};
    let (state, scope) = coop_scope(&street).await?;
    let unit_id = domain::validate::parse_id(&unit).map_err(fail)?;
    let page = format!("/org/{}/units/{unit_id}", scope.street_id());
    let created =
        domain::coop::create_liaison_account(&state.db, &scope, unit_id, &login_name, &password)
            .await;
    match created {
        Ok(_) => {
            redirect(&format!("{page}?saved=1#liaison"));
            Ok(())
        }
        Err(err @ domain::DomainError::Invalid { .. }) => {
            let values = [("login_name".to_owned(), login_name)]
                .into_iter()
                .collect();
            set_flash(Flash {
                form: COOP_FORM.into(),
                values,
                error: err.into(),
            })
            .await?;
            redirect(&format!("{page}#liaison"));
            Ok(())
        }
        Err(err) => Err(fail(err)),
    }
}

/// Adds an agreement of a unit with the street or a paired community.
#[server(endpoint = "coop/agreement")]
pub async fn add_agreement(
    node: String,
    unit: String,
    community: Option<String>,
    title: String,
    starts_on: String,
    ends_on: String,
    commitments: String,
) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::finish_form;
    use domain::coop::AgreementInput;
    let (state, scope) = coop_scope(&node).await?;
    let unit_id = domain::validate::parse_id(&unit).map_err(fail)?;
    let input = AgreementInput {
        community: community.unwrap_or_default(),
        title,
        starts_on,
        ends_on,
        commitments,
    };
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = domain::coop::add_agreement(&tx, unit_id, &input)
        .await
        .map(|_| ());
    let node_id = domain::validate::parse_id(&node).map_err(fail)?;
    let page = format!("/org/{node_id}/units/{unit_id}");
    let values = [
        ("title", input.title),
        ("starts_on", input.starts_on),
        ("ends_on", input.ends_on),
        ("commitments", input.commitments),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    finish_form(
        tx,
        result,
        &format!("{page}?saved=1#agreements"),
        COOP_FORM,
        values,
        &format!("{page}#agreements"),
    )
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
    use crate::error::fail;
    use crate::state::finish_form;
    let (state, scope) = coop_scope(&node).await?;
    let unit_id = domain::validate::parse_id(&unit).map_err(fail)?;
    let commitment_id = domain::validate::parse_id(&commitment).map_err(fail)?;
    let today = chrono::Local::now().date_naive();
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = domain::coop::set_commitment_done(&tx, commitment_id, done == "1", today).await;
    let node_id = domain::validate::parse_id(&node).map_err(fail)?;
    let page = format!("/org/{node_id}/units/{unit_id}#agreements");
    finish_form(tx, result, &page, COOP_FORM, Default::default(), &page).await
}

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
    let (state, scope) = coop_scope(&node).await?;
    let node_id = domain::validate::parse_id(&node).map_err(fail)?;
    let input = NeedInput {
        title,
        category,
        urgency,
        detail,
        wish: wish.is_some(),
        requester_name,
        requester_phone,
    };
    let today = chrono::Local::now().date_naive();
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
    let (state, scope) = coop_scope(&node).await?;
    let node_id = domain::validate::parse_id(&node).map_err(fail)?;
    let need_id = domain::validate::parse_id(&need).map_err(fail)?;
    let today = chrono::Local::now().date_naive();
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

/// Adds (`resource` empty) or changes a resource a unit offers: its liaison, or the street.
#[server(endpoint = "coop/resource")]
#[allow(clippy::too_many_arguments)]
pub async fn save_resource(
    node: String,
    unit: String,
    resource: String,
    kind: String,
    name: String,
    quantity: String,
    availability: String,
    active: Option<String>,
) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::finish_form;
    use domain::coop::ResourceInput;
    let (state, scope) = coop_scope(&node).await?;
    let node_id = domain::validate::parse_id(&node).map_err(fail)?;
    let unit_id = domain::validate::parse_id(&unit).map_err(fail)?;
    let resource_id = match resource.trim() {
        "" => None,
        id => Some(domain::validate::parse_id(id).map_err(fail)?),
    };
    let input = ResourceInput {
        kind,
        name,
        quantity,
        availability,
        active: active.is_some(),
    };
    let today = chrono::Local::now().date_naive();
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = domain::coop::save_resource(&tx, unit_id, resource_id, &input, today)
        .await
        .map(|_| ());
    let page = format!("/org/{node_id}/units/{unit_id}");
    finish_form(
        tx,
        result,
        &format!("{page}?saved=1#resources"),
        COOP_FORM,
        Default::default(),
        &format!("{page}#resources"),
    )
    .await
}

/// Plans a project: a need matched to resources, with an owner unit (street or community staff).
#[server(endpoint = "projects/create")]
#[allow(clippy::too_many_arguments)]
pub async fn create_project(
    node: String,
    need: String,
    title: String,
    owner_unit: String,
    lead_person: String,
    deadline: String,
    resources: Option<Vec<String>>,
) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::finish_form;
    use domain::coop::ProjectInput;
    let (state, scope) = coop_scope(&node).await?;
    let node_id = domain::validate::parse_id(&node).map_err(fail)?;
    let input = ProjectInput {
        need,
        title,
        owner_unit,
        lead_person,
        deadline,
        resources: resources.unwrap_or_default(),
    };
    let today = chrono::Local::now().date_naive();
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = domain::coop::create_project(&tx, &input, today)
        .await
        .map(|_| ());
    let page = format!("/org/{node_id}/projects");
    let values = [
        ("need", input.need),
        ("title", input.title),
        ("owner_unit", input.owner_unit),
        ("lead_person", input.lead_person),
        ("deadline", input.deadline),
        ("resources", input.resources.join(",")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
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

/// Reports a project's status, outcome and how many people it served (planner or owner unit).
#[server(endpoint = "projects/update")]
pub async fn update_project(
    node: String,
    project: String,
    status: String,
    outcome: String,
    beneficiaries: String,
) -> Result<(), AppError> {
    use crate::error::fail;
    use crate::state::finish_form;
    let (state, scope) = coop_scope(&node).await?;
    let node_id = domain::validate::parse_id(&node).map_err(fail)?;
    let project_id = domain::validate::parse_id(&project).map_err(fail)?;
    let today = chrono::Local::now().date_naive();
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result =
        domain::coop::update_project(&tx, project_id, &status, &outcome, &beneficiaries, today)
            .await;
    let page = format!("/org/{node_id}/projects");
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
