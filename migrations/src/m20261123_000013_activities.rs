//! 活动: a community's activities and their signups (报名, 候补) with one live signup per member.
//! The activity row keeps the count of confirmed seats and the waitlist's sequence, so a
//! conditional update on that one row decides every seat.
use crate::sql::Script;

const UP: &[&str] = &[
    "CREATE TABLE activities (
        {tenant_keys},
        kind varchar(24) NOT NULL,
        title varchar(100) NOT NULL,
        description varchar(2000),
        venue varchar(100) NOT NULL,
        starts_at {ts} NOT NULL,
        ends_at {ts} NOT NULL,
        capacity integer,
        signup_opens_at {ts} NOT NULL,
        signup_closes_at {ts} NOT NULL,
        audience varchar(16) NOT NULL,
        branch_id {uuid},
        points integer NOT NULL,
        volunteer_minutes integer NOT NULL,
        cancelled_at {ts},
        organiser_user_id {uuid} NOT NULL REFERENCES users(id),
        created_at {ts} NOT NULL,
        confirmed_count integer NOT NULL,
        waitlist_seq bigint NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, branch_id) REFERENCES community_units(tenant_id, id)
    )",
    "CREATE INDEX activities_starts ON activities(tenant_id, starts_at)",
    "CREATE TABLE activity_signups (
        {tenant_keys},
        activity_id {uuid} NOT NULL,
        member_id {uuid} NOT NULL,
        state varchar(12) NOT NULL,
        queue_no bigint,
        signed_up_at {ts} NOT NULL,
        promoted_at {ts},
        cancelled_at {ts},
        on_behalf_by {uuid} REFERENCES users(id),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, activity_id) REFERENCES activities(tenant_id, id),
        FOREIGN KEY (tenant_id, member_id) REFERENCES members(tenant_id, id)
    )",
    "CREATE UNIQUE INDEX activity_signups_live
        ON activity_signups(tenant_id, activity_id, member_id) WHERE state <> 'cancelled'",
    "CREATE INDEX activity_signups_queue ON activity_signups(tenant_id, activity_id, state, queue_no)",
    "CREATE INDEX activity_signups_member ON activity_signups(tenant_id, member_id)",
];

const TABLES: &[&str] = &["activities", "activity_signups"];

pub const MIGRATION: Script = Script {
    name: "m20261123_000013_activities",
    up: UP,
    tenant_tables: TABLES,
    down: &["DROP TABLE activity_signups", "DROP TABLE activities"],
};
