use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;
use crate::i18n::{t, use_lang};
use crate::islands::PasswordField;
use crate::shell::Layout;
use crate::state::principal;
use leptos::server_fn::ServerFn as _;

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let error = query
        .read_untracked()
        .get("error")
        .and_then(|code| AppError::from_code(&code));
    let bye = query.read_untracked().get("bye").is_some();
    let next = super::local_path(&query.read_untracked().get("next").unwrap_or_default());
    Suspend::new(async move {
        if principal().await.is_ok() {
            crate::state::redirect(&next);
        }
        if let Some(err) = &error {
            crate::error::fail(err.clone());
        } else if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
            // Reading the principal above may have set 401; the login page itself is fine.
            options.set_status(http::StatusCode::OK);
        }
        view! {
            <Layout user=None crumbs=Vec::new()>
                <section class="login card">
                    <h1>{t(lang, "login.title")}</h1>
                    {bye.then(|| view! { <p class="notice" role="status">{t(lang, "login.logged_out")}</p> })}
                    {error.map(|e| view! { <p class="error" role="alert">{e.message(lang)}</p> })}
                    <form method="post" action=crate::auth::fns::Login::url()>
                        <input type="hidden" name="next" value=next.clone() />
                        <label for="login">{t(lang, "login.login")}</label>
                        <input id="login" name="login" autocomplete="username" maxlength="64" required />
                        <PasswordField
                            label=t(lang, "login.password")
                            show=t(lang, "login.show_password")
                            hide=t(lang, "login.hide_password")
                        />
                        <button type="submit">{t(lang, "login.submit")}</button>
                    </form>
                    <p class="hint">{t(lang, "login.hint")}</p>
                </section>
            </Layout>
        }
    })
}
