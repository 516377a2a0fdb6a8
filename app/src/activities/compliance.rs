//! `/org/:id/compliance`: 三会一课 — each grid branch's meetings held against those due this
//! year, branches behind first, and the community's cadences.
use domain::activities::{self, BranchCompliance};
use domain::tenancy::Commit;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::ACTIVITY_FORM;
use crate::i18n::{t, use_lang};
use crate::page::{on_node, Activities, NodeCtx, Outcome};
use crate::shell::PageHead;
use leptos::server_fn::ServerFn as _;

#[component]
pub fn CompliancePage() -> impl IntoView {
    let saved = use_query_map().read_untracked().get("saved").is_some();
    on_node(move |ctx: NodeCtx<Activities>| async move {
        let lang = ctx.lang;
        let tx = ctx.read().await?;
        let mut branches = activities::compliance(&tx, chrono::Utc::now()).await?;
        let cadences = activities::cadences(&tx).await?;
        let mut seats = activities::committees(&tx).await?;
        let keeps = matches!(
            tx.role(),
            domain::auth::Role::CommunitySecretary | domain::auth::Role::CommunityWorker
        );
        let mut committees = Vec::new();
        for b in &branches {
            let roster = match keeps {
                true => activities::branch_roster(&tx, b.branch_id).await?,
                false => Vec::new(),
            };
            let seated = seats.remove(&b.branch_id).unwrap_or_default();
            committees.push(BranchCommittee {
                branch: b.branch_id,
                name: b.name.clone(),
                seats: seated,
                roster,
            });
        }
        tx.commit().await?;
        branches.sort_by_key(|b| !b.behind());
        let flash = crate::state::take_flash(ACTIVITY_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let node = ctx.node.id;
        let settings = cadences
            .into_iter()
            .map(|(kind, months)| {
                let options = [1, 2, 3, 6, 12]
                    .into_iter()
                    .map(|m| {
                        view! {
                            <option value=m.to_string() selected=m == months>
                                {crate::i18n::t_with(lang, "compliance.every", &[("n", m.to_string())])}
                            </option>
                        }
                    })
                    .collect_view();
                let id = format!("cadence-{}", kind.as_str());
                view! {
                    <form method="post" action=crate::activities::fns::SetCadence::url() class="inline-form">
                        <input type="hidden" name="node" value=node.to_string() />
                        <input type="hidden" name="kind" value=kind.as_str() />
                        <label for=id.clone()>{kind.label()}</label>
                        <select id=id name="months">{options}</select>
                        <button type="submit" class="secondary">{t(lang, "members.save")}</button>
                    </form>
                }
            })
            .collect_view();
        Ok(view! {
            <Outcome saved error />
            <PageHead kind=ctx.node.name.clone() title=t(lang, "compliance.title") />
            <p class="hint">{t(lang, "compliance.hint")}</p>
            <Table branches />
            <Committees committees node keeps />
            <section id="cadences">
                <h2>{t(lang, "compliance.cadences")}</h2>
                {settings}
            </section>
        }
        .into_any())
    })
}

#[component]
fn Table(branches: Vec<BranchCompliance>) -> impl IntoView {
    let lang = use_lang();
    if branches.is_empty() {
        return view! { <p>{t(lang, "compliance.no_branches")}</p> }.into_any();
    }
    let heads = activities::COMPLIANCE_KINDS
        .iter()
        .map(|k| view! { <th scope="col">{k.label()}</th> })
        .collect_view();
    let rows = branches
        .into_iter()
        .map(|b| {
            let behind = b.behind();
            // A kind the branch is not expected to hold (支委会 without a committee, 党小组会
            // without groups): a note. 党小组会 lists each group's own standing.
            let groups = b.groups;
            let cells = activities::COMPLIANCE_KINDS
                .iter()
                .map(|kind| match b.kinds.iter().find(|k| k.kind == *kind) {
                    Some(k) => {
                        let each = (k.kind == activities::ActivityKind::GroupMeeting).then(|| {
                            let rows = groups
                                .iter()
                                .map(|g| view! { <li>{g.name.clone()} " " <Standing held=g.held due=g.due /></li> })
                                .collect_view();
                            view! { <ul class="plain group-standing">{rows}</ul> }
                        });
                        view! {
                            <td>
                                <Standing held=k.held due=k.due />
                                {k.current_held.then(|| view! { " " <small>{t(lang, "compliance.current_held")}</small> })}
                                {each}
                            </td>
                        }
                        .into_any()
                    }
                    None => {
                        let note = match kind {
                            activities::ActivityKind::GroupMeeting => "compliance.no_groups",
                            _ => "committee.none",
                        };
                        view! { <td><small>{t(lang, note)}</small></td> }.into_any()
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{b.name}</th>
                    {cells}
                    <td>
                        {if behind {
                            view! { <span class="badge declined">{t(lang, "compliance.behind")}</span> }.into_any()
                        } else {
                            view! { <span class="badge confirmed">{t(lang, "compliance.on_track")}</span> }.into_any()
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0">
            <table>
                <thead>
                    <tr>
                        <th scope="col">{t(lang, "compliance.branch")}</th>
                        {heads}
                        <th scope="col">{t(lang, "activities.status")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Periods held of those due, marked behind when short.
#[component]
fn Standing(held: u32, due: u32) -> impl IntoView {
    let class = if held < due {
        "badge declined"
    } else {
        "badge confirmed"
    };
    view! { <span class=class>{format!("{held}/{due}")}</span> }
}

/// A branch's committee as the page shows it: its seats and (for the staff) who may sit on it.
struct BranchCommittee {
    branch: uuid::Uuid,
    name: String,
    seats: Vec<activities::Seat>,
    roster: Vec<(uuid::Uuid, String)>,
}

/// Each branch's committee (支部委员会): its seats, and for the community's staff the forms to
/// seat a member of the branch or take one off.
#[component]
fn Committees(committees: Vec<BranchCommittee>, node: uuid::Uuid, keeps: bool) -> impl IntoView {
    let lang = use_lang();
    let today = domain::clock::today().to_string();
    let posts = || {
        domain::kinds::CommitteePost::ALL
            .iter()
            .map(|p| view! { <option value=p.as_str()>{t(lang, &format!("committee_post.{}", p.as_str()))}</option> })
            .collect_view()
    };
    let branches = committees
        .into_iter()
        .map(|BranchCommittee { branch, name, seats, roster }| {
            let small = roster.len() < activities::COMMITTEE_MIN_MEMBERS;
            // Those not yet on the committee (a post changes by taking them off first).
            let people = roster
                .into_iter()
                .filter(|(id, _)| !seats.iter().any(|s| s.member_id == *id))
                .map(|(id, name)| view! { <option value=id.to_string()>{name}</option> })
                .collect_view();
            let rows = seats
                .into_iter()
                .map(|s| {
                    let remove = keeps.then(|| view! {
                        <form method="post" action=super::fns::UnseatCommitteeMember::url()>
                            <input type="hidden" name="node" value=node.to_string() />
                            <input type="hidden" name="branch" value=branch.to_string() />
                            <input type="hidden" name="member" value=s.member_id.to_string() />
                            <button type="submit" class="secondary" aria-label=format!("{} {}", t(lang, "committee.remove"), s.name)>
                                {t(lang, "committee.remove")}
                            </button>
                        </form>
                    });
                    view! {
                        <tr>
                            <td>{t(lang, &format!("committee_post.{}", s.post.as_str()))}</td>
                            <td>{s.name}</td>
                            <td>{s.since.to_string()}</td>
                            <td class="no-print">{remove}</td>
                        </tr>
                    }
                })
                .collect_view();
            let add = (keeps && !small).then(|| {
                let today = today.clone();
                view! {
                    <form method="post" action=super::fns::SeatCommitteeMember::url() class="inline-form no-print">
                        <input type="hidden" name="node" value=node.to_string() />
                        <input type="hidden" name="branch" value=branch.to_string() />
                        <label>
                            {t(lang, "field.committee_member")}
                            <select name="member" required>
                                <option value="">{t(lang, "committee.pick")}</option>
                                {people}
                            </select>
                        </label>
                        <label>
                            {t(lang, "field.committee_post")}
                            <select name="post">{posts()}</select>
                        </label>
                        <label>
                            {t(lang, "field.committee_since")}
                            <input type="date" name="since" required value=today />
                        </label>
                        <button type="submit" class="secondary">{t(lang, "committee.add")}</button>
                    </form>
                }
            });
            view! {
                <h3>{name}</h3>
                {(keeps && small).then(|| view! { <p class="note">{t(lang, "committee.too_small")}</p> })}
                <div class="table-wrap" tabindex="0">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">{t(lang, "field.committee_post")}</th>
                                <th scope="col">{t(lang, "field.committee_member")}</th>
                                <th scope="col">{t(lang, "field.committee_since")}</th>
                                <th scope="col" class="no-print"></th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                {add}
            }
        })
        .collect_view();
    view! {
        <section id="committees">
            <h2>{t(lang, "committee.title")}</h2>
            <p class="hint">{t(lang, "committee.hint")}</p>
            {branches}
        </section>
    }
}
