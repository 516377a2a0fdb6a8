//! A community's own home for its secretary and workers: where each part of the work lives, the
//! roster's size, and the organisation tree. A 支部书记 sees their branch's part of it.
use domain::org::placements::Placement;
use leptos::prelude::*;
use uuid::Uuid;

use super::tree::UnitTree;
use crate::i18n::{t, use_lang};
use crate::routes;
use crate::shell::GroupedLinks;

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
    let member_links = |extra: bool| {
        let mut links = vec![(routes::members(node), "members.roster")];
        if extra {
            links.push((routes::reporting(node), "reporting.title"));
        }
        links.push((routes::points(node), "points.title"));
        links.push((routes::compliance(node), "compliance.title"));
        links.push((routes::dues(node), "dues.title"));
        links.push((routes::reviews(node), "reviews.title"));
        links
    };
    let groups = if branch.is_some() {
        vec![
            ("nav.group.members", member_links(false)),
            (
                "nav.group.activities",
                vec![(routes::activities(node), "activities.title")],
            ),
        ]
    } else {
        vec![
            ("nav.group.members", member_links(true)),
            (
                "nav.group.coop",
                vec![
                    (routes::units(node), "coop.partners"),
                    (routes::needs(node), "needs.title"),
                    (routes::projects(node), "projects.title"),
                    (routes::meetings(node), "meetings.community_title"),
                    (routes::resolutions(node), "resolutions.community_title"),
                ],
            ),
            (
                "nav.group.activities",
                vec![
                    (routes::activities(node), "activities.title"),
                    (routes::volunteers(node), "volunteers.title"),
                ],
            ),
            (
                "nav.group.overall",
                vec![(routes::dashboard(node), "dashboard.title")],
            ),
        ]
    };
    view! {
        {branch_name.map(|name| view! {
            <p class="notice">{crate::i18n::t_with(lang, "node.your_branch", &[("branch", name)])}</p>
        })}
        <GroupedLinks groups />
        <dl class="figures">
            <div>
                <dt>{t(lang, "node.members")}</dt>
                <dd>{members}</dd>
            </div>
        </dl>
        <UnitTree units community=node can_edit />
    }
}
