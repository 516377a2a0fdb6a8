//! Files people attach (a notice's PDF or spreadsheet, photos): kept on disk under the SHA-256
//! of their content (the same file sent twice is kept once, and a name can never point outside
//! the store), recognised by their content, never by their name, and refused unless of a kind
//! the service takes. Who may fetch a file is the business of the record that lists it.
mod kind;
mod store;
mod thumbnail;

pub use kind::FileKind;
pub use store::{FileStore, StoredFile};
pub use thumbnail::{thumbnail, thumbnail_now, Thumbnailed, THUMB_EDGE};

/// At most this large, each.
pub const FILE_MAX_BYTES: usize = 10 * 1024 * 1024;
