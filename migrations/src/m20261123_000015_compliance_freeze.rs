//! 三会一课 cadence per community (how often each kind of meeting is due), and points totals
//! frozen at year end for the ranking.
use crate::sql::Script;

const UP: &[&str] = &[
    "CREATE TABLE meeting_cadences (
        tenant_id {uuid} NOT NULL REFERENCES org_nodes(id),
        kind varchar(24) NOT NULL,
        every_months integer NOT NULL,
        PRIMARY KEY (tenant_id, kind)
    )",
    "CREATE TABLE points_year_totals (
        tenant_id {uuid} NOT NULL REFERENCES org_nodes(id),
        year integer NOT NULL,
        member_id {uuid} NOT NULL,
        category varchar(16) NOT NULL,
        points bigint NOT NULL,
        frozen_at {ts} NOT NULL,
        PRIMARY KEY (tenant_id, year, member_id, category),
        FOREIGN KEY (tenant_id, member_id) REFERENCES members(tenant_id, id)
    )",
];

pub const MIGRATION: Script = Script {
    name: "m20261123_000015_compliance_freeze",
    up: UP,
    tenant_tables: &["meeting_cadences", "points_year_totals"],
    down: &[
        "DROP TABLE points_year_totals",
        "DROP TABLE meeting_cadences",
    ],
};
