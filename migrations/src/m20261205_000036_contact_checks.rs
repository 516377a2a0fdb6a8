//! A new e-mail address or mobile number counts only once its owner typed back the code sent
//! to it: one check per account and channel, which also counts the codes sent in a day (kept a
//! day after its last code, then pruned).
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261205_000036_contact_checks",
    up: &["CREATE TABLE contact_checks (
            user_id {uuid} NOT NULL REFERENCES users(id),
            channel varchar(8) NOT NULL,
            address varchar(254) NOT NULL,
            code varchar(6) NOT NULL,
            sent_at {ts} NOT NULL,
            expires_at {ts} NOT NULL,
            tries integer NOT NULL,
            sends integer NOT NULL,
            counted_from {ts} NOT NULL,
            PRIMARY KEY (user_id, channel)
        )"],
    tenant_tables: &[],
    down: &["DROP TABLE contact_checks"],
};
