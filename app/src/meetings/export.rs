//! `GET /org/:id/meetings.xlsx`: the meetings and resolutions the street's or a community's
//! staff see, as one workbook (audited).
use axum::response::Response;
use tower_sessions::Session;

use crate::error::AppError;
use crate::members::{handler_error, session_principal, xlsx_response};
use crate::state::AppState;

pub async fn meetings_xlsx(state: AppState, session: Session, node: String) -> Response {
    match build(&state, &session, &node).await {
        Ok(bytes) => {
            let today = chrono::Local::now().date_naive();
            xlsx_response(&format!("联席会议-{today}.xlsx"), bytes)
        }
        Err(err) => handler_error(err),
    }
}

async fn build(state: &AppState, session: &Session, node: &str) -> Result<Vec<u8>, AppError> {
    let principal = session_principal(state, session).await?;
    let id = domain::validate::parse_id(node)?;
    let scope = principal.coop_scope(&state.db, id).await?;
    let name = domain::org::node_name(&state.db, id).await?;
    let today = chrono::Local::now().date_naive();
    let tx = scope.write(&state.db).await?;
    let (meetings, resolutions) = domain::coop::export_meetings(&tx, today).await?;
    tx.commit().await?;
    Ok(domain::coop::meetings_xlsx(&name, &meetings, &resolutions)?)
}
