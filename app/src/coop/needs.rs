//! `/org/:id/needs`: 需求清单 and 微心愿. The community's staff post needs and confirm or
//! escalate them; a member claims wishes of their community; a unit's liaison (from the street)
//! claims wishes of the communities the unit is paired with; the street sees escalated needs.
use domain::auth::Role;
use domain::coop::{self, CoopScope, Need, NeedCategory, NeedStatus, Urgency, Viewer};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::COOP_FORM;
use crate::i18n::{t, use_lang};
use crate::page::{on_node, NodeCtx, Outcome};
use crate::shell::PageHead;
use leptos::server_fn::ServerFn as _;

/// What the viewer may do on this page.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The community's staff: post, confirm, escalate; `reveals`: the secretary, who may show
    /// a requester's full phone number.
    Staff { reveals: bool },
    /// A member or a unit's liaison: claim and deliver wishes.
    Claimant,
    /// The street: read escalated needs.
    Street,
}

#[component]
pub fn NeedsPage() -> impl IntoView {
    let saved = use_query_map().read_untracked().get("saved").is_some();
    on_node(move |ctx: NodeCtx<CoopScope>| async move {
        let lang = ctx.lang;
        let tx = ctx.read().await?;
        let needs = coop::needs(&tx).await?;
        let limit = coop::unclaimed_days(&tx).await.ok();
        let role = ctx
            .principal
            .assignments
            .iter()
            .find(|a| a.node.id == ctx.node.id)
            .map(|a| a.role);
        tx.commit().await?;
        let part = match (ctx.access.viewer(), role) {
            (Viewer::Street, _) => Part::Street,
            (Viewer::Community(_), Some(Role::Member)) | (Viewer::Unit(_), _) => Part::Claimant,
            (Viewer::Community(_), role) => Part::Staff {
                reveals: role == Some(Role::CommunitySecretary),
            },
        };
        let flash = crate::state::take_flash(COOP_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let kept = flash.map(|f| f.values).unwrap_or_default();
        let node = ctx.node.id;
        let title = t(
            lang,
            match part {
                Part::Staff { .. } => "needs.title",
                Part::Claimant => "needs.wishes",
                Part::Street => "needs.escalated",
            },
        );
        let empty = needs
            .is_empty()
            .then(|| view! { <p>{t(lang, "needs.none")}</p> });
        let limit = limit.unwrap_or(coop::DEFAULT_UNCLAIMED_DAYS);
        // A number the secretary revealed just now (once, audited) goes to its need's card.
        let mut revealed = super::fns::take_revealed_requester_phone().await;
        let cards = needs
            .into_iter()
            .map(|need| {
                let full = revealed
                    .take_if(|(id, _)| *id == need.id)
                    .map(|(_, phone)| phone);
                view! { <NeedCard need part node full /> }
            })
            .collect_view();
        Ok(view! {
            <Outcome saved error />
            <PageHead kind=ctx.node.name.clone() title=title />
            {empty}
            <div class="needs">{cards}</div>
            {matches!(part, Part::Staff { .. }).then(|| view! {
                <PostForm node kept />
                <form id="settings" method="post" action=crate::coop::fns::SetUnclaimedDays::url() class="inline-form no-print">
                    <input type="hidden" name="node" value=node.to_string() />
                    <label>
                        {t(lang, "field.unclaimed_days")}
                        <input name="days" type="number" min="1" max="365" required value=limit.to_string() />
                    </label>
                    <button type="submit" class="secondary">{t(lang, "members.save")}</button>
                </form>
            })}
        }
        .into_any())
    })
}

#[component]
fn NeedCard(need: Need, part: Part, node: Uuid, full: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let status = need.status;
    let action = |action: &'static str, label: &'static str| {
        // Handing a need to the street is the exception, not the next step: a quieter button.
        let class = if action == "escalate" {
            "secondary"
        } else {
            ""
        };
        view! {
            <form method="post" action=crate::coop::fns::ActOnNeed::url() class="inline">
                <input type="hidden" name="node" value=node.to_string() />
                <input type="hidden" name="need" value=need.id.to_string() />
                <button type="submit" class=class name="action" value=action>{t(lang, label)}</button>
            </form>
        }
    };
    let actions = match part {
        Part::Claimant if status == NeedStatus::Open && need.wish => {
            Some(action("claim", "needs.claim").into_any())
        }
        Part::Claimant if status == NeedStatus::Claimed && need.mine => {
            Some(action("deliver", "needs.deliver").into_any())
        }
        Part::Staff { .. } if status == NeedStatus::Delivered => {
            Some(action("confirm", "needs.confirm").into_any())
        }
        Part::Staff { .. }
            if need.escalated_on.is_none() && status != NeedStatus::Done && !need.wish =>
        {
            Some(action("escalate", "needs.escalate").into_any())
        }
        _ => None,
    };
    let kind = if need.wish {
        "needs.wish"
    } else {
        "needs.need"
    };
    let today = domain::clock::today();
    let flagged = need.flagged(today).then(|| {
        let days = (today - need.created_on).num_days().to_string();
        view! {
            " "
            <span class="badge declined">{crate::i18n::t_with(lang, "needs.flagged", &[("days", days)])}</span>
        }
    });
    let reveals = matches!(part, Part::Staff { reveals: true });
    let requester = need.requester.map(|name| {
        let phone = match (need.requester_phone, full) {
            (_, Some(full)) => Some(view! {
                " " {full} " " <small>{t(lang, "members.phone_reveal_recorded")}</small>
            }.into_any()),
            (Some(masked), None) if reveals => Some(view! {
                " " {masked} " "
                <form method="post" action=crate::coop::fns::RevealRequesterPhone::url() class="inline">
                    <input type="hidden" name="node" value=node.to_string() />
                    <input type="hidden" name="need" value=need.id.to_string() />
                    <button type="submit" class="link">{t(lang, "members.phone_reveal")}</button>
                </form>
            }.into_any()),
            (masked, None) => masked.map(|m| view! { " " {m} }.into_any()),
        };
        // A div, not a p: the reveal button is a form.
        view! { <div class="note">{t(lang, "field.requester_name")} "：" {name} {phone}</div> }
    });
    view! {
        <article class="card need" id=format!("need-{}", need.id)>
            <h2>
                <span class="tag">{t(lang, kind)}</span>
                " "
                {need.title}
            </h2>
            <p>
                <span class=format!("badge {}", badge(status))>{t(lang, &format!("need_status.{}", status.as_str()))}</span>
                " "
                {t(lang, &format!("need_category.{}", need.category.as_str()))}
                " · "
                {t(lang, &format!("urgency.{}", need.urgency.as_str()))}
                " · "
                {need.created_on.to_string()}
                {need.escalated_on.map(|d| view! { " · " <span class="badge pending">{t(lang, "needs.escalated_on")} " " {d.to_string()}</span> })}
                {flagged}
            </p>
            {need.detail.map(|d| view! { <p>{d}</p> })}
            {requester}
            {need.claimant.map(|c| view! { <p class="note">{t(lang, "needs.claimant")} "：" {c}</p> })}
            {actions}
        </article>
    }
}

fn badge(status: NeedStatus) -> &'static str {
    match status {
        NeedStatus::Open => "pending",
        NeedStatus::Claimed | NeedStatus::Delivered => "",
        NeedStatus::Done => "confirmed",
    }
}

#[component]
fn PostForm(node: Uuid, kept: std::collections::HashMap<String, String>) -> impl IntoView {
    let lang = use_lang();
    let value = |key: &str| kept.get(key).cloned().unwrap_or_default();
    let categories = NeedCategory::ALL
        .iter()
        .map(|c| {
            let selected = value("category") == c.as_str();
            view! { <option value=c.as_str() selected=selected>{t(lang, &format!("need_category.{}", c.as_str()))}</option> }
        })
        .collect_view();
    let urgencies = Urgency::ALL
        .iter()
        .map(|u| {
            let selected = value("urgency") == u.as_str();
            view! { <option value=u.as_str() selected=selected>{t(lang, &format!("urgency.{}", u.as_str()))}</option> }
        })
        .collect_view();
    view! {
        <section id="new">
            <h2>{t(lang, "needs.post")}</h2>
            <form method="post" action=crate::coop::fns::PostNeed::url() class="member-form">
                <input type="hidden" name="node" value=node.to_string() />
                <label for="need-title">{t(lang, "field.need_title")}</label>
                <input id="need-title" name="title" required maxlength="100" value=value("title") />
                <label for="need-category">{t(lang, "field.need_category")}</label>
                <select id="need-category" name="category">{categories}</select>
                <label for="urgency">{t(lang, "field.urgency")}</label>
                <select id="urgency" name="urgency">{urgencies}</select>
                <label for="detail">{t(lang, "field.detail")}</label>
                <textarea id="detail" name="detail" rows="3" maxlength="500">{value("detail")}</textarea>
                <label class="check">
                    <input type="checkbox" name="wish" checked=!value("wish").is_empty() />
                    {t(lang, "needs.is_wish")}
                </label>
                <label for="requester-name">{t(lang, "field.requester_name")}</label>
                <input id="requester-name" name="requester_name" maxlength="64" value=value("requester_name") />
                <label for="requester-phone">{t(lang, "field.requester_phone")}</label>
                <input id="requester-phone" name="requester_phone" inputmode="numeric" maxlength="11" value=value("requester_phone") />
                <p class="hint">{t(lang, "needs.privacy")}</p>
                <div class="buttons">
                    <button type="submit">{t(lang, "needs.post")}</button>
                </div>
            </form>
        </section>
    }
}
