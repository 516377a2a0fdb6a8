//! 双报到: service posts a community offers, in-service members' reports to their residential
//! community, and the posts each report picked.
use crate::sql::Script;

const UP: &[&str] = &[
    "CREATE TABLE service_posts (
        {tenant_keys},
        name varchar(50) NOT NULL,
        description varchar(300),
        active boolean NOT NULL,
        created_at {ts} NOT NULL,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, name)
    )",
    "CREATE TABLE member_reports (
        {tenant_keys},
        member_id {uuid} NOT NULL,
        reported_on {date} NOT NULL,
        status varchar(16) NOT NULL,
        decided_on {date},
        decided_by {uuid},
        reason varchar(200),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, member_id),
        FOREIGN KEY (tenant_id, member_id) REFERENCES members(tenant_id, id)
    )",
    "CREATE TABLE member_report_posts (
        tenant_id {uuid} NOT NULL REFERENCES org_nodes(id),
        report_id {uuid} NOT NULL,
        post_id {uuid} NOT NULL,
        PRIMARY KEY (tenant_id, report_id, post_id),
        FOREIGN KEY (tenant_id, report_id) REFERENCES member_reports(tenant_id, id),
        FOREIGN KEY (tenant_id, post_id) REFERENCES service_posts(tenant_id, id)
    )",
];

pub const MIGRATION: Script = Script {
    name: "m20261123_000005_dual_reporting",
    up: UP,
    tenant_tables: &["service_posts", "member_reports", "member_report_posts"],
    down: &[
        "DROP TABLE member_report_posts",
        "DROP TABLE member_reports",
        "DROP TABLE service_posts",
    ],
};
