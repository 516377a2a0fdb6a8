//! Indexes for notices: a 支部书记's list (their branch's notices, newest first) and, for a
//! notice to staff, the roles held at each node it goes to.
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261204_000026_notice_indexes",
    up: &[
        "CREATE INDEX notices_branch ON notices(tenant_id, branch_id, sent_at)",
        "CREATE INDEX role_assignments_node ON role_assignments(node_id, role)",
    ],
    tenant_tables: &[],
    down: &[
        "DROP INDEX role_assignments_node",
        "DROP INDEX notices_branch",
    ],
};
