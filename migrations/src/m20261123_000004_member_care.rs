//! 关爱帮扶: visits to members in hardship, help given, and study brought to the door.
use crate::sql::Script;

const UP: &[&str] = &[
    "CREATE TABLE member_care (
        {tenant_keys},
        member_id {uuid} NOT NULL,
        cared_on {date} NOT NULL,
        kind varchar(16) NOT NULL,
        help varchar(100),
        amount_cents bigint,
        note varchar(500),
        actor_user_id {uuid},
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, member_id) REFERENCES members(tenant_id, id)
    )",
    "CREATE INDEX member_care_member ON member_care(tenant_id, member_id, cared_on)",
];

pub const MIGRATION: Script = Script {
    name: "m20261123_000004_member_care",
    up: UP,
    tenant_tables: &["member_care"],
    down: &["DROP TABLE member_care"],
};
