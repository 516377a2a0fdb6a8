//! Sending the code that shows a new address or number is the person's
//! (`domain::auth::contact`): through the server's channels, which the app knows only by this.
use std::future::Future;
use std::pin::Pin;

use domain::auth::contact::CodeToSend;

/// Sends a code at once (the person waits for it on the account page); the error as the
/// channel gave it, for the log.
pub trait SendsCodes: Send + Sync {
    fn send_code<'a>(
        &'a self,
        code: &'a CodeToSend,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;
}

/// The e-mail a code goes out in (plain text).
pub fn email_of(code: &str) -> crate::notices::outgoing::Composed {
    crate::notices::outgoing::Composed {
        subject: format!("【共建】验证码 {code}"),
        text: format!(
            "您的验证码为 {code}，15 分钟内有效，用于确认接收共建通知和提醒的电子邮箱。\n\
             如非本人操作，请忽略本邮件，我们不会再向此邮箱发送任何内容。"
        ),
    }
}
