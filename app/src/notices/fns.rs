//! Form endpoints for notices: confirm one received, remind those who have not read,
//! withdraw (sending one, with its files, is a multipart post: `upload`). Each grants the
//! caller's scope on the node; the domain decides the rest.
use domain::notices;
use leptos::prelude::*;

use super::{Done, NOTICE_FORM};
use crate::error::AppError;
use crate::form::{id, Form};
use crate::page::Member;
use crate::routes::{self, Href};
use uuid::Uuid;

/// Acts on one notice or message of the node as the caller: done, to its page as `done` makes
/// it; refused, back to the page with the reason.
async fn on_item<T>(
    node: &str,
    page: impl FnOnce(Uuid) -> Href,
    act: impl AsyncFnOnce(&domain::Db, &domain::tenancy::TenantScope) -> domain::DomainResult<T>,
    done: impl FnOnce(Href, T) -> Href,
) -> Result<(), AppError> {
    let form = Form::on(node, NOTICE_FORM)?;
    let page = page(form.node);
    let form = form.back(page.clone());
    let (state, Member(scope)) = form.grant::<Member>().await?;
    let result = act(&state.db, &scope).await;
    form.finish(result.map(|t| done(page, t))).await
}

/// 确认收到: the recipient confirms a notice that asks for it.
#[server(endpoint = "notices/confirm")]
pub async fn confirm_message(node: String, message: String) -> Result<(), AppError> {
    let message = id(&message)?;
    on_item(
        &node,
        |node| routes::message(node, message),
        async |db, scope| notices::confirm(db, scope, message, chrono::Utc::now()).await,
        |page, ()| Done::Confirmed.on(page),
    )
    .await
}

/// 提醒: those who have not read (or confirmed) it see it marked again.
#[server(endpoint = "notices/remind")]
pub async fn remind_notice(node: String, notice: String) -> Result<(), AppError> {
    let notice = id(&notice)?;
    on_item(
        &node,
        |node| routes::notice(node, notice),
        async |db, scope| notices::remind(db, scope, notice, chrono::Utc::now()).await,
        |page, n| page.query("reminded", n),
    )
    .await
}

/// 撤回: it leaves the message centres; the notice stays in the list, marked withdrawn.
#[server(endpoint = "notices/withdraw")]
pub async fn withdraw_notice(node: String, notice: String) -> Result<(), AppError> {
    let notice = id(&notice)?;
    on_item(
        &node,
        |node| routes::notice(node, notice),
        async |db, scope| notices::withdraw(db, scope, notice, chrono::Utc::now()).await,
        |page, ()| Done::Withdrawn.on(page),
    )
    .await
}

/// 提醒设置: which reminders about their activities the person wants, at every node they
/// receive at (their own account's, whoever asks; a notice always arrives).
#[server(endpoint = "messages/preferences")]
pub async fn save_preferences(node: String, want: Option<Vec<String>>) -> Result<(), AppError> {
    let want = want.unwrap_or_default();
    on_item(
        &node,
        |node| routes::messages(node).at("settings"),
        async |db, scope| notices::set_wanted(db, scope.actor_user_id(), &want).await,
        |page, ()| page.saved(),
    )
    .await
}

/// 群机器人: names the node's 企业微信 or 钉钉 robot (its notices are posted to the group).
#[server(endpoint = "notices/robot")]
pub async fn save_robot(
    node: String,
    kind: String,
    url: String,
    #[server(default)] secret: String,
) -> Result<(), AppError> {
    let input = notices::RobotInput { kind, url, secret };
    on_item(
        &node,
        |node| routes::notices(node).at("robot"),
        async |db, scope| notices::set_robot(db, scope, &input, chrono::Utc::now()).await,
        |page, ()| page.saved(),
    )
    .await
}

/// The node's notices are no longer posted to a group.
#[server(endpoint = "notices/robot/remove")]
pub async fn remove_robot(node: String) -> Result<(), AppError> {
    on_item(
        &node,
        |node| routes::notices(node).at("robot"),
        async |db, scope| notices::remove_robot(db, scope).await,
        |page, ()| page.saved(),
    )
    .await
}
