//! A 支部书记's role names the grid branch it is held for (a placement inside the community):
//! they see that branch's roster, activities, 三会一课 and points, not the whole community's.
//! Roles granted before name none and see nothing until the secretary grants them again.
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261201_000023_branch_roles",
    up: &["ALTER TABLE role_assignments ADD COLUMN placement_id {uuid}"],
    tenant_tables: &[],
    down: &["ALTER TABLE role_assignments DROP COLUMN placement_id"],
};
