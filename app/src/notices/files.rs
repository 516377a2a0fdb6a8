//! A notice's attachments: listed on its pages (name, kind, size; the name is text), and
//! served to those the domain lets fetch them — the sender's staff through the notice
//! (`/org/:id/notices/:nid/files/:fid`), a recipient through their message about it
//! (`/org/:id/messages/:mid/files/:fid`). Images open in the browser, other files download.
use axum::extract::{Path, State};
use axum::response::Response;
use domain::notices::{self, Attachment};
use leptos::prelude::*;
use tower_sessions::Session;

use crate::download::session_principal;
use crate::error::AppError;
use crate::i18n::{t, use_lang};
use crate::routes::Href;
use crate::state::AppState;

/// `GET /org/:id/notices/:nid/files/:fid`
pub async fn sent_file(
    State(state): State<AppState>,
    session: Session,
    Path((node, notice, file)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let principal = session_principal(&state, &session).await?;
    let scope = principal.tenant_scope(&state.db, parse(&node)?).await?;
    let found = notices::sent_file(&state.db, &scope, parse(&notice)?, parse(&file)?).await?;
    serve(&state, found).await
}

/// `GET /org/:id/messages/:mid/files/:fid`
pub async fn received_file(
    State(state): State<AppState>,
    session: Session,
    Path((node, message, file)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let principal = session_principal(&state, &session).await?;
    let scope = principal.tenant_scope(&state.db, parse(&node)?).await?;
    let found = notices::received_file(&state.db, &scope, parse(&message)?, parse(&file)?).await?;
    serve(&state, found).await
}

fn parse(id: &str) -> Result<uuid::Uuid, AppError> {
    Ok(domain::validate::parse_id(id)?)
}

/// The attachment's content (`download::stored_file`).
async fn serve(state: &AppState, file: Attachment) -> Result<Response, AppError> {
    let stored = crate::download::Stored {
        tenant: file.tenant,
        sha256: &file.sha256,
        kind: file.kind,
        size: file.size,
        name: &file.name,
    };
    crate::download::stored_file(state, stored).await
}

/// The attachments, each a link from `href(file id)` with its kind and size.
#[component]
pub(crate) fn Attachments(
    files: Vec<Attachment>,
    href: impl Fn(uuid::Uuid) -> Href,
) -> impl IntoView {
    let lang = use_lang();
    (!files.is_empty()).then(|| {
        let items = files
            .into_iter()
            .map(|f| {
                let about = format!("{} · {}", f.kind.label(), size(f.size));
                view! {
                    <li>
                        <a href=href(f.id).to_string()>{f.name.clone()}</a>
                        " " <span class="note">{about}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="card attachments" aria-labelledby="attachments-heading">
                <h2 id="attachments-heading">{t(lang, "notices.files")}</h2>
                <ul>{items}</ul>
            </section>
        }
    })
}

/// A size as people read it: 820 KB, 3.4 MB.
fn size(bytes: u64) -> String {
    const KB: u64 = 1024;
    if bytes < KB * KB {
        format!("{} KB", bytes.div_ceil(KB).max(1))
    } else {
        format!("{:.1} MB", bytes as f64 / (KB * KB) as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::size;

    #[test]
    fn sizes_read_as_kb_or_mb() {
        assert_eq!(size(1), "1 KB");
        assert_eq!(size(840 * 1024), "840 KB");
        assert_eq!(size(3_565_158), "3.4 MB");
    }
}
