//! `/org/:id/members/reporting`: the posts the community offers, and the reports of in-service
//! members (pending first) with the secretary's confirm / decline.
use domain::auth::Role;
use domain::reporting::{self, Post, Report, ReportStatus};
use domain::tenancy::Commit;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::REPORTING_FORM;
use crate::i18n::{t, use_lang};
use crate::page::{on_node, NodeCtx, Outcome, Staff};
use crate::routes;
use crate::shell::{DataTable, PageHead};
use leptos::server_fn::ServerFn as _;

#[component]
pub fn ReportingPage() -> impl IntoView {
    let saved = use_query_map().read_untracked().get("saved").is_some();
    on_node(move |ctx: NodeCtx<Staff>| async move {
        let lang = ctx.lang;
        let tx = ctx.read().await?;
        let posts = reporting::posts(&tx).await?;
        let reports = reporting::reports(&tx).await?;
        let role = tx.role();
        tx.commit().await?;
        let error = crate::state::take_flash(REPORTING_FORM)
            .await
            .map(|f| f.error.message(lang));
        let community = ctx.node.id;
        let keeps = matches!(role, Role::CommunitySecretary | Role::CommunityWorker);
        let decides = role == Role::CommunitySecretary;
        let base = routes::members(community).to_string();
        let year = chrono::Datelike::year(&domain::clock::today());
        Ok(view! {
            <Outcome saved error />
            <PageHead back=base.clone() kind=t(lang, "members.roster") title=t(lang, "reporting.title") />
            <p class="note">{t(lang, "reporting.intro")}</p>
            <p class="actions">
                <a class="button secondary" href=format!("{base}/reporting/feedback?year={year}")>
                    {t(lang, "feedback.title")}
                </a>
            </p>
            <Reports reports community decides base />
            <Posts posts community keeps />
        }
        .into_any())
    })
}

#[component]
fn Reports(reports: Vec<Report>, community: Uuid, decides: bool, base: String) -> impl IntoView {
    let lang = use_lang();
    let pending = reports
        .iter()
        .filter(|r| r.status == ReportStatus::Pending)
        .count();
    let rows = reports
        .into_iter()
        .map(|r| {
            let posts = crate::i18n::names(&r.posts);
            let actions = (decides && r.status == ReportStatus::Pending).then(|| {
                view! {
                    <form method="post" action=crate::reporting::fns::Decide::url() class="inline-form">
                        <input type="hidden" name="community" value=community.to_string() />
                        <input type="hidden" name="member" value=r.member_id.to_string() />
                        <button type="submit" name="decision" value="confirm">
                            {t(lang, "reporting.confirm")}
                        </button>
                    </form>
                    <form method="post" action=crate::reporting::fns::Decide::url() class="inline-form">
                        <input type="hidden" name="community" value=community.to_string() />
                        <input type="hidden" name="member" value=r.member_id.to_string() />
                        <label>
                            <span class="visually-hidden">{t(lang, "field.reason")}</span>
                            <input name="reason" maxlength="200" placeholder=t(lang, "field.reason") />
                        </label>
                        <button type="submit" class="secondary" name="decision" value="decline">
                            {t(lang, "reporting.decline")}
                        </button>
                    </form>
                }
            });
            let status = r.status.as_str();
            view! {
                <tr>
                    <td>
                        <a href=format!("{base}/{}#reporting", r.member_id)>{r.member_name}</a>
                    </td>
                    <td>{r.employer.unwrap_or_default()}</td>
                    <td>{posts}</td>
                    <td>{r.reported_on.to_string()}</td>
                    <td>
                        <span class=format!("badge {status}")>{t(lang, &format!("reporting.{status}"))}</span>
                        {r.reason.map(|reason| view! { <small>" " {reason}</small> })}
                    </td>
                    <td class="no-print">{actions}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section id="reports">
            <h2>{t(lang, "reporting.reports")} " " <small>{t(lang, "reporting.pending_count")} " " {pending}</small></h2>
            <DataTable heads=vec!["field.full_name", "field.employer", "field.posts", "reporting.reported_on", "reporting.status", ""]>{rows}</DataTable>
        </section>
    }
}

#[component]
fn Posts(posts: Vec<Post>, community: Uuid, keeps: bool) -> impl IntoView {
    let lang = use_lang();
    let rows = posts
        .into_iter()
        .map(|post| {
            if !keeps {
                return view! {
                    <li>
                        <strong>{post.name}</strong>
                        " "
                        {post.description.unwrap_or_default()}
                        {(!post.active).then(|| view! { " " <span class="badge">{t(lang, "reporting.inactive")}</span> })}
                    </li>
                }
                .into_any();
            }
            view! {
                <li>
                    <form method="post" action=crate::reporting::fns::SavePost::url() class="inline-form">
                        <input type="hidden" name="community" value=community.to_string() />
                        <input type="hidden" name="post" value=post.id.to_string() />
                        <label>
                            {t(lang, "field.post_name")}
                            <input name="name" required maxlength="50" value=post.name />
                        </label>
                        <label>
                            {t(lang, "field.description")}
                            <input name="description" maxlength="300" value=post.description.unwrap_or_default() />
                        </label>
                        <label class="check">
                            <input type="checkbox" name="active" checked=post.active />
                            {t(lang, "reporting.offered")}
                        </label>
                        <button type="submit" class="secondary">{t(lang, "members.save")}</button>
                    </form>
                </li>
            }
            .into_any()
        })
        .collect_view();
    let add = keeps.then(|| {
        view! {
            <form method="post" action=crate::reporting::fns::SavePost::url() class="inline-form">
                <input type="hidden" name="community" value=community.to_string() />
                <input type="hidden" name="post" value="" />
                <input type="hidden" name="active" value="on" />
                <label>
                    {t(lang, "field.post_name")}
                    <input name="name" required maxlength="50" />
                </label>
                <label>
                    {t(lang, "field.description")}
                    <input name="description" maxlength="300" />
                </label>
                <button type="submit">{t(lang, "reporting.add_post")}</button>
            </form>
        }
    });
    view! {
        <section id="posts">
            <h2>{t(lang, "reporting.posts")}</h2>
            <ul class="plain">{rows}</ul>
            {add}
        </section>
    }
}
