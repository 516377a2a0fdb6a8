use domain::auth::NodeAccess;
use domain::org::placements::{Placement, PlacementKind};
use domain::org::NodeKind;
use domain::overview::{node_view, NodePage as Page, NodeView};
use domain::rollup::{ChildFigures, ChildOrgLife, Figures, MemberBreakdown, OrgLifeFigures};
use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{t, use_lang, Lang};
use crate::page::{on_node, NodeCtx};
use crate::routes;
use crate::shell::DataTable;
use leptos::server_fn::ServerFn as _;

/// `/org/:id`: detail for the viewer's own tenant, aggregates for nodes below, 无权访问 otherwise.
#[component]
pub fn NodePage() -> impl IntoView {
    let saved = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("saved")
        .is_some();
    on_node(move |ctx: NodeCtx<NodeAccess>| async move {
        let NodeCtx {
            state,
            principal,
            node,
            crumbs,
            access,
            lang,
        } = ctx;
        let (own_tenant, view) = node_view(&state.db, &principal, access, &node).await?;
        let page = Page {
            node,
            crumbs,
            own_tenant,
            view,
        };
        let todo = coop_todo(&state.db, &principal, &page).await;
        let mut unit_error = crate::state::take_flash(crate::org::fns::PLACEMENT_FORM)
            .await
            .map(|f| f.error.message(lang));
        if unit_error.is_none() {
            unit_error = crate::state::take_flash(crate::reporting::REPORTING_FORM)
                .await
                .map(|f| f.error.message(lang));
        }
        Ok(view! {
            {saved.then(|| view! { <p class="notice" role="status">{t(lang, "members.saved")}</p> })}
            {unit_error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {todo.map(|todo| view! { <CoopTodoNotice todo node=page.node.id /> })}
            <NodeBody page />
        }
        .into_any())
    })
}

/// The co-construction to-do of the street's or community's staff or a unit's liaison on their
/// own page; none elsewhere, or when nothing waits (a failure to read it only hides the notice).
async fn coop_todo(
    db: &domain::Db,
    p: &domain::auth::Principal,
    page: &Page,
) -> Option<domain::coop::CoopTodo> {
    let own = match &page.view {
        NodeView::Overview { .. } => page.own_tenant && page.node.kind == NodeKind::Street,
        NodeView::Community { .. } | NodeView::LiaisonHome { .. } => true,
        _ => false,
    };
    if !own {
        return None;
    }
    let scope = p.coop_scope(db, page.node.id).await.ok()?;
    let tx = scope.read(db).await.ok()?;
    let today = domain::clock::today();
    let todo = domain::coop::todo(&tx, today).await.ok()?;
    tx.commit().await.ok()?;
    (!todo.is_empty()).then_some(todo)
}

#[component]
fn CoopTodoNotice(todo: domain::coop::CoopTodo, node: Uuid) -> impl IntoView {
    let lang = use_lang();
    let count = |key: &str, n: usize| crate::i18n::t_with(lang, key, &[("n", n.to_string())]);
    view! {
        <p class="notice todo">
            {t(lang, "todo.title")} "："
            {(todo.minutes_owed > 0).then(|| view! {
                <a href=routes::meetings(node).to_string()>{count("todo.minutes_owed", todo.minutes_owed)}</a>
                " "
            })}
            {(todo.overdue > 0).then(|| view! {
                <a href=routes::resolutions(node).at("overdue").to_string()>{count("todo.overdue", todo.overdue)}</a>
            })}
        </p>
    }
}

fn kind_label(lang: Lang, kind: NodeKind) -> String {
    t(lang, &format!("kind.{}", kind.as_str()))
}

#[component]
fn NodeBody(page: Page) -> impl IntoView {
    let lang = use_lang();
    let node = page.node;
    let own_tenant = page.own_tenant;
    let body = match page.view {
        NodeView::Overview {
            totals,
            breakdown,
            children,
            org_life,
            org_life_children,
        } => view! {
            {(own_tenant && node.kind == NodeKind::Street).then(|| view! {
                <p class="actions">
                    <a class="button" href=routes::units(node.id).to_string()>{t(lang, "coop.units")}</a>
                    " "
                    <a class="button secondary" href=routes::needs(node.id).to_string()>{t(lang, "needs.escalated")}</a>
                    " "
                    <a class="button secondary" href=routes::projects(node.id).to_string()>{t(lang, "projects.title")}</a>
                    " "
                    <a class="button" href=routes::meetings(node.id).to_string()>{t(lang, "meetings.street_title")}</a>
                    " "
                    <a class="button secondary" href=routes::resolutions(node.id).to_string()>{t(lang, "resolutions.followup")}</a>
                </p>
            })}
            <p class="actions">
                <a class="button" href=routes::dashboard(node.id).to_string()>{t(lang, "dashboard.open")}</a>
            </p>
            <FigureCards totals kind=node.kind org_life />
            <Breakdown breakdown />
            <ChildTable children org_life=org_life_children />
            <p class="note">{t(lang, "node.rollup_note")}</p>
        }
        .into_any(),
        NodeView::Community { members, units, can_edit } => view! {
            <p class="actions">
                <a class="button" href=routes::members(node.id).to_string()>{t(lang, "members.roster")}</a>
                " "
                <a class="button secondary" href=routes::units(node.id).to_string()>{t(lang, "coop.partners")}</a>
                " "
                <a class="button secondary" href=routes::needs(node.id).to_string()>{t(lang, "needs.title")}</a>
                " "
                <a class="button secondary" href=routes::projects(node.id).to_string()>{t(lang, "projects.title")}</a>
                " "
                <a class="button secondary" href=routes::activities(node.id).to_string()>{t(lang, "activities.title")}</a>
                " "
                <a class="button secondary" href=routes::points(node.id).to_string()>{t(lang, "points.title")}</a>
                " "
                <a class="button secondary" href=routes::compliance(node.id).to_string()>{t(lang, "compliance.title")}</a>
                " "
                <a class="button secondary" href=routes::volunteers(node.id).to_string()>{t(lang, "volunteers.title")}</a>
                " "
                <a class="button secondary" href=routes::dashboard(node.id).to_string()>{t(lang, "dashboard.title")}</a>
                " "
                <a class="button secondary" href=routes::meetings(node.id).to_string()>{t(lang, "meetings.community_title")}</a>
                " "
                <a class="button secondary" href=routes::resolutions(node.id).to_string()>{t(lang, "resolutions.community_title")}</a>
            </p>
            <dl class="figures">
                <div>
                    <dt>{t(lang, "node.members")}</dt>
                    <dd>{members}</dd>
                </div>
            </dl>
            <UnitTree units community=node.id can_edit />
        }
        .into_any(),
        NodeView::CommunityFigures { totals, breakdown, org_life } => view! {
            <p class="actions">
                <a class="button" href=routes::dashboard(node.id).to_string()>{t(lang, "dashboard.open")}</a>
            </p>
            <FigureCards totals kind=node.kind org_life />
            <Breakdown breakdown />
            <p class="note">{t(lang, "node.rollup_note")}</p>
        }
        .into_any(),
        NodeView::PairedCommunity { unit_name } => view! {
            <section class="card">
                <h2>{t(lang, "activities.paired_title")}</h2>
                <p>{unit_name}</p>
                <p class="actions">
                    <a class="button" href=routes::activities(node.id).to_string()>{t(lang, "activities.organise_here")}</a>
                </p>
            </section>
        }
        .into_any(),
        NodeView::LiaisonHome { unit } => view! {
            <section class="card">
                <h2>{t(lang, "coop.my_unit")}</h2>
                {match unit {
                    Some(unit) => view! {
                        <p>
                            <a href=routes::unit(node.id, unit.id).to_string()>{unit.name}</a>
                        </p>
                        <p class="actions">
                            <a class="button" href=routes::needs(node.id).to_string()>{t(lang, "needs.wishes")}</a>
                            " "
                            <a class="button secondary" href=routes::projects(node.id).to_string()>{t(lang, "projects.title")}</a>
                            " "
                            <a class="button secondary" href=routes::meetings(node.id).to_string()>{t(lang, "meetings.title")}</a>
                            " "
                            <a class="button secondary" href=routes::resolutions(node.id).to_string()>{t(lang, "resolutions.tasks")}</a>
                        </p>
                    }
                    .into_any(),
                    None => view! { <p>{t(lang, "coop.no_unit")}</p> }.into_any(),
                }}
            </section>
        }
        .into_any(),
        NodeView::MemberHome {
            me,
            history,
            report,
            posts,
        } => view! {
            <p class="actions">
                <a class="button" href=routes::activities(node.id).to_string()>{t(lang, "activities.join_title")}</a>
                " "
                <a class="button secondary" href=routes::points(node.id).to_string()>{t(lang, "points.mine")}</a>
                " "
                <a class="button secondary" href=routes::needs(node.id).to_string()>{t(lang, "needs.wishes")}</a>
            </p>
            <OwnReport in_service=me.as_ref().is_some_and(|m| m.member.category == domain::members::Category::InService) report posts community=node.id />
            <section class="card">
                <h2>{t(lang, "node.me")}</h2>
                {match me {
                    Some(me) => view! {
                        <dl>
                            <dt>{t(lang, "node.name")}</dt>
                            <dd>{me.member.name}</dd>
                            <dt>{t(lang, "node.gender")}</dt>
                            <dd>{t(lang, &format!("gender.{}", me.member.gender.as_str()))}</dd>
                            <dt>{t(lang, "field.category")}</dt>
                            <dd>{t(lang, &format!("category.{}", me.member.category.as_str()))}</dd>
                            <dt>{t(lang, "field.status")}</dt>
                            <dd>{t(lang, &format!("status.{}", me.member.status.as_str()))}</dd>
                            <dt>{t(lang, "field.joined_on")}</dt>
                            <dd>{me.member.joined_on.map(|d| d.to_string()).unwrap_or_default()}</dd>
                            <dt>{t(lang, "field.phone")}</dt>
                            <dd>{me.member.phone.clone().unwrap_or_default()}</dd>
                            <dt>{t(lang, "field.employer")}</dt>
                            <dd>{me.member.employer.clone().unwrap_or_default()}</dd>
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
fn FigureCards(totals: Figures, kind: NodeKind, org_life: OrgLifeFigures) -> impl IntoView {
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
                <div class=(org_life.behind > 0).then_some("behind")>
                    <dt>{t(lang, "node.org_life_behind")}</dt>
                    <dd>{org_life.behind}</dd>
                </div>
            </dl>
        </section>
    }
}

/// Members by category and by status (counts only).
#[component]
fn Breakdown(breakdown: MemberBreakdown) -> impl IntoView {
    let lang = use_lang();
    let cells = |items: Vec<(String, i64)>| {
        items
            .into_iter()
            .map(|(label, n)| {
                view! {
                    <div>
                        <dt>{label}</dt>
                        <dd>{n}</dd>
                    </div>
                }
            })
            .collect_view()
    };
    let categories = breakdown
        .by_category
        .iter()
        .map(|(c, n)| (t(lang, &format!("category.{}", c.as_str())), *n))
        .collect();
    let statuses = breakdown
        .by_status
        .iter()
        .map(|(s, n)| (t(lang, &format!("status.{}", s.as_str())), *n))
        .collect();
    view! {
        <section class="breakdown">
            <h2>{t(lang, "field.category")}</h2>
            <dl class="figures small">{cells(categories)}</dl>
            <h2>{t(lang, "field.status")}</h2>
            <dl class="figures small">{cells(statuses)}</dl>
        </section>
    }
}

/// `org_life`: each child's 三会一课 figures (branches behind this year).
#[component]
fn ChildTable(children: Vec<ChildFigures>, org_life: Vec<ChildOrgLife>) -> impl IntoView {
    let lang = use_lang();
    if children.is_empty() {
        return view! { <p>{t(lang, "node.no_children")}</p> }.into_any();
    }
    let show_communities = children.iter().any(|c| c.node.kind != NodeKind::Community);
    let mut heads = vec!["node.name", "node.code"];
    if show_communities {
        heads.push("#node.communities");
    }
    heads.extend([
        "#node.members",
        "#node.grid_branches",
        "#node.org_life_behind",
    ]);
    view! {
        <section>
            <h2>{t(lang, "node.children")}</h2>
            <DataTable heads=heads>
                        {children
                            .into_iter()
                            .map(|c| {
                                let behind = org_life
                                    .iter()
                                    .find(|o| o.node.id == c.node.id)
                                    .map_or(0, |o| o.figures.behind);
                                let behind_class = if behind > 0 { "num behind" } else { "num" };
                                view! {
                                    <tr>
                                        <td>
                                            <a href=routes::node(c.node.id).to_string()>{c.node.name}</a>
                                        </td>
                                        <td class="code">{c.node.code}</td>
                                        {show_communities.then(|| view! { <td class="num">{c.figures.communities}</td> })}
                                        <td class="num">{c.figures.members}</td>
                                        <td class="num">{c.figures.grid_branches}</td>
                                        <td class=behind_class>{behind}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
            </DataTable>
        </section>
    }
    .into_any()
}

/// 网格党支部 › 楼栋党小组 › 党员中心户 as nested lists, with forms to organise them.
#[component]
fn UnitTree(units: Vec<Placement>, community: Uuid, can_edit: bool) -> impl IntoView {
    let lang = use_lang();
    let kind_key = |kind: PlacementKind| match kind {
        PlacementKind::GridBranch => "unit.grid_branch",
        PlacementKind::BuildingGroup => "unit.building_group",
        PlacementKind::CentralHousehold => "unit.central_household",
    };
    let child_kind = |kind: PlacementKind| match kind {
        PlacementKind::GridBranch => Some(PlacementKind::BuildingGroup),
        PlacementKind::BuildingGroup => Some(PlacementKind::CentralHousehold),
        PlacementKind::CentralHousehold => None,
    };
    let parent_kind = |kind: PlacementKind| match kind {
        PlacementKind::GridBranch => None,
        PlacementKind::BuildingGroup => Some(PlacementKind::GridBranch),
        PlacementKind::CentralHousehold => Some(PlacementKind::BuildingGroup),
    };
    let labels = domain::org::placements::labels(&units);
    let manage = |u: &Placement| -> Option<AnyView> {
        if !can_edit {
            return None;
        }
        let parents: Vec<(String, String, bool)> = parent_kind(u.kind)
            .map(|pk| {
                units
                    .iter()
                    .filter(|p| p.kind == pk)
                    .map(|p| {
                        let label = labels
                            .iter()
                            .find(|(id, _)| *id == p.id)
                            .map(|(_, l)| l.clone())
                            .unwrap_or_default();
                        (p.id.to_string(), label, Some(p.id) == u.parent_id)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let move_field = (!parents.is_empty()).then(|| {
            view! {
                <label>
                    {t(lang, "units.parent")}
                    <select name="parent">
                        {parents
                            .into_iter()
                            .map(|(id, label, selected)| view! { <option value=id selected=selected>{label}</option> })
                            .collect_view()}
                    </select>
                </label>
            }
        });
        let add_child = child_kind(u.kind).map(|ck| {
            view! {
                <form method="post" action=crate::org::fns::SavePlacement::url() class="inline-form">
                    <input type="hidden" name="community" value=community.to_string() />
                    <input type="hidden" name="unit" value="" />
                    <input type="hidden" name="kind" value=ck.as_str() />
                    <input type="hidden" name="parent" value=u.id.to_string() />
                    <label>
                        {t(lang, &format!("units.add.{}", ck.as_str()))}
                        <input name="name" maxlength="100" required />
                    </label>
                    <button type="submit" class="secondary">{t(lang, "units.add")}</button>
                </form>
            }
        });
        Some(
            view! {
                <details class="manage">
                    <summary>{t(lang, "units.manage")}</summary>
                    <form method="post" action=crate::org::fns::SavePlacement::url() class="inline-form">
                        <input type="hidden" name="community" value=community.to_string() />
                        <input type="hidden" name="unit" value=u.id.to_string() />
                        <input type="hidden" name="kind" value=u.kind.as_str() />
                        {(parent_kind(u.kind).is_none()).then(|| view! { <input type="hidden" name="parent" value="" /> })}
                        <label>
                            {t(lang, "units.name")}
                            <input name="name" maxlength="100" required value=u.name.clone() />
                        </label>
                        {move_field}
                        <button type="submit" class="secondary">{t(lang, "members.save")}</button>
                    </form>
                    {add_child}
                </details>
            }
            .into_any(),
        )
    };
    let item = |u: &Placement, inner: AnyView| {
        let kind = t(lang, kind_key(u.kind));
        view! {
            <li>
                <span class="unit-name">{u.name.clone()}</span>
                <span class="tag">{kind}</span>
                {manage(u)}
                {inner}
            </li>
        }
    };
    let children_of = |parent: Option<Uuid>| -> Vec<Placement> {
        units
            .iter()
            .filter(|u| u.parent_id == parent)
            .cloned()
            .collect()
    };
    let branches = children_of(None)
        .iter()
        .map(|branch| {
            let groups = children_of(Some(branch.id))
                .iter()
                .map(|group| {
                    let households = children_of(Some(group.id))
                        .iter()
                        .map(|h| item(h, ().into_any()))
                        .collect_view();
                    item(group, view! { <ul>{households}</ul> }.into_any())
                })
                .collect_view();
            item(branch, view! { <ul>{groups}</ul> }.into_any())
        })
        .collect_view();
    let add_branch = can_edit.then(|| {
        view! {
            <form method="post" action=crate::org::fns::SavePlacement::url() class="inline-form">
                <input type="hidden" name="community" value=community.to_string() />
                <input type="hidden" name="unit" value="" />
                <input type="hidden" name="kind" value="grid_branch" />
                <input type="hidden" name="parent" value="" />
                <label>
                    {t(lang, "units.add.grid_branch")}
                    <input name="name" maxlength="100" required />
                </label>
                <button type="submit" class="secondary">{t(lang, "units.add")}</button>
            </form>
        }
    });
    let empty = units.is_empty();
    view! {
        <section id="units">
            <h2>{t(lang, "node.organisation")}</h2>
            {empty.then(|| view! { <p>{t(lang, "node.no_units")}</p> })}
            {(!empty).then(|| view! { <ul class="tree">{branches}</ul> })}
            {add_branch}
        </section>
    }
}

/// 双报到 for the signed-in in-service member: where their report stands and, until the secretary
/// confirms it, the posts to pick.
#[component]
fn OwnReport(
    in_service: bool,
    report: Option<domain::reporting::Report>,
    posts: Vec<domain::reporting::Post>,
    community: Uuid,
) -> impl IntoView {
    use crate::reporting::{PostPicker, ReportSummary};
    use domain::reporting::ReportStatus;
    let lang = use_lang();
    if !in_service && report.is_none() {
        return None;
    }
    let confirmed = report
        .as_ref()
        .is_some_and(|r| r.status == ReportStatus::Confirmed);
    let picked: Vec<Uuid> = report
        .as_ref()
        .map(|r| r.posts.iter().map(|(id, _)| *id).collect())
        .unwrap_or_default();
    let label = t(
        lang,
        if report.is_some() {
            "reporting.resubmit"
        } else {
            "reporting.submit"
        },
    );
    let picker = (in_service && !confirmed).then(|| {
        view! { <PostPicker community member=None posts picked label /> }
    });
    Some(view! {
        <section id="reporting" class="card">
            <h2>{t(lang, "reporting.title")}</h2>
            <p class="note">{t(lang, "reporting.member_intro")}</p>
            <ReportSummary report />
            {picker}
        </section>
    })
}
