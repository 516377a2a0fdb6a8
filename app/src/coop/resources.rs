//! The unit page's 资源清单 section.
use domain::coop::Viewer;
use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{t, use_lang};
use crate::shell::DataTable;
use leptos::server_fn::ServerFn as _;

/// 资源清单 of the unit; its liaison and the street add resources and stop or resume offering.
#[component]
pub(super) fn Resources(
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
                    <form method="post" action=crate::coop::fns::SaveResource::url() class="inline">
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
            <form method="post" action=crate::coop::fns::SaveResource::url() class="inline-form no-print">
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
            <DataTable heads=vec!["field.resource_name", "field.resource_kind", "field.quantity", "field.availability", "resources.state", ""]>{rows}</DataTable>
            {add}
        </section>
    }
}
