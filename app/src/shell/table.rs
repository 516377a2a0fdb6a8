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
    view! {
        <div class=format!("table-wrap {class}")>
            <table>
                <thead>
                    <tr>{heads}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
