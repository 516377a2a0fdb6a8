//! `/org/:id/volunteers`: the community's volunteer teams with their size, activities and
//! hours this year; every member who served, most hours first; the form to form a team.
use domain::tenancy::Commit;
use domain::volunteers::{self, TeamSummary, Volunteer};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::{hours, year_of, VOLUNTEER_FORM};
use crate::i18n::{t, use_lang};
use crate::page::{on_node, Activities, NodeCtx, Outcome};
use crate::routes;
use crate::shell::{DataTable, PageHead};
use leptos::server_fn::ServerFn as _;

#[component]
pub fn VolunteersPage() -> impl IntoView {
    let year = year_of(use_query_map().read_untracked().get("year"));
    on_node(move |ctx: NodeCtx<Activities>| async move {
        let lang = ctx.lang;
        let tx = ctx.read().await?;
        let teams = volunteers::teams(&tx, year).await?;
        let people = volunteers::volunteers(&tx, year).await?;
        tx.commit().await?;
        let flash = crate::state::take_flash(VOLUNTEER_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let kept = flash.map(|f| f.values).unwrap_or_default();
        let value = move |key: &str| kept.get(key).cloned().unwrap_or_default();
        let node = ctx.node.id;
        let this_year = chrono::Datelike::year(&domain::clock::today());
        let years = (2020..=this_year)
            .rev()
            .map(|y| view! { <option value=y.to_string() selected=y == year>{y}</option> })
            .collect_view();
        let total: u32 = people.iter().map(|v| v.minutes).sum();
        Ok(view! {
            <Outcome error />
            <PageHead kind=ctx.node.name.clone() title=t(lang, "volunteers.title") />
            <form method="get" class="filters">
                <label>
                    {t(lang, "points.year")}
                    <select name="year">{years}</select>
                </label>
                <button type="submit" class="secondary">{t(lang, "members.filter")}</button>
            </form>
            <dl class="figures">
                <div><dt>{t(lang, "volunteers.teams")}</dt><dd>{teams.len()}</dd></div>
                <div><dt>{t(lang, "volunteers.people")}</dt><dd>{people.len()}</dd></div>
                <div><dt>{t(lang, "volunteers.hours")}</dt><dd>{hours(total)}</dd></div>
            </dl>
            <Teams teams node />
            <People people />
            <section id="new">
                <h2>{t(lang, "volunteers.form_team")}</h2>
                <form method="post" action=crate::volunteers::fns::SaveTeam::url() class="member-form">
                    <input type="hidden" name="node" value=node.to_string() />
                    <input type="hidden" name="team" value="" />
                    <label for="team-name">{t(lang, "field.team_name")}</label>
                    <input id="team-name" name="name" required maxlength="60" value=value("name") />
                    <label for="team-area">{t(lang, "field.service_area")}</label>
                    <textarea id="team-area" name="service_area" rows="2" maxlength="500">
                        {value("service_area")}
                    </textarea>
                    <div class="buttons">
                        <button type="submit">{t(lang, "volunteers.form_team")}</button>
                    </div>
                </form>
            </section>
        }
        .into_any())
    })
}

#[component]
fn Teams(teams: Vec<TeamSummary>, node: Uuid) -> impl IntoView {
    let lang = use_lang();
    if teams.is_empty() {
        return view! { <p>{t(lang, "volunteers.no_teams")}</p> }.into_any();
    }
    let rows = teams
        .into_iter()
        .map(|team| {
            view! {
                <tr>
                    <th scope="row">
                        <a href=routes::team(node, team.id).to_string()>{team.name}</a>
                    </th>
                    <td>{team.leader.map(|(_, name)| name).unwrap_or_default()}</td>
                    <td>{team.members}</td>
                    <td>{team.activities}</td>
                    <td>{hours(team.minutes)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section id="teams">
            <h2>{t(lang, "volunteers.teams")}</h2>
            <DataTable heads=vec![
                "field.team_name",
                "field.team_leader",
                "volunteers.members",
                "volunteers.activities",
                "volunteers.hours",
            ]>{rows}</DataTable>
        </section>
    }
    .into_any()
}

#[component]
fn People(people: Vec<Volunteer>) -> impl IntoView {
    let lang = use_lang();
    let body = if people.is_empty() {
        view! { <p>{t(lang, "volunteers.no_hours")}</p> }.into_any()
    } else {
        let rows = people
            .into_iter()
            .map(|v| {
                view! {
                    <tr>
                        <th scope="row">{v.name}</th>
                        <td>{v.activities}</td>
                        <td>{hours(v.minutes)}</td>
                        <td>{v.teams.join("、")}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <DataTable heads=vec![
                "field.full_name",
                "volunteers.activities",
                "volunteers.hours",
                "volunteers.teams",
            ]>{rows}</DataTable>
        }
        .into_any()
    };
    view! {
        <section id="volunteers">
            <h2>{t(lang, "volunteers.people")}</h2>
            {body}
        </section>
    }
}
