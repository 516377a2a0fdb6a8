//! Failed logins counted per account and client address in a small table that is swept, so
//! repeated failures cost one upsert each and at most two audit rows per window (not a row
//! per attempt).
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261130_000019_login_failures",
    up: &[
        "CREATE TABLE login_failures (
                    account_id {uuid} NOT NULL,
                    address text NOT NULL,
                    window_start {ts} NOT NULL,
                    failures integer NOT NULL,
                    PRIMARY KEY (account_id, address)
                )",
        "CREATE INDEX login_failures_window ON login_failures(window_start)",
        "CREATE INDEX audit_log_login_ok ON audit_log(actor_user_id, action, ip)",
    ],
    tenant_tables: &[],
    down: &["DROP INDEX audit_log_login_ok", "DROP TABLE login_failures"],
};
