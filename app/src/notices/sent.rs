//! `/org/:id/notices`: what the node has sent, newest first, with how many have read and
//! confirmed each, a title search, and the form to send a new one to the audiences the
//! sender's role may reach from here.
use domain::files::FileKind;
use domain::notices::{self, NoticeAudience, SentNotice};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::{page_of, NOTICE_FORM};
use crate::activities::when;
use crate::i18n::{t, use_lang};
use crate::page::{on_node, Member, NodeCtx, Outcome};
use crate::routes;
use crate::shell::{DataTable, PageHead};
use leptos::server_fn::ServerFn as _;

#[component]
pub fn NoticesPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let saved = query.get("saved").is_some();
    let page = page_of(query.get("page"));
    let search: String = query
        .get("q")
        .unwrap_or_default()
        .chars()
        .take(domain::notices::TITLE_MAX)
        .collect();
    on_node(move |ctx: NodeCtx<Member>| async move {
        let lang = ctx.lang;
        let scope = &ctx.access.0;
        let (sent, more) = notices::sent(ctx.db(), scope, &search, page).await?;
        let audiences = notices::audiences(ctx.node.kind, scope.role());
        let branches = notices::branch_choices(ctx.db(), scope)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        let flash = crate::state::take_flash(NOTICE_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let kept = flash.map(|f| f.values).unwrap_or_default();
        let node = ctx.node.id;
        // The group robot, for staff who may name it where robots are on.
        let robot = match notices::robot(ctx.db(), scope).await {
            Ok(robot) => Some(robot),
            Err(domain::DomainError::Forbidden | domain::DomainError::Invalid { .. }) => None,
            Err(err) => return Err(err.into()),
        };
        let link = {
            let search = search.clone();
            move |n: u64| {
                let mut href = routes::notices(node).query("page", n);
                if !search.is_empty() {
                    let q: String = form_urlencoded::byte_serialize(search.as_bytes()).collect();
                    href = href.query("q", q);
                }
                href.to_string()
            }
        };
        let prev =
            (page > 1).then(|| view! { <a href=link(page - 1)>{t(lang, "members.prev")}</a> });
        let next = more.then(|| view! { <a href=link(page + 1)>{t(lang, "members.next")}</a> });
        Ok(view! {
            <Outcome saved error />
            <PageHead kind=ctx.node.name.clone() title=t(lang, "notices.title") />
            <p class="actions"><a class="button" href="#new">{t(lang, "notices.new")}</a></p>
            <form method="get" class="filters" role="search">
                <label>
                    {t(lang, "notices.search")}
                    <input name="q" type="search" maxlength="100" value=search.clone() />
                </label>
                <button type="submit" class="secondary">{t(lang, "members.filter")}</button>
            </form>
            <SentTable sent node />
            <nav class="pager" aria-label=t(lang, "notices.paging")>{prev} " " {next}</nav>
            <NoticeForm node audiences branches kept />
            {robot.map(|robot| view! { <Robot node robot /> })}
        }
        .into_any())
    })
}

/// 群机器人: the robot the node's notices are also posted to (its address is not shown once
/// saved: it holds the robot's key), and the form to name or replace it.
#[component]
fn Robot(node: Uuid, robot: Option<notices::RobotSummary>) -> impl IntoView {
    let lang = use_lang();
    let state = match &robot {
        Some(r) => crate::i18n::t_with(
            lang,
            "notices.robot_set",
            &[
                ("kind", t(lang, &format!("robot_kind.{}", r.kind.as_str()))),
                ("when", when(r.set_at)),
            ],
        ),
        None => t(lang, "notices.robot_none"),
    };
    let kinds = domain::kinds::RobotKind::ALL
        .iter()
        .map(|k| {
            let label = t(lang, &format!("robot_kind.{}", k.as_str()));
            view! { <option value=k.as_str()>{label}</option> }
        })
        .collect_view();
    let node = node.to_string();
    let remove = robot.is_some().then(|| {
        let node = node.clone();
        view! {
            <form method="post" action=super::fns::RemoveRobot::url() class="inline-form">
                <input type="hidden" name="node" value=node />
                <button type="submit" class="secondary">{t(lang, "notices.robot_remove")}</button>
            </form>
        }
    });
    view! {
        <details id="robot" class="manage no-print">
            <summary>{t(lang, "notices.robot")}</summary>
            <p class="note">{state}</p>
            <form method="post" action=super::fns::SaveRobot::url() class="member-form">
                <input type="hidden" name="node" value=node />
                <label>
                    {t(lang, "field.robot_kind")}
                    <select name="kind">{kinds}</select>
                </label>
                <label>
                    {t(lang, "field.robot_url")}
                    <input name="url" type="url" required maxlength="500" autocomplete="off" />
                </label>
                <label>
                    {t(lang, "field.robot_secret")}
                    <input name="secret" maxlength="100" autocomplete="off" aria-describedby="robot-secret-hint" />
                </label>
                <p id="robot-secret-hint" class="note">{t(lang, "notices.robot_secret_hint")}</p>
                <div class="buttons">
                    <button type="submit">{t(lang, "notices.robot_save")}</button>
                </div>
            </form>
            {remove}
        </details>
    }
}

#[component]
fn SentTable(sent: Vec<SentNotice>, node: Uuid) -> impl IntoView {
    let lang = use_lang();
    if sent.is_empty() {
        return view! { <p>{t(lang, "notices.none")}</p> }.into_any();
    }
    let rows = sent
        .into_iter()
        .map(|n| {
            let confirmed = match n.confirm_by {
                Some(_) => n.confirmed.to_string(),
                None => "—".to_owned(),
            };
            let to = super::sent_to(lang, &n);
            let state = n
                .withdrawn
                .then(|| view! { " " <small>{t(lang, "notices.withdrawn")}</small> });
            view! {
                <tr>
                    <th scope="row">
                        <a href=routes::notice(node, n.id).to_string()>{n.title}</a>
                        {state}
                    </th>
                    <td>{to}</td>
                    <td>{when(n.sent_at)}</td>
                    <td class="num">{n.recipients}</td>
                    <td class="num">{n.read}</td>
                    <td class="num">{confirmed}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <DataTable heads=vec![
            "notices.title_field",
            "notices.audience",
            "messages.sent_at",
            "#notices.recipients",
            "#notices.read",
            "#notices.confirmed",
        ]>{rows}</DataTable>
    }
    .into_any()
}

/// The form to send a notice: what was typed comes back after a refusal.
#[component]
fn NoticeForm(
    node: Uuid,
    audiences: &'static [NoticeAudience],
    branches: Vec<(Uuid, String)>,
    kept: std::collections::HashMap<String, String>,
) -> impl IntoView {
    let lang = use_lang();
    let value = move |key: &str| kept.get(key).cloned().unwrap_or_default();
    let chosen = value("audience");
    let options = audiences
        .iter()
        .map(|a| {
            view! {
                <option value=a.as_str() selected=chosen == a.as_str()>
                    {t(lang, &format!("notices.audience.{}", a.as_str()))}
                </option>
            }
        })
        .collect_view();
    let branch = value("branch");
    let branch_field = (!branches.is_empty()).then(|| {
        let options = branches
            .into_iter()
            .map(|(id, name)| {
                let id = id.to_string();
                let selected = id == branch;
                view! { <option value=id selected=selected>{name}</option> }
            })
            .collect_view();
        view! {
            <label for="notice-branch">{t(lang, "notices.branch")}</label>
            <select id="notice-branch" name="branch">
                <option value="">"—"</option>
                {options}
            </select>
        }
    });
    view! {
        <section id="new" class="no-print">
            <h2>{t(lang, "notices.new")}</h2>
            <form method="post" action=routes::publish_notice(node).to_string() enctype="multipart/form-data" class="member-form">
                <label for="notice-title">{t(lang, "notices.title_field")}</label>
                <input id="notice-title" name="title" required maxlength="100" value=value("title") />
                <label for="notice-audience">{t(lang, "notices.audience")}</label>
                <select id="notice-audience" name="audience" required>{options}</select>
                {branch_field}
                <label for="notice-body">{t(lang, "notices.body")}</label>
                <textarea id="notice-body" name="body" rows="8" required maxlength="5000">
                    {value("body")}
                </textarea>
                <label for="notice-confirm-by">{t(lang, "notices.confirm_by")}</label>
                <input id="notice-confirm-by" name="confirm_by" type="date" value=value("confirm_by") aria-describedby="notice-confirm-hint" />
                <p class="hint" id="notice-confirm-hint">{t(lang, "notices.confirm_by_hint")}</p>
                <label for="notice-files">{t(lang, "notices.files_field")}</label>
                <input id="notice-files" name="files" type="file" multiple accept=file_types() aria-describedby="notice-files-hint" />
                <p class="hint" id="notice-files-hint">{t(lang, "notices.files_hint")}</p>
                <div class="buttons">
                    <button type="submit">{t(lang, "notices.send")}</button>
                </div>
            </form>
        </section>
    }
}

/// What the file picker offers: the endings of the kinds a notice takes (and `.jpeg`).
fn file_types() -> String {
    let endings = FileKind::ALL.iter().map(|k| format!(".{}", k.extension()));
    endings
        .chain([".jpeg".to_owned()])
        .collect::<Vec<_>>()
        .join(",")
}
