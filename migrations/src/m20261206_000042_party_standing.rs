//! 正式党员 or 预备党员 on every member (all full members until recorded otherwise): a branch's
//! committee is elected by and from its full members.
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261206_000042_party_standing",
    up: &["ALTER TABLE members ADD COLUMN standing varchar(16) NOT NULL DEFAULT 'full'"],
    tenant_tables: &[],
    down: &["ALTER TABLE members DROP COLUMN standing"],
};
