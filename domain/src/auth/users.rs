//! Accounts are platform records; what a user may see comes from role assignments.
use chrono::Utc;
use sea_orm::{ColumnTrait, Condition, Set};
use uuid::Uuid;

use crate::audit::{self, AuditEvent};
use crate::auth::{passwords, roles::Role};
use crate::db::Db;
use crate::entities::{org_node, role_assignment, user};
use crate::error::{DomainError, DomainResult};
use crate::tenancy::{Row, Runner};

use crate::validate::required_text;

pub struct NewUser<'a> {
    pub login_name: &'a str,
    pub phone: Option<&'a str>,
    pub display_name: &'a str,
    pub password: &'a str,
}

pub use crate::validate::check_phone;

/// An account checked and its password hashed, ready to insert (hashing is the slow part, so
/// it happens before any transaction is opened).
pub struct PreparedUser {
    login_name: String,
    phone: Option<String>,
    display_name: String,
    password_hash: String,
    /// The password was chosen by someone else and must be replaced at first login.
    one_time: bool,
}

impl PreparedUser {
    /// Checks the fields and hashes the password (CPU-bound: off the runtime on request paths,
    /// see `prepare`).
    pub fn new(new: NewUser<'_>) -> DomainResult<Self> {
        let login_name = required_text("login_name", new.login_name, 64)?.to_lowercase();
        if !login_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        {
            return Err(DomainError::invalid("login_name", "bad_chars"));
        }
        let display_name = required_text("display_name", new.display_name, 64)?;
        let phone = new.phone.map(check_phone).transpose()?;
        let password_hash = passwords::hash(new.password)?;
        Ok(PreparedUser {
            login_name,
            phone,
            display_name,
            password_hash,
            one_time: false,
        })
    }

    /// Another account with the same password, hashed once (the demo's and the benchmark's
    /// thousands of made-up members).
    pub fn alike(&self, login_name: &str, display_name: &str) -> Self {
        PreparedUser {
            login_name: login_name.to_lowercase(),
            phone: None,
            display_name: display_name.to_owned(),
            password_hash: self.password_hash.clone(),
            one_time: self.one_time,
        }
    }

    /// Marks the password as one-time: the account must choose its own at first login.
    pub fn one_time(mut self) -> Self {
        self.one_time = true;
        self
    }
}

/// `PreparedUser::new` on a blocking thread, for an account staff open for someone else (a
/// member's or a liaison's login): the password they hand over is one-time.
pub async fn prepare(
    login_name: &str,
    phone: Option<&str>,
    display_name: &str,
    password: &str,
) -> DomainResult<PreparedUser> {
    let (login_name, phone, display_name, password) = (
        login_name.to_owned(),
        phone.map(str::to_owned),
        display_name.to_owned(),
        password.to_owned(),
    );
    tokio::task::spawn_blocking(move || {
        PreparedUser::new(NewUser {
            login_name: &login_name,
            phone: phone.as_deref(),
            display_name: &display_name,
            password: &password,
        })
        .map(PreparedUser::one_time)
    })
    .await
    .map_err(|_| DomainError::Internal)?
}

/// Creates an account (platform onboarding, demo seeding). Login names are stored lower-case.
pub async fn create_user(db: &Db, new: NewUser<'_>) -> DomainResult<Uuid> {
    insert_user(db, PreparedUser::new(new)?).await
}

/// `insert_user` for an account staff open on a form: a taken login name or phone is a reason
/// the form shows (`login_name`: `taken`), not a conflict.
pub async fn insert_opened(conn: &impl Runner, new: PreparedUser) -> DomainResult<Uuid> {
    insert_user(conn, new).await.map_err(|err| match err {
        DomainError::Conflict(_) => DomainError::invalid("login_name", "taken"),
        err => err,
    })
}

/// Inserts a prepared account inside the caller's transaction (so an account and what links
/// it land together or not at all).
pub async fn insert_user(conn: &impl Runner, new: PreparedUser) -> DomainResult<Uuid> {
    let mut taken = login_taken(conn, &new.login_name).await?;
    if let Some(phone) = &new.phone {
        taken = taken || login_taken(conn, phone).await?;
    }
    if taken {
        return Err(DomainError::Conflict("login_name".into()));
    }
    let id = Uuid::now_v7();
    user::ActiveModel {
        id: Set(id),
        login_name: Set(new.login_name),
        phone: Set(new.phone),
        display_name: Set(new.display_name),
        password_hash: Set(new.password_hash),
        active: Set(true),
        created_at: Set(Utc::now()),
        must_change_password: Set(new.one_time),
        last_login_at: Set(None),
        password_changed_at: Set(None),
        email: Set(None),
        sms_phone: Set(None),
    }
    .insert_in(conn)
    .await?;
    Ok(id)
}

/// Whether any account, active or not, already uses this value as login name or phone.
async fn login_taken(conn: &impl Runner, value: &str) -> DomainResult<bool> {
    let count = crate::tenancy::shared::find::<user::Entity>()
        .filter(
            Condition::any()
                .add(user::Column::LoginName.eq(value))
                .add(user::Column::Phone.eq(value)),
        )
        .count(conn)
        .await?;
    Ok(count > 0)
}

/// Finds an active account by login name or phone number.
pub async fn find_by_login(db: &Db, login: &str) -> DomainResult<Option<user::Model>> {
    let login = login.trim().to_lowercase();
    crate::tenancy::shared::find::<user::Entity>()
        .filter(
            Condition::any()
                .add(user::Column::LoginName.eq(login.clone()))
                .add(user::Column::Phone.eq(login)),
        )
        .filter(user::Column::Active.eq(true))
        .one(db)
        .await
}

/// Grants a role on a node, checking the role fits the node's level; audited.
pub async fn grant_role(
    db: &Db,
    granted_by: Option<Uuid>,
    user_id: Uuid,
    node_id: Uuid,
    role: Role,
) -> DomainResult<()> {
    let _forget = super::authz::Principal::forget_after(db, user_id);
    grant_role_in(db, granted_by, user_id, node_id, role).await
}

/// `grant_role` inside the caller's transaction.
pub async fn grant_role_in(
    conn: &impl Runner,
    granted_by: Option<Uuid>,
    user_id: Uuid,
    node_id: Uuid,
    role: Role,
) -> DomainResult<()> {
    assign(conn, granted_by, user_id, node_id, role, None).await
}

/// A 支部书记's role on a community, held for one of its grid branches (the caller has checked
/// the branch is the community's). Granting it again for another branch moves it there.
pub async fn grant_branch_in(
    conn: &impl Runner,
    granted_by: Option<Uuid>,
    user_id: Uuid,
    node_id: Uuid,
    branch: Uuid,
) -> DomainResult<()> {
    assign(
        conn,
        granted_by,
        user_id,
        node_id,
        Role::BranchSecretary,
        Some(branch),
    )
    .await
}

async fn assign(
    conn: &impl Runner,
    granted_by: Option<Uuid>,
    user_id: Uuid,
    node_id: Uuid,
    role: Role,
    placement: Option<Uuid>,
) -> DomainResult<()> {
    let node = crate::tenancy::shared::find_by_id::<org_node::Entity>(node_id)
        .one(conn)
        .await?
        .ok_or(DomainError::NotFound)?;
    if !role.fits(node.kind) || (role == Role::BranchSecretary) != placement.is_some() {
        return Err(DomainError::invalid("role", "wrong_level"));
    }
    let exists = crate::tenancy::shared::find::<role_assignment::Entity>()
        .filter(role_assignment::Column::UserId.eq(user_id))
        .filter(role_assignment::Column::NodeId.eq(node_id))
        .filter(role_assignment::Column::Role.eq(role.as_str()))
        .one(conn)
        .await?;
    match exists {
        Some(held) if held.placement_id == placement => return Ok(()),
        Some(held) => {
            crate::tenancy::shared::update_many::<role_assignment::Entity>()
                .col_expr(
                    role_assignment::Column::PlacementId,
                    sea_orm::sea_query::Expr::value(placement),
                )
                .filter(role_assignment::Column::Id.eq(held.id))
                .exec(conn)
                .await?;
        }
        None => {
            role_assignment::ActiveModel {
                id: Set(Uuid::now_v7()),
                user_id: Set(user_id),
                node_id: Set(node_id),
                role: Set(role),
                created_at: Set(Utc::now()),
                placement_id: Set(placement),
            }
            .insert_in(conn)
            .await?;
        }
    }
    let mut detail = serde_json::json!({ "role": role.as_str() });
    if let Some(branch) = placement {
        detail["branch"] = serde_json::json!(branch);
    }
    audit::record(
        conn,
        AuditEvent::new("role_granted", user_id.to_string())
            .actor(granted_by)
            .node(Some(node_id))
            .detail(detail),
    )
    .await
}

/// A platform operator's account, from the command line (the instance's first account):
/// role `platform_operator` on the country node, which `import-divisions` creates. Returns the
/// one-time password to hand over; it must be replaced at first login.
pub async fn create_operator(
    db: &Db,
    login_name: &str,
    display_name: &str,
) -> DomainResult<(Uuid, String)> {
    let country = crate::tenancy::shared::find::<org_node::Entity>()
        .filter(org_node::Column::Kind.eq(crate::kinds::NodeKind::Country.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::invalid("divisions", "not_imported"))?;
    let password = passwords::one_time();
    let account = PreparedUser::new(NewUser {
        login_name,
        phone: None,
        display_name,
        password: &password,
    })?
    .one_time();
    let tx = db.begin_shared().await?;
    let user_id = insert_user(&tx, account).await?;
    grant_role_in(&tx, None, user_id, country.id, Role::PlatformOperator).await?;
    audit::record(
        &tx,
        AuditEvent::new("operator_created", login_name.to_lowercase()).node(Some(country.id)),
    )
    .await?;
    tx.commit().await?;
    Ok((user_id, password))
}

/// The login name of an account (for messages to the staff who manage it).
pub async fn login_name_of(db: &Db, user_id: Uuid) -> DomainResult<String> {
    crate::tenancy::shared::find_by_id::<user::Entity>(user_id)
        .one(db)
        .await?
        .map(|u| u.login_name)
        .ok_or(DomainError::NotFound)
}
