//! A tower-sessions store in the application's own database (SQLite or PostgreSQL): one row
//! per session, the record as JSON, expired rows removed by `ExpiredDeletion`.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Set};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

use crate::db::Db;
use crate::entities::session;
use crate::tenancy::recent::ForgetAfter;

/// What the app keeps in a session's record; the store reads the account from it (so an
/// account's sessions can be listed and ended), and `auth::account` the rest.
pub mod keys {
    /// The signed-in account's id.
    pub const USER: &str = "user_id";
    /// When the person signed in, and when the session was last touched (Unix seconds).
    pub const SIGNED_IN_AT: &str = "signed_in_at";
    pub const TOUCHED_AT: &str = "touched_at";
    /// The browser's User-Agent at sign-in (shortened) and the client address.
    pub const AGENT: &str = "agent";
    pub const ADDRESS: &str = "ip";
}

/// How long a session read from the database is kept in memory. Ended through this process, it
/// is forgotten at once; ended by another process serving the same database, within this time.
const SESSION_KEPT: std::time::Duration = std::time::Duration::from_secs(5);

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        DbSessionStore { db }
    }
}

fn backend(err: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

fn encode(record: &Record) -> session_store::Result<String> {
    serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))
}

/// The signed-in account the record names, if any.
fn account_of(record: &Record) -> Option<uuid::Uuid> {
    record
        .data
        .get(keys::USER)
        .and_then(|v| v.as_str())
        .and_then(|v| uuid::Uuid::parse_str(v).ok())
}

fn to_chrono(at: time::OffsetDateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond()).unwrap_or_default()
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh random id colliding is astronomically unlikely; retry rather than overwrite.
        while crate::tenancy::shared::find_by_id::<session::Entity>(record.id.to_string())
            .one(&self.db)
            .await
            .map_err(backend)?
            .is_some()
        {
            record.id = Id::default();
        }
        let row = session::ActiveModel {
            id: Set(record.id.to_string()),
            data: Set(encode(record)?),
            expiry_date: Set(to_chrono(record.expiry_date)),
            user_id: Set(account_of(record)),
            handle: Set(Some(uuid::Uuid::new_v4())),
        };
        crate::tenancy::shared::insert_many(&self.db, vec![row])
            .await
            .map_err(backend)
    }

    /// Updates the row only: a session ended meanwhile (signed out elsewhere, a password
    /// changed or reset) stays ended even if a request still holding it writes afterwards.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let _forget = self.db.sessions().forget_after(Some(record.id.to_string()));
        crate::tenancy::shared::update_many::<session::Entity>()
            .col_expr(session::Column::Data, Expr::value(encode(record)?))
            .col_expr(
                session::Column::ExpiryDate,
                Expr::value(to_chrono(record.expiry_date)),
            )
            .col_expr(session::Column::UserId, Expr::value(account_of(record)))
            .filter(session::Column::Id.eq(record.id.to_string()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    /// Kept for a few seconds: every request of a signed-in person reads its session.
    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let key = session_id.to_string();
        let kept = self.db.sessions();
        if let Some(record) = kept.get::<Record>(&key, SESSION_KEPT) {
            let unexpired = record.expiry_date > time::OffsetDateTime::now_utc();
            return Ok(unexpired.then(|| Record::clone(&record)));
        }
        let read_at = kept.generation();
        let record = self.read(session_id).await?;
        if let Some(record) = &record {
            kept.keep(key, std::sync::Arc::new(record.clone()), read_at);
        }
        Ok(record)
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        let _forget = self
            .db
            .sessions()
            .forget_after(Some(session_id.to_string()));
        crate::tenancy::shared::delete_many::<session::Entity>()
            .filter(session::Column::Id.eq(session_id.to_string()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

impl DbSessionStore {
    async fn read(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let row = crate::tenancy::shared::find_by_id::<session::Entity>(session_id.to_string())
            .filter(session::Column::ExpiryDate.gt(Utc::now()))
            .one(&self.db)
            .await
            .map_err(backend)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(row.expiry_date.timestamp())
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *session_id,
            data,
            expiry_date,
        }))
    }
}

/// Armed before sessions are ended other than one by one (an account's, on a password change
/// or a deactivation): once dropped, no session is taken from memory until read again.
pub(crate) fn forget_all_after(db: &Db) -> ForgetAfter<'_, String> {
    db.sessions().forget_after(None)
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        crate::tenancy::shared::delete_many::<session::Entity>()
            .filter(session::Column::ExpiryDate.lt(Utc::now()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
