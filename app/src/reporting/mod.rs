//! 双报到 in the UI: the community's posts and reports, a member's own report on their home
//! page, and the year-end feedback sheets (print and .xlsx). Writes are form posts.
#[cfg(feature = "ssr")]
mod export;
#[cfg(feature = "ssr")]
mod feedback;
#[cfg(feature = "ssr")]
mod page;
#[cfg(feature = "ssr")]
mod picker;

#[cfg(feature = "ssr")]
pub use export::feedback_xlsx;
#[cfg(feature = "ssr")]
pub use feedback::FeedbackPage;
#[cfg(feature = "ssr")]
pub use page::ReportingPage;
#[cfg(feature = "ssr")]
pub use picker::{PostPicker, ReportSummary};

use leptos::prelude::*;

use crate::error::AppError;

/// Name of the forms on the 双报到 pages (their error comes back in the flash).
pub const REPORTING_FORM: &str = "reporting";

/// Adds a service post (`post` empty) or changes one.
#[server(endpoint = "reporting/post")]
pub async fn save_post(
    community: String,
    post: String,
    name: String,
    description: String,
    active: Option<String>,
) -> Result<(), AppError> {
    use crate::state::{community_scope, finish_form};
    use domain::reporting::{self, PostInput};
    let (state, scope) = community_scope(&community).await?;
    let post_id = match post.trim() {
        "" => None,
        id => Some(domain::validate::parse_id(id).map_err(crate::error::fail)?),
    };
    let input = PostInput {
        name,
        description,
        active: active.is_some(),
    };
    let tx = scope.write(&state.db).await.map_err(crate::error::fail)?;
    let result = reporting::save_post(&tx, post_id, &input).await.map(|_| ());
    let page = format!("/org/{}/members/reporting", scope.tenant_id());
    finish_form(
        tx,
        result,
        &format!("{page}?saved=1#posts"),
        REPORTING_FORM,
        Default::default(),
        &format!("{page}#posts"),
    )
    .await
}

/// Reports an in-service member with the posts picked: staff name the member; a member with an
/// account leaves `member` empty and reports for themself.
#[server(endpoint = "reporting/report")]
pub async fn report(
    community: String,
    member: String,
    posts: Option<Vec<String>>,
) -> Result<(), AppError> {
    use crate::state::{app_state, finish_form, principal};
    let state = app_state()?;
    let principal = principal().await?;
    let community_id = domain::validate::parse_id(&community).map_err(crate::error::fail)?;
    let scope = principal
        .tenant_scope(&state.db, community_id)
        .await
        .map_err(crate::error::fail)?;
    let member_id = match member.trim() {
        "" => None,
        id => Some(domain::validate::parse_id(id).map_err(crate::error::fail)?),
    };
    let today = domain::clock::today();
    let tx = scope.write(&state.db).await.map_err(crate::error::fail)?;
    let picked = posts.unwrap_or_default();
    let result = domain::reporting::report(&tx, member_id, &picked, today).await;
    let page = match member_id {
        Some(id) => format!("/org/{community_id}/members/{id}"),
        None => format!("/org/{community_id}"),
    };
    finish_form(
        tx,
        result,
        &format!("{page}?saved=1#reporting"),
        REPORTING_FORM,
        Default::default(),
        &format!("{page}#reporting"),
    )
    .await
}

/// The secretary confirms (`decision` = `confirm`) or declines a pending report with a reason.
#[server(endpoint = "reporting/decide")]
pub async fn decide(
    community: String,
    member: String,
    decision: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::state::{community_scope, finish_form};
    let (state, scope) = community_scope(&community).await?;
    let member_id = domain::validate::parse_id(&member).map_err(crate::error::fail)?;
    let confirm = match decision.as_str() {
        "confirm" => true,
        "decline" => false,
        _ => {
            return Err(crate::error::fail(AppError::Invalid {
                field: "decision".into(),
                reason: "not_in_list".into(),
            }))
        }
    };
    let today = domain::clock::today();
    let tx = scope.write(&state.db).await.map_err(crate::error::fail)?;
    let reason = reason.unwrap_or_default();
    let result = domain::reporting::decide(&tx, member_id, confirm, &reason, today).await;
    let page = format!("/org/{}/members/reporting", scope.tenant_id());
    finish_form(
        tx,
        result,
        &format!("{page}?saved=1#reports"),
        REPORTING_FORM,
        Default::default(),
        &format!("{page}#reports"),
    )
    .await
}
