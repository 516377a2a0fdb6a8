//! SMS through a provider: the `SmsProvider` trait and its one adapter, Aliyun's 短信服务
//! (`SendSms`, RPC style, signed with HMAC-SHA1 as Aliyun publishes it). Off unless the
//! operator gives its settings (`ALIYUN_SMS_*`); then the kinds that go by text
//! (`MessageKind::by_text`) reach those who gave a number on their account page.
use std::collections::BTreeMap;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::Failure;

/// Sends a text message from a template the provider approved, filled with `params`: the
/// message template (`send`) or the 验证码 one (`send_code`).
pub trait SmsProvider {
    fn send(
        &self,
        phone: &str,
        params: &serde_json::Value,
    ) -> impl std::future::Future<Output = Result<(), Failure>> + Send;

    fn send_code(
        &self,
        phone: &str,
        code: &str,
    ) -> impl std::future::Future<Output = Result<(), Failure>> + Send;
}

/// Aliyun's SMS API with an account's AccessKey, an approved signature (签名) and template.
pub struct AliyunSms {
    pub access_key_id: String,
    pub access_key_secret: String,
    pub sign_name: String,
    pub template_code: String,
    /// The 验证码 template (`${code}`).
    pub code_template: String,
    /// `https://dysmsapi.aliyuncs.com/` (a test's receiver elsewhere).
    pub endpoint: String,
    pub http: reqwest::Client,
}

impl AliyunSms {
    /// The signed query of a `SendSms` request from `template` at `timestamp`
    /// (`2017-07-12T02:42:19Z`) with a fresh `nonce`.
    pub fn signed_query(
        &self,
        template: &str,
        phone: &str,
        params: &serde_json::Value,
        nonce: &str,
        timestamp: &str,
    ) -> String {
        let mut query = BTreeMap::from([
            ("AccessKeyId", self.access_key_id.clone()),
            ("Action", "SendSms".to_owned()),
            ("Format", "JSON".to_owned()),
            ("PhoneNumbers", phone.to_owned()),
            ("RegionId", "cn-hangzhou".to_owned()),
            ("SignName", self.sign_name.clone()),
            ("SignatureMethod", "HMAC-SHA1".to_owned()),
            ("SignatureNonce", nonce.to_owned()),
            ("SignatureVersion", "1.0".to_owned()),
            ("TemplateCode", template.to_owned()),
            ("TemplateParam", params.to_string()),
            ("Timestamp", timestamp.to_owned()),
            ("Version", "2017-05-25".to_owned()),
        ]);
        let signature = signature(&query, &self.access_key_secret);
        query.insert("Signature", signature);
        canonical(&query)
    }
}

impl AliyunSms {
    pub fn new(settings: &crate::config::SmsSettings<'_>, http: reqwest::Client) -> AliyunSms {
        AliyunSms {
            access_key_id: settings.access_key_id.to_owned(),
            access_key_secret: settings.access_key_secret.to_owned(),
            sign_name: settings.sign_name.to_owned(),
            template_code: settings.template_code.to_owned(),
            code_template: settings.code_template.to_owned(),
            endpoint: settings.endpoint.to_owned(),
            http,
        }
    }
}

impl SmsProvider for AliyunSms {
    async fn send(&self, phone: &str, params: &serde_json::Value) -> Result<(), Failure> {
        self.request(&self.template_code, phone, params).await
    }

    async fn send_code(&self, phone: &str, code: &str) -> Result<(), Failure> {
        let params = serde_json::json!({ "code": code });
        self.request(&self.code_template, phone, &params).await
    }
}

impl AliyunSms {
    async fn request(
        &self,
        template: &str,
        phone: &str,
        params: &serde_json::Value,
    ) -> Result<(), Failure> {
        let nonce = uuid::Uuid::now_v7().to_string();
        let timestamp = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let url = format!(
            "{}?{}",
            self.endpoint,
            self.signed_query(template, phone, params, &nonce, &timestamp)
        );
        let answer: serde_json::Value = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| Failure::again(format!("SMS: {}", e.without_url())))?
            .json()
            .await
            .map_err(|e| Failure::again(format!("SMS: {}", e.without_url())))?;
        let code = answer.get("Code").and_then(|c| c.as_str());
        match code {
            Some("OK") => Ok(()),
            // The number is not one, or its owner refused texts: trying again cannot help.
            Some(never @ ("isv.MOBILE_NUMBER_ILLEGAL" | "isv.BLACK_KEY_CONTROL_LIMIT")) => {
                Err(Failure::never(format!("SMS: {never}")))
            }
            code => Err(Failure::again(format!(
                "SMS: {}",
                code.unwrap_or("no answer code")
            ))),
        }
    }
}

/// Aliyun's percent-encoding: every byte but `A-Z a-z 0-9 - _ . ~` (so a space is `%20`, `*`
/// is `%2A`).
const POP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn encode(s: &str) -> String {
    utf8_percent_encode(s, POP).to_string()
}

/// `key=value&…` sorted by key, each part encoded.
fn canonical(query: &BTreeMap<&str, String>) -> String {
    query
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The request's signature: base64 of HMAC-SHA1 keyed with the secret and `&`, over
/// `GET&%2F&` and the encoded canonical query.
pub fn signature(query: &BTreeMap<&str, String>, secret: &str) -> String {
    let to_sign = format!("GET&{}&{}", encode("/"), encode(&canonical(query)));
    let Ok(mut mac) = Hmac::<sha1::Sha1>::new_from_slice(format!("{secret}&").as_bytes()) else {
        return String::new();
    };
    mac.update(to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    /// Aliyun's published example of a signed `SendSms` request (短信服务 API 签名机制).
    #[test]
    fn the_signature_of_aliyuns_send_sms_example() {
        let query = BTreeMap::from([
            ("AccessKeyId", "testId".to_owned()),
            ("Action", "SendSms".to_owned()),
            ("Format", "XML".to_owned()),
            ("OutId", "123".to_owned()),
            ("PhoneNumbers", "15300000001".to_owned()),
            ("RegionId", "cn-hangzhou".to_owned()),
            ("SignName", "阿里云短信测试专用".to_owned()),
            ("SignatureMethod", "HMAC-SHA1".to_owned()),
            (
                "SignatureNonce",
                "45e25e9b-0a6f-4070-8c85-2956eda1b466".to_owned(),
            ),
            ("SignatureVersion", "1.0".to_owned()),
            ("TemplateCode", "SMS_71390007".to_owned()),
            ("TemplateParam", r#"{"customer":"test"}"#.to_owned()),
            ("Timestamp", "2017-07-12T02:42:19Z".to_owned()),
            ("Version", "2017-05-25".to_owned()),
        ]);
        assert_eq!(
            signature(&query, "testSecret"),
            "zJDF+Lrzhj/ThnlvIToysFRq6t4="
        );
    }

    /// Aliyun's published example of the RPC signature mechanism (`DescribeRegions`).
    #[test]
    fn the_signature_of_aliyuns_rpc_example() {
        let query = BTreeMap::from([
            ("AccessKeyId", "testid".to_owned()),
            ("Action", "DescribeRegions".to_owned()),
            ("Format", "XML".to_owned()),
            ("SignatureMethod", "HMAC-SHA1".to_owned()),
            (
                "SignatureNonce",
                "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf".to_owned(),
            ),
            ("SignatureVersion", "1.0".to_owned()),
            ("Timestamp", "2016-02-23T12:46:24Z".to_owned()),
            ("Version", "2014-05-26".to_owned()),
        ]);
        assert_eq!(
            signature(&query, "testsecret"),
            "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
        );
    }

    #[test]
    fn a_send_request_carries_the_signature_of_its_other_parameters_in_order() {
        let sms = AliyunSms {
            access_key_id: "testId".into(),
            access_key_secret: "testSecret".into(),
            sign_name: "共建".into(),
            template_code: "SMS_1".into(),
            code_template: "SMS_2".into(),
            endpoint: "https://dysmsapi.aliyuncs.com/".into(),
            http: super::super::http_client().expect("client"),
        };
        let params = serde_json::json!({ "title": "通知" });
        let query = sms.signed_query(
            "SMS_1",
            "13800000000",
            &params,
            "n-1",
            "2026-12-04T01:00:00Z",
        );
        assert!(query.starts_with("AccessKeyId=testId&Action=SendSms&"));
        assert!(query.contains("&SignName=%E5%85%B1%E5%BB%BA&"));
        let others: BTreeMap<&str, String> = query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .filter(|(key, _)| *key != "Signature")
            .map(|(key, value)| {
                let value = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
                (key, value.into_owned())
            })
            .collect();
        assert_eq!(others.len(), 13);
        let expected = encode(&signature(&others, "testSecret"));
        assert!(
            query.contains(&format!("&Signature={expected}&SignatureMethod=")),
            "{query}"
        );
        assert!(query.contains("&TemplateParam=%7B%22title%22%3A%22%E9%80%9A%E7%9F%A5%22%7D&"));
    }
}
