//! `/org/:id/notices/:nid`: one notice as sent, with who has read it — per person for the
//! community's own notice, per community or street (counts, never names) for one sent down
//! from a street or district — and the sender's 提醒 and 撤回. Prints as a record of it.
use domain::notices::{self, NodeTally, PersonReceipt, Receipts};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::files::Attachments;
use super::NOTICE_FORM;
use crate::activities::when;
use crate::i18n::{t, t_with, use_lang};
use crate::page::{on_node, path_param, Member, NodeCtx, Outcome};
use crate::routes;
use crate::shell::{list_table, LinkedText, PageHead};
use leptos::server_fn::ServerFn as _;

#[component]
pub fn NoticePage() -> impl IntoView {
    let notice = path_param("nid");
    let query = use_query_map().read_untracked().clone();
    let done = super::Done::from_query(query.get("done"));
    let reminded = query.get("reminded").and_then(|n| n.parse::<u64>().ok());
    on_node(move |ctx: NodeCtx<Member>| async move {
        let lang = ctx.lang;
        let notice = domain::validate::parse_id(&notice)?;
        let receipts = notices::receipts(ctx.db(), &ctx.access.0, notice).await?;
        let flash = crate::state::take_flash(NOTICE_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let node = ctx.node.id;
        let Receipts {
            notice: sent,
            body,
            nodes,
            people,
            files,
        } = receipts;
        let reminded_n =
            reminded.map(|n| t_with(lang, "notices.reminded_n", &[("n", n.to_string())]));
        let asks = sent.confirm_by.is_some();
        let to = super::sent_to(lang, &sent);
        let confirm_by = sent
            .confirm_by
            .map(|d| d.to_string())
            .unwrap_or_else(|| t(lang, "notices.no_confirmation"));
        let actions =
            (!sent.withdrawn && sent.may_act).then(|| view! { <Actions node notice asks /> });
        Ok(view! {
            {reminded_n.map(|d| view! { <p class="notice" role="status">{d}</p> })}
            <super::DoneNote done />
            <Outcome error />
            <PageHead
                kind=t(lang, "notices.title")
                back=routes::notices(node).to_string()
                title=sent.title.clone()
            >
                <p class="note">
                    {ctx.node.name.clone()} " · " {when(sent.sent_at)} " · "
                    {to}
                    {sent.withdrawn.then(|| view! { " · " <strong>{t(lang, "notices.withdrawn")}</strong> })}
                </p>
            </PageHead>
            <dl class="figures">
                <div><dt>{t(lang, "notices.recipients")}</dt><dd>{sent.recipients}</dd></div>
                <div><dt>{t(lang, "notices.read")}</dt><dd>{sent.read}</dd></div>
                {asks.then(|| view! {
                    <div><dt>{t(lang, "notices.confirmed")}</dt><dd>{sent.confirmed}</dd></div>
                })}
            </dl>
            <dl class="fields">
                <div><dt>{t(lang, "notices.confirm_by")}</dt><dd>{confirm_by}</dd></div>
                {sent.reminded_at.map(|at| view! {
                    <div><dt>{t(lang, "notices.last_reminded")}</dt><dd>{when(at)}</dd></div>
                })}
            </dl>
            <article class="card notice-body">
                <LinkedText text=body />
            </article>
            <Attachments files href=move |f| routes::sent_file(node, notice, f) />
            {actions}
            <Nodes nodes asks />
            <People people asks />
        }
        .into_any())
    })
}

/// 提醒 at once (those who have not confirmed it, or not read it when it asks for nothing);
/// 撤回 behind a second step, as it takes the notice from everyone's inbox.
#[component]
fn Actions(node: Uuid, notice: Uuid, asks: bool) -> impl IntoView {
    let lang = use_lang();
    let remind = if asks {
        "notices.remind_unconfirmed"
    } else {
        "notices.remind"
    };
    view! {
        <div class="actions no-print">
            <form method="post" action=super::fns::RemindNotice::url() class="inline">
                <input type="hidden" name="node" value=node.to_string() />
                <input type="hidden" name="notice" value=notice.to_string() />
                <button type="submit" class="secondary">{t(lang, remind)}</button>
            </form>
            <details class="manage">
                <summary>{t(lang, "notices.withdraw")}</summary>
                <form method="post" action=super::fns::WithdrawNotice::url() class="inline-form">
                    <input type="hidden" name="node" value=node.to_string() />
                    <input type="hidden" name="notice" value=notice.to_string() />
                    <p>{t(lang, "notices.withdraw_hint")}</p>
                    <button type="submit" class="secondary">{t(lang, "notices.withdraw_confirm")}</button>
                </form>
            </details>
        </div>
    }
}

/// A street's or district's notice: counts per node below.
#[component]
fn Nodes(nodes: Vec<NodeTally>, asks: bool) -> impl IntoView {
    let lang = use_lang();
    if nodes.is_empty() {
        return ().into_any();
    }
    let mut heads = vec!["notices.node", "#notices.recipients", "#notices.read"];
    if asks {
        heads.push("#notices.confirmed");
    }
    let table = list_table(heads, "notices.none", nodes, move |n| {
        view! {
            <tr>
                <th scope="row">{n.name}</th>
                <td class="num">{n.recipients}</td>
                <td class="num">{n.read}</td>
                {asks.then(|| view! { <td class="num">{n.confirmed}</td> })}
            </tr>
        }
    });
    view! {
        <section id="nodes">
            <h2>{t(lang, "notices.by_node")}</h2>
            {table}
        </section>
    }
    .into_any()
}

/// The community's own notice: each recipient, those who have not read it first.
#[component]
fn People(people: Vec<PersonReceipt>, asks: bool) -> impl IntoView {
    let lang = use_lang();
    if people.is_empty() {
        return ().into_any();
    }
    let mut heads = vec!["field.full_name", "notices.read_at"];
    if asks {
        heads.push("notices.confirmed_at");
    }
    let dash = || "—".to_owned();
    let table = list_table(heads, "notices.none", people, move |p| {
        view! {
            <tr>
                <th scope="row">{p.name}</th>
                <td>{p.read_at.map(when).unwrap_or_else(|| t(lang, "messages.unread"))}</td>
                {asks.then(|| view! { <td>{p.confirmed_at.map(when).unwrap_or_else(dash)}</td> })}
            </tr>
        }
    });
    view! {
        <section id="people">
            <h2>{t(lang, "notices.by_person")}</h2>
            {table}
        </section>
    }
    .into_any()
}
