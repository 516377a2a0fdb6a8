//! Logging in and out, and the language choice: form endpoints that answer with a redirect, so
//! they work without JavaScript.
use leptos::prelude::*;

use crate::error::AppError;

/// Checks the credentials; on success starts a new session (new id) and goes to `next` (the
/// page that asked for a login, same site only) or home, otherwise back to the login page with
/// an error code.
#[server(endpoint = "login")]
pub async fn login(
    login: String,
    password: String,
    #[server(default)] next: String,
) -> Result<(), AppError> {
    use crate::state::{app_state, client_ip, session, USER_KEY};
    use domain::sessions::keys;
    let state = app_state()?;
    let ip = client_ip().await;
    // Run to the end even if the browser gives up waiting: the attempt is counted before its
    // password is checked and forgotten after, and a request dropped between would stay counted.
    let (db, guard) = (state.db.clone(), state.login_guard.clone());
    let checked =
        tokio::spawn(async move { domain::auth::login(&db, &guard, &login, &password, ip).await })
            .await
            .map_err(|_| AppError::Internal)?;
    match checked {
        Ok(user_id) => {
            let session = session().await?;
            // A fresh id on login defeats session fixation.
            session.cycle_id().await.map_err(|_| AppError::Internal)?;
            let _ = session.remove::<i64>(crate::state::SIGNED_IN_AT).await;
            session
                .insert(USER_KEY, user_id)
                .await
                .map_err(|_| AppError::Internal)?;
            // What the person's sessions list shows of this one.
            let _ = session.insert(keys::AGENT, user_agent()).await;
            let _ = session
                .insert(keys::ADDRESS, ip.map(|ip| ip.to_string()))
                .await;
            // An account with a one-time password goes to choose its own.
            let must_change = domain::auth::Principal::current(&state.db, user_id)
                .await?
                .is_some_and(|p| p.must_change_password);
            let to = if must_change {
                "/account".to_owned()
            } else {
                super::local_path(&next)
            };
            crate::state::redirect(&to);
        }
        Err(err) => {
            let code = AppError::from(err).code();
            crate::state::redirect(&format!("/login?error={code}{}", super::next_query(&next)));
        }
    }
    Ok(())
}

/// The browser's name for itself, shortened to what a sessions list shows.
fn user_agent() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    let agent = parts.headers.get(http::header::USER_AGENT)?.to_str().ok()?;
    Some(agent.chars().take(120).collect())
}

/// Ends the session: the stored session is deleted, so the old cookie no longer works.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::state::{app_state, client_ip, session, USER_KEY};
    let state = app_state()?;
    let session = session().await?;
    if let Ok(Some(user_id)) = session.get::<uuid::Uuid>(USER_KEY).await {
        domain::auth::logout(&state.db, user_id, client_ip().await).await?;
    }
    session.flush().await.map_err(|_| AppError::Internal)?;
    crate::state::redirect("/login?bye=1");
    Ok(())
}

/// Remembers the language in a cookie and returns to the page the person was on.
#[server(endpoint = "set_language")]
pub async fn set_language(lang: String, back: String) -> Result<(), AppError> {
    use crate::i18n::{Lang, LANG_COOKIE};
    let lang = Lang::parse(&lang).ok_or_else(|| AppError::Invalid {
        field: "lang".into(),
        reason: "not_in_list".into(),
    })?;
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    // The integration always provides the response's options; without them (never) the
    // language is simply not remembered.
    let options = use_context::<leptos_axum::ResponseOptions>();
    if let (Some(options), Ok(value)) = (options, http::HeaderValue::from_str(&cookie)) {
        options.append_header(http::header::SET_COOKIE, value);
    }
    crate::state::redirect(&super::local_path(&back));
    Ok(())
}
