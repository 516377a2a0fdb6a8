//! `/org/:id/dues-totals`: a street's or district's 党费 for a month: per community (or street),
//! members due, members paid, the amount and the share. Figures only, never names.
use domain::rollup::{self, DuesFigures, RollupScope};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{month_param, yuan};
use crate::i18n::t;
use crate::page::{on_node, NodeCtx};
use crate::routes;
use crate::shell::{DataTable, PageHead};

fn share(f: &DuesFigures) -> String {
    f.paid_share()
        .map(|s| format!("{s:.1}%"))
        .unwrap_or_default()
}

#[component]
pub fn DuesTotalsPage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let month = month_param(q.get("month"));
    on_node(move |ctx: NodeCtx<RollupScope>| async move {
        let lang = ctx.lang;
        let (total, children) = rollup::dues(ctx.db(), &ctx.access, month).await?;
        let label = domain::dues::month_label(month);
        let row = |name: String, f: &DuesFigures| {
            view! {
                <tr>
                    <td>{name}</td>
                    <td class="num">{f.members}</td>
                    <td class="num">{f.payers}</td>
                    <td class="num">{yuan(f.paid_cents)}</td>
                    <td class="num">{share(f)}</td>
                </tr>
            }
        };
        let body = children
            .iter()
            .map(|c| row(c.node.name.clone(), &c.figures))
            .chain([row(t(lang, "dues.total"), &total)])
            .collect_view();
        let node = ctx.node.id;
        Ok(view! {
            <PageHead kind=ctx.node.name.clone() title=t(lang, "dues.street_title") />
            <p class="note">{t(lang, "dues.street_hint")}</p>
            <form method="get" action=routes::dues_totals(node).to_string() class="inline-form no-print">
                <label>
                    {t(lang, "dues.month")}
                    <input type="month" name="month" value=label required />
                </label>
                <button type="submit" class="secondary">{t(lang, "dues.show")}</button>
            </form>
            <DataTable heads=vec!["dues.community", "#dues.members_due", "#dues.payers", "#dues.paid", "#dues.share"]>
                {body}
            </DataTable>
        }
        .into_any())
    })
}
