//! An activity as an iCalendar file (`.ics`) a member adds to their phone's calendar.
use icalendar::{Alarm, Calendar, Component, Event, EventLike, EventStatus, Related};

use super::list::Activity;

/// One line of the file: no control character of any kind (a carriage return would start a
/// property of its own in a calendar that reads it loosely).
fn line(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

pub fn activity_ics(a: &Activity, community: &str) -> String {
    let mut event = Event::new();
    event
        .uid(&format!("{}@gongjian", a.id))
        .summary(&line(&a.title))
        .location(&line(&a.venue))
        .starts(a.starts_at)
        .ends(a.ends_at);
    let mut description = format!("{} · {}", a.kind.label(), line(community));
    if let Some(text) = &a.description {
        // Line breaks stay (the library escapes them); every other control character goes.
        description.push('\n');
        description.extend(text.chars().filter(|c| *c == '\n' || !c.is_control()));
    }
    event.description(&description);
    if a.cancelled {
        event.status(EventStatus::Cancelled);
    } else {
        // The phone reminds as the 消息 centre does: a day and two hours before it starts.
        for before in [chrono::Duration::days(1), chrono::Duration::hours(2)] {
            event.alarm(Alarm::display(&line(&a.title), (-before, Related::Start)));
        }
    }
    let mut calendar = Calendar::new();
    calendar.name(&line(community)).push(event.done());
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::line;

    #[test]
    fn no_control_character_reaches_a_calendar_line() {
        assert_eq!(
            line("主题党日\r\nATTENDEE:mailto:x@example.org"),
            "主题党日ATTENDEE:mailto:x@example.org"
        );
        assert_eq!(line("a\u{0}b\u{1b}c"), "abc");
    }
}
