//! `GET /org/:id/calendar/:aid.ics`: the activity for the member's calendar.
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::tenancy::Commit;
use tower_sessions::Session;

use crate::error::AppError;
use crate::members::{handler_error, session_principal};
use crate::state::AppState;

pub async fn activity_ics(
    state: AppState,
    session: Session,
    node: String,
    file: String,
) -> Response {
    match build(&state, &session, &node, &file).await {
        Ok(text) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"activity.ics\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            text,
        )
            .into_response(),
        Err(err) => handler_error(err),
    }
}

async fn build(
    state: &AppState,
    session: &Session,
    node: &str,
    file: &str,
) -> Result<String, AppError> {
    let principal = session_principal(state, session).await?;
    let id = domain::validate::parse_id(node)?;
    let activity = domain::validate::parse_id(file.trim_end_matches(".ics"))?;
    let scope = principal.tenant_scope(&state.db, id).await?;
    let community = domain::org::node_name(&state.db, id).await?;
    let tx = scope.read(&state.db).await?;
    let found = domain::activities::activity(&tx, activity, chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(domain::activities::activity_ics(&found, &community))
}
