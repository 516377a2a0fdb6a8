//! Form endpoints of the account page. Each acts on the signed-in account only: nothing here
//! takes an account id from the request.
use domain::auth::account::{self, PasswordChange};
use domain::DomainError;
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
    let result = account::change_password(
        &state.db,
        &state.login_guard,
        principal.user_id,
        current.as_deref(),
        crate::state::client_ip().await,
        &input,
    )
    .await;
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

/// Sets (or, empty, removes) the address the person's messages are e-mailed to.
#[server(endpoint = "account/email")]
pub async fn save_email(#[server(default)] email: String) -> Result<(), AppError> {
    save_own(EMAIL_FORM, "email", email, account::set_email).await
}

/// Name of the text-message form.
pub const SMS_FORM: &str = "sms";

/// Sets (or, empty, removes) the mobile number the person's most pressing messages are
/// texted to: their consent to 短信.
#[server(endpoint = "account/sms")]
pub async fn save_sms_phone(#[server(default)] sms_phone: String) -> Result<(), AppError> {
    save_own(SMS_FORM, "sms_phone", sms_phone, account::set_sms_phone).await
}

/// Saves one of the person's own settings (`field` of the form `form`, the page's anchor):
/// done, back to it saved; refused, back to it with the reason and what was typed.
async fn save_own(
    form: &'static str,
    field: &str,
    typed: String,
    set: impl AsyncFnOnce(&domain::Db, uuid::Uuid, &str) -> domain::DomainResult<()>,
) -> Result<(), AppError> {
    let state = app_state()?;
    let principal = crate::state::principal().await?;
    match set(&state.db, principal.user_id, &typed).await {
        Ok(()) => {
            let to = routes::account().saved().query("on", form).at(form);
            redirect(&to.to_string());
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
