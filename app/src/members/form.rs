use domain::tenancy::Commit;
use std::collections::HashMap;

use domain::members::{self, Category, Gender, PartyRelation, PartyStanding, Status};
use leptos::prelude::*;

use super::{unit_labels, MEMBER_FORM};
use crate::i18n::t;
use crate::page::{on_node, path_param, NodeCtx, Staff};
use crate::routes;
use crate::shell::PageHead;
use crate::state::take_flash;
use leptos::server_fn::ServerFn as _;

/// `/org/:id/members/new` and `/org/:id/members/:mid/edit`. After a refused save the form comes
/// back with what was typed and the reason.
#[component]
pub fn MemberFormPage() -> impl IntoView {
    let member_id = Some(path_param("mid")).filter(|id| !id.is_empty());
    on_node(move |ctx: NodeCtx<Staff>| async move {
        let lang = ctx.lang;
        let tx = ctx.read().await?;
        let existing = match &member_id {
            None => None,
            Some(id) => Some(members::get(&tx, domain::validate::parse_id(id)?).await?),
        };
        let units: Vec<(String, String)> = unit_labels(&tx)
            .await?
            .into_iter()
            .map(|(id, name)| (id.to_string(), name))
            .collect();
        tx.commit().await?;
        let flash = take_flash(MEMBER_FORM).await;
        let error = flash.as_ref().map(|f| f.error.clone());
        let mut values: HashMap<String, String> = HashMap::new();
        if let Some(m) = &existing {
            let text = |v: &Option<String>| v.clone().unwrap_or_default();
            let date = |v: Option<chrono::NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
            for (key, value) in [
                ("name", m.member.name.clone()),
                ("gender", m.member.gender.as_str().into()),
                ("birth_date", date(m.member.birth_date)),
                ("phone", text(&m.member.phone)),
                ("joined_on", date(m.member.joined_on)),
                ("category", m.member.category.as_str().into()),
                ("relation", m.member.relation.as_str().into()),
                ("standing", m.member.standing.as_str().into()),
                ("status", m.member.status.as_str().into()),
                (
                    "unit_id",
                    m.member.unit_id.map(|u| u.to_string()).unwrap_or_default(),
                ),
                ("building", text(&m.member.building)),
                ("unit_no", text(&m.member.unit_no)),
                ("room", text(&m.member.room)),
                ("employer", text(&m.member.employer)),
                ("employer_party_org", text(&m.member.employer_party_org)),
                ("interests", text(&m.member.interests)),
                ("id_last4", text(&m.member.id_last4)),
            ] {
                values.insert(key.into(), value);
            }
            if m.member.hardship {
                values.insert("hardship".into(), "on".into());
            }
            if m.member.immobile {
                values.insert("immobile".into(), "on".into());
            }
        }
        if let Some(flash) = flash {
            values = flash.values;
        }
        let value = |key: &str| values.get(key).cloned().unwrap_or_default();
        let checked = |key: &str| values.contains_key(key);
        let base = routes::members(ctx.node.id).to_string();
        let cancel = match &existing {
            Some(m) => format!("{base}/{}", m.id),
            None => base.clone(),
        };
        let title = match &existing {
            Some(m) => format!("{} · {}", t(lang, "members.edit"), m.member.name),
            None => t(lang, "members.add"),
        };
        let select = |name: &'static str, choices: Vec<(String, String)>, blank: bool| -> AnyView {
            let current = value(name);
            view! {
                <label for=name>{t(lang, &format!("field.{name}"))}</label>
                <select id=name name=name>
                    {blank.then(|| view! { <option value="">{t(lang, "members.none_selected")}</option> })}
                    {choices
                        .into_iter()
                        .map(|(v, label)| {
                            let selected = v == current;
                            view! { <option value=v selected=selected>{label}</option> }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        };
        let input = |name: &'static str, kind: &'static str, max: &'static str| -> AnyView {
            view! {
                <label for=name>{t(lang, &format!("field.{name}"))}</label>
                <input id=name name=name type=kind maxlength=max value=value(name) />
            }
            .into_any()
        };
        let genders = Gender::ALL
            .iter()
            .map(|g| {
                (
                    g.as_str().to_owned(),
                    t(lang, &format!("gender.{}", g.as_str())),
                )
            })
            .collect();
        let categories = Category::ALL
            .iter()
            .map(|c| {
                (
                    c.as_str().to_owned(),
                    t(lang, &format!("category.{}", c.as_str())),
                )
            })
            .collect();
        let relations = PartyRelation::ALL
            .iter()
            .map(|r| {
                (
                    r.as_str().to_owned(),
                    t(lang, &format!("relation.{}", r.as_str())),
                )
            })
            .collect();
        let standings = PartyStanding::ALL
            .iter()
            .map(|s| {
                (
                    s.as_str().to_owned(),
                    t(lang, &format!("standing.{}", s.as_str())),
                )
            })
            .collect();
        let statuses = Status::ALL
            .iter()
            .map(|s| {
                (
                    s.as_str().to_owned(),
                    t(lang, &format!("status.{}", s.as_str())),
                )
            })
            .collect();
        let fields = vec![
            select("gender", genders, false),
            input("birth_date", "date", "10"),
            input("joined_on", "date", "10"),
            select("category", categories, false),
            select("relation", relations, false),
            select("standing", standings, false),
            select("status", statuses, false),
            input("phone", "tel", "11"),
            select("unit_id", units, true),
            input("building", "text", "32"),
            input("unit_no", "text", "16"),
            input("room", "text", "16"),
            input("employer", "text", "100"),
            input("employer_party_org", "text", "100"),
            input("interests", "text", "500"),
            input("id_last4", "text", "4"),
        ];
        let transfer_in = existing.is_none().then(|| {
            view! {
                <fieldset class="transfer">
                    <legend>{t(lang, "transfers.in_legend")}</legend>
                    <label for="transfer_in_date">{t(lang, "field.transfer_date")}</label>
                    <input id="transfer_in_date" name="transfer_in_date" type="date" value=value("transfer_in_date") />
                    <label for="transfer_in_from">{t(lang, "transfers.from")}</label>
                    <input id="transfer_in_from" name="transfer_in_from" maxlength="100" value=value("transfer_in_from") />
                </fieldset>
            }
        });
        let name_value = value("name");
        let (hardship, immobile) = (checked("hardship"), checked("immobile"));
        Ok(view! {
            <PageHead back=base.clone() kind=t(lang, "members.roster") title=title />
            {error.map(|e| view! { <p class="error" role="alert">{e.message(lang)}</p> })}
            <form method="post" action=crate::members::fns::SaveMember::url() class="card member-form">
                <input type="hidden" name="community" value=ctx.node.id.to_string() />
                <input type="hidden" name="member" value=existing.as_ref().map(|m| m.id.to_string()).unwrap_or_default() />
                <label for="name">{t(lang, "field.full_name")}</label>
                <input id="name" name="name" maxlength="64" required value=name_value />
                {fields}
                <label class="check">
                    <input type="checkbox" name="hardship" checked=hardship />
                    {t(lang, "field.hardship")}
                </label>
                <label class="check">
                    <input type="checkbox" name="immobile" checked=immobile />
                    {t(lang, "field.immobile")}
                </label>
                {transfer_in}
                <div class="buttons">
                    <button type="submit">{t(lang, "members.save")}</button>
                    <a href=cancel>{t(lang, "members.cancel")}</a>
                </div>
            </form>
        }
        .into_any())
    })
}
