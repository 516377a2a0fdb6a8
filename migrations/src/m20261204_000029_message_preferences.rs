//! Which messages a person does not want (kinds of reminder turned off in their 消息 centre):
//! one row per account and kind, for every node they receive at. Notices cannot be turned off.
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261204_000029_message_preferences",
    up: &["CREATE TABLE message_preferences (
            user_id {uuid} NOT NULL REFERENCES users(id),
            kind varchar(24) NOT NULL,
            PRIMARY KEY (user_id, kind)
        )"],
    tenant_tables: &[],
    down: &["DROP TABLE message_preferences"],
};
