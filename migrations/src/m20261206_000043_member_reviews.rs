//! 民主评议党员: once a year each grid branch grades its members (优秀 / 合格 / 基本合格 / 不合格)
//! and records its decision, after its 组织生活会. A member is graded once a year in the
//! community, whichever branch they were in.
use crate::sql::Script;

const UP: &[&str] = &[
    "CREATE TABLE branch_reviews (
        {tenant_keys},
        branch_id {uuid} NOT NULL,
        year integer NOT NULL,
        meeting_id {uuid},
        decided_on {date},
        decision text NOT NULL DEFAULT '',
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, branch_id, year),
        FOREIGN KEY (tenant_id, branch_id) REFERENCES community_units(tenant_id, id),
        FOREIGN KEY (tenant_id, meeting_id) REFERENCES activities(tenant_id, id)
    )",
    "CREATE TABLE member_reviews (
        {tenant_keys},
        review_id {uuid} NOT NULL,
        year integer NOT NULL,
        member_id {uuid} NOT NULL,
        grade varchar(24) NOT NULL,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, year, member_id),
        FOREIGN KEY (tenant_id, review_id) REFERENCES branch_reviews(tenant_id, id),
        FOREIGN KEY (tenant_id, member_id) REFERENCES members(tenant_id, id)
    )",
    "CREATE INDEX member_reviews_review ON member_reviews (tenant_id, review_id)",
];

pub const MIGRATION: Script = Script {
    name: "m20261206_000043_member_reviews",
    up: UP,
    tenant_tables: &["branch_reviews", "member_reviews"],
    down: &["DROP TABLE member_reviews", "DROP TABLE branch_reviews"],
};
