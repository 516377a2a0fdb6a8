//! Members keep their own details current: a proposed change to their phone, address or (a
//! floating member) current city waits for the community's staff to approve or return it.
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261201_000022_member_proposals",
    up: &[
        "CREATE TABLE member_proposals (
            {tenant_keys},
            member_id {uuid} NOT NULL,
            phone varchar(11),
            building varchar(32),
            unit_no varchar(16),
            room varchar(16),
            current_city varchar(64),
            note varchar(200),
            status varchar(16) NOT NULL,
            reason varchar(200),
            proposed_at {ts} NOT NULL,
            decided_at {ts},
            decided_by {uuid},
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, member_id) REFERENCES members(tenant_id, id)
        )",
        "CREATE INDEX member_proposals_status ON member_proposals(tenant_id, status, proposed_at)",
        "CREATE INDEX member_proposals_member ON member_proposals(tenant_id, member_id)",
    ],
    tenant_tables: &["member_proposals"],
    down: &["DROP TABLE member_proposals"],
};
