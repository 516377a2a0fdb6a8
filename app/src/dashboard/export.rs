//! `GET /org/:id/dashboard.xlsx`: the dashboard's tables as a workbook, for whoever may open
//! the dashboard (counts only, so not audited as a personal-data export is).
use axum::extract::{Path, State};
use tower_sessions::Session;

use crate::download::{session_principal, Download};
use crate::error::AppError;
use crate::state::AppState;

pub async fn dashboard_xlsx(
    State(state): State<AppState>,
    session: Session,
    Path(node): Path<String>,
) -> Result<Download, AppError> {
    let principal = session_principal(&state, &session).await?;
    let id = domain::validate::parse_id(&node)?;
    let scope = principal.rollup_scope(&state.db, id).await?;
    let name = domain::org::node_name(&state.db, id).await?;
    let today = domain::clock::today();
    let file = format!("党建统筹-{name}-{today}.xlsx");
    let body =
        domain::rollup::dashboard_workbook(&state.db, &scope, name, chrono::Utc::now()).await?;
    Ok(Download::xlsx(file, body))
}
