//! 支部委员会: the members a grid branch elected to its committee, with their posts. A branch
//! without one is not expected to hold 支委会.
use crate::sql::Script;

const UP: &[&str] = &["CREATE TABLE branch_committee_seats (
        {tenant_keys},
        branch_id {uuid} NOT NULL,
        member_id {uuid} NOT NULL,
        post varchar(16) NOT NULL,
        since {date} NOT NULL,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, branch_id, member_id),
        FOREIGN KEY (tenant_id, branch_id) REFERENCES community_units(tenant_id, id),
        FOREIGN KEY (tenant_id, member_id) REFERENCES members(tenant_id, id)
    )"];

pub const MIGRATION: Script = Script {
    name: "m20261206_000039_branch_committees",
    up: UP,
    tenant_tables: &["branch_committee_seats"],
    down: &["DROP TABLE branch_committee_seats"],
};
