//! `/org/:id/compliance`: 三会一课 — each grid branch's meetings held against those due this
//! year, branches behind first, and the community's cadences.
use domain::activities::{self, BranchCompliance};
use domain::org::page::node_page;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{activity_scope, ACTIVITY_FORM};
use crate::error::fail;
use crate::i18n::{t, use_lang};
use crate::shell::{error_page, require_principal, HeaderUser, Layout};

#[component]
pub fn CompliancePage() -> impl IntoView {
    let lang = use_lang();
    let node = use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default();
    let saved = use_query_map().read_untracked().get("saved").is_some();
    Suspend::new(async move {
        let p = match require_principal().await {
            Ok(p) => p,
            Err(view) => return view,
        };
        let user = HeaderUser::of(&p);
        let loaded = async {
            let (state, scope, node_id) = activity_scope(&node).await?;
            let page = node_page(&state.db, &p, node_id).await.map_err(fail)?;
            let tx = scope.read(&state.db).await.map_err(fail)?;
            let mut branches = activities::compliance(&tx, chrono::Utc::now())
                .await
                .map_err(fail)?;
            let cadences = activities::cadences(&tx).await.map_err(fail)?;
            tx.commit().await.map_err(fail)?;
            branches.sort_by_key(|b| !b.behind());
            Ok((page, branches, cadences))
        };
        let (page, branches, cadences) = match loaded.await {
            Ok(loaded) => loaded,
            Err(err) => return error_page(Some(user), err),
        };
        let flash = crate::state::take_flash(ACTIVITY_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let node = page.node.id;
        let settings = cadences
            .into_iter()
            .map(|(kind, months)| {
                let options = [1, 2, 3, 6, 12]
                    .into_iter()
                    .map(|m| {
                        view! {
                            <option value=m.to_string() selected=m == months>
                                {crate::i18n::t_with(lang, "compliance.every", &[("n", m.to_string())])}
                            </option>
                        }
                    })
                    .collect_view();
                let id = format!("cadence-{}", kind.as_str());
                view! {
                    <form method="post" action="/api/activities/cadence" class="inline-form">
                        <input type="hidden" name="node" value=node.to_string() />
                        <input type="hidden" name="kind" value=kind.as_str() />
                        <label for=id.clone()>{kind.label()}</label>
                        <select id=id name="months">{options}</select>
                        <button type="submit" class="secondary">{t(lang, "members.save")}</button>
                    </form>
                }
            })
            .collect_view();
        view! {
            <Layout user=Some(user) crumbs=page.crumbs.clone()>
                {saved.then(|| view! { <p class="notice" role="status">{t(lang, "members.saved")}</p> })}
                {error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <header class="page-head">
                    <p class="kind">{page.node.name.clone()}</p>
                    <h1>{t(lang, "compliance.title")}</h1>
                </header>
                <p class="hint">{t(lang, "compliance.hint")}</p>
                <Table branches />
                <section id="cadences">
                    <h2>{t(lang, "compliance.cadences")}</h2>
                    {settings}
                </section>
            </Layout>
        }
        .into_any()
    })
}

#[component]
fn Table(branches: Vec<BranchCompliance>) -> impl IntoView {
    let lang = use_lang();
    if branches.is_empty() {
        return view! { <p>{t(lang, "compliance.no_branches")}</p> }.into_any();
    }
    let heads = activities::ORGANISATIONAL_LIFE
        .iter()
        .map(|k| view! { <th scope="col">{k.label()}</th> })
        .collect_view();
    let rows = branches
        .into_iter()
        .map(|b| {
            let behind = b.behind();
            let cells = b
                .kinds
                .iter()
                .map(|k| {
                    let class = if k.behind() { "badge declined" } else { "badge confirmed" };
                    view! {
                        <td>
                            <span class=class>{format!("{}/{}", k.held, k.due)}</span>
                            {k.current_held.then(|| view! { " " <small>{t(lang, "compliance.current_held")}</small> })}
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{b.name}</th>
                    {cells}
                    <td>
                        {if behind {
                            view! { <span class="badge declined">{t(lang, "compliance.behind")}</span> }.into_any()
                        } else {
                            view! { <span class="badge confirmed">{t(lang, "compliance.on_track")}</span> }.into_any()
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">{t(lang, "compliance.branch")}</th>
                        {heads}
                        <th scope="col">{t(lang, "activities.status")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
