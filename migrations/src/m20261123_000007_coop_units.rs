//! 共建单位: resident units registered by a street (records of the street tenant), their
//! pairings with communities of that street (结对共建), and the liaison account of each unit.
use crate::sql::Script;

const UP: &[&str] = &[
    "CREATE TABLE coop_units (
        {tenant_keys},
        name varchar(100) NOT NULL,
        kind varchar(16) NOT NULL,
        party_org varchar(100),
        liaison_name varchar(64),
        liaison_phone varchar(11),
        staff_count integer,
        member_count integer,
        liaison_user_id {uuid} REFERENCES users(id),
        created_at {ts} NOT NULL,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, name)
    )",
    "CREATE UNIQUE INDEX coop_units_liaison ON coop_units(tenant_id, liaison_user_id)",
    "CREATE TABLE coop_pairings (
        tenant_id {uuid} NOT NULL REFERENCES org_nodes(id),
        unit_id {uuid} NOT NULL,
        community_id {uuid} NOT NULL REFERENCES org_nodes(id),
        paired_on {date} NOT NULL,
        PRIMARY KEY (tenant_id, unit_id, community_id),
        FOREIGN KEY (tenant_id, unit_id) REFERENCES coop_units(tenant_id, id)
    )",
    "CREATE INDEX coop_pairings_community ON coop_pairings(tenant_id, community_id)",
];

pub const MIGRATION: Script = Script {
    name: "m20261123_000007_coop_units",
    up: UP,
    tenant_tables: &["coop_units", "coop_pairings"],
    down: &["DROP TABLE coop_pairings", "DROP TABLE coop_units"],
};
