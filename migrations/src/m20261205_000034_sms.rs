//! Text messages (短信): the mobile number a person asked to be texted at, if any. Texts cost
//! the deployment money per message, so only a few kinds go by text (`MessageKind::by_text`),
//! to those who asked, where the operator configured a provider.
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261205_000034_sms",
    up: &["ALTER TABLE users ADD COLUMN sms_phone varchar(11)"],
    tenant_tables: &[],
    down: &["ALTER TABLE users DROP COLUMN sms_phone"],
};
