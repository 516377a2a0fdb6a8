//! Typed configuration, read once from flags and environment; fails fast on anything unsafe.
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// Local development: random session key, demo seeding on an empty database.
    Dev,
    /// A real deployment: secure cookies, a session secret is required, no demo seeding.
    Production,
}

#[derive(Clone, Debug, Args)]
pub struct Config {
    /// dev or production.
    #[arg(
        long,
        env = "GONGJIAN_MODE",
        value_enum,
        default_value = "dev",
        global = true
    )]
    pub mode: Mode,
    /// Where the serving role connects: `sqlite://…` (default, embedded) or `postgres://…`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/gongjian.db?mode=rwc",
        global = true
    )]
    pub database_url: String,
    /// PostgreSQL only: the owner role that runs migrations (then the server connects as
    /// `DATABASE_URL`'s role, which must not own tables or bypass row-level security).
    #[arg(long, env = "DATABASE_OWNER_URL", global = true)]
    pub database_owner_url: Option<String>,
    /// PostgreSQL only: the serving role granted access by `migrate`.
    #[arg(
        long,
        env = "DATABASE_APP_ROLE",
        default_value = "gongjian_app",
        global = true
    )]
    pub database_app_role: String,
    /// At least 64 characters; signs the session cookie. Required in production.
    #[arg(long, env = "SESSION_SECRET", hide_env_values = true, global = true)]
    pub session_secret: Option<String>,
    /// A session ends after this many minutes without a request.
    #[arg(
        long,
        env = "SESSION_IDLE_MINUTES",
        default_value_t = 120,
        global = true
    )]
    pub session_idle_minutes: i64,
    /// Address to listen on.
    #[arg(
        long,
        env = "LEPTOS_SITE_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub addr: SocketAddr,
    /// Folder with the built site (`pkg/`, favicon).
    #[arg(
        long,
        env = "LEPTOS_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: String,
    /// Behind a reverse proxy: take the client address from X-Forwarded-For.
    #[arg(long, env = "TRUST_PROXY", default_value_t = false, global = true)]
    pub trust_proxy: bool,
    /// Login attempts allowed per client address and minute.
    #[arg(
        long,
        env = "LOGIN_ATTEMPTS_PER_MINUTE",
        default_value_t = 20,
        global = true
    )]
    pub login_attempts_per_minute: u32,
    /// The public origin (e.g. https://gongjian.example.org) form posts must come from; by
    /// default the request's own Host.
    #[arg(long, env = "PUBLIC_ORIGIN", global = true)]
    pub public_origin: Option<String>,
    /// The divisions file used by demo seeding.
    #[arg(
        long,
        env = "DIVISIONS_FILE",
        default_value = "data/china-communities.csv.gz",
        global = true
    )]
    pub divisions_file: PathBuf,
    /// Password of the demo accounts when the demo is seeded (dev mode only by default).
    #[arg(long, env = "DEMO_PASSWORD", hide_env_values = true, global = true)]
    pub demo_password: Option<String>,
}

impl Config {
    pub fn is_production(&self) -> bool {
        self.mode == Mode::Production
    }

    /// The session signing key: from the secret, or random in dev mode (sessions then end on
    /// restart). In production a missing or short secret is an error.
    pub fn session_key(&self) -> Result<Vec<u8>, String> {
        match &self.session_secret {
            Some(secret) if secret.len() >= 64 => Ok(secret.as_bytes()[..64].to_vec()),
            Some(_) => Err("SESSION_SECRET must be at least 64 characters".into()),
            None if self.is_production() => {
                Err("SESSION_SECRET is required in production mode".into())
            }
            None => Ok((0..64).map(|_| rand::random::<u8>()).collect()),
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres")
    }

    /// Checks everything that can be checked before touching the database.
    pub fn validate(&self) -> Result<(), String> {
        self.session_key()?;
        if self.session_idle_minutes < 1 {
            return Err("SESSION_IDLE_MINUTES must be at least 1".into());
        }
        if self.is_production() && self.demo_password.is_some() {
            return Err("DEMO_PASSWORD is not accepted in production mode".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::cli::Cli;
    use clap::Parser;

    fn parse(args: &[&str]) -> super::Config {
        let mut all = vec!["gongjian"];
        all.extend_from_slice(args);
        Cli::parse_from(all).config
    }

    #[test]
    fn production_refuses_to_start_without_a_secret() {
        let config = parse(&["--mode", "production"]);
        assert_eq!(
            config.validate(),
            Err("SESSION_SECRET is required in production mode".into())
        );
        let short = parse(&["--mode", "production", "--session-secret", "short"]);
        assert!(short.validate().is_err());
        let secret = "s".repeat(64);
        let ok = parse(&["--mode", "production", "--session-secret", &secret]);
        assert_eq!(ok.validate(), Ok(()));
        assert_eq!(ok.session_key().map(|k| k.len()), Ok(64));
    }

    #[test]
    fn dev_mode_makes_a_random_key_and_rejects_demo_passwords_in_production() {
        let dev = parse(&[]);
        assert_ne!(dev.session_key(), dev.session_key());
        let secret = "s".repeat(64);
        let prod = parse(&[
            "--mode",
            "production",
            "--session-secret",
            &secret,
            "--demo-password",
            "x",
        ]);
        assert!(prod.validate().is_err());
    }
}
