//! Sent reminders are pruned after a while (`reminders::prune`, with the housekeeping): by the
//! time they were sent.
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261204_000030_reminders_sent",
    up: &["CREATE INDEX reminders_sent ON reminders(sent_at)"],
    tenant_tables: &[],
    down: &["DROP INDEX reminders_sent"],
};
