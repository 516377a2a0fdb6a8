//! `/org/:id/messages`: the person's message centre at the node, newest first, unread marked;
//! `/org/:id/messages/:msg`: one message, opened (marked read), with 确认收到 when the sender
//! asks for it.
use domain::kinds::{MessageKind, Role};
use domain::notices::{self, About, InboxItem};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::files::Attachments;
use super::{page_of, NOTICE_FORM};
use crate::activities::when;
use crate::i18n::{t, t_with, use_lang};
use crate::page::{on_node, path_param, Member, NodeCtx, Outcome};
use crate::routes;
use crate::shell::{DataTable, LinkedText, PageHead};
use leptos::server_fn::ServerFn as _;

#[component]
pub fn InboxPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let page = page_of(query.get("page"));
    let saved = query.get("saved").is_some();
    on_node(move |ctx: NodeCtx<Member>| async move {
        let lang = ctx.lang;
        let inbox = notices::inbox(ctx.db(), &ctx.access.0, page).await?;
        let off = notices::turned_off(ctx.db(), ctx.access.0.actor_user_id()).await?;
        let flash = crate::state::take_flash(NOTICE_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let node = ctx.node.id;
        let role = ctx.access.0.role();
        // Where else the person has unread messages (a role at another node).
        let elsewhere = notices::unread_everywhere(ctx.db(), &ctx.principal)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|(at, n)| *at != node && *n > 0)
            .filter_map(|(at, n)| {
                let name = ctx
                    .principal
                    .assignments
                    .iter()
                    .find(|a| a.node.id == at)?
                    .node
                    .name
                    .clone();
                Some(view! {
                    <li>
                        <a href=routes::messages(at).to_string()>{name}</a>
                        " " {t_with(lang, "messages.unread_n", &[("n", n.to_string())])}
                    </li>
                })
            })
            .collect::<Vec<_>>();
        let link = move |n: u64| routes::messages(node).query("page", n).to_string();
        let prev = (inbox.page > 1)
            .then(|| view! { <a href=link(inbox.page - 1)>{t(lang, "members.prev")}</a> });
        let next = inbox
            .more
            .then(|| view! { <a href=link(inbox.page + 1)>{t(lang, "members.next")}</a> });
        let list = if inbox.items.is_empty() {
            view! { <p>{t(lang, "messages.none")}</p> }.into_any()
        } else {
            let rows = inbox
                .items
                .into_iter()
                .map(|item| view! { <InboxRow item node /> })
                .collect_view();
            view! {
                <DataTable heads=vec!["notices.title_field", "messages.from", "messages.sent_at", "messages.state"]>
                    {rows}
                </DataTable>
            }
            .into_any()
        };
        Ok(view! {
            <Outcome saved error />
            <PageHead kind=ctx.node.name.clone() title=t(lang, "messages.title")>
                <p class="note">{t_with(lang, "messages.unread_n", &[("n", inbox.unread.to_string())])}</p>
            </PageHead>
            {(!elsewhere.is_empty()).then(|| view! {
                <section class="notice">
                    <p>{t(lang, "messages.elsewhere")}</p>
                    <ul>{elsewhere}</ul>
                </section>
            })}
            {list}
            <nav class="pager" aria-label=t(lang, "notices.paging")>{prev} " " {next}</nav>
            <Settings node role off />
        }
        .into_any())
    })
}

/// 提醒设置: a box per kind of message the person can receive here, ticked while wanted. The
/// setting is the account's: kinds they receive elsewhere go along as they are.
#[component]
fn Settings(node: Uuid, role: Role, off: Vec<MessageKind>) -> impl IntoView {
    let lang = use_lang();
    let shown = notices::kinds_for(role);
    if shown.is_empty() {
        return ().into_any();
    }
    let boxes = notices::optional_kinds()
        .enumerate()
        .map(|(i, kind)| {
            let name = format!("want[{i}]");
            let wanted = !off.contains(&kind);
            if !shown.contains(&kind) {
                return wanted
                    .then(|| view! { <input type="hidden" name=name value=kind.as_str() /> })
                    .into_any();
            }
            view! {
                <label class="check">
                    <input type="checkbox" name=name value=kind.as_str() checked=wanted />
                    <span>{t(lang, &format!("messages.kind.{}", kind.as_str()))}</span>
                </label>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <details id="settings" class="manage no-print">
            <summary>{t(lang, "messages.settings")}</summary>
            <form method="post" action=super::fns::SavePreferences::url() class="member-form">
                <input type="hidden" name="node" value=node.to_string() />
                <fieldset>
                    <legend>{t(lang, "messages.settings_hint")}</legend>
                    {boxes}
                </fieldset>
                <div class="buttons">
                    <button type="submit">{t(lang, "members.save")}</button>
                </div>
            </form>
        </details>
    }
    .into_any()
}

#[component]
fn InboxRow(item: InboxItem, node: Uuid) -> impl IntoView {
    let lang = use_lang();
    let href = routes::message(node, item.message_id).to_string();
    let state = state_text(lang, &item);
    let title = titled(lang, &item);
    let title = if item.read {
        view! { <a href=href>{title}</a> }.into_any()
    } else {
        view! { <a href=href><strong>{title}</strong></a> }.into_any()
    };
    view! {
        <tr>
            <th scope="row">{title}</th>
            <td>{item.from}</td>
            <td>{when(item.sent_at)}</td>
            <td>{state}</td>
        </tr>
    }
}

/// A notice by its title; another message by its kind and what it names (a long resolution
/// cut short).
fn titled(lang: crate::i18n::Lang, item: &InboxItem) -> String {
    let kind = t(lang, &format!("messages.kind.{}", item.kind.as_str()));
    match item.kind {
        MessageKind::Notice => item.title.clone(),
        _ if item.title.is_empty() => kind,
        _ => format!("{kind}：{}", super::told::shortened(&item.title)),
    }
}

/// What a message the service sent says, and the link to what it is about.
#[component]
fn Said(kind: MessageKind, title: String, about: About, node: Uuid) -> impl IntoView {
    let lang = use_lang();
    let Some(told) = super::told::told(lang, kind, title, about, node) else {
        return ().into_any();
    };
    let href = told.href.to_string();
    view! {
        <article class="card notice-body">
            <p>{told.text}</p>
            {told.note.map(|n| view! { <p><strong>{n}</strong></p> })}
            <p class="no-print"><a href=href>{t(lang, told.link)}</a></p>
        </article>
    }
    .into_any()
}

/// 未读, 已读, 待确认（截止 …）, 已确认; 已提醒 when the sender reminded and it still waits.
fn state_text(lang: crate::i18n::Lang, item: &InboxItem) -> String {
    let mut text = match (item.read, item.confirm_by, item.confirmed) {
        (_, Some(_), true) => t(lang, "messages.confirmed"),
        (_, Some(by), false) => t_with(lang, "messages.confirm_by", &[("date", by.to_string())]),
        (false, None, _) => t(lang, "messages.unread"),
        (true, None, _) => t(lang, "messages.read"),
    };
    let waiting = !item.read || (item.confirm_by.is_some() && !item.confirmed);
    if item.reminded && waiting {
        text.push_str(" · ");
        text.push_str(&t(lang, "messages.reminded"));
    }
    text
}

#[component]
pub fn MessagePage() -> impl IntoView {
    let message = path_param("msg");
    let done = super::Done::from_query(use_query_map().read_untracked().get("done"));
    on_node(move |ctx: NodeCtx<Member>| async move {
        let lang = ctx.lang;
        let message = domain::validate::parse_id(&message)?;
        let opened = notices::open(ctx.db(), &ctx.access.0, message, chrono::Utc::now()).await?;
        let flash = crate::state::take_flash(NOTICE_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let node = ctx.node.id;
        let item = opened.item;
        let heading = titled(lang, &item);
        let files = opened.files;
        let body = match item.about.clone() {
            About::Notice => view! {
                <article class="card notice-body">
                    <LinkedText text=opened.body />
                </article>
                <Attachments files href=move |f| routes::received_file(node, message, f) />
            }
            .into_any(),
            about => {
                view! { <Said kind=item.kind title=item.title.clone() about node /> }.into_any()
            }
        };
        let confirm = match (item.confirm_by, item.confirmed) {
            (Some(by), false) => Some(view! {
                <form method="post" action=super::fns::ConfirmMessage::url() class="inline-form no-print">
                    <input type="hidden" name="node" value=node.to_string() />
                    <input type="hidden" name="message" value=message.to_string() />
                    <p>{t_with(lang, "messages.confirm_by", &[("date", by.to_string())])}</p>
                    <button type="submit">{t(lang, "messages.confirm")}</button>
                </form>
            }
            .into_any()),
            (Some(_), true) => Some(view! { <p class="notice">{t(lang, "messages.confirmed")}</p> }.into_any()),
            (None, _) => None,
        };
        Ok(view! {
            <super::DoneNote done />
            <Outcome error />
            <PageHead
                kind=t(lang, "messages.title")
                back=routes::messages(node).to_string()
                title=heading
            >
                <p class="note">
                    {item.from.clone()} " · " {when(item.sent_at)}
                </p>
            </PageHead>
            {body}
            {confirm}
        }
        .into_any())
    })
}
