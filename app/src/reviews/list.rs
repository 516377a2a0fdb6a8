//! `/org/:id/reviews`: each grid branch's 民主评议 of a year — members to grade, how many are
//! graded by grade, and whether the branch decided. A 支部书记 sees their branch.
use domain::reviews::{self, ReviewGrade};
use domain::tenancy::Commit;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{year_param, YearPicker};
use crate::i18n::t;
use crate::page::{on_node, NodeCtx, Staff};
use crate::routes;
use crate::shell::{DataTable, PageHead};

#[component]
pub fn ReviewsPage() -> impl IntoView {
    let year = year_param(use_query_map().read_untracked().get("year"));
    on_node(move |ctx: NodeCtx<Staff>| async move {
        let lang = ctx.lang;
        let tx = ctx.read().await?;
        let branches = reviews::reviews(&tx, year, domain::clock::today()).await?;
        tx.commit().await?;
        let node = ctx.node.id;
        let empty = branches.is_empty();
        let body = branches
            .into_iter()
            .map(|b| {
                let href = routes::branch_review(node, b.branch_id).query("year", year);
                let state = match b.decided_on {
                    Some(day) => {
                        view! { <span class="badge confirmed">{day.to_string()}</span> }.into_any()
                    }
                    None => {
                        view! { <span class="badge">{t(lang, "reviews.draft")}</span> }.into_any()
                    }
                };
                let grades = ReviewGrade::ALL
                    .iter()
                    .map(|g| view! { <td class="num">{b.grades.of(*g)}</td> })
                    .collect_view();
                view! {
                    <tr>
                        <td><a href=href.to_string()>{b.name}</a></td>
                        <td class="num">{b.members}</td>
                        <td class="num">{b.grades.total()}</td>
                        {grades}
                        <td>{state}</td>
                    </tr>
                }
            })
            .collect_view();
        Ok(view! {
            <PageHead kind=ctx.node.name.clone() title=t(lang, "reviews.title") />
            <p class="hint">{t(lang, "reviews.hint")}</p>
            <YearPicker action=routes::reviews(node) year />
            {empty.then(|| view! { <p>{t(lang, "reviews.no_branches")}</p> })}
            <DataTable heads=vec![
                "reviews.branch",
                "#reviews.members",
                "#reviews.graded",
                "#review_grade.excellent",
                "#review_grade.qualified",
                "#review_grade.basically_qualified",
                "#review_grade.unqualified",
                "reviews.decided_on",
            ]>
                {body}
            </DataTable>
        }
        .into_any())
    })
}
