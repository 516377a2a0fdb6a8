//! An index for what every member page looks up: the signed-in member's own record, by their
//! account. Without it each lookup read every member of the community (a community of 2,000
//! members: a fifth of a member page's CPU).
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261203_000024_member_lookups",
    up: &["CREATE INDEX members_user ON members(tenant_id, user_id)"],
    tenant_tables: &[],
    down: &["DROP INDEX members_user"],
};
