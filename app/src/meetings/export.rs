//! `GET /org/:id/meetings.xlsx`: the meetings and resolutions the street's or a community's
//! staff see, as one workbook (audited).
use axum::extract::{Path, State};
use tower_sessions::Session;

use crate::download::{session_principal, Download};
use crate::error::AppError;
use crate::state::AppState;

pub async fn meetings_xlsx(
    State(state): State<AppState>,
    session: Session,
    Path(node): Path<String>,
) -> Result<Download, AppError> {
    let principal = session_principal(&state, &session).await?;
    let id = domain::validate::parse_id(&node)?;
    let scope = principal.coop_scope(&state.db, id).await?;
    let name = domain::org::node_name(&state.db, id).await?;
    let today = domain::clock::today();
    let (meetings, resolutions) = domain::coop::export_meetings(&state.db, &scope, today).await?;
    Download::xlsx_written(format!("联席会议-{today}.xlsx"), move || {
        domain::coop::meetings_xlsx(&name, &meetings, &resolutions)
    })
    .await
}
