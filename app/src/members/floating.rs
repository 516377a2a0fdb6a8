use domain::members;
use domain::tenancy::Commit;
use leptos::prelude::*;

use super::CONTACT_FORM;
use crate::i18n::{t, t_with};
use crate::page::{on_node, NodeCtx, Outcome, Staff};
use crate::routes;
use crate::shell::{DataTable, PageHead};
use leptos::server_fn::ServerFn as _;

/// `/org/:id/members/floating`: 流动党员跟踪, lost contacts first, with the N-days setting.
#[component]
pub fn FloatingPage() -> impl IntoView {
    on_node(move |ctx: NodeCtx<Staff>| async move {
        let lang = ctx.lang;
        let tx = ctx.read().await?;

        let today = domain::clock::today();
        let (limit, rows) = members::floating(&tx, today).await?;
        tx.commit().await?;
        let error = crate::state::take_flash(CONTACT_FORM)
            .await
            .map(|f| f.error.message(lang));
        let base = routes::members(ctx.node.id).to_string();
        let lost = rows.iter().filter(|r| r.lost).count();
        let body = rows
            .into_iter()
            .map(|r| {
                let since = match r.days_since {
                    Some(days) => t_with(lang, "floating.days", &[("days", days.to_string())]),
                    None => t(lang, "floating.never"),
                };
                view! {
                    <tr class:lost=r.lost>
                        <td>
                            <a href=format!("{base}/{}#contacts", r.member_id)>{r.name}</a>
                        </td>
                        <td>{r.current_city.unwrap_or_default()}</td>
                        <td>{r.last_contact.map(|d| d.to_string()).unwrap_or_default()}</td>
                        <td>{since}</td>
                        <td>{if r.lost { t(lang, "floating.lost") } else { String::new() }}</td>
                    </tr>
                }
            })
            .collect_view();
        Ok(view! {
            <PageHead back=base.clone() kind=t(lang, "members.roster") title=t(lang, "floating.title") />
            <Outcome error />
            <p role="status">
                {t_with(lang, "floating.summary", &[("lost", lost.to_string()), ("days", limit.to_string())])}
            </p>
            <form method="post" action=crate::members::fns::SetLostContactDays::url() class="inline-form">
                <input type="hidden" name="community" value=ctx.node.id.to_string() />
                <label>
                    {t(lang, "field.lost_contact_days")}
                    <input name="days" type="number" min="1" max="3650" required value=limit.to_string() />
                </label>
                <button type="submit" class="secondary">{t(lang, "members.save")}</button>
            </form>
            <DataTable heads=vec!["field.full_name", "field.city", "floating.last_contact", "floating.since", "field.status"]>{body}</DataTable>
        }
        .into_any())
    })
}
