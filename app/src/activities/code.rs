//! `/org/:id/activities/:aid/code`: the check-in screen at the venue — the six-digit code in
//! large type and a QR code that opens the activity with the code filled in. It follows the
//! code as it changes.
use domain::activities;
use domain::org::page::node_page;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use qrcode::render::svg;
use qrcode::QrCode;

use super::activity_scope;
use crate::error::fail;
use crate::i18n::{t, t_with, use_lang};
use crate::islands::ReloadAfter;
use crate::shell::{error_page, require_principal, HeaderUser, Layout};

/// An SVG of `text` as a QR code (our own URL: no user text goes into the markup).
fn qr_svg(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(240, 240)
            .quiet_zone(true)
            .build(),
    )
}

#[component]
pub fn CheckInCodePage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map().read_untracked().clone();
    let node = params.get("id").unwrap_or_default();
    let activity_id = params.get("aid").unwrap_or_default();
    Suspend::new(async move {
        let p = match require_principal().await {
            Ok(p) => p,
            Err(view) => return view,
        };
        let user = HeaderUser::of(&p);
        let now = chrono::Utc::now();
        let loaded = async {
            let (state, scope, node_id) = activity_scope(&node).await?;
            let page = node_page(&state.db, &p, node_id).await.map_err(fail)?;
            let id = domain::validate::parse_id(&activity_id).map_err(fail)?;
            // A read: only an activity from before check-in existed gets its key written here.
            let tx = scope.read(&state.db).await.map_err(fail)?;
            let activity = activities::activity(&tx, id, now).await.map_err(fail)?;
            let code = activities::current_code(&tx, id, now).await.map_err(fail)?;
            tx.commit().await.map_err(fail)?;
            Ok((page, activity, code))
        };
        let (page, activity, code) = match loaded.await {
            Ok(loaded) => loaded,
            Err(err) => return error_page(Some(user), err),
        };
        let node = page.node.id;
        let link = format!(
            "{}/org/{node}/activities/{}?code={}",
            crate::state::public_origin(),
            activity.id,
            code.code
        );
        let seconds = (code.valid_until - now).num_seconds().clamp(1, 30) as u32;
        let qr = qr_svg(&link).unwrap_or_default();
        view! {
            <Layout user=Some(user) crumbs=page.crumbs.clone()>
                <header class="page-head">
                    <p class="kind">
                        <a href=format!("/org/{node}/activities/{}", activity.id)>{activity.title.clone()}</a>
                    </p>
                    <h1>{t(lang, "checkin.title")}</h1>
                </header>
                <section class="checkin-screen">
                    <p class="checkin-code" aria-label=t(lang, "checkin.code")>{code.code.clone()}</p>
                    <div class="checkin-qr" inner_html=qr></div>
                    <p class="hint">
                        {t_with(lang, "checkin.changes_in", &[("n", seconds.to_string())])}
                        " "
                        <a href="">{t(lang, "checkin.refresh")}</a>
                    </p>
                </section>
                <ReloadAfter seconds />
            </Layout>
        }
        .into_any()
    })
}
