//! `/account`: who the person is and the roles they hold, the password form (with its rules),
//! and their sessions. An account with a one-time password lands here and can go nowhere else
//! until it has chosen its own.
use domain::auth::account::{self, my_sessions, SessionInfo};
use domain::auth::contact::{self, Pending};
use domain::auth::strength::MIN_CHOSEN_LEN;
use domain::kinds::Channel;
use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_router::hooks::use_query_map;

use super::fns::{
    ChangePassword, ConfirmContact, EndOtherSessions, EndSession, SaveEmail, SaveSmsPhone,
    EMAIL_FORM, PASSWORD_FORM, SMS_FORM,
};
use crate::activities::when;
use crate::i18n::{t, t_with, use_lang};
use crate::shell::{error_page, list_table, HeaderUser, Layout, PageHead};
use crate::state::{app_state, principal_even_with_one_time_password, session, take_flash};

#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    // How many sessions a post just ended (a number, never text from the address bar).
    let (changed, ended, saved, sent) = {
        let query = use_query_map().read_untracked();
        let ended = query.get("ended").and_then(|n| n.parse::<u64>().ok());
        (
            query.get("changed").is_some(),
            ended,
            // Which of the person's settings was just saved.
            query
                .get("saved")
                .and_then(|_| query.get("on"))
                .unwrap_or_default(),
            // Which form's code was just sent.
            query.get("sent").unwrap_or_default(),
        )
    };
    Suspend::new(async move {
        let principal = match principal_even_with_one_time_password().await {
            Ok(p) => p,
            Err(crate::error::AppError::Unauthenticated) => {
                crate::state::redirect("/login");
                return ().into_any();
            }
            Err(err) => return error_page(None, err),
        };
        let state = match app_state() {
            Ok(state) => state,
            Err(err) => return error_page(None, err),
        };
        let current = match session().await {
            Ok(s) => s.id().map(|id| id.to_string()),
            Err(err) => return error_page(None, err),
        };
        let sessions = match my_sessions(&state.db, principal.user_id, current.as_deref()).await {
            Ok(sessions) => sessions,
            Err(err) => return error_page(None, crate::error::fail(err)),
        };
        let error = take_flash(PASSWORD_FORM)
            .await
            .map(|f| f.error.message(lang));
        let email = match account::my_email(&state.db, principal.user_id).await {
            Ok(email) => email,
            Err(err) => return error_page(None, crate::error::fail(err)),
        };
        let sms_phone = match account::my_sms_phone(&state.db, principal.user_id).await {
            Ok(phone) => phone,
            Err(err) => return error_page(None, crate::error::fail(err)),
        };
        let pending = match contact::pending(&state.db, principal.user_id, chrono::Utc::now()).await
        {
            Ok(pending) => pending,
            Err(err) => return error_page(None, crate::error::fail(err)),
        };
        let waiting = |channel: Channel| pending.iter().find(|p| p.channel == channel).cloned();
        // Each form where its channel goes out, or to remove what was kept from before.
        let outbound = state.db.outbound();
        let email_form = (outbound.email || email.is_some()).then(|| Contact {
            form: EMAIL_FORM,
            texts: ["account.email", "account.email_hint", "account.save_email"],
            action: SaveEmail::url(),
            field: "email",
            input: ("email", "email", "254"),
            value: email,
            waiting: waiting(Channel::Email),
        });
        let sms_form = (outbound.sms || sms_phone.is_some()).then(|| Contact {
            form: SMS_FORM,
            texts: ["account.sms", "account.sms_hint", "account.save_sms"],
            action: SaveSmsPhone::url(),
            field: "sms_phone",
            input: ("tel", "tel", "11"),
            value: sms_phone,
            waiting: waiting(Channel::Sms),
        });
        let mut flashes = Vec::new();
        for form in [EMAIL_FORM, SMS_FORM] {
            flashes.push(take_flash(form).await);
        }
        let contacts = [email_form, sms_form]
            .into_iter()
            .zip(flashes)
            .filter_map(|(contact, flash)| {
                let contact = contact?;
                let saved = saved == contact.form;
                let sent = sent == contact.form;
                Some(view! { <ContactForm contact flash saved sent /> })
            })
            .collect_view();
        let must_change = principal.must_change_password;
        let roles = principal
            .assignments
            .iter()
            .map(|a| {
                let role = t(lang, &format!("role.{}", a.role.as_str()));
                view! { <li>{role} " · " {a.node.name.clone()}</li> }
            })
            .collect_view();
        view! {
            <Layout user=Some(HeaderUser::of(&principal)) crumbs=Vec::new()>
                <PageHead kind=t(lang, "account.kind") title=principal.display_name.clone()>
                    <p class="code">{t(lang, "account.login_name")} " " <span>{principal.login_name.clone()}</span></p>
                </PageHead>
                {must_change.then(|| view! { <p class="notice" role="status">{t(lang, "account.must_change")}</p> })}
                {changed.then(|| view! { <p class="notice" role="status">{t(lang, "account.changed")}</p> })}
                <section class="card">
                    <h2>{t(lang, "account.roles")}</h2>
                    <ul>{roles}</ul>
                </section>
                <PasswordForm error />
                {(!must_change).then_some(contacts)}
                {(!must_change).then(|| view! { <Sessions sessions ended /> })}
            </Layout>
        }
        .into_any()
    })
}

/// The current password, the new one twice, and the rules it must meet.
#[component]
fn PasswordForm(error: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let min = MIN_CHOSEN_LEN.to_string();
    let field = |name: &'static str, autocomplete: &'static str, described: bool| {
        view! {
            <label>
                {t(lang, &format!("field.{name}"))}
                <input
                    type="password"
                    name=name
                    autocomplete=autocomplete
                    minlength=if name == "current_password" { "1".to_owned() } else { min.clone() }
                    maxlength="128"
                    aria-describedby=described.then_some("password-rules")
                    required
                />
            </label>
        }
    };
    view! {
        <section id="password" class="card">
            <h2>{t(lang, "account.password")}</h2>
            {error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <form method="post" action=ChangePassword::url()>
                {field("current_password", "current-password", false)}
                {field("new_password", "new-password", true)}
                <ul id="password-rules" class="note">
                    <li>{t_with(lang, "account.rule_length", &[("n", MIN_CHOSEN_LEN.to_string())])}</li>
                    <li>{t(lang, "account.rule_guessable")}</li>
                    <li>{t(lang, "account.rule_personal")}</li>
                </ul>
                {field("confirm_password", "new-password", false)}
                <button type="submit">{t(lang, "account.change_password")}</button>
            </form>
        </section>
    }
}

/// A way the person's messages also reach them beyond the app, as the form shows it.
struct Contact {
    /// The form's name and its section's id.
    form: &'static str,
    /// The keys of its heading, hint and button.
    texts: [&'static str; 3],
    action: &'static str,
    field: &'static str,
    /// The input's type, autocomplete and maxlength.
    input: (&'static str, &'static str, &'static str),
    /// The address or number kept (confirmed).
    value: Option<String>,
    /// A new one waiting for its code.
    waiting: Option<Pending>,
}

/// The address or number the person's messages also go to (none: only in the app), and a new
/// one's code to type back.
#[component]
fn ContactForm(
    contact: Contact,
    flash: Option<crate::state::Flash>,
    saved: bool,
    sent: bool,
) -> impl IntoView {
    let lang = use_lang();
    let error = flash.as_ref().map(|f| f.error.message(lang));
    let typed = flash.and_then(|f| f.values.get(contact.field).cloned());
    let value = typed.or(contact.value).unwrap_or_default();
    let [heading, hint, save] = contact.texts.map(|key| t(lang, key));
    let (kind, autocomplete, maxlength) = contact.input;
    let code_form = contact.waiting.map(|w| {
        let until = when(w.expires_at);
        let note = t_with(lang, "account.code_pending", &[("address", w.address), ("until", until)]);
        let (note_id, code_id) = (format!("{}-code-note", contact.form), format!("{}-code", contact.form));
        view! {
            <form method="post" action=ConfirmContact::url() class="code-form">
                <p class=if sent { "notice" } else { "note" } id=note_id.clone() role=sent.then_some("status")>{note}</p>
                <input type="hidden" name="channel" value=contact.form />
                <label for=code_id.clone()>{t(lang, "field.code")}</label>
                <input id=code_id type="text" name="code" inputmode="numeric" autocomplete="one-time-code"
                    pattern="[0-9]{6}" maxlength="6" required aria-describedby=note_id />
                <button type="submit">{t(lang, "account.confirm_code")}</button>
            </form>
        }
    });
    view! {
        <section id=contact.form class="card">
            <h2>{heading}</h2>
            <p class="note">{hint}</p>
            {saved.then(|| view! { <p class="notice" role="status">{t(lang, "members.saved")}</p> })}
            {error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {code_form}
            <form method="post" action=contact.action>
                <label>
                    {t(lang, &format!("field.{}", contact.field))}
                    <input type=kind name=contact.field autocomplete=autocomplete maxlength=maxlength value=value />
                </label>
                <button type="submit">{save}</button>
            </form>
        </section>
    }
}

/// The person's live sessions: this device, and the others with a button to end each.
#[component]
fn Sessions(sessions: Vec<SessionInfo>, ended: Option<u64>) -> impl IntoView {
    let lang = use_lang();
    let others = sessions.iter().filter(|s| !s.current).count();
    let time = |at: Option<chrono::DateTime<chrono::Utc>>| at.map(when).unwrap_or_default();
    let table = list_table(
        vec![
            "account.device",
            "account.signed_in_at",
            "account.last_seen_at",
            "account.address",
            "",
        ],
        "account.no_sessions",
        sessions,
        move |s| {
            let action = if s.current {
                view! { <span class="tag">{t(lang, "account.this_device")}</span> }.into_any()
            } else {
                view! {
                    <form method="post" action=EndSession::url() class="inline">
                        <input type="hidden" name="session" value=s.handle.to_string() />
                        <button type="submit" class="secondary">{t(lang, "account.end_session")}</button>
                    </form>
                }
                .into_any()
            };
            view! {
                <tr>
                    <td>{s.agent.unwrap_or_default()}</td>
                    <td>{time(s.signed_in_at)}</td>
                    <td>{time(s.last_seen_at)}</td>
                    <td>{s.ip.unwrap_or_default()}</td>
                    <td class="no-print">{action}</td>
                </tr>
            }
        },
    );
    view! {
        <section id="sessions">
            <h2>{t(lang, "account.sessions")}</h2>
            {ended.map(|n| view! {
                <p class="notice" role="status">{t_with(lang, "account.ended", &[("n", n.to_string())])}</p>
            })}
            {table}
            {(others > 0).then(|| view! {
                <form method="post" action=EndOtherSessions::url()>
                    <button type="submit" class="secondary">{t(lang, "account.end_others")}</button>
                </form>
            })}
        </section>
    }
}
