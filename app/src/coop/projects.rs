//! `/org/:id/projects`: 项目清单 — the projects the viewer plans or owns, the form that matches a
//! need to resources, and each project's progress report.
use domain::coop::{
    self, CoopScope, Need, PartnerSummary, Project, ProjectStatus, Resource, Viewer,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::COOP_FORM;
use crate::i18n::{t, use_lang};
use crate::page::{on_node, NodeCtx, Outcome};
use crate::shell::PageHead;
use leptos::server_fn::ServerFn as _;

/// What planning a project can pick from: needs, units and offered resources the planner sees.
struct Choices {
    needs: Vec<Need>,
    units: Vec<PartnerSummary>,
    resources: Vec<Resource>,
}

#[component]
pub fn ProjectsPage() -> impl IntoView {
    let saved = use_query_map().read_untracked().get("saved").is_some();
    on_node(move |ctx: NodeCtx<CoopScope>| async move {
        let lang = ctx.lang;
        let today = domain::clock::today();
        let tx = ctx.read().await?;
        let projects = coop::projects(&tx, today).await?;
        let plans = match ctx.access.viewer() {
            Viewer::Unit(_) => None,
            _ => Some(Choices {
                needs: coop::needs(&tx)
                    .await?
                    .into_iter()
                    .filter(|n| !n.wish)
                    .collect(),
                units: coop::partners(&tx).await?,
                resources: coop::resources(&tx)
                    .await?
                    .into_iter()
                    .filter(|r| r.active)
                    .collect(),
            }),
        };
        tx.commit().await?;
        let flash = crate::state::take_flash(COOP_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let kept = flash.map(|f| f.values).unwrap_or_default();
        let node = ctx.node.id;
        let empty = projects
            .is_empty()
            .then(|| view! { <p>{t(lang, "projects.none")}</p> });
        let cards = projects
            .into_iter()
            .map(|project| view! { <ProjectCard project node /> })
            .collect_view();
        Ok(view! {
            <Outcome saved error />
            <PageHead kind=ctx.node.name.clone() title=t(lang, "projects.title") />
            {empty}
            {cards}
            {plans.map(|choices| view! { <PlanForm choices node kept /> })}
        }
        .into_any())
    })
}

#[component]
fn ProjectCard(project: Project, node: Uuid) -> impl IntoView {
    let lang = use_lang();
    let statuses = ProjectStatus::ALL
        .iter()
        .map(|s| {
            view! {
                <option value=s.as_str() selected=*s == project.status>
                    {t(lang, &format!("project_status.{}", s.as_str()))}
                </option>
            }
        })
        .collect_view();
    let resources = crate::i18n::names(&project.resources);
    let badge = match (project.status, project.overdue) {
        (ProjectStatus::Done, _) => "confirmed",
        (_, true) => "declined",
        _ => "pending",
    };
    view! {
        <article class="card">
            <h2>{project.title}</h2>
            <p>
                <span class=format!("badge {badge}")>
                    {t(lang, &format!("project_status.{}", project.status.as_str()))}
                    {project.overdue.then(|| format!(" · {}", t(lang, "projects.overdue")))}
                </span>
                " " {t(lang, "field.owner_unit")} "：" {project.owner_unit.1}
                " · " {t(lang, "field.lead_person")} "：" {project.lead_person}
                " · " {t(lang, "field.deadline")} "：" {project.deadline.to_string()}
            </p>
            {project.need.map(|(_, title)| view! { <p>{t(lang, "projects.need")} "：" {title}</p> })}
            <p>{t(lang, "field.resources")} "：" {resources}</p>
            {project.outcome.clone().map(|o| view! { <p>{t(lang, "field.outcome")} "：" {o}</p> })}
            <details class="manage no-print">
                <summary>{t(lang, "projects.report")}</summary>
                <form method="post" action=crate::coop::fns::UpdateProject::url() class="member-form">
                    <input type="hidden" name="node" value=node.to_string() />
                    <input type="hidden" name="project" value=project.id.to_string() />
                    <label for=format!("status-{}", project.id)>{t(lang, "field.project_status")}</label>
                    <select id=format!("status-{}", project.id) name="status">{statuses}</select>
                    <label for=format!("outcome-{}", project.id)>{t(lang, "field.outcome")}</label>
                    <textarea id=format!("outcome-{}", project.id) name="outcome" rows="2" maxlength="500">
                        {project.outcome.unwrap_or_default()}
                    </textarea>
                    <label for=format!("served-{}", project.id)>{t(lang, "field.beneficiaries")}</label>
                    <input
                        id=format!("served-{}", project.id)
                        name="beneficiaries"
                        inputmode="numeric"
                        maxlength="7"
                        value=project.beneficiaries.map(|n| n.to_string()).unwrap_or_default()
                    />
                    <div class="buttons">
                        <button type="submit">{t(lang, "members.save")}</button>
                    </div>
                </form>
            </details>
        </article>
    }
}

#[component]
fn PlanForm(
    choices: Choices,
    node: Uuid,
    kept: std::collections::HashMap<String, String>,
) -> impl IntoView {
    let lang = use_lang();
    let value = |key: &str| kept.get(key).cloned().unwrap_or_default();
    // A refused plan comes back with what was picked.
    let (kept_need, kept_owner) = (value("need"), value("owner_unit"));
    let kept_resources = value("resources");
    let needs = choices
        .needs
        .into_iter()
        .map(|n| {
            let selected = kept_need == n.id.to_string();
            view! { <option value=n.id.to_string() selected=selected>{n.title}</option> }
        })
        .collect_view();
    let units = choices
        .units
        .into_iter()
        .map(|u| {
            let selected = kept_owner == u.id.to_string();
            view! { <option value=u.id.to_string() selected=selected>{u.name}</option> }
        })
        .collect_view();
    let no_resources = choices.resources.is_empty();
    let resources = choices
        .resources
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let detail = [r.quantity, r.availability]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
            view! {
                <label class="check post">
                    <input
                        type="checkbox"
                        name=format!("resources[{i}]")
                        value=r.id.to_string()
                        checked=kept_resources.split(',').any(|k| k == r.id.to_string())
                    />
                    <span>
                        <strong>{r.name}</strong>
                        " "
                        {r.unit_name}
                        <small>{t(lang, &format!("resource_kind.{}", r.kind.as_str()))} " " {detail}</small>
                    </span>
                </label>
            }
        })
        .collect_view();
    view! {
        <section id="new">
            <h2>{t(lang, "projects.plan")}</h2>
            <form method="post" action=crate::coop::fns::CreateProject::url() class="member-form">
                <input type="hidden" name="node" value=node.to_string() />
                <label for="project-need">{t(lang, "projects.need")}</label>
                <select id="project-need" name="need">
                    <option value="">{t(lang, "projects.no_need")}</option>
                    {needs}
                </select>
                <label for="project-title">{t(lang, "field.project_title")}</label>
                <input id="project-title" name="title" required maxlength="100" value=value("title") />
                <label for="owner-unit">{t(lang, "field.owner_unit")}</label>
                <select id="owner-unit" name="owner_unit">{units}</select>
                <label for="lead-person">{t(lang, "field.lead_person")}</label>
                <input id="lead-person" name="lead_person" required maxlength="64" value=value("lead_person") />
                <label for="deadline">{t(lang, "field.deadline")}</label>
                <input id="deadline" name="deadline" type="date" required value=value("deadline") />
                <fieldset>
                    <legend>{t(lang, "field.resources")}</legend>
                    {no_resources.then(|| view! { <p class="hint">{t(lang, "projects.no_resources")}</p> })}
                    {resources}
                </fieldset>
                <div class="buttons">
                    <button type="submit">{t(lang, "projects.plan")}</button>
                </div>
            </form>
        </section>
    }
}
