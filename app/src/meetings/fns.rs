//! Form endpoints for planning and holding a meeting and following its resolutions (议定事项).
//! Each authorises in the domain through the caller's co-construction scope; a refused form
//! comes back with its error in the flash.
use domain::clock::today;
use domain::coop::{self, AgendaInput, CoopScope, CoopTx, MeetingInput, ResolutionInput};
use domain::{DomainError, DomainResult};
use leptos::prelude::*;

use crate::coop::COOP_FORM;
use crate::error::AppError;
use crate::form::{id, Form};
use crate::routes;

/// Runs `act` on one meeting in the caller's scope and returns to that meeting's `anchor`.
async fn on_meeting(
    node: &str,
    meeting: &str,
    anchor: &str,
    act: impl AsyncFnOnce(&CoopTx, uuid::Uuid) -> DomainResult<()>,
) -> Result<(), AppError> {
    on_meeting_keeping(node, meeting, anchor, |form| form, act).await
}

/// `on_meeting` that shows again what `keep` holds when the form is refused.
async fn on_meeting_keeping(
    node: &str,
    meeting: &str,
    anchor: &str,
    keep: impl FnOnce(Form) -> Form,
    act: impl AsyncFnOnce(&CoopTx, uuid::Uuid) -> DomainResult<()>,
) -> Result<(), AppError> {
    let form = Form::on(node, COOP_FORM)?;
    let meeting = id(meeting)?;
    let page = routes::meeting(form.node, meeting);
    keep(form.back(page.clone().at(anchor)))
        .submit::<CoopScope>(async |tx| {
            act(tx, meeting).await?;
            Ok(page.saved().at(anchor))
        })
        .await
}

/// Plans a meeting (empty `meeting`) or changes one the caller convenes.
#[server(endpoint = "meetings/save")]
pub async fn save_meeting(
    node: String,
    meeting: String,
    #[server(flatten)] input: MeetingInput,
) -> Result<(), AppError> {
    Form::on(&node, COOP_FORM)?
        .save::<CoopScope>(
            &meeting,
            routes::meetings,
            routes::meeting,
            &input,
            async |tx, id| coop::save_meeting(tx, id, &input, today()).await,
        )
        .await
}

/// Invites a unit, community or branch (`who` is its id) or a person (`who` is the name).
#[server(endpoint = "meetings/invite")]
pub async fn invite(
    node: String,
    meeting: String,
    kind: String,
    who: String,
) -> Result<(), AppError> {
    on_meeting(&node, &meeting, "invitees", async |tx, id| {
        coop::invite(tx, id, &kind, &who).await
    })
    .await
}

/// Takes an invitation back.
#[server(endpoint = "meetings/uninvite")]
pub async fn uninvite(node: String, meeting: String, invitee: String) -> Result<(), AppError> {
    let invitee = id(&invitee)?;
    on_meeting(&node, &meeting, "invitees", async |tx, id| {
        coop::uninvite(tx, id, invitee).await
    })
    .await
}

/// Proposes an agenda item (议题征集), maybe about a need, resource or project.
#[server(endpoint = "meetings/agenda")]
pub async fn propose_item(
    node: String,
    meeting: String,
    #[server(flatten)] input: AgendaInput,
) -> Result<(), AppError> {
    // The meeting page's other forms have a title too.
    let keep = |f: Form| f.keep_as("agenda_", &input);
    on_meeting_keeping(&node, &meeting, "agenda", keep, async |tx, id| {
        coop::propose_item(tx, id, &input, today())
            .await
            .map(|_| ())
    })
    .await
}

/// The convener drops an agenda item.
#[server(endpoint = "meetings/agenda_remove")]
pub async fn remove_item(node: String, meeting: String, item: String) -> Result<(), AppError> {
    let item = id(&item)?;
    on_meeting(&node, &meeting, "agenda", async |tx, id| {
        coop::remove_item(tx, id, item).await
    })
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
    let invitee = id(&invitee)?;
    on_meeting(&node, &meeting, "invitees", async |tx, id| {
        match action.as_str() {
            "in" => {
                let now = chrono::Utc::now();
                coop::sign_in(tx, id, invitee, &attendee, now, today()).await
            }
            "clear" => coop::clear_sign_in(tx, id, invitee).await,
            _ => Err(DomainError::invalid("action", "not_in_list")),
        }
    })
    .await
}

/// Records or corrects the minutes (会议纪要).
#[server(endpoint = "meetings/minutes")]
pub async fn record_minutes(
    node: String,
    meeting: String,
    minutes: String,
) -> Result<(), AppError> {
    let keep = |f: Form| f.keep_field("minutes", &minutes);
    on_meeting_keeping(&node, &meeting, "minutes", keep, async |tx, id| {
        coop::record_minutes(tx, id, &minutes, today()).await
    })
    .await
}

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
    let form = Form::on(&node, COOP_FORM)?;
    let meeting = id(&meeting)?;
    let page = routes::meeting(form.node, meeting);
    let typed = serde_json::json!({
        "content": content, "owner": owner, "person": person, "due_on": due_on,
    });
    let (owner_kind, owner) = match owner.split_once(':') {
        Some((kind, id)) => (kind.to_owned(), id.to_owned()),
        None => (owner, person),
    };
    let input = ResolutionInput {
        content,
        owner_kind,
        owner,
        due_on,
    };
    form.back(page.clone().at("new-resolution"))
        .keep(&typed)
        .submit::<CoopScope>(async |tx| {
            coop::add_resolution(tx, meeting, &input, today()).await?;
            Ok(page.saved().at("resolutions"))
        })
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
    let form = Form::on(&node, COOP_FORM)?;
    let id = id(&resolution)?;
    let page = match uuid::Uuid::parse_str(back.trim()) {
        Ok(meeting) => routes::meeting(form.node, meeting),
        Err(_) => routes::resolutions(form.node),
    };
    let anchor = format!("r-{id}");
    form.back(page.clone().at(&anchor))
        .submit::<CoopScope>(async |tx| {
            match action.as_str() {
                "progress" => coop::report_progress(tx, id, &text, today()).await,
                "close" => coop::close_resolution(tx, id, &text, today()).await,
                _ => Err(DomainError::invalid("action", "not_in_list")),
            }?;
            Ok(page.saved().at(&anchor))
        })
        .await
}
