//! One resolution (议定事项) as a card — status, owner, due date, progress notes, evidence — with
//! the progress and closing forms its viewer may use; and the convener's form to record one.
use domain::coop::{Resolution, ResolutionStatus};
use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{t, use_lang};
use crate::routes;
use crate::shell::list_table;
use leptos::server_fn::ServerFn as _;

/// The badge class of a status.
pub(super) fn badge(status: ResolutionStatus) -> &'static str {
    match status {
        ResolutionStatus::Done => "confirmed",
        ResolutionStatus::Overdue => "declined",
        _ => "pending",
    }
}

/// `back`: the meeting page the forms return to, or none for the follow-up list.
#[component]
pub(super) fn ResolutionCard(
    resolution: Resolution,
    node: Uuid,
    back: Option<Uuid>,
) -> impl IntoView {
    let lang = use_lang();
    let r = resolution;
    let notes = (!r.notes.is_empty()).then(|| {
        let items = r
            .notes
            .iter()
            .map(|n| {
                view! {
                    <li>
                        <time>{n.noted_on.to_string()}</time> " " {n.note.clone()}
                        " " <small>"— " {n.author.clone()}</small>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3>{t(lang, "resolutions.progress")}</h3>
            <ul class="notes">{items}</ul>
        }
    });
    let form = |action: &'static str,
                label: &'static str,
                field: &'static str,
                max: &'static str| {
        let id = format!("{action}-{}", r.id);
        view! {
            <form method="post" action=crate::meetings::fns::ActOnResolution::url() class="member-form">
                <input type="hidden" name="node" value=node.to_string() />
                <input type="hidden" name="resolution" value=r.id.to_string() />
                <input type="hidden" name="action" value=action />
                <input type="hidden" name="back" value=back.map(|b| b.to_string()).unwrap_or_default() />
                <label for=id.clone()>{t(lang, field)}</label>
                <textarea id=id name="text" rows="2" maxlength=max required></textarea>
                <div class="buttons">
                    <button type="submit" class=if action == "close" { "secondary" } else { "" }>
                        {t(lang, label)}
                    </button>
                </div>
            </form>
        }
    };
    let report = r.may_report.then(|| {
        form(
            "progress",
            "resolutions.report",
            "field.progress_note",
            "500",
        )
    });
    let close = r
        .may_close
        .then(|| form("close", "resolutions.close", "field.evidence", "1000"));
    let manage = (r.may_report || r.may_close).then(|| {
        view! {
            <details class="manage no-print">
                <summary>{t(lang, "resolutions.follow_up")}</summary>
                {report}
                {close}
            </details>
        }
    });
    let meeting_link = back.is_none().then(|| {
        view! {
            <p>
                <small>
                    <a href=routes::meeting(node, r.meeting_id).to_string()>{r.meeting_title.clone()}</a>
                    " " {r.held_on.to_string()}
                </small>
            </p>
        }
    });
    view! {
        <article class="card resolution" id=format!("r-{}", r.id)>
            <h3 class="content">{r.content.clone()}</h3>
            <p>
                <span class=format!("badge {}", badge(r.status))>
                    {t(lang, &format!("resolution_status.{}", r.status.as_str()))}
                </span>
                " " {t(lang, &format!("owner_kind.{}", r.owner_kind.as_str()))} "：" {r.owner_name.clone()}
                " · " {t(lang, "field.due_on")} "：" {r.due_on.to_string()}
                {r.closed_on.map(|d| format!(" · {} {}", t(lang, "resolutions.closed_on"), d))}
            </p>
            {meeting_link}
            {notes}
            {r.evidence.clone().map(|e| view! { <p>{t(lang, "field.evidence")} "：" {e}</p> })}
            {manage}
        </article>
    }
}

/// The convener's form: content, owner (a community or unit of the list, or a person by name)
/// and due date.
#[component]
pub(super) fn ResolutionForm(
    node: Uuid,
    meeting: Uuid,
    held_on: chrono::NaiveDate,
    owners: Vec<(String, String)>,
    kept: std::collections::HashMap<String, String>,
) -> impl IntoView {
    let lang = use_lang();
    let value = |key: &str| kept.get(key).cloned().unwrap_or_default();
    let kept_owner = value("owner");
    let options = owners
        .into_iter()
        .map(|(key, name)| {
            let selected = kept_owner == key;
            view! { <option value=key selected=selected>{name}</option> }
        })
        .collect_view();
    view! {
        <details class="manage no-print" id="new-resolution" open>
            <summary>{t(lang, "resolutions.add")}</summary>
            <form method="post" action=crate::meetings::fns::AddResolution::url() class="member-form">
                <input type="hidden" name="node" value=node.to_string() />
                <input type="hidden" name="meeting" value=meeting.to_string() />
                <label for="resolution-content">{t(lang, "field.resolution_content")}</label>
                <textarea id="resolution-content" name="content" rows="2" maxlength="500" required>
                    {value("content")}
                </textarea>
                <label for="resolution-owner">{t(lang, "field.owner")}</label>
                <select id="resolution-owner" name="owner">
                    <option value="">{t(lang, "resolutions.pick_owner")}</option>
                    {options}
                    <option value="person" selected=kept_owner == "person">{t(lang, "resolutions.owner_person")}</option>
                </select>
                <label for="resolution-person">{t(lang, "field.owner_person")}</label>
                <input id="resolution-person" name="person" maxlength="64" value=value("person") />
                <label for="resolution-due">{t(lang, "field.due_on")}</label>
                <input id="resolution-due" name="due_on" type="date" required min=held_on.to_string()
                    value=value("due_on") />
                <div class="buttons">
                    <button type="submit">{t(lang, "resolutions.add")}</button>
                </div>
            </form>
        </details>
    }
}

/// A compact table of resolutions (a unit's page): content, meeting, due date, status.
#[component]
pub fn ResolutionTable(resolutions: Vec<Resolution>, node: Uuid) -> impl IntoView {
    let lang = use_lang();
    list_table(
        vec![
            "field.resolution_content",
            "field.meeting_title",
            "field.due_on",
            "field.resolution_status",
        ],
        "resolutions.none",
        resolutions,
        |r| {
            view! {
                <tr>
                    <td><a href=routes::resolutions(node).at(&format!("r-{}", r.id)).to_string()>{r.content}</a></td>
                    <td>{r.meeting_title}</td>
                    <td>{r.due_on.to_string()}</td>
                    <td>
                        <span class=format!("badge {}", badge(r.status))>
                            {t(lang, &format!("resolution_status.{}", r.status.as_str()))}
                        </span>
                    </td>
                </tr>
            }
        },
    )
}
