//! The agenda (议题): items collected in advance, each maybe about a need, resource or project;
//! the propose form for the convener and the invited.
use domain::coop::{self, AgendaItem, CoopTx, Meeting};
use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{t, use_lang};
use leptos::server_fn::ServerFn as _;

/// What an item may be about: what the proposer sees in the three lists.
pub(super) struct LinkChoices {
    needs: Vec<(Uuid, String)>,
    resources: Vec<(Uuid, String)>,
    projects: Vec<(Uuid, String)>,
}

impl LinkChoices {
    pub async fn load(tx: &CoopTx, today: chrono::NaiveDate) -> domain::DomainResult<Self> {
        Ok(LinkChoices {
            needs: coop::needs(tx)
                .await?
                .into_iter()
                .filter(|n| n.status != coop::NeedStatus::Done)
                .map(|n| (n.id, n.title))
                .collect(),
            resources: coop::resources(tx)
                .await?
                .into_iter()
                .filter(|r| r.active)
                .map(|r| (r.id, format!("{} · {}", r.name, r.unit_name)))
                .collect(),
            projects: coop::projects(tx, today)
                .await?
                .into_iter()
                .map(|p| (p.id, p.title))
                .collect(),
        })
    }
}

#[component]
pub(super) fn Agenda(
    meeting: Meeting,
    node: Uuid,
    links: Option<LinkChoices>,
    kept: std::collections::HashMap<String, String>,
) -> impl IntoView {
    let lang = use_lang();
    let m = meeting.summary;
    let removable = m.convening && m.minutes_on.is_none();
    let empty = meeting
        .agenda
        .is_empty()
        .then(|| view! { <p>{t(lang, "agenda.none")}</p> });
    let items = meeting
        .agenda
        .into_iter()
        .map(|item| view! { <AgendaEntry item node meeting=m.id removable /> })
        .collect_view();
    view! {
        <section id="agenda">
            <h2>{t(lang, "agenda.title")}</h2>
            {empty}
            <ol class="agenda">{items}</ol>
            {links.map(|links| view! { <ProposeForm links node meeting=m.id kept /> })}
        </section>
    }
}

#[component]
fn AgendaEntry(item: AgendaItem, node: Uuid, meeting: Uuid, removable: bool) -> impl IntoView {
    let lang = use_lang();
    let about = [
        ("agenda.need", item.need),
        ("agenda.resource", item.resource),
        ("agenda.project", item.project),
    ]
    .into_iter()
    .filter_map(|(key, link)| link.map(|(_, title)| format!("{}：{}", t(lang, key), title)))
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li>
            <strong>{item.title}</strong>
            " "
            <small>{t(lang, "agenda.proposed_by")} "：" {item.proposed_by}</small>
            {(!about.is_empty()).then(|| view! { <br /><small>{about}</small> })}
            {item.detail.map(|d| view! { <p class="detail">{d}</p> })}
            {removable.then(|| view! {
                <form method="post" action=crate::meetings::fns::RemoveItem::url() class="inline no-print">
                    <input type="hidden" name="node" value=node.to_string() />
                    <input type="hidden" name="meeting" value=meeting.to_string() />
                    <input type="hidden" name="item" value=item.id.to_string() />
                    <button type="submit" class="secondary">{t(lang, "agenda.remove")}</button>
                </form>
            })}
        </li>
    }
}

#[component]
fn ProposeForm(
    links: LinkChoices,
    node: Uuid,
    meeting: Uuid,
    kept: std::collections::HashMap<String, String>,
) -> impl IntoView {
    let lang = use_lang();
    let value = |key: &str| kept.get(key).cloned().unwrap_or_default();
    let select = |name: &'static str, label: &'static str, options: Vec<(Uuid, String)>| {
        (!options.is_empty()).then(|| {
            let options = options
                .into_iter()
                .map(|(id, title)| view! { <option value=id.to_string()>{title}</option> })
                .collect_view();
            let id = format!("agenda-{name}");
            view! {
                <label for=id.clone()>{t(lang, label)}</label>
                <select id=id name=name>
                    <option value="">{t(lang, "agenda.no_link")}</option>
                    {options}
                </select>
            }
        })
    };
    // Each select is optional; the endpoint needs every field, so absent ones post empty.
    let hidden = |name: &'static str, present: bool| {
        (!present).then(|| view! { <input type="hidden" name=name value="" /> })
    };
    let (has_needs, has_resources, has_projects) = (
        !links.needs.is_empty(),
        !links.resources.is_empty(),
        !links.projects.is_empty(),
    );
    view! {
        <details class="manage no-print" open>
            <summary>{t(lang, "agenda.propose")}</summary>
            <form method="post" action=crate::meetings::fns::ProposeItem::url() class="member-form">
                <input type="hidden" name="node" value=node.to_string() />
                <input type="hidden" name="meeting" value=meeting.to_string() />
                <label for="agenda-title">{t(lang, "field.agenda_title")}</label>
                <input id="agenda-title" name="title" required maxlength="100" value=value("agenda_title") />
                <label for="agenda-detail">{t(lang, "field.detail")}</label>
                <textarea id="agenda-detail" name="detail" rows="2" maxlength="500">{value("agenda_detail")}</textarea>
                {select("need", "agenda.need", links.needs)}
                {hidden("need", has_needs)}
                {select("resource", "agenda.resource", links.resources)}
                {hidden("resource", has_resources)}
                {select("project", "agenda.project", links.projects)}
                {hidden("project", has_projects)}
                <div class="buttons">
                    <button type="submit">{t(lang, "agenda.propose")}</button>
                </div>
            </form>
        </details>
    }
}
