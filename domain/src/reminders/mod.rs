//! Messages nobody sends by hand, into the message centre (消息) of those they concern:
//!
//! - an activity's reminders, a day and two hours before it starts, to those with a seat;
//! - a change of its time or venue, and its cancellation, to everyone signed up or waiting;
//! - a waitlist place turned into a seat (候补转正), to that member;
//! - a joint meeting's invitation, its reminder a day before and its minutes; a resolution
//!   given to someone, three days before it is due and the morning after if still open; a
//!   micro-wish claimed or delivered (`coop::messages`);
//! - a 双报到 report or a proposed change decided, to that member.
//!
//! What an event causes is delivered in the transaction that causes it. What is due later is
//! a row of `reminders` (`notices::later`), scheduled with its subject and sent when due by
//! whichever server process holds the scheduler's lease (here); each row is claimed in the
//! transaction that delivers it, so it is sent once even if two processes reach it.
mod scheduler;

pub use scheduler::{prune, run_due, take_lease, tick, LEASE};
