//! The invitees of a meeting with their sign-in (签到), and the convener's invite forms.
use domain::coop::{InviteChoices, Invitee, Meeting};
use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{t, use_lang};
use crate::shell::DataTable;
use leptos::server_fn::ServerFn as _;

/// A small form posting one action about one invitee.
fn invitee_form(
    action: &'static str,
    node: Uuid,
    meeting: Uuid,
    invitee: Uuid,
    extra: AnyView,
) -> impl IntoView {
    view! {
        <form method="post" action=action class="inline">
            <input type="hidden" name="node" value=node.to_string() />
            <input type="hidden" name="meeting" value=meeting.to_string() />
            <input type="hidden" name="invitee" value=invitee.to_string() />
            {extra}
        </form>
    }
}

#[component]
pub(super) fn Invitees(
    meeting: Meeting,
    node: Uuid,
    choices: Option<InviteChoices>,
    today: chrono::NaiveDate,
) -> impl IntoView {
    let lang = use_lang();
    let may_sign: Vec<bool> = meeting
        .invitees
        .iter()
        .map(|i| meeting.may_sign_in(i, today))
        .collect();
    let m = meeting.summary;
    let open_record = m.minutes_on.is_none();
    let convener = m.convening && open_record;
    let rows = meeting
        .invitees
        .into_iter()
        .zip(may_sign)
        .map(|(i, may_sign)| {
            let signed = i.signed_in_at.is_some();
            let sign = may_sign.then(|| {
                let label = format!("{} {}", t(lang, "meetings.attendee"), i.name);
                invitee_form(
                    crate::meetings::fns::SignIn::url(),
                    node,
                    m.id,
                    i.id,
                    view! {
                        <input type="hidden" name="action" value="in" />
                        <input name="attendee" maxlength="64" aria-label=label
                            placeholder=t(lang, "meetings.attendee") />
                        <button type="submit">{t(lang, "meetings.sign_in")}</button>
                    }
                    .into_any(),
                )
            });
            let clear = (convener && signed).then(|| {
                invitee_form(
                    crate::meetings::fns::SignIn::url(),
                    node,
                    m.id,
                    i.id,
                    view! {
                        <input type="hidden" name="attendee" value="" />
                        <button type="submit" class="secondary" name="action" value="clear">
                            {t(lang, "meetings.clear_sign_in")}
                        </button>
                    }
                    .into_any(),
                )
            });
            let remove = (convener && !signed).then(|| {
                invitee_form(
                    crate::meetings::fns::Uninvite::url(),
                    node,
                    m.id,
                    i.id,
                    view! {
                        <button type="submit" class="secondary">{t(lang, "meetings.uninvite")}</button>
                    }
                    .into_any(),
                )
            });
            view! { <InviteeRow invitee=i>{sign}{clear}{remove}</InviteeRow> }
        })
        .collect_view();
    let forms = match (choices, convener) {
        (Some(choices), true) => Some(view! { <InviteForms choices node meeting=m.id /> }),
        _ => None,
    };
    view! {
        <section id="invitees">
            <h2>{t(lang, "meetings.invitees")} " " <small>{format!("{}/{}", m.signed_in, m.invited)}</small></h2>
            <DataTable heads=vec!["meetings.invitee_kind", "meetings.invitee", "meetings.attendee", "meetings.signed_in_at", ""]>{rows}</DataTable>
            {forms}
        </section>
    }
}

#[component]
fn InviteeRow(invitee: Invitee, children: Children) -> impl IntoView {
    let lang = use_lang();
    let at = invitee.signed_in_at.map(|at| {
        at.with_timezone(&domain::clock::CHINA)
            .format("%H:%M")
            .to_string()
    });
    view! {
        <tr>
            <td>{t(lang, &format!("invitee_kind.{}", invitee.kind.as_str()))}</td>
            <td>{invitee.name}</td>
            <td>{invitee.attendee.unwrap_or_default()}</td>
            <td>
                {match at {
                    Some(at) => view! { <span class="badge confirmed">{at}</span> }.into_any(),
                    None => view! { <span class="badge pending">{t(lang, "meetings.not_signed_in")}</span> }.into_any(),
                }}
            </td>
            <td class="no-print">{children()}</td>
        </tr>
    }
}

#[component]
fn InviteForms(choices: InviteChoices, node: Uuid, meeting: Uuid) -> impl IntoView {
    let lang = use_lang();
    let picker = |kind: &'static str, label: &'static str, options: Vec<(Uuid, String)>| {
        (!options.is_empty()).then(|| {
            let options = options
                .into_iter()
                .map(|(id, name)| view! { <option value=id.to_string()>{name}</option> })
                .collect_view();
            let id = format!("invite-{kind}");
            view! {
                <form method="post" action=crate::meetings::fns::Invite::url() class="inline-form">
                    <input type="hidden" name="node" value=node.to_string() />
                    <input type="hidden" name="meeting" value=meeting.to_string() />
                    <input type="hidden" name="kind" value=kind />
                    <label for=id.clone()>{t(lang, label)}</label>
                    <select id=id name="who">{options}</select>
                    <button type="submit" class="secondary">{t(lang, "meetings.invite")}</button>
                </form>
            }
        })
    };
    view! {
        <details class="manage" open>
            <summary>{t(lang, "meetings.invite")}</summary>
            {picker("unit", "invitee_kind.unit", choices.units)}
            {picker("community", "invitee_kind.community", choices.communities)}
            {picker("branch", "invitee_kind.branch", choices.branches)}
            <form method="post" action=crate::meetings::fns::Invite::url() class="inline-form">
                <input type="hidden" name="node" value=node.to_string() />
                <input type="hidden" name="meeting" value=meeting.to_string() />
                <input type="hidden" name="kind" value="person" />
                <label for="invite-person">{t(lang, "invitee_kind.person")}</label>
                <input id="invite-person" name="who" maxlength="64" required
                    placeholder=t(lang, "meetings.person_hint") />
                <button type="submit" class="secondary">{t(lang, "meetings.invite")}</button>
            </form>
        </details>
    }
}
