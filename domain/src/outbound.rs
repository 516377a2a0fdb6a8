//! What this deployment sends beyond the app (configured by the operator, read once at start):
//! whether e-mail and text messages go out, and which hosts a group robot's address may name (the robots'
//! own; a test adds its local receiver).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outbound {
    /// An SMTP server is configured: messages are e-mailed to those who gave an address.
    pub email: bool,
    /// An SMS provider is configured: a few kinds are texted to those who gave a number.
    pub sms: bool,
    /// Group robots may be set and are posted to.
    pub robots: bool,
    /// Hosts a robot's address may name besides the robots' own (`qyapi.weixin.qq.com`,
    /// `oapi.dingtalk.com`), plain HTTP allowed: a test's local receiver. Empty in production.
    pub extra_robot_hosts: Vec<String>,
}
