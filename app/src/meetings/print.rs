//! Print views of a meeting, laid out for A4: the minutes (会议纪要: agenda, attendance, what
//! was discussed, the resolutions) and the sign-in sheet (签到表) to sign on paper.
use domain::coop::{self, CoopScope, Meeting};
use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{t, use_lang};
use crate::islands::PrintButton;
use crate::page::{on_node, path_param, NodeCtx};
use crate::routes;

/// Blank rows at the end of the sign-in sheet, for people who come unannounced.
const SPARE_ROWS: usize = 5;

/// Loads the meeting and frames `body` with a screen-only header (back link, print button).
fn print_page(body: fn(Meeting, String) -> AnyView, print_label: &'static str) -> impl IntoView {
    let meeting_id = path_param("mid");
    on_node(move |ctx: NodeCtx<CoopScope>| async move {
        let lang = ctx.lang;
        let tx = ctx.read().await?;
        let id = domain::validate::parse_id(&meeting_id)?;
        let today = domain::clock::today();
        let meeting = coop::meeting(&tx, id, today).await?;
        tx.commit().await?;
        let node: Uuid = ctx.node.id;
        let back = routes::meeting(node, meeting.summary.id).to_string();
        Ok(view! {
            <p class="actions no-print">
                <a class="button secondary" href=back>{t(lang, "meetings.back")}</a>
                " "
                <PrintButton label=t(lang, print_label) />
            </p>
            {body(meeting, ctx.node.name.clone())}
        }
        .into_any())
    })
}

#[component]
pub fn MinutesPrintPage() -> impl IntoView {
    print_page(
        |m, org| view! { <Minutes meeting=m org /> }.into_any(),
        "meetings.print",
    )
}

#[component]
pub fn SignInSheetPage() -> impl IntoView {
    print_page(
        |m, org| view! { <SignInSheet meeting=m org /> }.into_any(),
        "meetings.print",
    )
}

#[component]
fn Meta(meeting: Meeting) -> impl IntoView {
    let lang = use_lang();
    let m = meeting.summary;
    view! {
        <dl class="meta">
            <div><dt>{t(lang, "field.held_on")}</dt><dd>{m.held_on.to_string()} " " {m.starts_at}</dd></div>
            <div><dt>{t(lang, "field.venue")}</dt><dd>{m.venue}</dd></div>
            <div><dt>{t(lang, "field.convener")}</dt><dd>{m.convener}</dd></div>
            <div>
                <dt>{t(lang, "meetings.expected_present")}</dt>
                <dd>{format!("{} / {}", m.invited, m.signed_in)}</dd>
            </div>
        </dl>
    }
}

#[component]
fn Minutes(meeting: Meeting, org: String) -> impl IntoView {
    let lang = use_lang();
    let present = meeting
        .invitees
        .iter()
        .filter(|i| i.signed_in_at.is_some())
        .map(|i| match &i.attendee {
            Some(who) if *who != i.name => format!("{who}（{}）", i.name),
            _ => i.name.clone(),
        })
        .collect::<Vec<_>>()
        .join("、");
    let absent = meeting
        .invitees
        .iter()
        .filter(|i| i.signed_in_at.is_none())
        .map(|i| i.name.clone())
        .collect::<Vec<_>>()
        .join("、");
    let agenda = meeting
        .agenda
        .iter()
        .map(|a| view! { <li>{a.title.clone()} " " <small>"（" {a.proposed_by.clone()} "）"</small></li> })
        .collect_view();
    let resolutions = meeting
        .resolutions
        .iter()
        .enumerate()
        .map(|(n, r)| {
            view! {
                <tr>
                    <td class="num">{n + 1}</td>
                    <td>{r.content.clone()}</td>
                    <td>{r.owner_name.clone()}</td>
                    <td>{r.due_on.to_string()}</td>
                    <td>{t(lang, &format!("resolution_status.{}", r.status.as_str()))}</td>
                </tr>
            }
        })
        .collect_view();
    let minutes_on = meeting.summary.minutes_on;
    let text = match meeting.minutes.clone() {
        Some(text) => view! { <p class="minutes-text">{text}</p> }.into_any(),
        None => view! { <p class="error">{t(lang, "meetings.minutes_missing")}</p> }.into_any(),
    };
    view! {
        <article class="print-doc">
            <h1>{meeting.summary.title.clone()} <br /> <span class="doc-kind">{t(lang, "field.minutes")}</span></h1>
            <Meta meeting=meeting.clone() />
            <h2>{t(lang, "meetings.present")}</h2>
            <p>{if present.is_empty() { "—".to_owned() } else { present }}</p>
            <h2>{t(lang, "meetings.absent")}</h2>
            <p>{if absent.is_empty() { "—".to_owned() } else { absent }}</p>
            <h2>{t(lang, "agenda.title")}</h2>
            <ol>{agenda}</ol>
            <h2>{t(lang, "meetings.discussion")}</h2>
            {text}
            <h2>{t(lang, "resolutions.title")}</h2>
            <table>
                <thead>
                    <tr>
                        <th scope="col" class="num">{t(lang, "feedback.no")}</th>
                        <th scope="col">{t(lang, "field.resolution_content")}</th>
                        <th scope="col">{t(lang, "field.owner")}</th>
                        <th scope="col">{t(lang, "field.due_on")}</th>
                        <th scope="col">{t(lang, "field.resolution_status")}</th>
                    </tr>
                </thead>
                <tbody>{resolutions}</tbody>
            </table>
            <p class="sign-off">
                {org} <br />
                {minutes_on.map(|d| d.to_string())}
            </p>
        </article>
    }
}

#[component]
fn SignInSheet(meeting: Meeting, org: String) -> impl IntoView {
    let lang = use_lang();
    let rows = meeting
        .invitees
        .iter()
        .map(|i| (Some(i.name.clone()), i.attendee.clone()))
        .chain(std::iter::repeat_n((None, None), SPARE_ROWS))
        .enumerate()
        .map(|(n, (name, attendee))| {
            view! {
                <tr>
                    <td class="num">{n + 1}</td>
                    <td>{name.unwrap_or_default()}</td>
                    <td class="signature">{attendee.unwrap_or_default()}</td>
                    <td></td>
                    <td></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <article class="print-doc">
            <h1>{meeting.summary.title.clone()} <br /> <span class="doc-kind">{t(lang, "meetings.sign_in_sheet")}</span></h1>
            <Meta meeting=meeting.clone() />
            <table class="sign-in-sheet">
                <thead>
                    <tr>
                        <th scope="col" class="num">{t(lang, "feedback.no")}</th>
                        <th scope="col">{t(lang, "meetings.invitee")}</th>
                        <th scope="col">{t(lang, "meetings.signature")}</th>
                        <th scope="col">{t(lang, "field.phone")}</th>
                        <th scope="col">{t(lang, "meetings.signed_in_at")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="sign-off">{org}</p>
        </article>
    }
}
