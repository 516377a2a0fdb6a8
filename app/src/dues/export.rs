//! `GET /org/:id/dues.xlsx?month=2026-11`: the month's remittance summary as a workbook, for the
//! community's staff (a 支部书记: their branch).
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use domain::dues;
use tower_sessions::Session;

use super::month_param;
use crate::download::{staff_scope, Download};
use crate::error::AppError;
use crate::state::AppState;

pub async fn dues_xlsx(
    State(state): State<AppState>,
    session: Session,
    Path(community): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Download, AppError> {
    let month = month_param(params.get("month").cloned());
    let (_, scope) = staff_scope(&state, &session, &community).await?;
    let summary = dues::export_month(&state.db, &scope, month).await?;
    let name = format!("党费收缴月报-{}.xlsx", dues::month_label(summary.month));
    Download::xlsx_written(name, move || dues::month_xlsx(&summary)).await
}
