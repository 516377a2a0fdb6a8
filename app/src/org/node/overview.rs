//! Figures seen from above: a district's, street's or grouping's children, or a community's
//! totals for the levels over it (aggregates only, never names).
use domain::org::NodeKind;
use domain::rollup::{ChildFigures, ChildOrgLife, Figures, MemberBreakdown, OrgLifeFigures};
use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{t, use_lang};
use crate::routes;
use crate::shell::DataTable;
use crate::shell::{GroupedLinks, LinkButtons};

/// A district, street or grouping node; `street_staff` adds the street's own co-construction links.
#[component]
pub(super) fn Overview(
    node: Uuid,
    kind: NodeKind,
    street_staff: bool,
    totals: Figures,
    breakdown: MemberBreakdown,
    children: Vec<ChildFigures>,
    org_life: OrgLifeFigures,
    org_life_children: Vec<ChildOrgLife>,
) -> impl IntoView {
    let lang = use_lang();
    let dashboard = vec![
        (routes::dashboard(node), "dashboard.open"),
        (routes::dues_totals(node), "dues.street_title"),
        (routes::review_totals(node), "reviews.street_title"),
    ];
    // The street's own staff run its co-construction here; others only look at its figures.
    let links = if street_staff {
        let coop = vec![
            (routes::units(node), "coop.units"),
            (routes::needs(node), "needs.escalated"),
            (routes::projects(node), "projects.title"),
            (routes::meetings(node), "meetings.street_title"),
            (routes::resolutions(node), "resolutions.followup"),
        ];
        let groups = vec![("nav.group.coop", coop), ("nav.group.overall", dashboard)];
        view! { <GroupedLinks groups /> }.into_any()
    } else {
        view! { <LinkButtons links=dashboard /> }.into_any()
    };
    view! {
        {links}
        <FigureCards totals kind org_life />
        <Breakdown breakdown />
        <ChildTable children org_life=org_life_children />
        <p class="note">{t(lang, "node.rollup_note")}</p>
    }
}

/// A community seen by the street or district above it.
#[component]
pub(super) fn CommunityFigures(
    node: Uuid,
    totals: Figures,
    breakdown: MemberBreakdown,
    org_life: OrgLifeFigures,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <LinkButtons links=vec![(routes::dashboard(node), "dashboard.open")] />
        <FigureCards totals kind=NodeKind::Community org_life />
        <Breakdown breakdown />
        <p class="note">{t(lang, "node.rollup_note")}</p>
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
