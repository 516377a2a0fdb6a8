//! An activity as an iCalendar file (`.ics`) a member adds to their phone's calendar.
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

use super::list::Activity;

pub fn activity_ics(a: &Activity, community: &str) -> String {
    let mut event = Event::new();
    event
        .uid(&format!("{}@gongjian", a.id))
        .summary(&a.title)
        .location(&a.venue)
        .starts(a.starts_at)
        .ends(a.ends_at);
    let mut description = format!("{} · {}", a.kind.label(), community);
    if let Some(text) = &a.description {
        description.push('\n');
        description.push_str(text);
    }
    event.description(&description);
    if a.cancelled {
        event.status(EventStatus::Cancelled);
    }
    let mut calendar = Calendar::new();
    calendar.name(community).push(event.done());
    calendar.done().to_string()
}
