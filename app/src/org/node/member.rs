//! A community's page for one of its members: what to do, their own record and history, and
//! their 双报到 report.
use domain::members::{Category, MemberEvent, MemberRow};
use domain::reporting::{Post, Report};
use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{t, use_lang};
use crate::members::OwnDetailsForm;
use crate::routes;
use crate::shell::LinkButtons;

#[component]
pub(super) fn MemberHome(
    node: Uuid,
    me: Option<Box<MemberRow>>,
    history: Vec<MemberEvent>,
    report: Option<Report>,
    posts: Vec<Post>,
    proposals: Vec<domain::members::Proposal>,
) -> impl IntoView {
    let lang = use_lang();
    let own_details = me.as_ref().map(|me| {
        let m = &me.member;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        view! {
            <OwnDetailsForm
                community=node
                phone=text(&m.phone)
                building=text(&m.building)
                unit_no=text(&m.unit_no)
                room=text(&m.room)
                current_city=String::new()
                proposals
            />
        }
    });
    let in_service = me
        .as_ref()
        .is_some_and(|m| m.member.category == Category::InService);
    view! {
        <LinkButtons links=vec![
            (routes::activities(node), "activities.join_title"),
            (routes::points(node), "points.mine"),
            (routes::needs(node), "needs.wishes"),
        ] />
        <OwnReport in_service report posts community=node />
        <section class="card">
            <h2>{t(lang, "node.me")}</h2>
            {match me {
                Some(me) => view! {
                    <dl>
                        <dt>{t(lang, "node.name")}</dt>
                        <dd>{me.member.name}</dd>
                        <dt>{t(lang, "node.gender")}</dt>
                        <dd>{t(lang, &format!("gender.{}", me.member.gender.as_str()))}</dd>
                        <dt>{t(lang, "field.category")}</dt>
                        <dd>{t(lang, &format!("category.{}", me.member.category.as_str()))}</dd>
                        <dt>{t(lang, "field.status")}</dt>
                        <dd>{t(lang, &format!("status.{}", me.member.status.as_str()))}</dd>
                        <dt>{t(lang, "field.joined_on")}</dt>
                        <dd>{me.member.joined_on.map(|d| d.to_string()).unwrap_or_default()}</dd>
                        <dt>{t(lang, "field.phone")}</dt>
                        <dd>{me.member.phone.clone().unwrap_or_default()}</dd>
                        <dt>{t(lang, "field.employer")}</dt>
                        <dd>{me.member.employer.clone().unwrap_or_default()}</dd>
                    </dl>
                }
                .into_any(),
                None => view! { <p>{t(lang, "node.not_on_roster")}</p> }.into_any(),
            }}
        </section>
        {own_details}
        {(!history.is_empty()).then(|| view! {
            <section>
                <h2>{t(lang, "members.history")}</h2>
                <ol class="history">
                    {history
                        .into_iter()
                        .rev()
                        .map(|e| view! {
                            <li>
                                <time datetime=e.at.to_rfc3339()>{e.at.format("%Y-%m-%d").to_string()}</time>
                                " "
                                {t(lang, &format!("members.event.{}", e.kind))}
                            </li>
                        })
                        .collect_view()}
                </ol>
            </section>
        })}
    }
}

/// 双报到 for the signed-in in-service member: where their report stands and, until the secretary
/// confirms it, the posts to pick.
#[component]
fn OwnReport(
    in_service: bool,
    report: Option<Report>,
    posts: Vec<Post>,
    community: Uuid,
) -> impl IntoView {
    use crate::reporting::{PostPicker, ReportSummary};
    use domain::reporting::ReportStatus;
    let lang = use_lang();
    if !in_service && report.is_none() {
        return None;
    }
    let confirmed = report
        .as_ref()
        .is_some_and(|r| r.status == ReportStatus::Confirmed);
    let picked: Vec<Uuid> = report
        .as_ref()
        .map(|r| r.posts.iter().map(|(id, _)| *id).collect())
        .unwrap_or_default();
    let label = t(
        lang,
        if report.is_some() {
            "reporting.resubmit"
        } else {
            "reporting.submit"
        },
    );
    let picker = (in_service && !confirmed).then(|| {
        view! { <PostPicker community member=None posts picked label /> }
    });
    Some(view! {
        <section id="reporting" class="card">
            <h2>{t(lang, "reporting.title")}</h2>
            <p class="note">{t(lang, "reporting.member_intro")}</p>
            <ReportSummary report />
            {picker}
        </section>
    })
}
