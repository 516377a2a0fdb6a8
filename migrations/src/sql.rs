//! Plain SQL written once for both engines: `{uuid}` and `{ts}` stand for the column types
//! that differ, `{tenant_keys}` for the two key columns every tenant table starts with, and
//! PostgreSQL-only statements (row-level security) are kept apart.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

pub async fn run(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    let conn = manager.get_connection();
    let backend = conn.get_database_backend();
    for statement in statements {
        conn.execute_unprepared(&dialect(backend, statement))
            .await?;
    }
    Ok(())
}

/// The first columns of every tenant table: the tenant (a node of the tree) and the row's id,
/// unique within the tenant (`PRIMARY KEY (tenant_id, id)` follows in each table).
const TENANT_KEYS: &str = "tenant_id {uuid} NOT NULL REFERENCES org_nodes(id), id {uuid} NOT NULL";

pub fn dialect(backend: DbBackend, sql: &str) -> String {
    let (uuid, ts, date) = match backend {
        DbBackend::Postgres => ("uuid", "timestamptz", "date"),
        _ => ("blob", "text", "text"),
    };
    sql.replace("{tenant_keys}", TENANT_KEYS)
        .replace("{uuid}", uuid)
        .replace("{ts}", ts)
        .replace("{date}", date)
}

/// Runs `tenant_policy` for each table (PostgreSQL only).
pub async fn protect_tenant_tables(
    manager: &SchemaManager<'_>,
    tables: &[&str],
) -> Result<(), DbErr> {
    if !is_postgres(manager) {
        return Ok(());
    }
    for table in tables {
        let policy = tenant_policy(table);
        let refs: Vec<&str> = policy.iter().map(String::as_str).collect();
        run(manager, &refs).await?;
    }
    Ok(())
}

/// Row-level security for one tenant table: rows are visible and writable only while the
/// transaction's `app.tenant_id` names their tenant. FORCE applies it to the owner too.
pub fn tenant_policy(table: &str) -> [String; 3] {
    [
        format!("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"),
        format!("ALTER TABLE {table} FORCE ROW LEVEL SECURITY"),
        format!(
            "CREATE POLICY tenant_isolation ON {table} \
             USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) \
             WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)"
        ),
    ]
}

pub fn is_postgres(manager: &SchemaManager<'_>) -> bool {
    manager.get_database_backend() == DbBackend::Postgres
}

/// A migration that is plain SQL: its statements up, the tenant tables they create (given row-level
/// security on PostgreSQL, `protect_tenant_tables`), and the statements that undo it.
pub struct Script {
    pub name: &'static str,
    pub up: &'static [&'static str],
    pub tenant_tables: &'static [&'static str],
    pub down: &'static [&'static str],
}

impl MigrationName for Script {
    fn name(&self) -> &str {
        self.name
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Script {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, self.up).await?;
        protect_tenant_tables(manager, self.tenant_tables).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, self.down).await
    }
}
