//! A covering index for the roster list: paging, counting and filtering by status, category,
//! placement and name read the index only, and full rows are fetched for one page at a time.
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261123_000006_roster_index",
    up: &["CREATE INDEX members_roster ON members(tenant_id, id, status, category, unit_id, name)"],
    tenant_tables: &[],
    down: &["DROP INDEX members_roster"],
};
