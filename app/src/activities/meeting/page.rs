//! `/org/:id/activities/:aid/record`: a branch meeting's 会议记录 — the A4 page to print (the
//! meeting, 应到/实到/请假/缺席 by name, the topic and minutes) and, on screen only, the minutes
//! form and the roll: marks from the start, leave to approve or refuse, finishing after the end.
use std::collections::HashMap;

use domain::activities::{self, Attendance, LeaveState, MeetingRecord, RollEntry};
use domain::tenancy::Commit;
use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::fns;
use crate::activities::{when, ACTIVITY_FORM};
use crate::i18n::{t, t_with, use_lang};
use crate::islands::PrintButton;
use crate::page::{on_node, path_param, Activities, NodeCtx, Outcome};
use crate::routes;
use crate::shell::DataTable;

#[component]
pub fn MeetingRecordPage() -> impl IntoView {
    let activity_id = path_param("aid");
    let saved = use_query_map().read_untracked().get("saved").is_some();
    on_node(move |ctx: NodeCtx<Activities>| async move {
        let lang = ctx.lang;
        let id = domain::validate::parse_id(&activity_id)?;
        let tx = ctx.read().await?;
        let record = activities::meeting_record(&tx, id).await?;
        tx.commit().await?;
        let flash = crate::state::take_flash(ACTIVITY_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let kept = flash.map(|f| f.values);
        let node = ctx.node.id;
        let now = chrono::Utc::now();
        let back = routes::activity(node, id).to_string();
        let open = !record.activity.cancelled;
        Ok(view! {
            <div class="no-print">
                <Outcome saved error />
                <p class="actions">
                    <a class="button secondary" href=back>{t(lang, "record.back")}</a>
                    " "
                    <PrintButton label=t(lang, "record.print") />
                </p>
            </div>
            <RecordSheet record=record.clone() org=ctx.node.name.clone() node />
            {open.then(|| view! { <Photos record=record.clone() node /> })}
            {open.then(|| view! { <MinutesForm record=record.clone() node kept /> })}
            {open.then(|| view! { <Roll record node now /> })}
        }
        .into_any())
    })
}

/// Names joined as a record lists them (`—` for none).
fn names(people: &[&RollEntry], with_reason: bool) -> String {
    if people.is_empty() {
        return "—".to_owned();
    }
    people
        .iter()
        .map(|p| match (&p.leave_reason, with_reason) {
            (Some(reason), true) => format!("{}（{reason}）", p.name),
            _ => p.name.clone(),
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// The A4 会议记录.
#[component]
fn RecordSheet(record: MeetingRecord, org: String, node: Uuid) -> impl IntoView {
    let lang = use_lang();
    let a = &record.activity;
    let present = record.marked(Attendance::Attended);
    let excused = record.marked(Attendance::Excused);
    let absent = record.marked(Attendance::NoShow);
    let unmarked: Vec<&RollEntry> = record
        .roll
        .iter()
        .filter(|r| r.attendance.is_none())
        .collect();
    let counts = t_with(
        lang,
        "record.counts",
        &[
            ("expected", record.roll.len().to_string()),
            ("present", present.len().to_string()),
            ("excused", excused.len().to_string()),
            ("absent", absent.len().to_string()),
        ],
    );
    let minutes = record.minutes.clone();
    let (host, recorder, topic) = match &minutes {
        Some(m) => (m.host.clone(), m.recorder.clone(), m.topic.clone()),
        None => Default::default(),
    };
    let text = match minutes {
        Some(m) => view! { <p class="minutes-text">{m.minutes}</p> }.into_any(),
        None => view! { <p class="error">{t(lang, "record.minutes_missing")}</p> }.into_any(),
    };
    let body = a.branch.as_ref().map(|b| b.1.clone()).unwrap_or_default();
    view! {
        <article class="print-doc meeting-record">
            <h1>{a.title.clone()} <br /> <span class="doc-kind">{t(lang, "record.title")}</span></h1>
            <dl class="meta">
                <div><dt>{t(lang, "record.body")}</dt><dd>{body}</dd></div>
                <div><dt>{t(lang, "field.activity_kind")}</dt><dd>{a.kind.label()}</dd></div>
                <div><dt>{t(lang, "record.time")}</dt><dd>{when(a.starts_at)} " – " {when(a.ends_at)}</dd></div>
                <div><dt>{t(lang, "field.activity_venue")}</dt><dd>{a.venue.clone()}</dd></div>
                <div><dt>{t(lang, "field.meeting_host")}</dt><dd>{host}</dd></div>
                <div><dt>{t(lang, "field.meeting_recorder")}</dt><dd>{recorder}</dd></div>
                <div><dt>{t(lang, "record.attendance")}</dt><dd>{counts}</dd></div>
            </dl>
            <h2>{t(lang, "record.present")}</h2>
            <p>{names(&present, false)}</p>
            <h2>{t(lang, "record.excused")}</h2>
            <p>{names(&excused, true)}</p>
            <h2>{t(lang, "record.absent")}</h2>
            <p>{names(&absent, false)}</p>
            {(!unmarked.is_empty()).then(|| view! {
                <h2>{t(lang, "record.unmarked_people")}</h2>
                <p>{names(&unmarked, false)}</p>
            })}
            <h2>{t(lang, "field.meeting_topic")}</h2>
            <p>{topic}</p>
            <h2>{t(lang, "field.meeting_minutes")}</h2>
            {text}
            {(!record.photos.is_empty()).then(|| {
                let shots = record
                    .photos
                    .iter()
                    .map(|p| {
                        let full = routes::meeting_photo(node, a.id, p.id, false).to_string();
                        let thumb = routes::meeting_photo(node, a.id, p.id, true).to_string();
                        view! {
                            <li>
                                <a href=full>
                                    <img src=thumb alt=p.name.clone() loading="lazy" />
                                </a>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <h2>{t(lang, "record.photos")}</h2>
                    <ul class="photos">{shots}</ul>
                }
            })}
            <p class="sign-off">
                {org} <br />
                {t(lang, "record.signatures")}
            </p>
        </article>
    }
}

#[component]
fn MinutesForm(
    record: MeetingRecord,
    node: Uuid,
    kept: Option<HashMap<String, String>>,
) -> impl IntoView {
    let lang = use_lang();
    let saved = record.minutes.clone();
    let value = move |key: &str| -> String {
        if let Some(kept) = &kept {
            return kept.get(key).cloned().unwrap_or_default();
        }
        let Some(m) = &saved else {
            return String::new();
        };
        match key {
            "host" => m.host.clone(),
            "recorder" => m.recorder.clone(),
            "topic" => m.topic.clone(),
            "minutes" => m.minutes.clone(),
            _ => String::new(),
        }
    };
    view! {
        <section id="minutes" class="no-print">
            <h2>{t(lang, "record.write")}</h2>
            <form method="post" action=fns::SaveMeetingMinutes::url() class="member-form">
                <input type="hidden" name="node" value=node.to_string() />
                <input type="hidden" name="activity" value=record.activity.id.to_string() />
                <label>
                    {t(lang, "field.meeting_host")}
                    <input name="host" required maxlength="20" value=value("host") />
                </label>
                <label>
                    {t(lang, "field.meeting_recorder")}
                    <input name="recorder" required maxlength="20" value=value("recorder") />
                </label>
                <label>
                    {t(lang, "field.meeting_topic")}
                    <input name="topic" required maxlength="200" value=value("topic") />
                </label>
                <label>
                    {t(lang, "field.meeting_minutes")}
                    <textarea name="minutes" required rows="12" maxlength=activities::MINUTES_MAX.to_string()>
                        {value("minutes")}
                    </textarea>
                </label>
                <div class="buttons">
                    <button type="submit">{t(lang, "members.save")}</button>
                </div>
            </form>
        </section>
    }
}

/// A small form posting one action about one person on the roll.
fn roll_button(
    action: &'static str,
    node: Uuid,
    activity: Uuid,
    person: &RollEntry,
    field: &'static str,
    value: &'static str,
    label: String,
) -> impl IntoView {
    let aria = format!("{} {label}", person.name);
    view! {
        <form method="post" action=action class="inline">
            <input type="hidden" name="node" value=node.to_string() />
            <input type="hidden" name="activity" value=activity.to_string() />
            <input type="hidden" name="member" value=person.member_id.to_string() />
            <button type="submit" class="secondary" name=field value=value
                aria-label=aria>
                {label}
            </button>
        </form>
    }
}

#[component]
fn Roll(record: MeetingRecord, node: Uuid, now: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    let lang = use_lang();
    let a = record.activity.clone();
    let started = now >= a.starts_at;
    let pending = record.leave_pending();
    let rows = record
        .roll
        .iter()
        .map(|p| {
            let mark = p
                .attendance
                .map(|m| t(lang, &format!("roll_mark.{}", m.as_str())))
                .unwrap_or_else(|| t(lang, "record.unmarked"));
            let leave = p.leave.map(|l| {
                let reason = p.leave_reason.clone().unwrap_or_default();
                format!(
                    "{}：{reason}",
                    t(lang, &format!("leave_state.{}", l.as_str()))
                )
            });
            let marks = started.then(|| {
                Attendance::ALL
                    .iter()
                    .filter(|m| Some(**m) != p.attendance)
                    .map(|m| {
                        roll_button(
                            fns::MarkRoll::url(),
                            node,
                            a.id,
                            p,
                            "mark",
                            m.as_str(),
                            t(lang, &format!("roll_mark.{}", m.as_str())),
                        )
                    })
                    .collect_view()
            });
            let decisions = p.leave.map(|state| {
                [
                    (LeaveState::Approved, "approve", "record.approve"),
                    (LeaveState::Refused, "refuse", "record.refuse"),
                ]
                .into_iter()
                .filter(|(to, _, _)| *to != state)
                .map(|(_, decision, label)| {
                    roll_button(
                        fns::DecideLeave::url(),
                        node,
                        a.id,
                        p,
                        "decision",
                        decision,
                        t(lang, label),
                    )
                })
                .collect_view()
            });
            view! {
                <tr>
                    <td>{p.name.clone()}</td>
                    <td>{mark}</td>
                    <td>{leave}</td>
                    <td>{marks} {decisions}</td>
                </tr>
            }
        })
        .collect_view();
    let finish = (now >= a.ends_at).then(|| {
        view! {
            <form method="post" action=fns::FinishRoll::url() class="inline">
                <input type="hidden" name="node" value=node.to_string() />
                <input type="hidden" name="activity" value=a.id.to_string() />
                <button type="submit" class="secondary">{t(lang, "record.finish")}</button>
            </form>
        }
    });
    view! {
        <section id="roll" class="no-print">
            <h2>{t_with(lang, "record.roll", &[("n", record.roll.len().to_string())])}</h2>
            <p class="hint">{t(lang, "record.roll_hint")}</p>
            {(pending > 0).then(|| view! {
                <p class="notice">{t_with(lang, "record.leave_pending", &[("n", pending.to_string())])}</p>
            })}
            {finish}
            <DataTable heads=vec!["field.full_name", "record.mark", "record.leave", ""]>{rows}</DataTable>
        </section>
    }
}

/// Adding photos (a few, each a JPG, PNG or WebP of at most 10 MB) and taking them off.
#[component]
fn Photos(record: MeetingRecord, node: Uuid) -> impl IntoView {
    let lang = use_lang();
    let id = record.activity.id;
    let room = activities::PHOTOS_MAX.saturating_sub(record.photos.len());
    let taken_off = record
        .photos
        .iter()
        .map(|p| {
            let label = format!("{} {}", t(lang, "record.remove_photo"), p.name);
            view! {
                <li>
                    {p.name.clone()} " "
                    <form method="post" action=fns::RemoveMeetingPhoto::url() class="inline">
                        <input type="hidden" name="node" value=node.to_string() />
                        <input type="hidden" name="activity" value=id.to_string() />
                        <input type="hidden" name="photo" value=p.id.to_string() />
                        <button type="submit" class="secondary" aria-label=label>
                            {t(lang, "record.remove_photo")}
                        </button>
                    </form>
                </li>
            }
        })
        .collect_view();
    view! {
        <section id="photos" class="no-print">
            <h2>{t(lang, "record.photos")}</h2>
            <ul class="plain">{taken_off}</ul>
            {(room > 0).then(|| view! {
                <form method="post" enctype="multipart/form-data"
                    action=routes::meeting_photos(node, id).to_string() class="member-form">
                    <label for="meeting-photos">{t(lang, "record.add_photos")}</label>
                    <input id="meeting-photos" type="file" name="photos" multiple required
                        accept="image/jpeg,image/png,image/webp" />
                    <p class="hint">
                        {t_with(lang, "record.photos_hint", &[("n", room.to_string())])}
                    </p>
                    <div class="buttons">
                        <button type="submit">{t(lang, "record.upload")}</button>
                    </div>
                </form>
            })}
        </section>
    }
}
