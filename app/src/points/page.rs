//! `/org/:id/points`: a member's own points; for staff the ranking, one member's ledger
//! (`?member=`) with adjustments and reversals, and the rules.
use domain::auth::Role;
use domain::points::{self, MemberPoints, PointsCategory, RankRow, Rule};
use domain::tenancy::Commit;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::POINTS_FORM;
use crate::activities::when;
use crate::i18n::{t, use_lang};
use crate::page::{on_node, Activities, NodeCtx, Outcome};
use crate::routes;
use crate::shell::{DataTable, PageHead};
use leptos::server_fn::ServerFn as _;

enum View {
    Own(MemberPoints, domain::volunteers::MyService),
    Staff {
        ranking: Vec<RankRow>,
        member: Option<MemberPoints>,
        rules: Vec<(Rule, i32)>,
        frozen: Option<chrono::DateTime<chrono::Utc>>,
    },
}

#[component]
pub fn PointsPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let saved = query.get("saved").is_some();
    let this_year = chrono::Datelike::year(&domain::clock::today());
    let year = crate::volunteers::year_of(query.get("year"));
    let category = query
        .get("category")
        .and_then(|c| PointsCategory::parse(&c));
    let member = query.get("member").unwrap_or_default();
    on_node(move |ctx: NodeCtx<Activities>| async move {
        let lang = ctx.lang;
        let tx = ctx.read().await?;
        let view = match ctx.access.role() {
            Role::Member => View::Own(
                points::my_points(&tx, year).await?,
                domain::volunteers::my_service(&tx, year).await?,
            ),
            _ => {
                let member = match member.trim() {
                    "" => None,
                    id => {
                        let id = domain::validate::parse_id(id)?;
                        Some(points::member_points(&tx, id, year).await?)
                    }
                };
                View::Staff {
                    ranking: points::ranking(&tx, year, category).await?,
                    member,
                    rules: points::rules(&tx).await?,
                    frozen: points::frozen_at(&tx, year).await?,
                }
            }
        };
        tx.commit().await?;
        let flash = crate::state::take_flash(POINTS_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let node = ctx.node.id;
        let years = (2020..=this_year)
            .rev()
            .map(|y| view! { <option value=y.to_string() selected=y == year>{y}</option> })
            .collect_view();
        let body = match view {
            View::Own(mine, service) => view! {
                <Ledger points=mine node manage=false />
                <MyService service />
            }
            .into_any(),
            View::Staff {
                ranking,
                member,
                rules,
                frozen,
            } => view! {
                {member.map(|m| view! { <Ledger points=m node manage=true /> })}
                <Freeze node year this_year frozen />
                <Ranking ranking node year category />
                <Rules rules node />
            }
            .into_any(),
        };
        let categories = PointsCategory::ALL
            .iter()
            .map(|c| view! { <option value=c.as_str() selected=category == Some(*c)>{c.label()}</option> })
            .collect_view();
        Ok(view! {
            <Outcome saved error />
            <PageHead kind=ctx.node.name.clone() title=t(lang, "points.title") />
            <form method="get" class="filters">
                <label>
                    {t(lang, "points.year")}
                    <select name="year">{years}</select>
                </label>
                <label>
                    {t(lang, "points.category")}
                    <select name="category">
                        <option value="">{t(lang, "points.all_categories")}</option>
                        {categories}
                    </select>
                </label>
                <input type="hidden" name="member" value=member.clone() />
                <button type="submit" class="secondary">{t(lang, "members.filter")}</button>
            </form>
            {body}
        }
        .into_any())
    })
}

#[component]
fn Ledger(points: MemberPoints, node: Uuid, manage: bool) -> impl IntoView {
    let lang = use_lang();
    let member = points.member_id;
    let by_category = points
        .by_category
        .iter()
        .map(|(c, sum)| view! { <div><dt>{c.label()}</dt><dd>{*sum}</dd></div> })
        .collect_view();
    let rows = points
        .entries
        .iter()
        .map(|e| {
            let reverse = (manage && !e.reversal && !e.reversed).then(|| {
                view! {
                    <details class="manage">
                        <summary>{t(lang, "points.reverse")}</summary>
                        <form method="post" action=crate::points::fns::ReversePoints::url() class="inline-form">
                            <input type="hidden" name="node" value=node.to_string() />
                            <input type="hidden" name="member" value=member.to_string() />
                            <input type="hidden" name="entry" value=e.id.to_string() />
                            <label>
                                {t(lang, "field.points_reason")}
                                <input name="reason" maxlength="200" required />
                            </label>
                            <button type="submit" class="secondary">{t(lang, "points.reverse")}</button>
                        </form>
                    </details>
                }
            });
            let note = match (e.reversal, e.reversed) {
                (true, _) => Some(t(lang, "points.is_reversal")),
                (_, true) => Some(t(lang, "points.was_reversed")),
                _ => None,
            };
            view! {
                <tr>
                    <td>{when(e.at)}</td>
                    <td>{e.category.label()}</td>
                    <td class="num">{format!("{:+}", e.points)}</td>
                    <td>{e.reason.clone()} {note.map(|n| view! { " " <small>{n}</small> })}</td>
                    {manage.then(|| view! { <td class="no-print">{reverse}</td> })}
                </tr>
            }
        })
        .collect_view();
    let adjust = manage.then(|| {
        view! {
            <form method="post" action=crate::points::fns::AdjustPoints::url() class="inline-form no-print">
                <input type="hidden" name="node" value=node.to_string() />
                <input type="hidden" name="member" value=member.to_string() />
                <label>
                    {t(lang, "points.adjust_by")}
                    <input name="points" inputmode="numeric" maxlength="4" required />
                </label>
                <label>
                    {t(lang, "field.points_reason")}
                    <input name="reason" maxlength="200" required />
                </label>
                <button type="submit">{t(lang, "points.adjust")}</button>
            </form>
        }
    });
    let mut heads = vec![
        "points.when",
        "points.category",
        "#points.points",
        "field.points_reason",
    ];
    if manage {
        heads.push("");
    }
    view! {
        <section id="ledger">
            <h2>{points.name.clone()} " · " {points.year} " · " {t(lang, "points.total")} " " {points.total}</h2>
            <dl class="figures">{by_category}</dl>
            {adjust}
            <DataTable heads=heads>{rows}</DataTable>
        </section>
    }
}

/// A finished year's totals are frozen once for its ranking.
#[component]
fn Freeze(
    node: Uuid,
    year: i32,
    this_year: i32,
    frozen: Option<chrono::DateTime<chrono::Utc>>,
) -> impl IntoView {
    let lang = use_lang();
    match frozen {
        Some(at) => Some(
            view! { <p class="note">{t(lang, "points.frozen_at")} " " {when(at)}</p> }.into_any(),
        ),
        None if year < this_year => Some(
            view! {
                <form method="post" action=crate::points::fns::FreezeYear::url() class="inline no-print">
                    <input type="hidden" name="node" value=node.to_string() />
                    <input type="hidden" name="year" value=year.to_string() />
                    <button type="submit" class="secondary">{t(lang, "points.freeze")}</button>
                </form>
            }
            .into_any(),
        ),
        None => None,
    }
}

#[component]
fn Ranking(
    ranking: Vec<RankRow>,
    node: Uuid,
    year: i32,
    category: Option<PointsCategory>,
) -> impl IntoView {
    let lang = use_lang();
    if ranking.is_empty() {
        return view! { <p>{t(lang, "points.none")}</p> }.into_any();
    }
    let rows = ranking
        .into_iter()
        .map(|r| {
            view! {
                <tr>
                    <td class="num">{r.rank}</td>
                    <td><a href=routes::points(node).query("year", year).query("member", r.member_id).to_string()>{r.name}</a></td>
                    <td class="num">{r.points}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section id="ranking">
            <h2>{t(lang, "points.ranking")} " · " {year} " · " {category.map(|c| c.label()).unwrap_or("")}</h2>
            <DataTable heads=vec!["#points.rank", "field.full_name", "#points.points"]>{rows}</DataTable>
        </section>
    }
    .into_any()
}

#[component]
fn Rules(rules: Vec<(Rule, i32)>, node: Uuid) -> impl IntoView {
    let lang = use_lang();
    let rows = rules
        .into_iter()
        .map(|(rule, points)| {
            let id = format!("rule-{}", rule.as_str());
            view! {
                <form method="post" action=crate::points::fns::SetRule::url() class="inline-form">
                    <input type="hidden" name="node" value=node.to_string() />
                    <input type="hidden" name="rule" value=rule.as_str() />
                    <label for=id.clone()>{rule.label()}</label>
                    <input id=id name="points" inputmode="numeric" maxlength="3" value=points.to_string() />
                    <button type="submit" class="secondary">{t(lang, "members.save")}</button>
                </form>
            }
        })
        .collect_view();
    view! {
        <section id="rules">
            <h2>{t(lang, "points.rules")}</h2>
            <p class="hint">{t(lang, "points.rules_hint")}</p>
            {rows}
        </section>
    }
}

/// The member's own volunteer service of the year and their teams.
#[component]
fn MyService(service: domain::volunteers::MyService) -> impl IntoView {
    let lang = use_lang();
    let teams = if service.teams.is_empty() {
        "—".to_owned()
    } else {
        service.teams.join("、")
    };
    view! {
        <section id="service" class="card">
            <h2>{t(lang, "volunteers.mine")}</h2>
            <dl class="fields">
                <div><dt>{t(lang, "volunteers.hours")}</dt><dd>{crate::volunteers::hours(service.minutes)}</dd></div>
                <div><dt>{t(lang, "volunteers.activities")}</dt><dd>{service.activities}</dd></div>
                <div><dt>{t(lang, "volunteers.teams")}</dt><dd>{teams}</dd></div>
            </dl>
        </section>
    }
}
