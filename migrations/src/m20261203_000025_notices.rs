//! 通知公告 and the message centre. A notice is kept by the node that sends it, with the nodes
//! it went to, how many people in each and how many of them have read and confirmed it
//! (`notice_targets`, counted when each reads). What each person receives is a
//! message in the tenant they receive it at (a member's in their community), so who has read
//! what stays with their community; the sender counts them there.
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261203_000025_notices",
    up: &[
        "CREATE TABLE notices (
            {tenant_keys},
            title varchar(100) NOT NULL,
            body text NOT NULL,
            audience varchar(24) NOT NULL,
            branch_id {uuid},
            confirm_by {date},
            sent_by {uuid} NOT NULL REFERENCES users(id),
            sent_at {ts} NOT NULL,
            recipients integer NOT NULL,
            reminded_at {ts},
            withdrawn_at {ts},
            PRIMARY KEY (tenant_id, id)
        )",
        "CREATE INDEX notices_sent ON notices(tenant_id, sent_at)",
        "CREATE TABLE notice_targets (
            {tenant_keys},
            notice_id {uuid} NOT NULL,
            node_id {uuid} NOT NULL REFERENCES org_nodes(id),
            recipients integer NOT NULL,
            read_count integer NOT NULL DEFAULT 0,
            confirmed_count integer NOT NULL DEFAULT 0,
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, notice_id) REFERENCES notices(tenant_id, id)
        )",
        "CREATE UNIQUE INDEX notice_targets_node ON notice_targets(tenant_id, notice_id, node_id)",
        "CREATE TABLE messages (
            {tenant_keys},
            user_id {uuid} NOT NULL REFERENCES users(id),
            kind varchar(24) NOT NULL,
            source_id {uuid} NOT NULL REFERENCES org_nodes(id),
            subject_id {uuid} NOT NULL,
            created_at {ts} NOT NULL,
            read_at {ts},
            confirmed_at {ts},
            reminded_at {ts},
            PRIMARY KEY (tenant_id, id)
        )",
        "CREATE UNIQUE INDEX messages_once ON messages(tenant_id, subject_id, kind, user_id)",
        "CREATE INDEX messages_unread ON messages(tenant_id, user_id, read_at)",
        "CREATE INDEX messages_inbox ON messages(tenant_id, user_id, created_at)",
    ],
    tenant_tables: &["notices", "notice_targets", "messages"],
    down: &[
        "DROP TABLE messages",
        "DROP TABLE notice_targets",
        "DROP TABLE notices",
    ],
};
