//! `backup FILE` and `restore FILE`.
//! - SQLite: `VACUUM INTO` writes a consistent copy while the server runs; restore puts a
//!   backup in place of a database that does not exist yet or is empty (never over data),
//!   checks its integrity and migrates it.
//! - PostgreSQL: `pg_dump` / `pg_restore` (custom format) as `BACKUP_DATABASE_URL`, a role that
//!   bypasses row-level security (every tenant's rows; the owner role does not — RLS is forced
//!   on it too). Restore goes into an empty database; the owner and serving roles must exist.
use std::path::Path;
use std::process::Command;

use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

use crate::config::Config;

pub async fn backup(config: &Config, file: &Path) -> Result<String, String> {
    if file.exists() {
        return Err(format!(
            "{} exists: a backup never overwrites",
            file.display()
        ));
    }
    if config.is_postgres() {
        let url = backup_url(config)?;
        run(Command::new("pg_dump")
            .args(["--format=custom", "--no-password", "--file"])
            .arg(file)
            .arg(url))?;
    } else {
        let conn = Database::connect(&config.database_url)
            .await
            .map_err(|e| format!("cannot open the database: {e}"))?;
        let target = file
            .to_str()
            .ok_or("the backup file name must be UTF-8")?
            .to_owned();
        conn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "VACUUM INTO ?",
            [target.into()],
        ))
        .await
        .map_err(|e| format!("backup failed: {e}"))?;
        conn.close().await.ok();
    }
    Ok(format!("backed up to {}", file.display()))
}

pub async fn restore(config: &Config, file: &Path) -> Result<String, String> {
    if !file.is_file() {
        return Err(format!("{} is not a file", file.display()));
    }
    if config.is_postgres() {
        let url = backup_url(config)?;
        if table_count(url).await? > 0 {
            return Err("the target database is not empty: restore only into a new one".into());
        }
        run(Command::new("pg_restore")
            .args([
                "--exit-on-error",
                "--single-transaction",
                "--no-password",
                "--dbname",
            ])
            .arg(url)
            .arg(file))?;
    } else {
        let path = domain::db::sqlite_file_path(&config.database_url)
            .ok_or("DATABASE_URL names no SQLite file")?;
        let path = Path::new(&path);
        if path.exists() && table_count(&config.database_url).await? > 0 {
            return Err(format!(
                "{} holds data: restore only into a new database",
                path.display()
            ));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        // An empty database's journal must not be replayed over the restored file.
        for suffix in ["-wal", "-shm"] {
            let mut journal = path.as_os_str().to_owned();
            journal.push(suffix);
            std::fs::remove_file(journal).ok();
        }
        std::fs::copy(file, path).map_err(|e| format!("cannot copy the backup: {e}"))?;
        if let Err(problem) = integrity(&config.database_url).await {
            std::fs::remove_file(path).ok();
            return Err(format!("the backup is damaged: {problem}"));
        }
    }
    crate::cli::migrate(config).await?;
    Ok(format!("restored from {}", file.display()))
}

async fn integrity(url: &str) -> Result<(), String> {
    let conn = Database::connect(url).await.map_err(|e| e.to_string())?;
    let check = conn
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await
        .map_err(|e| e.to_string())?
        .and_then(|row| row.try_get_by_index::<String>(0).ok());
    conn.close().await.ok();
    match check.as_deref() {
        Some("ok") => Ok(()),
        other => Err(format!("{other:?}")),
    }
}

fn backup_url(config: &Config) -> Result<&str, String> {
    config.backup_database_url.as_deref().ok_or_else(|| {
        "BACKUP_DATABASE_URL is needed on PostgreSQL: a role that bypasses row-level security \
         (e.g. postgres), since the owner role sees no tenant's rows"
            .to_owned()
    })
}

async fn table_count(url: &str) -> Result<i64, String> {
    let conn = Database::connect(url)
        .await
        .map_err(|e| format!("cannot open the target database: {e}"))?;
    let backend = conn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'"
        }
        _ => "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'",
    };
    let n = conn
        .query_one_raw(Statement::from_string(backend, sql))
        .await
        .map_err(|e| e.to_string())?
        .and_then(|row| row.try_get::<i64>("", "n").ok())
        .unwrap_or(0);
    conn.close().await.ok();
    Ok(n)
}

fn run(command: &mut Command) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{:?} failed: {}",
            command.get_program(),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}
