//! 流动党员跟踪: contact attempts with floating members, and per-community settings (the number
//! of days without contact after which a member counts as lost).
use crate::sql::Script;

const UP: &[&str] = &[
    "ALTER TABLE members ADD COLUMN current_city varchar(64)",
    "CREATE TABLE member_contacts (
        {tenant_keys},
        member_id {uuid} NOT NULL,
        contacted_on {date} NOT NULL,
        method varchar(16) NOT NULL,
        reached boolean NOT NULL,
        city varchar(64),
        note varchar(500),
        actor_user_id {uuid},
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, member_id) REFERENCES members(tenant_id, id)
    )",
    "CREATE INDEX member_contacts_member ON member_contacts(tenant_id, member_id, contacted_on)",
    "CREATE TABLE community_settings (
        tenant_id {uuid} NOT NULL REFERENCES org_nodes(id),
        lost_contact_days integer NOT NULL,
        PRIMARY KEY (tenant_id)
    )",
];

pub const MIGRATION: Script = Script {
    name: "m20261123_000003_floating_members",
    up: UP,
    tenant_tables: &["member_contacts", "community_settings"],
    down: &[
        "DROP TABLE community_settings",
        "DROP TABLE member_contacts",
    ],
};
