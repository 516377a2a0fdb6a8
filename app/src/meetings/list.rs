//! `/org/:id/meetings`: the joint meetings the viewer convenes or is invited to, the minutes
//! still owed (待补纪要), and the form that plans a meeting.
use domain::coop::{self, CoopScope, MeetingSummary, Viewer};
use leptos::prelude::*;
use uuid::Uuid;

use super::level_title;
use crate::coop::COOP_FORM;
use crate::i18n::{t, use_lang};
use crate::page::{on_node, NodeCtx, Outcome};
use crate::routes;
use crate::shell::{DataTable, PageHead};
use leptos::server_fn::ServerFn as _;

#[component]
pub fn MeetingsPage() -> impl IntoView {
    on_node(move |ctx: NodeCtx<CoopScope>| async move {
        let lang = ctx.lang;
        let meetings = coop::meetings_of(ctx.db(), &ctx.access).await?;
        let viewer = ctx.access.viewer();
        let flash = crate::state::take_flash(COOP_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let kept = flash.map(|f| f.values).unwrap_or_default();
        let node = ctx.node.id;
        let today = domain::clock::today();
        let owed: Vec<&MeetingSummary> = meetings
            .iter()
            .filter(|m| m.convening && m.needs_minutes(today))
            .collect();
        let todo = (!owed.is_empty()).then(|| {
            let items = owed
                .iter()
                .map(|m| {
                    view! {
                        <li>
                            <a href=routes::meeting(node, m.id).at("minutes").to_string()>{m.title.clone()}</a>
                            " " {m.held_on.to_string()}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="card todo" aria-labelledby="todo-title">
                    <h2 id="todo-title">{t(lang, "meetings.minutes_owed")}</h2>
                    <ul>{items}</ul>
                </section>
            }
        });
        // Liaisons take part; the street's and communities' staff convene.
        let convener = !matches!(viewer, Viewer::Unit(_));
        Ok(view! {
            <Outcome error />
            <PageHead kind=ctx.node.name.clone() title=t(lang, level_title(viewer)) />
            <p class="actions">
                <a class="button secondary" href=routes::resolutions(node).to_string()>
                    {t(lang, if convener { "resolutions.followup" } else { "resolutions.tasks" })}
                </a>
                {convener.then(|| view! {
                    " "
                    <a class="button secondary" href=routes::file(node, "meetings.xlsx").to_string()>
                        {t(lang, "members.export")}
                    </a>
                })}
            </p>
            {todo}
            <MeetingTable meetings node today />
            {convener.then(|| view! { <PlanForm node kept /> })}
        }
        .into_any())
    })
}

#[component]
fn MeetingTable(
    meetings: Vec<MeetingSummary>,
    node: Uuid,
    today: chrono::NaiveDate,
) -> impl IntoView {
    let lang = use_lang();
    if meetings.is_empty() {
        return view! { <p>{t(lang, "meetings.none")}</p> }.into_any();
    }
    let rows = meetings
        .into_iter()
        .map(|m| {
            let rate = m
                .resolutions
                .percent()
                .map(|p| format!("{}/{} · {p}%", m.resolutions.done, m.resolutions.total))
                .unwrap_or_else(|| "—".to_owned());
            let minutes = match (m.minutes_on, m.needs_minutes(today)) {
                (Some(d), _) => {
                    view! { <span class="badge confirmed">{d.to_string()}</span> }.into_any()
                }
                (None, true) => view! {
                    <span class="badge declined">{t(lang, "meetings.minutes_missing")}</span>
                }
                .into_any(),
                (None, false) => {
                    view! { <span class="badge pending">{t(lang, "meetings.upcoming")}</span> }
                        .into_any()
                }
            };
            view! {
                <tr>
                    <td>{m.held_on.to_string()} " " {m.starts_at.clone()}</td>
                    <td><a href=routes::meeting(node, m.id).to_string()>{m.title.clone()}</a></td>
                    <td>{m.venue.clone()}</td>
                    <td class="num">{format!("{}/{}", m.signed_in, m.invited)}</td>
                    <td class="num">{rate}</td>
                    <td>{minutes}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <DataTable
            heads=vec!["field.held_on", "field.meeting_title", "field.venue", "#meetings.signed_in", "#resolutions.rate", "field.minutes"]
            caption="meetings.list"
        >
            {rows}
        </DataTable>
    }
    .into_any()
}

/// The meeting's fields, shared by planning and by the edit form on the meeting's page.
#[component]
pub(super) fn MeetingFields(value: Box<dyn Fn(&str) -> String>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <label for="meeting-title">{t(lang, "field.meeting_title")}</label>
        <input id="meeting-title" name="title" required maxlength="100" value=value("title") />
        <label for="meeting-convener">{t(lang, "field.convener")}</label>
        <input id="meeting-convener" name="convener" required maxlength="64" value=value("convener") />
        <label for="meeting-date">{t(lang, "field.held_on")}</label>
        <input id="meeting-date" name="held_on" type="date" required value=value("held_on") />
        <label for="meeting-time">{t(lang, "field.starts_at")}</label>
        <input id="meeting-time" name="starts_at" type="time" required value=value("starts_at") />
        <label for="meeting-venue">{t(lang, "field.venue")}</label>
        <input id="meeting-venue" name="venue" required maxlength="100" value=value("venue") />
    }
}

#[component]
fn PlanForm(node: Uuid, kept: std::collections::HashMap<String, String>) -> impl IntoView {
    let lang = use_lang();
    let value = move |key: &str| kept.get(key).cloned().unwrap_or_default();
    view! {
        <section id="new">
            <h2>{t(lang, "meetings.plan")}</h2>
            <form method="post" action=crate::meetings::fns::SaveMeeting::url() class="member-form">
                <input type="hidden" name="node" value=node.to_string() />
                <input type="hidden" name="meeting" value="" />
                <MeetingFields value=Box::new(value) />
                <div class="buttons">
                    <button type="submit">{t(lang, "meetings.plan")}</button>
                </div>
            </form>
        </section>
    }
}
