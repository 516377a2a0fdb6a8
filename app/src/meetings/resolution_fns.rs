//! Form endpoints for resolutions (议定事项): recording one, reporting progress, closing it.
use leptos::prelude::*;

use crate::error::AppError;

/// Records a resolution of a meeting the caller convenes. `owner` is `community:<id>`,
/// `unit:<id>` or `person` (then `person` names them).
#[server(endpoint = "resolutions/add")]
pub async fn add_resolution(
    node: String,
    meeting: String,
    content: String,
    owner: String,
    person: String,
    due_on: String,
) -> Result<(), AppError> {
    use crate::coop::{coop_scope, COOP_FORM};
    use crate::error::fail;
    use crate::state::finish_form;
    use domain::coop::ResolutionInput;
    let (state, scope, node_id) = coop_scope(&node).await?;
    let meeting_id = domain::validate::parse_id(&meeting).map_err(fail)?;
    let (owner_kind, who) = match owner.split_once(':') {
        Some((kind, id)) => (kind.to_owned(), id.to_owned()),
        None => (owner.clone(), person.clone()),
    };
    let input = ResolutionInput {
        content,
        owner_kind,
        owner: who,
        due_on,
    };
    let today = domain::clock::today();
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = domain::coop::add_resolution(&tx, meeting_id, &input, today)
        .await
        .map(|_| ());
    let page = format!("/org/{node_id}/meetings/{meeting_id}");
    let values = [
        ("content", input.content),
        ("owner", owner),
        ("person", person),
        ("due_on", input.due_on),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    finish_form(
        tx,
        result,
        &format!("{page}?saved=1#resolutions"),
        COOP_FORM,
        values,
        &format!("{page}#new-resolution"),
    )
    .await
}

/// `progress` adds a dated note (the owner or the convener); `close` closes it on the evidence
/// in `text` (the convener, 销号). Back to the meeting `back` names, else the follow-up list.
#[server(endpoint = "resolutions/act")]
pub async fn act_on_resolution(
    node: String,
    resolution: String,
    action: String,
    text: String,
    back: String,
) -> Result<(), AppError> {
    use crate::coop::{coop_scope, COOP_FORM};
    use crate::error::fail;
    use crate::state::finish_form;
    let (state, scope, node_id) = coop_scope(&node).await?;
    let id = domain::validate::parse_id(&resolution).map_err(fail)?;
    let today = domain::clock::today();
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = match action.as_str() {
        "progress" => domain::coop::report_progress(&tx, id, &text, today).await,
        "close" => domain::coop::close_resolution(&tx, id, &text, today).await,
        _ => Err(domain::DomainError::invalid("action", "not_in_list")),
    };
    let page = match uuid::Uuid::parse_str(back.trim()) {
        Ok(meeting) => format!("/org/{node_id}/meetings/{meeting}"),
        Err(_) => format!("/org/{node_id}/resolutions"),
    };
    finish_form(
        tx,
        result,
        &format!("{page}?saved=1#r-{id}"),
        COOP_FORM,
        Default::default(),
        &format!("{page}#r-{id}"),
    )
    .await
}
