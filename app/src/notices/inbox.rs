//! `/org/:id/messages`: the person's message centre at the node, newest first, unread marked;
//! `/org/:id/messages/:msg`: one message, opened (marked read), with 确认收到 when the sender
//! asks for it.
use domain::kinds::MessageKind;
use domain::notices::{self, ActivityBrief, InboxItem};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

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
            <Settings node off />
        }
        .into_any())
    })
}

/// 提醒设置: a box per kind of reminder, ticked while wanted.
#[component]
fn Settings(node: Uuid, off: Vec<MessageKind>) -> impl IntoView {
    let lang = use_lang();
    let boxes = notices::optional_kinds()
        .enumerate()
        .map(|(i, kind)| {
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        name=format!("want[{i}]")
                        value=kind.as_str()
                        checked=!off.contains(&kind)
                    />
                    <span>{t(lang, &format!("messages.kind.{}", kind.as_str()))}</span>
                </label>
            }
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

/// A notice by its title; a message about an activity says what happened to which one.
fn titled(lang: crate::i18n::Lang, item: &InboxItem) -> String {
    match item.kind {
        MessageKind::Notice => item.title.clone(),
        kind => format!(
            "{}：{}",
            t(lang, &format!("messages.kind.{}", kind.as_str())),
            item.title
        ),
    }
}

/// What a message about an activity says, and the link to the activity.
#[component]
fn AboutActivity(
    kind: MessageKind,
    title: String,
    activity: ActivityBrief,
    node: Uuid,
) -> impl IntoView {
    let lang = use_lang();
    let said = t_with(
        lang,
        &format!("messages.says.{}", kind.as_str()),
        &[
            ("title", title),
            ("when", when(activity.starts_at)),
            ("venue", activity.venue),
        ],
    );
    let href = routes::activity(node, activity.id).to_string();
    view! {
        <article class="card notice-body">
            <p>{said}</p>
            {activity.cancelled.then(|| view! { <p><strong>{t(lang, "messages.cancelled")}</strong></p> })}
            <p class="no-print"><a href=href>{t(lang, "messages.to_activity")}</a></p>
        </article>
    }
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
        let body = match item.activity.clone() {
            Some(activity) => view! {
                <AboutActivity kind=item.kind title=item.title.clone() activity node />
            }
            .into_any(),
            None => view! {
                <article class="card notice-body">
                    <LinkedText text=opened.body />
                </article>
            }
            .into_any(),
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
