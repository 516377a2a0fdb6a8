//! `GET /org/:id/dashboard.xlsx`: the dashboard's tables as a workbook, for whoever may open
//! the dashboard (counts only, so not audited as a personal-data export is).
use axum::response::Response;
use tower_sessions::Session;

use crate::error::AppError;
use crate::members::{handler_error, session_principal, xlsx_response};
use crate::state::AppState;

pub async fn dashboard_xlsx(state: AppState, session: Session, node: String) -> Response {
    match build(&state, &session, &node).await {
        Ok((name, bytes)) => {
            let today = domain::clock::today();
            xlsx_response(&format!("党建统筹-{name}-{today}.xlsx"), bytes)
        }
        Err(err) => handler_error(err),
    }
}

async fn build(
    state: &AppState,
    session: &Session,
    node: &str,
) -> Result<(String, Vec<u8>), AppError> {
    let principal = session_principal(state, session).await?;
    let id = domain::validate::parse_id(node)?;
    let scope = principal.rollup_scope(&state.db, id).await?;
    let name = domain::org::node_name(&state.db, id).await?;
    let board = domain::rollup::dashboard(&state.db, &scope, chrono::Utc::now()).await?;
    let bytes = domain::rollup::dashboard_xlsx(&name, &board)?;
    Ok((name, bytes))
}
