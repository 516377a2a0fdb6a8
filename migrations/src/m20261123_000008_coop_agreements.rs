//! 共建协议: agreements between a unit and the street or one of its communities, with the
//! commitments (承诺事项) each tracked done or not.
use crate::sql::Script;

const UP: &[&str] = &[
    "CREATE TABLE coop_agreements (
        {tenant_keys},
        unit_id {uuid} NOT NULL,
        community_id {uuid} REFERENCES org_nodes(id),
        title varchar(100) NOT NULL,
        starts_on {date} NOT NULL,
        ends_on {date} NOT NULL,
        created_at {ts} NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, unit_id) REFERENCES coop_units(tenant_id, id)
    )",
    "CREATE INDEX coop_agreements_unit ON coop_agreements(tenant_id, unit_id)",
    "CREATE TABLE coop_commitments (
        {tenant_keys},
        agreement_id {uuid} NOT NULL,
        content varchar(200) NOT NULL,
        done_on {date},
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, agreement_id) REFERENCES coop_agreements(tenant_id, id)
    )",
];

pub const MIGRATION: Script = Script {
    name: "m20261123_000008_coop_agreements",
    up: UP,
    tenant_tables: &["coop_agreements", "coop_commitments"],
    down: &["DROP TABLE coop_commitments", "DROP TABLE coop_agreements"],
};
