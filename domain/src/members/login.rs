//! A member's own login: the secretary (or a worker) opens it from the member's page, so the
//! member can sign up for activities, check in, claim wishes and see their points on a phone.
//! Role `member` on the community, linked to the roster row, all in one transaction: a refused
//! request creates no account.
use crate::tenancy::Commit;
use sea_orm::sea_query::Expr;
use sea_orm::ColumnTrait;
use uuid::Uuid;

use super::roster::ensure_keeper;
use super::Status;
use crate::auth::users;
use crate::db::Db;
use crate::entities::member;
use crate::error::{DomainError, DomainResult};
use crate::kinds::Role;
use crate::tenancy::TenantScope;

pub async fn create_login(
    db: &Db,
    scope: &TenantScope,
    member_id: Uuid,
    login_name: &str,
    password: &str,
) -> DomainResult<Uuid> {
    let tx = scope.read(db).await?;
    ensure_keeper(&tx)?;
    let m = tx
        .find::<member::Entity>()
        .filter(member::Column::Id.eq(member_id))
        .one(&tx)
        .await?
        .ok_or(DomainError::NotFound)?;
    tx.commit().await?;
    if m.user_id.is_some() {
        return Err(DomainError::invalid("member_login", "exists"));
    }
    if m.status == Status::TransferredOut {
        return Err(DomainError::invalid(
            "member_login",
            "member_transferred_out",
        ));
    }
    let account = users::prepare(login_name, None, &m.name, password).await?;
    // The account, its role and the link to the roster row land together or not at all.
    let tx = scope.write(db).await?;
    let user_id = users::insert_opened(&tx, account).await?;
    users::grant_role_in(
        &tx,
        Some(scope.actor_user_id()),
        user_id,
        scope.tenant_id(),
        Role::Member,
    )
    .await?;
    // Linked only if still without an account (two staff at once: the first wins).
    let linked = tx
        .update_many::<member::Entity>()
        .col_expr(member::Column::UserId, Expr::value(user_id))
        .filter(member::Column::TenantId.eq(scope.tenant_id()))
        .filter(member::Column::Id.eq(member_id))
        .filter(member::Column::UserId.is_null())
        .exec(&tx)
        .await?;
    if linked.rows_affected == 0 {
        return Err(DomainError::invalid("member_login", "exists"));
    }
    tx.commit().await?;
    Ok(user_id)
}
