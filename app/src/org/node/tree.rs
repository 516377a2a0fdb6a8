//! A community's organisation: 网格党支部 › 楼栋党小组 › 党员中心户, editable by its staff.
use domain::org::placements::{Placement, PlacementKind};
use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use uuid::Uuid;

use crate::i18n::{t, t_with, use_lang};

/// 网格党支部 › 楼栋党小组 › 党员中心户 as nested lists, with forms to organise them.
#[component]
pub(super) fn UnitTree(units: Vec<Placement>, community: Uuid, can_edit: bool) -> impl IntoView {
    let lang = use_lang();
    let kind_key = |kind: PlacementKind| match kind {
        PlacementKind::GridBranch => "unit.grid_branch",
        PlacementKind::BuildingGroup => "unit.building_group",
        PlacementKind::CentralHousehold => "unit.central_household",
    };
    let child_kind = |kind: PlacementKind| match kind {
        PlacementKind::GridBranch => Some(PlacementKind::BuildingGroup),
        PlacementKind::BuildingGroup => Some(PlacementKind::CentralHousehold),
        PlacementKind::CentralHousehold => None,
    };
    let parent_kind = |kind: PlacementKind| match kind {
        PlacementKind::GridBranch => None,
        PlacementKind::BuildingGroup => Some(PlacementKind::GridBranch),
        PlacementKind::CentralHousehold => Some(PlacementKind::BuildingGroup),
    };
    let labels = domain::org::placements::labels(&units);
    let manage = |u: &Placement| -> Option<AnyView> {
        if !can_edit {
            return None;
        }
        let parents: Vec<(String, String, bool)> = parent_kind(u.kind)
            .map(|pk| {
                units
                    .iter()
                    .filter(|p| p.kind == pk)
                    .map(|p| {
                        let label = labels
                            .iter()
                            .find(|(id, _)| *id == p.id)
                            .map(|(_, l)| l.clone())
                            .unwrap_or_default();
                        (p.id.to_string(), label, Some(p.id) == u.parent_id)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let move_field = (!parents.is_empty()).then(|| {
            view! {
                <label>
                    {t(lang, "units.parent")}
                    <select name="parent">
                        {parents
                            .into_iter()
                            .map(|(id, label, selected)| view! { <option value=id selected=selected>{label}</option> })
                            .collect_view()}
                    </select>
                </label>
            }
        });
        // A branch or group may say when it was founded (meetings owed from then on).
        let founded_field = (u.kind != PlacementKind::CentralHousehold).then(|| {
            let founded = u.founded_on.map(|d| d.to_string()).unwrap_or_default();
            let hint = format!("founded-hint-{}", u.id);
            view! {
                <label>
                    {t(lang, "units.founded")}
                    <input type="date" name="founded" value=founded aria-describedby=hint.clone() />
                </label>
                <p class="hint" id=hint>{t(lang, "units.founded_hint")}</p>
            }
        });
        let add_child = child_kind(u.kind).map(|ck| {
            view! {
                <form method="post" action=crate::org::fns::SavePlacement::url() class="inline-form">
                    <input type="hidden" name="community" value=community.to_string() />
                    <input type="hidden" name="unit" value="" />
                    <input type="hidden" name="kind" value=ck.as_str() />
                    <input type="hidden" name="parent" value=u.id.to_string() />
                    <label>
                        {t(lang, &format!("units.add.{}", ck.as_str()))}
                        <input name="name" maxlength="100" required />
                    </label>
                    <button type="submit" class="secondary">{t(lang, "units.add")}</button>
                </form>
            }
        });
        Some(
            view! {
                <details class="manage">
                    <summary>{t(lang, "units.manage")}</summary>
                    <form method="post" action=crate::org::fns::SavePlacement::url() class="inline-form">
                        <input type="hidden" name="community" value=community.to_string() />
                        <input type="hidden" name="unit" value=u.id.to_string() />
                        <input type="hidden" name="kind" value=u.kind.as_str() />
                        {(parent_kind(u.kind).is_none()).then(|| view! { <input type="hidden" name="parent" value="" /> })}
                        <label>
                            {t(lang, "units.name")}
                            <input name="name" maxlength="100" required value=u.name.clone() />
                        </label>
                        {move_field}
                        {founded_field}
                        <button type="submit" class="secondary">{t(lang, "members.save")}</button>
                    </form>
                    {add_child}
                </details>
            }
            .into_any(),
        )
    };
    let item = |u: &Placement, inner: AnyView| {
        let kind = t(lang, kind_key(u.kind));
        view! {
            <li>
                <span class="unit-name">{u.name.clone()}</span>
                <span class="tag">{kind}</span>
                {u.founded_on.map(|d| view! {
                    <span class="hint">{t_with(lang, "units.founded_on", &[("date", d.to_string())])}</span>
                })}
                {manage(u)}
                {inner}
            </li>
        }
    };
    let children_of = |parent: Option<Uuid>| -> Vec<Placement> {
        units
            .iter()
            .filter(|u| u.parent_id == parent)
            .cloned()
            .collect()
    };
    let branches = children_of(None)
        .iter()
        .map(|branch| {
            let groups = children_of(Some(branch.id))
                .iter()
                .map(|group| {
                    let households = children_of(Some(group.id))
                        .iter()
                        .map(|h| item(h, ().into_any()))
                        .collect_view();
                    item(group, view! { <ul>{households}</ul> }.into_any())
                })
                .collect_view();
            item(branch, view! { <ul>{groups}</ul> }.into_any())
        })
        .collect_view();
    let add_branch = can_edit.then(|| {
        view! {
            <form method="post" action=crate::org::fns::SavePlacement::url() class="inline-form">
                <input type="hidden" name="community" value=community.to_string() />
                <input type="hidden" name="unit" value="" />
                <input type="hidden" name="kind" value="grid_branch" />
                <input type="hidden" name="parent" value="" />
                <label>
                    {t(lang, "units.add.grid_branch")}
                    <input name="name" maxlength="100" required />
                </label>
                <button type="submit" class="secondary">{t(lang, "units.add")}</button>
            </form>
        }
    });
    let empty = units.is_empty();
    view! {
        <section id="units">
            <h2>{t(lang, "node.organisation")}</h2>
            {empty.then(|| view! { <p>{t(lang, "node.no_units")}</p> })}
            {(!empty).then(|| view! { <ul class="tree">{branches}</ul> })}
            {add_branch}
        </section>
    }
}
