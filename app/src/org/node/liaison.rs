//! What a resident unit's liaison sees: their unit on the street's page, and on a paired
//! community's page the place to run activities.
use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{t, use_lang};
use crate::routes;
use crate::shell::LinkButtons;

/// The street's page for a liaison: their unit (none until the street links the account).
#[component]
pub(super) fn LiaisonHome(node: Uuid, unit: Option<domain::coop::PartnerSummary>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card">
            <h2>{t(lang, "coop.my_unit")}</h2>
            {match unit {
                Some(unit) => view! {
                    <p>
                        <a href=routes::unit(node, unit.id).to_string()>{unit.name}</a>
                    </p>
                    <LinkButtons links=vec![
                        (routes::needs(node), "needs.wishes"),
                        (routes::projects(node), "projects.title"),
                        (routes::meetings(node), "meetings.title"),
                        (routes::resolutions(node), "resolutions.tasks"),
                    ] />
                }
                .into_any(),
                None => view! { <p>{t(lang, "coop.no_unit")}</p> }.into_any(),
            }}
        </section>
    }
}

/// A community's page for the liaison of a unit paired with it.
#[component]
pub(super) fn PairedCommunity(node: Uuid, unit_name: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card">
            <h2>{t(lang, "activities.paired_title")}</h2>
            <p>{unit_name}</p>
            <p class="actions">
                <a class="button" href=routes::activities(node).to_string()>{t(lang, "activities.organise_here")}</a>
            </p>
        </section>
    }
}
