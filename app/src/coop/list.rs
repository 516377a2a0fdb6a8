//! `/org/:id/units`: for a street, its 共建单位 and the form to register one; for a community, the
//! units paired with it; for a liaison, their unit.
use domain::coop::{self, CoopScope, PartnerKind, PartnerSummary, Viewer};
use leptos::prelude::*;

use super::COOP_FORM;
use crate::i18n::{t, use_lang};
use crate::page::{on_node, NodeCtx, Outcome};
use crate::routes;
use crate::shell::{list_table, PageHead};
use leptos::server_fn::ServerFn as _;

#[component]
pub fn UnitsPage() -> impl IntoView {
    on_node(move |ctx: NodeCtx<CoopScope>| async move {
        let lang = ctx.lang;
        let tx = ctx.read().await?;
        let units = coop::partners(&tx).await?;
        let today = domain::clock::today();
        let renewals: Vec<_> = coop::agreements(&tx, None, today)
            .await?
            .into_iter()
            .filter(|a| a.due_for_renewal)
            .collect();
        tx.commit().await?;
        let (viewer, street) = (ctx.access.viewer(), ctx.access.street_id());
        let flash = crate::state::take_flash(COOP_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let kept = |key: &str| {
            flash
                .as_ref()
                .and_then(|f| f.values.get(key).cloned())
                .unwrap_or_default()
        };
        let heading = t(
            lang,
            if viewer == Viewer::Street {
                "coop.units"
            } else {
                "coop.partners"
            },
        );
        let register = (viewer == Viewer::Street).then(|| {
            let kept_kind = kept("kind");
            view! {
                <section id="new">
                    <h2>{t(lang, "coop.register")}</h2>
                    <form method="post" action=crate::coop::fns::SavePartner::url() class="member-form">
                        <input type="hidden" name="street" value=street.to_string() />
                        <input type="hidden" name="unit" value="" />
                        <UnitFields
                            name=kept("name")
                            kind=kept_kind
                            party_org=kept("party_org")
                            liaison_name=kept("liaison_name")
                            liaison_phone=kept("liaison_phone")
                            staff_count=kept("staff_count")
                            member_count=kept("member_count")
                        />
                        <div class="buttons">
                            <button type="submit">{t(lang, "coop.register")}</button>
                        </div>
                    </form>
                </section>
            }
        });
        Ok(view! {
            <Outcome error />
            <PageHead kind=ctx.node.name.clone() title=heading />
            <Renewals agreements=renewals node=ctx.node.id />
            <UnitTable units node=ctx.node.id show_pairings=viewer == Viewer::Street />
            {register}
        }
        .into_any())
    })
}

#[component]
fn UnitTable(units: Vec<PartnerSummary>, node: uuid::Uuid, show_pairings: bool) -> impl IntoView {
    let lang = use_lang();
    let mut heads = vec!["field.unit_name", "field.unit_kind", "field.liaison_name"];
    if show_pairings {
        heads.push("#coop.paired");
    }
    list_table(heads, "coop.none", units, |u| {
        view! {
            <tr>
                <td>
                    <a href=routes::unit(node, u.id).to_string()>{u.name}</a>
                </td>
                <td>{t(lang, &format!("unit_kind.{}", u.kind.as_str()))}</td>
                <td>{u.liaison_name.unwrap_or_default()}</td>
                {show_pairings.then(|| view! { <td class="num">{u.communities}</td> })}
            </tr>
        }
    })
}

/// The fields of a unit, shared by the register and the edit form.
#[component]
pub(super) fn UnitFields(
    name: String,
    kind: String,
    party_org: String,
    liaison_name: String,
    liaison_phone: String,
    staff_count: String,
    member_count: String,
) -> impl IntoView {
    let lang = use_lang();
    let kinds = PartnerKind::ALL
        .iter()
        .map(|k| {
            let selected = kind == k.as_str();
            view! {
                <option value=k.as_str() selected=selected>
                    {t(lang, &format!("unit_kind.{}", k.as_str()))}
                </option>
            }
        })
        .collect_view();
    view! {
        <label for="unit-name">{t(lang, "field.unit_name")}</label>
        <input id="unit-name" name="name" required maxlength="100" value=name />
        <label for="unit-kind">{t(lang, "field.unit_kind")}</label>
        <select id="unit-kind" name="kind">{kinds}</select>
        <label for="party-org">{t(lang, "field.party_org")}</label>
        <input id="party-org" name="party_org" maxlength="100" value=party_org />
        <label for="liaison-name">{t(lang, "field.liaison_name")}</label>
        <input id="liaison-name" name="liaison_name" maxlength="64" value=liaison_name />
        <label for="liaison-phone">{t(lang, "field.liaison_phone")}</label>
        <input id="liaison-phone" name="liaison_phone" inputmode="numeric" maxlength="11" value=liaison_phone />
        <label for="staff-count">{t(lang, "field.staff_count")}</label>
        <input id="staff-count" name="staff_count" inputmode="numeric" maxlength="7" value=staff_count />
        <label for="member-count">{t(lang, "field.member_count")}</label>
        <input id="member-count" name="member_count" inputmode="numeric" maxlength="7" value=member_count />
    }
}

/// Agreements ending within `RENEWAL_DAYS`: a reminder to renew them.
#[component]
fn Renewals(agreements: Vec<domain::coop::Agreement>, node: uuid::Uuid) -> impl IntoView {
    let lang = use_lang();
    (!agreements.is_empty()).then(|| {
        let items = agreements
            .into_iter()
            .map(|a| {
                view! {
                    <li>
                        <a href=routes::unit(node, a.unit_id).at("agreements").to_string()>{a.unit_name}</a>
                        " · " {a.title} " · " {t(lang, "field.ends_on")} " " {a.ends_on.to_string()}
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="notice">
                <strong>{t(lang, "coop.renewals")}</strong>
                <ul>{items}</ul>
            </section>
        }
    })
}
