//! A notice's attachments over HTTP on both engines. The secretary sends a notice with a PDF
//! and a spreadsheet through the form; the member fetches them through their message, the
//! secretary through the notice. Every other role, at A and at their own node with A's ids,
//! gets no file and writes no notice; a member's message cannot fetch another notice's file.
//! Hostile uploads (a page named `.pdf`, a file past the cap, too many files, a body past the
//! limit) are refused with the reason, and no notice is written.
mod support;

use domain::auth::admin::{self, NewAccount};
use domain::both_engines;
use domain::files::FILE_MAX_BYTES;
use domain::notices;
use domain::tenancy::Commit;
use domain::testing::member_a_record;
use support::*;
use tower::ServiceExt;
use uuid::Uuid;

/// A file part: field, file name, content.
type Part<'a> = (&'a str, &'a str, &'a [u8]);

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
const TITLE: &str = "关于组织党员学习的通知";

/// A file as served: status, content type, disposition, bytes.
async fn fetch(router: &Router, path: &str, cookie: &str) -> (StatusCode, String, String, Vec<u8>) {
    let response = router
        .clone()
        .oneshot(get(path, Some(cookie)))
        .await
        .expect("response");
    let header_text = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (kind, disposition) = (
        header_text(header::CONTENT_TYPE),
        header_text(header::CONTENT_DISPOSITION),
    );
    let status = response.status();
    let bytes = to_bytes(response.into_body(), 16 << 20)
        .await
        .unwrap_or_default();
    (status, kind, disposition, bytes.to_vec())
}

fn publish(a: Uuid, title: &str, audience: &str, files: &[Part], cookie: &str) -> Request<Body> {
    multipart(
        &format!("/org/{a}/notices/publish"),
        &[
            ("title", title),
            ("body", "请于本周五前阅读附件。"),
            ("audience", audience),
            ("confirm_by", ""),
        ],
        files,
        cookie,
    )
}

/// How many notices A has sent.
async fn sent_count(t: &TestDb, w: &World) -> usize {
    let secretary = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    notices::sent(&t.db, &secretary, "", 1)
        .await
        .expect("sent")
        .0
        .len()
}

/// The notice id a publish's redirect names.
fn notice_of(reply: &Reply, a: Uuid) -> Uuid {
    let to = reply.location.clone().expect("to the notice");
    assert!(to.contains("done=published"), "{to}");
    to.trim_start_matches(&format!("/org/{a}/notices/"))
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("the notice's page")
}

async fn attachments_reach_only_their_audience(t: TestDb) {
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let tx = w.write_as(&t.db, "secretary_a", a).await;
    member_a_record(&tx, &w).await;
    tx.commit().await.expect("commit");
    let secretary = login(&router, "secretary_a", None).await;
    let sheet = domain::members::template_xlsx().expect("a workbook");
    let reply = send(
        &router,
        publish(
            a,
            TITLE,
            "members",
            &[
                ("files", "学习材料 <img src=x onerror=alert(1)>.pdf", PDF),
                ("files", "C:\\fakepath\\名单.xlsx", &sheet),
                // A file input left empty.
                ("files", "", b""),
            ],
            &secretary,
        ),
    )
    .await;
    let notice = notice_of(&reply, a);
    let scope = w.scope_as(&t.db, "secretary_a", a).await;
    let files = notices::receipts(&t.db, &scope, notice)
        .await
        .expect("receipts")
        .files;
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["学习材料 <img src=x onerror=alert(1)>.pdf", "名单.xlsx"]
    );
    let (pdf, xlsx) = (files[0].id, files[1].id);

    // The sender's page lists them as text; the files come back as sent.
    let page = visit(&router, &format!("/org/{a}/notices/{notice}"), &secretary).await;
    assert!(
        page.body.contains("学习材料 &lt;img src=x"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<img src=x"));
    let sent_pdf = format!("/org/{a}/notices/{notice}/files/{pdf}");
    assert!(page.body.contains(&sent_pdf));
    let (status, kind, disposition, bytes) = fetch(&router, &sent_pdf, &secretary).await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "application/pdf"));
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(bytes, PDF);
    let sent_xlsx = format!("/org/{a}/notices/{notice}/files/{xlsx}");
    let (status, _, _, bytes) = fetch(&router, &sent_xlsx, &secretary).await;
    assert_eq!((status, bytes), (StatusCode::OK, sheet.clone()));

    // The member, through their message.
    let member = login(&router, "member_a", None).await;
    let member_scope = w.scope_as(&t.db, "member_a", a).await;
    let inbox = notices::inbox(&t.db, &member_scope, 1)
        .await
        .expect("inbox");
    let message = inbox.items[0].message_id;
    let page = visit(&router, &format!("/org/{a}/messages/{message}"), &member).await;
    let received_pdf = format!("/org/{a}/messages/{message}/files/{pdf}");
    assert!(page.body.contains(&received_pdf), "{}", page.body);
    let (status, _, _, bytes) = fetch(&router, &received_pdf, &member).await;
    assert_eq!((status, bytes.as_slice()), (StatusCode::OK, PDF));
    // Not through the sender's address, and the secretary not through the member's.
    assert_eq!(
        fetch(&router, &sent_pdf, &member).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        fetch(&router, &received_pdf, &secretary).await.0,
        StatusCode::NOT_FOUND
    );

    // A staff-only notice's file is not reached through the member's message.
    let opener = w.principal(&t.db, "secretary_a").await;
    let worker = NewAccount {
        login_name: "xiaowang".into(),
        display_name: "王小明".into(),
        role: "community_worker".into(),
        place: a.to_string(),
        ..Default::default()
    };
    admin::open_account(&t.db, &opener, &worker)
        .await
        .expect("a worker to tell");
    let staff_only = send(
        &router,
        publish(
            a,
            "工作人员内部通知",
            "staff",
            &[("files", "内部.pdf", b"%PDF-1.5 internal")],
            &secretary,
        ),
    )
    .await;
    let inner = notice_of(&staff_only, a);
    let inner_file = notices::receipts(&t.db, &scope, inner)
        .await
        .expect("receipts")
        .files[0]
        .id;
    let crossed = format!("/org/{a}/messages/{message}/files/{inner_file}");
    assert_eq!(
        fetch(&router, &crossed, &member).await.0,
        StatusCode::NOT_FOUND
    );

    // Every other role: at A, and at their own node with A's ids. No file, no notice.
    let before = sent_count(&t, &w).await;
    let own_nodes = [
        ("worker_b", w.community_b.id),
        ("secretary_c", w.community_c.id),
        ("street", w.street.id),
        ("district", w.district.id),
    ];
    for login_name in NOT_IN_A {
        let cookie = login(&router, login_name, None).await;
        let own = own_nodes
            .iter()
            .find(|(l, _)| *l == login_name)
            .map(|(_, n)| *n);
        let mut paths = vec![sent_pdf.clone(), received_pdf.clone()];
        if let Some(own) = own {
            paths.push(format!("/org/{own}/notices/{notice}/files/{pdf}"));
            paths.push(format!("/org/{own}/messages/{message}/files/{pdf}"));
        }
        for path in paths {
            let (status, _, _, bytes) = fetch(&router, &path, &cookie).await;
            assert!(
                [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&status),
                "{login_name} {path}: {status}"
            );
            assert!(!bytes.starts_with(b"%PDF"), "{login_name} {path}");
        }
        let reply = send(
            &router,
            publish(
                a,
                "冒名通知",
                "members",
                &[("files", "x.pdf", b"%PDF-1.4 not kept")],
                &cookie,
            ),
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{login_name} publishes at A"
        );
    }
    let reply = send(&router, publish(a, "冒名通知", "members", &[], &member)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "member_a publishes");
    // Refused before the body is read: an upload that never ends is answered at once.
    let endless = Request::post(format!("/org/{a}/notices/publish"))
        .header(header::HOST, HOST)
        .header(header::ORIGIN, format!("http://{HOST}"))
        .header(header::COOKIE, &member)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
        .body(Body::from_stream(futures::stream::pending::<
            Result<axum::body::Bytes, std::io::Error>,
        >()))
        .expect("request");
    let answered =
        tokio::time::timeout(std::time::Duration::from_secs(10), send(&router, endless)).await;
    assert_eq!(answered.map(|r| r.status).ok(), Some(StatusCode::FORBIDDEN));
    assert_eq!(sent_count(&t, &w).await, before, "nothing written");
    // Refused before the body was read: the file was not kept either.
    let sha: String = {
        use sha2::Digest;
        sha2::Sha256::digest(b"%PDF-1.4 not kept")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let path = t.db.files().path(a, &sha).expect("a path");
    assert!(!path.exists(), "{}", path.display());

    // Withdrawn, the member's message and its files are gone.
    let tx_scope = w.scope_as(&t.db, "secretary_a", a).await;
    notices::withdraw(&t.db, &tx_scope, notice, chrono::Utc::now())
        .await
        .expect("withdrawn");
    assert_eq!(
        fetch(&router, &received_pdf, &member).await.0,
        StatusCode::NOT_FOUND
    );
}
both_engines!(
    attachments_reach_only_their_audience,
    attachments_reach_only_their_audience
);

async fn hostile_uploads_are_refused_whole(t: TestDb) {
    let (router, w) = setup(&t).await;
    let a = w.community_a.id;
    let tx = w.write_as(&t.db, "secretary_a", a).await;
    member_a_record(&tx, &w).await;
    tx.commit().await.expect("commit");
    let secretary = login(&router, "secretary_a", None).await;
    let page = format!("/org/{a}/notices");
    let too_big = {
        let mut bytes = b"%PDF-1.4\n".to_vec();
        bytes.resize(FILE_MAX_BYTES + 1, b' ');
        bytes
    };
    let six: Vec<Part> = (0..6).map(|_| ("files", "a.pdf", PDF)).collect();
    let cases: Vec<(Vec<Part>, &str)> = vec![
        (
            vec![(
                "files",
                "通知.pdf",
                b"<html><script>alert(1)</script></html>",
            )],
            "附件只能是 PDF",
        ),
        (
            vec![("files", "setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00")],
            "附件只能是 PDF",
        ),
        (vec![("files", "大文件.pdf", &too_big)], "附件过大"),
        (six, "附件过多"),
    ];
    for (files, said) in cases {
        let reply = send(&router, publish(a, TITLE, "members", &files, &secretary)).await;
        assert_eq!(
            reply.location.as_deref(),
            Some(format!("{page}#new").as_str()),
            "{said}"
        );
        let shown = visit(&router, &page, &secretary).await;
        assert!(shown.body.contains(said), "{said}: {}", shown.body);
        // What was typed is back in the form.
        assert!(shown.body.contains(TITLE), "{said}");
    }
    assert_eq!(sent_count(&t, &w).await, 0, "no notice written");
    // A body past the whole limit is not read.
    let huge = vec![b'%'; app::notices::upload::NOTICE_UPLOAD_LIMIT + 1];
    let reply = send(
        &router,
        publish(
            a,
            TITLE,
            "members",
            &[("files", "x.pdf", &huge)],
            &secretary,
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(sent_count(&t, &w).await, 0, "no notice written");
}
both_engines!(
    hostile_uploads_are_refused_whole,
    hostile_uploads_are_refused_whole
);
