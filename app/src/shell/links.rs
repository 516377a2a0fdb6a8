//! A row of links shown as buttons, leading to the parts of a page's work: the first is the
//! main one, the others secondary.
use leptos::prelude::*;

use crate::i18n::{t, use_lang};
use crate::routes::Href;

/// `links`: (address, catalogue key of the label) in the order shown.
#[component]
pub fn LinkButtons(links: Vec<(Href, &'static str)>) -> impl IntoView {
    let lang = use_lang();
    let links = links
        .into_iter()
        .enumerate()
        .map(|(i, (href, key))| {
            let class = if i == 0 { "button" } else { "button secondary" };
            view! {
                {(i > 0).then_some(" ")}
                <a class=class href=href.to_string()>{t(lang, key)}</a>
            }
        })
        .collect_view();
    view! { <p class="actions">{links}</p> }
}
