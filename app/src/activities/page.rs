//! `/org/:id/activities/:aid`: one activity. A member joins or leaves and adds it to their
//! calendar; staff see the signup list, sign members up (代报名), edit and cancel.
use domain::activities::{self, Activity, Attendance, LeaveState, MyRoll, SignupRow, SignupState};
use domain::auth::Role;
use domain::tenancy::Commit;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::form::ActivityForm;
use super::live::{Mine, Seats};
use super::{field_time, when, ACTIVITY_FORM};
use crate::i18n::{t, use_lang};
use crate::islands::{SignupBox, SignupSetup, SignupTexts};
use crate::page::{on_node, path_param, Activities, NodeCtx, Outcome};
use crate::routes;
use crate::shell::DataTable;
use domain::activities::Choices;
use leptos::server_fn::ServerFn as _;

/// What staff see beyond the activity.
struct StaffView {
    signups: Vec<SignupRow>,
    /// Members matching the 代报名 search (id, name).
    found: Vec<(Uuid, String)>,
    choices: Choices,
    /// 代报名 and withdrawals: the community's staff, not a paired unit's liaison.
    enrols: bool,
}

#[component]
pub fn ActivityPage() -> impl IntoView {
    let activity_id = path_param("aid");
    let query = use_query_map().read_untracked().clone();
    let saved = query.get("saved").is_some();
    let who = query.get("who").unwrap_or_default();
    // The QR code on the check-in screen opens this page with the code filled in.
    let code = query.get("code").unwrap_or_default();
    on_node(move |ctx: NodeCtx<Activities>| async move {
        let lang = ctx.lang;
        let now = chrono::Utc::now();
        let id = domain::validate::parse_id(&activity_id)?;
        let (activity, staff, roll) = match ctx.access.role() {
            Role::Member => {
                let activity =
                    activities::member_activity(&ctx.state.db, &ctx.access.0, id, now).await?;
                let roll = match activity.meeting {
                    true => {
                        let tx = ctx.read().await?;
                        let mine = activities::my_roll(&tx, id).await?;
                        tx.commit().await?;
                        mine
                    }
                    false => None,
                };
                (activity, None, roll)
            }
            _ => {
                let tx = ctx.read().await?;
                let (activity, signups) = activities::with_signups(&tx, id).await?;
                let enrols = ctx.access.role() != Role::UnitLiaison;
                let found = match who.trim() {
                    _ if !enrols => Vec::new(),
                    "" => Vec::new(),
                    search => domain::members::lookup(&tx, search).await?,
                };
                let staff = StaffView {
                    signups,
                    found,
                    choices: activities::choices(&tx).await?,
                    enrols,
                };
                tx.commit().await?;
                (activity, Some(staff), None)
            }
        };
        let flash = crate::state::take_flash(ACTIVITY_FORM).await;
        let error = flash.as_ref().map(|f| f.error.message(lang));
        let kept = flash.map(|f| f.values);
        let node = ctx.node.id;
        let kept_reason = kept
            .as_ref()
            .and_then(|k| k.get("reason").cloned())
            .unwrap_or_default();
        let body = match staff {
            None => view! {
                {activity.meeting.then(|| view! {
                    <OnTheRoll activity=activity.clone() node now roll=roll.clone() reason=kept_reason />
                })}
                <MemberActions activity=activity.clone() node now code on_roll=roll.is_some() />
            }
            .into_any(),
            Some(staff) => {
                view! { <StaffActions activity=activity.clone() node staff kept who now /> }
                    .into_any()
            }
        };
        // A meeting's roll is its branch's roster: no seats to take.
        let live = (!activity.meeting).then(|| {
            live_seats(
                lang,
                &activity,
                node,
                now,
                ctx.access.role() == Role::Member,
            )
        });
        Ok(view! {
            <Outcome saved error />
            <Summary activity node />
            {live}
            {body}
        }
        .into_any())
    })
}

/// The seats, live, and for a member their place with join and leave answered in place.
fn live_seats(
    lang: crate::i18n::Lang,
    a: &Activity,
    node: Uuid,
    now: chrono::DateTime<chrono::Utc>,
    member: bool,
) -> impl IntoView {
    let mine = match a.mine {
        None => Mine::Out,
        Some(m) => match (m.state, m.position) {
            (SignupState::Waitlisted, Some(n)) => Mine::Waitlisted(n),
            (SignupState::Waitlisted, None) => Mine::Waitlisted(1),
            _ => Mine::Confirmed,
        },
    };
    let seats = Seats {
        capacity: a.capacity,
        confirmed: a.confirmed,
        waitlisted: a.waitlisted,
        cancelled: a.cancelled,
        mine,
    };
    let setup = SignupSetup {
        node: node.to_string(),
        activity: a.id.to_string(),
        post_to: crate::activities::fns::SignUp::url().to_owned(),
        // Once it has started (or was cancelled) its seats no longer change: nothing to follow.
        live: if !a.cancelled && now < a.starts_at {
            routes::activity_live(node, a.id).to_string()
        } else {
            String::new()
        },
        member,
        open: a.open_at(now),
        may_leave: now < a.starts_at,
    };
    view! { <SignupBox setup seats texts=SignupTexts::new(lang) /> }
}

#[component]
fn Summary(activity: Activity, node: Uuid) -> impl IntoView {
    let lang = use_lang();
    let a = activity;
    let audience = match &a.branch {
        Some((_, name)) => format!(
            "{}（{name}）",
            t(lang, &format!("audience.{}", a.audience.as_str()))
        ),
        None => t(lang, &format!("audience.{}", a.audience.as_str())),
    };
    let hours = (a.volunteer_minutes > 0).then(|| {
        view! {
            <div>
                <dt>{t(lang, "field.volunteer_hours")}</dt>
                <dd>{format!("{}", f64::from(a.volunteer_minutes) / 60.0)}</dd>
            </div>
        }
    });
    view! {
        <header class="page-head">
            <p class="kind">
                <a href=routes::activities(node).to_string()>{t(lang, "activities.title")}</a>
                " · " {a.kind.label()}
                {a.by_unit.then(|| view! { " · " {t(lang, "activities.by_unit")} })}
            </p>
            <h1>{a.title.clone()}</h1>
        </header>
        <dl class="fields card">
            <div><dt>{t(lang, "field.starts_at")}</dt><dd>{when(a.starts_at)}</dd></div>
            <div><dt>{t(lang, "field.ends_at")}</dt><dd>{when(a.ends_at)}</dd></div>
            <div><dt>{t(lang, "field.activity_venue")}</dt><dd>{a.venue.clone()}</dd></div>
            <div>
                <dt>{t(lang, "activities.window")}</dt>
                <dd>{when(a.signup_opens_at)} " – " {when(a.signup_closes_at)}</dd>
            </div>
            <div><dt>{t(lang, "field.audience")}</dt><dd>{audience}</dd></div>
            <div><dt>{t(lang, "field.points")}</dt><dd>{a.points}</dd></div>
            {hours}
            {a.team.clone().map(|(_, name)| view! { <div><dt>{t(lang, "field.team")}</dt><dd>{name}</dd></div> })}
        </dl>
        {a.description.clone().map(|d| view! { <p class="minutes-text">{d}</p> })}
    }
}

#[component]
fn MemberActions(
    activity: Activity,
    node: Uuid,
    now: chrono::DateTime<chrono::Utc>,
    code: String,
    /// On a meeting's roll (they check in without signing up).
    on_roll: bool,
) -> impl IntoView {
    let lang = use_lang();
    let a = activity;
    let confirmed = on_roll || a.mine.is_some_and(|m| m.state == SignupState::Confirmed);
    let attended = a.mine.and_then(|m| m.attendance) == Some(Attendance::Attended);
    let check_in = match (confirmed && a.check_in_open(now), attended) {
        (_, true) => Some(view! { <p><span class="badge confirmed">{t(lang, "checkin.done")}</span></p> }.into_any()),
        (true, false) => Some(
            view! {
                <form method="post" action=crate::activities::fns::CheckIn::url() class="inline-form checkin-form">
                    <input type="hidden" name="node" value=node.to_string() />
                    <input type="hidden" name="activity" value=a.id.to_string() />
                    <label>
                        {t(lang, "checkin.code")}
                        <input name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6"
                            required value=code />
                    </label>
                    <button type="submit">{t(lang, "checkin.submit")}</button>
                </form>
            }
            .into_any(),
        ),
        _ => None,
    };
    view! {
        {check_in}
        <p class="actions">
            <a class="button secondary" href=routes::file(node, format!("calendar/{}.ics", a.id)).to_string()>
                {t(lang, "activities.add_to_calendar")}
            </a>
        </p>
    }
}

#[component]
fn StaffActions(
    activity: Activity,
    node: Uuid,
    staff: StaffView,
    kept: Option<std::collections::HashMap<String, String>>,
    who: String,
    now: chrono::DateTime<chrono::Utc>,
) -> impl IntoView {
    let lang = use_lang();
    let a = activity;
    let id = a.id;
    let started = now >= a.starts_at;
    let rows = staff
        .signups
        .into_iter()
        .map(|s| {
            let state = match (s.state, s.position) {
                (SignupState::Waitlisted, Some(n)) => {
                    crate::i18n::t_with(lang, "activities.waitlisted_at", &[("n", n.to_string())])
                }
                _ => t(lang, "activities.signed_up"),
            };
            let marks = (started && s.state == SignupState::Confirmed).then(|| {
                Attendance::ALL
                    .iter()
                    .filter(|m| Some(**m) != s.attendance)
                    .map(|m| {
                        view! {
                            <form method="post" action=crate::activities::fns::MarkAttendance::url() class="inline">
                                <input type="hidden" name="node" value=node.to_string() />
                                <input type="hidden" name="activity" value=id.to_string() />
                                <input type="hidden" name="signup" value=s.id.to_string() />
                                <button type="submit" class="secondary" name="mark" value=m.as_str()
                                    aria-label=format!("{} {}", s.name, t(lang, &format!("attendance.{}", m.as_str())))>
                                    {t(lang, &format!("attendance.{}", m.as_str()))}
                                </button>
                            </form>
                        }
                    })
                    .collect_view()
            });
            let attendance = s
                .attendance
                .map(|m| t(lang, &format!("attendance.{}", m.as_str())))
                .unwrap_or_default();
            let withdraw = (staff.enrols && !started).then(|| {
                view! {
                    <form method="post" action=crate::activities::fns::Withdraw::url() class="inline">
                        <input type="hidden" name="node" value=node.to_string() />
                        <input type="hidden" name="activity" value=id.to_string() />
                        <input type="hidden" name="signup" value=s.id.to_string() />
                        <button type="submit" class="secondary">{t(lang, "activities.withdraw")}</button>
                    </form>
                }
            });
            view! {
                <tr>
                    <td>{s.name.clone()}</td>
                    <td>{state} {s.on_behalf.then(|| format!(" · {}", t(lang, "activities.on_behalf")))}</td>
                    <td>{when(s.signed_up_at)}</td>
                    <td>{attendance}</td>
                    <td class="no-print">
                        {marks}
                        {withdraw}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let found = staff
        .found
        .into_iter()
        .map(|(member, name)| {
            view! {
                <li>
                    {name.clone()} " "
                    <form method="post" action=crate::activities::fns::SignUpFor::url() class="inline">
                        <input type="hidden" name="node" value=node.to_string() />
                        <input type="hidden" name="activity" value=id.to_string() />
                        <input type="hidden" name="member" value=member.to_string() />
                        <button type="submit" aria-label=format!("{} {name}", t(lang, "activities.sign_up_for"))>
                            {t(lang, "activities.sign_up_for")}
                        </button>
                    </form>
                </li>
            }
        })
        .collect_view();
    let editable = !a.cancelled && a.ends_at > now;
    let current = a.clone();
    let value = move |key: &str| {
        if let Some(kept) = &kept {
            return kept.get(key).cloned().unwrap_or_default();
        }
        let c = &current;
        match key {
            "kind" => c.kind.as_str().to_owned(),
            "title" => c.title.clone(),
            "description" => c.description.clone().unwrap_or_default(),
            "venue" => c.venue.clone(),
            "starts_at" => field_time(c.starts_at),
            "ends_at" => field_time(c.ends_at),
            "capacity" => c.capacity.map(|n| n.to_string()).unwrap_or_default(),
            "signup_opens_at" => field_time(c.signup_opens_at),
            "signup_closes_at" => field_time(c.signup_closes_at),
            "audience" => c.audience.as_str().to_owned(),
            "branch" => c
                .branch
                .as_ref()
                .map(|b| b.0.to_string())
                .unwrap_or_default(),
            "points" => c.points.to_string(),
            "volunteer_hours" => format!("{}", f64::from(c.volunteer_minutes) / 60.0),
            "team" => c.team.as_ref().map(|t| t.0.to_string()).unwrap_or_default(),
            "group" => c.group.map(|g| g.to_string()).unwrap_or_default(),
            _ => String::new(),
        }
    };
    let manage = editable.then(|| {
        view! {
            <details class="manage" id="edit">
                <summary>{t(lang, "activities.edit")}</summary>
                <ActivityForm node activity=Some(id) value=Box::new(value) choices=staff.choices submit="members.save" />
            </details>
            <form method="post" action=crate::activities::fns::CancelActivity::url() class="inline">
                <input type="hidden" name="node" value=node.to_string() />
                <input type="hidden" name="activity" value=id.to_string() />
                <button type="submit" class="secondary">{t(lang, "activities.cancel")}</button>
            </form>
        }
    });
    let code_link = (!a.cancelled && a.check_in_open(now)).then(|| {
        view! {
            <p class="actions">
                <a class="button" href=routes::check_in_code(node, id).to_string()>{t(lang, "checkin.show_code")}</a>
            </p>
        }
    });
    let finish = (!a.cancelled && now >= a.ends_at).then(|| {
        view! {
            <form method="post" action=crate::activities::fns::FinishAttendance::url() class="inline no-print">
                <input type="hidden" name="node" value=node.to_string() />
                <input type="hidden" name="activity" value=id.to_string() />
                <button type="submit" class="secondary">{t(lang, "checkin.finish")}</button>
            </form>
        }
    });
    if a.meeting {
        // A branch meeting: its roll, marks and leave are on its record page.
        return view! {
            {code_link}
            <section id="signups">
                <h2>{t(lang, "record.title")}</h2>
                <p class="hint">{t(lang, "record.roll_hint")}</p>
                <p class="actions">
                    <a class="button" href=routes::meeting_record(node, id).to_string()>{t(lang, "record.open")}</a>
                </p>
            </section>
            {manage}
        }
        .into_any();
    }
    view! {
        {code_link}
        <section id="signups">
            <h2>{t(lang, "activities.signups")}</h2>
            {finish}
            <DataTable heads=vec!["field.full_name", "activities.status", "activities.signed_up_at", "checkin.attendance", ""]>{rows}</DataTable>
            {(staff.enrols && editable && a.open_at(now)).then(|| view! {
                <form method="get" class="filters no-print">
                    <label>
                        {t(lang, "activities.find_member")}
                        <input name="who" value=who maxlength="20" />
                    </label>
                    <button type="submit" class="secondary">{t(lang, "members.filter")}</button>
                </form>
                <ul class="plain">{found}</ul>
            })}
        </section>
        {manage}
    }
    .into_any()
}

/// A member's place on a meeting's roll: whether they are expected, their mark, and 请假.
#[component]
fn OnTheRoll(
    activity: Activity,
    node: Uuid,
    now: chrono::DateTime<chrono::Utc>,
    roll: Option<MyRoll>,
    reason: String,
) -> impl IntoView {
    let lang = use_lang();
    let Some(mine) = roll else {
        return view! { <p class="hint" id="leave">{t(lang, "record.not_on_roll")}</p> }.into_any();
    };
    let status = mine
        .attendance
        .map(|m| t(lang, &format!("roll_mark.{}", m.as_str())));
    let leave = mine.leave.map(|l| {
        format!(
            "{}：{}",
            t(lang, &format!("leave_state.{}", l.as_str())),
            mine.leave_reason.clone().unwrap_or_default()
        )
    });
    let may_ask = !activity.cancelled
        && now < activity.ends_at
        && mine.attendance != Some(Attendance::Attended)
        && mine.leave.is_none_or(|l| l == LeaveState::Asked);
    let may_withdraw = !activity.cancelled
        && domain::activities::may_withdraw(
            mine.leave,
            mine.attendance,
            activity.starts_at,
            activity.ends_at,
            now,
        );
    let reason = if reason.is_empty() {
        mine.leave_reason.clone().unwrap_or_default()
    } else {
        reason
    };
    view! {
        <section id="leave" class="card">
            <p>{t(lang, "record.on_roll")}</p>
            {status.map(|s| view! { <p><span class="badge confirmed">{s}</span></p> })}
            {leave.map(|l| view! { <p>{l}</p> })}
            {may_ask.then(|| view! {
                <form method="post" action=crate::activities::meeting::fns::AskLeave::url() class="member-form">
                    <input type="hidden" name="node" value=node.to_string() />
                    <input type="hidden" name="activity" value=activity.id.to_string() />
                    <label>
                        {t(lang, "field.leave_reason")}
                        <input name="reason" required maxlength="200" value=reason />
                    </label>
                    <div class="buttons">
                        <button type="submit">{t(lang, "record.ask_leave")}</button>
                    </div>
                </form>
            })}
            {may_withdraw.then(|| view! {
                <form method="post" action=crate::activities::meeting::fns::WithdrawLeave::url() class="inline-form">
                    <input type="hidden" name="node" value=node.to_string() />
                    <input type="hidden" name="activity" value=activity.id.to_string() />
                    <button type="submit" class="secondary">{t(lang, "record.withdraw_leave")}</button>
                </form>
            })}
        </section>
    }
    .into_any()
}
