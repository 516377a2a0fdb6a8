use sea_orm::entity::prelude::*;

tenant_model! {
    /// A photo of a branch meeting, on disk under `sha256` with its thumbnail (a JPEG) under
    /// `thumb_sha256` (`crate::files`).
    "meeting_photos" {
        pub activity_id: Uuid,
        /// Its place among the meeting's photos, from 0.
        pub position: i32,
        pub name: String,
        pub kind: crate::files::FileKind,
        pub size_bytes: i64,
        pub sha256: String,
        pub thumb_sha256: String,
        pub thumb_bytes: i64,
        pub width: i32,
        pub height: i32,
        pub added_at: DateTimeUtc,
        pub added_by: Uuid,
    }
}
