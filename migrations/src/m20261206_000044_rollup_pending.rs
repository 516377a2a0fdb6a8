//! Pending totals: a change of a community's counter adds its delta to the totals of its street
//! (and its own) at once, and for the district, city, province and country appends it here
//! instead — no writer waits on a row every other writer in the country also moves. Readers
//! add what is pending to what is stored (one statement), and a background task folds it in.
//! PostgreSQL only: SQLite has one writer at a time anyway. No foreign key on the node: each
//! insert would lock the very rows of the upper nodes that writers share.
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261206_000044_rollup_pending",
    up: &[
        "CREATE TABLE rollup_pending (
            id {uuid} NOT NULL PRIMARY KEY,
            node_id {uuid} NOT NULL,
            metric varchar(64) NOT NULL,
            delta bigint NOT NULL
        )",
        "CREATE INDEX rollup_pending_node ON rollup_pending (node_id, metric)",
    ],
    tenant_tables: &[],
    // Folded in first: a delta not yet in the totals would be lost.
    down: &[
        "INSERT INTO rollup_totals (node_id, metric, value) \
         SELECT node_id, metric, SUM(delta) FROM rollup_pending GROUP BY node_id, metric \
         ON CONFLICT (node_id, metric) DO UPDATE SET value = rollup_totals.value + excluded.value",
        "DROP TABLE rollup_pending",
    ],
};
