use domain::org::page::{node_page, NodePage as Page, NodeView};
use domain::org::units::{UnitKind, UnitSummary};
use domain::org::NodeKind;
use domain::rollup::{ChildFigures, Figures};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::error::fail;
use crate::i18n::{t, use_lang, Lang};
use crate::shell::{error_page, require_principal, HeaderUser, Layout};
use crate::state::app_state;

/// `/org/:id`: detail for the viewer's own tenant, aggregates for nodes below, 无权访问 otherwise.
#[component]
pub fn NodePage() -> impl IntoView {
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default();
    Suspend::new(async move {
        let p = match require_principal().await {
            Ok(p) => p,
            Err(view) => return view,
        };
        let user = HeaderUser::of(&p);
        let page = async {
            let state = app_state()?;
            let id = domain::validate::parse_id(&id).map_err(fail)?;
            node_page(&state.db, &p, id).await.map_err(fail)
        };
        match page.await {
            Ok(page) => view! {
                <Layout user=Some(user) crumbs=page.crumbs.clone()>
                    <NodeBody page />
                </Layout>
            }
            .into_any(),
            Err(err) => error_page(Some(user), err),
        }
    })
}

fn kind_label(lang: Lang, kind: NodeKind) -> String {
    t(lang, &format!("kind.{}", kind.as_str()))
}

#[component]
fn NodeBody(page: Page) -> impl IntoView {
    let lang = use_lang();
    let node = page.node;
    let body = match page.view {
        NodeView::Overview { totals, children } => view! {
            <FigureCards totals kind=node.kind />
            <ChildTable children />
            <p class="note">{t(lang, "node.rollup_note")}</p>
        }
        .into_any(),
        NodeView::Community { members, units } => view! {
            <p class="actions">
                <a class="button" href=format!("/org/{}/members", node.id)>{t(lang, "members.roster")}</a>
            </p>
            <dl class="figures">
                <div>
                    <dt>{t(lang, "node.members")}</dt>
                    <dd>{members}</dd>
                </div>
            </dl>
            <UnitTree units />
        }
        .into_any(),
        NodeView::CommunityFigures { totals } => view! {
            <FigureCards totals kind=node.kind />
            <p class="note">{t(lang, "node.rollup_note")}</p>
        }
        .into_any(),
        NodeView::MemberHome { me, history } => view! {
            <section class="card">
                <h2>{t(lang, "node.me")}</h2>
                {match me {
                    Some(me) => view! {
                        <dl>
                            <dt>{t(lang, "node.name")}</dt>
                            <dd>{me.name}</dd>
                            <dt>{t(lang, "node.gender")}</dt>
                            <dd>{t(lang, &format!("gender.{}", me.gender.as_str()))}</dd>
                            <dt>{t(lang, "field.category")}</dt>
                            <dd>{t(lang, &format!("category.{}", me.category.as_str()))}</dd>
                            <dt>{t(lang, "field.status")}</dt>
                            <dd>{t(lang, &format!("status.{}", me.status.as_str()))}</dd>
                            <dt>{t(lang, "field.joined_on")}</dt>
                            <dd>{me.joined_on.map(|d| d.to_string()).unwrap_or_default()}</dd>
                            <dt>{t(lang, "field.phone")}</dt>
                            <dd>{me.phone.clone().unwrap_or_default()}</dd>
                            <dt>{t(lang, "field.employer")}</dt>
                            <dd>{me.employer.clone().unwrap_or_default()}</dd>
                        </dl>
                    }
                    .into_any(),
                    None => view! { <p>{t(lang, "node.not_on_roster")}</p> }.into_any(),
                }}
            </section>
            {(!history.is_empty()).then(|| view! {
                <section>
                    <h2>{t(lang, "members.history")}</h2>
                    <ol class="history">
                        {history
                            .into_iter()
                            .rev()
                            .map(|e| view! {
                                <li>
                                    <time datetime=e.at.to_rfc3339()>{e.at.format("%Y-%m-%d").to_string()}</time>
                                    " "
                                    {t(lang, &format!("members.event.{}", e.kind))}
                                </li>
                            })
                            .collect_view()}
                    </ol>
                </section>
            })}
        }
        .into_any(),
    };
    view! {
        <header class="page-head">
            <p class="kind">{kind_label(lang, node.kind)}</p>
            <h1>{node.name}</h1>
            <p class="code">{t(lang, "node.code")} " " <span>{node.code}</span></p>
        </header>
        {body}
    }
}

#[component]
fn FigureCards(totals: Figures, kind: NodeKind) -> impl IntoView {
    let lang = use_lang();
    let communities = (kind != NodeKind::Community).then(|| {
        view! {
            <div>
                <dt>{t(lang, "node.communities")}</dt>
                <dd>{totals.communities}</dd>
            </div>
        }
    });
    view! {
        <section aria-label=t(lang, "node.totals")>
            <dl class="figures">
                {communities}
                <div>
                    <dt>{t(lang, "node.members")}</dt>
                    <dd>{totals.members}</dd>
                </div>
                <div>
                    <dt>{t(lang, "node.grid_branches")}</dt>
                    <dd>{totals.grid_branches}</dd>
                </div>
            </dl>
        </section>
    }
}

#[component]
fn ChildTable(children: Vec<ChildFigures>) -> impl IntoView {
    let lang = use_lang();
    if children.is_empty() {
        return view! { <p>{t(lang, "node.no_children")}</p> }.into_any();
    }
    let show_communities = children.iter().any(|c| c.node.kind != NodeKind::Community);
    view! {
        <section>
            <h2>{t(lang, "node.children")}</h2>
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{t(lang, "node.name")}</th>
                            <th scope="col">{t(lang, "node.code")}</th>
                            {show_communities.then(|| view! { <th scope="col" class="num">{t(lang, "node.communities")}</th> })}
                            <th scope="col" class="num">{t(lang, "node.members")}</th>
                            <th scope="col" class="num">{t(lang, "node.grid_branches")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {children
                            .into_iter()
                            .map(|c| {
                                view! {
                                    <tr>
                                        <td>
                                            <a href=format!("/org/{}", c.node.id)>{c.node.name}</a>
                                        </td>
                                        <td class="code">{c.node.code}</td>
                                        {show_communities.then(|| view! { <td class="num">{c.figures.communities}</td> })}
                                        <td class="num">{c.figures.members}</td>
                                        <td class="num">{c.figures.grid_branches}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// 网格党支部 › 楼栋党小组 › 党员中心户 as nested lists.
#[component]
fn UnitTree(units: Vec<UnitSummary>) -> impl IntoView {
    let lang = use_lang();
    if units.is_empty() {
        return view! {
            <section>
                <h2>{t(lang, "node.organisation")}</h2>
                <p>{t(lang, "node.no_units")}</p>
            </section>
        }
        .into_any();
    }
    let children_of = |parent: Option<uuid::Uuid>| -> Vec<UnitSummary> {
        units
            .iter()
            .filter(|u| u.parent_id == parent)
            .cloned()
            .collect()
    };
    let label = move |u: &UnitSummary| {
        let kind = match u.kind {
            UnitKind::GridBranch => "unit.grid_branch",
            UnitKind::BuildingGroup => "unit.building_group",
            UnitKind::CentralHousehold => "unit.central_household",
        };
        (u.name.clone(), t(lang, kind))
    };
    let branches = children_of(None)
        .into_iter()
        .map(|branch| {
            let groups = children_of(Some(branch.id))
                .into_iter()
                .map(|group| {
                    let households = children_of(Some(group.id))
                        .into_iter()
                        .map(|h| {
                            let (name, kind) = label(&h);
                            view! { <li>{name} <span class="tag">{kind}</span></li> }
                        })
                        .collect_view();
                    let (name, kind) = label(&group);
                    view! { <li>{name} <span class="tag">{kind}</span><ul>{households}</ul></li> }
                })
                .collect_view();
            let (name, kind) = label(&branch);
            view! { <li>{name} <span class="tag">{kind}</span><ul>{groups}</ul></li> }
        })
        .collect_view();
    view! {
        <section>
            <h2>{t(lang, "node.organisation")}</h2>
            <ul class="tree">{branches}</ul>
        </section>
    }
    .into_any()
}
