//! A notice's attachments: each listed with the notice in the sender's tenant, its content kept
//! on disk under its SHA-256 (`domain::files`), so a recipient fetches it only through a
//! message of theirs about that notice.
use crate::sql::Script;

pub const MIGRATION: Script = Script {
    name: "m20261205_000033_notice_files",
    up: &[
        "CREATE TABLE notice_files (
            {tenant_keys},
            notice_id {uuid} NOT NULL,
            position integer NOT NULL,
            name varchar(100) NOT NULL,
            kind varchar(8) NOT NULL,
            size_bytes bigint NOT NULL,
            sha256 varchar(64) NOT NULL,
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, notice_id) REFERENCES notices(tenant_id, id)
        )",
        "CREATE INDEX notice_files_notice ON notice_files(tenant_id, notice_id, position)",
    ],
    tenant_tables: &["notice_files"],
    down: &["DROP TABLE notice_files"],
};
