//! Channels beyond the app: an account may give an e-mail address, a node may name its
//! 企业微信 or 钉钉 group robot, and what is to go out through them waits in the `outbox`
//! (shared, like the reminders: one row per thing to send, tried again with backoff until sent
//! or given up, which the operator sees).
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261204_000032_outbox",
    up: &[
        "ALTER TABLE users ADD COLUMN email varchar(254)",
        "CREATE TABLE group_robots (
            node_id {uuid} PRIMARY KEY REFERENCES org_nodes(id),
            kind varchar(16) NOT NULL,
            url varchar(500) NOT NULL,
            secret varchar(100),
            set_by {uuid} NOT NULL REFERENCES users(id),
            set_at {ts} NOT NULL
        )",
        "CREATE TABLE outbox (
            id {uuid} PRIMARY KEY,
            node_id {uuid} NOT NULL REFERENCES org_nodes(id),
            channel varchar(16) NOT NULL,
            user_id {uuid} REFERENCES users(id),
            kind varchar(24) NOT NULL,
            source_id {uuid} NOT NULL,
            subject_id {uuid} NOT NULL,
            created_at {ts} NOT NULL,
            due_at {ts} NOT NULL,
            attempts integer NOT NULL,
            sent_at {ts},
            failed_at {ts},
            last_error varchar(300)
        )",
        "CREATE INDEX outbox_due ON outbox(due_at) WHERE sent_at IS NULL AND failed_at IS NULL",
        "CREATE INDEX outbox_sent ON outbox(sent_at)",
    ],
    tenant_tables: &[],
    down: &[
        "DROP TABLE outbox",
        "DROP TABLE group_robots",
        "ALTER TABLE users DROP COLUMN email",
    ],
};
