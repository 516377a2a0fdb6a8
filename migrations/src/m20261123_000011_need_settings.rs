//! How many days a need may stay unclaimed before it is flagged, set per community.
use crate::sql::Script;

const UP: &[&str] = &["CREATE TABLE coop_need_settings (
        tenant_id {uuid} NOT NULL REFERENCES org_nodes(id),
        community_id {uuid} NOT NULL REFERENCES org_nodes(id),
        unclaimed_days integer NOT NULL,
        PRIMARY KEY (tenant_id, community_id)
    )"];

pub const MIGRATION: Script = Script {
    name: "m20261123_000011_need_settings",
    up: UP,
    tenant_tables: &["coop_need_settings"],
    down: &["DROP TABLE coop_need_settings"],
};
