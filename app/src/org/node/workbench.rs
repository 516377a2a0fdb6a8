//! 工作台: the work waiting for the person at the top of their home page, each kind a count
//! that links to the list holding it (a street's counts also per community, never people).
//! Kinds with nothing waiting are left out.
use domain::auth::Principal;
use domain::org::NodeKind;
use domain::overview::{NodePage as Page, NodeView};
use domain::workbench::{self, Waiting, Work};
use domain::{Db, DomainError};
use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{t, use_lang};
use crate::routes::{self, Href};

/// The workbench of the page's viewer at this node, if their home has one.
pub(super) async fn waiting_for(
    db: &Db,
    principal: &Principal,
    page: &Page,
) -> Option<Vec<Waiting>> {
    let (id, now) = (page.node.id, chrono::Utc::now());
    let found = match &page.view {
        NodeView::Overview { .. } if page.own_tenant && page.node.kind == NodeKind::Street => {
            workbench::street_staff(db, principal, id, now).await
        }
        NodeView::Community { .. } => workbench::community_staff(db, principal, id, now).await,
        NodeView::MemberHome { .. } => workbench::member(db, principal, id, now).await,
        NodeView::LiaisonHome { .. } => workbench::liaison(db, principal, id, now).await,
        _ => return None,
    };
    match found {
        Ok(items) => Some(items),
        // A liaison whose account the street has not yet linked to a unit: nothing of theirs.
        Err(DomainError::Forbidden) => None,
        // The home page still opens without it (it is the most visited page).
        Err(err) => {
            tracing::warn!(error = %err, node = %id, "reading the workbench");
            None
        }
    }
}

/// Where each kind of work is listed, from the node's page.
fn place(node: Uuid, work: Work) -> Href {
    match work {
        Work::ReportsToConfirm => routes::reporting(node),
        Work::ProposalsToReview => routes::proposals(node),
        Work::LostContact => routes::members(node).query("status", "lost_contact"),
        Work::NeedsUnclaimed | Work::WishesToDeliver | Work::NeedsEscalated => routes::needs(node),
        Work::ActivitiesToday | Work::MyActivities | Work::MyWaitlist | Work::LeaveToDecide => {
            routes::activities(node)
        }
        Work::MinutesOwed => routes::meetings(node),
        Work::ResolutionsDueSoon | Work::UnitResolutions => routes::resolutions(node),
        Work::ResolutionsOverdue => routes::resolutions(node).at("overdue"),
        Work::Unread | Work::NoticesToConfirm => routes::messages(node),
        Work::NoticesUnread => routes::notices(node),
        Work::UnitProjects => routes::projects(node),
    }
}

#[component]
pub(super) fn Workbench(node: Uuid, items: Vec<Waiting>) -> impl IntoView {
    let lang = use_lang();
    let items: Vec<Waiting> = items.into_iter().filter(|w| w.count > 0).collect();
    let list = (!items.is_empty()).then(|| {
        let rows = items
            .into_iter()
            .map(|w| {
                let label = t(lang, &format!("workbench.{}", w.work.as_str()));
                let by_community = (!w.by_community.is_empty()).then(|| {
                    let parts = w
                        .by_community
                        .into_iter()
                        .map(|(name, n)| view! { <li>{name} " " {n}</li> })
                        .collect_view();
                    view! { <ul class="by-community">{parts}</ul> }
                });
                view! {
                    <li>
                        <a href=place(node, w.work).to_string()>
                            <strong class="count">{w.count}</strong> " " {label}
                        </a>
                        {by_community}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="waiting">{rows}</ul> }
    });
    let none = list
        .is_none()
        .then(|| view! { <p class="note">{t(lang, "workbench.none")}</p> });
    view! {
        <section class="card workbench" aria-labelledby="workbench-title">
            <h2 id="workbench-title">{t(lang, "workbench.title")}</h2>
            {list}
            {none}
        </section>
    }
}
