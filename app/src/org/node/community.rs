//! A community's own home for its secretary and workers: where each part of the work lives, the
//! roster's size, and the organisation tree. A 支部书记 sees their branch's part of it.
use domain::org::placements::Placement;
use leptos::prelude::*;
use uuid::Uuid;

use super::tree::UnitTree;
use crate::i18n::{t, use_lang};
use crate::routes;
use crate::shell::LinkButtons;

#[component]
pub(super) fn CommunityHome(
    node: Uuid,
    members: u64,
    units: Vec<Placement>,
    can_edit: bool,
    branch: Option<Uuid>,
) -> impl IntoView {
    let lang = use_lang();
    let branch_name = branch.and_then(|b| units.iter().find(|u| u.id == b).map(|u| u.name.clone()));
    let links = if branch.is_some() {
        vec![
            (routes::members(node), "members.roster"),
            (routes::activities(node), "activities.title"),
            (routes::points(node), "points.title"),
            (routes::compliance(node), "compliance.title"),
        ]
    } else {
        vec![
            (routes::members(node), "members.roster"),
            (routes::units(node), "coop.partners"),
            (routes::needs(node), "needs.title"),
            (routes::projects(node), "projects.title"),
            (routes::activities(node), "activities.title"),
            (routes::points(node), "points.title"),
            (routes::compliance(node), "compliance.title"),
            (routes::volunteers(node), "volunteers.title"),
            (routes::dashboard(node), "dashboard.title"),
            (routes::meetings(node), "meetings.community_title"),
            (routes::resolutions(node), "resolutions.community_title"),
        ]
    };
    view! {
        {branch_name.map(|name| view! {
            <p class="notice">{crate::i18n::t_with(lang, "node.your_branch", &[("branch", name)])}</p>
        })}
        <LinkButtons links />
        <dl class="figures">
            <div>
                <dt>{t(lang, "node.members")}</dt>
                <dd>{members}</dd>
            </div>
        </dl>
        <UnitTree units community=node can_edit />
    }
}
