//! `/org/:id/meetings/:mid`: one joint meeting — plan, invitees and sign-in, agenda,
//! resolutions and minutes. What each viewer may change follows the domain's rules; the forms
//! shown are only a convenience.
use domain::coop::{self, CoopScope, InviteChoices, Meeting};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::agenda::{Agenda, LinkChoices};
use super::invitees::Invitees;
use super::list::MeetingFields;
use super::resolution::{ResolutionCard, ResolutionForm};
use crate::coop::COOP_FORM;
use crate::i18n::{t, use_lang};
use crate::page::{on_node, path_param, NodeCtx, Outcome};
use crate::routes;
use leptos::server_fn::ServerFn as _;

/// What the convener picks from: whom to invite and whom to give a resolution to.
pub(super) struct ConvenerChoices {
    pub invite: InviteChoices,
    /// `community:<id>` / `unit:<id>` and a name.
    pub owners: Vec<(String, String)>,
}

#[component]
pub fn MeetingPage() -> impl IntoView {
    let meeting_id = path_param("mid");
    let saved = use_query_map().read_untracked().get("saved").is_some();
    on_node(move |ctx: NodeCtx<CoopScope>| async move {
        let lang = ctx.lang;
        let today = domain::clock::today();
        let tx = ctx.read().await?;
        let id = domain::validate::parse_id(&meeting_id)?;
        let meeting = coop::meeting(&tx, id, today).await?;
        let links = match meeting.may_propose(today) {
            true => Some(LinkChoices::load(&tx, today).await?),
            false => None,
        };
        let convener = match meeting.summary.convening {
            true => {
                let invite = coop::invite_choices(&tx).await?;
                // The form's value names the kind and the id: `community:<id>`, `unit:<id>`.
                let owners = coop::owner_choices(&tx, meeting.summary.id)
                    .await?
                    .into_iter()
                    .map(|(kind, id, name)| (format!("{}:{id}", kind.as_str()), name))
                    .collect();
                Some(ConvenerChoices { invite, owners })
            }
            false => None,
        };
        tx.commit().await?;
        let flash = crate::state::take_flash(COOP_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let kept = flash.map(|f| f.values).unwrap_or_default();
        let node = ctx.node.id;
        Ok(view! {
            <Outcome saved error />
            <MeetingBody meeting node links convener kept today />
        }
        .into_any())
    })
}

#[component]
fn MeetingBody(
    meeting: Meeting,
    node: Uuid,
    links: Option<LinkChoices>,
    convener: Option<ConvenerChoices>,
    kept: std::collections::HashMap<String, String>,
    today: chrono::NaiveDate,
) -> impl IntoView {
    let lang = use_lang();
    let m = meeting.summary.clone();
    let base = routes::meeting(node, m.id).to_string();
    let open_record = m.minutes_on.is_none();
    let from_the_day = today >= m.held_on;
    let kept_value = |key: &str| kept.get(key).cloned();
    let edit = (m.convening && open_record).then(|| {
        let current = m.clone();
        let kept = kept.clone();
        let value = move |key: &str| {
            kept.get(key).cloned().unwrap_or_else(|| match key {
                "title" => current.title.clone(),
                "convener" => current.convener.clone(),
                "held_on" => current.held_on.to_string(),
                "starts_at" => current.starts_at.clone(),
                "venue" => current.venue.clone(),
                _ => String::new(),
            })
        };
        view! {
            <details class="manage" id="edit">
                <summary>{t(lang, "meetings.edit")}</summary>
                <form method="post" action=crate::meetings::fns::SaveMeeting::url() class="member-form">
                    <input type="hidden" name="node" value=node.to_string() />
                    <input type="hidden" name="meeting" value=m.id.to_string() />
                    <MeetingFields value=Box::new(value) />
                    <div class="buttons">
                        <button type="submit">{t(lang, "members.save")}</button>
                    </div>
                </form>
            </details>
        }
    });
    let resolutions = meeting
        .resolutions
        .iter()
        .cloned()
        .map(|r| view! { <ResolutionCard resolution=r node back=Some(m.id) /> })
        .collect_view();
    let no_resolutions = meeting
        .resolutions
        .is_empty()
        .then(|| view! { <p>{t(lang, "resolutions.none")}</p> });
    let owners = convener.as_ref().map(|c| c.owners.clone());
    let add_resolution = match (owners, from_the_day) {
        (Some(owners), true) => Some(
            view! { <ResolutionForm node meeting=m.id held_on=m.held_on owners kept=kept.clone() /> }
                .into_any(),
        ),
        (Some(_), false) => Some(view! { <p class="hint">{t(lang, "resolutions.from_the_day")}</p> }.into_any()),
        (None, _) => None,
    };
    let minutes_form = (m.convening && from_the_day).then(|| {
        let text = kept_value("minutes").or(meeting.minutes.clone()).unwrap_or_default();
        view! {
            <form method="post" action=crate::meetings::fns::RecordMinutes::url() class="member-form no-print">
                <input type="hidden" name="node" value=node.to_string() />
                <input type="hidden" name="meeting" value=m.id.to_string() />
                <label for="minutes-text" class="visually-hidden">{t(lang, "field.minutes")}</label>
                <textarea id="minutes-text" name="minutes" rows="8" maxlength="5000" required>{text}</textarea>
                <p class="hint">{t(lang, "meetings.minutes_hint")}</p>
                <div class="buttons">
                    <button type="submit">{t(lang, "meetings.save_minutes")}</button>
                </div>
            </form>
        }
    });
    let minutes_text = meeting
        .minutes
        .clone()
        .map(|text| view! { <p class="minutes-text">{text}</p> });
    let minutes_owed = (m.convening && m.needs_minutes(today))
        .then(|| view! { <p class="error">{t(lang, "meetings.minutes_missing")}</p> });
    view! {
        <header class="page-head">
            <p class="kind">
                <a href=routes::meetings(node).to_string()>{t(lang, "meetings.title")}</a>
            </p>
            <h1>{m.title.clone()}</h1>
            <p>
                {m.held_on.to_string()} " " {m.starts_at.clone()} " · " {m.venue.clone()}
                " · " {t(lang, "field.convener")} "：" {m.convener.clone()}
            </p>
        </header>
        <p class="actions">
            <a class="button secondary" href=format!("{base}/minutes")>{t(lang, "meetings.print_minutes")}</a>
            " "
            <a class="button secondary" href=format!("{base}/sign-in-sheet")>{t(lang, "meetings.print_sign_in")}</a>
        </p>
        {edit}
        <Invitees meeting=meeting.clone() node choices=convener.map(|c| c.invite) today />
        <Agenda meeting=meeting.clone() node links kept=kept.clone() />
        <section id="resolutions">
            <h2>{t(lang, "resolutions.title")}</h2>
            {no_resolutions}
            {resolutions}
            {add_resolution}
        </section>
        <section id="minutes-section">
            <h2 id="minutes">{t(lang, "field.minutes")}</h2>
            {minutes_owed}
            {minutes_text}
            {minutes_form}
        </section>
    }
}
