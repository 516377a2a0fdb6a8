use domain::members;
use domain::tenancy::Commit;
use leptos::prelude::*;

use crate::i18n::t;
use crate::page::{on_node, NodeCtx, Staff};
use crate::routes;

/// `/org/:id/members/care`: members in hardship or with limited mobility, least recently cared
/// for first.
#[component]
pub fn CarePage() -> impl IntoView {
    on_node(move |ctx: NodeCtx<Staff>| async move {
        let lang = ctx.lang;
        let tx = ctx.read().await?;

        let today = domain::clock::today();
        let rows = members::care_list(&tx, today).await?;
        tx.commit().await?;
        let base = routes::members(ctx.node.id).to_string();
        let yes = |flag: bool| {
            if flag {
                t(lang, "members.yes")
            } else {
                String::new()
            }
        };
        let body = rows
            .into_iter()
            .map(|r| {
                view! {
                    <tr>
                        <td>
                            <a href=format!("{base}/{}#care", r.member_id)>{r.name}</a>
                        </td>
                        <td>{yes(r.hardship)}</td>
                        <td>{yes(r.immobile)}</td>
                        <td>{r.last_care.map(|d| d.to_string()).unwrap_or_else(|| t(lang, "care.never"))}</td>
                        <td class="num">{r.this_year}</td>
                    </tr>
                }
            })
            .collect_view();
        Ok(view! {
            <header class="page-head">
                <p class="kind">
                    <a href=base.clone()>{t(lang, "members.roster")}</a>
                </p>
                <h1>{t(lang, "care.title")}</h1>
            </header>
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{t(lang, "field.full_name")}</th>
                            <th scope="col">{t(lang, "field.hardship")}</th>
                            <th scope="col">{t(lang, "field.immobile")}</th>
                            <th scope="col">{t(lang, "care.last")}</th>
                            <th scope="col" class="num">{t(lang, "care.this_year")}</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        }
        .into_any())
    })
}
