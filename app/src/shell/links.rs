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

/// The parts of a page's work in named groups (党员 / 共建 / 活动 / 统筹): `groups` are (catalogue
/// key of the group's name, its links); the very first link is the main one.
#[component]
pub fn GroupedLinks(groups: Vec<(&'static str, Vec<(Href, &'static str)>)>) -> impl IntoView {
    let lang = use_lang();
    let mut first = true;
    let groups = groups
        .into_iter()
        .map(|(name, links)| {
            let links = links
                .into_iter()
                .map(|(href, key)| {
                    let class = if first { "button" } else { "button secondary" };
                    first = false;
                    view! { <a class=class href=href.to_string()>{t(lang, key)}</a> " " }
                })
                .collect_view();
            view! {
                <div class="link-group">
                    <h2 class="group-name">{t(lang, name)}</h2>
                    <p class="actions">{links}</p>
                </div>
            }
        })
        .collect_view();
    view! { <nav class="link-groups" aria-label=t(lang, "nav.work")>{groups}</nav> }
}
