//! `/org/:id/reviews/:branch?year=2026`: one branch's 民主评议 — while a draft, its members'
//! grades (one form for all) and the decision; once decided, the results as printed for the
//! file, and reopening them to correct a grade.
use domain::reviews::{self, BranchReview, ReviewGrade, ReviewPerson};
use domain::tenancy::Commit;
use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::{fns, year_param, ReviewKeys, REVIEW_FORM};
use crate::i18n::{t, t_with, use_lang};
use crate::islands::PrintButton;
use crate::page::{on_node, NodeCtx, Outcome, Staff};
use crate::routes;
use crate::shell::{DataTable, PageHead};

#[component]
pub fn BranchReviewPage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let (saved, year) = (q.get("saved").is_some(), year_param(q.get("year")));
    let branch = use_params_map()
        .read_untracked()
        .get("branch")
        .unwrap_or_default();
    on_node(move |ctx: NodeCtx<Staff>| async move {
        let lang = ctx.lang;
        let branch = domain::validate::parse_id(&branch)?;
        let tx = ctx.read().await?;
        let review = reviews::branch_review(&tx, branch, year, domain::clock::today()).await?;
        tx.commit().await?;
        let flash = crate::state::take_flash(REVIEW_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let kept = |key: &str| flash.as_ref().and_then(|f| f.values.get(key).cloned());
        let node = ctx.node.id;
        let title = format!(
            "{} · {} {}",
            t(lang, "reviews.title"),
            review.name,
            review.year
        );
        let decided = review.decided_on.is_some();
        let decision = (!decided).then(|| {
            let decided_on =
                kept("decided_on").unwrap_or_else(|| domain::clock::today().to_string());
            let text = kept("decision").unwrap_or_else(|| review.decision.clone());
            view! { <Decide review=review.clone() node decided_on text /> }
        });
        Ok(view! {
            <Outcome saved error />
            <PageHead kind=ctx.node.name.clone() title=title />
            <p class="no-print"><a href=routes::reviews(node).query("year", year).to_string()>{t(lang, "reviews.title")}</a></p>
            <Standing review=review.clone() node />
            <Grades review node />
            {decision}
        }
        .into_any())
    })
}

/// Decided: when, after which meeting, what the branch decided; else the draft's hint.
#[component]
fn Standing(review: BranchReview, node: Uuid) -> impl IntoView {
    let lang = use_lang();
    let Some(day) = review.decided_on else {
        return view! { <p class="hint no-print">{t(lang, "reviews.draft_hint")}</p> }.into_any();
    };
    let meeting = review
        .meeting_id
        .and_then(|id| review.meetings.iter().find(|m| m.id == id))
        .map(|m| {
            view! { <p>{t(lang, "reviews.meeting")} ": " {m.title.clone()} " (" {m.day.to_string()} ")"</p> }
        });
    view! {
        <section id="decision">
            <p class="note">{t_with(lang, "reviews.decided", &[("date", day.to_string())])}</p>
            {meeting}
            {(!review.decision.is_empty()).then(|| view! {
                <p><strong>{t(lang, "reviews.decision")} ": "</strong>{review.decision.clone()}</p>
            })}
            <p class="actions no-print">
                <PrintButton label=t(lang, "reviews.print") />
                " "
                <form method="post" action=fns::ReopenReview::url() class="inline-form">
                    <ReviewKeys node branch=review.branch_id year=review.year />
                    <button type="submit" class="secondary">{t(lang, "reviews.reopen")}</button>
                </form>
            </p>
        </section>
    }
    .into_any()
}

/// Each member with their grade: a select for each while a draft (one save for all), the
/// grade once decided; then the count of each grade.
#[component]
fn Grades(review: BranchReview, node: Uuid) -> impl IntoView {
    let lang = use_lang();
    let decided = review.decided_on.is_some();
    let grade_text = |g: Option<ReviewGrade>| match g {
        Some(g) => t(lang, &format!("review_grade.{}", g.as_str())),
        None => t(lang, "reviews.ungraded"),
    };
    let mut index = 0;
    let rows = review
        .people
        .iter()
        .map(|p: &ReviewPerson| {
            let cell = if decided || p.elsewhere {
                let text = match p.elsewhere {
                    true => format!("{} ({})", grade_text(p.grade), t(lang, "reviews.elsewhere")),
                    false => grade_text(p.grade),
                };
                view! { <td>{text}</td> }.into_any()
            } else {
                let i = index;
                index += 1;
                let label = format!("{} {}", t(lang, "reviews.grade"), p.name);
                let options = ReviewGrade::ALL
                    .iter()
                    .map(|g| view! {
                        <option value=g.as_str() selected=p.grade == Some(*g)>{t(lang, &format!("review_grade.{}", g.as_str()))}</option>
                    })
                    .collect_view();
                view! {
                    <td>
                        <input type="hidden" name=format!("members[{i}]") value=p.member_id.to_string() />
                        <select name=format!("grades[{i}]") aria-label=label>
                            <option value="">{t(lang, "reviews.ungraded")}</option>
                            {options}
                        </select>
                    </td>
                }
                .into_any()
            };
            view! {
                <tr>
                    <td>{p.name.clone()}</td>
                    <td>{t(lang, &format!("standing.{}", p.standing.as_str()))}</td>
                    {cell}
                </tr>
            }
        })
        .collect_view();
    let counts = ReviewGrade::ALL
        .iter()
        .map(|g| {
            format!(
                "{} {}",
                t(lang, &format!("review_grade.{}", g.as_str())),
                review.grades.of(*g)
            )
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let table = view! {
        <DataTable heads=vec!["reviews.person", "reviews.standing", "reviews.grade"]>
            {rows}
        </DataTable>
        <p>{counts}</p>
    };
    if decided || review.people.is_empty() {
        return view! { <section id="grades">{table}</section> }.into_any();
    }
    view! {
        <section id="grades">
            <form method="post" action=fns::GradeMembers::url()>
                <ReviewKeys node branch=review.branch_id year=review.year />
                {table}
                <button type="submit">{t(lang, "reviews.save_grades")}</button>
            </form>
        </section>
    }
    .into_any()
}

/// The branch's decision: the day, its 组织生活会, the decision as minuted.
#[component]
fn Decide(review: BranchReview, node: Uuid, decided_on: String, text: String) -> impl IntoView {
    let lang = use_lang();
    let meetings = review
        .meetings
        .iter()
        .map(|m| view! { <option value=m.id.to_string()>{format!("{} ({})", m.title, m.day)}</option> })
        .collect_view();
    let none = review.meetings.is_empty();
    view! {
        <section id="decision" class="no-print">
            <h2>{t(lang, "reviews.decide")}</h2>
            <form method="post" action=fns::DecideReview::url() class="member-form">
                <ReviewKeys node branch=review.branch_id year=review.year />
                <label>
                    {t(lang, "reviews.meeting")}
                    <select name="meeting">
                        <option value="">{t(lang, "reviews.no_meeting")}</option>
                        {meetings}
                    </select>
                </label>
                {none.then(|| view! { <p class="hint">{t(lang, "reviews.no_meetings_hint")}</p> })}
                <label>
                    {t(lang, "reviews.decided_on")}
                    <input type="date" name="decided_on" required value=decided_on />
                </label>
                <label>
                    {t(lang, "reviews.decision")}
                    <textarea name="decision" maxlength="2000" rows="4">{text}</textarea>
                </label>
                <button type="submit">{t(lang, "reviews.decide")}</button>
            </form>
        </section>
    }
}
