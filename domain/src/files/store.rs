//! The directory files are kept in, each at `<tenant id>/<sha256>`: written once (to a
//! temporary name, then renamed, so a reader never sees half a file), never changed. Kept per
//! tenant, so whether a file is still listed is a question for its own tenant's rows
//! (`file_sweep::sweep_files` removes the ones no record lists, left by an upload that failed).
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use uuid::Uuid;

use sha2::{Digest, Sha256};

use super::{FileKind, FILE_MAX_BYTES};
use crate::error::{DomainError, DomainResult};

/// A name is cut to this many characters (its ending kept).
const NAME_MAX: usize = 80;

#[derive(Clone, Debug)]
pub struct FileStore {
    dir: PathBuf,
}

/// A file now on disk, for a record to list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFile {
    /// The name shown and downloaded under: the sender's, cleaned, ending as its kind does.
    pub name: String,
    pub kind: FileKind,
    pub size: u64,
    /// Lower-case hex.
    pub sha256: String,
}

impl Default for FileStore {
    /// Beside the default SQLite database (`data/`).
    fn default() -> Self {
        FileStore::new("data/files")
    }
}

impl FileStore {
    pub fn new(dir: impl Into<PathBuf>) -> FileStore {
        FileStore { dir: dir.into() }
    }

    /// Keeps `bytes` sent to tenant `tenant` under `name`, if of a kind taken and not too
    /// large. Hashing and writing run off the async runtime (10 MB hash in tens of milliseconds).
    pub async fn keep(&self, tenant: Uuid, name: &str, bytes: Vec<u8>) -> DomainResult<StoredFile> {
        let kind = FileStore::check(&bytes)?;
        let name = clean_name(name, kind);
        let dir = self.dir.join(tenant.to_string());
        tokio::task::spawn_blocking(move || {
            let sha256 = hex(&Sha256::digest(&bytes));
            write_once(&dir, &sha256, &bytes)?;
            Ok(StoredFile {
                name,
                kind,
                size: bytes.len() as u64,
                sha256,
            })
        })
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "keeping a file");
            DomainError::Internal
        })?
    }

    /// What `keep` would refuse `bytes` for (empty, too large, not a kind taken); their kind.
    pub fn check(bytes: &[u8]) -> DomainResult<FileKind> {
        if bytes.is_empty() {
            return Err(DomainError::invalid("attachment", "required"));
        }
        if bytes.len() > FILE_MAX_BYTES {
            return Err(DomainError::invalid("attachment", "file_too_large"));
        }
        FileKind::of(bytes).ok_or_else(|| DomainError::invalid("attachment", "kind_not_taken"))
    }

    /// Where tenant `tenant`'s file of this hash is (none for anything but 64 hex digits).
    pub fn path(&self, tenant: Uuid, sha256: &str) -> Option<PathBuf> {
        is_sha256(sha256).then(|| self.dir.join(tenant.to_string()).join(sha256))
    }

    /// Where to read tenant `tenant`'s file of this hash from: its folder, or the top of the
    /// directory for a file kept before files had a folder per tenant (the listing record,
    /// already the tenant's, is what makes it theirs).
    pub fn to_read(&self, tenant: Uuid, sha256: &str) -> Option<PathBuf> {
        let path = self.path(tenant, sha256)?;
        let before_folders = self.dir.join(sha256);
        Some(if !path.exists() && before_folders.exists() {
            before_folders
        } else {
            path
        })
    }

    /// Each tenant's files last written from `since` to before `cutoff` (the candidates for
    /// removal), and temporary files older than `cutoff` removed (a write the process died
    /// in). Reads the whole directory: call it off the async runtime, now and then.
    pub fn written_between(
        &self,
        since: SystemTime,
        cutoff: SystemTime,
    ) -> std::io::Result<Vec<(Uuid, Vec<String>)>> {
        let mut found = Vec::new();
        let tenants = match std::fs::read_dir(&self.dir) {
            Ok(tenants) => tenants,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(found),
            Err(err) => return Err(err),
        };
        for entry in tenants {
            let entry = entry?;
            let Some(tenant) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
                continue;
            };
            let mut old = Vec::new();
            for file in std::fs::read_dir(entry.path())? {
                let file = file?;
                let written = file.metadata()?.modified()?;
                if written >= cutoff {
                    continue;
                }
                let name = file.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') {
                    std::fs::remove_file(file.path())?;
                } else if is_sha256(&name) && written >= since {
                    old.push(name);
                }
            }
            if !old.is_empty() {
                found.push((tenant, old));
            }
        }
        Ok(found)
    }

    /// Removes tenant `tenant`'s file of this hash if it was still last written before
    /// `cutoff` (a send that has just kept it again wrote it anew); whether it did.
    pub fn remove_if_written_before(
        &self,
        tenant: Uuid,
        sha256: &str,
        cutoff: SystemTime,
    ) -> std::io::Result<bool> {
        let Some(path) = self.path(tenant, sha256) else {
            return Ok(false);
        };
        match std::fs::metadata(&path).and_then(|m| m.modified()) {
            Ok(written) if written < cutoff => std::fs::remove_file(&path).map(|()| true),
            Ok(_) => Ok(false),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(err) => Err(err),
        }
    }
}

fn is_sha256(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Writes the file into `folder` unless it is there; if it is, marks it written now (so the
/// sweep leaves it to the send about to list it).
fn write_once(folder: &Path, sha256: &str, bytes: &[u8]) -> DomainResult<()> {
    let io = |err: std::io::Error| {
        tracing::error!(error = %err, "keeping a file");
        DomainError::Internal
    };
    let path = folder.join(sha256);
    if let Ok(there) = std::fs::File::options().append(true).open(&path) {
        return there.set_modified(SystemTime::now()).map_err(io);
    }
    std::fs::create_dir_all(folder).map_err(io)?;
    let temporary = folder.join(format!(".{sha256}.{}", uuid::Uuid::now_v7()));
    let mut file = std::fs::File::create(&temporary).map_err(io)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(err) = written.and_then(|()| std::fs::rename(&temporary, &path)) {
        let _ = std::fs::remove_file(&temporary);
        return Err(io(err));
    }
    Ok(())
}

/// Invisible characters that change how a name reads (right-to-left overrides, zero widths):
/// `rdm.exe` shown as `exe.mdr`.
fn is_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The last part of what the browser sent (some send a whole path), without control
/// characters, quotes or slashes, at most `NAME_MAX` characters, ending as `kind` does.
fn clean_name(sent: &str, kind: FileKind) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let kept: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_format(*c) && !matches!(c, '"' | '\\' | '/'))
        .collect();
    let kept = kept.trim();
    let (stem, ending) = match kept.rsplit_once('.') {
        Some((stem, ending)) => (stem, ending.to_lowercase()),
        None => (kept, String::new()),
    };
    let same_kind = ending == kind.extension() || (kind == FileKind::Jpeg && ending == "jpeg");
    let stem = if same_kind { stem } else { kept };
    let ending = if same_kind {
        ending.as_str()
    } else {
        kind.extension()
    };
    // No hidden names (`.bashrc`).
    let stem = stem.trim_start_matches('.');
    let stem: String = stem.chars().take(NAME_MAX - ending.len() - 1).collect();
    let stem = if stem.trim().is_empty() {
        "附件"
    } else {
        stem.trim()
    };
    format!("{stem}.{ending}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned_and_end_as_their_kind() {
        let pdf = FileKind::Pdf;
        assert_eq!(clean_name("通知.pdf", pdf), "通知.pdf");
        assert_eq!(clean_name("C:\\Users\\王\\通知.PDF", pdf), "通知.pdf");
        assert_eq!(clean_name("../../etc/passwd", pdf), "passwd.pdf");
        assert_eq!(clean_name("a\"b\r\nc.pdf", pdf), "abc.pdf");
        assert_eq!(clean_name("page.html", pdf), "page.html.pdf");
        assert_eq!(clean_name("报告\u{202E}fdp.exe", pdf), "报告fdp.exe.pdf");
        assert_eq!(clean_name("", pdf), "附件.pdf");
        assert_eq!(clean_name(".pdf", pdf), "附件.pdf");
        assert_eq!(clean_name("照片.jpeg", FileKind::Jpeg), "照片.jpeg");
        let long = "长".repeat(200);
        assert_eq!(clean_name(&long, pdf).chars().count(), NAME_MAX);
    }

    #[test]
    fn only_a_hash_names_a_path() {
        let store = FileStore::new("/srv/files");
        let (tenant, sha) = (Uuid::nil(), "ab".repeat(32));
        assert_eq!(
            store.path(tenant, &sha),
            Some(PathBuf::from(format!("/srv/files/{tenant}/{sha}")))
        );
        assert_eq!(store.path(tenant, "../../etc/passwd"), None);
        assert_eq!(store.path(tenant, &"zz".repeat(32)), None);
    }

    #[tokio::test]
    async fn a_file_kept_before_folders_per_tenant_is_still_read() {
        let dir = std::env::temp_dir().join(format!("gongjian-files-{}", uuid::Uuid::now_v7()));
        let store = FileStore::new(&dir);
        let (tenant, bytes) = (Uuid::now_v7(), b"%PDF-1.4 old".to_vec());
        let sha = hex(&Sha256::digest(&bytes));
        std::fs::create_dir_all(&dir).expect("a directory");
        std::fs::write(dir.join(&sha), &bytes).expect("an old file");
        assert_eq!(store.to_read(tenant, &sha), Some(dir.join(&sha)));
        assert!(store.keep(tenant, "a.pdf", bytes).await.is_ok());
        assert_eq!(store.to_read(tenant, &sha), store.path(tenant, &sha));
        assert_eq!(store.to_read(tenant, "../x"), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn a_file_is_kept_once_under_its_hash() {
        let dir = std::env::temp_dir().join(format!("gongjian-files-{}", uuid::Uuid::now_v7()));
        let store = FileStore::new(&dir);
        let pdf = b"%PDF-1.4\n1 0 obj\n".to_vec();
        let tenant = Uuid::now_v7();
        let first = store.keep(tenant, "a.pdf", pdf.clone()).await;
        let second = store.keep(tenant, "b.pdf", pdf.clone()).await;
        let (Ok(first), Ok(second)) = (first, second) else {
            panic!("kept");
        };
        assert_eq!(first.sha256, second.sha256);
        assert_eq!(
            (first.name.as_str(), second.name.as_str()),
            ("a.pdf", "b.pdf")
        );
        let on_disk = store.path(tenant, &first.sha256).map(std::fs::read);
        assert!(matches!(on_disk, Some(Ok(ref bytes)) if *bytes == pdf));
        let refused = store.keep(tenant, "x.pdf", b"<html>".to_vec()).await;
        assert!(
            matches!(refused, Err(DomainError::Invalid { ref reason, .. }) if reason == "kind_not_taken")
        );
        let big = store
            .keep(tenant, "x.pdf", vec![b'%'; FILE_MAX_BYTES + 1])
            .await;
        assert!(
            matches!(big, Err(DomainError::Invalid { ref reason, .. }) if reason == "file_too_large")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn old_files_are_found_and_removed_unless_written_again() {
        let dir = std::env::temp_dir().join(format!("gongjian-files-{}", uuid::Uuid::now_v7()));
        let store = FileStore::new(&dir);
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let pdf = b"%PDF-1.4\n1 0 obj\n".to_vec();
        let (Ok(kept), Ok(_)) = (
            store.keep(a, "a.pdf", pdf.clone()).await,
            store.keep(b, "b.pdf", b"%PDF-1.4\nb".to_vec()).await,
        ) else {
            panic!("kept");
        };
        let half_written = dir.join(a.to_string()).join(format!(".{}.1", kept.sha256));
        std::fs::write(&half_written, b"%PDF").expect("temporary");
        let long_ago = SystemTime::UNIX_EPOCH;
        let before = SystemTime::now() - std::time::Duration::from_secs(60);
        let listed = store.written_between(long_ago, before).expect("listed");
        assert_eq!(listed, Vec::new());
        assert!(half_written.exists());

        std::thread::sleep(std::time::Duration::from_millis(20));
        let cutoff = SystemTime::now();
        let old = store.written_between(long_ago, cutoff).expect("listed");
        assert_eq!(old.len(), 2);
        assert!(old.contains(&(a, vec![kept.sha256.clone()])));
        assert!(
            !half_written.exists(),
            "a write that never finished is gone"
        );
        let since_then = store.written_between(cutoff, SystemTime::now());
        assert_eq!(since_then.ok(), Some(Vec::new()), "none written since");

        // Sent again since: written anew, left alone.
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(store.keep(a, "again.pdf", pdf).await.is_ok());
        assert_eq!(
            store.remove_if_written_before(a, &kept.sha256, cutoff).ok(),
            Some(false)
        );
        let later = SystemTime::now() + std::time::Duration::from_secs(1);
        assert_eq!(
            store.remove_if_written_before(a, &kept.sha256, later).ok(),
            Some(true)
        );
        assert!(store.path(a, &kept.sha256).is_some_and(|p| !p.exists()));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
