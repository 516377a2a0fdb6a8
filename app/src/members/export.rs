//! `GET /org/:id/roster.xlsx`: the filtered roster as a spreadsheet download (audited).
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use domain::members;
use domain::org::placements;
use domain::tenancy::Commit;
use tower_sessions::Session;

use super::roster_query;
use crate::download::{staff_scope, Download};
use crate::error::AppError;
use crate::state::AppState;

pub async fn export_xlsx(
    State(state): State<AppState>,
    session: Session,
    Path(community): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Download, AppError> {
    let query = roster_query(|key| params.get(key).cloned().unwrap_or_default(), u64::MAX);
    let (_, scope) = staff_scope(&state, &session, &community).await?;
    let rows = members::export(&state.db, &scope, &query).await?;
    let tx = scope.read(&state.db).await?;
    let labels = placements::labels(&placements::list_placements(&tx).await?);
    tx.commit().await?;
    let today = domain::clock::now().format("%Y%m%d");
    Download::xlsx_written(format!("党员名册-{today}.xlsx"), move || {
        members::roster_xlsx(&rows, &labels)
    })
    .await
}
