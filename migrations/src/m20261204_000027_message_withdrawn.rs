//! A withdrawn notice's messages are kept, marked withdrawn (who had read it stays on record),
//! and leave the message centre and its unread count.
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261204_000027_message_withdrawn",
    up: &["ALTER TABLE messages ADD COLUMN withdrawn_at {ts}"],
    tenant_tables: &[],
    down: &["ALTER TABLE messages DROP COLUMN withdrawn_at"],
};
