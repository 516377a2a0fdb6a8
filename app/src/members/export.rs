//! `GET /org/:id/roster.xlsx`: the filtered roster as a spreadsheet download (audited).
use std::collections::HashMap;

use axum::response::{IntoResponse, Redirect, Response};
use domain::auth::Principal;
use domain::members;
use domain::org::units;
use http::{header, StatusCode};
use tower_sessions::Session;

use super::roster_query;
use crate::error::AppError;
use crate::state::{AppState, USER_KEY};

pub async fn export_xlsx(
    state: AppState,
    session: Session,
    community: String,
    params: HashMap<String, String>,
) -> Response {
    let Ok(Some(user_id)) = session.get::<uuid::Uuid>(USER_KEY).await else {
        return Redirect::to("/login").into_response();
    };
    let query = roster_query(|key| params.get(key).cloned().unwrap_or_default(), u64::MAX);
    match build(&state, user_id, &community, &query).await {
        Ok((name, bytes)) => {
            let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
            let disposition =
                format!("attachment; filename=\"roster.xlsx\"; filename*=UTF-8''{encoded}");
            (
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            .to_owned(),
                    ),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                bytes,
            )
                .into_response()
        }
        Err(err) => {
            let status =
                StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, err.message(crate::i18n::Lang::Zh)).into_response()
        }
    }
}

async fn build(
    state: &AppState,
    user_id: uuid::Uuid,
    community: &str,
    query: &members::ListQuery,
) -> Result<(String, Vec<u8>), AppError> {
    let principal = Principal::load(&state.db, user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let id = domain::validate::parse_id(community)?;
    let scope = principal.manage_scope(&state.db, id).await?;
    let tx = scope.write(&state.db).await?;
    let rows = members::export(&tx, query).await?;
    let labels = units::labels(&units::list_units(&tx).await?);
    tx.commit().await?;
    let bytes = members::roster_xlsx(&rows, &labels)?;
    let today = chrono::Local::now().format("%Y%m%d");
    Ok((format!("党员名册-{today}.xlsx"), bytes))
}
