//! Pieces shared by the member page and a member's home page: the report's state and the form
//! that picks posts.
use domain::reporting::{Post, Report, ReportStatus};
use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{t, use_lang};
use leptos::server_fn::ServerFn as _;

/// Where a report stands: status, posts, dates, and the secretary's reason when declined.
#[component]
pub fn ReportSummary(report: Option<Report>) -> impl IntoView {
    let lang = use_lang();
    let Some(report) = report else {
        return view! { <p>{t(lang, "reporting.not_reported")}</p> }.into_any();
    };
    let status = report.status;
    let posts = crate::i18n::names(&report.posts);
    view! {
        <dl class="fields">
            <div>
                <dt>{t(lang, "reporting.status")}</dt>
                <dd>
                    <span class=format!("badge {}", status.as_str())>
                        {t(lang, &format!("reporting.{}", status.as_str()))}
                    </span>
                </dd>
            </div>
            <div>
                <dt>{t(lang, "field.posts")}</dt>
                <dd>{posts}</dd>
            </div>
            <div>
                <dt>{t(lang, "reporting.reported_on")}</dt>
                <dd>{report.reported_on.to_string()}</dd>
            </div>
            {(status == ReportStatus::Declined).then(|| view! {
                <div>
                    <dt>{t(lang, "field.reason")}</dt>
                    <dd>{report.reason.clone().unwrap_or_default()}</dd>
                </div>
            })}
        </dl>
    }
    .into_any()
}

/// Checkboxes for the community's active posts (those already picked are ticked) and a submit
/// button; `member` empty means the signed-in member reports for themself.
#[component]
pub fn PostPicker(
    community: Uuid,
    member: Option<Uuid>,
    posts: Vec<Post>,
    picked: Vec<Uuid>,
    label: String,
) -> impl IntoView {
    let lang = use_lang();
    if posts.is_empty() {
        return view! { <p class="note">{t(lang, "reporting.no_posts")}</p> }.into_any();
    }
    let boxes = posts
        .into_iter()
        .enumerate()
        .map(|(i, post)| {
            view! {
                <label class="check post">
                    <input
                        type="checkbox"
                        name=format!("posts[{i}]")
                        value=post.id.to_string()
                        checked=picked.contains(&post.id)
                    />
                    <span>
                        <strong>{post.name}</strong>
                        {post.description.map(|d| view! { <small>{d}</small> })}
                    </span>
                </label>
            }
        })
        .collect_view();
    view! {
        <form method="post" action=crate::reporting::fns::Report::url() class="post-picker">
            <input type="hidden" name="community" value=community.to_string() />
            <input type="hidden" name="member" value=member.map(|m| m.to_string()).unwrap_or_default() />
            <fieldset>
                <legend>
                    {t(lang, "reporting.pick_posts")}
                    " "
                    <small>{t(lang, "reporting.pick_limit")}</small>
                </legend>
                {boxes}
            </fieldset>
            <button type="submit">{label}</button>
        </form>
    }
    .into_any()
}
