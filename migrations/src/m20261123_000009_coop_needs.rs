//! 需求清单 and 微心愿: needs a community posts in the street's co-construction space, claimed by
//! a member or a paired unit, escalated to the street when the community cannot meet them.
//! Who asked (name, phone) stays in the community tenant (`need_requesters`).
use crate::sql::Script;

const UP: &[&str] = &[
    "CREATE TABLE coop_needs (
        {tenant_keys},
        community_id {uuid} NOT NULL REFERENCES org_nodes(id),
        title varchar(100) NOT NULL,
        category varchar(16) NOT NULL,
        urgency varchar(16) NOT NULL,
        detail varchar(500),
        wish boolean NOT NULL,
        requester_masked varchar(16),
        status varchar(16) NOT NULL,
        created_on {date} NOT NULL,
        escalated_on {date},
        claimant_unit_id {uuid},
        claimant_user_id {uuid} REFERENCES users(id),
        claimant_name varchar(100),
        claimed_on {date},
        delivered_on {date},
        confirmed_on {date},
        PRIMARY KEY (tenant_id, id)
    )",
    "CREATE INDEX coop_needs_community ON coop_needs(tenant_id, community_id, status)",
    "CREATE TABLE need_requesters (
        tenant_id {uuid} NOT NULL REFERENCES org_nodes(id),
        need_id {uuid} NOT NULL,
        name varchar(64) NOT NULL,
        phone varchar(11),
        PRIMARY KEY (tenant_id, need_id)
    )",
];

pub const MIGRATION: Script = Script {
    name: "m20261123_000009_coop_needs",
    up: UP,
    tenant_tables: &["coop_needs", "need_requesters"],
    down: &["DROP TABLE need_requesters", "DROP TABLE coop_needs"],
};
