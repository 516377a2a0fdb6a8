//! Sub-commands: serve (default), migrate, seed-demo, create-operator, import-divisions,
//! reconcile, backup, restore.
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use domain::demo::{self, DemoAccount};
use domain::divisions as import;
use domain::Db;
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;

#[derive(Debug, Parser)]
#[command(
    name = "gongjian",
    about = "共建 · community Party-building co-construction platform"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Apply database migrations (as the owner role on PostgreSQL) and grant the serving role.
    Migrate,
    /// Seed the demo district 长春市宽城区 with accounts for every role.
    SeedDemo {
        /// Seed even though GONGJIAN_MODE=production: the demo's accounts, members and units
        /// land in the production database (for a training instance, never a real one).
        #[arg(long)]
        yes_into_production: bool,
        /// On a demo seeded before: add today's work again (an activity on now, a full lecture
        /// with a waitlist, next week's 主题党日 and joint meeting, an open micro-wish), so a
        /// training instance does not look finished.
        #[arg(long)]
        refresh: bool,
        /// Add the HTTP benchmark's load (scripts/bench-http): a street of 32 communities with
        /// its staff `jinjialing`, and 2,000 more members in 长江路社区, 16 of them with logins
        /// `bench-m01` … `bench-m16`. Seeds the demo first if it is not there.
        #[arg(long, conflicts_with = "refresh")]
        bench_load: bool,
    },
    /// Create a platform operator's account (the instance's first account) and print its
    /// one-time password, to be changed at first login. Run `import-divisions` first.
    CreateOperator {
        /// The login name (letters, digits, `.`, `_`, `-`).
        login: String,
        /// The name shown in the app (the login name if not given).
        #[arg(long)]
        name: Option<String>,
    },
    /// Load districts, streets and communities from the divisions file.
    ImportDivisions {
        /// `all`, or a code prefix: 2 digits a province, 4 a city, 6 a district, 9 a street.
        #[arg(long, default_value = "all")]
        scope: String,
        /// The divisions file (CSV, optionally gzip-compressed).
        #[arg(long, default_value = "data/china-communities.csv.gz")]
        file: PathBuf,
    },
    /// Recompute every community's rolled-up figures from its rows and report any stored figure
    /// that differs (exit status 1 if one does); `--fix` rewrites those from the rows.
    Reconcile {
        #[arg(long)]
        fix: bool,
    },
    /// Write a backup of the whole database to FILE (SQLite: while serving; PostgreSQL: with
    /// pg_dump as BACKUP_DATABASE_URL).
    Backup { file: PathBuf },
    /// Restore a backup into a new, empty database (the server stopped), then migrate it.
    Restore { file: PathBuf },
}

/// Migrates with the owner URL on PostgreSQL, or the one SQLite file.
pub async fn migrate(config: &Config) -> Result<(), String> {
    let owner_url = if config.is_postgres() {
        config.database_owner_url.as_deref().ok_or(
            "DATABASE_OWNER_URL is needed to migrate PostgreSQL (the serving role owns nothing)",
        )?
    } else {
        config.database_url.as_str()
    };
    domain::db::migrate(owner_url, Some(&config.database_app_role))
        .await
        .map_err(|e| format!("migration failed: {e}"))
}

pub fn demo_password(config: &Config) -> String {
    config.demo_password.clone().unwrap_or_else(|| {
        if config.is_production() {
            domain::auth::passwords::one_time()
        } else {
            "Demo@2026".to_owned()
        }
    })
}

/// The demo goes into a production database only when asked for in so many words.
pub fn demo_allowed(config: &Config, yes_into_production: bool) -> Result<(), String> {
    if config.is_production() && !yes_into_production {
        return Err(
            "GONGJIAN_MODE=production: seed-demo would put the demo district's accounts, \
                    members and units into this database. Use `create-operator` to open a real \
                    instance; add --yes-into-production only for a training instance."
                .into(),
        );
    }
    Ok(())
}

/// Creates a platform operator and prints the one-time password (shown once, never stored).
pub async fn create_operator(db: &Db, login: &str, name: &str) -> Result<(), String> {
    let (_, password) = domain::auth::users::create_operator(db, login, name)
        .await
        .map_err(|e| match e {
            domain::DomainError::Conflict(_) => format!("the login name {login} is taken"),
            domain::DomainError::Invalid { field, .. } if field == "divisions" => {
                "no country node yet: run `import-divisions` first".to_owned()
            }
            e => format!("the operator was not created: {e}"),
        })?;
    println!("\n平台运维账号已创建 / platform operator created");
    println!("  login: {}", login.to_lowercase());
    println!("  one-time password: {password}");
    println!("  (hand it over in person; it must be changed at first login)\n");
    Ok(())
}

pub async fn seed_demo(config: &Config, db: &Db) -> Result<(), String> {
    let password = demo_password(config);
    let accounts = demo::seed(db, &config.divisions_file, &password)
        .await
        .map_err(|e| format!("demo seeding failed: {e}"))?;
    print_accounts(&accounts, &password);
    Ok(())
}

/// `seed-demo --bench-load`: the demo (if not there yet) and the benchmark's load on it.
pub async fn seed_bench_load(config: &Config, db: &Db) -> Result<(), String> {
    if domain::auth::users::find_by_login(db, "admin")
        .await
        .map_err(|e| e.to_string())?
        .is_none()
    {
        seed_demo(config, db).await?;
    }
    let password = demo_password(config);
    let accounts = demo::seed_load(db, &config.divisions_file, &password)
        .await
        .map_err(|e| format!("seeding the benchmark load failed: {e}"))?;
    print_accounts(&accounts, &password);
    Ok(())
}

/// `seed-demo --refresh`: today's work on the demo seeded before.
pub async fn refresh_demo(db: &Db) -> Result<(), String> {
    match demo::seed_today(db).await {
        Ok(true) => println!("今天的演示工作已添加 / today's demo work added"),
        Ok(false) => println!("今天的演示工作已存在 / today's demo work is there already"),
        Err(domain::DomainError::NotFound) => {
            return Err("no demo district here: run `seed-demo` first".into())
        }
        Err(e) => return Err(format!("refreshing the demo failed: {e}")),
    }
    Ok(())
}

fn print_accounts(accounts: &[DemoAccount], password: &str) {
    println!("\n演示账号 / demo accounts (password: {password})");
    for a in accounts {
        println!(
            "  {:<12} {:<8} {:<22} {}",
            a.login,
            a.display_name,
            a.role.as_str(),
            a.node_name
        );
    }
    println!();
}

pub async fn import_divisions(db: &Db, scope: &str, file: &Path) -> Result<(), String> {
    let prefix = import::parse_selection(scope).map_err(|e| format!("bad --scope: {e}"))?;
    let started = Instant::now();
    let reader = std::fs::File::open(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let reader: Box<dyn std::io::Read> = if file.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(reader))
    } else {
        Box::new(reader)
    };
    println!("reading {} …", file.display());
    let rows = import::read_rows(std::io::BufReader::new(reader), prefix.as_deref())
        .map_err(|e| format!("nothing imported: {e}"))?;
    let bar = ProgressBar::new(0);
    if std::io::stderr().is_terminal() {
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} nodes {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let report = import::import(db, &rows, &mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
    .await
    .map_err(|e| format!("nothing imported: {e}"))?;
    bar.finish_and_clear();
    println!(
        "{} communities read; {} nodes created, {} already present; {:.1} s",
        report.rows,
        report.created,
        report.unchanged,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Prints each rolled-up figure that differs from its rows; an error when any does and was
/// not fixed.
pub async fn reconcile(db: &Db, fix: bool) -> Result<(), String> {
    let started = Instant::now();
    let differences = domain::rollup::reconcile(db, fix)
        .await
        .map_err(|e| format!("reconcile failed: {e}"))?;
    for d in &differences {
        println!(
            "{} {}: stored {}, rows say {}",
            d.node, d.metric, d.stored, d.expected
        );
    }
    println!(
        "{} differences{}; {:.1} s",
        differences.len(),
        if fix && !differences.is_empty() {
            " (fixed)"
        } else {
            ""
        },
        started.elapsed().as_secs_f64()
    );
    match (differences.is_empty(), fix) {
        (false, false) => Err("the rolled-up figures differ from the rows".into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_goes_into_production_only_when_asked() {
        let config = |mode: &str| Cli::parse_from(["gongjian", "--mode", mode]).config;
        assert_eq!(demo_allowed(&config("dev"), false), Ok(()));
        let refused = demo_allowed(&config("production"), false).expect_err("refused");
        assert!(refused.contains("--yes-into-production"), "{refused}");
        assert_eq!(demo_allowed(&config("production"), true), Ok(()));
    }
}
