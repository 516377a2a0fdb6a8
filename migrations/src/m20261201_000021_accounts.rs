//! Accounts people run themselves: a one-time password must be replaced at first login, the
//! last login is kept for the accounts pages, and each session names its account (so a
//! deactivation or a password reset ends that account's sessions at once, and a person can see
//! and end their own). A session's `handle` is what pages show and forms send, never its id.
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261201_000021_accounts",
    up: &[
        "ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT FALSE",
        "ALTER TABLE users ADD COLUMN last_login_at {ts}",
        "ALTER TABLE users ADD COLUMN password_changed_at {ts}",
        "ALTER TABLE sessions ADD COLUMN user_id {uuid}",
        "ALTER TABLE sessions ADD COLUMN handle {uuid}",
        "CREATE INDEX sessions_user ON sessions(user_id)",
        // Sessions from before name no account (so a reset could not end them): everyone
        // signs in once more.
        "DELETE FROM sessions",
    ],
    tenant_tables: &[],
    down: &[
        "DROP INDEX sessions_user",
        "ALTER TABLE sessions DROP COLUMN handle",
        "ALTER TABLE sessions DROP COLUMN user_id",
        "ALTER TABLE users DROP COLUMN password_changed_at",
        "ALTER TABLE users DROP COLUMN last_login_at",
        "ALTER TABLE users DROP COLUMN must_change_password",
    ],
};
