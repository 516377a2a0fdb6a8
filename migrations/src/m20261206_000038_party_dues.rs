//! 党费: each member's assessed monthly dues (base and rate, from a month on) and the payments the
//! branch records, one per member and month paid for.
use crate::sql::Script;

const UP: &[&str] = &[
    "CREATE TABLE dues_assessments (
        {tenant_keys},
        member_id {uuid} NOT NULL,
        from_month {date} NOT NULL,
        base_cents bigint,
        rate_permille integer,
        monthly_cents bigint NOT NULL,
        set_by {uuid},
        set_at {ts} NOT NULL,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, member_id, from_month),
        FOREIGN KEY (tenant_id, member_id) REFERENCES members(tenant_id, id)
    )",
    "CREATE TABLE dues_payments (
        {tenant_keys},
        member_id {uuid} NOT NULL,
        month {date} NOT NULL,
        amount_cents bigint NOT NULL,
        method varchar(16) NOT NULL,
        paid_on {date} NOT NULL,
        proxy varchar(32),
        recorded_by {uuid},
        recorded_at {ts} NOT NULL,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, member_id, month),
        FOREIGN KEY (tenant_id, member_id) REFERENCES members(tenant_id, id)
    )",
    "CREATE INDEX dues_payments_month ON dues_payments(tenant_id, month)",
];

pub const MIGRATION: Script = Script {
    name: "m20261206_000038_party_dues",
    up: UP,
    tenant_tables: &["dues_assessments", "dues_payments"],
    down: &[
        "DELETE FROM rollup_totals WHERE metric LIKE 'dues.%'",
        "DELETE FROM rollup_counts WHERE metric LIKE 'dues.%'",
        "DROP TABLE dues_payments",
        "DROP TABLE dues_assessments",
    ],
};
