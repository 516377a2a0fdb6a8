//! Database handle. Feature code never gets the raw connection: it runs statements through
//! `TenantTx` (tenant detail) or, for shared tables, through the pool or a `SharedTx`
//! (`tenancy::shared`). The connection itself stays inside `tenancy`.
use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::SqliteJournalMode;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
    TransactionTrait, Value,
};

use super::recent::Recent;
use crate::error::{DomainError, DomainResult};

#[derive(Clone, Debug)]
pub struct Db {
    pub(super) conn: DatabaseConnection,
    /// A streaming replica the aggregates of a district and above are read from
    /// (`DATABASE_READ_URL`); None: everything from `conn`.
    reader: Option<DatabaseConnection>,
    /// When the replica last failed a read (Unix seconds; 0: never): it is left alone for
    /// `REPLICA_REST` after, so a replica that is down costs one wait, not one per read.
    replica_failed_at: std::sync::Arc<std::sync::atomic::AtomicI64>,
    /// What never changes once written, read once (org nodes).
    memo: std::sync::Arc<super::memo::Memo>,
    /// The signed-in accounts (by user id) and their sessions (by session id), kept seconds.
    principals: std::sync::Arc<Recent<uuid::Uuid>>,
    sessions: std::sync::Arc<Recent<String>>,
    /// SQLite's one writer at a time, taken in arrival order (`Db::write_turn`).
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// Change notices for what open pages follow live.
    pulses: std::sync::Arc<super::pulse::Pulses>,
    /// Nodes' rolled-up figures and pages, and people's unread counts, kept until a change.
    node_reads: std::sync::Arc<super::recent::KeptReads>,
    /// False: figures are read from the tables every time (still forgotten on change).
    reads_kept_figures: bool,
    /// The channels beyond the app this deployment sends through.
    outbound: std::sync::Arc<crate::outbound::Outbound>,
    /// Where attached files are kept.
    files: std::sync::Arc<crate::files::FileStore>,
}

/// How long a node's read is kept in memory when nothing in this process changes it: a change
/// made through another process serving the same database is seen within this time.
const KEPT: Duration = Duration::from_secs(5);

/// How long reads leave a replica alone after it failed one.
const REPLICA_REST: Duration = Duration::from_secs(30);

/// At most this many reads are kept: nodes' figures, dashboards and workbooks, communities'
/// homes and their staff's activity pages (each ~10-20 KB: ~40 MB at most); a community's
/// roster counts as as many pages as it takes memory (`members::roster`). Full, it starts
/// again empty.
const NODE_READS: usize = 2_000;

/// At most this many people's own figures are kept (unread counts, workbench counts: a few
/// dozen bytes each).
const PERSONAL_FIGURES: usize = 50_000;

/// How long a write waits for its turn on SQLite before it gives up (as long as a connection
/// may be waited for).
const WRITE_WAIT: Duration = Duration::from_secs(10);

/// The statements a `Db::counting` handle ran, in order (`BEGIN` and `COMMIT` not included).
#[cfg(feature = "test-support")]
#[derive(Clone, Debug, Default)]
pub struct StatementLog(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

#[cfg(feature = "test-support")]
impl StatementLog {
    fn push(&self, sql: &str) {
        let mut log = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        log.push(sql.to_owned());
    }

    /// What was logged so far, emptied.
    pub fn take(&self) -> Vec<String> {
        let mut log = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::mem::take(&mut *log)
    }
}

/// Tables the application role may only read and append to.
const APPEND_ONLY_TABLES: &[&str] = &["audit_log"];

/// The pool's size and how long it waits (`DATABASE_MAX_CONNECTIONS`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolOptions {
    pub max_connections: u32,
    /// How long a request waits for a free connection before it fails.
    pub acquire_timeout: Duration,
    /// How long opening a connection may take.
    pub connect_timeout: Duration,
    /// A connection idle this long is closed (the pool shrinks after a peak).
    pub idle_timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(600),
        }
    }
}

/// How far a read replica is behind (`Db::replica_lag`).
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReplicaLag {
    /// The primary's write-ahead log not yet replayed there.
    pub bytes: i64,
    /// Since the last transaction it replayed, while something is missing (0 when caught up).
    pub seconds: f64,
}

/// The pool's connections right now (`/metrics`, the operator's page).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PoolUse {
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

impl PoolUse {
    /// Connections handed out now.
    pub fn in_use(&self) -> u32 {
        self.open.saturating_sub(self.idle)
    }
}

impl Db {
    /// Connects the serving role. SQLite files get WAL, foreign keys and a busy timeout.
    pub async fn connect(url: &str) -> DomainResult<Db> {
        Db::connect_with(url, PoolOptions::default()).await
    }

    /// `connect` with the pool's size and timeouts.
    pub async fn connect_with(url: &str, pool: PoolOptions) -> DomainResult<Db> {
        let conn = connect_raw(url, pool, false).await?;
        Ok(Db {
            conn,
            reader: None,
            replica_failed_at: std::sync::Arc::default(),
            memo: std::sync::Arc::default(),
            principals: std::sync::Arc::default(),
            sessions: std::sync::Arc::default(),
            writer: std::sync::Arc::default(),
            pulses: std::sync::Arc::default(),
            node_reads: std::sync::Arc::new(super::recent::KeptReads::with_capacity(
                NODE_READS,
                PERSONAL_FIGURES,
            )),
            reads_kept_figures: true,
            outbound: std::sync::Arc::default(),
            files: std::sync::Arc::default(),
        })
    }

    /// The same pool sending through `outbound` beyond the app.
    pub fn with_outbound(&self, outbound: crate::outbound::Outbound) -> Db {
        Db {
            outbound: std::sync::Arc::new(outbound),
            ..self.clone()
        }
    }

    pub fn outbound(&self) -> &crate::outbound::Outbound {
        &self.outbound
    }

    /// The same pool keeping attached files in `files`.
    pub fn with_files(&self, files: crate::files::FileStore) -> Db {
        Db {
            files: std::sync::Arc::new(files),
            ..self.clone()
        }
    }

    pub fn files(&self) -> &crate::files::FileStore {
        &self.files
    }

    /// The same pool reading from the database every time whatever `kept` would keep (figures,
    /// homes, the staff's activity page: a benchmark of the reads themselves, and tests'
    /// reference); its writes still forget what the others keep.
    pub fn without_kept_figures(&self) -> Db {
        Db {
            reads_kept_figures: false,
            ..self.clone()
        }
    }

    pub(crate) fn node_reads(&self) -> &std::sync::Arc<super::recent::KeptReads> {
        &self.node_reads
    }

    /// `read`, kept in memory under `key` until a commit makes it stale (`ChangedNodes`: the
    /// node's totals moved, or something was written in the node's tenant) or for `KEPT`,
    /// whichever comes first.
    pub(crate) async fn kept<T: Clone + Send + Sync + 'static>(
        &self,
        key: super::recent::NodeRead,
        read: impl std::future::Future<Output = DomainResult<T>>,
    ) -> DomainResult<T> {
        self.kept_weighing(key, read, |_| 1).await
    }

    /// `kept` for a value that weighs `weight(value)` pages against `NODE_READS`.
    pub(crate) async fn kept_weighing<T: Clone + Send + Sync + 'static>(
        &self,
        key: super::recent::NodeRead,
        read: impl std::future::Future<Output = DomainResult<T>>,
        weight: impl FnOnce(&T) -> usize,
    ) -> DomainResult<T> {
        self.kept_in(&self.node_reads.pages, key, read, weight)
            .await
    }

    /// A person's own small figures at a node (their unread count, their workbench's counts),
    /// `kept` apart from the pages (`PERSONAL_FIGURES`): thousands of them must not push the
    /// pages out.
    pub(crate) async fn kept_personal<T: Clone + Send + Sync + 'static>(
        &self,
        key: super::recent::NodeRead,
        read: impl std::future::Future<Output = DomainResult<T>>,
    ) -> DomainResult<T> {
        self.kept_in(&self.node_reads.unread, key, read, |_| 1)
            .await
    }

    async fn kept_in<T: Clone + Send + Sync + 'static>(
        &self,
        kept: &super::recent::NodeReads,
        key: super::recent::NodeRead,
        read: impl std::future::Future<Output = DomainResult<T>>,
        weight: impl FnOnce(&T) -> usize,
    ) -> DomainResult<T> {
        if !self.reads_kept_figures {
            return read.await;
        }
        if let Some(value) = kept.get::<T>(&key, KEPT) {
            return Ok(T::clone(&value));
        }
        // A page many have open is read once when its kept read expires, not by all of them.
        let _turn = kept.read_turn(&key).await;
        if let Some(value) = kept.get::<T>(&key, KEPT) {
            return Ok(T::clone(&value));
        }
        // Taken before the read starts (the future runs only when awaited).
        let read_at = kept.generation();
        let value = read.await?;
        let weight = weight(&value);
        kept.keep_weighing(key, std::sync::Arc::new(value.clone()), read_at, weight);
        Ok(value)
    }

    pub(crate) fn memo(&self) -> &super::memo::Memo {
        &self.memo
    }

    /// On SQLite, a write transaction's turn: held from before `BEGIN IMMEDIATE` until the
    /// transaction ends. Writers then queue here first come, first served; without it they
    /// wait in SQLite's busy handler, which sleeps and retries, so a late writer can overtake
    /// and an unlucky one waits seconds under load. PostgreSQL needs none (`None`).
    pub(super) async fn write_turn(
        &self,
    ) -> DomainResult<Option<tokio::sync::OwnedMutexGuard<()>>> {
        if self.is_postgres() {
            return Ok(None);
        }
        match tokio::time::timeout(WRITE_WAIT, self.writer.clone().lock_owned()).await {
            Ok(turn) => Ok(Some(turn)),
            Err(_) => {
                tracing::error!("a write waited {WRITE_WAIT:?} for its turn on SQLite");
                Err(DomainError::Internal)
            }
        }
    }

    pub(crate) fn pulses(&self) -> &std::sync::Arc<super::pulse::Pulses> {
        &self.pulses
    }

    pub(crate) fn principals(&self) -> &Recent<uuid::Uuid> {
        &self.principals
    }

    pub(crate) fn sessions(&self) -> &Recent<String> {
        &self.sessions
    }

    /// The same pool and memo, reporting every statement it runs to the returned log (tests:
    /// what a page costs in statements).
    #[cfg(feature = "test-support")]
    pub fn counting(&self) -> (Db, StatementLog) {
        let log = StatementLog::default();
        let sink = log.clone();
        let mut conn = self.conn.clone();
        conn.set_metric_callback(move |info| sink.push(&info.statement.sql));
        let db = Db {
            conn,
            ..self.clone()
        };
        (db, log)
    }

    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    pub fn is_postgres(&self) -> bool {
        self.backend() == DbBackend::Postgres
    }

    /// The same pool, reading the aggregates of a district and above from the replica at `url`
    /// (PostgreSQL streaming replication of this database; the serving role connects).
    pub async fn with_reader(&self, url: &str, pool: PoolOptions) -> DomainResult<Db> {
        if !self.is_postgres() || !url.starts_with("postgres") {
            tracing::error!("a read replica needs PostgreSQL on both sides");
            return Err(DomainError::Internal);
        }
        // Connected on first use: a replica that is down does not stop the server (the
        // aggregates are read from the primary meanwhile, `read_aggregates`).
        let reader = connect_raw(url, pool, true).await?;
        match reader
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT pg_is_in_recovery() AS replica",
            ))
            .await
        {
            Ok(Some(row)) if !row.try_get::<bool>("", "replica")? => {
                tracing::error!("DATABASE_READ_URL is not a replica (it is not in recovery)");
                return Err(DomainError::Internal);
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "the read replica does not answer yet"),
        }
        Ok(Db {
            reader: Some(reader),
            ..self.clone()
        })
    }

    /// The replica's handle, if there is one (aggregates of a district and above are read
    /// there, a second or so behind like those totals themselves).
    pub(crate) fn replica(&self) -> Option<Db> {
        let failed_at = self
            .replica_failed_at
            .load(std::sync::atomic::Ordering::Relaxed);
        if chrono::Utc::now().timestamp() - failed_at < REPLICA_REST.as_secs() as i64 {
            return None;
        }
        self.reader.as_ref().map(|reader| Db {
            conn: reader.clone(),
            reader: None,
            ..self.clone()
        })
    }

    /// A read on the replica failed: the primary serves those reads for `REPLICA_REST`.
    pub(crate) fn replica_failed(&self) {
        self.replica_failed_at.store(
            chrono::Utc::now().timestamp(),
            std::sync::atomic::Ordering::Relaxed,
        );
    }

    /// How far the replica is behind this primary: None without one.
    pub async fn replica_lag(&self) -> DomainResult<Option<ReplicaLag>> {
        let Some(reader) = &self.reader else {
            return Ok(None);
        };
        let primary = self
            .conn
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT pg_current_wal_lsn()::text AS lsn",
            ))
            .await?;
        let lsn: String = match primary {
            Some(row) => row.try_get("", "lsn")?,
            None => return Ok(None),
        };
        // Bytes of the primary's log not replayed yet; while the replica holds log it has not
        // replayed, the seconds since the last transaction it replayed (a quiet primary is not
        // a lagging replica). NULL: it is not replaying (promoted, or not a replica).
        let row = reader
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT GREATEST(pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()), 0)::bigint AS bytes, \
                 CASE WHEN pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn() \
                 THEN EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 ELSE 0 END AS seconds",
                [Value::from(lsn)],
            ))
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let Some(bytes) = row.try_get::<Option<i64>>("", "bytes")? else {
            tracing::error!("the read replica is not replaying the primary's log");
            return Err(DomainError::Internal);
        };
        let seconds: Option<f64> = row.try_get("", "seconds")?;
        Ok(Some(ReplicaLag {
            bytes,
            seconds: seconds.unwrap_or(0.0).max(0.0),
        }))
    }

    /// The pool's open and idle connections, and its most.
    pub fn pool_use(&self) -> PoolUse {
        let (open, idle, max) = match self.backend() {
            DbBackend::Postgres => {
                let pool = self.conn.get_postgres_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
            _ => {
                let pool = self.conn.get_sqlite_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
        };
        PoolUse {
            open,
            idle: u32::try_from(idle).unwrap_or(u32::MAX),
            max,
        }
    }

    pub async fn ping(&self) -> DomainResult<()> {
        self.conn.ping().await.map_err(DomainError::from)
    }

    pub async fn close(self) {
        if let Err(err) = self.conn.close().await {
            tracing::warn!(error = %err, "closing the database pool");
        }
    }

    /// True when no org node exists yet (a fresh database).
    pub async fn is_empty(&self) -> DomainResult<bool> {
        let sql = "SELECT 1 AS one FROM org_nodes LIMIT 1";
        let any = self
            .conn
            .query_one_raw(Statement::from_string(self.backend(), sql))
            .await?;
        Ok(any.is_none())
    }

    /// Recomputes every subtree total from the per-node counters (the migration's own pass).
    pub(crate) async fn rebuild_totals(&self) -> DomainResult<()> {
        let _forget = self.node_reads.forget_after(None);
        if !self.is_postgres() {
            migrations::rebuild_totals(&self.conn).await?;
            return Ok(());
        }
        // Rebuilt from the own counters, which hold what was pending already: in one
        // transaction that no writer enters meanwhile.
        let tx = self.conn.begin().await?;
        // Folding first waits for its turn, then the tables (else a fold half done, holding
        // the queue and wanting the totals, and this, holding the totals, would wait on
        // each other).
        tx.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({COMPACT_LOCK})"))
            .await?;
        tx.execute_unprepared(
            "LOCK TABLE rollup_counts, rollup_totals, rollup_pending IN EXCLUSIVE MODE",
        )
        .await?;
        tx.execute_unprepared("DELETE FROM rollup_pending").await?;
        migrations::rebuild_totals(&tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// On PostgreSQL, refuses a serving role that is a superuser, bypasses RLS or owns tables:
    /// row-level security would not hold for it.
    pub async fn check_serving_role(&self) -> Result<(), String> {
        if !self.is_postgres() {
            return Ok(());
        }
        let row = self
            .conn
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                // Owning a table, or being a member of a role that owns one (it could
                // `SET ROLE` to the owner and drop row-level security), both count.
                "SELECT r.rolsuper, r.rolbypassrls, \
                 (SELECT count(*) FROM pg_tables t WHERE t.schemaname = 'public' \
                   AND pg_has_role(current_user, t.tableowner, 'MEMBER')) AS owned \
                 FROM pg_roles r WHERE r.rolname = current_user",
            ))
            .await
            .map_err(|e| e.to_string())?
            .ok_or("cannot read the current role")?;
        let superuser: bool = row.try_get("", "rolsuper").map_err(|e| e.to_string())?;
        let bypass: bool = row.try_get("", "rolbypassrls").map_err(|e| e.to_string())?;
        let owned: i64 = row.try_get("", "owned").map_err(|e| e.to_string())?;
        if superuser || bypass || owned > 0 {
            return Err(format!(
                "the serving database role must not be superuser ({superuser}), bypass RLS ({bypass}) or own tables or be a member of their owner ({owned} tables)"
            ));
        }
        Ok(())
    }
}

async fn connect_raw(url: &str, pool: PoolOptions, lazy: bool) -> DomainResult<DatabaseConnection> {
    if let Some(path) = sqlite_file_path(url) {
        if let Some(dir) = std::path::Path::new(&path).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|err| {
                    tracing::error!(error = %err, "creating the database folder");
                    DomainError::Internal
                })?;
            }
        }
    }
    let mut options = ConnectOptions::new(url.to_owned());
    // sqlx pings a pooled connection before handing it out: one more round trip (on SQLite a
    // hand-off to the connection's thread) for every transaction. A SQLite file cannot drop a
    // connection, so never; a PostgreSQL connection only after it has idled long enough for a
    // server, proxy or firewall to have dropped it.
    if sqlite_file_path(url).is_some() || url.starts_with("sqlite:") {
        options.test_before_acquire(false);
    } else {
        options.test_before_acquire_if_idle_for(Duration::from_secs(30));
    }
    options
        .sqlx_logging(false)
        .max_connections(pool.max_connections)
        .acquire_timeout(pool.acquire_timeout)
        .connect_timeout(pool.connect_timeout)
        .idle_timeout(pool.idle_timeout)
        .connect_lazy(lazy)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    Database::connect(options).await.map_err(DomainError::from)
}

pub fn sqlite_file_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://")?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}

/// Runs pending migrations as the owner and, on PostgreSQL, grants the serving role what it
/// needs: read/write on the tables, read/append only on the audit log, nothing it could own.
/// Server processes starting at once take turns (PostgreSQL refuses two grants on one table
/// at the same moment): a lock held by a transaction on one of the pool's connections while
/// the others migrate and grant.
pub async fn migrate(owner_url: &str, app_role: Option<&str>) -> DomainResult<()> {
    let conn = connect_raw(owner_url, PoolOptions::default(), false).await?;
    let postgres = conn.get_database_backend() == DbBackend::Postgres;
    let turn = if postgres {
        let turn = conn.begin().await?;
        turn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
            .await?;
        Some(turn)
    } else {
        None
    };
    // Any failure here is the schema's, never a race of people's writes: said as it is.
    Migrator::up(&conn, None).await.map_err(|err| {
        tracing::error!(error = %err, "migration failed");
        DomainError::Internal
    })?;
    if postgres {
        // The audit log's months keep 24 ahead of today (each `migrate`, each upgrade).
        migrations::audit_months(&conn, "now").await?;
    }
    if let (true, Some(role)) = (postgres, app_role) {
        grant_serving_role(&conn, role).await?;
    }
    if let Some(turn) = turn {
        turn.commit().await?;
    }
    conn.close().await.ok();
    Ok(())
}

/// The advisory lock whoever folds the pending totals in holds (`rollup::compact`; any number
/// no other lock uses).
pub const COMPACT_LOCK: i64 = 0x726f_6c6c_7570; // "rollup"

/// The advisory lock `migrate` takes its turn under (any number no other lock uses).
const MIGRATION_LOCK: i64 = 0x6a69_616e; // "jian"

async fn grant_serving_role(conn: &DatabaseConnection, role: &str) -> DomainResult<()> {
    if !role.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || role.is_empty() {
        return Err(DomainError::invalid("app_role", "bad_name"));
    }
    let mut statements = vec![
        format!("GRANT USAGE ON SCHEMA public TO {role}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"),
        format!("REVOKE ALL ON seaql_migrations FROM {role}"),
    ];
    for table in APPEND_ONLY_TABLES {
        statements.push(format!(
            "REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {role}"
        ));
        // And on each of its partitions (the audit log's months), reachable by name too.
        let parts = conn
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                format!(
                    "SELECT inhrelid::regclass::text AS part FROM pg_inherits \
                     WHERE inhparent = '{table}'::regclass"
                ),
            ))
            .await?;
        for part in parts {
            let part: String = part.try_get("", "part")?;
            statements.push(format!(
                "REVOKE UPDATE, DELETE, TRUNCATE ON {part} FROM {role}"
            ));
        }
    }
    for sql in statements {
        conn.execute_unprepared(&sql).await?;
    }
    Ok(())
}

/// Builds a statement written with `$1, $2 …` placeholders for either engine. SQLite takes
/// `?` in order: each placeholder becomes one, bound to its numbered value, so a statement may
/// use `$1` twice on both engines.
pub(crate) fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    if backend == DbBackend::Postgres {
        return Statement::from_sql_and_values(backend, sql, values);
    }
    let mut out = String::with_capacity(sql.len());
    let mut bound = Vec::with_capacity(values.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
            let mut number = 0_usize;
            while let Some(digit) = chars.peek().and_then(|d| d.to_digit(10)) {
                number = number.saturating_mul(10).saturating_add(digit as usize);
                chars.next();
            }
            out.push('?');
            // A number without its value (a mistake in the code) leaves the statement short
            // of a value: the engine refuses it.
            if let Some(value) = number.checked_sub(1).and_then(|i| values.get(i)) {
                bound.push(value.clone());
            }
        } else {
            out.push(c);
        }
    }
    Statement::from_sql_and_values(backend, out, bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_follow_the_engine() {
        let s = statement(
            DbBackend::Sqlite,
            "a = $1 AND b = $2",
            vec![1.into(), 2.into()],
        );
        assert_eq!(s.sql, "a = ? AND b = ?");
        // A placeholder used twice, and out of order, is bound to its own value each time.
        let twice = statement(
            DbBackend::Sqlite,
            "a = $2 OR b = $1 OR c = $2",
            vec![1.into(), 2.into()],
        );
        assert_eq!(twice.sql, "a = ? OR b = ? OR c = ?");
        assert_eq!(
            twice.values.map(|v| v.0),
            Some(vec![2.into(), 1.into(), 2.into()])
        );
        let p = statement(DbBackend::Postgres, "a = $1", vec![1.into()]);
        assert_eq!(p.sql, "a = $1");
    }

    #[test]
    fn finds_the_sqlite_file() {
        assert_eq!(
            sqlite_file_path("sqlite://data/g.db?mode=rwc").as_deref(),
            Some("data/g.db")
        );
        assert_eq!(sqlite_file_path("postgres://x/y"), None);
    }
}
