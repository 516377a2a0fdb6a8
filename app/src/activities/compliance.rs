//! `/org/:id/compliance`: 三会一课 — each grid branch's meetings held against those due this
//! year, branches behind first, and the community's cadences.
use domain::activities::{self, BranchCompliance};
use domain::tenancy::Commit;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::ACTIVITY_FORM;
use crate::i18n::{t, use_lang};
use crate::page::{on_node, Activities, NodeCtx, Outcome};
use crate::shell::PageHead;
use leptos::server_fn::ServerFn as _;

#[component]
pub fn CompliancePage() -> impl IntoView {
    let saved = use_query_map().read_untracked().get("saved").is_some();
    on_node(move |ctx: NodeCtx<Activities>| async move {
        let lang = ctx.lang;
        let tx = ctx.read().await?;
        let mut branches = activities::compliance(&tx, chrono::Utc::now()).await?;
        let cadences = activities::cadences(&tx).await?;
        tx.commit().await?;
        branches.sort_by_key(|b| !b.behind());
        let flash = crate::state::take_flash(ACTIVITY_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let node = ctx.node.id;
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
                    <form method="post" action=crate::activities::fns::SetCadence::url() class="inline-form">
                        <input type="hidden" name="node" value=node.to_string() />
                        <input type="hidden" name="kind" value=kind.as_str() />
                        <label for=id.clone()>{kind.label()}</label>
                        <select id=id name="months">{options}</select>
                        <button type="submit" class="secondary">{t(lang, "members.save")}</button>
                    </form>
                }
            })
            .collect_view();
        Ok(view! {
            <Outcome saved error />
            <PageHead kind=ctx.node.name.clone() title=t(lang, "compliance.title") />
            <p class="hint">{t(lang, "compliance.hint")}</p>
            <Table branches />
            <section id="cadences">
                <h2>{t(lang, "compliance.cadences")}</h2>
                {settings}
            </section>
        }
        .into_any())
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
        <div class="table-wrap" tabindex="0">
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
