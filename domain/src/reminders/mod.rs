//! Messages nobody sends by hand, into the message centre (消息) of those they concern:
//!
//! - an activity's reminders, a day and two hours before it starts, to those with a seat;
//! - a change of its time or venue, and its cancellation, to everyone signed up or waiting;
//! - a waitlist place turned into a seat (候补转正), to that member.
//!
//! What an event causes is delivered in the transaction that causes it
//! (`activities::reminders`). What is due later is a row of `reminders`, scheduled with the
//! activity and sent when due by whichever server process holds the scheduler's lease (here);
//! each row is claimed in the transaction that delivers it, so it is sent once even if two
//! processes reach it.
mod scheduler;

pub use scheduler::{prune, run_due, take_lease, tick, LEASE};
