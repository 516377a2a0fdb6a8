//! `/org/:id/members/reporting/feedback?year=`: the year-end 报到反馈 sheets, one per employer
//! unit, laid out to print one unit per page (or download all as .xlsx).
use domain::reporting::{self, hours, FeedbackSheet};
use domain::tenancy::Commit;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::i18n::{t, t_with, use_lang};
use crate::islands::PrintButton;
use crate::page::{on_node, NodeCtx, Staff};
use crate::routes;
use crate::shell::DataTable;

/// The year asked for, or this year; only years the system can have data for.
pub(crate) fn feedback_year(value: Option<&str>) -> i32 {
    let this_year = chrono::Datelike::year(&domain::clock::today());
    value
        .and_then(|v| v.trim().parse::<i32>().ok())
        .filter(|y| (2000..=this_year).contains(y))
        .unwrap_or(this_year)
}

#[component]
pub fn FeedbackPage() -> impl IntoView {
    let year = feedback_year(use_query_map().read_untracked().get("year").as_deref());
    on_node(move |ctx: NodeCtx<Staff>| async move {
        let lang = ctx.lang;
        let tx = ctx.read().await?;
        let sheets = reporting::feedback(&tx, year).await?;
        tx.commit().await?;
        let community_id = ctx.node.id;
        let community_name = ctx.node.name.clone();
        let this_year = chrono::Datelike::year(&domain::clock::today());
        let years = (2000..=this_year)
            .rev()
            .map(|y| view! { <option value=y.to_string() selected=y == year>{y}</option> })
            .collect_view();
        let empty = sheets
            .is_empty()
            .then(|| view! { <p>{t(lang, "feedback.empty")}</p> });
        let body = sheets
            .into_iter()
            .map(|sheet| view! { <Sheet sheet year community=community_name.clone() /> })
            .collect_view();
        Ok(view! {
            <header class="page-head no-print">
                <p class="kind">
                    <a href=routes::reporting(community_id).to_string()>{t(lang, "reporting.title")}</a>
                </p>
                <h1>{t(lang, "feedback.title")}</h1>
            </header>
            <form method="get" class="filters no-print">
                <label>
                    {t(lang, "feedback.year")}
                    <select name="year">{years}</select>
                </label>
                <button type="submit" class="secondary">{t(lang, "members.filter")}</button>
            </form>
            <p class="actions">
                <a class="button secondary" href=routes::file(community_id, "reporting-feedback.xlsx").query("year", year).to_string()>
                    {t(lang, "members.export")}
                </a>
                <PrintButton label=t(lang, "feedback.print") />
            </p>
            <p class="note no-print">{t(lang, "feedback.note")}</p>
            {empty}
            {body}
        }
        .into_any())
    })
}

#[component]
fn Sheet(sheet: FeedbackSheet, year: i32, community: String) -> impl IntoView {
    let lang = use_lang();
    let employer = match sheet.employer.as_str() {
        "" => t(lang, "feedback.no_employer"),
        name => name.to_owned(),
    };
    let rows = sheet
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            view! {
                <tr>
                    <td class="num">{i + 1}</td>
                    <td>{row.name}</td>
                    <td>{row.posts.join("、")}</td>
                    <td>{row.reported_on.to_string()}</td>
                    <td>{row.confirmed_on.map(|d| d.to_string()).unwrap_or_default()}</td>
                    <td class="num">{row.attendance}</td>
                    <td class="num">{hours(row.volunteer_minutes)}</td>
                    <td class="num">{row.points}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="feedback-sheet">
            <h2>{t_with(lang, "feedback.sheet_title", &[("year", year.to_string())])}</h2>
            <p>
                {t(lang, "field.employer")} "：" <strong>{employer}</strong>
                <br />
                {t(lang, "feedback.community")} "：" {community}
            </p>
            <DataTable heads=vec!["#feedback.no", "field.full_name", "field.posts", "reporting.reported_on", "feedback.confirmed_on", "#feedback.attendance", "#feedback.hours", "#feedback.points"]>{rows}</DataTable>
            <p class="seal">{t(lang, "feedback.seal")}</p>
        </section>
    }
}
