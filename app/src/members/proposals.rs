//! Members' proposed changes to their own details: the staff's list to approve or return
//! (`/org/:id/members/proposals`), and the form on a member's own page.
use domain::members::{self, Proposal};
use domain::tenancy::Commit;
use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use uuid::Uuid;

use super::fns::{DecideProposal, ProposeChange};
use super::PROPOSAL_FORM;
use crate::activities::when;
use crate::i18n::{t, use_lang};
use crate::page::{on_node, NodeCtx, Outcome, Staff};
use crate::routes;
use crate::shell::{list_table, PageHead};

/// The changes of a proposal, one per line: field, now → proposed.
fn change_lines(p: &Proposal) -> impl IntoView {
    let lang = use_lang();
    p.changes
        .iter()
        .map(|(field, now, proposed)| {
            let from = (!now.is_empty()).then(|| format!("{now} → "));
            view! {
                <li>{t(lang, &format!("field.{field}"))} "：" {from} {proposed.clone()}</li>
            }
        })
        .collect_view()
}

#[component]
pub fn ProposalsPage() -> impl IntoView {
    let saved = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("saved")
        .is_some();
    on_node(move |ctx: NodeCtx<Staff>| async move {
        let lang = ctx.lang;
        let tx = ctx.read().await?;
        let open = members::open_proposals(&tx).await?;
        tx.commit().await?;
        let error = crate::state::take_flash(PROPOSAL_FORM)
            .await
            .map(|f| f.error.message(lang));
        let node = ctx.node.id;
        let base = routes::members(node).to_string();
        let heads = vec![
            "field.full_name",
            "proposals.changes",
            "proposals.proposed_at",
            "",
        ];
        let table = list_table(heads, "proposals.none", open, move |p| {
            view! {
                <tr>
                    <td><a href=routes::member(node, p.member_id).to_string()>{p.member_name.clone()}</a></td>
                    <td>
                        <ul class="plain">{change_lines(&p)}</ul>
                        {p.note.clone().map(|n| view! { <p class="note">{n}</p> })}
                    </td>
                    <td>{when(p.proposed_at)}</td>
                    <td class="no-print"><Decide node proposal=p.id /></td>
                </tr>
            }
        });
        Ok(view! {
            <Outcome saved error />
            <PageHead back=base kind=t(lang, "members.roster") title=t(lang, "proposals.title") />
            <p class="note">{t(lang, "proposals.intro")}</p>
            {table}
        }
        .into_any())
    })
}

/// Approve, or return with a reason.
#[component]
fn Decide(node: Uuid, proposal: Uuid) -> impl IntoView {
    let lang = use_lang();
    let hidden = move || {
        view! {
            <input type="hidden" name="community" value=node.to_string() />
            <input type="hidden" name="proposal" value=proposal.to_string() />
        }
    };
    view! {
        <form method="post" action=DecideProposal::url() class="inline">
            {hidden()}
            <input type="hidden" name="decision" value="approve" />
            <button type="submit">{t(lang, "proposals.approve")}</button>
        </form>
        <form method="post" action=DecideProposal::url() class="inline-form">
            {hidden()}
            <input type="hidden" name="decision" value="return" />
            <label>
                {t(lang, "proposals.reason")}
                <input name="reason" maxlength="200" required />
            </label>
            <button type="submit" class="secondary">{t(lang, "proposals.return")}</button>
        </form>
    }
}

/// On a member's own page: their details as the roster has them, the form to propose changes,
/// and where their last proposals stand.
#[component]
pub fn OwnDetailsForm(
    community: Uuid,
    phone: String,
    building: String,
    unit_no: String,
    room: String,
    current_city: String,
    proposals: Vec<Proposal>,
) -> impl IntoView {
    let lang = use_lang();
    let open = proposals
        .iter()
        .any(|p| p.status == domain::kinds::ProposalStatus::Open);
    let history = proposals
        .into_iter()
        .map(|p| {
            let status = t(lang, &format!("proposals.status.{}", p.status.as_str()));
            let reason = p.reason.clone().map(|r| view! { " · " {r} });
            view! {
                <li>
                    <time datetime=p.proposed_at.to_rfc3339()>{when(p.proposed_at)}</time>
                    " " <strong>{status}</strong> {reason}
                    <ul class="plain">{change_lines(&p)}</ul>
                </li>
            }
        })
        .collect_view();
    let field = move |name: &'static str, value: String, max: &'static str| {
        view! {
            <label>
                {t(lang, &format!("field.{name}"))}
                <input name=name maxlength=max value=value />
            </label>
        }
    };
    let form = (!open).then(|| {
        view! {
            <form method="post" action=ProposeChange::url() class="member-form">
                <input type="hidden" name="community" value=community.to_string() />
                {field("phone", phone, "11")}
                {field("building", building, "32")}
                {field("unit_no", unit_no, "16")}
                {field("room", room, "16")}
                {field("current_city", current_city, "64")}
                {field("note", String::new(), "200")}
                <div class="buttons">
                    <button type="submit">{t(lang, "proposals.submit")}</button>
                </div>
            </form>
        }
    });
    view! {
        <section id="proposal" class="card">
            <h2>{t(lang, "proposals.mine")}</h2>
            <p class="note">{t(lang, if open { "proposals.waiting" } else { "proposals.mine_intro" })}</p>
            {form}
            <ol class="history">{history}</ol>
        </section>
    }
}
