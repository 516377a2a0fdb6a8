use domain::members;
use domain::tenancy::Commit;
use leptos::prelude::*;

use crate::i18n::t;
use crate::page::{on_node, NodeCtx, Staff};
use crate::routes;

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
            <header class="page-head">
                <p class="kind">
                    <a href=base.clone()>{t(lang, "members.roster")}</a>
                </p>
                <h1>{t(lang, "transfers.title")}</h1>
            </header>
            {if empty {
                view! { <p>{t(lang, "transfers.none")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <thead>
                                <tr>
                                    <th scope="col">{t(lang, "field.transfer_date")}</th>
                                    <th scope="col">{t(lang, "transfers.kind")}</th>
                                    <th scope="col">{t(lang, "field.full_name")}</th>
                                    <th scope="col">{t(lang, "field.counterpart")}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        }
        .into_any())
    })
}
