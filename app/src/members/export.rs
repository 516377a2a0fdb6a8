//! `GET /org/:id/roster.xlsx`: the filtered roster as a spreadsheet download (audited).
use domain::tenancy::Commit;
use std::collections::HashMap;

use axum::response::{IntoResponse, Response};
use domain::members;
use domain::org::placements;
use http::header;
use tower_sessions::Session;

use super::{handler_error, handler_scope, roster_query};
use crate::error::AppError;
use crate::state::AppState;

pub async fn export_xlsx(
    state: AppState,
    session: Session,
    community: String,
    params: HashMap<String, String>,
) -> Response {
    let query = roster_query(|key| params.get(key).cloned().unwrap_or_default(), u64::MAX);
    match build(&state, &session, &community, &query).await {
        Ok((name, bytes)) => xlsx_response(&name, bytes),
        Err(err) => handler_error(err),
    }
}

async fn build(
    state: &AppState,
    session: &Session,
    community: &str,
    query: &members::ListQuery,
) -> Result<(String, Vec<u8>), AppError> {
    let (_, scope) = handler_scope(state, session, community).await?;
    let rows = members::export(&state.db, &scope, query).await?;
    let tx = scope.read(&state.db).await?;
    let labels = placements::labels(&placements::list_placements(&tx).await?);
    tx.commit().await?;
    let bytes = members::roster_xlsx(&rows, &labels)?;
    let today = domain::clock::now().format("%Y%m%d");
    Ok((format!("党员名册-{today}.xlsx"), bytes))
}

/// An .xlsx download response.
pub(crate) fn xlsx_response(file_name: &str, bytes: Vec<u8>) -> Response {
    let encoded: String = form_urlencoded::byte_serialize(file_name.as_bytes()).collect();
    let disposition = format!("attachment; filename=\"roster.xlsx\"; filename*=UTF-8''{encoded}");
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}
