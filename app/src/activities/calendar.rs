//! `GET /org/:id/calendar/:aid.ics`: the activity for the member's calendar.
use axum::extract::{Path, State};
use domain::tenancy::Commit;
use tower_sessions::Session;

use crate::download::{session_principal, Download};
use crate::error::AppError;
use crate::state::AppState;

pub async fn activity_ics(
    State(state): State<AppState>,
    session: Session,
    Path((node, file)): Path<(String, String)>,
) -> Result<Download, AppError> {
    let principal = session_principal(&state, &session).await?;
    let id = domain::validate::parse_id(&node)?;
    let activity = domain::validate::parse_id(file.trim_end_matches(".ics"))?;
    let scope = principal.tenant_scope(&state.db, id).await?;
    let community = domain::org::node_name(&state.db, id).await?;
    let tx = scope.read(&state.db).await?;
    let found = domain::activities::activity(&tx, activity, chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(Download::ics(domain::activities::activity_ics(
        &found, &community,
    )))
}
