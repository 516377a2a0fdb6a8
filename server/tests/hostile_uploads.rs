//! One staff login must not be able to take the shared server down with a roster file: a tiny
//! .xlsx that claims cells at A1 and XFD1048576, and a deflate bomb of dense cells, are refused
//! with a clear message while the server keeps answering, and the process's peak memory barely
//! moves. Its own test binary, so the peak memory read here is this test's alone.
mod support;

use std::io::{Cursor, Read, Write};

use domain::testing::{fresh, Engine};
use support::*;

/// The process's peak resident memory (VmHWM), in MiB.
fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kib| kib / 1024)
}

/// A valid roster header row, and one cell in the sheet's last row and column.
fn corner_cells() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, head) in ["姓名", "性别", "党员分类"].into_iter().enumerate() {
        sheet.write_string(0, col as u16, head).expect("cell");
    }
    sheet.write_string(1_048_575, 16_383, "x").expect("cell");
    book.save_to_buffer().expect("xlsx")
}

/// A real workbook whose sheet is replaced by `rows` rows of 16 dense cells each.
fn deflate_bomb(rows: usize) -> Vec<u8> {
    let template = corner_cells();
    let mut source = zip::ZipArchive::new(Cursor::new(template)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for i in 0..source.len() {
        let mut entry = source.by_index(i).expect("entry");
        let name = entry.name().expect("entry name").into_owned();
        out.start_file(name.as_str(), deflated).expect("start");
        if name == "xl/worksheets/sheet1.xml" {
            out.write_all(
                b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
                  <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
                  <sheetData>",
            )
            .expect("head");
            let row: String = format!(
                "<row>{}</row>",
                "<c t=\"inlineStr\"><is><t>王秀兰</t></is></c>".repeat(16)
            );
            for _ in 0..rows {
                out.write_all(row.as_bytes()).expect("row");
            }
            out.write_all(b"</sheetData></worksheet>").expect("tail");
        } else {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("read");
            out.write_all(&bytes).expect("copy");
        }
    }
    out.finish().expect("finish").into_inner()
}

async fn refused_with(
    router: &Router,
    cookie: &str,
    community: uuid::Uuid,
    file: Vec<u8>,
) -> String {
    let path = format!("/org/{community}/roster/import");
    let upload = {
        let router = router.clone();
        let cookie = cookie.to_owned();
        tokio::spawn(async move { send(&router, upload(&path, &file, &cookie)).await })
    };
    // The server keeps answering everyone else while the file is read.
    let mut answered = 0;
    while !upload.is_finished() {
        let health = send(router, get("/healthz", None)).await;
        assert_eq!(health.status, StatusCode::OK);
        answered += 1;
        tokio::task::yield_now().await;
    }
    assert!(answered > 0, "the health check ran beside the upload");
    let reply = upload.await.expect("upload");
    assert_eq!(
        reply.location,
        Some(format!("/org/{community}/members/import")),
        "sent back to the form"
    );
    send(
        router,
        get(&format!("/org/{community}/members/import"), Some(cookie)),
    )
    .await
    .body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_workbooks_are_refused_without_exhausting_the_server() {
    let t = fresh(Engine::Sqlite).await.expect("sqlite");
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let cookie = login(&router, "secretary_a", None).await;
    let before = member_ids(&t, &w, "secretary_a", a).await.len();

    let corner = corner_cells();
    assert!(
        corner.len() < 16 * 1024,
        "a small file: {} bytes",
        corner.len()
    );
    // Unpacked, the bomb is over four times the cap; packed, well under the upload limit.
    let bomb = deflate_bomb(500_000);
    assert!(bomb.len() < 10 * 1024 * 1024, "{} bytes", bomb.len());
    let baseline = peak_rss_mib();

    let page = refused_with(&router, &cookie, a, corner).await;
    assert!(page.contains("行数过多（最多 50000 行）"), "{page}");
    let page = refused_with(&router, &cookie, a, bomb).await;
    assert!(page.contains("解压后内容过大"), "{page}");

    let grown = peak_rss_mib().saturating_sub(baseline);
    assert!(grown < 128, "peak memory grew by {grown} MiB");
    assert_eq!(member_ids(&t, &w, "secretary_a", a).await.len(), before);
}
