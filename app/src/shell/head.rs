//! The head of a page: a small line saying where the page belongs (a link back to it, when the
//! page is one of its parts), the title, and any lines under the title.
use leptos::prelude::*;

#[component]
pub fn PageHead(
    /// Where the page belongs: the organisation's name, or the page it is part of.
    #[prop(into)]
    kind: String,
    /// The address of that page, shown as a link back.
    #[prop(optional, into)]
    back: Option<String>,
    #[prop(into)] title: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let kind = match back {
        Some(href) => view! { <a href=href>{kind}</a> }.into_any(),
        None => kind.into_any(),
    };
    view! {
        <header class="page-head">
            <p class="kind">{kind}</p>
            <h1>{title}</h1>
            {children.map(|more| more())}
        </header>
    }
}
