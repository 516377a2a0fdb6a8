//! Posts to a group robot: 企业微信 and 钉钉 take the same text message (`msgtype: text`) and
//! answer `errcode` 0 when it was posted; a 钉钉 robot set to 加签 wants the time and an
//! HMAC-SHA256 signature of it in the address.
use base64::Engine as _;
use domain::kinds::RobotKind;
use hmac::{Hmac, Mac};
use serde::Deserialize;

use super::Failure;
use app::notices::outgoing::Composed;

/// The robots cap a text message (企业微信 at 2,048 bytes); longer bodies are cut.
const TEXT_MAX_CHARS: usize = 600;

#[derive(Deserialize)]
struct Answer {
    errcode: i64,
    #[serde(default)]
    errmsg: String,
}

/// A robot's answer is a line of JSON; more than this is not read.
const ANSWER_MAX_BYTES: usize = 64 * 1024;
/// Answers that say "later" (sent too fast, busy); any other error code will not change.
const TRY_AGAIN_CODES: [i64; 3] = [-1, 45009, 130101];

pub async fn post(
    http: &reqwest::Client,
    kind: RobotKind,
    url: &str,
    secret: Option<&str>,
    composed: &Composed,
) -> Result<(), Failure> {
    let url = match (kind, secret) {
        (RobotKind::Dingtalk, Some(secret)) => {
            let now = chrono::Utc::now().timestamp_millis();
            format!("{url}&timestamp={now}&sign={}", dingtalk_sign(now, secret))
        }
        _ => url.to_owned(),
    };
    let mut text = format!("{}\n{}", composed.subject, composed.text);
    if text.chars().count() > TEXT_MAX_CHARS {
        text = text.chars().take(TEXT_MAX_CHARS).collect::<String>() + "…";
    }
    let body = serde_json::json!({ "msgtype": "text", "text": { "content": text } });
    let unreachable = |e: reqwest::Error| Failure::again(format!("robot: {}", e.without_url()));
    let mut response = http
        .post(url)
        .json(&body)
        .send()
        .await
        .map_err(unreachable)?;
    let status = response.status();
    if status.is_client_error() && status != reqwest::StatusCode::TOO_MANY_REQUESTS {
        return Err(Failure::never(format!("robot: HTTP {status}")));
    }
    if !status.is_success() {
        return Err(Failure::again(format!("robot: HTTP {status}")));
    }
    let mut read = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
        if read.len() + chunk.len() > ANSWER_MAX_BYTES {
            return Err(Failure::again("robot: answer too long"));
        }
        read.extend_from_slice(&chunk);
    }
    let answer: Answer = serde_json::from_slice(&read)
        .map_err(|_| Failure::again("robot: answer is not the robot's JSON"))?;
    match answer.errcode {
        0 => Ok(()),
        code if TRY_AGAIN_CODES.contains(&code) => {
            Err(Failure::again(format!("robot: {code} {}", answer.errmsg)))
        }
        code => Err(Failure::never(format!("robot: {code} {}", answer.errmsg))),
    }
}

/// 钉钉 加签: base64 of HMAC-SHA256(secret, "{timestamp}\n{secret}"), URL-encoded.
fn dingtalk_sign(timestamp: i64, secret: &str) -> String {
    let mut mac = match Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(format!("{timestamp}\n{secret}").as_bytes());
    let signed = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    percent_encoding::utf8_percent_encode(&signed, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dingtalk_signature_is_the_hmac_of_the_time_and_secret_url_encoded() {
        // HMAC-SHA256("SECabc", "1700000000000\nSECabc"), base64, percent-encoded: worked out
        // independently with Python's hmac and base64 modules.
        let signed = dingtalk_sign(1_700_000_000_000, "SECabc");
        assert_eq!(signed, "jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM%3D");
    }
}
