//! `/org/:id/units/:uid`: one 共建单位 — its details, the communities it is paired with and, for
//! the street, the edit form, pairing and the liaison's login.
use domain::coop::{self, CoopScope, PartnerUnit, Viewer};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::agreements::Agreements;
use super::list::UnitFields;
use super::resources::Resources;
use super::COOP_FORM;
use crate::i18n::{t, use_lang};
use crate::meetings::ResolutionTable;
use crate::page::{on_node, path_param, NodeCtx, Outcome};
use crate::routes;
use crate::shell::list_table;
use leptos::server_fn::ServerFn as _;

#[component]
pub fn UnitPage() -> impl IntoView {
    let unit_id = path_param("uid");
    let saved = use_query_map().read_untracked().get("saved").is_some();
    on_node(move |ctx: NodeCtx<CoopScope>| async move {
        let lang = ctx.lang;
        let id = domain::validate::parse_id(&unit_id)?;
        let tx = ctx.read().await?;
        let unit = coop::get_partner(&tx, id).await?;
        let today = domain::clock::today();
        let agreements = coop::agreements(&tx, Some(id), today).await?;
        let resources: Vec<_> = coop::resources(&tx)
            .await?
            .into_iter()
            .filter(|r| r.unit_id == id)
            .collect();
        // Meetings the unit is invited to (its liaison's view) and resolutions it answers for.
        let meetings = match ctx.access.viewer() {
            Viewer::Unit(_) => coop::meetings(&tx).await?,
            _ => Vec::new(),
        };
        // What the unit took on: wishes it claimed (its liaison sees them) and projects it owns.
        let claimed: Vec<String> = match ctx.access.viewer() {
            Viewer::Unit(_) => coop::needs(&tx)
                .await?
                .into_iter()
                .filter(|n| n.mine)
                .map(|n| n.title)
                .collect(),
            _ => Vec::new(),
        };
        let owned: Vec<String> = match ctx.access.viewer() {
            Viewer::Community(_) => Vec::new(),
            _ => coop::projects(&tx, today)
                .await?
                .into_iter()
                .filter(|p| p.owner_unit.0 == id)
                .map(|p| p.title)
                .collect(),
        };
        let resolutions: Vec<_> = match ctx.access.viewer() {
            Viewer::Community(_) => Vec::new(),
            _ => coop::resolutions(&tx, today)
                .await?
                .into_iter()
                .filter(|r| r.owner_kind == coop::OwnerKind::Unit && r.owner_id == Some(id))
                .collect(),
        };
        // The street's communities, to pair with (only the street sees this page's forms).
        let communities = match ctx.access.viewer() {
            Viewer::Street => coop::street_communities(&tx).await?,
            _ => Vec::new(),
        };
        tx.commit().await?;
        // The liaison's login, for the street: whether it is active, and a password just reset.
        let login = match unit.account {
            Some(account) => Some(crate::admin::LiaisonLogin {
                account,
                active: domain::auth::Principal::load(ctx.db(), account)
                    .await?
                    .is_some(),
                handover: crate::state::take_handover().await,
            }),
            None => None,
        };
        let (viewer, street) = (ctx.access.viewer(), ctx.access.street_id());
        let flash = crate::state::take_flash(COOP_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let kept = flash.map(|f| f.values).unwrap_or_default();
        let node = ctx.node.id;
        let agreements_view = view! {
            <Agreements agreements unit=unit.clone() node viewer kept=kept.clone() />
        };
        let pair_form = (viewer == Viewer::Street).then(|| {
            view! { <PairForm unit=unit.clone() street communities /> }
        });
        let manage = (viewer == Viewer::Street).then(|| {
            view! { <Manage unit=unit.clone() street kept login /> }
        });
        Ok(view! {
            <Outcome saved error />
            <header class="page-head">
                <p class="kind">
                    <a href=routes::units(ctx.node.id).to_string()>
                        {t(lang, if viewer == Viewer::Street { "coop.units" } else { "coop.partners" })}
                    </a>
                </p>
                <h1>{unit.name.clone()}</h1>
            </header>
            <Details unit=unit.clone() />
            <section id="pairings">
                <h2>{t(lang, "coop.pairings")}</h2>
                <Pairings unit=unit.clone() street can_unpair=viewer == Viewer::Street liaison=matches!(viewer, Viewer::Unit(_)) />
                {pair_form}
            </section>
            <Resources resources unit=unit.id node viewer />
            {(!matches!(viewer, Viewer::Community(_))).then(|| view! {
                <TakenOn claimed owned />
                <UnitMeetings meetings resolutions node />
            })}
            {agreements_view}
            {manage}
        }
        .into_any())
    })
}

/// The wishes the unit claimed and the projects it owns.
#[component]
fn TakenOn(claimed: Vec<String>, owned: Vec<String>) -> impl IntoView {
    let lang = use_lang();
    let list = |items: Vec<String>| {
        if items.is_empty() {
            return view! { <p>"—"</p> }.into_any();
        }
        let items = items
            .into_iter()
            .map(|title| view! { <li>{title}</li> })
            .collect_view();
        view! { <ul>{items}</ul> }.into_any()
    };
    view! {
        <section id="taken-on">
            <h2>{t(lang, "coop.taken_on")}</h2>
            <h3>{t(lang, "coop.claimed_needs")}</h3>
            {list(claimed)}
            <h3>{t(lang, "coop.owned_projects")}</h3>
            {list(owned)}
        </section>
    }
}

/// The meetings the unit's liaison is invited to and the resolutions the unit answers for.
#[component]
fn UnitMeetings(
    meetings: Vec<coop::MeetingSummary>,
    resolutions: Vec<coop::Resolution>,
    node: Uuid,
) -> impl IntoView {
    let lang = use_lang();
    let invited = (!meetings.is_empty()).then(|| {
        let items = meetings
            .into_iter()
            .map(|m| {
                view! {
                    <li>
                        <a href=routes::meeting(node, m.id).to_string()>{m.title}</a>
                        " " {m.held_on.to_string()} " " {m.starts_at} " · " {m.venue}
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3>{t(lang, "meetings.invited_to")}</h3>
            <ul>{items}</ul>
        }
    });
    view! {
        <section id="unit-meetings">
            <h2>{t(lang, "meetings.title")}</h2>
            {invited}
            <h3>{t(lang, "resolutions.tasks")}</h3>
            <ResolutionTable resolutions node />
        </section>
    }
}

#[component]
fn Details(unit: PartnerUnit) -> impl IntoView {
    let lang = use_lang();
    let text = |v: Option<String>| v.unwrap_or_default();
    let number = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    let fields = vec![
        (
            "field.unit_kind",
            t(lang, &format!("unit_kind.{}", unit.kind.as_str())),
        ),
        ("field.party_org", text(unit.party_org)),
        ("field.liaison_name", text(unit.liaison_name)),
        ("field.liaison_phone", text(unit.liaison_phone)),
        ("field.staff_count", number(unit.staff_count)),
        ("field.member_count", number(unit.member_count)),
    ];
    // Fields nobody filled in are left out rather than shown empty.
    let fields: Vec<_> = fields.into_iter().filter(|(_, v)| !v.is_empty()).collect();
    view! {
        <section class="card">
            <dl class="fields">
                {fields
                    .into_iter()
                    .map(|(label, value)| view! {
                        <div>
                            <dt>{t(lang, label)}</dt>
                            <dd>{value}</dd>
                        </div>
                    })
                    .collect_view()}
            </dl>
        </section>
    }
}

/// `liaison`: the unit's own liaison, who runs activities in the paired communities.
#[component]
fn Pairings(unit: PartnerUnit, street: Uuid, can_unpair: bool, liaison: bool) -> impl IntoView {
    let lang = use_lang();
    let heads = vec!["coop.community", "coop.paired_on", ""];
    list_table(
        heads,
        "coop.no_pairings",
        unit.communities,
        |(id, name, on)| {
            let unpair = can_unpair.then(|| {
            view! {
                <form method="post" action=crate::coop::fns::ChangePairing::url() class="inline">
                    <input type="hidden" name="street" value=street.to_string() />
                    <input type="hidden" name="unit" value=unit.id.to_string() />
                    <input type="hidden" name="community" value=id.to_string() />
                    <button type="submit" class="link" name="action" value="unpair">
                        {t(lang, "coop.unpair")}
                    </button>
                </form>
            }
        });
            let organise = liaison.then(|| {
            view! {
                <a href=routes::activities(id).to_string()>{t(lang, "activities.organise_here")}</a>
            }
        });
            view! {
                <tr>
                    <td>{name}</td>
                    <td>{on.to_string()}</td>
                    <td class="no-print">{unpair}{organise}</td>
                </tr>
            }
        },
    )
}

/// The street's form to pair the unit with another of its communities.
#[component]
fn PairForm(unit: PartnerUnit, street: Uuid, communities: Vec<(Uuid, String)>) -> impl IntoView {
    let lang = use_lang();
    let unpaired = communities
        .into_iter()
        .filter(|(id, _)| !unit.communities.iter().any(|c| c.0 == *id))
        .map(|(id, name)| view! { <option value=id.to_string()>{name}</option> })
        .collect_view();
    view! {
        <form method="post" action=crate::coop::fns::ChangePairing::url() class="inline-form no-print">
            <input type="hidden" name="street" value=street.to_string() />
            <input type="hidden" name="unit" value=unit.id.to_string() />
            <label>
                {t(lang, "coop.pair_with")}
                <select name="community">
                    <option value="">{t(lang, "coop.pick_community")}</option>
                    {unpaired}
                </select>
            </label>
            <button type="submit" name="action" value="pair">{t(lang, "coop.pair")}</button>
        </form>
    }
}

/// The street's forms: create the liaison's login (or reset and close it), edit the unit.
#[component]
fn Manage(
    unit: PartnerUnit,
    street: Uuid,
    kept: std::collections::HashMap<String, String>,
    login: Option<crate::admin::LiaisonLogin>,
) -> impl IntoView {
    let lang = use_lang();
    let value = |key: &str, stored: String| kept.get(key).cloned().unwrap_or(stored);
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let number = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    let kept_login = login.map(|login| {
        let state = if login.active { "coop.liaison_has_login" } else { "coop.liaison_login_closed" };
        view! {
            <section id="liaison">
                <h2>{t(lang, "coop.liaison_account")}</h2>
                <p>{t(lang, state)}</p>
                {login.handover.map(|handover| view! { <crate::admin::HandoverNotice handover /> })}
                <crate::admin::LoginButtons node=street account=login.account active=login.active back=("unit", unit.id) />
            </section>
        }
    });
    let liaison = (!unit.has_account).then(|| {
        view! {
            <section id="liaison">
                <h2>{t(lang, "coop.liaison_account")}</h2>
                <p class="note">{t(lang, "coop.liaison_note")}</p>
                <form method="post" action=crate::coop::fns::CreateLiaison::url() class="inline-form">
                    <input type="hidden" name="street" value=street.to_string() />
                    <input type="hidden" name="unit" value=unit.id.to_string() />
                    <label>
                        {t(lang, "field.login_name")}
                        <input name="login_name" required maxlength="64" autocomplete="off" value=value("login_name", String::new()) />
                    </label>
                    <label>
                        {t(lang, "coop.initial_password")}
                        <input name="password" type="password" required minlength="8" maxlength="128" autocomplete="new-password" />
                    </label>
                    <button type="submit" class="secondary">{t(lang, "coop.create_account")}</button>
                </form>
            </section>
        }
    });
    view! {
        {kept_login}
        {liaison}
        <section id="edit" class="no-print">
            <h2>{t(lang, "coop.edit")}</h2>
            <form method="post" action=crate::coop::fns::SavePartner::url() class="member-form">
                <input type="hidden" name="street" value=street.to_string() />
                <input type="hidden" name="unit" value=unit.id.to_string() />
                <UnitFields
                    name=value("name", unit.name.clone())
                    kind=value("kind", unit.kind.as_str().to_owned())
                    party_org=value("party_org", text(&unit.party_org))
                    liaison_name=value("liaison_name", text(&unit.liaison_name))
                    liaison_phone=value("liaison_phone", text(&unit.liaison_phone))
                    staff_count=value("staff_count", number(unit.staff_count))
                    member_count=value("member_count", number(unit.member_count))
                />
                <div class="buttons">
                    <button type="submit">{t(lang, "members.save")}</button>
                </div>
            </form>
        </section>
    }
}
