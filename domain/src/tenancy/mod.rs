//! Wall 1 of tenant isolation. A `TenantScope` is proof that the caller may work on one
//! tenant's detail records; only `domain` builds one (from a principal's roles in `auth::authz`
//! and `coop::access`, or for system work). Its transaction adds the tenant
//! to every query and, on PostgreSQL, sets `app.tenant_id` for row-level security (wall 2).
//!
//! The database connection never leaves this module. Statements run through a `Runner` (a
//! tenant's transaction, the pool, a shared-table transaction): a tenant table's statement comes
//! only from `TenantTx::find`/`update_many`/`delete`, already limited to the tenant, and rows are
//! written with `Row::insert_in`/`update_in`, which stamp or check the tenant. So a query on a
//! tenant table that forgot its tenant does not compile:
//!
//! ```compile_fail
//! # async fn leak(tx: &domain::tenancy::TenantTx) -> domain::DomainResult<()> {
//! use sea_orm::EntityTrait;
//! // No connection to run it on: `TenantTx` is not one and does not hand one out.
//! domain::entities::member::Entity::find().all(tx).await?;
//! # Ok(()) }
//! ```
//!
//! ```compile_fail
//! # async fn leak(db: &domain::Db) -> domain::DomainResult<()> {
//! use domain::tenancy::shared;
//! // Shared-table statements name shared tables only.
//! shared::find::<domain::entities::member::Entity>().all(db).await?;
//! # Ok(()) }
//! ```
//!
//! ```
//! # async fn scoped(tx: &domain::tenancy::TenantTx) -> domain::DomainResult<()> {
//! use sea_orm::ColumnTrait;
//! use domain::entities::member;
//! // The tenant's own rows: compiles.
//! tx.find::<member::Entity>().filter(member::Column::Name.eq("王秀兰")).all(tx).await?;
//! # Ok(()) }
//! ```
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseExecutor, DatabaseTransaction,
    DbBackend, DeleteMany, EntityTrait, ExecResult, QueryFilter, QueryResult, Select,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait, UpdateMany,
};
use uuid::Uuid;

use crate::changes::Change;
use crate::error::{DomainError, DomainResult};
use crate::kinds::{NodeKind, Role};

pub mod db;
mod memo;
pub mod pulse;
mod query;
pub(crate) mod recent;
pub mod shared;

use db::Db;
pub use query::{Row, Scoped};
pub use shared::SharedTx;

/// Every table: whether its rows belong to a tenant, and by which column.
pub trait Table: EntityTrait {
    fn tenant_column() -> Option<Self::Column>;
}

/// A table whose rows belong to one tenant.
pub trait TenantEntity: Table {
    fn tenant_column() -> Self::Column;
}

/// A tenant table whose rows are keyed by `id` within the tenant (the rows other rows name).
pub trait Keyed: TenantEntity {
    fn id_column() -> Self::Column;
}

/// A table of the whole instance: the org tree, accounts, role assignments, sessions, the audit
/// log, rollup counters.
pub trait SharedEntity: Table {}

/// What runs statements: a tenant's transaction, the pool (`Db`) or a `SharedTx`. Only this
/// module opens one up into a connection, and only this module makes one (sealed).
pub trait Runner: Sync + sealed::Sealed {
    /// The tenant this runner works in; None runs shared tables only.
    fn tenant(&self) -> Option<Uuid>;

    #[doc(hidden)]
    fn executor(&self) -> Executor<'_>;

    fn backend(&self) -> DbBackend {
        self.executor().0.get_database_backend()
    }

    /// The subtree totals of `nodes` change with what this runner wrote: their figures kept in
    /// memory are forgotten once it has committed (at once for the pool, which commits each
    /// statement).
    #[doc(hidden)]
    fn totals_changed(&self, nodes: &[Uuid]);
}

/// Hand-written SQL, inside this crate only.
pub(crate) trait Sql: Runner {
    /// Hand-written SQL, for what sea-orm's builders cannot say (counters, sums across
    /// tables). The statement limits itself to its tenant: no typed wall checks it.
    fn execute_sql(&self, sql: Statement) -> impl Future<Output = DomainResult<ExecResult>> + Send {
        async move { Ok(self.executor().0.execute_raw(sql).await?) }
    }

    /// Hand-written SQL returning rows (see `execute_sql`).
    fn query_all_sql(
        &self,
        sql: Statement,
    ) -> impl Future<Output = DomainResult<Vec<QueryResult>>> + Send {
        async move { Ok(self.executor().0.query_all_raw(sql).await?) }
    }

    /// Hand-written SQL returning one row (see `execute_sql`).
    fn query_one_sql(
        &self,
        sql: Statement,
    ) -> impl Future<Output = DomainResult<Option<QueryResult>>> + Send {
        async move { Ok(self.executor().0.query_one_raw(sql).await?) }
    }
}

impl<R: Runner> Sql for R {}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Db {}
    impl Sealed for super::TenantTx {}
    impl Sealed for super::SharedTx {}
}

/// A connection as only this module can use it.
pub struct Executor<'c>(DatabaseExecutor<'c>);

impl Runner for Db {
    fn tenant(&self) -> Option<Uuid> {
        None
    }

    fn executor(&self) -> Executor<'_> {
        Executor(DatabaseExecutor::Connection(&self.conn))
    }

    fn totals_changed(&self, nodes: &[Uuid]) {
        self.node_reads().forget_each(nodes);
    }
}

impl Runner for TenantTx {
    /// None while a step runs in another tenant (`in_tenant`): nothing of this tenant's runs
    /// then, and a step that never finished leaves the transaction unable to commit.
    fn tenant(&self) -> Option<Uuid> {
        (!self.away.load(Ordering::Acquire)).then_some(self.tenant_id)
    }

    fn executor(&self) -> Executor<'_> {
        Executor(DatabaseExecutor::Transaction(&self.tx))
    }

    fn totals_changed(&self, nodes: &[Uuid]) {
        self.changed_nodes.note(nodes);
    }
}

/// Nodes whose kept reads a transaction makes stale (`recent::NodeReads`): those whose totals
/// it changed, and every tenant it wrote in. Forgotten once it has ended (a divisions import
/// notes every node of the country: a set, not a list).
#[derive(Clone, Debug, Default)]
pub(crate) struct ChangedNodes(Arc<Mutex<std::collections::HashSet<Uuid>>>);

impl ChangedNodes {
    pub(crate) fn note(&self, nodes: &[Uuid]) {
        let mut due = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        due.extend(nodes.iter().copied());
    }

    /// Armed before the commit: forgets when dropped, so also when the commit fails or the
    /// request is dropped while it is under way (it may still have committed).
    pub(crate) fn forget_after<'a>(
        &self,
        kept: &'a recent::KeptReads,
    ) -> Option<recent::ForgetBoth<'a>> {
        let due = std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner));
        (!due.is_empty()).then(|| kept.forget_after(Some(due.into_iter().collect())))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantScope {
    tenant_id: Uuid,
    actor_user_id: Uuid,
    role: Role,
    /// The co-construction unit the actor works for here (a paired unit's liaison).
    unit: Option<Uuid>,
    /// The grid branch a 支部书记 works in (their role's placement).
    branch: Option<Uuid>,
}

impl TenantScope {
    pub(crate) fn new(tenant_id: Uuid, actor_user_id: Uuid, role: Role) -> Self {
        TenantScope {
            tenant_id,
            actor_user_id,
            role,
            unit: None,
            branch: None,
        }
    }

    /// A 支部书记's scope: their grid branch only (none if the role names no branch: then
    /// they see nothing).
    pub(crate) fn in_branch(self, branch: Option<Uuid>) -> Self {
        TenantScope { branch, ..self }
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

    /// The grid branch a 支部书记 works in.
    pub fn branch_id(&self) -> Option<Uuid> {
        self.branch
    }

    /// The paired unit a liaison works for.
    pub fn acting_unit(&self) -> Option<Uuid> {
        self.unit
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
        // The turn comes before the connection: a writer waiting for it holds no connection
        // that readers could use.
        let turn = match mode {
            SqliteTransactionMode::Immediate => db.write_turn().await?,
            _ => None,
        };
        let tx = db
            .conn
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(mode),
                ..Default::default()
            })
            .await?;
        set_tenant(&tx, self.tenant_id).await?;
        // What is kept of a tenant (its co-construction to-do) is forgotten when anything is
        // written in it.
        let writing = mode == SqliteTransactionMode::Immediate;
        let changed_nodes = ChangedNodes::default();
        if writing {
            changed_nodes.note(&[self.tenant_id]);
        }
        Ok(TenantTx {
            tx: Arc::new(tx),
            tenant_id: self.tenant_id,
            away: AtomicBool::new(false),
            changes: Arc::default(),
            actor_user_id: self.actor_user_id,
            role: self.role,
            unit: self.unit,
            branch: self.branch,
            pulses: Arc::clone(db.pulses()),
            pulses_due: Arc::default(),
            node_reads: Arc::clone(db.node_reads()),
            changed_nodes,
            writing,
            _turn: turn,
        })
    }
}

/// Proof that the caller may read aggregates of one node's subtree; built by `auth::authz`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RollupScope {
    node_id: Uuid,
    path: String,
    kind: NodeKind,
}

impl RollupScope {
    pub(crate) fn new(node_id: Uuid, path: String, kind: NodeKind) -> Self {
        RollupScope {
            node_id,
            path,
            kind,
        }
    }

    pub fn node_id(&self) -> Uuid {
        self.node_id
    }

    pub fn kind(&self) -> NodeKind {
        self.kind
    }
}

/// Sets the tenant for row-level security, for this transaction only. `SET LOCAL` rather than
/// `set_config(…, true)`: Citus forwards it to the workers (`citus.propagate_set_commands =
/// 'local'`). It takes no parameters: the value is a UUID's own hyphenated hex, never input.
async fn set_tenant(tx: &DatabaseTransaction, tenant_id: Uuid) -> Result<(), sea_orm::DbErr> {
    if tx.get_database_backend() == DbBackend::Postgres {
        tx.execute_unprepared(&format!(
            "SET LOCAL app.tenant_id = '{}'",
            tenant_id.hyphenated()
        ))
        .await?;
    }
    Ok(())
}

/// Ends a transaction: commit on success, drop (roll back) otherwise. A tenant's transaction
/// commits through `rollup`, which first turns the changes recorded on it into counters.
pub trait Commit {
    fn commit(self) -> impl std::future::Future<Output = DomainResult<()>> + Send;
}

/// The changes recorded on a transaction, with the tenant each was recorded in (a step done
/// in another tenant records there).
type Recorded<T = Change> = Arc<Mutex<Vec<(Uuid, T)>>>;

pub struct TenantTx {
    /// Shared with the views `in_tenant` lends out for one step; alone again at commit.
    tx: Arc<DatabaseTransaction>,
    tenant_id: Uuid,
    /// Set while `in_tenant` has the database working in another tenant.
    away: AtomicBool,
    changes: Recorded,
    actor_user_id: Uuid,
    role: Role,
    unit: Option<Uuid>,
    branch: Option<Uuid>,
    /// Where the keys named by `pulse_after_commit` are announced once this has committed.
    pulses: Arc<pulse::Pulses>,
    pulses_due: Recorded<Uuid>,
    /// The nodes' figures kept in memory, and the nodes whose totals this changed.
    node_reads: Arc<recent::KeptReads>,
    changed_nodes: ChangedNodes,
    /// Begun to write (a read's `in_tenant` steps only read).
    writing: bool,
    /// SQLite's write turn, let go when the transaction has ended (declared last, so it is
    /// dropped after `tx`).
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl TenantTx {
    pub fn tenant_id(&self) -> Uuid {
        self.tenant_id
    }

    /// Begun to write: its own changes are not yet in the counters (applied at commit).
    pub(crate) fn is_writing(&self) -> bool {
        self.writing
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

    /// The grid branch a 支部书记 works in (`members::reach` turns it into the part of the
    /// roster they see).
    pub fn branch(&self) -> Option<Uuid> {
        self.branch
    }

    /// A select on a tenant table, limited to this tenant.
    pub fn find<E: TenantEntity>(&self) -> Scoped<Select<E>> {
        Scoped::new(E::find().filter(self.mine::<E>()), Some(self.tenant_id))
    }

    /// This tenant's rows of `E` with one of `ids`: the batch read of what a list's rows name.
    pub async fn find_ids<E: Keyed>(
        &self,
        ids: impl IntoIterator<Item = Uuid>,
    ) -> DomainResult<Vec<E::Model>> {
        let ids: Vec<Uuid> = ids.into_iter().collect();
        if ids.is_empty() {
            // Nothing to look up: no statement (an `IN ()` would still be a round trip).
            return Ok(Vec::new());
        }
        self.find::<E>()
            .filter(E::id_column().is_in(ids))
            .all(self)
            .await
    }

    /// An update of many rows of a tenant table, limited to this tenant.
    pub fn update_many<E: TenantEntity>(&self) -> Scoped<UpdateMany<E>> {
        Scoped::new(
            E::update_many().filter(self.mine::<E>()),
            Some(self.tenant_id),
        )
    }

    /// A delete on a tenant table, limited to this tenant.
    pub fn delete<E: TenantEntity>(&self) -> Scoped<DeleteMany<E>> {
        Scoped::new(
            E::delete_many().filter(self.mine::<E>()),
            Some(self.tenant_id),
        )
    }

    /// Inserts rows into this tenant, whatever tenant they named.
    pub async fn insert_many<A>(&self, rows: impl IntoIterator<Item = A>) -> DomainResult<()>
    where
        A: ActiveModelTrait + Send,
        A::Entity: TenantEntity,
    {
        let rows: Vec<A> = rows
            .into_iter()
            .map(|mut row| {
                row.set(
                    <A::Entity as TenantEntity>::tenant_column(),
                    self.tenant_id.into(),
                );
                row
            })
            .collect();
        if !rows.is_empty() {
            A::Entity::insert_many(rows).exec(&*self.tx).await?;
        }
        Ok(())
    }

    /// One step of this transaction done in `other`'s tenant, where one tenant's work touches
    /// another's own rows by design (a street's need keeps its requester in the community, a
    /// fulfilled wish credits the community's ledger). This tenant is restored afterwards,
    /// whatever the step returned; until then this transaction runs nothing of its own, and if
    /// the step never finishes (its future dropped) it cannot commit. The step works on the
    /// other tenant's rows directly, as the same actor: it is not a role-checked service call.
    pub(crate) async fn in_tenant<T>(
        &self,
        other: Uuid,
        step: impl AsyncFnOnce(&TenantTx) -> DomainResult<T>,
    ) -> DomainResult<T> {
        if self.tenant().is_none() {
            return Err(DomainError::Internal);
        }
        self.away.store(true, Ordering::Release);
        if self.writing {
            self.changed_nodes.note(&[other]);
        }
        set_tenant(&self.tx, other).await?;
        let view = TenantTx {
            tx: Arc::clone(&self.tx),
            tenant_id: other,
            away: AtomicBool::new(false),
            changes: Arc::clone(&self.changes),
            actor_user_id: self.actor_user_id,
            role: self.role,
            unit: self.unit,
            // A branch is a placement of this tenant, never of the other.
            branch: None,
            pulses: Arc::clone(&self.pulses),
            pulses_due: Arc::clone(&self.pulses_due),
            node_reads: Arc::clone(&self.node_reads),
            changed_nodes: self.changed_nodes.clone(),
            writing: self.writing,
            // The turn stays with the transaction that holds it.
            _turn: None,
        };
        let done = step(&view).await;
        drop(view);
        let back = set_tenant(&self.tx, self.tenant_id).await;
        if back.is_ok() {
            self.away.store(false, Ordering::Release);
        }
        // The step's own failure comes first: after a database error PostgreSQL refuses the
        // switch back too (the transaction is rolled back anyway), which is no news to log.
        let value = done?;
        back?;
        Ok(value)
    }

    fn mine<E: TenantEntity>(&self) -> sea_orm::sea_query::SimpleExpr {
        <E as TenantEntity>::tenant_column().eq(self.tenant_id)
    }

    /// Notes what this write changed, for the aggregates (applied when it commits).
    pub(crate) fn record(&self, change: Change) {
        let mut changes = self.changes.lock().unwrap_or_else(PoisonError::into_inner);
        changes.push((self.tenant_id, change));
    }

    /// Once this transaction has committed, whoever follows `key` in this tenant is told it
    /// changed (`pulse::Pulses`); nothing is told if it rolls back.
    pub(crate) fn pulse_after_commit(&self, key: Uuid) {
        let mut due = self
            .pulses_due
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if !due.contains(&(self.tenant_id, key)) {
            due.push((self.tenant_id, key));
        }
    }

    /// What was recorded so far, emptied.
    pub(crate) fn take_changes(&self) -> Vec<(Uuid, Change)> {
        let mut changes = self.changes.lock().unwrap_or_else(PoisonError::into_inner);
        std::mem::take(&mut *changes)
    }

    /// Commits as is; `Commit::commit` (in `rollup`) applies the recorded changes first.
    pub(crate) async fn commit_applied(self) -> DomainResult<()> {
        if self.away.load(Ordering::Acquire) {
            tracing::error!("a transaction left in another tenant's step was not committed");
            return Err(DomainError::Internal);
        }
        let tx = Arc::into_inner(self.tx).ok_or(DomainError::Internal)?;
        let _forget = self.changed_nodes.forget_after(&self.node_reads);
        tx.commit().await?;
        let due = std::mem::take(
            &mut *self
                .pulses_due
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        for (tenant, key) in due {
            self.pulses.beat(tenant, key);
        }
        Ok(())
    }
}

#[cfg(test)]
#[cfg(feature = "test-support")]
mod tests;
