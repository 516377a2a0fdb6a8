//! A paired co-construction unit's liaison runs activities in the community: the activity
//! remembers the unit (a street-tenant id, so no foreign key across tenants).
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261123_000017_unit_activities",
    up: &[
        "ALTER TABLE activities ADD COLUMN organiser_unit_id {uuid}",
        "CREATE INDEX activities_unit ON activities(tenant_id, organiser_unit_id)",
    ],
    tenant_tables: &[],
    down: &[
        "DROP INDEX activities_unit",
        "ALTER TABLE activities DROP COLUMN organiser_unit_id",
    ],
};
