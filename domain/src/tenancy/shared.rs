//! Statements on shared tables (the org tree, accounts, role assignments, sessions, the audit log,
//! rollup counters), run on the pool, a `SharedTx` or inside a tenant's transaction. They name
//! shared tables only: a tenant table is reached through `TenantTx`.
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, DatabaseExecutor, DatabaseTransaction, DeleteMany, EntityTrait, Insert,
    PrimaryKeyTrait, Select, SqliteTransactionMode, TransactionOptions, TransactionTrait,
    UpdateMany,
};
use uuid::Uuid;

use super::{ChangedNodes, Db, Executor, Runner, Scoped, SharedEntity};
use crate::error::DomainResult;

pub fn find<E: SharedEntity>() -> Scoped<Select<E>> {
    Scoped::new(E::find(), None)
}

pub fn find_by_id<E: SharedEntity>(
    id: impl Into<<E::PrimaryKey as PrimaryKeyTrait>::ValueType>,
) -> Scoped<Select<E>> {
    Scoped::new(E::find_by_id(id), None)
}

pub fn update_many<E: SharedEntity>() -> Scoped<UpdateMany<E>> {
    Scoped::new(E::update_many(), None)
}

pub fn delete_many<E: SharedEntity>() -> Scoped<DeleteMany<E>> {
    Scoped::new(E::delete_many(), None)
}

/// Inserts rows of a shared table in one statement.
pub async fn insert_many<A>(on: &impl Runner, rows: Vec<A>) -> DomainResult<()>
where
    A: ActiveModelTrait + Send,
    A::Entity: SharedEntity,
{
    if !rows.is_empty() {
        A::Entity::insert_many(rows).exec(&on.executor().0).await?;
    }
    Ok(())
}

/// Inserts a row of a shared table, or updates it where `on_conflict` says so; how many rows
/// it wrote (none where the conflict's condition held the update back).
pub async fn upsert<A>(on: &impl Runner, row: A, on_conflict: OnConflict) -> DomainResult<u64>
where
    A: ActiveModelTrait + Send,
    A::Entity: SharedEntity,
{
    Ok(Insert::one(row)
        .on_conflict(on_conflict)
        .exec_without_returning(&on.executor().0)
        .await?)
}

/// A write transaction on shared tables only (importing the org tree, opening accounts).
pub struct SharedTx {
    tx: DatabaseTransaction,
    node_reads: std::sync::Arc<super::recent::KeptReads>,
    changed_nodes: ChangedNodes,
    /// SQLite's write turn, as a tenant's write holds it (declared after `tx`: let go once
    /// the transaction has ended).
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Db {
    /// Begins to write shared tables. On SQLite it takes the write turn and the write lock at
    /// BEGIN, like a tenant's write: a transaction that read first and wrote after would
    /// otherwise fail at once ("database is locked") when another writer came in between.
    pub async fn begin_shared(&self) -> DomainResult<SharedTx> {
        let turn = self.write_turn().await?;
        let tx = self
            .conn
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await?;
        Ok(SharedTx {
            tx,
            node_reads: std::sync::Arc::clone(self.node_reads()),
            changed_nodes: ChangedNodes::default(),
            _turn: turn,
        })
    }
}

impl SharedTx {
    pub async fn commit(self) -> DomainResult<()> {
        let _forget = self.changed_nodes.forget_after(&self.node_reads);
        Ok(self.tx.commit().await?)
    }
}

impl Runner for SharedTx {
    fn tenant(&self) -> Option<Uuid> {
        None
    }

    fn executor(&self) -> Executor<'_> {
        Executor(DatabaseExecutor::Transaction(&self.tx))
    }

    fn totals_changed(&self, nodes: &[Uuid]) {
        self.changed_nodes.note(nodes);
    }
}
