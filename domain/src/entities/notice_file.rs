use sea_orm::entity::prelude::*;

tenant_model! {
    /// A file attached to a notice, listed in the sender's tenant; its content is on disk
    /// under `sha256` (`crate::files`).
    "notice_files" {
        pub notice_id: Uuid,
        /// Its place in the notice's list, from 0.
        pub position: i32,
        pub name: String,
        pub kind: crate::files::FileKind,
        pub size_bytes: i64,
        pub sha256: String,
    }
}
