//! The only components shipped to the browser. Everything else is plain server-rendered HTML.
use leptos::prelude::*;

/// A password input with a show/hide toggle (helps on phones). Without JavaScript it is a plain
/// password field.
#[island]
pub fn PasswordField(label: String, show: String, hide: String) -> impl IntoView {
    let visible = RwSignal::new(false);
    view! {
        <label for="password">{label}</label>
        <div class="password-row">
            <input
                id="password"
                name="password"
                type=move || if visible.get() { "text" } else { "password" }
                autocomplete="current-password"
                maxlength="128"
                required
            />
            <button
                type="button"
                class="secondary"
                aria-pressed=move || visible.get().to_string()
                on:click=move |_| visible.update(|v| *v = !*v)
            >
                {move || if visible.get() { hide.clone() } else { show.clone() }}
            </button>
        </div>
    }
}
