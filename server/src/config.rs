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

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
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
    /// PostgreSQL only: a streaming replica of `DATABASE_URL`'s database, as the same serving
    /// role: the figures of a district and above (dashboards) are read there.
    #[arg(long, env = "DATABASE_READ_URL", global = true)]
    pub database_read_url: Option<String>,
    /// PostgreSQL only: the role `backup` and `restore` connect as; it must bypass row-level
    /// security (every tenant's rows), e.g. `postgres`.
    #[arg(long, env = "BACKUP_DATABASE_URL", global = true)]
    pub backup_database_url: Option<String>,
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
    /// How often each server process looks for reminders that are due (activities' a day and
    /// two hours before); one process at a time sends them (a lease in the database).
    #[arg(
        long,
        env = "REMINDERS_EVERY_SECONDS",
        default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(1..=3600),
        global = true
    )]
    pub reminders_every_seconds: u64,
    /// Dev only, for end-to-end tests: a file holding a number of seconds the reminders'
    /// clock runs ahead (read each turn), so a reminder due in hours arrives now. Refused in
    /// production.
    #[arg(long, env = "REMINDERS_CLOCK_FILE", global = true, hide = true)]
    pub reminders_clock_file: Option<std::path::PathBuf>,
    /// E-mail messages go out through this SMTP server (none: no e-mail), e.g.
    /// `smtps://user:password@smtp.example.cn` or `smtp://user:password@smtp.example.cn:587?tls=required`.
    #[arg(long, env = "SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,
    /// The sender of those e-mails, e.g. `共建 <noreply@example.cn>`; required with SMTP_URL.
    #[arg(long, env = "MAIL_FROM", global = true)]
    pub mail_from: Option<String>,
    /// Aliyun 短信服务 AccessKey id: with the secret, signature and template below, a few kinds
    /// of message (`MessageKind::by_text`) are texted to those who gave a mobile number.
    #[arg(long, env = "ALIYUN_SMS_ACCESS_KEY_ID", global = true)]
    pub aliyun_sms_access_key_id: Option<String>,
    #[arg(
        long,
        env = "ALIYUN_SMS_ACCESS_KEY_SECRET",
        hide_env_values = true,
        global = true
    )]
    pub aliyun_sms_access_key_secret: Option<String>,
    /// The approved signature (签名), e.g. `共建`.
    #[arg(long, env = "ALIYUN_SMS_SIGN_NAME", global = true)]
    pub aliyun_sms_sign_name: Option<String>,
    /// The approved template, with the variables `${from}` and `${title}`, e.g. `SMS_123456`
    /// for 「您有一条来自${from}的新消息：${title}，请登录共建查看。」.
    #[arg(long, env = "ALIYUN_SMS_TEMPLATE_CODE", global = true)]
    pub aliyun_sms_template_code: Option<String>,
    /// The approved 验证码 template, with the variable `${code}`, e.g. `SMS_654321` for
    /// 「您的验证码为${code}，15分钟内有效，用于确认接收共建提醒的手机号。」: a number given on the
    /// account page is texted only once its code came back.
    #[arg(long, env = "ALIYUN_SMS_CODE_TEMPLATE", global = true)]
    pub aliyun_sms_code_template: Option<String>,
    /// Tests only: where the requests go instead of `https://dysmsapi.aliyuncs.com/`.
    #[arg(long, env = "ALIYUN_SMS_ENDPOINT", global = true, hide = true)]
    pub aliyun_sms_endpoint: Option<String>,
    /// Staff may name their group's 企业微信 or 钉钉 robot, and notices are posted to it
    /// (the server then reaches qyapi.weixin.qq.com and oapi.dingtalk.com).
    #[arg(long, env = "GROUP_ROBOTS", default_value_t = true, global = true)]
    pub group_robots: bool,
    /// Dev only, for tests: hosts (`127.0.0.1:4555`, comma-separated) a robot's address may
    /// name besides the robots' own, plain HTTP allowed. Refused in production.
    #[arg(
        long,
        env = "ROBOT_TEST_HOSTS",
        global = true,
        hide = true,
        value_delimiter = ','
    )]
    pub robot_test_hosts: Vec<String>,
    /// Where attached files (a notice's PDF, photos) are kept, each under its SHA-256: back it
    /// up with the database.
    #[arg(long, env = "FILES_DIR", default_value = "data/files", global = true)]
    pub files_dir: std::path::PathBuf,
    /// A sign-in ends after this many hours however active the user is.
    #[arg(long, env = "SESSION_MAX_HOURS", default_value_t = 12, global = true)]
    pub session_max_hours: i64,
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
    /// Behind a reverse proxy: take the client address its proxies appended to
    /// X-Forwarded-For (never the leftmost value, which the client writes).
    #[arg(long, env = "TRUST_PROXY", default_value_t = false, global = true)]
    pub trust_proxy: bool,
    /// With TRUST_PROXY: how many proxies in front append to X-Forwarded-For (the client is
    /// the address the outermost one appended, this many from the right).
    #[arg(long, env = "TRUSTED_PROXY_HOPS", default_value_t = 1, global = true)]
    pub trusted_proxy_hops: usize,
    /// Login attempts allowed per client address and minute.
    #[arg(
        long,
        env = "LOGIN_ATTEMPTS_PER_MINUTE",
        default_value_t = 20,
        global = true
    )]
    pub login_attempts_per_minute: u32,
    /// Live pages (an activity's seats as they change) the server keeps open at once; past
    /// it a page shows the seats as loaded. Each costs a connection and a few KB.
    #[arg(long, env = "LIVE_STREAMS", default_value_t = 10_000, global = true)]
    pub live_streams: usize,
    /// Of those, how many one account may hold (a few tabs and devices).
    #[arg(
        long,
        env = "LIVE_STREAMS_PER_ACCOUNT",
        default_value_t = 6,
        global = true
    )]
    pub live_streams_per_account: usize,
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
    /// Production on SQLite (no row-level security: one wall between tenants, not two).
    #[arg(
        long,
        env = "ALLOW_SQLITE_IN_PRODUCTION",
        default_value_t = false,
        global = true
    )]
    pub allow_sqlite_in_production: bool,
    /// The serving pool's most connections (per process).
    #[arg(
        long,
        env = "DATABASE_MAX_CONNECTIONS",
        default_value_t = 10,
        value_parser = clap::value_parser!(u32).range(1..=1000),
        global = true
    )]
    pub database_max_connections: u32,
    /// How long a request waits for a free connection before it fails (seconds).
    #[arg(
        long,
        env = "DATABASE_ACQUIRE_TIMEOUT_SECONDS",
        default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..=300),
        global = true
    )]
    pub database_acquire_timeout_seconds: u64,
    /// How long opening a connection may take (seconds).
    #[arg(
        long,
        env = "DATABASE_CONNECT_TIMEOUT_SECONDS",
        default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..=300),
        global = true
    )]
    pub database_connect_timeout_seconds: u64,
    /// A connection idle this long is closed (seconds).
    #[arg(
        long,
        env = "DATABASE_IDLE_TIMEOUT_SECONDS",
        default_value_t = 600,
        value_parser = clap::value_parser!(u64).range(10..=86_400),
        global = true
    )]
    pub database_idle_timeout_seconds: u64,
    /// Prometheus scrapes `/metrics` with `Authorization: Bearer <this>` (≥ 32 characters);
    /// without it `/metrics` answers only a loopback peer that no proxy forwarded.
    #[arg(long, env = "METRICS_TOKEN", hide_env_values = true, global = true)]
    pub metrics_token: Option<String>,
    /// Log lines as `text` or `json` (one object a line, for a log collector).
    #[arg(
        long,
        env = "LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,
    /// Password of the demo accounts when the demo is seeded (dev mode only by default).
    #[arg(long, env = "DEMO_PASSWORD", hide_env_values = true, global = true)]
    pub demo_password: Option<String>,
}

/// Bits a random secret of this shape would carry: its length times the Shannon entropy of
/// its characters (a 64-character hex string has ~250, "aaaa…" none).
fn entropy_bits(secret: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for c in secret.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let n = secret.chars().count() as f64;
    let per_char: f64 = counts
        .values()
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.log2()
        })
        .sum();
    per_char * n
}

const MIN_SECRET_BITS: f64 = 192.0;

/// Mail goes out encrypted (`smtps://`, or `smtp://` asking for STARTTLS), or to a relay on
/// this machine: addresses and notices do not cross a network in the clear.
fn smtp_encrypted_or_local(url: &str) -> bool {
    if url.starts_with("smtps://") || url.contains("tls=required") {
        return true;
    }
    let Some(rest) = url.strip_prefix("smtp://") else {
        return false;
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

/// An SMS provider's settings, all given.
pub struct SmsSettings<'a> {
    pub access_key_id: &'a str,
    pub access_key_secret: &'a str,
    pub sign_name: &'a str,
    pub template_code: &'a str,
    pub code_template: &'a str,
    pub endpoint: &'a str,
}

impl Config {
    /// Aliyun SMS, if every setting it needs is given.
    pub fn sms(&self) -> Option<SmsSettings<'_>> {
        Some(SmsSettings {
            access_key_id: self.aliyun_sms_access_key_id.as_deref()?,
            access_key_secret: self.aliyun_sms_access_key_secret.as_deref()?,
            sign_name: self.aliyun_sms_sign_name.as_deref()?,
            template_code: self.aliyun_sms_template_code.as_deref()?,
            code_template: self.aliyun_sms_code_template.as_deref()?,
            endpoint: self
                .aliyun_sms_endpoint
                .as_deref()
                .unwrap_or("https://dysmsapi.aliyuncs.com/"),
        })
    }

    /// The channels beyond the app this deployment sends through, as the domain needs to know.
    pub fn outbound(&self) -> domain::outbound::Outbound {
        domain::outbound::Outbound {
            email: self.smtp_url.is_some(),
            sms: self.sms().is_some(),
            robots: self.group_robots,
            extra_robot_hosts: self
                .robot_test_hosts
                .iter()
                .map(|h| h.trim().to_owned())
                .filter(|h| !h.is_empty())
                .collect(),
        }
    }

    pub fn is_production(&self) -> bool {
        self.mode == Mode::Production
    }

    /// The session signing key: from the secret, or random in dev mode (sessions then end on
    /// restart). In production a missing, short or guessable secret is an error.
    pub fn session_key(&self) -> Result<Vec<u8>, String> {
        match &self.session_secret {
            Some(secret) if secret.len() < 64 => {
                Err("SESSION_SECRET must be at least 64 characters".into())
            }
            Some(secret) if entropy_bits(secret) < MIN_SECRET_BITS => Err(format!(
                "SESSION_SECRET looks guessable ({:.0} bits; at least {MIN_SECRET_BITS:.0}): \
                 use e.g. `openssl rand -base64 48`",
                entropy_bits(secret)
            )),
            Some(secret) => Ok(secret.as_bytes()[..64].to_vec()),
            None if self.is_production() => {
                Err("SESSION_SECRET is required in production mode".into())
            }
            None => Ok((0..64).map(|_| rand::random::<u8>()).collect()),
        }
    }

    /// Proxies whose `X-Forwarded-For` entries are believed (0 without TRUST_PROXY).
    pub fn proxy_hops(&self) -> usize {
        if self.trust_proxy {
            self.trusted_proxy_hops.max(1)
        } else {
            0
        }
    }

    /// The serving pool's size and timeouts.
    pub fn pool(&self) -> domain::db::PoolOptions {
        use std::time::Duration;
        domain::db::PoolOptions {
            max_connections: self.database_max_connections,
            acquire_timeout: Duration::from_secs(self.database_acquire_timeout_seconds),
            connect_timeout: Duration::from_secs(self.database_connect_timeout_seconds),
            idle_timeout: Duration::from_secs(self.database_idle_timeout_seconds),
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres")
    }

    /// Checks everything that can be checked before touching the database.
    pub fn validate(&self) -> Result<(), String> {
        self.session_key()?;
        if self.is_production() && !self.is_postgres() && !self.allow_sqlite_in_production {
            return Err(
                "production runs on PostgreSQL (row-level security is the second wall \
                        between tenants); set ALLOW_SQLITE_IN_PRODUCTION=true to accept SQLite"
                    .into(),
            );
        }
        if !self.is_production() && !self.addr.ip().is_loopback() {
            return Err(format!(
                "dev mode seeds demo accounts with a known password: it listens on loopback \
                 only, not {} (set GONGJIAN_MODE=production to serve a network)",
                self.addr
            ));
        }
        if self.database_read_url.is_some()
            && (!self.is_postgres()
                || !self
                    .database_read_url
                    .as_deref()
                    .is_some_and(|u| u.starts_with("postgres")))
        {
            return Err(
                "DATABASE_READ_URL is a PostgreSQL replica of DATABASE_URL's database".into(),
            );
        }
        if self.metrics_token.as_deref().is_some_and(|t| t.len() < 32) {
            return Err("METRICS_TOKEN must be at least 32 characters".into());
        }
        if self.session_idle_minutes < 1 {
            return Err("SESSION_IDLE_MINUTES must be at least 1".into());
        }
        if self.session_max_hours < 1 {
            return Err("SESSION_MAX_HOURS must be at least 1".into());
        }
        if self.is_production() && self.demo_password.is_some() {
            return Err("DEMO_PASSWORD is not accepted in production mode".into());
        }
        if self.is_production() && !self.robot_test_hosts.is_empty() {
            return Err(
                "ROBOT_TEST_HOSTS (a test's receiver) is not accepted in production".into(),
            );
        }
        if let Some(url) = self.smtp_url.as_deref().filter(|_| self.is_production()) {
            if !smtp_encrypted_or_local(url) {
                return Err(
                    "SMTP_URL: in production use smtps:// or smtp://…?tls=required \
                     (plain smtp:// only to a relay on this machine)"
                        .into(),
                );
            }
        }
        if self.smtp_url.is_some() && self.mail_from.is_none() {
            return Err("MAIL_FROM (the e-mails' sender) is required with SMTP_URL".into());
        }
        let sms = [
            &self.aliyun_sms_access_key_id,
            &self.aliyun_sms_access_key_secret,
            &self.aliyun_sms_sign_name,
            &self.aliyun_sms_template_code,
            &self.aliyun_sms_code_template,
        ];
        if sms.iter().any(|s| s.is_some()) && self.sms().is_none() {
            return Err(
                "ALIYUN_SMS_*: the AccessKey id and secret, SIGN_NAME, TEMPLATE_CODE and \
                        CODE_TEMPLATE go together"
                    .into(),
            );
        }
        if self.is_production() && self.aliyun_sms_endpoint.is_some() {
            return Err(
                "ALIYUN_SMS_ENDPOINT (a test's receiver) is not accepted in production".into(),
            );
        }
        if self.is_production() && self.reminders_clock_file.is_some() {
            return Err(
                "REMINDERS_CLOCK_FILE (a test's clock) is not accepted in production".into(),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::cli::Cli;
    use clap::Parser;

    const PG: &str = "postgres://gongjian_app@127.0.0.1/gongjian";
    /// 64 characters as `openssl rand -base64 48` gives them.
    const SECRET: &str = "q3Jx9V0mZt7LkPw2Hs5Ne8Ra4Uc1Yb6Gd0Fi3Oj7Tl9Wv2Xe5Kz8Mn1Qp4Sr6Ay0B";

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
        let guessable = "s".repeat(64);
        let weak = parse(&[
            "--mode",
            "production",
            "--session-secret",
            &guessable,
            "--database-url",
            PG,
        ]);
        assert!(weak.validate().is_err_and(|e| e.contains("guessable")));
        let ok = parse(&[
            "--mode",
            "production",
            "--session-secret",
            SECRET,
            "--database-url",
            PG,
        ]);
        assert_eq!(ok.validate(), Ok(()));
        assert_eq!(ok.session_key().map(|k| k.len()), Ok(64));
    }

    #[test]
    fn dev_mode_makes_a_random_key_and_rejects_demo_passwords_in_production() {
        let dev = parse(&[]);
        assert_ne!(dev.session_key(), dev.session_key());
        let prod = parse(&[
            "--mode",
            "production",
            "--session-secret",
            SECRET,
            "--database-url",
            PG,
            "--demo-password",
            "x",
        ]);
        assert!(prod.validate().is_err());
    }

    #[test]
    fn production_needs_postgres_unless_sqlite_is_allowed() {
        let sqlite = parse(&["--mode", "production", "--session-secret", SECRET]);
        assert!(sqlite
            .validate()
            .is_err_and(|e| e.contains("ALLOW_SQLITE_IN_PRODUCTION")));
        let allowed = parse(&[
            "--mode",
            "production",
            "--session-secret",
            SECRET,
            "--allow-sqlite-in-production",
        ]);
        assert_eq!(allowed.validate(), Ok(()));
    }

    #[test]
    fn production_mail_is_encrypted_or_stays_on_the_machine() {
        let with = |url: &str| {
            parse(&[
                "--mode",
                "production",
                "--session-secret",
                SECRET,
                "--database-url",
                PG,
                "--smtp-url",
                url,
                "--mail-from",
                "共建 <noreply@example.cn>",
            ])
            .validate()
        };
        assert_eq!(with("smtps://u:p@smtp.example.cn"), Ok(()));
        assert_eq!(with("smtp://u:p@smtp.example.cn:587?tls=required"), Ok(()));
        assert_eq!(with("smtp://127.0.0.1:25"), Ok(()));
        assert_eq!(with("smtp://localhost"), Ok(()));
        assert!(with("smtp://u:p@smtp.example.cn:25").is_err_and(|e| e.contains("SMTP_URL")));
        assert!(with("smtp://u:p@127.0.0.1.evil.cn").is_err());
        let test_hosts = parse(&["--robot-test-hosts", "a:1,,  "]).outbound();
        assert_eq!(test_hosts.extra_robot_hosts, vec!["a:1".to_owned()]);
    }

    #[test]
    fn dev_mode_listens_on_loopback_only() {
        assert_eq!(parse(&["--addr", "127.0.0.1:3000"]).validate(), Ok(()));
        assert_eq!(parse(&["--addr", "[::1]:3000"]).validate(), Ok(()));
        let exposed = parse(&["--addr", "0.0.0.0:3000"]);
        assert!(exposed.validate().is_err_and(|e| e.contains("loopback")));
        let served = parse(&[
            "--addr",
            "0.0.0.0:3000",
            "--mode",
            "production",
            "--session-secret",
            SECRET,
            "--database-url",
            PG,
        ]);
        assert_eq!(served.validate(), Ok(()));
    }
}
