//! E-mail over SMTP (lettre, pooled connections, TLS by rustls as `SMTP_URL` asks).
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::Failure;
use app::notices::outgoing::Composed;

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `url`: `smtp://`, `smtps://` (see lettre's `from_url`); `from`: `Name <address>`.
    pub fn new(url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP_URL: {e}"))?
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("MAIL_FROM: {e}"))?;
        Ok(Mailer { transport, from })
    }

    pub async fn send(&self, to: &str, composed: &Composed) -> Result<(), Failure> {
        let to = to
            .parse::<Mailbox>()
            .map_err(|e| Failure::never(format!("address: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(composed.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(composed.text.clone())
            .map_err(|e| Failure::never(format!("message: {e}")))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(Failure::never(format!("SMTP: {e}"))),
            Err(e) => Err(Failure::again(format!("SMTP: {e}"))),
        }
    }
}
