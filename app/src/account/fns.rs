//! Form endpoints of the account page. Each acts on the signed-in account only: nothing here
//! takes an account id from the request.
use domain::auth::account::{self, PasswordChange};
use domain::auth::contact;
use domain::kinds::Channel;
use domain::{DomainError, DomainResult};
use leptos::prelude::*;

use crate::error::AppError;
use crate::routes;
use crate::state::{app_state, principal_even_with_one_time_password, redirect, session};

/// Name of the password form (its refusal comes back in the flash).
pub const PASSWORD_FORM: &str = "password";

/// This request's session id (to keep this device signed in), never sent to the browser.
async fn current_session() -> Result<Option<String>, AppError> {
    Ok(session().await?.id().map(|id| id.to_string()))
}

/// Changes the signed-in person's password (the current one required); their other sessions
/// end. Open to an account that must still replace its one-time password.
#[server(endpoint = "account/password")]
pub async fn change_password(#[server(flatten)] input: PasswordChange) -> Result<(), AppError> {
    let state = app_state()?;
    let principal = principal_even_with_one_time_password().await?;
    let current = current_session().await?;
    let ip = crate::state::client_ip().await;
    // Run to the end even if the browser gives up waiting (see `auth::fns::login`).
    let (db, guard, user_id) = (
        state.db.clone(),
        state.login_guard.clone(),
        principal.user_id,
    );
    let result = tokio::spawn(async move {
        account::change_password(&db, &guard, user_id, current.as_deref(), ip, &input).await
    })
    .await
    .map_err(|_| AppError::Internal)?;
    match result {
        Ok(()) if principal.must_change_password => {
            redirect("/");
            Ok(())
        }
        Ok(()) => {
            redirect(&routes::account().query("changed", 1).to_string());
            Ok(())
        }
        Err(err @ DomainError::Invalid { .. }) => {
            // Passwords are never echoed back.
            crate::state::set_flash(crate::state::Flash {
                form: PASSWORD_FORM.into(),
                values: Default::default(),
                error: err.into(),
            })
            .await?;
            redirect(&routes::account().at("password").to_string());
            Ok(())
        }
        Err(err) => Err(err.into()),
    }
}

/// Name of the e-mail form.
pub const EMAIL_FORM: &str = "email";

/// Sends a code to a new address the person's messages are to be e-mailed to (or, empty,
/// removes the one kept).
#[server(endpoint = "account/email")]
pub async fn save_email(#[server(default)] email: String) -> Result<(), AppError> {
    save_contact(Channel::Email, email).await
}

/// Name of the text-message form.
pub const SMS_FORM: &str = "sms";

/// Sends a code to a new mobile number the person's most pressing messages are to be texted
/// to (their consent to 短信), or, empty, removes the one kept.
#[server(endpoint = "account/sms")]
pub async fn save_sms_phone(#[server(default)] sms_phone: String) -> Result<(), AppError> {
    save_contact(Channel::Sms, sms_phone).await
}

/// The code sent to a new address or number (`channel`: `email` or `sms`), typed back: the
/// address becomes the person's.
#[server(endpoint = "account/confirm")]
pub async fn confirm_contact(
    channel: String,
    #[server(default)] code: String,
) -> Result<(), AppError> {
    let channel = match channel.as_str() {
        EMAIL_FORM => Channel::Email,
        SMS_FORM => Channel::Sms,
        _ => return Err(DomainError::invalid("code", "none_pending").into()),
    };
    let state = app_state()?;
    let principal = crate::state::principal().await?;
    let now = chrono::Utc::now();
    let done = contact::confirm(&state.db, principal.user_id, channel, &code, now).await;
    let to = routes::account().saved().query("on", form_of(channel));
    back_to_form(channel, "code", code, done.map(|_| to)).await
}

fn form_of(channel: Channel) -> &'static str {
    match channel {
        Channel::Sms => SMS_FORM,
        _ => EMAIL_FORM,
    }
}

/// A new address gets a code (the form then asks for it); an empty one removes the kept one
/// and any code waiting.
async fn save_contact(channel: Channel, typed: String) -> Result<(), AppError> {
    let state = app_state()?;
    let principal = crate::state::principal().await?;
    let user = principal.user_id;
    let form = form_of(channel);
    let done = if typed.trim().is_empty() {
        remove_contact(&state.db, user, channel)
            .await
            .map(|()| routes::account().saved().query("on", form))
    } else {
        send_code(&state, user, channel, &typed)
            .await
            .map(|()| routes::account().query("sent", form))
    };
    back_to_form(channel, contact::field(channel), typed, done).await
}

async fn remove_contact(db: &domain::Db, user: uuid::Uuid, channel: Channel) -> DomainResult<()> {
    contact::withdraw(db, user, channel, chrono::Utc::now()).await?;
    match channel {
        Channel::Sms => account::set_sms_phone(db, user, "").await,
        _ => account::set_email(db, user, "").await,
    }
}

/// Keeps a new code for `typed` and sends it; one that cannot be sent is ended (it still
/// counts against the limits) and the person told.
async fn send_code(
    state: &crate::state::AppState,
    user: uuid::Uuid,
    channel: Channel,
    typed: &str,
) -> DomainResult<()> {
    let code = contact::ask(&state.db, user, channel, typed, chrono::Utc::now()).await?;
    let sent = match &state.codes {
        Some(codes) => codes.send_code(&code).await,
        None => Err("no channel to send codes through".to_owned()),
    };
    if let Err(error) = sent {
        tracing::warn!(%error, channel = channel.as_str(), "sending a contact code");
        contact::withdraw(&state.db, user, channel, chrono::Utc::now()).await?;
        return Err(DomainError::invalid(
            contact::field(channel),
            "code_not_sent",
        ));
    }
    Ok(())
}

/// Back to the channel's form on the account page: done, at `to`; refused, with the reason and
/// what was typed (`field`).
async fn back_to_form(
    channel: Channel,
    field: &str,
    typed: String,
    done: DomainResult<routes::Href>,
) -> Result<(), AppError> {
    let form = form_of(channel);
    match done {
        Ok(to) => {
            redirect(&to.at(form).to_string());
            Ok(())
        }
        Err(err @ DomainError::Invalid { .. }) => {
            let values = [(field.to_owned(), typed.chars().take(300).collect())];
            crate::state::set_flash(crate::state::Flash {
                form: form.into(),
                values: values.into_iter().collect(),
                error: err.into(),
            })
            .await?;
            redirect(&routes::account().at(form).to_string());
            Ok(())
        }
        Err(err) => Err(err.into()),
    }
}

/// Ends one of the person's own sessions on another device.
#[server(endpoint = "account/sessions/end")]
pub async fn end_session(session: String) -> Result<(), AppError> {
    let handle = crate::form::id(&session)?;
    let state = app_state()?;
    let principal = crate::state::principal().await?;
    let current = current_session().await?;
    account::end_session(&state.db, principal.user_id, current.as_deref(), handle).await?;
    redirect(
        &routes::account()
            .query("ended", 1)
            .at("sessions")
            .to_string(),
    );
    Ok(())
}

/// Ends all of the person's sessions but this one.
#[server(endpoint = "account/sessions/end-others")]
pub async fn end_other_sessions() -> Result<(), AppError> {
    let state = app_state()?;
    let principal = crate::state::principal().await?;
    let current = current_session().await?;
    let ended =
        account::end_other_sessions(&state.db, principal.user_id, current.as_deref()).await?;
    redirect(
        &routes::account()
            .query("ended", ended)
            .at("sessions")
            .to_string(),
    );
    Ok(())
}
