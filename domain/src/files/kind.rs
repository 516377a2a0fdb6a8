//! The kinds of file the service takes, told from their first bytes (`infer`).
code_enum! {
    /// A kind of file that may be attached (its code is its name's ending).
    FileKind {
        Pdf => "pdf", "PDF";
        Png => "png", "PNG 图片";
        Jpeg => "jpg", "JPEG 图片";
        Gif => "gif", "GIF 图片";
        Webp => "webp", "WebP 图片";
        Doc => "doc", "Word 文档";
        Docx => "docx", "Word 文档";
        Xls => "xls", "Excel 表格";
        Xlsx => "xlsx", "Excel 表格";
    }
}

impl FileKind {
    /// What `bytes` are, if a kind taken: a zip that is not a Word or Excel file, an HTML page
    /// named `.pdf`, a program, are not.
    pub fn of(bytes: &[u8]) -> Option<FileKind> {
        let found = infer::get(bytes)?;
        Some(match found.mime_type() {
            "application/pdf" => FileKind::Pdf,
            "image/png" => FileKind::Png,
            "image/jpeg" => FileKind::Jpeg,
            "image/gif" => FileKind::Gif,
            "image/webp" => FileKind::Webp,
            "application/msword" => FileKind::Doc,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
                FileKind::Docx
            }
            "application/vnd.ms-excel" => FileKind::Xls,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => FileKind::Xlsx,
            _ => return None,
        })
    }

    /// The name's ending for files of this kind.
    pub fn extension(self) -> &'static str {
        self.as_str()
    }

    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Gif => "image/gif",
            FileKind::Webp => "image/webp",
            FileKind::Doc => "application/msword",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xls => "application/vnd.ms-excel",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    pub fn is_image(self) -> bool {
        matches!(
            self,
            FileKind::Png | FileKind::Jpeg | FileKind::Gif | FileKind::Webp
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_by_content() {
        assert_eq!(
            FileKind::of(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
            Some(FileKind::Pdf)
        );
        let png = [
            0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d,
        ];
        assert_eq!(FileKind::of(&png), Some(FileKind::Png));
        assert_eq!(
            FileKind::of(&[0xff, 0xd8, 0xff, 0xe0, 0, 0x10]),
            Some(FileKind::Jpeg)
        );
        // Named anything, an HTML page, a script or a program is none of them.
        assert_eq!(FileKind::of(b"<html><script>alert(1)</script>"), None);
        assert_eq!(FileKind::of(b"MZ\x90\x00\x03\x00\x00\x00"), None);
        assert_eq!(FileKind::of(b"#!/bin/sh\nrm -rf /\n"), None);
        assert_eq!(FileKind::of(b""), None);
    }

    #[test]
    fn an_excel_workbook_is_told_from_a_zip() {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet();
        let bytes = book.save_to_buffer().unwrap_or_default();
        assert_eq!(FileKind::of(&bytes), Some(FileKind::Xlsx));
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        assert!(zip.start_file("notes.txt", options).is_ok());
        let plain = zip.finish().map(|c| c.into_inner()).unwrap_or_default();
        assert!(!plain.is_empty(), "a zip written");
        assert_eq!(FileKind::of(&plain), None, "a plain zip is not taken");
    }
}
