//! The member roster: personal and Party data of each member, placement, address, flags, and
//! an append-only history per member.
use crate::sql::Script;

const UP: &[&str] = &[
    "ALTER TABLE members ADD COLUMN birth_date {date}",
    "ALTER TABLE members ADD COLUMN phone varchar(11)",
    "ALTER TABLE members ADD COLUMN joined_on {date}",
    "ALTER TABLE members ADD COLUMN category varchar(24) NOT NULL DEFAULT 'resident'",
    "ALTER TABLE members ADD COLUMN status varchar(24) NOT NULL DEFAULT 'normal'",
    "ALTER TABLE members ADD COLUMN building varchar(32)",
    "ALTER TABLE members ADD COLUMN unit_no varchar(16)",
    "ALTER TABLE members ADD COLUMN room varchar(16)",
    "ALTER TABLE members ADD COLUMN employer varchar(100)",
    "ALTER TABLE members ADD COLUMN employer_party_org varchar(100)",
    "ALTER TABLE members ADD COLUMN interests varchar(500)",
    "ALTER TABLE members ADD COLUMN hardship boolean NOT NULL DEFAULT false",
    "ALTER TABLE members ADD COLUMN immobile boolean NOT NULL DEFAULT false",
    "ALTER TABLE members ADD COLUMN id_last4 varchar(4)",
    "ALTER TABLE members ADD COLUMN updated_at {ts}",
    // One phone number per person inside a community (NULLs do not collide).
    "CREATE UNIQUE INDEX members_tenant_phone ON members(tenant_id, phone)",
    "CREATE INDEX members_tenant_name ON members(tenant_id, name)",
    "CREATE TABLE member_events (
        {tenant_keys},
        member_id {uuid} NOT NULL,
        at {ts} NOT NULL,
        actor_user_id {uuid},
        kind varchar(32) NOT NULL,
        detail text NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, member_id) REFERENCES members(tenant_id, id)
    )",
    "CREATE INDEX member_events_member ON member_events(tenant_id, member_id, id)",
];

pub const MIGRATION: Script = Script {
    name: "m20261123_000002_member_roster",
    up: UP,
    tenant_tables: &["member_events"],
    down: &[
        "DROP TABLE member_events",
        "DROP INDEX members_tenant_name",
        "DROP INDEX members_tenant_phone",
    ],
};
