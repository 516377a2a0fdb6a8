//! Form endpoints of the accounts page. Each is posted on the page's node (whose staff grant
//! from there) and the domain checks again that the role, account or assignment is within the
//! actor's reach: another level's or another subtree's ids find nothing.
use domain::auth::admin::{self, NewAccount};
use leptos::prelude::*;

use super::ACCOUNTS_FORM;
use crate::error::AppError;
use crate::form::{id, Form};
use crate::page::Grants;
use crate::routes;
use crate::state::{app_state, principal, set_handover, Handover};

/// Opens an account; its one-time password is shown once on the accounts page.
#[server(endpoint = "accounts/open")]
pub async fn open_account(
    node: String,
    #[server(flatten)] input: NewAccount,
) -> Result<(), AppError> {
    let form = Form::on(&node, ACCOUNTS_FORM)?;
    let page = routes::accounts(form.node);
    let (state, Grants(actor)) = form.grant::<Grants>().await?;
    let opened = admin::open_account(&state.db, &actor, &input).await;
    if let Ok((_, password)) = &opened {
        set_handover(Handover {
            login_name: input.login_name.trim().to_lowercase(),
            password: password.clone(),
        })
        .await?;
    }
    let form = form.back(page.clone().at("open")).keep(&input);
    form.finish(opened.map(|_| page.saved())).await
}

/// Gives an existing login one more role.
#[server(endpoint = "accounts/grant")]
pub async fn grant_role(
    node: String,
    login: String,
    role: String,
    place: String,
    #[server(default)] branch: String,
) -> Result<(), AppError> {
    let form = Form::on(&node, ACCOUNTS_FORM)?;
    let page = routes::accounts(form.node);
    let (state, Grants(actor)) = form.grant::<Grants>().await?;
    let granted = admin::grant(&state.db, &actor, &login, &role, &place, &branch).await;
    let form = form
        .back(page.clone().at("grant"))
        .keep_field("login", &login);
    form.finish(granted.map(|_| page.saved())).await
}

/// Takes a role back.
#[server(endpoint = "accounts/revoke")]
pub async fn revoke_role(node: String, assignment: String) -> Result<(), AppError> {
    let form = Form::on(&node, ACCOUNTS_FORM)?;
    let assignment = id(&assignment)?;
    let page = routes::accounts(form.node);
    let (state, Grants(actor)) = form.grant::<Grants>().await?;
    let revoked = admin::revoke(&state.db, &actor, assignment).await;
    form.back(page.clone())
        .finish(revoked.map(|()| page.saved()))
        .await
}

/// Where an account post returns: the member's or the unit's page when sent from it (`member`,
/// `unit`), else the accounts page.
fn back_to(node: uuid::Uuid, member: &str, unit: &str) -> Result<routes::Href, AppError> {
    let (member, unit) = (
        crate::form::optional_id(member)?,
        crate::form::optional_id(unit)?,
    );
    Ok(match (member, unit) {
        (Some(member), _) => routes::member(node, member).at("login"),
        (None, Some(unit)) => routes::unit(node, unit).at("liaison"),
        (None, None) => routes::accounts(node),
    })
}

/// Deactivates (`active` = `false`) or reactivates an account. Posted from the accounts page, a
/// member's page or a unit's page; the domain checks the account is the actor's to manage.
#[server(endpoint = "accounts/active")]
pub async fn set_active(
    node: String,
    account: String,
    active: String,
    #[server(default)] member: String,
    #[server(default)] unit: String,
) -> Result<(), AppError> {
    let form = Form::on(&node, ACCOUNTS_FORM)?;
    let account = id(&account)?;
    let active = match active.as_str() {
        "true" => true,
        "false" => false,
        _ => return Err(domain::DomainError::invalid("active", "not_in_list").into()),
    };
    let page = back_to(form.node, &member, &unit)?;
    let (state, actor) = (app_state()?, principal().await?);
    let done = admin::set_active(&state.db, &actor, account, active).await;
    form.back(page.clone())
        .finish(done.map(|()| page.saved()))
        .await
}

/// Resets a forgotten password; the new one-time password is shown once.
#[server(endpoint = "accounts/reset")]
pub async fn reset_password(
    node: String,
    account: String,
    #[server(default)] member: String,
    #[server(default)] unit: String,
) -> Result<(), AppError> {
    let form = Form::on(&node, ACCOUNTS_FORM)?;
    let account = id(&account)?;
    let page = back_to(form.node, &member, &unit)?;
    let (state, actor) = (app_state()?, principal().await?);
    let reset = admin::reset_password(&state.db, &actor, account).await;
    if let Ok(password) = &reset {
        let login_name = domain::auth::users::login_name_of(&state.db, account).await?;
        set_handover(Handover {
            login_name,
            password: password.clone(),
        })
        .await?;
    }
    form.back(page.clone())
        .finish(reset.map(|_| page.saved()))
        .await
}
