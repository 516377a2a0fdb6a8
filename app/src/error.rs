//! The error every server function and page returns: one mapping from the domain error to an
//! HTTP status and a localised message.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::{t, t_with, Lang};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("unauthenticated")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    /// The account still has a one-time password: it must choose its own first.
    #[error("password change required")]
    PasswordChangeRequired,
    #[error("not found")]
    NotFound,
    #[error("conflict")]
    Conflict,
    #[error("invalid {field}: {reason}")]
    Invalid { field: String, reason: String },
    #[error("taken by {by}")]
    Taken { by: String },
    #[error("bad credentials")]
    BadCredentials,
    #[error("rate limited")]
    RateLimited,
    #[error("internal error")]
    Internal,
    /// Transport or decoding trouble reported by the server-function machinery.
    #[error("request failed: {0}")]
    Request(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request(value.to_string())
    }
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated | AppError::BadCredentials => 401,
            AppError::Forbidden | AppError::PasswordChangeRequired => 403,
            AppError::NotFound => 404,
            AppError::Conflict | AppError::Taken { .. } => 409,
            AppError::Invalid { .. } | AppError::Request(_) => 400,
            AppError::RateLimited => 429,
            AppError::Internal => 500,
        }
    }

    /// A stable short code, used in redirects (`/login?error=…`).
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::PasswordChangeRequired => "password_change_required",
            AppError::NotFound => "not_found",
            AppError::Conflict => "conflict",
            AppError::Taken { .. } => "taken",
            AppError::Invalid { .. } => "invalid",
            AppError::BadCredentials => "bad_credentials",
            AppError::RateLimited => "rate_limited",
            AppError::Internal | AppError::Request(_) => "internal",
        }
    }

    pub fn from_code(code: &str) -> Option<AppError> {
        Some(match code {
            "unauthenticated" => AppError::Unauthenticated,
            "forbidden" => AppError::Forbidden,
            "password_change_required" => AppError::PasswordChangeRequired,
            "not_found" => AppError::NotFound,
            "conflict" => AppError::Conflict,
            "bad_credentials" => AppError::BadCredentials,
            "rate_limited" => AppError::RateLimited,
            "internal" => AppError::Internal,
            _ => return None,
        })
    }

    /// The message a person reads, in their language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::Invalid { field, reason } => {
                let field_text = t(lang, &format!("field.{field}"));
                // A reason without its own text in the catalogue reads as "is not valid".
                let key = format!("reason.{reason}");
                let mut reason_text = t(lang, &key);
                if reason_text == key {
                    reason_text = t(lang, "reason.bad_value");
                }
                let separator = if lang == Lang::Zh { "" } else { " " };
                format!("{field_text}{separator}{reason_text}")
            }
            AppError::Taken { by } => t_with(lang, "error.taken", &[("by", by.clone())]),
            other => t(lang, &format!("error.{}", other.code())),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::DomainError> for AppError {
    fn from(err: domain::DomainError) -> Self {
        use domain::DomainError as D;
        match err {
            D::Unauthenticated => AppError::Unauthenticated,
            D::Forbidden => AppError::Forbidden,
            D::NotFound => AppError::NotFound,
            D::Conflict(_) => AppError::Conflict,
            D::Taken { by } => AppError::Taken { by },
            D::Invalid { field, reason } => AppError::Invalid { field, reason },
            D::BadCredentials => AppError::BadCredentials,
            D::RateLimited => AppError::RateLimited,
            D::Internal => AppError::Internal,
        }
    }
}

/// Maps a domain error and sets the response status to match (for pages and server functions).
#[cfg(feature = "ssr")]
pub fn fail(err: impl Into<AppError>) -> AppError {
    let err = err.into();
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(err.status()) {
            options.set_status(status);
        }
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_localised() {
        assert_eq!(AppError::Forbidden.message(Lang::Zh), "无权访问");
        assert_eq!(AppError::Forbidden.message(Lang::En), "Access denied");
        let invalid = AppError::Invalid {
            field: "login".into(),
            reason: "too_long".into(),
        };
        assert_eq!(invalid.message(Lang::Zh), "用户名或手机号过长");
        assert_eq!(invalid.message(Lang::En), "Login name or phone is too long");
        let unknown = AppError::Invalid {
            field: "name".into(),
            reason: "no_such_reason".into(),
        };
        assert_eq!(unknown.message(Lang::Zh), "名称格式不正确");
    }

    #[test]
    fn codes_round_trip() {
        for e in [
            AppError::Forbidden,
            AppError::BadCredentials,
            AppError::RateLimited,
        ] {
            assert_eq!(AppError::from_code(e.code()), Some(e));
        }
        assert_eq!(AppError::from_code("<script>"), None);
    }
}
