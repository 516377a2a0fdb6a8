//! Statements that run only where they belong. A `Scoped` statement on a tenant table comes from
//! `TenantTx::find`/`update_many`/`delete` (already limited to the tenant) and runs only in that
//! tenant's transaction; one on a shared table comes from `shared`. Rows are written with
//! `Row::insert_in`/`update_in`/`delete_in`, which stamp or check the tenant themselves.
use std::future::Future;

use sea_orm::sea_query::{IntoCondition, IntoIden, SimpleExpr};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ActiveValue, ColumnTrait, DbErr, DeleteMany,
    DeleteResult, EntityTrait, FromQueryResult, IntoActiveModel, IntoSimpleExpr, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, SelectGetableTuple, SelectModel, Selector,
    TryGetableMany, UpdateMany, UpdateResult, Value,
};
use uuid::Uuid;

use super::{Runner, Table};
use crate::error::{DomainError, DomainResult};

/// A statement limited to one tenant (or on a shared table). Filters, order and limits may be
/// added; the tenant's own condition cannot be taken away, and only that tenant's transaction
/// runs it.
#[derive(Clone)]
#[must_use = "a statement does nothing until a runner runs it"]
pub struct Scoped<Q> {
    query: Q,
    /// None for a shared table, which any runner reads.
    tenant_id: Option<Uuid>,
}

impl<Q> Scoped<Q> {
    pub(super) fn new(query: Q, tenant_id: Option<Uuid>) -> Self {
        Scoped { query, tenant_id }
    }

    fn map(self, add: impl FnOnce(Q) -> Q) -> Self {
        Scoped::new(add(self.query), self.tenant_id)
    }

    /// The statement, if `on` may run it.
    fn for_runner(self, on: &impl Runner) -> DomainResult<Q> {
        match self.tenant_id {
            Some(tenant) if on.tenant() != Some(tenant) => {
                tracing::error!(
                    "a statement limited to one tenant was run outside its transaction"
                );
                Err(DomainError::Internal)
            }
            _ => Ok(self.query),
        }
    }
}

// What may be added to a statement: conditions, order, paging, columns. Never the statement
// itself (sea-orm's `query()` would let its table or its tenant condition be replaced).
impl<Q: QueryFilter> Scoped<Q> {
    pub fn filter(self, condition: impl IntoCondition) -> Self {
        self.map(|q| q.filter(condition))
    }
}

impl<Q: QueryOrder> Scoped<Q> {
    pub fn order_by_asc(self, column: impl IntoSimpleExpr) -> Self {
        self.map(|q| q.order_by_asc(column))
    }

    pub fn order_by_desc(self, column: impl IntoSimpleExpr) -> Self {
        self.map(|q| q.order_by_desc(column))
    }
}

impl<Q: QuerySelect> Scoped<Q> {
    pub fn limit(self, limit: u64) -> Self {
        self.map(|q| q.limit(limit))
    }

    pub fn offset(self, offset: u64) -> Self {
        self.map(|q| q.offset(offset))
    }

    pub fn select_only(self) -> Self {
        self.map(QuerySelect::select_only)
    }

    pub fn column(self, column: impl ColumnTrait) -> Self {
        self.map(|q| q.column(column))
    }

    pub fn column_as(self, expr: impl Into<SimpleExpr>, alias: &str) -> Self {
        self.map(|q| q.column_as(expr.into(), alias))
    }

    pub fn group_by(self, column: impl IntoSimpleExpr) -> Self {
        self.map(|q| q.group_by(column))
    }
}

impl<E: EntityTrait> Scoped<Select<E>> {
    pub async fn all(self, on: &impl Runner) -> DomainResult<Vec<E::Model>> {
        Ok(self.for_runner(on)?.all(&on.executor().0).await?)
    }

    pub async fn one(self, on: &impl Runner) -> DomainResult<Option<E::Model>> {
        Ok(self.for_runner(on)?.one(&on.executor().0).await?)
    }

    pub async fn count(self, on: &impl Runner) -> DomainResult<u64>
    where
        E::Model: Sync,
    {
        Ok(self.for_runner(on)?.count(&on.executor().0).await?)
    }

    /// Keeps the rows whose `column` is among the values `sub` selects: one statement where
    /// reading the values first would be two. `sub` must be limited to the same tenant.
    pub fn filter_in<F: EntityTrait>(
        self,
        column: impl ColumnTrait,
        sub: Scoped<Select<F>>,
    ) -> DomainResult<Self> {
        if sub.tenant_id != self.tenant_id {
            tracing::error!("a subquery of another tenant");
            return Err(DomainError::Internal);
        }
        let sub = sea_orm::QueryTrait::into_query(sub.query);
        Ok(self.map(|q| q.filter(column.in_subquery(sub))))
    }

    /// The selected columns as `M` (matched by name), still limited to the tenant.
    pub fn into_model<M: FromQueryResult>(self) -> Scoped<Selector<SelectModel<M>>> {
        Scoped::new(self.query.into_model(), self.tenant_id)
    }

    /// The selected columns as tuples, still limited to the tenant.
    pub fn into_tuple<T: TryGetableMany>(self) -> Scoped<Selector<SelectGetableTuple<T>>> {
        Scoped::new(self.query.into_tuple(), self.tenant_id)
    }
}

impl<T: TryGetableMany> Scoped<Selector<SelectGetableTuple<T>>> {
    pub async fn all(self, on: &impl Runner) -> DomainResult<Vec<T>> {
        Ok(self.for_runner(on)?.all(&on.executor().0).await?)
    }

    pub async fn one(self, on: &impl Runner) -> DomainResult<Option<T>> {
        Ok(self.for_runner(on)?.one(&on.executor().0).await?)
    }
}

impl<M: FromQueryResult> Scoped<Selector<SelectModel<M>>> {
    pub async fn all(self, on: &impl Runner) -> DomainResult<Vec<M>> {
        Ok(self.for_runner(on)?.all(&on.executor().0).await?)
    }
}

impl<E: EntityTrait> Scoped<UpdateMany<E>> {
    /// Sets a column on every row the statement matches.
    pub fn col_expr(self, col: impl IntoIden, expr: impl Into<SimpleExpr>) -> Self {
        self.map(|q| q.col_expr(col, expr.into()))
    }

    pub async fn exec(self, on: &impl Runner) -> DomainResult<UpdateResult> {
        Ok(self.for_runner(on)?.exec(&on.executor().0).await?)
    }
}

impl<E: EntityTrait> Scoped<DeleteMany<E>> {
    pub async fn exec(self, on: &impl Runner) -> DomainResult<DeleteResult> {
        Ok(self.for_runner(on)?.exec(&on.executor().0).await?)
    }
}

/// Writing one row. A tenant table's row goes to the runner's tenant, whatever tenant it named;
/// another tenant's row is never updated or deleted (it is not found).
pub trait Row: ActiveModelTrait + ActiveModelBehavior + Send + Sized
where
    Self::Entity: Table,
    <Self::Entity as EntityTrait>::Model: IntoActiveModel<Self>,
{
    fn insert_in(
        mut self,
        on: &impl Runner,
    ) -> impl Future<Output = DomainResult<<Self::Entity as EntityTrait>::Model>> + Send {
        async move {
            if let Some(column) = <Self::Entity as Table>::tenant_column() {
                let tenant = on.tenant().ok_or(DomainError::Internal)?;
                self.set(column, tenant.into());
            }
            Ok(self.insert(&on.executor().0).await?)
        }
    }

    fn update_in(
        mut self,
        on: &impl Runner,
    ) -> impl Future<Output = DomainResult<<Self::Entity as EntityTrait>::Model>> + Send {
        async move {
            let Some(column) = <Self::Entity as Table>::tenant_column() else {
                return Ok(self.update(&on.executor().0).await?);
            };
            let tenant: Value = on.tenant().ok_or(DomainError::Internal)?.into();
            match self.get(column) {
                ActiveValue::Set(v) | ActiveValue::Unchanged(v) if v != tenant => {
                    return Err(DomainError::NotFound);
                }
                ActiveValue::NotSet => self.set(column, tenant.clone()),
                _ => {}
            }
            let update = Self::Entity::update(self).validate()?;
            match update
                .filter(column.eq(tenant))
                .exec(&on.executor().0)
                .await
            {
                Err(DbErr::RecordNotUpdated) => Err(DomainError::NotFound),
                done => Ok(done?),
            }
        }
    }

    fn delete_in(self, on: &impl Runner) -> impl Future<Output = DomainResult<u64>> + Send {
        async move {
            let mut delete = Self::Entity::delete(self).validate()?;
            if let Some(column) = <Self::Entity as Table>::tenant_column() {
                let tenant = on.tenant().ok_or(DomainError::Internal)?;
                delete = delete.filter(column.eq(tenant));
            }
            Ok(delete.exec(&on.executor().0).await?.rows_affected)
        }
    }
}

impl<A> Row for A
where
    A: ActiveModelTrait + ActiveModelBehavior + Send + Sized,
    A::Entity: Table,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
}
