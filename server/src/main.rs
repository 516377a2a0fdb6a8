#![recursion_limit = "512"]
#![deny(clippy::unwrap_used, clippy::expect_used)]
use axum::serve::ListenerExt;
use clap::Parser;
use domain::sessions::DbSessionStore;
use domain::Db;
use server::cli::{self, Cli, Command};
use server::config::{Config, LogFormat};
use server::router;
use tower_sessions::session_store::ExpiredDeletion;
use tracing_subscriber::EnvFilter;

// A page is thousands of small allocations (rendering, rows, the compressor); glibc's
// allocator took a fifth of a warm page's CPU (README).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr);
    match cli.config.log_format {
        LogFormat::Json => logs
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .init(),
        LogFormat::Text => logs.init(),
    }
    if let Err(message) = run(cli).await {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let config = cli.config;
    config.validate()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => cli::migrate(&config).await,
        Command::SeedDemo {
            yes_into_production,
            refresh,
            bench_load,
        } => {
            cli::demo_allowed(&config, yes_into_production)?;
            let db = connect(&config).await?;
            if refresh {
                cli::refresh_demo(&db).await
            } else if bench_load {
                cli::seed_bench_load(&config, &db).await
            } else {
                cli::seed_demo(&config, &db).await
            }
        }
        Command::CreateOperator { login, name } => {
            let db = connect(&config).await?;
            cli::create_operator(&db, &login, name.as_deref().unwrap_or(&login)).await
        }
        Command::ImportDivisions { scope, file } => {
            let db = connect(&config).await?;
            cli::import_divisions(&db, &scope, &file).await
        }
        Command::Reconcile { fix } => {
            let db = connect(&config).await?;
            cli::reconcile(&db, fix).await
        }
        Command::Backup { file } => server::backup::backup(&config, &file)
            .await
            .map(|done| println!("{done}")),
        Command::Restore { file } => server::backup::restore(&config, &file)
            .await
            .map(|done| println!("{done}")),
        Command::Serve => serve(config).await,
    }
}

async fn connect(config: &Config) -> Result<Db, String> {
    if !config.is_postgres() || config.database_owner_url.is_some() {
        cli::migrate(config).await?;
    }
    let db = Db::connect_with(&config.database_url, config.pool())
        .await
        .map(|db| {
            db.with_outbound(config.outbound())
                .with_files(domain::files::FileStore::new(&config.files_dir))
        })
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    match &config.database_read_url {
        Some(url) => db
            .with_reader(url, config.pool())
            .await
            .map_err(|e| format!("cannot connect to the read replica: {e}")),
        None => Ok(db),
    }
}

/// How long a stopping server waits for the requests in flight.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

async fn serve(config: Config) -> Result<(), String> {
    server::router::raise_open_files_limit();
    let db = connect(&config).await?;
    if let Err(problem) = db.check_serving_role().await {
        if config.is_production() {
            return Err(problem);
        }
        tracing::warn!("{problem}");
    }
    if !config.is_production() && db.is_empty().await.map_err(|e| e.to_string())? {
        tracing::info!("empty database in dev mode: seeding the demo district");
        cli::seed_demo(&config, &db).await?;
    }
    let state = router::app_state(&config, db.clone());
    spawn_housekeeping(&state);
    spawn_totals_compaction(&state.db);
    let channels = server::channels::Channels::from_config(&config)?;
    spawn_reminders(
        &db,
        channels,
        config.reminders_every_seconds,
        config.reminders_clock_file.clone(),
    );
    let watching = state.watching.clone();
    let app = router::build(&config, state)?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?
        // A response written in several pieces (a file, a compressed page) goes out at once
        // instead of waiting ~40 ms for the client's delayed ACK (Nagle's algorithm).
        .tap_io(|tcp| {
            if let Err(err) = tcp.set_nodelay(true) {
                tracing::debug!("TCP_NODELAY not set: {err}");
            }
        });
    tracing::info!("listening on http://{}", config.addr);
    let (stopping, mut stop) = tokio::sync::watch::channel(false);
    let serving = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        // Open live pages would hold the shutdown for minutes: they are ended now.
        watching.close();
        stopping.send_replace(true);
    });
    // A client that stopped reading holds its connection open; past the grace time it is cut.
    let grace = async move {
        let _ = stop.wait_for(|s| *s).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        served = serving => served.map_err(|e| e.to_string())?,
        () = grace => tracing::warn!("connections still open after {SHUTDOWN_GRACE:?}: cut"),
    }
    tracing::info!("stopped; closing the database");
    db.close().await;
    Ok(())
}

/// Expired sessions, old login failure counts, idle rate-limit entries and reminders sent a
/// month ago and codes past their time are swept every ten minutes; attached files no notice
/// lists, every six hours.
fn spawn_housekeeping(state: &app::state::AppState) {
    let store = DbSessionStore::new(state.db.clone());
    let db = state.db.clone();
    let guard = state.login_guard.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        for turn in 0_u64.. {
            tick.tick().await;
            // Attached files left by a failed send: every six hours (it reads the directory).
            if turn % 36 == 0 {
                if let Err(err) =
                    domain::file_sweep::sweep_files(&db, std::time::SystemTime::now()).await
                {
                    tracing::warn!(error = %err, "sweeping attached files");
                }
            }
            let swept = store.delete_expired().await;
            server::metrics::job_ran("housekeeping", swept.is_ok());
            if let Err(err) = swept {
                tracing::warn!(error = %err, "deleting expired sessions");
            }
            if let Err(err) = domain::auth::login::sweep_failures(&db).await {
                tracing::warn!(error = %err, "sweeping login failures");
            }
            if let Err(err) = domain::reminders::prune(&db, chrono::Utc::now()).await {
                tracing::warn!(error = %err, "pruning sent reminders");
            }
            if let Err(err) = domain::notices::prune_outbox(&db, chrono::Utc::now()).await {
                tracing::warn!(error = %err, "pruning the outbox");
            }
            if let Err(err) = domain::auth::contact::prune(&db, chrono::Utc::now()).await {
                tracing::warn!(error = %err, "pruning contact codes");
            }
            guard.housekeeping();
        }
    });
}

/// Every second the pending deltas of the upper levels' totals are folded in (a batch at a
/// time, until none is left): the figures do not change, the pending table stays short.
fn spawn_totals_compaction(db: &domain::Db) {
    let db = db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            loop {
                let folded = domain::rollup::compact(&db).await;
                server::metrics::job_ran("rollup_compaction", folded.is_ok());
                match folded {
                    Ok(true) => continue,
                    Ok(false) => break,
                    Err(err) => {
                        tracing::warn!(error = %err, "folding in pending totals");
                        break;
                    }
                }
            }
        }
    });
}

/// Every `every` seconds this process asks for the reminders' lease and, holding it, sends
/// what is due. The lease outlasts a few missed turns, then another process takes over.
fn spawn_reminders(
    db: &domain::Db,
    channels: server::channels::Channels,
    every: u64,
    clock_file: Option<std::path::PathBuf>,
) {
    let db = db.clone();
    let holder = format!("{}-{}", std::process::id(), uuid::Uuid::now_v7());
    let every = std::time::Duration::from_secs(every);
    let lease_for = chrono::Duration::seconds(i64::try_from(every.as_secs() * 3).unwrap_or(90));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let now = chrono::Utc::now() + clock_ahead(clock_file.as_deref());
            let turn = domain::reminders::tick(&db, &holder, now, lease_for).await;
            server::metrics::job_ran("reminders", turn.is_ok());
            match turn {
                Ok(Some(sent)) => {
                    if sent > 0 {
                        tracing::info!(sent, "reminders sent");
                    }
                    // The lease holder also sends what waits for channels beyond the app.
                    let outbound = channels.run_due(&db, now).await;
                    server::metrics::job_ran("outbound", outbound.is_ok());
                    match outbound {
                        Ok(0) => {}
                        Ok(sent) => tracing::info!(sent, "sent beyond the app"),
                        Err(err) => tracing::warn!(error = %err, "sending beyond the app"),
                    }
                }
                Ok(None) => {}
                Err(err) => tracing::warn!(error = %err, "sending reminders"),
            }
        }
    });
}

/// How far a test has set the reminders' clock ahead (`REMINDERS_CLOCK_FILE`, dev only).
fn clock_ahead(file: Option<&std::path::Path>) -> chrono::Duration {
    file.and_then(|f| std::fs::read_to_string(f).ok())
        .and_then(|text| text.trim().parse::<i64>().ok())
        .map_or(chrono::Duration::zero(), chrono::Duration::seconds)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received");
}
