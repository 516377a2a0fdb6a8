//! Foundation: the org tree (reference table), accounts, sessions, the audit log,
//! rollup counters, and the first tenant tables (community units and members).
use crate::sql;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000001_foundation"
    }
}

/// Shared reference and platform tables (no tenant_id).
const GLOBAL: &[&str] = &[
    "CREATE TABLE org_nodes (
        id {uuid} PRIMARY KEY,
        parent_id {uuid} REFERENCES org_nodes(id),
        kind varchar(16) NOT NULL,
        code varchar(16) NOT NULL UNIQUE,
        name varchar(200) NOT NULL,
        path varchar(400) NOT NULL,
        created_at {ts} NOT NULL
    )",
    "CREATE INDEX org_nodes_parent ON org_nodes(parent_id)",
    "CREATE TABLE users (
        id {uuid} PRIMARY KEY,
        login_name varchar(64) NOT NULL UNIQUE,
        phone varchar(11) UNIQUE,
        display_name varchar(64) NOT NULL,
        password_hash varchar(200) NOT NULL,
        active boolean NOT NULL,
        created_at {ts} NOT NULL
    )",
    "CREATE TABLE role_assignments (
        id {uuid} PRIMARY KEY,
        user_id {uuid} NOT NULL REFERENCES users(id),
        node_id {uuid} NOT NULL REFERENCES org_nodes(id),
        role varchar(32) NOT NULL,
        created_at {ts} NOT NULL,
        UNIQUE (user_id, node_id, role)
    )",
    "CREATE TABLE sessions (
        id varchar(64) PRIMARY KEY,
        data text NOT NULL,
        expiry_date {ts} NOT NULL
    )",
    "CREATE INDEX sessions_expiry ON sessions(expiry_date)",
    "CREATE TABLE audit_log (
        id {uuid} PRIMARY KEY,
        at {ts} NOT NULL,
        actor_user_id {uuid},
        action varchar(64) NOT NULL,
        org_node_id {uuid},
        subject varchar(200) NOT NULL,
        detail text NOT NULL,
        ip varchar(64)
    )",
    "CREATE INDEX audit_log_action_subject ON audit_log(action, subject, at)",
    "CREATE TABLE rollup_counts (
        node_id {uuid} NOT NULL REFERENCES org_nodes(id),
        metric varchar(64) NOT NULL,
        value bigint NOT NULL,
        PRIMARY KEY (node_id, metric)
    )",
];

/// Tenant tables: tenant_id leads the primary key and every foreign key, so the schema can be
/// distributed by tenant_id without change.
const TENANT: &[&str] = &[
    "CREATE TABLE community_units (
        {tenant_keys},
        parent_id {uuid},
        kind varchar(24) NOT NULL,
        name varchar(100) NOT NULL,
        created_at {ts} NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, parent_id) REFERENCES community_units(tenant_id, id)
    )",
    "CREATE TABLE members (
        {tenant_keys},
        name varchar(64) NOT NULL,
        gender varchar(8) NOT NULL,
        unit_id {uuid},
        user_id {uuid} REFERENCES users(id),
        created_at {ts} NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, unit_id) REFERENCES community_units(tenant_id, id)
    )",
];

const TENANT_TABLES: &[&str] = &["community_units", "members"];

/// The audit log is append-only on both engines, whoever connects.
const AUDIT_APPEND_ONLY_SQLITE: &[&str] = &[
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
];
const AUDIT_APPEND_ONLY_POSTGRES: &[&str] = &[
    "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
     FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, GLOBAL).await?;
        sql::run(manager, TENANT).await?;
        sql::protect_tenant_tables(manager, TENANT_TABLES).await?;
        if sql::is_postgres(manager) {
            sql::run(manager, AUDIT_APPEND_ONLY_POSTGRES).await?;
        } else {
            sql::run(manager, AUDIT_APPEND_ONLY_SQLITE).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            &[
                "DROP TABLE members",
                "DROP TABLE community_units",
                "DROP TABLE rollup_counts",
                "DROP TABLE audit_log",
                "DROP TABLE sessions",
                "DROP TABLE role_assignments",
                "DROP TABLE users",
                "DROP TABLE org_nodes",
            ],
        )
        .await
    }
}
