//! `/org/:id/review-totals?year=2026`: a street's or district's 民主评议 of a year: per
//! community (or street), grid branches, those that decided, members by grade and the share of
//! 优秀. Figures only, never names.
use domain::rollup::{self, ReviewFigures, RollupScope};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{year_param, YearPicker};
use crate::i18n::t;
use crate::page::{on_node, NodeCtx};
use crate::routes;
use crate::shell::{DataTable, PageHead};

fn share(f: &ReviewFigures) -> String {
    f.excellent_share()
        .map(|s| format!("{s:.1}%"))
        .unwrap_or_default()
}

#[component]
pub fn ReviewTotalsPage() -> impl IntoView {
    let year = year_param(use_query_map().read_untracked().get("year"));
    on_node(move |ctx: NodeCtx<RollupScope>| async move {
        let lang = ctx.lang;
        let (total, children) = rollup::reviews(ctx.db(), &ctx.access, year).await?;
        let row = |name: String, f: &ReviewFigures| {
            let grades = f
                .grades
                .iter()
                .map(|n| view! { <td class="num">{*n}</td> })
                .collect_view();
            view! {
                <tr>
                    <td>{name}</td>
                    <td class="num">{f.branches}</td>
                    <td class="num">{f.decided}</td>
                    {grades}
                    <td class="num">{share(f)}</td>
                </tr>
            }
        };
        let body = children
            .iter()
            .map(|c| row(c.node.name.clone(), &c.figures))
            .chain([row(t(lang, "reviews.total"), &total)])
            .collect_view();
        let node = ctx.node.id;
        Ok(view! {
            <PageHead kind=ctx.node.name.clone() title=t(lang, "reviews.street_title") />
            <p class="note">{t(lang, "reviews.street_hint")}</p>
            <YearPicker action=routes::review_totals(node) year />
            <DataTable heads=vec![
                "reviews.community",
                "#reviews.branches",
                "#reviews.decided_branches",
                "#review_grade.excellent",
                "#review_grade.qualified",
                "#review_grade.basically_qualified",
                "#review_grade.unqualified",
                "#reviews.excellent_share",
            ]>
                {body}
            </DataTable>
        }
        .into_any())
    })
}
