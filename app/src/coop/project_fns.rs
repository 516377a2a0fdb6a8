//! Form endpoints for projects.
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{coop_scope, COOP_FORM};
use crate::error::AppError;

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
    let (state, scope, node_id) = coop_scope(&node).await?;
    let input = ProjectInput {
        need,
        title,
        owner_unit,
        lead_person,
        deadline,
        resources: resources.unwrap_or_default(),
    };
    let today = domain::clock::today();
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
    let (state, scope, node_id) = coop_scope(&node).await?;
    let project_id = domain::validate::parse_id(&project).map_err(fail)?;
    let today = domain::clock::today();
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
