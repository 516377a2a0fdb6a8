//! Reading an uploaded roster file (.xlsx, or .csv in UTF-8 or GBK) into text cells, with every
//! cap checked while reading, so one hostile file cannot exhaust the shared server: the zip's
//! unpacked size is measured by unpacking it (declared sizes can lie) before anything parses
//! it, and cells are streamed (never a dense grid sized by the sheet's claimed dimensions).
//! CPU-bound: callers run it off the async runtime.
use std::io::{Cursor, Read};

use calamine::{Data, DataType, Reader, Xlsx};

use crate::error::{DomainError, DomainResult};

/// Data rows above this are refused as a whole (a roster of one community is far smaller).
pub const MAX_ROWS: usize = 50_000;
/// Columns past this are refused (the template has 17).
pub const MAX_COLUMNS: usize = 64;
/// All entries of an .xlsx unpacked: a 50,000-row roster is ~40 MB.
pub const MAX_UNPACKED_BYTES: u64 = 80 * 1024 * 1024;
/// Entries in an .xlsx (a workbook from Excel or WPS has a few dozen).
const MAX_ZIP_ENTRIES: usize = 1_000;
const REQUIRED: [&str; 3] = ["姓名", "性别", "党员分类"];

/// A file's rows as text cells, with their line numbers (the header is line 1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

fn refused(reason: &str) -> DomainError {
    DomainError::invalid("file", reason)
}

fn unreadable() -> DomainError {
    refused("unreadable")
}

/// Reads an .xlsx (by content, whatever the name) or a UTF-8 / GBK .csv file. Legacy .xls and
/// OpenDocument .ods are named as such and refused (their readers build the whole sheet).
pub fn read_file(bytes: &[u8]) -> DomainResult<Sheet> {
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];
    let rows = if bytes.starts_with(OLE) {
        return Err(refused("unsupported_format"));
    } else if bytes.starts_with(b"PK") {
        check_zip(bytes)?;
        read_xlsx(bytes)?
    } else {
        read_csv(bytes)?
    };
    let mut rows = rows.into_iter().enumerate().map(|(i, r)| (i + 1, r));
    let (_, headers) = rows.next().ok_or_else(unreadable)?;
    let headers: Vec<String> = headers.into_iter().map(|h| h.trim().to_owned()).collect();
    if REQUIRED.iter().any(|r| !headers.iter().any(|h| h == r)) {
        return Err(refused("bad_headers"));
    }
    let rows = rows
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    Ok(Sheet { headers, rows })
}

/// Unpacks every entry into nothing, counting bytes, and stops past the cap.
fn check_zip(bytes: &[u8]) -> DomainResult<()> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(unreadable());
    }
    let mut unpacked: u64 = 0;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|_| unreadable())?;
        if entry.name().ok().as_deref() == Some("mimetype") {
            // OpenDocument files name their kind in a first, stored entry.
            let mut kind = String::new();
            let _ = entry.by_ref().take(100).read_to_string(&mut kind);
            if kind.starts_with("application/vnd.oasis.opendocument") {
                return Err(refused("unsupported_format"));
            }
        }
        let left = MAX_UNPACKED_BYTES - unpacked;
        let read = std::io::copy(&mut entry.by_ref().take(left + 1), &mut std::io::sink())
            .map_err(|_| unreadable())?;
        if read > left {
            return Err(refused("too_large_unpacked"));
        }
        unpacked += read;
    }
    Ok(())
}

/// The first sheet's cells in stream order, refused at the first cell past a cap.
fn read_xlsx(bytes: &[u8]) -> DomainResult<Vec<Vec<String>>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let first = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(unreadable)?;
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|_| unreadable())?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|_| unreadable())? {
        let value = Data::from(cell.get_value().clone());
        if value.is_empty() {
            continue;
        }
        let (row, col) = cell.get_position();
        let (row, col) = (row as usize, col as usize);
        if row > MAX_ROWS {
            return Err(refused("too_many_rows"));
        }
        if col >= MAX_COLUMNS {
            return Err(refused("too_many_columns"));
        }
        if rows.len() <= row {
            rows.resize_with(row + 1, Vec::new);
        }
        let line = &mut rows[row];
        if line.len() <= col {
            line.resize(col + 1, String::new());
        }
        line[col] = cell_text(&value);
    }
    Ok(rows)
}

/// Text of a cell as a person typed it: dates as YYYY-MM-DD, whole numbers (phones) without `.0`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::DateTime(_) | Data::DateTimeIso(_) => cell
            .as_date()
            .map(|d| d.to_string())
            .unwrap_or_else(|| cell.to_string()),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

fn read_csv(bytes: &[u8]) -> DomainResult<Vec<Vec<String>>> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.trim_start_matches('\u{feff}').to_owned(),
        Err(_) => {
            // Excel in China saves CSV as GBK.
            let (decoded, _, had_errors) = encoding_rs::GBK.decode(bytes);
            if had_errors {
                return Err(unreadable());
            }
            decoded.into_owned()
        }
    };
    if text.contains('\0') {
        return Err(unreadable());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| unreadable())?;
        if rows.len() > MAX_ROWS {
            return Err(refused("too_many_rows"));
        }
        if record.len() > MAX_COLUMNS {
            return Err(refused("too_many_columns"));
        }
        rows.push(record.iter().map(str::to_owned).collect());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn xls_and_ods_are_named_and_refused() {
        let xls = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert_eq!(read_file(&xls), Err(refused("unsupported_format")));
        let mut ods = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        ods.start_file("mimetype", stored).expect("entry");
        ods.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .expect("write");
        let ods = ods.finish().expect("zip").into_inner();
        assert_eq!(read_file(&ods), Err(refused("unsupported_format")));
    }

    #[test]
    fn a_csv_is_refused_at_the_first_row_or_column_past_the_caps() {
        let wide = format!("姓名,性别,党员分类{}\n", ",x".repeat(MAX_COLUMNS));
        assert_eq!(read_file(wide.as_bytes()), Err(refused("too_many_columns")));
        let mut long = String::from("姓名,性别,党员分类\n");
        for i in 0..=MAX_ROWS {
            long.push_str(&format!("党员{i},女,离退休\n"));
        }
        assert_eq!(read_file(long.as_bytes()), Err(refused("too_many_rows")));
    }
}
