//! The only components shipped to the browser. Everything else is plain server-rendered HTML.
use leptos::prelude::*;

mod signup;
pub use signup::{SignupBox, SignupSetup, SignupTexts};

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

/// Opens the browser's print dialog (the page's print styles lay sheets out one per page).
/// Without JavaScript the browser's own print command does the same.
#[island]
pub fn PrintButton(label: String) -> impl IntoView {
    view! {
        <button type="button" class="secondary" on:click=move |_| {
            // Printing can only fail if the browser refuses; there is nothing to tell the user.
            let _ = window().print();
        }>{label}</button>
    }
}

/// Reloads the page after `seconds` (the check-in code screen follows the rotating code).
/// Without JavaScript the page says when the code changes and offers a link to refresh.
#[island]
pub fn ReloadAfter(seconds: u32) -> impl IntoView {
    Effect::new(move |_| {
        set_timeout(
            || {
                // Reloading can only fail if the browser refuses; the link stays there.
                let _ = window().location().reload();
            },
            std::time::Duration::from_secs(u64::from(seconds)),
        );
    });
}
