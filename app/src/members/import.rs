//! Roster import: the upload page, the upload itself (multipart, run in the background), and a
//! progress page that refreshes itself until the per-row report is ready.
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::members;
use domain::tenancy::Commit;
use leptos::prelude::*;
use tower_sessions::Session;

use crate::download::{refuse_to_form, staff_scope, Download};
use crate::error::AppError;
use crate::i18n::{t, t_with};
use crate::page::{on_node, path_param, NodeCtx, Staff};
use crate::routes;
use crate::shell::{DataTable, PageHead};
use crate::state::AppState;

/// Upload size limit for roster files (larger bodies get 413).
pub const IMPORT_LIMIT_BYTES: usize = 10 * 1024 * 1024;
const IMPORT_FORM: &str = "import";

/// `GET /org/:id/roster-template.xlsx`
pub async fn template_xlsx(
    State(state): State<AppState>,
    session: Session,
    Path(community): Path<String>,
) -> Result<Download, AppError> {
    staff_scope(&state, &session, &community).await?;
    Download::xlsx_written("党员名册导入模板.xlsx", members::template_xlsx).await
}

/// `POST /org/:id/roster/import`: one import at a time per community; the file is parsed off
/// the runtime (refused with its reason on this form), then imported in the background.
pub async fn import_upload(
    State(state): State<AppState>,
    session: Session,
    Path(community): Path<String>,
    multipart: Multipart,
) -> Response {
    let (user, scope) = match staff_scope(&state, &session, &community).await {
        Ok(found) => found,
        Err(err) => return err.into_response(),
    };
    let back = routes::import(scope.tenant_id()).to_string();
    let Some(job) = state.imports.start(scope.tenant_id(), user) else {
        let running = AppError::Invalid {
            field: "file".into(),
            reason: "import_running".into(),
        };
        return refuse(&session, &back, running).await;
    };
    let parsed = match read_upload(multipart).await {
        Ok(bytes) => state.imports.parse(bytes).await,
        Err(err) => Err(err),
    };
    let sheet = match parsed {
        Ok(sheet) => sheet,
        Err(err) => {
            state.imports.abandon(job);
            return refuse(&session, &back, err).await;
        }
    };
    state.imports.set_total(job, sheet.rows.len());
    let jobs = state.imports.clone();
    let db = state.db.clone();
    tokio::spawn(async move {
        let today = domain::clock::today();
        let outcome = async {
            let tx = scope.write(&db).await?;
            let told = jobs.clone();
            let progress = std::sync::Arc::new(move |done, _| told.progress(job, done));
            let report = members::import(&tx, std::sync::Arc::new(sheet), today, progress).await?;
            tx.commit().await?;
            Ok::<_, domain::DomainError>(report)
        }
        .await
        .map_err(AppError::from);
        jobs.finish(job, outcome);
    });
    Redirect::to(&format!("{back}/{job}")).into_response()
}

/// Back to the upload form with the reason.
async fn refuse(session: &Session, back: &str, error: AppError) -> Response {
    refuse_to_form(session, IMPORT_FORM, Default::default(), error, back).await
}

async fn read_upload(mut multipart: Multipart) -> Result<Vec<u8>, AppError> {
    let invalid = || AppError::Invalid {
        field: "file".into(),
        reason: "unreadable".into(),
    };
    while let Some(field) = multipart.next_field().await.map_err(|_| invalid())? {
        if field.name() == Some("file") {
            let bytes = field.bytes().await.map_err(|_| invalid())?;
            if bytes.is_empty() {
                return Err(AppError::Invalid {
                    field: "file".into(),
                    reason: "required".into(),
                });
            }
            return Ok(bytes.to_vec());
        }
    }
    Err(AppError::Invalid {
        field: "file".into(),
        reason: "required".into(),
    })
}

/// `/org/:id/members/import`
#[component]
pub fn ImportPage() -> impl IntoView {
    on_node(|ctx: NodeCtx<Staff>| async move {
        let lang = ctx.lang;
        let error = crate::state::take_flash(IMPORT_FORM).await.map(|f| f.error);
        let id = ctx.node.id;
        Ok(view! {
                <PageHead back=routes::members(id).to_string() kind=t(lang, "members.roster") title=t(lang, "import.title") />
                {error.map(|e| view! { <p class="error" role="alert">{e.message(lang)}</p> })}
                <section class="card">
                    <p>{t(lang, "import.explain")}</p>
                    <p>
                        <a href=routes::file(id, "roster-template.xlsx").to_string() download>{t(lang, "import.template")}</a>
                    </p>
                    <form method="post" action=routes::file(id, "roster/import").to_string() enctype="multipart/form-data" class="member-form">
                        <label for="file">{t(lang, "import.file")}</label>
                        <input id="file" name="file" type="file" accept=".xlsx,.csv" required />
                        <div class="buttons">
                            <button type="submit">{t(lang, "import.start")}</button>
                        </div>
                    </form>
                </section>
        }
        .into_any())
    })
}

/// `/org/:id/members/import/:job`: progress, then the report.
#[component]
pub fn ImportJobPage() -> impl IntoView {
    let job_id = path_param("job");
    on_node(move |ctx: NodeCtx<Staff>| async move {
        let NodeCtx {
            state,
            principal,
            node,
            access: Staff(scope),
            lang,
            ..
        } = ctx;
        let id = domain::validate::parse_id(&job_id)?;
        let job = state
            .imports
            .get(id, scope.tenant_id(), principal.user_id)
            .ok_or(AppError::NotFound)?;
        let roster = routes::members(node.id).to_string();
        if job.outcome.is_none() {
            // The page reloads itself every second until the report is ready (no JavaScript).
            if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
                options.insert_header(
                    http::HeaderName::from_static("refresh"),
                    http::HeaderValue::from_static("1"),
                );
            }
        }
        let body = match job.outcome {
            None => view! {
                <p role="status">{t_with(lang, "import.running", &[("done", job.done.to_string()), ("total", job.total.to_string())])}</p>
                <progress max=job.total.max(1).to_string() value=job.done.to_string()></progress>
            }
            .into_any(),
            Some(Err(err)) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
            Some(Ok(report)) => {
                let rejected = report.rejected.clone();
                view! {
                    <p class="notice" role="status">
                        {t_with(lang, "import.done", &[("imported", report.imported.to_string()), ("rejected", report.rejected.len().to_string())])}
                    </p>
                    {(!rejected.is_empty()).then(|| view! {
                        <h2>{t(lang, "import.rejected")}</h2>
                        <DataTable heads=vec!["#import.line", "node.name", "import.reason"]>
                                    {rejected.into_iter().map(|r| {
                                        let reason = AppError::Invalid { field: r.field, reason: r.reason }.message(lang);
                                        view! {
                                            <tr>
                                                <td class="num">{r.line}</td>
                                                <td>{r.name}</td>
                                                <td>{reason}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                        </DataTable>
                    })}
                }
                .into_any()
            }
        };
        Ok(view! {
                <PageHead back=roster.clone() kind=t(lang, "members.roster") title=t(lang, "import.title") />
                {body}
                <p>
                    <a href=roster>{t(lang, "import.back")}</a>
                </p>
        }
        .into_any())
    })
}
