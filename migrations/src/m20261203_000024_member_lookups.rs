//! Indexes for what every member page looks up: the signed-in member's own record (by their
//! account) and a member's 双报到 report. Without them each lookup read every member or every
//! report of the community (a community of 2,000 members: a fifth of a member page's CPU).
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261203_000024_member_lookups",
    up: &[
        "CREATE INDEX members_user ON members(tenant_id, user_id)",
        "CREATE INDEX member_reports_member ON member_reports(tenant_id, member_id)",
    ],
    tenant_tables: &[],
    down: &[
        "DROP INDEX member_reports_member",
        "DROP INDEX members_user",
    ],
};
