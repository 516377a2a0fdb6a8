use leptos::prelude::*;

use crate::i18n::{t, use_lang};
use crate::routes;
use crate::shell::{require_principal, HeaderUser, Layout};

/// `/`: the signed-in user's first unit, or the login page.
#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    Suspend::new(async move {
        match require_principal().await {
            Err(elsewhere) => elsewhere,
            Ok(p) => match p.home_node() {
                Some(id) => {
                    crate::state::redirect(&routes::node(id).to_string());
                    ().into_any()
                }
                None => view! {
                    <Layout user=Some(HeaderUser::of(&p)) crumbs=Vec::new()>
                        <p class="notice">{t(lang, "home.no_roles")}</p>
                    </Layout>
                }
                .into_any(),
            },
        }
    })
}
