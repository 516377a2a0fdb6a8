//! The activity form, for publishing and for changing one.
use domain::activities::Choices;
use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{t, use_lang};
use leptos::server_fn::ServerFn as _;

/// `value` gives each field's current text (kept after a refusal, or the activity's own);
/// `choices` are what the organiser may pick (`activities::choices`).
#[component]
pub(super) fn ActivityForm(
    node: Uuid,
    activity: Option<Uuid>,
    value: Box<dyn Fn(&str) -> String + Send>,
    choices: Choices,
    submit: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let kind = value("kind");
    let audience = value("audience");
    let branch = value("branch");
    let group = value("group");
    let team = value("team");
    let kinds = choices
        .kinds
        .iter()
        .map(
            |k| view! { <option value=k.as_str() selected=kind == k.as_str()>{k.label()}</option> },
        )
        .collect_view();
    let audiences = choices
        .audiences
        .iter()
        .map(|a| {
            view! {
                <option value=a.as_str() selected=audience == a.as_str()>
                    {t(lang, &format!("audience.{}", a.as_str()))}
                </option>
            }
        })
        .collect_view();
    let teams = choices
        .teams
        .into_iter()
        .map(|(id, name)| {
            let selected = team == id.to_string();
            view! { <option value=id.to_string() selected=selected>{name}</option> }
        })
        .collect_view();
    let branches = choices
        .branches
        .into_iter()
        .map(|(id, name)| {
            let selected = branch == id.to_string();
            view! { <option value=id.to_string() selected=selected>{name}</option> }
        })
        .collect_view();
    let groups = choices
        .groups
        .into_iter()
        .map(|(id, name)| {
            let selected = group == id.to_string();
            view! { <option value=id.to_string() selected=selected>{name}</option> }
        })
        .collect_view();
    let field = |name: &'static str, label: &'static str, kind: &'static str, required: bool| {
        let id = format!("activity-{name}");
        view! {
            <label for=id.clone()>{t(lang, label)}</label>
            <input id=id name=name type=kind required=required value=value(name) />
        }
    };
    view! {
        <form method="post" action=crate::activities::fns::SaveActivity::url() class="member-form">
            <input type="hidden" name="node" value=node.to_string() />
            <input type="hidden" name="activity" value=activity.map(|a| a.to_string()).unwrap_or_default() />
            <label for="activity-kind">{t(lang, "field.activity_kind")}</label>
            <select id="activity-kind" name="kind">{kinds}</select>
            {field("title", "field.activity_title", "text", true)}
            <label for="activity-description">{t(lang, "field.activity_description")}</label>
            <textarea id="activity-description" name="description" rows="3" maxlength="2000">
                {value("description")}
            </textarea>
            {field("venue", "field.activity_venue", "text", true)}
            {field("starts_at", "field.starts_at", "datetime-local", true)}
            {field("ends_at", "field.ends_at", "datetime-local", true)}
            {field("capacity", "field.capacity", "number", false)}
            <p class="hint">{t(lang, "activities.capacity_hint")}</p>
            {field("signup_opens_at", "field.signup_opens_at", "datetime-local", false)}
            {field("signup_closes_at", "field.signup_closes_at", "datetime-local", false)}
            <p class="hint">{t(lang, "activities.window_hint")}</p>
            <label for="activity-audience">{t(lang, "field.audience")}</label>
            <select id="activity-audience" name="audience">{audiences}</select>
            <label for="activity-branch">{t(lang, "field.branch_audience")}</label>
            <select id="activity-branch" name="branch">
                <option value="">{t(lang, "activities.no_branch")}</option>
                {branches}
            </select>
            <label for="activity-group">{t(lang, "field.group")}</label>
            <select id="activity-group" name="group">
                <option value="">{t(lang, "activities.no_group")}</option>
                {groups}
            </select>
            <p class="hint">{t(lang, "activities.group_hint")}</p>
            {field("points", "field.points", "number", false)}
            {field("volunteer_hours", "field.volunteer_hours", "text", false)}
            <label for="activity-team">{t(lang, "field.team")}</label>
            <select id="activity-team" name="team">
                <option value="">{t(lang, "volunteers.no_team")}</option>
                {teams}
            </select>
            <p class="hint">{t(lang, "volunteers.team_hint")}</p>
            <div class="buttons">
                <button type="submit">{t(lang, submit)}</button>
            </div>
        </form>
    }
}
