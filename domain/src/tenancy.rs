//! Wall 1 of tenant isolation. A `TenantScope` is proof that the caller may work on one
//! tenant's detail records; only `auth::authz` can build one. Its transaction adds the tenant
//! to every query and, on PostgreSQL, sets `app.tenant_id` for row-level security (wall 2).
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, DeleteMany, EntityTrait,
    QueryFilter, Select, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use uuid::Uuid;

use crate::auth::roles::Role;
use crate::db::{statement, Db};
use crate::error::DomainResult;

/// An entity whose rows belong to one tenant.
pub trait TenantEntity: EntityTrait {
    fn tenant_column() -> Self::Column;
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantScope {
    tenant_id: Uuid,
    actor_user_id: Uuid,
    role: Role,
    /// The co-construction unit the actor works for here (a paired unit's liaison).
    unit: Option<Uuid>,
}

impl TenantScope {
    pub(crate) fn new(tenant_id: Uuid, actor_user_id: Uuid, role: Role) -> Self {
        TenantScope {
            tenant_id,
            actor_user_id,
            role,
            unit: None,
        }
    }

    /// A paired unit's liaison working in a community for their unit.
    pub(crate) fn for_unit(community_id: Uuid, actor_user_id: Uuid, unit_id: Uuid) -> Self {
        TenantScope {
            unit: Some(unit_id),
            ..TenantScope::new(community_id, actor_user_id, Role::UnitLiaison)
        }
    }

    pub fn tenant_id(&self) -> Uuid {
        self.tenant_id
    }

    pub fn actor_user_id(&self) -> Uuid {
        self.actor_user_id
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// A read transaction bound to this tenant.
    pub async fn read(&self, db: &Db) -> DomainResult<TenantTx> {
        self.begin(db, SqliteTransactionMode::Deferred).await
    }

    /// A write transaction bound to this tenant. SQLite takes the write lock at BEGIN
    /// (`BEGIN IMMEDIATE`), so concurrent writers queue instead of failing mid-way.
    pub async fn write(&self, db: &Db) -> DomainResult<TenantTx> {
        self.begin(db, SqliteTransactionMode::Immediate).await
    }

    async fn begin(&self, db: &Db, mode: SqliteTransactionMode) -> DomainResult<TenantTx> {
        let tx = db
            .conn()
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(mode),
                ..Default::default()
            })
            .await?;
        set_tenant(&tx, self.tenant_id).await?;
        Ok(TenantTx {
            tx,
            tenant_id: self.tenant_id,
            actor_user_id: self.actor_user_id,
            role: self.role,
            unit: self.unit,
        })
    }
}

/// Sets the tenant for row-level security, for this transaction only (`is_local = true`).
pub(crate) async fn set_tenant(tx: &DatabaseTransaction, tenant_id: Uuid) -> DomainResult<()> {
    if tx.get_database_backend() == DbBackend::Postgres {
        tx.execute_raw(statement(
            DbBackend::Postgres,
            "SELECT set_config('app.tenant_id', $1, true)",
            vec![tenant_id.to_string().into()],
        ))
        .await?;
    }
    Ok(())
}

/// A transaction a form endpoint ends: commit on success, drop (roll back) otherwise.
pub trait Commit {
    fn commit(self) -> impl std::future::Future<Output = DomainResult<()>> + Send;
}

impl Commit for TenantTx {
    async fn commit(self) -> DomainResult<()> {
        TenantTx::commit(self).await
    }
}

pub struct TenantTx {
    tx: DatabaseTransaction,
    tenant_id: Uuid,
    actor_user_id: Uuid,
    role: Role,
    unit: Option<Uuid>,
}

impl TenantTx {
    pub fn tenant_id(&self) -> Uuid {
        self.tenant_id
    }

    /// Who is acting (for history and audit); nil for system work such as demo seeding.
    pub fn actor_user_id(&self) -> Uuid {
        self.actor_user_id
    }

    /// The role the actor holds on this tenant.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The paired unit the actor works for here, if they are its liaison.
    pub fn acting_unit(&self) -> Option<Uuid> {
        self.unit
    }

    /// A select on a tenant entity, already filtered to this tenant.
    pub fn find<E: TenantEntity>(&self) -> Select<E> {
        E::find().filter(E::tenant_column().eq(self.tenant_id))
    }

    /// A delete on a tenant entity, already filtered to this tenant.
    pub(crate) fn delete<E: TenantEntity>(&self) -> DeleteMany<E> {
        E::delete_many().filter(E::tenant_column().eq(self.tenant_id))
    }

    pub(crate) fn conn(&self) -> &DatabaseTransaction {
        &self.tx
    }

    pub async fn commit(self) -> DomainResult<()> {
        self.tx.commit().await?;
        Ok(())
    }
}
