//! `/org/:id/dues`: the month's summary per branch (printable, .xlsx), each paying member's
//! state, and the arrears with the six-month warning. A 支部书记 sees their branch.
use domain::dues::{self, BranchDues, DuesRow, MonthDues};
use domain::tenancy::Commit;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{month_param, yuan, DUES_FORM};
use crate::i18n::{t, t_with, use_lang, Lang};
use crate::islands::PrintButton;
use crate::page::{on_node, NodeCtx, Outcome, Staff};
use crate::routes;
use crate::shell::{DataTable, PageHead};

#[component]
pub fn DuesPage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let month = month_param(q.get("month"));
    on_node(move |ctx: NodeCtx<Staff>| async move {
        let lang = ctx.lang;
        let tx = ctx.read().await?;
        let today = domain::clock::today();
        let rows = dues::dues_roster(&tx, today).await?;
        let summary = dues::month_dues(&tx, month).await?;
        tx.commit().await?;
        let error = crate::state::take_flash(DUES_FORM)
            .await
            .map(|f| f.error.message(lang));
        let node = ctx.node.id;
        let label = dues::month_label(summary.month);
        let download = routes::file(node, "dues.xlsx").query("month", &label);
        Ok(view! {
            <Outcome error />
            <PageHead kind=ctx.node.name.clone() title=t(lang, "dues.title") />
            <p class="note no-print">{t(lang, "dues.intro")}</p>
            <form method="get" action=routes::dues(node).to_string() class="inline-form no-print">
                <label>
                    {t(lang, "dues.month")}
                    <input type="month" name="month" value=label.clone() required />
                </label>
                <button type="submit" class="secondary">{t(lang, "dues.show")}</button>
            </form>
            <p class="actions no-print">
                <PrintButton label=t(lang, "dues.print") />
                " "
                <a class="button secondary" href=download.to_string() download>{t(lang, "dues.download")}</a>
            </p>
            <Summary summary=summary.clone() title=t_with(lang, "dues.month_summary", &[("month", label)]) />
            <Arrears rows=rows.clone() node />
            <Members rows node />
            <Lines summary />
        }
        .into_any())
    })
}

fn branch_name(lang: Lang, name: &str) -> String {
    if name.is_empty() {
        t(lang, "dues.no_branch")
    } else {
        name.to_owned()
    }
}

#[component]
fn Summary(summary: MonthDues, title: String) -> impl IntoView {
    let lang = use_lang();
    let row = |name: String, b: &BranchDues| {
        view! {
            <tr>
                <td>{name}</td>
                <td class="num">{b.members_due}</td>
                <td class="num">{yuan(b.due_cents)}</td>
                <td class="num">{b.payers}</td>
                <td class="num">{yuan(b.paid_cents)}</td>
                <td class="num">{b.by_proxy}</td>
                <td class="num">{b.paid_share()}</td>
            </tr>
        }
    };
    let body = summary
        .branches
        .iter()
        .map(|b| row(branch_name(lang, &b.name), b))
        .chain([row(t(lang, "dues.total"), &summary.total)])
        .collect_view();
    view! {
        <section id="summary">
            <h2>{title}</h2>
            <DataTable heads=vec!["dues.branch", "#dues.members_due", "#dues.due", "#dues.payers", "#dues.paid", "#dues.by_proxy", "#dues.share"]>
                {body}
            </DataTable>
        </section>
    }
}

/// Those owing months before this one, most months first; the warned marked.
#[component]
fn Arrears(rows: Vec<DuesRow>, node: uuid::Uuid) -> impl IntoView {
    let lang = use_lang();
    let mut owing: Vec<DuesRow> = rows
        .into_iter()
        .filter(|r| !r.owed_months.is_empty())
        .collect();
    owing.sort_by_key(|r| std::cmp::Reverse(r.owed_months.len()));
    let empty = owing.is_empty();
    let body = owing
        .into_iter()
        .map(|r| {
            let owed = t_with(
                lang,
                "dues.owed_months",
                &[
                    ("n", r.owed_months.len().to_string()),
                    ("yuan", yuan(r.owed_cents)),
                ],
            );
            view! {
                <tr>
                    <td><a href=routes::member_dues(node, r.member_id).to_string()>{r.name}</a></td>
                    <td>{owed}</td>
                    <td>{r.last_paid.map(dues::month_label).unwrap_or_default()}</td>
                    <td>{r.warned.then(|| view! { <strong>{t(lang, "dues.warned")}</strong> })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section id="arrears" class="no-print">
            <h2>{t(lang, "dues.arrears")}</h2>
            {if empty {
                view! { <p class="note">{t(lang, "dues.no_arrears")}</p> }.into_any()
            } else {
                view! {
                    <DataTable heads=vec!["field.full_name", "dues.owed", "dues.last_paid", "dues.warning"]>{body}</DataTable>
                }
                .into_any()
            }}
        </section>
    }
}

/// Every paying member: monthly dues, this month, what is owed.
#[component]
fn Members(rows: Vec<DuesRow>, node: uuid::Uuid) -> impl IntoView {
    let lang = use_lang();
    let body = rows
        .into_iter()
        .map(|r| {
            let monthly = r
                .monthly_cents
                .map(yuan)
                .unwrap_or_else(|| t(lang, "dues.not_assessed"));
            let this_month = match (r.monthly_cents, r.paid_this_month) {
                (_, true) => t(lang, "dues.paid_mark"),
                (Some(_), false) => t(lang, "dues.unpaid_mark"),
                (None, false) => String::new(),
            };
            view! {
                <tr>
                    <td><a href=routes::member_dues(node, r.member_id).to_string()>{r.name}</a></td>
                    <td class="num">{monthly}</td>
                    <td>{this_month}</td>
                    <td class="num">{(r.owed_cents > 0).then(|| yuan(r.owed_cents))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section id="members" class="no-print">
            <h2>{t(lang, "dues.list")}</h2>
            <DataTable heads=vec!["field.full_name", "#dues.monthly", "dues.this_month", "#dues.owed"]>{body}</DataTable>
        </section>
    }
}

/// The month's lines, member by member (printed with the summary).
#[component]
fn Lines(summary: MonthDues) -> impl IntoView {
    let lang = use_lang();
    let empty = summary.lines.is_empty();
    let body = summary
        .lines
        .into_iter()
        .map(|l| {
            let status = if l.paid_cents.is_some() {
                "dues.paid_mark"
            } else {
                "dues.unpaid_mark"
            };
            view! {
                <tr>
                    <td>{branch_name(lang, &l.branch)}</td>
                    <td>{l.name}</td>
                    <td class="num">{l.due_cents.map(yuan)}</td>
                    <td class="num">{l.paid_cents.map(yuan)}</td>
                    <td>{l.method.map(|m| t(lang, &format!("dues_method.{}", m.as_str())))}</td>
                    <td>{l.paid_on.map(|d| d.to_string())}</td>
                    <td>{l.proxy}</td>
                    <td>{t(lang, status)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section id="lines">
            <h2>{t(lang, "dues.lines")}</h2>
            {if empty {
                view! { <p class="note">{t(lang, "dues.none")}</p> }.into_any()
            } else {
                view! {
                    <DataTable heads=vec!["dues.branch", "field.full_name", "#dues.due", "#dues.paid", "field.dues_method", "field.dues_paid_on", "field.dues_proxy", "dues.status"]>
                        {body}
                    </DataTable>
                }
                .into_any()
            }}
        </section>
    }
}
