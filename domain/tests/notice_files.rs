//! A notice's attachments on both engines: a street's notice to every member below carries its
//! files to a member of one of its communities, read through the member's message in the
//! street's tenant; the street's staff read them through the notice; nobody else reaches them
//! with the same ids from their own node; more files than a notice takes writes nothing.
use chrono::Utc;
use domain::both_engines;
use domain::files::StoredFile;
use domain::notices::{self, NoticeAudience, NoticeInput, FILES_MAX};
use domain::testing::{member_with_login, world, TestDb};
use domain::DomainError;

const PDF: &[u8] = "%PDF-1.4\n% 冬季送温暖活动方案\n".as_bytes();
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H',
];

fn notice(files: Vec<StoredFile>) -> NoticeInput {
    NoticeInput {
        title: "关于开展冬季送温暖活动的通知".into(),
        body: "活动方案及海报见附件。".into(),
        audience: NoticeAudience::AllMembers.as_str().into(),
        files,
        ..Default::default()
    }
}

async fn files_travel_with_a_street_notice(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    let (li, _) = member_with_login(db, &w, "worker_b", w.community_b.id, "李建华", "li_b").await;
    let (zhao, _) =
        member_with_login(db, &w, "secretary_c", w.community_c.id, "赵志刚", "zhao_c").await;
    let street = w.scope_as(db, "street", w.street.id).await;
    let now = Utc::now();
    let plan = db
        .files()
        .keep(w.street.id, "活动方案.pdf", PDF.to_vec())
        .await
        .expect("kept");
    let poster = db
        .files()
        .keep(w.street.id, "海报", PNG.to_vec())
        .await
        .expect("kept");
    assert_eq!(poster.name, "海报.png", "named after its kind");

    // One file too many: refused, nothing sent.
    let too_many = vec![plan.clone(); FILES_MAX + 1];
    assert_eq!(
        notices::publish(db, &street, &notice(too_many), now).await,
        Err(DomainError::invalid("attachment", "too_many_files"))
    );
    assert_eq!(notices::unread(db, &li).await, Ok(0));

    let sent = notices::publish(db, &street, &notice(vec![plan, poster]), now)
        .await
        .expect("published");
    let message = notices::inbox(db, &li, 1).await.expect("inbox").items[0].message_id;
    let opened = notices::open(db, &li, message, now).await.expect("opened");
    let names: Vec<&str> = opened.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["活动方案.pdf", "海报.png"]);
    let file = opened.files[0].id;
    let got = notices::received_file(db, &li, message, file)
        .await
        .expect("theirs");
    assert_eq!(got.size, PDF.len() as u64);
    assert_eq!(got.tenant, w.street.id, "kept with the street's notice");
    let on_disk = db.files().path(got.tenant, &got.sha256).map(std::fs::read);
    assert!(matches!(on_disk, Some(Ok(ref bytes)) if bytes == PDF));
    let by_street = notices::sent_file(db, &street, sent, file)
        .await
        .expect("the sender's");
    assert_eq!(by_street, got);
    let receipts = notices::receipts(db, &street, sent)
        .await
        .expect("receipts");
    assert_eq!(receipts.files, opened.files);

    // The same ids from anywhere else: another street's member, B's and A's staff, the
    // district (whose notice it is not), another street.
    assert_eq!(
        notices::received_file(db, &zhao, message, file).await,
        Err(DomainError::NotFound)
    );
    for (login, node) in [
        ("worker_b", w.community_b.id),
        ("secretary_a", w.community_a.id),
        ("district", w.district.id),
        ("other_street", w.other_street.id),
    ] {
        let scope = w.scope_as(db, login, node).await;
        assert_eq!(
            notices::received_file(db, &scope, message, file).await,
            Err(DomainError::NotFound),
            "{login}"
        );
        let theirs = notices::sent_file(db, &scope, sent, file).await;
        assert!(
            matches!(theirs, Err(DomainError::NotFound | DomainError::Forbidden)),
            "{login}: {theirs:?}"
        );
    }
    // A member may not fetch as a sender.
    assert_eq!(
        notices::sent_file(db, &li, sent, file).await,
        Err(DomainError::Forbidden)
    );
}
both_engines!(
    files_travel_with_a_street_notice,
    files_travel_with_a_street_notice
);

/// A file kept for a send that then failed is removed by the sweep an hour later; the same
/// content listed by a notice (kept by its sender's tenant) stays.
async fn files_no_notice_lists_are_swept(t: TestDb) {
    let (db, w) = (&t.db, world(&t.db).await);
    let secretary = w.scope_as(db, "secretary_a", w.community_a.id).await;
    member_with_login(db, &w, "secretary_a", w.community_a.id, "陈晓明", "chen_a").await;
    let keep = |tenant, bytes: &'static [u8]| async move {
        db.files()
            .keep(tenant, "方案.pdf", bytes.to_vec())
            .await
            .expect("kept")
    };
    let listed = keep(w.community_a.id, PDF).await;
    let mut input = notice(vec![listed.clone()]);
    input.audience = NoticeAudience::Members.as_str().into();
    notices::publish(db, &secretary, &input, Utc::now())
        .await
        .expect("published");
    // The same content at B and other content at A, kept for sends that never happened.
    let left_at_b = keep(w.community_b.id, PDF).await;
    let left_at_a = keep(w.community_a.id, "%PDF-1.4\n未发送".as_bytes()).await;
    let on_disk = |tenant, file: &StoredFile| {
        db.files()
            .path(tenant, &file.sha256)
            .is_some_and(|p| p.exists())
    };

    let now = std::time::SystemTime::now();
    assert_eq!(
        domain::file_sweep::sweep_files(db, now).await,
        Ok(0),
        "too recent"
    );
    let later = now + std::time::Duration::from_secs(2 * 3600);
    assert_eq!(domain::file_sweep::sweep_files(db, later).await, Ok(2));
    assert!(on_disk(w.community_a.id, &listed), "listed by A's notice");
    assert!(!on_disk(w.community_b.id, &left_at_b));
    assert!(!on_disk(w.community_a.id, &left_at_a));
    assert_eq!(
        domain::file_sweep::sweep_files(db, later).await,
        Ok(0),
        "once"
    );
}
both_engines!(
    files_no_notice_lists_are_swept,
    files_no_notice_lists_are_swept
);
