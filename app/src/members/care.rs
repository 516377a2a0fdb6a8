use domain::members;
use domain::tenancy::Commit;
use leptos::prelude::*;

use crate::i18n::t;
use crate::page::{on_node, NodeCtx, Staff};
use crate::routes;
use crate::shell::{DataTable, PageHead};

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
            <PageHead back=base.clone() kind=t(lang, "members.roster") title=t(lang, "care.title") />
            <DataTable heads=vec!["field.full_name", "field.hardship", "field.immobile", "care.last", "#care.this_year"]>{body}</DataTable>
        }
        .into_any())
    })
}
