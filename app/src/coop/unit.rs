//! `/org/:id/units/:uid`: one 共建单位 — its details, the communities it is paired with and, for
//! the street, the edit form, pairing and the liaison's login.
use domain::coop::{self, Unit, Viewer};
use domain::org::page::{node_page, NodeView};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::list::UnitFields;
use super::{coop_scope, COOP_FORM};
use crate::error::fail;
use crate::i18n::{t, use_lang};
use crate::shell::{error_page, require_principal, HeaderUser, Layout};
use crate::state::app_state;

#[component]
pub fn UnitPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map().read_untracked().clone();
    let node = params.get("id").unwrap_or_default();
    let unit_id = params.get("uid").unwrap_or_default();
    let saved = use_query_map().read_untracked().get("saved").is_some();
    Suspend::new(async move {
        let p = match require_principal().await {
            Ok(p) => p,
            Err(view) => return view,
        };
        let user = HeaderUser::of(&p);
        let loaded = async {
            let (state, scope) = coop_scope(&node).await?;
            let node_id = domain::validate::parse_id(&node).map_err(fail)?;
            let id = domain::validate::parse_id(&unit_id).map_err(fail)?;
            let page = node_page(&app_state()?.db, &p, node_id)
                .await
                .map_err(fail)?;
            let tx = scope.read(&state.db).await.map_err(fail)?;
            let unit = coop::get_unit(&tx, id).await.map_err(fail)?;
            let today = chrono::Local::now().date_naive();
            let agreements = coop::agreements(&tx, Some(id), today).await.map_err(fail)?;
            let resources: Vec<_> = coop::resources(&tx)
                .await
                .map_err(fail)?
                .into_iter()
                .filter(|r| r.unit_id == id)
                .collect();
            tx.commit().await.map_err(fail)?;
            Ok((
                page,
                unit,
                agreements,
                resources,
                scope.viewer(),
                scope.street_id(),
            ))
        };
        let (page, unit, agreements, resources, viewer, street) = match loaded.await {
            Ok(loaded) => loaded,
            Err(err) => return error_page(Some(user), err),
        };
        let flash = crate::state::take_flash(COOP_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        // The street's communities, to pair with (only the street sees this page's forms).
        let communities: Vec<(Uuid, String)> = match &page.view {
            NodeView::Overview { children, .. } => children
                .iter()
                .map(|c| (c.node.id, c.node.name.clone()))
                .collect(),
            _ => Vec::new(),
        };
        let kept = flash.map(|f| f.values).unwrap_or_default();
        let node = page.node.id;
        let agreements_view = view! {
            <Agreements agreements unit=unit.clone() node viewer kept=kept.clone() />
        };
        let pair_form = (viewer == Viewer::Street).then(|| {
            view! { <PairForm unit=unit.clone() street communities /> }
        });
        let manage = (viewer == Viewer::Street).then(|| {
            view! { <Manage unit=unit.clone() street kept /> }
        });
        view! {
            <Layout user=Some(user) crumbs=page.crumbs.clone()>
                {saved.then(|| view! { <p class="notice" role="status">{t(lang, "members.saved")}</p> })}
                {error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <header class="page-head">
                    <p class="kind">
                        <a href=format!("/org/{}/units", page.node.id)>{t(lang, "coop.units")}</a>
                    </p>
                    <h1>{unit.name.clone()}</h1>
                </header>
                <Details unit=unit.clone() />
                <section id="pairings">
                    <h2>{t(lang, "coop.pairings")}</h2>
                    <Pairings unit=unit.clone() street can_unpair=viewer == Viewer::Street />
                    {pair_form}
                </section>
                <Resources resources unit=unit.id node viewer />
                {agreements_view}
                {manage}
            </Layout>
        }
        .into_any()
    })
}

#[component]
fn Details(unit: Unit) -> impl IntoView {
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

#[component]
fn Pairings(unit: Unit, street: Uuid, can_unpair: bool) -> impl IntoView {
    let lang = use_lang();
    if unit.communities.is_empty() {
        return view! { <p>{t(lang, "coop.no_pairings")}</p> }.into_any();
    }
    let rows = unit
        .communities
        .into_iter()
        .map(|(id, name, on)| {
            let unpair = can_unpair.then(|| {
                view! {
                    <form method="post" action="/api/coop/pairing" class="inline">
                        <input type="hidden" name="street" value=street.to_string() />
                        <input type="hidden" name="unit" value=unit.id.to_string() />
                        <input type="hidden" name="community" value=id.to_string() />
                        <button type="submit" class="link" name="action" value="unpair">
                            {t(lang, "coop.unpair")}
                        </button>
                    </form>
                }
            });
            view! {
                <tr>
                    <td>{name}</td>
                    <td>{on.to_string()}</td>
                    <td class="no-print">{unpair}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">{t(lang, "coop.community")}</th>
                        <th scope="col">{t(lang, "coop.paired_on")}</th>
                        <th scope="col" class="no-print"></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The street's form to pair the unit with another of its communities.
#[component]
fn PairForm(unit: Unit, street: Uuid, communities: Vec<(Uuid, String)>) -> impl IntoView {
    let lang = use_lang();
    let unpaired = communities
        .into_iter()
        .filter(|(id, _)| !unit.communities.iter().any(|c| c.0 == *id))
        .map(|(id, name)| view! { <option value=id.to_string()>{name}</option> })
        .collect_view();
    view! {
        <form method="post" action="/api/coop/pairing" class="inline-form no-print">
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

/// The street's forms: create the liaison's login, edit the unit.
#[component]
fn Manage(
    unit: Unit,
    street: Uuid,
    kept: std::collections::HashMap<String, String>,
) -> impl IntoView {
    let lang = use_lang();
    let value = |key: &str, stored: String| kept.get(key).cloned().unwrap_or(stored);
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let number = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    let liaison = (!unit.has_account).then(|| {
        view! {
            <section id="liaison">
                <h2>{t(lang, "coop.liaison_account")}</h2>
                <p class="note">{t(lang, "coop.liaison_note")}</p>
                <form method="post" action="/api/coop/liaison" class="inline-form">
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
        {liaison}
        <section id="edit" class="no-print">
            <h2>{t(lang, "coop.edit")}</h2>
            <form method="post" action="/api/coop/unit" class="member-form">
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

/// 共建协议 of the unit the viewer sees, with the commitments; the counterpart (street or
/// community) ticks commitments and adds agreements.
#[component]
fn Agreements(
    agreements: Vec<domain::coop::Agreement>,
    unit: Unit,
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
                            <form method="post" action="/api/coop/commitment" class="inline">
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
                <form method="post" action="/api/coop/agreement" class="member-form">
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

/// 资源清单 of the unit; its liaison and the street add resources and stop or resume offering.
#[component]
fn Resources(
    resources: Vec<domain::coop::Resource>,
    unit: Uuid,
    node: Uuid,
    viewer: Viewer,
) -> impl IntoView {
    use domain::coop::ResourceKind;
    let lang = use_lang();
    let keeps = matches!(viewer, Viewer::Street) || viewer == Viewer::Unit(unit);
    let rows = resources
        .into_iter()
        .map(|r| {
            let toggle = keeps.then(|| {
                view! {
                    <form method="post" action="/api/coop/resource" class="inline">
                        <input type="hidden" name="node" value=node.to_string() />
                        <input type="hidden" name="unit" value=unit.to_string() />
                        <input type="hidden" name="resource" value=r.id.to_string() />
                        <input type="hidden" name="kind" value=r.kind.as_str() />
                        <input type="hidden" name="name" value=r.name.clone() />
                        <input type="hidden" name="quantity" value=r.quantity.clone().unwrap_or_default() />
                        <input type="hidden" name="availability" value=r.availability.clone().unwrap_or_default() />
                        {(!r.active).then(|| view! { <input type="hidden" name="active" value="on" /> })}
                        <button type="submit" class="link">
                            {t(lang, if r.active { "resources.stop" } else { "resources.resume" })}
                        </button>
                    </form>
                }
            });
            view! {
                <tr>
                    <td>{r.name}</td>
                    <td>{t(lang, &format!("resource_kind.{}", r.kind.as_str()))}</td>
                    <td>{r.quantity.unwrap_or_default()}</td>
                    <td>{r.availability.unwrap_or_default()}</td>
                    <td>{t(lang, if r.active { "resources.offered" } else { "resources.stopped" })}</td>
                    <td class="no-print">{toggle}</td>
                </tr>
            }
        })
        .collect_view();
    let kinds = ResourceKind::ALL
        .iter()
        .map(|k| view! { <option value=k.as_str()>{t(lang, &format!("resource_kind.{}", k.as_str()))}</option> })
        .collect_view();
    let add = keeps.then(|| {
        view! {
            <form method="post" action="/api/coop/resource" class="inline-form no-print">
                <input type="hidden" name="node" value=node.to_string() />
                <input type="hidden" name="unit" value=unit.to_string() />
                <input type="hidden" name="resource" value="" />
                <input type="hidden" name="active" value="on" />
                <label>
                    {t(lang, "field.resource_kind")}
                    <select name="kind">{kinds}</select>
                </label>
                <label>
                    {t(lang, "field.resource_name")}
                    <input name="name" required maxlength="100" />
                </label>
                <label>
                    {t(lang, "field.quantity")}
                    <input name="quantity" maxlength="50" />
                </label>
                <label>
                    {t(lang, "field.availability")}
                    <input name="availability" maxlength="100" />
                </label>
                <button type="submit" class="secondary">{t(lang, "resources.add")}</button>
            </form>
        }
    });
    view! {
        <section id="resources">
            <h2>{t(lang, "resources.title")}</h2>
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{t(lang, "field.resource_name")}</th>
                            <th scope="col">{t(lang, "field.resource_kind")}</th>
                            <th scope="col">{t(lang, "field.quantity")}</th>
                            <th scope="col">{t(lang, "field.availability")}</th>
                            <th scope="col">{t(lang, "resources.state")}</th>
                            <th scope="col" class="no-print"></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {add}
        </section>
    }
}
