//! `/org/:id/activities/:aid/code`: the check-in screen at the venue — the six-digit code in
//! large type and a QR code that opens the activity with the code filled in. It follows the
//! code as it changes.
use domain::activities;
use domain::tenancy::Commit;
use leptos::prelude::*;
use qrcode::render::svg;
use qrcode::QrCode;

use crate::i18n::{t, t_with};
use crate::islands::ReloadAfter;
use crate::page::{on_node, path_param, Activities, NodeCtx};
use crate::routes;
use crate::shell::PageHead;

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
    let activity_id = path_param("aid");
    on_node(move |ctx: NodeCtx<Activities>| async move {
        let lang = ctx.lang;
        let now = chrono::Utc::now();
        let id = domain::validate::parse_id(&activity_id)?;
        let tx = ctx.read().await?;
        let activity = activities::activity(&tx, id, now).await?;
        let code = activities::current_code(&tx, id, now).await?;
        tx.commit().await?;
        let node = ctx.node.id;
        let link = format!(
            "{}/org/{node}/activities/{}?code={}",
            crate::state::public_origin(),
            activity.id,
            code.code
        );
        let seconds = (code.valid_until - now).num_seconds().clamp(1, 30) as u32;
        let qr = qr_svg(&link).unwrap_or_default();
        Ok(view! {
            <PageHead back=routes::activity(node, activity.id).to_string() kind=activity.title.clone() title=t(lang, "checkin.title") />
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
        }
        .into_any())
    })
}
