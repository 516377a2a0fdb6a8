//! Form endpoints for planning and holding a meeting. Each authorises in the domain through the
//! caller's co-construction scope; a refused form comes back with its error in the flash.
use leptos::prelude::*;

use crate::error::AppError;

/// Runs `act` on one meeting in the caller's scope and returns to that meeting's `anchor`
/// (with `values` kept in the flash when it is refused).
#[cfg(feature = "ssr")]
async fn on_meeting(
    node: &str,
    meeting: &str,
    anchor: &str,
    values: std::collections::HashMap<String, String>,
    act: impl AsyncFnOnce(
        &domain::coop::CoopTx,
        uuid::Uuid,
        chrono::NaiveDate,
    ) -> domain::DomainResult<()>,
) -> Result<(), AppError> {
    use crate::coop::{coop_scope, COOP_FORM};
    use crate::error::fail;
    use crate::state::finish_form;
    let (state, scope, node_id) = coop_scope(node).await?;
    let meeting_id = domain::validate::parse_id(meeting).map_err(fail)?;
    let today = domain::clock::today();
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = act(&tx, meeting_id, today).await;
    let page = meeting_page(node_id, meeting);
    finish_form(
        tx,
        result,
        &format!("{page}?saved=1#{anchor}"),
        COOP_FORM,
        values,
        &format!("{page}#{anchor}"),
    )
    .await
}

/// Where a meeting's page is, for redirects.
#[cfg(feature = "ssr")]
fn meeting_page(node: uuid::Uuid, meeting: &str) -> String {
    match uuid::Uuid::parse_str(meeting.trim()) {
        Ok(id) => format!("/org/{node}/meetings/{id}"),
        Err(_) => format!("/org/{node}/meetings"),
    }
}

/// Plans a meeting (empty `meeting`) or changes one the caller convenes.
#[server(endpoint = "meetings/save")]
pub async fn save_meeting(
    node: String,
    meeting: String,
    title: String,
    convener: String,
    held_on: String,
    starts_at: String,
    venue: String,
) -> Result<(), AppError> {
    use crate::coop::{coop_scope, COOP_FORM};
    use crate::error::fail;
    use crate::state::finish_form;
    use domain::coop::MeetingInput;
    let (state, scope, node_id) = coop_scope(&node).await?;
    let id = match meeting.trim() {
        "" => None,
        id => Some(domain::validate::parse_id(id).map_err(fail)?),
    };
    let input = MeetingInput {
        title,
        convener,
        held_on,
        starts_at,
        venue,
    };
    let today = domain::clock::today();
    let tx = scope.write(&state.db).await.map_err(fail)?;
    let result = domain::coop::save_meeting(&tx, id, &input, today).await;
    let done = match &result {
        Ok(id) => format!("/org/{node_id}/meetings/{id}?saved=1"),
        Err(_) => String::new(),
    };
    let values = [
        ("title", input.title),
        ("convener", input.convener),
        ("held_on", input.held_on),
        ("starts_at", input.starts_at),
        ("venue", input.venue),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let back = match id {
        Some(_) => format!("{}#edit", meeting_page(node_id, &meeting)),
        None => format!("/org/{node_id}/meetings#new"),
    };
    finish_form(tx, result.map(|_| ()), &done, COOP_FORM, values, &back).await
}

/// Invites a unit, community or branch (`who` is its id) or a person (`who` is the name).
#[server(endpoint = "meetings/invite")]
pub async fn invite(
    node: String,
    meeting: String,
    kind: String,
    who: String,
) -> Result<(), AppError> {
    on_meeting(
        &node,
        &meeting,
        "invitees",
        Default::default(),
        async |tx, id, _| domain::coop::invite(tx, id, &kind, &who).await,
    )
    .await
}

/// Takes an invitation back.
#[server(endpoint = "meetings/uninvite")]
pub async fn uninvite(node: String, meeting: String, invitee: String) -> Result<(), AppError> {
    let invitee = domain::validate::parse_id(&invitee).map_err(crate::error::fail)?;
    on_meeting(
        &node,
        &meeting,
        "invitees",
        Default::default(),
        async |tx, id, _| domain::coop::uninvite(tx, id, invitee).await,
    )
    .await
}

/// Proposes an agenda item (议题征集), maybe about a need, resource or project.
#[server(endpoint = "meetings/agenda")]
#[allow(clippy::too_many_arguments)]
pub async fn propose_item(
    node: String,
    meeting: String,
    title: String,
    detail: String,
    need: String,
    resource: String,
    project: String,
) -> Result<(), AppError> {
    use domain::coop::AgendaInput;
    let values = [("agenda_title", &title), ("agenda_detail", &detail)]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect();
    let input = AgendaInput {
        title,
        detail,
        need,
        resource,
        project,
    };
    on_meeting(&node, &meeting, "agenda", values, async |tx, id, today| {
        domain::coop::propose_item(tx, id, &input, today)
            .await
            .map(|_| ())
    })
    .await
}

/// The convener drops an agenda item.
#[server(endpoint = "meetings/agenda_remove")]
pub async fn remove_item(node: String, meeting: String, item: String) -> Result<(), AppError> {
    let item = domain::validate::parse_id(&item).map_err(crate::error::fail)?;
    on_meeting(
        &node,
        &meeting,
        "agenda",
        Default::default(),
        async |tx, id, _| domain::coop::remove_item(tx, id, item).await,
    )
    .await
}

/// 签到: `in` signs an invitee in (with who came), `clear` takes it back (the convener).
#[server(endpoint = "meetings/sign_in")]
pub async fn sign_in(
    node: String,
    meeting: String,
    invitee: String,
    attendee: String,
    action: String,
) -> Result<(), AppError> {
    let invitee = domain::validate::parse_id(&invitee).map_err(crate::error::fail)?;
    on_meeting(
        &node,
        &meeting,
        "invitees",
        Default::default(),
        async |tx, id, today| match action.as_str() {
            "in" => {
                let now = chrono::Utc::now();
                domain::coop::sign_in(tx, id, invitee, &attendee, now, today).await
            }
            "clear" => domain::coop::clear_sign_in(tx, id, invitee).await,
            _ => Err(domain::DomainError::invalid("action", "not_in_list")),
        },
    )
    .await
}

/// Records or corrects the minutes (会议纪要).
#[server(endpoint = "meetings/minutes")]
pub async fn record_minutes(
    node: String,
    meeting: String,
    minutes: String,
) -> Result<(), AppError> {
    let values = [("minutes".to_owned(), minutes.clone())]
        .into_iter()
        .collect();
    on_meeting(&node, &meeting, "minutes", values, async |tx, id, today| {
        domain::coop::record_minutes(tx, id, &minutes, today).await
    })
    .await
}
