//! `/org/:id/dashboard` (`?by=` ranks the children by one figure).
use domain::org::NodeKind;
use domain::rollup::{self, ChildDashboard, Dashboard, RollupScope};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::charts;
use crate::i18n::{t, use_lang};
use crate::page::{on_node, NodeCtx};
use crate::routes;
use crate::shell::DataTable;

/// A figure the children can be ranked by: its key in `?by=`, its label and how to read it.
struct Figure {
    key: &'static str,
    label: &'static str,
    value: fn(&ChildDashboard) -> f64,
}

const FIGURES: [Figure; 10] = [
    Figure {
        key: "members",
        label: "node.members",
        value: |c| c.figures.figures.members as f64,
    },
    Figure {
        key: "lost",
        label: "dashboard.lost_contact",
        value: |c| c.members.lost_contact as f64,
    },
    Figure {
        key: "reported",
        label: "dashboard.reported_rate",
        value: |c| c.members.reported_rate().unwrap_or(0.0),
    },
    Figure {
        key: "activities",
        label: "dashboard.activities_year",
        value: |c| c.activity.this_year() as f64,
    },
    Figure {
        key: "attendance",
        label: "dashboard.attendance_rate",
        value: |c| c.activity.attendance_rate().unwrap_or(0.0),
    },
    Figure {
        key: "hours",
        label: "volunteers.hours",
        value: |c| c.activity.volunteer_minutes as f64 / 60.0,
    },
    Figure {
        key: "points",
        label: "dashboard.points",
        value: |c| c.activity.points as f64,
    },
    Figure {
        key: "behind",
        label: "node.org_life_behind",
        value: |c| c.org_life.behind as f64,
    },
    Figure {
        key: "completion",
        label: "dashboard.completion_rate",
        value: |c| c.coop.completion_rate().unwrap_or(0.0),
    },
    Figure {
        key: "overdue",
        label: "dashboard.overdue",
        value: |c| c.coop.resolutions_overdue as f64,
    },
];

fn rate(r: Option<f64>) -> String {
    r.map_or_else(|| "—".to_owned(), |r| format!("{r:.0}%"))
}

fn hours(minutes: i64) -> String {
    crate::volunteers::hours(u32::try_from(minutes.max(0)).unwrap_or(u32::MAX))
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let by = use_query_map()
        .read_untracked()
        .get("by")
        .unwrap_or_default();
    on_node(move |ctx: NodeCtx<RollupScope>| async move {
        let (lang, node) = (ctx.lang, ctx.node);
        let board = rollup::dashboard(&ctx.state.db, &ctx.access, chrono::Utc::now()).await?;
        let figure = FIGURES.iter().find(|f| f.key == by).unwrap_or(&FIGURES[3]);
        Ok(view! {
            <div class="dashboard">
            <header class="page-head">
                <p class="kind">
                    <a href=routes::node(node.id).to_string()>{node.name.clone()}</a>
                    " · " {board.year}
                </p>
                <h1>{t(lang, "dashboard.title")}</h1>
                <p class="actions no-print">
                    <a class="button secondary" href=routes::file(node.id, "dashboard.xlsx").to_string()>
                        {t(lang, "dashboard.export")}
                    </a>
                </p>
            </header>
            <Headline board=board.clone() kind=node.kind />
            <Members board=board.clone() />
            <Trend board=board.clone() />
            <Kinds board=board.clone() />
            {(!board.children.is_empty()).then(|| view! {
                <Ranking board=board.clone() figure node=node.id />
            })}
            <p class="note">{t(lang, "node.rollup_note")}</p>
            </div>
        }
        .into_any())
    })
}

#[component]
fn Headline(board: Dashboard, kind: NodeKind) -> impl IntoView {
    let lang = use_lang();
    let a = &board.activity;
    let c = &board.coop;
    let m = &board.members;
    let card = |label: String, value: String, behind: bool| {
        view! {
            <div class=behind.then_some("behind")>
                <dt>{label}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    view! {
        <section aria-label=t(lang, "node.totals")>
            <dl class="figures">
                {(kind != NodeKind::Community).then(|| card(t(lang, "node.communities"), board.totals.communities.to_string(), false))}
                {card(t(lang, "node.members"), board.totals.members.to_string(), false)}
                {card(t(lang, "dashboard.in_service"), m.in_service.to_string(), false)}
                {card(t(lang, "dashboard.reported"), m.reported.to_string(), false)}
                {card(t(lang, "dashboard.reported_rate"), rate(m.reported_rate()), false)}
                {card(t(lang, "dashboard.reports_pending"), m.reports_pending.to_string(), false)}
                {card(t(lang, "dashboard.lost_contact"), m.lost_contact.to_string(), m.lost_contact > 0)}
                {card(t(lang, "dashboard.activities_month"), a.this_month().to_string(), false)}
                {card(t(lang, "dashboard.activities_quarter"), a.this_quarter().to_string(), false)}
                {card(t(lang, "dashboard.activities_year"), a.this_year().to_string(), false)}
                {card(t(lang, "dashboard.attendance_rate"), rate(a.attendance_rate()), false)}
                {card(t(lang, "volunteers.hours"), hours(a.volunteer_minutes), false)}
                {card(t(lang, "dashboard.points"), a.points.to_string(), false)}
                {card(t(lang, "node.grid_branches"), board.totals.grid_branches.to_string(), false)}
                {card(t(lang, "node.org_life_behind"), board.org_life.behind.to_string(), board.org_life.behind > 0)}
            </dl>
        </section>
        <section aria-label=t(lang, "dashboard.coop")>
            <h2>{t(lang, "dashboard.coop")}</h2>
            <dl class="figures small">
                {card(t(lang, "dashboard.needs_open"), c.needs_open.to_string(), false)}
                {card(t(lang, "dashboard.needs_claimed"), c.needs_claimed.to_string(), false)}
                {card(t(lang, "dashboard.needs_done"), c.needs_done.to_string(), false)}
                {card(t(lang, "dashboard.needs_escalated"), c.needs_escalated.to_string(), false)}
                {card(t(lang, "dashboard.resources"), c.resources.to_string(), false)}
                {card(t(lang, "dashboard.projects_active"), c.projects_active.to_string(), false)}
                {card(t(lang, "dashboard.projects_done"), c.projects_done.to_string(), false)}
                {card(t(lang, "dashboard.meetings_held"), c.meetings_held.to_string(), false)}
                {card(t(lang, "dashboard.completion_rate"), rate(c.completion_rate()), false)}
                {card(t(lang, "dashboard.overdue"), c.resolutions_overdue.to_string(), c.resolutions_overdue > 0)}
            </dl>
        </section>
    }
}

/// Members by category (a donut and its table) and by status (a table).
#[component]
fn Members(board: Dashboard) -> impl IntoView {
    let lang = use_lang();
    let parts: Vec<(String, f64)> = board
        .breakdown
        .by_category
        .iter()
        .map(|(c, n)| (c.label().to_owned(), *n as f64))
        .collect();
    let svg = charts::donut(&parts);
    let rows = board
        .breakdown
        .by_category
        .iter()
        .zip(charts::COLOURS.iter().cycle())
        .map(|((c, n), colour)| {
            view! {
                <tr>
                    <th scope="row">
                        <span class="swatch" style=format!("background:{colour}")></span>
                        {c.label()}
                    </th>
                    <td class="num">{*n}</td>
                </tr>
            }
        })
        .collect_view();
    let statuses = board
        .breakdown
        .by_status
        .iter()
        .map(|(s, n)| {
            view! {
                <tr>
                    <th scope="row">{s.label()}</th>
                    <td class="num">{*n}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="chart-block pair">
            <h2>{t(lang, "dashboard.members_by_category")}</h2>
            <div class="chart" aria-hidden="true" inner_html=svg></div>
            <DataTable heads=vec!["field.category", "#node.members"]>{rows}</DataTable>
            // On paper 失联 is among the headline figures; the page has room for every status.
            <DataTable heads=vec!["field.status", "#node.members"] class="print-skip">
                {statuses}
            </DataTable>
        </section>
    }
}

/// The last twelve months: activities and the attendance rate as lines, every monthly figure
/// in the table.
#[component]
fn Trend(board: Dashboard) -> impl IntoView {
    let lang = use_lang();
    let months: Vec<String> = board
        .trend
        .iter()
        .map(|m| {
            m.month
                .get(5..)
                .unwrap_or(&m.month)
                .trim_start_matches('0')
                .to_owned()
                + &t(lang, "dashboard.month_suffix")
        })
        .collect();
    let activities: Vec<f64> = board.trend.iter().map(|m| m.activities as f64).collect();
    let attendance: Vec<f64> = board
        .trend
        .iter()
        .map(|m| m.attendance_rate().unwrap_or(0.0))
        .collect();
    let activities = charts::trend(&t(lang, "dashboard.activities"), &months, &activities);
    let attendance = charts::trend(&t(lang, "dashboard.attendance_rate"), &months, &attendance);
    let rows = board
        .trend
        .iter()
        .map(|m| {
            view! {
                <tr>
                    <th scope="row">{m.month.clone()}</th>
                    <td class="num">{m.activities}</td>
                    <td class="num">{m.attended}</td>
                    <td class="num">{rate(m.attendance_rate())}</td>
                    <td class="num">{hours(m.volunteer_minutes)}</td>
                    <td class="num">{m.points}</td>
                    <td class="num">{m.meetings}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="chart-block pair trend">
            <h2>{t(lang, "dashboard.trend")}</h2>
            <div class="chart" aria-hidden="true" inner_html=activities></div>
            <DataTable
                heads=vec![
                    "dashboard.month",
                    "#dashboard.activities",
                    "#dashboard.attended",
                    "#dashboard.attendance_rate",
                    "#volunteers.hours",
                    "#dashboard.points",
                    "#dashboard.joint_meetings",
                ]
                class="print-skip"
            >
                {rows}
            </DataTable>
        </section>
        <section class="chart-block print-skip">
            <h2>{t(lang, "dashboard.attendance_trend")}</h2>
            <div class="chart" aria-hidden="true" inner_html=attendance></div>
        </section>
    }
}

/// Activities of each kind this month, quarter and year (on screen and in the workbook; the
/// printed page keeps the totals among the headline figures).
#[component]
fn Kinds(board: Dashboard) -> impl IntoView {
    let lang = use_lang();
    let rows = board
        .activity
        .by_kind
        .iter()
        .map(|k| {
            view! {
                <tr>
                    <th scope="row">{k.kind.label()}</th>
                    <td class="num">{k.this_month}</td>
                    <td class="num">{k.this_quarter}</td>
                    <td class="num">{k.this_year}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="print-skip">
            <h2>{t(lang, "dashboard.by_kind")}</h2>
            <DataTable heads=vec![
                "field.kind",
                "#dashboard.this_month",
                "#dashboard.this_quarter",
                "#dashboard.this_year",
            ]>{rows}</DataTable>
        </section>
    }
}

/// The children ranked by one figure (a bar chart and the full table); those behind on 三会一课,
/// with overdue resolutions or members out of contact are highlighted; each name opens the
/// child's dashboard.
#[component]
fn Ranking(board: Dashboard, figure: &'static Figure, node: uuid::Uuid) -> impl IntoView {
    let lang = use_lang();
    let mut children = board.children;
    // Highest first: the most active, or the most behind.
    children.sort_by(|a, b| {
        let (x, y) = ((figure.value)(a), (figure.value)(b));
        y.partial_cmp(&x).unwrap_or(std::cmp::Ordering::Equal)
    });
    let names: Vec<String> = children
        .iter()
        .map(|c| c.figures.node.name.clone())
        .collect();
    let values: Vec<f64> = children.iter().map(|c| (figure.value)(c)).collect();
    let svg = charts::bars(&t(lang, figure.label), &names, &values);
    let choices = FIGURES
        .iter()
        .map(|f| view! { <option value=f.key selected=f.key == figure.key>{t(lang, f.label)}</option> })
        .collect_view();
    let rows = children.into_iter().map(row).collect_view();
    view! {
        <section class="chart-block" id="ranking">
            <h2>{t(lang, "dashboard.ranking")}</h2>
            <form method="get" class="filters no-print" action=routes::dashboard(node).at("ranking").to_string()>
                <label>
                    {t(lang, "dashboard.rank_by")}
                    <select name="by">{choices}</select>
                </label>
                <button type="submit" class="secondary">{t(lang, "members.filter")}</button>
            </form>
            <div class="chart print-skip" aria-hidden="true" inner_html=svg></div>
            <DataTable heads=vec![
                "node.name",
                "#node.members",
                "#dashboard.lost_contact",
                "#dashboard.reported_rate",
                "#dashboard.activities_year",
                "#dashboard.attendance_rate",
                "#volunteers.hours",
                "#dashboard.points",
                "#node.org_life_behind",
                "#dashboard.completion_rate",
                "#dashboard.overdue",
            ]>{rows}</DataTable>
        </section>
    }
}

fn row(c: ChildDashboard) -> impl IntoView {
    let behind = c.org_life.behind;
    let overdue = c.coop.resolutions_overdue;
    let lost = c.members.lost_contact;
    let flag = |n: i64| if n > 0 { "num behind" } else { "num" };
    view! {
        <tr class=c.is_behind().then_some("is-behind")>
            <th scope="row">
                <a href=routes::dashboard(c.figures.node.id).to_string()>{c.figures.node.name.clone()}</a>
            </th>
            <td class="num">{c.figures.figures.members}</td>
            <td class=flag(lost)>{lost}</td>
            <td class="num">{rate(c.members.reported_rate())}</td>
            <td class="num">{c.activity.this_year()}</td>
            <td class="num">{rate(c.activity.attendance_rate())}</td>
            <td class="num">{hours(c.activity.volunteer_minutes)}</td>
            <td class="num">{c.activity.points}</td>
            <td class=flag(behind)>{behind}</td>
            <td class="num">{rate(c.coop.completion_rate())}</td>
            <td class=flag(overdue)>{overdue}</td>
        </tr>
    }
}
