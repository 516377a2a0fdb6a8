//! The unit page's 共建协议 section.
use domain::coop::{PartnerUnit, Viewer};
use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{t, use_lang};
use leptos::server_fn::ServerFn as _;

/// 共建协议 of the unit the viewer sees, with the commitments; the counterpart (street or
/// community) ticks commitments and adds agreements.
#[component]
pub(super) fn Agreements(
    agreements: Vec<domain::coop::Agreement>,
    unit: PartnerUnit,
    node: Uuid,
    viewer: Viewer,
    kept: std::collections::HashMap<String, String>,
) -> impl IntoView {
    let lang = use_lang();
    let counterpart = !matches!(viewer, Viewer::Unit(_));
    let none = agreements.is_empty();
    let list = agreements
        .into_iter()
        .map(|a| {
            let party = a
                .community
                .as_ref()
                .map(|c| c.1.clone())
                .unwrap_or_else(|| t(lang, "coop.the_street"));
            let state = if a.ended {
                Some(("declined", t(lang, "coop.ended")))
            } else if a.due_for_renewal {
                Some(("pending", t(lang, "coop.due_for_renewal")))
            } else {
                None
            };
            let items = a
                .commitments
                .into_iter()
                .map(|c| {
                    let done = c.done_on.is_some();
                    let tick = counterpart.then(|| {
                        view! {
                            <form method="post" action=crate::coop::fns::SetCommitment::url() class="inline">
                                <input type="hidden" name="node" value=node.to_string() />
                                <input type="hidden" name="unit" value=unit.id.to_string() />
                                <input type="hidden" name="commitment" value=c.id.to_string() />
                                <input type="hidden" name="done" value=if done { "0" } else { "1" } />
                                <button type="submit" class="link">
                                    {t(lang, if done { "coop.mark_open" } else { "coop.mark_done" })}
                                </button>
                            </form>
                        }
                    });
                    view! {
                        <li>
                            <span class=format!("badge {}", if done { "confirmed" } else { "pending" })>
                                {t(lang, if done { "coop.done" } else { "coop.open" })}
                            </span>
                            " "
                            {c.content}
                            {c.done_on.map(|d| format!("（{d}）"))}
                            " "
                            {tick}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <article class="card">
                    <h3>{a.title}</h3>
                    <p>
                        {t(lang, "coop.party")} "：" {party} " · "
                        {t(lang, "coop.term")} "：" {a.starts_on.to_string()} " — " {a.ends_on.to_string()}
                        {state.map(|(class, text)| view! { " " <span class=format!("badge {class}")>{text}</span> })}
                    </p>
                    <ul class="plain commitments">{items}</ul>
                </article>
            }
        })
        .collect_view();
    let value = |key: &str| kept.get(key).cloned().unwrap_or_default();
    let parties = (viewer == Viewer::Street).then(|| {
        let options = unit
            .communities
            .iter()
            .map(|(id, name, _)| view! { <option value=id.to_string()>{name.clone()}</option> })
            .collect_view();
        view! {
            <label for="agreement-party">{t(lang, "coop.party")}</label>
            <select id="agreement-party" name="community">
                <option value="">{t(lang, "coop.the_street")}</option>
                {options}
            </select>
        }
    });
    let add = counterpart.then(|| {
        view! {
            <details class="manage no-print">
                <summary>{t(lang, "coop.add_agreement")}</summary>
                <form method="post" action=crate::coop::fns::AddAgreement::url() class="member-form">
                    <input type="hidden" name="node" value=node.to_string() />
                    <input type="hidden" name="unit" value=unit.id.to_string() />
                    {parties}
                    <label for="agreement-title">{t(lang, "field.agreement_title")}</label>
                    <input id="agreement-title" name="title" required maxlength="100" value=value("title") />
                    <label for="starts-on">{t(lang, "field.starts_on")}</label>
                    <input id="starts-on" name="starts_on" type="date" required value=value("starts_on") />
                    <label for="ends-on">{t(lang, "field.ends_on")}</label>
                    <input id="ends-on" name="ends_on" type="date" required value=value("ends_on") />
                    <label for="commitments">{t(lang, "field.commitments")}</label>
                    <textarea id="commitments" name="commitments" rows="4">{value("commitments")}</textarea>
                    <p class="hint">{t(lang, "coop.commitments_hint")}</p>
                    <div class="buttons">
                        <button type="submit">{t(lang, "coop.add_agreement")}</button>
                    </div>
                </form>
            </details>
        }
    });
    view! {
        <section id="agreements">
            <h2>{t(lang, "coop.agreements")}</h2>
            {none.then(|| view! { <p>{t(lang, "coop.no_agreements")}</p> })}
            {list}
            {add}
        </section>
    }
}
