//! 资源清单 (what units offer) and 项目清单 (供需对接: a need matched to resources, with an owner
//! unit, a lead, a deadline, a status and the outcome).
use crate::sql::Script;

const UP: &[&str] = &[
    "CREATE TABLE coop_resources (
        {tenant_keys},
        unit_id {uuid} NOT NULL,
        kind varchar(16) NOT NULL,
        name varchar(100) NOT NULL,
        quantity varchar(50),
        availability varchar(100),
        active boolean NOT NULL,
        created_on {date} NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, unit_id) REFERENCES coop_units(tenant_id, id)
    )",
    "CREATE INDEX coop_resources_unit ON coop_resources(tenant_id, unit_id)",
    "CREATE TABLE coop_projects (
        {tenant_keys},
        community_id {uuid} REFERENCES org_nodes(id),
        need_id {uuid},
        title varchar(100) NOT NULL,
        owner_unit_id {uuid} NOT NULL,
        lead_person varchar(64) NOT NULL,
        deadline {date} NOT NULL,
        status varchar(16) NOT NULL,
        outcome varchar(500),
        beneficiaries integer,
        created_on {date} NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, owner_unit_id) REFERENCES coop_units(tenant_id, id),
        FOREIGN KEY (tenant_id, need_id) REFERENCES coop_needs(tenant_id, id)
    )",
    "CREATE TABLE coop_project_resources (
        tenant_id {uuid} NOT NULL REFERENCES org_nodes(id),
        project_id {uuid} NOT NULL,
        resource_id {uuid} NOT NULL,
        PRIMARY KEY (tenant_id, project_id, resource_id),
        FOREIGN KEY (tenant_id, project_id) REFERENCES coop_projects(tenant_id, id),
        FOREIGN KEY (tenant_id, resource_id) REFERENCES coop_resources(tenant_id, id)
    )",
];

pub const MIGRATION: Script = Script {
    name: "m20261123_000010_coop_resources_projects",
    up: UP,
    tenant_tables: &["coop_resources", "coop_projects", "coop_project_resources"],
    down: &[
        "DROP TABLE coop_project_resources",
        "DROP TABLE coop_projects",
        "DROP TABLE coop_resources",
    ],
};
