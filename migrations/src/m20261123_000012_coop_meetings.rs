//! 联席会议: joint meetings of a street or of one community, who is invited and signed in, the
//! agenda collected in advance, the minutes, and the resolutions (议定事项) with their progress.
use crate::sql::Script;

const UP: &[&str] = &[
    "CREATE TABLE coop_meetings (
        {tenant_keys},
        community_id {uuid} REFERENCES org_nodes(id),
        title varchar(100) NOT NULL,
        convener varchar(64) NOT NULL,
        held_on {date} NOT NULL,
        starts_at varchar(5) NOT NULL,
        venue varchar(100) NOT NULL,
        minutes varchar(5000),
        minutes_on {date},
        created_on {date} NOT NULL,
        PRIMARY KEY (tenant_id, id)
    )",
    "CREATE INDEX coop_meetings_held ON coop_meetings(tenant_id, held_on)",
    "CREATE TABLE coop_meeting_invitees (
        {tenant_keys},
        meeting_id {uuid} NOT NULL,
        kind varchar(16) NOT NULL,
        unit_id {uuid},
        community_id {uuid} REFERENCES org_nodes(id),
        branch_id {uuid},
        name varchar(100) NOT NULL,
        attendee varchar(64),
        signed_in_at {ts},
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, meeting_id) REFERENCES coop_meetings(tenant_id, id),
        FOREIGN KEY (tenant_id, unit_id) REFERENCES coop_units(tenant_id, id)
    )",
    "CREATE INDEX coop_meeting_invitees_meeting ON coop_meeting_invitees(tenant_id, meeting_id)",
    "CREATE TABLE coop_agenda_items (
        {tenant_keys},
        meeting_id {uuid} NOT NULL,
        title varchar(100) NOT NULL,
        detail varchar(500),
        proposed_by varchar(100) NOT NULL,
        need_id {uuid},
        resource_id {uuid},
        project_id {uuid},
        created_on {date} NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, meeting_id) REFERENCES coop_meetings(tenant_id, id),
        FOREIGN KEY (tenant_id, need_id) REFERENCES coop_needs(tenant_id, id),
        FOREIGN KEY (tenant_id, resource_id) REFERENCES coop_resources(tenant_id, id),
        FOREIGN KEY (tenant_id, project_id) REFERENCES coop_projects(tenant_id, id)
    )",
    "CREATE INDEX coop_agenda_items_meeting ON coop_agenda_items(tenant_id, meeting_id)",
    "CREATE TABLE coop_resolutions (
        {tenant_keys},
        meeting_id {uuid} NOT NULL,
        content varchar(500) NOT NULL,
        owner_kind varchar(16) NOT NULL,
        owner_community_id {uuid} REFERENCES org_nodes(id),
        owner_unit_id {uuid},
        owner_name varchar(100) NOT NULL,
        due_on {date} NOT NULL,
        status varchar(16) NOT NULL,
        evidence varchar(1000),
        closed_on {date},
        created_on {date} NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, meeting_id) REFERENCES coop_meetings(tenant_id, id),
        FOREIGN KEY (tenant_id, owner_unit_id) REFERENCES coop_units(tenant_id, id)
    )",
    "CREATE INDEX coop_resolutions_meeting ON coop_resolutions(tenant_id, meeting_id)",
    "CREATE INDEX coop_resolutions_community ON coop_resolutions(tenant_id, owner_community_id)",
    "CREATE INDEX coop_resolutions_unit ON coop_resolutions(tenant_id, owner_unit_id)",
    "CREATE TABLE coop_resolution_notes (
        {tenant_keys},
        resolution_id {uuid} NOT NULL,
        noted_on {date} NOT NULL,
        note varchar(500) NOT NULL,
        author varchar(100) NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, resolution_id) REFERENCES coop_resolutions(tenant_id, id)
    )",
    "CREATE INDEX coop_resolution_notes_resolution
        ON coop_resolution_notes(tenant_id, resolution_id)",
];

const TABLES: &[&str] = &[
    "coop_meetings",
    "coop_meeting_invitees",
    "coop_agenda_items",
    "coop_resolutions",
    "coop_resolution_notes",
];

pub const MIGRATION: Script = Script {
    name: "m20261123_000012_coop_meetings",
    up: UP,
    tenant_tables: TABLES,
    down: &[
        "DROP TABLE coop_resolution_notes",
        "DROP TABLE coop_resolutions",
        "DROP TABLE coop_agenda_items",
        "DROP TABLE coop_meeting_invitees",
        "DROP TABLE coop_meetings",
    ],
};
