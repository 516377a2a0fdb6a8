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
            let today = domain::clock::today();
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
    let today = domain::clock::today();
    let (meetings, resolutions) = domain::coop::export_meetings(&state.db, &scope, today).await?;
    Ok(domain::coop::meetings_xlsx(&name, &meetings, &resolutions)?)
}
