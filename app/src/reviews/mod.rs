//! 民主评议党员 in the UI: the community's list of branches and their review of a year, a
//! branch's review (grade its members, record the decision, reopen it, print the results),
//! and the street's and district's figures without names. Writes are form posts.
#[cfg(feature = "ssr")]
mod branch;
#[cfg(feature = "ssr")]
pub(crate) mod fns;
#[cfg(feature = "ssr")]
mod list;
#[cfg(feature = "ssr")]
mod totals;

#[cfg(feature = "ssr")]
pub use branch::BranchReviewPage;
#[cfg(feature = "ssr")]
pub use fns::{decide_review, grade_members, reopen_review};
#[cfg(feature = "ssr")]
pub use list::ReviewsPage;
#[cfg(feature = "ssr")]
pub use totals::ReviewTotalsPage;

/// Name of the forms on the review pages (their error comes back in the flash).
pub const REVIEW_FORM: &str = "reviews";

/// The year asked for in the address (`?year=2026`), or the season's.
#[cfg(feature = "ssr")]
pub(crate) fn year_param(value: Option<String>) -> i32 {
    value
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| domain::reviews::default_year(domain::clock::today()))
}

/// The year picker of the review pages (this year and last), showing `action` of that year.
#[cfg(feature = "ssr")]
#[leptos::component]
pub(crate) fn YearPicker(action: crate::routes::Href, year: i32) -> impl leptos::IntoView {
    use crate::i18n::{t, use_lang};
    use leptos::prelude::*;
    let lang = use_lang();
    let options = domain::reviews::review_years(domain::clock::today())
        .into_iter()
        .map(|y| view! { <option value=y.to_string() selected=y == year>{y.to_string()}</option> })
        .collect_view();
    view! {
        <form method="get" action=action.to_string() class="inline-form no-print">
            <label>
                {t(lang, "reviews.year")}
                <select name="year">{options}</select>
            </label>
            <button type="submit" class="secondary">{t(lang, "reviews.show")}</button>
        </form>
    }
}

/// The keys every review form posts: the community, the branch and the year.
#[cfg(feature = "ssr")]
#[leptos::component]
pub(crate) fn ReviewKeys(node: uuid::Uuid, branch: uuid::Uuid, year: i32) -> impl leptos::IntoView {
    use leptos::prelude::*;
    view! {
        <input type="hidden" name="node" value=node.to_string() />
        <input type="hidden" name="branch" value=branch.to_string() />
        <input type="hidden" name="year" value=year.to_string() />
    }
}
