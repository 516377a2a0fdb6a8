//! `/org/:id/volunteers/:tid`: one volunteer team — its members with their hours this year (at
//! the team's activities and in all), adding members found by name or phone, taking them off,
//! its activities with attendance, and the team's name, service and leader.
use domain::tenancy::Commit;
use domain::volunteers::{self, TeamDetail};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::{hours, year_of, VOLUNTEER_FORM};
use crate::activities::when;
use crate::i18n::{t, use_lang};
use crate::page::{on_node, path_param, NodeCtx, Outcome};
use crate::routes;
use crate::shell::DataTable;
use leptos::server_fn::ServerFn as _;

#[component]
pub fn TeamPage() -> impl IntoView {
    let team_id = path_param("tid");
    let query = use_query_map().read_untracked().clone();
    let saved = query.get("saved").is_some();
    let who = query.get("who").unwrap_or_default();
    let year = year_of(query.get("year"));
    on_node(move |ctx: NodeCtx<crate::page::Activities>| async move {
        let lang = ctx.lang;
        let id = domain::validate::parse_id(&team_id)?;
        let tx = ctx.read().await?;
        let team = volunteers::team(&tx, id, year).await?;
        let found: Vec<(Uuid, String)> = match who.trim() {
            "" => Vec::new(),
            search => domain::members::lookup(&tx, search)
                .await?
                .into_iter()
                .filter(|(id, _)| !team.members.iter().any(|m| m.member_id == *id))
                .collect(),
        };
        tx.commit().await?;
        let flash = crate::state::take_flash(VOLUNTEER_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let kept = flash.map(|f| f.values);
        let node = ctx.node.id;
        let s = team.summary.clone();
        Ok(view! {
            <Outcome saved error />
            <header class="page-head">
                <p class="kind">
                    <a href=routes::volunteers(node).to_string()>{t(lang, "volunteers.title")}</a>
                    " · " {year}
                </p>
                <h1>{s.name.clone()}</h1>
                {s.service_area.clone().map(|a| view! { <p>{a}</p> })}
            </header>
            <dl class="figures">
                <div><dt>{t(lang, "field.team_leader")}</dt><dd>{s.leader.clone().map(|(_, n)| n).unwrap_or_else(|| "—".into())}</dd></div>
                <div><dt>{t(lang, "volunteers.members")}</dt><dd>{s.members}</dd></div>
                <div><dt>{t(lang, "volunteers.activities")}</dt><dd>{s.activities}</dd></div>
                <div><dt>{t(lang, "volunteers.hours")}</dt><dd>{hours(s.minutes)}</dd></div>
            </dl>
            <Members team=team.clone() node />
            <AddMember team=s.id node who found />
            <Activities team=team.clone() node />
            <Edit team kept node />
        }
        .into_any())
    })
}

#[component]
fn Members(team: TeamDetail, node: Uuid) -> impl IntoView {
    let lang = use_lang();
    let team_id = team.summary.id;
    let rows = team
        .members
        .into_iter()
        .map(|m| {
            let label = format!("{} {}", t(lang, "volunteers.remove"), m.name);
            view! {
                <tr>
                    <th scope="row">{m.name}</th>
                    <td>{m.joined_on.to_string()}</td>
                    <td>{hours(m.team_minutes)}</td>
                    <td>{hours(m.total_minutes)}</td>
                    <td class="no-print">
                        <form method="post" action=crate::volunteers::fns::RemoveTeamMember::url() class="inline">
                            <input type="hidden" name="node" value=node.to_string() />
                            <input type="hidden" name="team" value=team_id.to_string() />
                            <input type="hidden" name="member" value=m.member_id.to_string() />
                            <button type="submit" class="secondary" aria-label=label>{t(lang, "volunteers.remove")}</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section id="members">
            <h2>{t(lang, "volunteers.members")}</h2>
            <DataTable heads=vec![
                "field.full_name",
                "volunteers.joined_on",
                "volunteers.team_hours",
                "volunteers.total_hours",
                "",
            ]>{rows}</DataTable>
        </section>
    }
}

#[component]
fn AddMember(team: Uuid, node: Uuid, who: String, found: Vec<(Uuid, String)>) -> impl IntoView {
    let lang = use_lang();
    let searched = !who.trim().is_empty();
    let results = found
        .into_iter()
        .map(|(member, name)| {
            let label = format!("{} {name}", t(lang, "volunteers.add"));
            view! {
                <li>
                    {name} " "
                    <form method="post" action=crate::volunteers::fns::AddTeamMember::url() class="inline">
                        <input type="hidden" name="node" value=node.to_string() />
                        <input type="hidden" name="team" value=team.to_string() />
                        <input type="hidden" name="member" value=member.to_string() />
                        <button type="submit" aria-label=label>{t(lang, "volunteers.add")}</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    view! {
        <section id="add" class="no-print">
            <h2>{t(lang, "volunteers.add_member")}</h2>
            <form method="get" class="filters" action="#add">
                <label>
                    {t(lang, "members.search")}
                    <input name="who" type="search" value=who />
                </label>
                <button type="submit" class="secondary">{t(lang, "members.filter")}</button>
            </form>
            {searched.then(|| view! { <ul class="plain">{results}</ul> })}
        </section>
    }
}

#[component]
fn Activities(team: TeamDetail, node: Uuid) -> impl IntoView {
    let lang = use_lang();
    if team.activities.is_empty() {
        return view! {
            <section id="activities">
                <h2>{t(lang, "volunteers.activities")}</h2>
                <p>{t(lang, "volunteers.no_activities")}</p>
            </section>
        }
        .into_any();
    }
    let rows = team
        .activities
        .into_iter()
        .map(|a| {
            view! {
                <tr>
                    <th scope="row"><a href=routes::activity(node, a.id).to_string()>{a.title}</a></th>
                    <td>{when(a.starts_at)}</td>
                    <td>{a.attended}</td>
                    <td>{hours(a.minutes)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section id="activities">
            <h2>{t(lang, "volunteers.activities")}</h2>
            <DataTable heads=vec![
                "field.activity_title",
                "field.starts_at",
                "volunteers.attended",
                "volunteers.hours",
            ]>{rows}</DataTable>
        </section>
    }
    .into_any()
}

/// The team's name, service and leader (one of its members); `kept` is what was typed before
/// a refusal.
#[component]
fn Edit(
    team: TeamDetail,
    kept: Option<std::collections::HashMap<String, String>>,
    node: Uuid,
) -> impl IntoView {
    let lang = use_lang();
    let s = team.summary;
    let value = |key: &str, own: String| match &kept {
        Some(kept) => kept.get(key).cloned().unwrap_or_default(),
        None => own,
    };
    let name = value("name", s.name.clone());
    let area = value("service_area", s.service_area.clone().unwrap_or_default());
    let leader = value(
        "leader",
        s.leader.map(|(id, _)| id.to_string()).unwrap_or_default(),
    );
    let choices = team
        .members
        .into_iter()
        .map(|m| {
            let id = m.member_id.to_string();
            let selected = id == leader;
            view! { <option value=id selected=selected>{m.name}</option> }
        })
        .collect_view();
    view! {
        <section id="edit" class="no-print">
            <h2>{t(lang, "volunteers.edit")}</h2>
            <form method="post" action=crate::volunteers::fns::SaveTeam::url() class="member-form">
                <input type="hidden" name="node" value=node.to_string() />
                <input type="hidden" name="team" value=s.id.to_string() />
                <label for="team-name">{t(lang, "field.team_name")}</label>
                <input id="team-name" name="name" required maxlength="60" value=name />
                <label for="team-area">{t(lang, "field.service_area")}</label>
                <textarea id="team-area" name="service_area" rows="2" maxlength="500">{area}</textarea>
                <label for="team-leader">{t(lang, "field.team_leader")}</label>
                <select id="team-leader" name="leader">
                    <option value="">{t(lang, "volunteers.no_leader")}</option>
                    {choices}
                </select>
                <div class="buttons">
                    <button type="submit">{t(lang, "members.save")}</button>
                </div>
            </form>
        </section>
    }
}
