//! `GET /org/:id/reporting-feedback.xlsx?year=`: every employer unit's feedback sheet in one
//! workbook (audited).
use std::collections::HashMap;

use axum::response::Response;
use tower_sessions::Session;

use super::feedback::feedback_year;
use crate::error::AppError;
use crate::members::{handler_error, handler_scope, xlsx_response};
use crate::state::AppState;

pub async fn feedback_xlsx(
    state: AppState,
    session: Session,
    community: String,
    params: HashMap<String, String>,
) -> Response {
    let year = feedback_year(params.get("year").map(String::as_str));
    match build(&state, &session, &community, year).await {
        Ok(bytes) => xlsx_response(&format!("报到反馈-{year}.xlsx"), bytes),
        Err(err) => handler_error(err),
    }
}

async fn build(
    state: &AppState,
    session: &Session,
    community: &str,
    year: i32,
) -> Result<Vec<u8>, AppError> {
    let (_, scope) = handler_scope(state, session, community).await?;
    let name = domain::org::node_name(&state.db, scope.tenant_id()).await?;
    let sheets = domain::reporting::export_feedback(&state.db, &scope, year).await?;
    Ok(domain::reporting::feedback_xlsx(&sheets, year, &name)?)
}
