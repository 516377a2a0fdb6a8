//! An activity's signup in place: the seats and the member's own place, kept live by the page's
//! event stream (`/org/:id/activities/:aid/live`), and join/leave answered without a reload.
//! Without JavaScript the same forms post as before and the page reloads with the answer.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::activities::live::{sign_up_now, Mine, Seats};

/// The words the island shows, in the page's language (`%{n}` filled in by the island).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupTexts {
    pub seats: String,
    pub seats_left: String,
    pub full: String,
    pub unlimited: String,
    pub waiting: String,
    pub cancelled: String,
    pub signed_up: String,
    pub waitlisted_at: String,
    pub join: String,
    pub join_waitlist: String,
    pub leave: String,
    pub working: String,
    pub try_again: String,
    /// The stream ended for good (signed out, too many pages open): the seats may be old.
    pub not_live: String,
}

#[cfg(feature = "ssr")]
impl SignupTexts {
    pub fn new(lang: crate::i18n::Lang) -> SignupTexts {
        let t = |key: &str| crate::i18n::t(lang, key);
        SignupTexts {
            seats: t("activities.seats"),
            seats_left: t("activities.seats_left"),
            full: t("activities.full"),
            unlimited: t("activities.unlimited"),
            waiting: t("activities.waiting"),
            cancelled: t("activities.cancelled"),
            signed_up: t("activities.signed_up"),
            waitlisted_at: t("activities.waitlisted_at"),
            join: t("activities.join"),
            join_waitlist: t("activities.join_waitlist"),
            leave: t("activities.leave"),
            working: t("activities.working"),
            try_again: t("activities.try_again"),
            not_live: t("activities.not_live"),
        }
    }
}

/// What the island needs to know of the activity and the viewer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupSetup {
    pub node: String,
    pub activity: String,
    /// The form post that works without JavaScript.
    pub post_to: String,
    /// The event stream of the activity's seats (empty: the seats can no longer change).
    pub live: String,
    /// A member (may join or leave) rather than staff watching the counts.
    pub member: bool,
    /// Signup open now (window open, not started, not cancelled).
    pub open: bool,
    /// The activity has not started (a signup may still be cancelled).
    pub may_leave: bool,
}

fn fill(template: &str, n: impl std::fmt::Display) -> String {
    template.replace("%{n}", &n.to_string())
}

/// `12/50 · 余 38 个名额 · 候补 3 人`, or `12 · 不限`.
fn seats_line(s: &Seats, texts: &SignupTexts) -> String {
    let mut parts = match s.capacity {
        Some(c) => vec![format!("{}/{c}", s.confirmed)],
        None => vec![s.confirmed.to_string(), texts.unlimited.clone()],
    };
    match s.left() {
        Some(0) => parts.push(texts.full.clone()),
        Some(n) => parts.push(fill(&texts.seats_left, n)),
        None => {}
    }
    if s.waitlisted > 0 {
        parts.push(fill(&texts.waiting, s.waitlisted));
    }
    parts.join(" · ")
}

#[island]
pub fn SignupBox(setup: SignupSetup, seats: Seats, texts: SignupTexts) -> impl IntoView {
    let now = RwSignal::new(seats);
    let busy = RwSignal::new(false);
    let answer = RwSignal::new(String::new());
    let live = Live {
        events: RwSignal::new(0),
        ended: RwSignal::new(false),
        ready: RwSignal::new(false),
    };
    let texts = StoredValue::new(texts);
    let setup = StoredValue::new(setup);
    follow(setup.with_value(|s| s.live.clone()), now, answer, live);

    let send = move |action: &'static str| {
        busy.set(true);
        answer.set(texts.with_value(|t| t.working.clone()));
        let (node, activity) = setup.with_value(|s| (s.node.clone(), s.activity.clone()));
        let events_before = live.events.get_untracked();
        leptos::task::spawn_local(async move {
            match sign_up_now(node, activity, action.to_owned()).await {
                Ok(reply) => {
                    // A standing that arrived meanwhile is newer than the answer's place.
                    let newer = live.events.get_untracked() != events_before;
                    if let Some(mine) = reply.mine.filter(|_| !newer) {
                        now.update(|s| s.mine = mine);
                    }
                    answer.set(reply.message);
                }
                Err(_) => answer.set(texts.with_value(|t| t.try_again.clone())),
            }
            busy.set(false);
        });
    };
    let form = move |action: &'static str| {
        let (node, activity, post_to) =
            setup.with_value(|s| (s.node.clone(), s.activity.clone(), s.post_to.clone()));
        let label = move || {
            texts.with_value(|t| match action {
                "leave" => t.leave.clone(),
                _ if now.with(|s| s.left() == Some(0)) => t.join_waitlist.clone(),
                _ => t.join.clone(),
            })
        };
        view! {
            <form method="post" action=post_to class="inline" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                send(action);
            }>
                <input type="hidden" name="node" value=node />
                <input type="hidden" name="activity" value=activity />
                <button type="submit" name="action" value=action disabled=move || busy.get()
                    class=if action == "leave" { "secondary" } else { "" }>
                    {label}
                </button>
            </form>
        }
    };
    let (member, open, may_leave) = setup.with_value(|s| (s.member, s.open, s.may_leave));
    let mine = move || now.with(|s| s.mine);
    let badge = move || {
        texts
            .with_value(|t| match (now.with(|s| s.cancelled), mine()) {
                (true, _) => Some((t.cancelled.clone(), "badge declined")),
                (_, Mine::Confirmed) if member => Some((t.signed_up.clone(), "badge confirmed")),
                (_, Mine::Waitlisted(n)) if member => {
                    Some((fill(&t.waitlisted_at, n), "badge pending"))
                }
                _ => None,
            })
            .map(|(text, class)| view! { " " <span class=class>{text}</span> })
    };
    // A <div>, not a <p>: a form inside a paragraph is moved out of it by the browser's parser,
    // and the island would no longer match what the server rendered.
    view! {
        <div class="signup-live" data-ready=move || live.ready.get().then_some("1")>
            <p>
                <strong>{texts.with_value(|t| t.seats.clone())}</strong>
                "："
                <span class="seats-now">{move || texts.with_value(|t| now.with(|s| seats_line(s, t)))}</span>
                {badge}
            </p>
            <div class="actions">
                {move || (member && open && mine() == Mine::Out && !now.with(|s| s.cancelled)).then(|| form("join"))}
                {move || (member && may_leave && mine() != Mine::Out).then(|| form("leave"))}
            </div>
            <p class="signup-answer" aria-live="polite">{move || answer.get()}</p>
            {move || live.ended.get().then(|| view! {
                <p class="hint">{texts.with_value(|t| t.not_live.clone())}</p>
            })}
        </div>
    }
}

/// What the island knows of its event stream.
#[derive(Clone, Copy)]
struct Live {
    /// Standings received so far.
    events: RwSignal<u32>,
    /// The stream ended for good.
    ended: RwSignal<bool>,
    /// Hydrated: the buttons answer in place from now on.
    ready: RwSignal<bool>,
}

/// Opens the activity's event stream and puts each standing it sends into `now` (clearing the
/// `answer` to a signup once the member's place has moved on from it). The browser
/// reconnects by itself when the server ends a stream (it does every few minutes, so a sign-out
/// is noticed); a refusal (signed out, too many pages open) ends it, and the page says the seats
/// may be old.
#[cfg(feature = "hydrate")]
fn follow(url: String, now: RwSignal<Seats>, answer: RwSignal<String>, live: Live) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    Effect::new(move |_| {
        live.ready.set(true);
        if url.is_empty() {
            return;
        }
        let Ok(stream) = web_sys::EventSource::new(&url) else {
            return;
        };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let seats = event
                    .data()
                    .as_string()
                    .and_then(|data| serde_json::from_str::<Seats>(&data).ok());
                if let Some(seats) = seats {
                    // The member's place moved (promoted, withdrawn): an earlier answer is old.
                    if now.get_untracked().mine != seats.mine {
                        answer.set(String::new());
                    }
                    now.set(seats);
                    live.events.update(|n| *n += 1);
                }
            },
        );
        let watched = stream.clone();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            if watched.ready_state() == web_sys::EventSource::CLOSED {
                live.ended.set(true);
            }
        });
        stream.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        stream.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // Both live as long as the page: the browser holds the stream, the page the handlers.
        on_message.forget();
        on_error.forget();
    });
}

#[cfg(not(feature = "hydrate"))]
fn follow(_url: String, _now: RwSignal<Seats>, _answer: RwSignal<String>, _live: Live) {}
