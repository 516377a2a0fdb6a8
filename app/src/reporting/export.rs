//! `GET /org/:id/reporting-feedback.xlsx?year=`: every employer unit's feedback sheet in one
//! workbook (audited).
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use tower_sessions::Session;

use super::feedback::feedback_year;
use crate::download::{staff_scope, Download};
use crate::error::AppError;
use crate::state::AppState;

pub async fn feedback_xlsx(
    State(state): State<AppState>,
    session: Session,
    Path(community): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Download, AppError> {
    let year = feedback_year(params.get("year").map(String::as_str));
    let (_, scope) = staff_scope(&state, &session, &community).await?;
    let name = domain::org::node_name(&state.db, scope.tenant_id()).await?;
    let sheets = domain::reporting::export_feedback(&state.db, &scope, year).await?;
    Download::xlsx_written(format!("报到反馈-{year}.xlsx"), move || {
        domain::reporting::feedback_xlsx(&sheets, year, &name)
    })
    .await
}
