use domain::members::{self, Category, PartyRelation, PartyStanding, Status};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::roster_query;
use crate::i18n::{t, t_with};
use crate::page::{on_node, NodeCtx, Staff};
use crate::routes;
use crate::shell::PageHead;
use leptos::server_fn::ServerFn as _;

const PER_PAGE: u64 = 50;

/// `/org/:id/members`: the roster with search, filters and paging.
#[component]
pub fn RosterPage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let query = roster_query(|key| q.get(key).unwrap_or_default(), PER_PAGE);
    on_node(move |ctx: NodeCtx<Staff>| async move {
        let lang = ctx.lang;
        let members::Roster {
            page: roster,
            units,
        } = members::roster(ctx.db(), &ctx.access.0, &query).await?;
        let keeps = matches!(
            ctx.access.role(),
            domain::auth::Role::CommunitySecretary | domain::auth::Role::CommunityWorker
        );
        let base = routes::members(ctx.node.id).to_string();
        let unit_name = |id: Option<uuid::Uuid>| {
            id.and_then(|id| units.iter().find(|(u, _)| *u == id).map(|(_, n)| n.clone()))
                .unwrap_or_default()
        };
        let pages = roster.total.div_ceil(roster.per_page).max(1);
        let link = |n: u64| {
            let mut params = form_urlencoded::Serializer::new(String::new());
            params.append_pair("page", &n.to_string());
            for (key, value) in [
                ("q", query.search.clone()),
                (
                    "category",
                    query
                        .category
                        .map(|c| c.as_str().to_owned())
                        .unwrap_or_default(),
                ),
                (
                    "relation",
                    query
                        .relation
                        .map(|r| r.as_str().to_owned())
                        .unwrap_or_default(),
                ),
                (
                    "standing",
                    query
                        .standing
                        .map(|s| s.as_str().to_owned())
                        .unwrap_or_default(),
                ),
                (
                    "status",
                    query
                        .status
                        .map(|s| s.as_str().to_owned())
                        .unwrap_or_default(),
                ),
                (
                    "unit",
                    query.unit_id.map(|u| u.to_string()).unwrap_or_default(),
                ),
                (
                    "all",
                    if query.include_transferred {
                        "on".into()
                    } else {
                        String::new()
                    },
                ),
            ] {
                if !value.is_empty() {
                    params.append_pair(key, &value);
                }
            }
            format!("{base}?{}", params.finish())
        };
        let export_link = link(1).replacen(
            &format!("{base}?"),
            &format!("{}?", routes::file(ctx.node.id, "roster.xlsx")),
            1,
        );
        let rows = roster
            .rows
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let address = [&m.building, &m.unit_no, &m.room]
                    .iter()
                    .filter_map(|p| p.as_deref())
                    .collect::<Vec<_>>()
                    .join(" ");
                let pick = keeps.then(|| {
                    view! {
                        <td class="pick no-print">
                            <input
                                type="checkbox"
                                form="move"
                                name=format!("members[{i}]")
                                value=m.id.to_string()
                                aria-label=m.name.clone()
                            />
                        </td>
                    }
                });
                view! {
                    <tr>
                        {pick}
                        <td>
                            <a href=format!("{base}/{}", m.id)>{m.name.clone()}</a>
                        </td>
                        <td>{t(lang, &format!("gender.{}", m.gender.as_str()))}</td>
                        <td>
                            {t(lang, &format!("category.{}", m.category.as_str()))}
                            {(m.relation == PartyRelation::Reporting).then(|| view! {
                                " "
                                <span class="tag">{t(lang, "relation.reporting")}</span>
                            })}
                            {(m.standing == PartyStanding::Probationary).then(|| view! {
                                " "
                                <span class="tag">{t(lang, "standing.probationary")}</span>
                            })}
                        </td>
                        <td>{t(lang, &format!("status.{}", m.status.as_str()))}</td>
                        <td>{unit_name(m.unit_id)}</td>
                        <td class="code">{m.phone.clone().unwrap_or_default()}</td>
                        <td>{address}</td>
                    </tr>
                }
            })
            .collect_view();
        let option = |value: String, label: String, selected: bool| {
            view! { <option value=value selected=selected>{label}</option> }
        };
        let category_options = Category::ALL
            .iter()
            .map(|c| {
                option(
                    c.as_str().into(),
                    t(lang, &format!("category.{}", c.as_str())),
                    query.category == Some(*c),
                )
            })
            .collect_view();
        let relation_options = PartyRelation::ALL
            .iter()
            .map(|r| {
                option(
                    r.as_str().into(),
                    t(lang, &format!("relation.{}", r.as_str())),
                    query.relation == Some(*r),
                )
            })
            .collect_view();
        let standing_options = PartyStanding::ALL
            .iter()
            .map(|s| {
                option(
                    s.as_str().into(),
                    t(lang, &format!("standing.{}", s.as_str())),
                    query.standing == Some(*s),
                )
            })
            .collect_view();
        let status_options = Status::ALL
            .iter()
            .map(|s| {
                option(
                    s.as_str().into(),
                    t(lang, &format!("status.{}", s.as_str())),
                    query.status == Some(*s),
                )
            })
            .collect_view();
        let unit_options = units
            .iter()
            .map(|(id, name)| option(id.to_string(), name.clone(), query.unit_id == Some(*id)))
            .collect_view();
        let move_form = (keeps && !roster.rows.is_empty()).then(|| {
            let targets = units
                .iter()
                .map(|(id, name)| option(id.to_string(), name.clone(), false))
                .collect_view();
            view! {
                <form id="move" method="post" action=crate::members::fns::MoveMembers::url() class="inline-form no-print">
                    <input type="hidden" name="community" value=ctx.node.id.to_string() />
                    <input type="hidden" name="back" value=link(roster.page) />
                    <label>
                        {t(lang, "members.move_to")}
                        <select name="unit">
                            <option value="">{t(lang, "members.none_selected")}</option>
                            {targets}
                        </select>
                    </label>
                    <button type="submit" class="secondary">{t(lang, "members.move")}</button>
                </form>
            }
        });
        let move_error = crate::state::take_flash(super::MOVE_FORM)
            .await
            .map(|f| f.error.message(lang));
        let moved = q.get("moved");
        let prev = (roster.page > 1)
            .then(|| view! { <a href=link(roster.page - 1)>{t(lang, "members.prev")}</a> });
        let next = (roster.page < pages)
            .then(|| view! { <a href=link(roster.page + 1)>{t(lang, "members.next")}</a> });
        let empty = roster.rows.is_empty();
        Ok(view! {
            <PageHead kind=ctx.node.name.clone() title=t(lang, "members.roster") />
            {keeps.then(|| view! {
                <p class="actions">
                    <a class="button" href=format!("{base}/new")>{t(lang, "members.add")}</a>
                    " "
                    <a class="button secondary" href=export_link download>{t(lang, "members.export")}</a>
                    " "
                    <a class="button secondary" href=format!("{base}/import")>{t(lang, "import.title")}</a>
                    " "
                    <a class="button secondary" href=format!("{base}/transfers")>{t(lang, "transfers.title")}</a>
                    " "
                    <a class="button secondary" href=format!("{base}/floating")>{t(lang, "floating.title")}</a>
                    " "
                    <a class="button secondary" href=format!("{base}/care")>{t(lang, "care.title")}</a>
                    " "
                    <a class="button secondary" href=format!("{base}/reporting")>{t(lang, "reporting.title")}</a>
                    " "
                    <a class="button secondary" href=format!("{base}/proposals")>{t(lang, "proposals.title")}</a>
                </p>
            })}
            <form method="get" action=base.clone() class="filters" role="search">
                <label>
                    {t(lang, "members.search")}
                    <input name="q" value=query.search.clone() maxlength="64" />
                </label>
                <label>
                    {t(lang, "field.category")}
                    <select name="category">
                        <option value="">{t(lang, "members.all")}</option>
                        {category_options}
                    </select>
                </label>
                <label>
                    {t(lang, "field.relation")}
                    <select name="relation">
                        <option value="">{t(lang, "members.all")}</option>
                        {relation_options}
                    </select>
                </label>
                <label>
                    {t(lang, "field.standing")}
                    <select name="standing">
                        <option value="">{t(lang, "members.all")}</option>
                        {standing_options}
                    </select>
                </label>
                <label>
                    {t(lang, "field.status")}
                    <select name="status">
                        <option value="">{t(lang, "members.all")}</option>
                        {status_options}
                    </select>
                </label>
                <label>
                    {t(lang, "field.unit_id")}
                    <select name="unit">
                        <option value="">{t(lang, "members.all")}</option>
                        {unit_options}
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" name="all" checked=query.include_transferred />
                    {t(lang, "members.include_transferred")}
                </label>
                <button type="submit">{t(lang, "members.filter")}</button>
            </form>
            {move_error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {moved.map(|n| view! {
                <p class="notice" role="status">
                    {t_with(lang, "members.moved", &[("count", n.parse::<u64>().unwrap_or(0).to_string())])}
                </p>
            })}
            <p class="count" role="status">
                {t_with(lang, "members.total", &[("count", roster.total.to_string())])}
            </p>
            {if empty {
                view! { <p>{t(lang, "members.none")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0">
                        <table>
                            <thead>
                                <tr>
                                    {keeps.then(|| view! {
                                        <th scope="col" class="pick no-print">
                                            <span class="visually-hidden">{t(lang, "members.pick")}</span>
                                        </th>
                                    })}
                                    <th scope="col">{t(lang, "field.full_name")}</th>
                                    <th scope="col">{t(lang, "field.gender")}</th>
                                    <th scope="col">{t(lang, "field.category")}</th>
                                    <th scope="col">{t(lang, "field.status")}</th>
                                    <th scope="col">{t(lang, "members.placement")}</th>
                                    <th scope="col">{t(lang, "field.phone")}</th>
                                    <th scope="col">{t(lang, "members.address")}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
            {move_form}
            <nav class="pager">
                {prev}
                <span>
                    {t_with(lang, "members.page", &[("page", roster.page.to_string()), ("pages", pages.to_string())])}
                </span>
                {next}
            </nav>
        }
        .into_any())
    })
}
