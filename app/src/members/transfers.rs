use domain::members;
use domain::tenancy::Commit;
use leptos::prelude::*;

use crate::i18n::t;
use crate::page::{on_node, NodeCtx, Staff};
use crate::routes;
use crate::shell::{DataTable, PageHead};

/// `/org/:id/members/transfers`: the community's 组织关系接转 records, newest first.
#[component]
pub fn TransfersPage() -> impl IntoView {
    on_node(move |ctx: NodeCtx<Staff>| async move {
        let lang = ctx.lang;
        let tx = ctx.read().await?;

        let records = members::transfers(&tx).await?;
        tx.commit().await?;
        let base = routes::members(ctx.node.id).to_string();
        let empty = records.is_empty();
        let rows = records
            .into_iter()
            .map(|r| {
                view! {
                    <tr>
                        <td>{r.date}</td>
                        <td>{t(lang, &format!("transfers.{}", r.kind))}</td>
                        <td>
                            <a href=format!("{base}/{}", r.member_id)>{r.name}</a>
                        </td>
                        <td>{r.counterpart}</td>
                    </tr>
                }
            })
            .collect_view();
        Ok(view! {
            <PageHead back=base.clone() kind=t(lang, "members.roster") title=t(lang, "transfers.title") />
            {if empty {
                view! { <p>{t(lang, "transfers.none")}</p> }.into_any()
            } else {
                view! {
                    <DataTable heads=vec!["field.transfer_date", "transfers.kind", "field.full_name", "field.counterpart"]>{rows}</DataTable>
                }
                    .into_any()
            }}
        }
        .into_any())
    })
}
