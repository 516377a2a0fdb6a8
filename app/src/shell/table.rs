//! A table as the pages show them: scrolling sideways inside its frame on a phone, column heads
//! given as catalogue keys (a `#` prefix right-aligns a numeric column), the rows as children.
use leptos::prelude::*;

use crate::i18n::{t, use_lang};

#[component]
pub fn DataTable(
    /// Catalogue keys of the column heads; `#key` for a numeric (right-aligned) column, `""`
    /// for a column of row actions.
    heads: Vec<&'static str>,
    /// Extra class of the frame (e.g. `print-skip`).
    #[prop(optional)]
    class: &'static str,
    /// Catalogue key of a caption for screen readers (not shown).
    #[prop(optional)]
    caption: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    let heads = heads
        .into_iter()
        .map(|key| match key.strip_prefix('#') {
            // An empty key heads a column of row actions (not printed).
            _ if key.is_empty() => view! { <th scope="col" class="no-print"></th> }.into_any(),
            Some(key) => view! { <th scope="col" class="num">{t(lang, key)}</th> }.into_any(),
            None => view! { <th scope="col">{t(lang, key)}</th> }.into_any(),
        })
        .collect_view();
    // Focusable: a keyboard scrolls a table wider than the phone (axe: scrollable regions
    // must be reachable).
    view! {
        <div class=format!("table-wrap {class}") tabindex="0">
            <table>
                {caption.map(|key| view! { <caption class="visually-hidden">{t(lang, key)}</caption> })}
                <thead>
                    <tr>{heads}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

/// A `DataTable` of `items`, one row each made by `row`, or the catalogue's `empty` line when
/// there are none.
pub fn list_table<T, Row: IntoView + 'static>(
    heads: Vec<&'static str>,
    empty: &'static str,
    items: Vec<T>,
    row: impl FnMut(T) -> Row,
) -> AnyView {
    if items.is_empty() {
        return view! { <p>{t(use_lang(), empty)}</p> }.into_any();
    }
    let rows = items.into_iter().map(row).collect_view();
    view! { <DataTable heads=heads>{rows}</DataTable> }.into_any()
}
