//! Branch meetings, second part: a 党小组会 belongs to a building group (`group_id`); a
//! meeting's roll is closed when its attendance is finished (`roll_closed_at`: from then on the
//! record is its rows, whatever the roster later becomes); photos (会议照片), each kept on disk
//! under its hash with a thumbnail made on upload, listed in the meeting's order.
use crate::sql::Script;

const UP: &[&str] = &[
    "ALTER TABLE activities ADD COLUMN group_id {uuid}",
    "ALTER TABLE activities ADD COLUMN roll_closed_at {ts}",
    "CREATE TABLE meeting_photos (
        {tenant_keys},
        activity_id {uuid} NOT NULL,
        position integer NOT NULL,
        name varchar(100) NOT NULL,
        kind varchar(8) NOT NULL,
        size_bytes bigint NOT NULL,
        sha256 varchar(64) NOT NULL,
        thumb_sha256 varchar(64) NOT NULL,
        thumb_bytes bigint NOT NULL,
        width integer NOT NULL,
        height integer NOT NULL,
        added_at {ts} NOT NULL,
        added_by {uuid} NOT NULL,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, activity_id, position),
        FOREIGN KEY (tenant_id, activity_id) REFERENCES activities(tenant_id, id)
    )",
];

pub const MIGRATION: Script = Script {
    name: "m20261206_000041_meeting_rolls",
    up: UP,
    tenant_tables: &["meeting_photos"],
    down: &[
        "DROP TABLE meeting_photos",
        "ALTER TABLE activities DROP COLUMN roll_closed_at",
        "ALTER TABLE activities DROP COLUMN group_id",
    ],
};
