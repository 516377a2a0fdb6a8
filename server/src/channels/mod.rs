//! Sending what the outbox holds through the channels this deployment has: e-mail over SMTP
//! (`email`), posts to 企业微信 and 钉钉 group robots (`robot`), texts (`aliyun_sms`). Run by the scheduler's lease
//! holder after the reminders; each item is tried with a time limit, and what fails is told
//! to the outbox, which tries it again later or gives up (the operator's page shows both).
pub mod aliyun_sms;
mod email;
mod robot;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use chrono::{DateTime, Utc};
use domain::auth::contact::CodeToSend;
use domain::kinds::Channel;
use domain::notices::{self, Outgoing};
use domain::{Db, DomainResult};

use aliyun_sms::SmsProvider as _;
pub use email::Mailer;

use crate::config::Config;

/// Items taken per turn (the rest wait for the next one).
const PER_TURN: u64 = 200;
/// One send may take this long before it counts as failed.
const SEND_LIMIT: Duration = Duration::from_secs(15);
/// No send starts later than this into a turn: what is left waits for its claim to run out
/// (five minutes), so no send is still under way when another process may take the item.
const TURN_LIMIT: Duration = Duration::from_secs(120);

/// Why a send failed, as the operator sees it, and whether trying again could help.
#[derive(Debug)]
pub struct Failure {
    pub error: String,
    /// The channel said it never will (an address refused, a robot's key revoked).
    pub permanent: bool,
}

impl Failure {
    pub fn again(error: impl Into<String>) -> Failure {
        Failure {
            error: error.into(),
            permanent: false,
        }
    }

    pub fn never(error: impl Into<String>) -> Failure {
        Failure {
            error: error.into(),
            permanent: true,
        }
    }
}

/// The channel's words without the addresses in them (a mail server's refusal repeats the
/// recipient): the operator sees that a channel fails, not whom it missed.
fn without_addresses(error: &str) -> String {
    error
        .split(' ')
        .map(|word| match word.contains('@') {
            true => "<…>",
            false => word,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The HTTP client posts go out with: rustls with ring (one TLS provider for the process,
/// installed once), a time limit, no redirects followed.
pub fn http_client() -> Result<reqwest::Client, String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("HTTP client: {e}"))
}

/// The channels this process sends through.
#[derive(Clone)]
pub struct Channels {
    mailer: Option<Mailer>,
    http: Option<reqwest::Client>,
    sms: Option<std::sync::Arc<aliyun_sms::AliyunSms>>,
    /// Where the app is reached, for links (`PUBLIC_ORIGIN`).
    public_url: Option<String>,
}

impl Channels {
    pub fn from_config(config: &Config) -> Result<Channels, String> {
        let mailer = match (&config.smtp_url, &config.mail_from) {
            (Some(url), Some(from)) => Some(Mailer::new(url, from)?),
            _ => None,
        };
        let http = match config.group_robots {
            true => Some(http_client()?),
            false => None,
        };
        let sms = match config.sms() {
            Some(settings) => Some(std::sync::Arc::new(aliyun_sms::AliyunSms::new(
                &settings,
                http_client()?,
            ))),
            None => None,
        };
        Ok(Channels {
            mailer,
            http,
            sms,
            public_url: config
                .public_origin
                .as_deref()
                .map(|u| u.trim_end_matches('/').to_owned()),
        })
    }

    /// Sends what is due; how many went out.
    pub async fn run_due(&self, db: &Db, now: DateTime<Utc>) -> DomainResult<usize> {
        let started = std::time::Instant::now();
        let due = notices::take_due(db, now, PER_TURN).await?;
        let mut sent = 0;
        for item in due {
            if started.elapsed() > TURN_LIMIT {
                break;
            }
            let outcome = tokio::time::timeout(SEND_LIMIT, self.send(&item))
                .await
                .unwrap_or_else(|_| Err(Failure::again("timed out")));
            match outcome {
                Ok(()) => {
                    notices::outbox_sent(db, &item, now).await?;
                    sent += 1;
                }
                Err(failure) => {
                    let error = without_addresses(&failure.error);
                    tracing::warn!(%error, id = %item.id, channel = item.channel.as_str(), "sending");
                    notices::failed(db, &item, &error, failure.permanent, now).await?;
                }
            }
        }
        Ok(sent)
    }

    async fn send(&self, item: &Outgoing) -> Result<(), Failure> {
        let composed = app::notices::outgoing::compose(item, self.public_url.as_deref());
        match item.channel {
            Channel::Email => match &self.mailer {
                Some(mailer) => mailer.send(&item.address, &composed).await,
                None => Err(Failure::again("no SMTP server is configured (SMTP_URL)")),
            },
            Channel::Robot => match (&self.http, &item.robot) {
                (Some(http), Some((kind, secret))) => {
                    robot::post(http, *kind, &item.address, secret.as_deref(), &composed).await
                }
                _ => Err(Failure::again("group robots are turned off (GROUP_ROBOTS)")),
            },
            Channel::Sms => match &self.sms {
                Some(sms) => sms.send(&item.address, &text_params(item)).await,
                None => Err(Failure::again(
                    "no SMS provider is configured (ALIYUN_SMS_*)",
                )),
            },
        }
    }
}

/// The code that confirms a person's new address or number, sent at once while they wait
/// (not through the outbox: a code that cannot be sent is told to them, not retried).
impl app::account::codes::SendsCodes for Channels {
    fn send_code<'a>(
        &'a self,
        code: &'a CodeToSend,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async move {
            let sent = async {
                match code.channel {
                    Channel::Email => match &self.mailer {
                        Some(mailer) => {
                            let mail = app::account::codes::email_of(&code.code);
                            mailer.send(&code.address, &mail).await
                        }
                        None => Err(Failure::again("no SMTP server is configured")),
                    },
                    Channel::Sms => match &self.sms {
                        Some(sms) => sms.send_code(&code.address, &code.code).await,
                        None => Err(Failure::again("no SMS provider is configured")),
                    },
                    Channel::Robot => Err(Failure::never("a group robot takes no code")),
                }
            };
            tokio::time::timeout(SEND_LIMIT, sent)
                .await
                .unwrap_or_else(|_| Err(Failure::again("timed out")))
                .map_err(|failure| without_addresses(&failure.error))
        })
    }
}

/// A text's template variables: who it is from and what, each cut to what a template variable
/// holds (a text is short, and each character costs).
fn text_params(item: &Outgoing) -> serde_json::Value {
    const VARIABLE_MAX: usize = 20;
    let cut = |s: &str| {
        if s.chars().count() <= VARIABLE_MAX {
            s.to_owned()
        } else {
            let kept: String = s.chars().take(VARIABLE_MAX - 1).collect();
            format!("{kept}…")
        }
    };
    serde_json::json!({ "from": cut(&item.from), "title": cut(&item.title) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_keeps_its_words_but_not_the_address() {
        let said = "SMTP: permanent error (550): 5.1.1 <chen.xm@changjiang.cn>: Recipient address rejected";
        assert_eq!(
            without_addresses(said),
            "SMTP: permanent error (550): 5.1.1 <…> Recipient address rejected"
        );
    }
}
