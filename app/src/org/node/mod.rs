//! `/org/:id`: one page, one file per view. `overview` shows figures from above, `community`
//! a community's own home for its staff, `liaison` a unit liaison's pages, `member` a member's
//! home, and `tree` the community's grid branches and building groups.
mod community;
mod liaison;
mod member;
mod overview;
mod tree;
mod workbench;

use domain::auth::NodeAccess;
use domain::org::NodeKind;
use domain::overview::{node_view, NodePage as Page, NodeView};
use leptos::prelude::*;

use crate::i18n::{t, use_lang};
use crate::page::{on_node, NodeCtx};
use crate::routes;
use crate::shell::LinkButtons;

/// `/org/:id`: detail for the viewer's own tenant, aggregates for nodes below, 无权访问 otherwise.
#[component]
pub fn NodePage() -> impl IntoView {
    let saved = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("saved")
        .is_some();
    on_node(move |ctx: NodeCtx<NodeAccess>| async move {
        let NodeCtx {
            state,
            principal,
            node,
            crumbs,
            access,
            lang,
        } = ctx;
        let (own_tenant, view) = node_view(&state.db, &principal, access, &node).await?;
        let page = Page {
            node,
            crumbs,
            own_tenant,
            view,
        };
        let waiting = workbench::waiting_for(&state.db, &principal, &page).await;
        let accounts = !principal.grants_from(page.node.id).is_empty();
        let (id, kind) = (page.node.id, page.node.kind);
        let sends = principal
            .assignments
            .iter()
            .any(|a| a.node.id == id && !domain::notices::audiences(kind, a.role).is_empty());
        let mut unit_error = crate::state::take_flash(crate::org::fns::PLACEMENT_FORM)
            .await
            .map(|f| f.error.message(lang));
        if unit_error.is_none() {
            unit_error = crate::state::take_flash(crate::reporting::REPORTING_FORM)
                .await
                .map(|f| f.error.message(lang));
        }
        Ok(view! {
            {saved.then(|| view! { <p class="notice" role="status">{t(lang, "members.saved")}</p> })}
            {unit_error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <NodeBody page accounts sends waiting />
        }
        .into_any())
    })
}

#[component]
fn NodeBody(
    page: Page,
    accounts: bool,
    sends: bool,
    waiting: Option<Vec<domain::workbench::Waiting>>,
) -> impl IntoView {
    let lang = use_lang();
    let node = page.node;
    let id = node.id;
    let body = match page.view {
        NodeView::Overview {
            totals,
            breakdown,
            children,
            org_life,
            org_life_children,
        } => {
            let street_staff = page.own_tenant && node.kind == NodeKind::Street;
            view! {
                <overview::Overview node=id kind=node.kind street_staff totals breakdown children org_life org_life_children />
            }
            .into_any()
        }
        NodeView::CommunityFigures {
            totals,
            breakdown,
            org_life,
        } => view! { <overview::CommunityFigures node=id totals breakdown org_life /> }.into_any(),
        NodeView::Community {
            members,
            units,
            can_edit,
            branch,
        } => {
            view! { <community::CommunityHome node=id members units can_edit branch /> }.into_any()
        }
        NodeView::PairedCommunity { unit_name } => {
            view! { <liaison::PairedCommunity node=id unit_name /> }.into_any()
        }
        NodeView::LiaisonHome { unit } => {
            view! { <liaison::LiaisonHome node=id unit /> }.into_any()
        }
        NodeView::MemberHome {
            me,
            history,
            report,
            posts,
            proposals,
        } => view! { <member::MemberHome node=id me history report posts proposals /> }.into_any(),
    };
    view! {
        <header class="page-head">
            <p class="kind">{t(lang, &format!("kind.{}", node.kind.as_str()))}</p>
            <h1>{node.name}</h1>
            <p class="code">{t(lang, "node.code")} " " <span>{node.code}</span></p>
        </header>
        {(accounts || sends).then(|| {
            let mut links = Vec::new();
            if sends {
                links.push((routes::notices(id), "notices.title"));
            }
            if accounts {
                links.push((routes::accounts(id), "accounts.title"));
            }
            view! { <LinkButtons links /> }
        })}
        {waiting.map(|items| view! { <workbench::Workbench node=id items /> })}
        {body}
    }
}
