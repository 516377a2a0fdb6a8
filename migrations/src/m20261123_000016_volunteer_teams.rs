//! 志愿服务队: a community's volunteer teams and their members; a volunteer activity may be run
//! by one of them, so the team's hours are the hours served at its activities.
use crate::sql::Script;

const UP: &[&str] = &[
    "CREATE TABLE volunteer_teams (
        {tenant_keys},
        name varchar(60) NOT NULL,
        service_area varchar(500),
        leader_member_id {uuid},
        created_at {ts} NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, leader_member_id) REFERENCES members(tenant_id, id)
    )",
    "CREATE UNIQUE INDEX volunteer_teams_name ON volunteer_teams(tenant_id, name)",
    "CREATE TABLE volunteer_team_members (
        tenant_id {uuid} NOT NULL REFERENCES org_nodes(id),
        team_id {uuid} NOT NULL,
        member_id {uuid} NOT NULL,
        joined_on {date} NOT NULL,
        PRIMARY KEY (tenant_id, team_id, member_id),
        FOREIGN KEY (tenant_id, team_id) REFERENCES volunteer_teams(tenant_id, id),
        FOREIGN KEY (tenant_id, member_id) REFERENCES members(tenant_id, id)
    )",
    "CREATE INDEX volunteer_team_members_member ON volunteer_team_members(tenant_id, member_id)",
    // Teams are never deleted, so the domain's check that a team is the tenant's is enough
    // (SQLite cannot add a composite foreign key to an existing table).
    "ALTER TABLE activities ADD COLUMN team_id {uuid}",
];

pub const MIGRATION: Script = Script {
    name: "m20261123_000016_volunteer_teams",
    up: UP,
    tenant_tables: &["volunteer_teams", "volunteer_team_members"],
    down: &[
        "ALTER TABLE activities DROP COLUMN team_id",
        "DROP TABLE volunteer_team_members",
        "DROP TABLE volunteer_teams",
    ],
};
