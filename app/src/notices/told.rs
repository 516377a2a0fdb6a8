//! What a message the service sent says, in words (the 消息 page shows it; e-mails and group
//! posts carry it too), and the page it leads to.
use chrono::{DateTime, Utc};
use domain::kinds::MessageKind;
use domain::notices::About;
use uuid::Uuid;

use crate::activities::when;
use crate::i18n::{t, t_with, Lang};
use crate::routes::{self, Href};

pub struct Told {
    pub text: String,
    /// Something to add (cancelled, closed).
    pub note: Option<String>,
    pub href: Href,
    /// The link's text key.
    pub link: &'static str,
}

/// The words of a message of `kind` about `title` (none for a notice: its text is its body),
/// read at `node`.
pub fn told(
    lang: Lang,
    kind: MessageKind,
    title: String,
    about: About,
    node: Uuid,
) -> Option<Told> {
    let (mut args, href, link, note) = match about {
        About::Notice => return None,
        About::Activity(a) => (
            vec![("when", span(a.starts_at, a.ends_at)), ("venue", a.venue)],
            routes::activity(node, a.id),
            "messages.to_activity",
            a.cancelled.then(|| t(lang, "messages.cancelled")),
        ),
        About::Meeting {
            id,
            held_on,
            starts_at,
            venue,
        } => {
            let page = routes::meeting(node, id);
            let href = match kind {
                MessageKind::MinutesPublished => page.at("minutes-section"),
                _ => page,
            };
            let args = vec![("when", format!("{held_on} {starts_at}")), ("venue", venue)];
            (args, href, "messages.to_meeting", None)
        }
        About::Resolution { due_on, done } => (
            vec![("due", due_on.to_string())],
            routes::resolutions(node),
            "messages.to_resolutions",
            done.then(|| t(lang, "messages.resolution_done")),
        ),
        About::Need => (Vec::new(), routes::needs(node), "messages.to_needs", None),
        About::Report { reason } | About::Proposal { reason } => (
            vec![("reason", reason.unwrap_or_default())],
            routes::node(node),
            "messages.to_home",
            None,
        ),
    };
    args.push(("title", title));
    Some(Told {
        text: t_with(lang, &format!("messages.says.{}", kind.as_str()), &args),
        note,
        href,
        link,
    })
}

/// An activity's time: its start and, the same day, the hour it ends.
fn span(starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
    let china = |t: DateTime<Utc>| t.with_timezone(&domain::clock::CHINA);
    if china(starts).date_naive() == china(ends).date_naive() {
        format!("{}–{}", when(starts), china(ends).format("%H:%M"))
    } else {
        format!("{} – {}", when(starts), when(ends))
    }
}

/// A long title (a resolution's text) cut for a list or a subject line.
pub fn shortened(title: &str) -> String {
    const SHOWN: usize = 40;
    match title.chars().count() > SHOWN {
        true => format!("{}…", title.chars().take(SHOWN).collect::<String>()),
        false => title.to_owned(),
    }
}
