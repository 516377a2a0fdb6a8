//! `/org/:id/resolutions`: 督办 — the resolutions the viewer follows (of the meetings they
//! convene) or answers for (assigned to their community or unit): overdue first, the completion
//! rate (办结率) over all and per meeting, community and unit.
use domain::coop::{self, CoopScope, Followup, RateRow, Resolution, ResolutionStatus, Viewer};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::resolution::ResolutionCard;
use crate::coop::COOP_FORM;
use crate::i18n::{t, use_lang};
use crate::page::{on_node, NodeCtx, Outcome};
use crate::routes;
use crate::shell::PageHead;

fn rate_text(done: usize, total: usize, percent: Option<usize>) -> String {
    match percent {
        Some(p) => format!("{p}%（{done}/{total}）"),
        None => "—".to_owned(),
    }
}

#[component]
pub fn ResolutionsPage() -> impl IntoView {
    let saved = use_query_map().read_untracked().get("saved").is_some();
    on_node(move |ctx: NodeCtx<CoopScope>| async move {
        let lang = ctx.lang;
        let tx = ctx.read().await?;
        let today = domain::clock::today();
        let mut followup = coop::followup(&tx, today).await?;
        tx.commit().await?;
        let viewer = ctx.access.viewer();
        let flash = crate::state::take_flash(COOP_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let node = ctx.node.id;
        let heading = match viewer {
            Viewer::Street => "resolutions.followup",
            Viewer::Community(_) => "resolutions.community_title",
            Viewer::Unit(_) => "resolutions.tasks",
        };
        let cards = move |list: Vec<Resolution>| {
            list.into_iter()
                .map(move |r| view! { <ResolutionCard resolution=r node back=None /> })
                .collect_view()
        };
        let (done, open_ones): (Vec<Resolution>, Vec<Resolution>) =
            std::mem::take(&mut followup.all)
                .into_iter()
                .partition(|r| r.status == ResolutionStatus::Done);
        let open_ones: Vec<Resolution> = open_ones
            .into_iter()
            .filter(|r| r.status != ResolutionStatus::Overdue)
            .collect();
        let overall = followup.overall;
        let overdue_count = followup.overdue.len();
        let no_overdue = followup
            .overdue
            .is_empty()
            .then(|| view! { <p>{t(lang, "resolutions.no_overdue")}</p> });
        let no_open = open_ones
            .is_empty()
            .then(|| view! { <p>{t(lang, "resolutions.none")}</p> });
        let done_count = done.len();
        let not_unit = !matches!(viewer, Viewer::Unit(_));
        Ok(view! {
            <Outcome saved error />
            <PageHead back=routes::meetings(node).to_string() kind=t(lang, "meetings.title") title=t(lang, heading) />
            {not_unit.then(|| view! {
                <p class="actions">
                    <a class="button secondary" href=routes::file(node, "meetings.xlsx").to_string()>{t(lang, "members.export")}</a>
                </p>
            })}
            <dl class="figures">
                <div>
                    <dt>{t(lang, "resolutions.rate")}</dt>
                    <dd>{rate_text(overall.done, overall.total, overall.percent())}</dd>
                </div>
                <div>
                    <dt>{t(lang, "resolution_status.overdue")}</dt>
                    <dd>{overdue_count}</dd>
                </div>
            </dl>
            <section id="overdue">
                <h2>{t(lang, "resolutions.overdue")}</h2>
                {no_overdue}
                {cards(followup.overdue.clone())}
            </section>
            <section id="open">
                <h2>{t(lang, "resolutions.open")}</h2>
                {no_open}
                {cards(open_ones)}
            </section>
            <Rates followup />
            <details class="manage" id="done">
                <summary>{format!("{}（{done_count}）", t(lang, "resolutions.done"))}</summary>
                {cards(done)}
            </details>
        }
        .into_any())
    })
}

#[component]
fn Rates(followup: Followup) -> impl IntoView {
    let lang = use_lang();
    let table = |caption: &'static str, rows: Vec<RateRow>| {
        (!rows.is_empty()).then(|| {
            let body = rows
                .into_iter()
                .map(|row| {
                    let c = row.completion;
                    view! {
                        <tr>
                            <td>{row.name}</td>
                            <td class="num">{c.total}</td>
                            <td class="num">{c.done}</td>
                            <td class="num">{row.overdue}</td>
                            <td class="num">{c.percent().map(|p| format!("{p}%")).unwrap_or_default()}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div class="table-wrap" tabindex="0">
                    <table>
                        <caption>{t(lang, caption)}</caption>
                        <thead>
                            <tr>
                                <th scope="col"></th>
                                <th scope="col" class="num">{t(lang, "resolutions.total")}</th>
                                <th scope="col" class="num">{t(lang, "resolution_status.done")}</th>
                                <th scope="col" class="num">{t(lang, "resolution_status.overdue")}</th>
                                <th scope="col" class="num">{t(lang, "resolutions.rate")}</th>
                            </tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
            }
        })
    };
    view! {
        <section id="rates">
            <h2>{t(lang, "resolutions.rates")}</h2>
            {table("resolutions.by_meeting", followup.by_meeting)}
            {table("resolutions.by_community", followup.by_community)}
            {table("resolutions.by_unit", followup.by_unit)}
        </section>
    }
}
