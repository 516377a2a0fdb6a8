//! `/org/:id/activities`: a member's activities to join (phone first), or the staff's list and
//! the publish form.
use domain::activities::{self, Activity, SignupState};
use domain::auth::Role;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::form::ActivityForm;
use super::{when, ACTIVITY_FORM};
use crate::i18n::{t, t_with, use_lang, Lang};
use crate::page::{on_node, Activities, NodeCtx, Outcome};
use crate::routes;
use crate::shell::{list_table, PageHead};
use domain::activities::Choices;
use leptos::server_fn::ServerFn as _;

/// The member's own standing: 已报名, 候补第 N 位, or the activity was cancelled.
pub(super) fn standing(lang: Lang, a: &Activity) -> Option<(String, &'static str)> {
    if a.cancelled {
        return Some((t(lang, "activities.cancelled"), "declined"));
    }
    let mine = a.mine?;
    Some(match (mine.state, mine.position) {
        (SignupState::Waitlisted, Some(n)) => (
            t_with(lang, "activities.waitlisted_at", &[("n", n.to_string())]),
            "pending",
        ),
        _ => (t(lang, "activities.signed_up"), "confirmed"),
    })
}

/// Seats as shown: `12/50`, or the count alone when unlimited.
pub(super) fn seats(lang: Lang, a: &Activity) -> String {
    let taken = match a.capacity {
        Some(c) => format!("{}/{c}", a.confirmed),
        None => format!("{} · {}", a.confirmed, t(lang, "activities.unlimited")),
    };
    match a.waitlisted {
        0 => taken,
        n => format!(
            "{taken} · {}",
            t_with(lang, "activities.waiting", &[("n", n.to_string())])
        ),
    }
}

#[component]
pub fn ActivitiesPage() -> impl IntoView {
    // Staff: which page of the past activities (0: the coming ones and the latest past ones).
    let past: u64 = use_query_map()
        .read_untracked()
        .get("past")
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    on_node(move |ctx: NodeCtx<Activities>| async move {
        let lang = ctx.lang;
        let now = chrono::Utc::now();
        let member = ctx.access.role() == Role::Member;
        let (list, older, choices, attend) = if member {
            let list = activities::member_activities(&ctx.state.db, &ctx.access.0, now).await?;
            (list, false, Choices::default(), 0)
        } else {
            let page = activities::organiser_page(&ctx.state.db, &ctx.access.0, now, past).await?;
            (
                page.list.activities,
                page.list.older,
                page.choices,
                page.attend,
            )
        };
        let flash = crate::state::take_flash(ACTIVITY_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let kept = flash.map(|f| f.values).unwrap_or_default();
        let (name, node) = (ctx.node.name, ctx.node.id);
        let body = if member {
            view! { <MemberList list node now /> }.into_any()
        } else {
            // A new activity starts with the community's points for attending.
            let value = move |key: &str| match kept.get(key) {
                Some(typed) => typed.clone(),
                None if key == "points" => attend.to_string(),
                None => String::new(),
            };
            view! {
                <StaffList list node now />
                <PastPager node past older />
                <section id="new">
                    <h2>{t(lang, "activities.publish")}</h2>
                    <ActivityForm node activity=None value=Box::new(value) choices submit="activities.publish" />
                </section>
            }
            .into_any()
        };
        Ok(view! {
            <Outcome error />
            <PageHead kind=name title=t(lang, "activities.title") />
            {body}
        }
        .into_any())
    })
}

/// Links to newer and older past activities on the staff's list.
#[component]
fn PastPager(node: Uuid, past: u64, older: bool) -> impl IntoView {
    let lang = use_lang();
    let page = |n: u64| match n {
        0 => routes::activities(node).to_string(),
        n => format!("{}?past={n}", routes::activities(node)),
    };
    let newer = (past > 0).then(|| {
        view! { <a href=page(past - 1)>{t(lang, "activities.newer")}</a> }
    });
    let older = older.then(|| {
        view! { <a href=page(past + 1)>{t(lang, "activities.older")}</a> }
    });
    (past > 0 || older.is_some()).then(|| view! { <nav class="pager">{newer} {older}</nav> })
}

#[component]
fn MemberList(
    list: Vec<Activity>,
    node: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> impl IntoView {
    let lang = use_lang();
    if list.is_empty() {
        return view! { <p>{t(lang, "activities.none_open")}</p> }.into_any();
    }
    list.into_iter()
        .map(|a| {
            let standing = standing(lang, &a).map(|(text, class)| {
                view! { <span class=format!("badge {class}")>{text}</span> " " }
            });
            let join = (a.mine.is_none() && a.open_at(now)).then(|| {
                let label = if a.seats_left() == Some(0) { "activities.join_waitlist" } else { "activities.join" };
                view! {
                    <form method="post" action=crate::activities::fns::SignUp::url() class="inline">
                        <input type="hidden" name="node" value=node.to_string() />
                        <input type="hidden" name="activity" value=a.id.to_string() />
                        <button type="submit" name="action" value="join">{t(lang, label)}</button>
                    </form>
                }
            });
            view! {
                <article class="card activity">
                    <h2><a href=routes::activity(node, a.id).to_string()>{a.title.clone()}</a></h2>
                    <p>{standing} {a.kind.label()} " · " {when(a.starts_at)} " · " {a.venue.clone()}</p>
                    <p>{t(lang, "activities.seats")} "：" {seats(lang, &a)}</p>
                    {join}
                </article>
            }
        })
        .collect_view()
        .into_any()
}

#[component]
fn StaffList(list: Vec<Activity>, node: Uuid, now: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    let lang = use_lang();
    list_table(
        vec![
            "field.starts_at",
            "field.activity_title",
            "field.activity_kind",
            "#activities.seats",
            "activities.status",
        ],
        "activities.none",
        list,
        |a| {
            let status = if a.cancelled {
                ("activities.cancelled", "declined")
            } else if a.ends_at <= now {
                ("activities.ended", "confirmed")
            } else if a.open_at(now) {
                ("activities.open", "pending")
            } else {
                ("activities.not_open", "pending")
            };
            view! {
                <tr>
                    <td>{when(a.starts_at)}</td>
                    <td>
                        <a href=routes::activity(node, a.id).to_string()>{a.title.clone()}</a>
                        {(a.leave_asked > 0 && !a.cancelled).then(|| view! {
                            " "
                            <a class="tag" href=routes::meeting_record(node, a.id).at("roll").to_string()>
                                {t_with(lang, "activities.leave_asked", &[("n", a.leave_asked.to_string())])}
                            </a>
                        })}
                    </td>
                    <td>{a.kind.label()}</td>
                    <td class="num">{seats(lang, &a)}</td>
                    <td><span class=format!("badge {}", status.1)>{t(lang, status.0)}</span></td>
                </tr>
            }
        },
    )
}
