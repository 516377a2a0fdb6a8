//! Importing division codes: idempotent, all-or-nothing on a broken line.
use domain::both_engines;
use domain::divisions::{self as import, read_rows};
use domain::testing::{TestDb, DIVISIONS};
use domain::DomainError;

async fn import_twice_changes_nothing(t: TestDb) {
    let db = &t.db;
    let rows = read_rows(DIVISIONS.as_bytes(), None).expect("rows");
    let mut calls = 0;
    let first = import::import(db, &rows, &mut |_, _| calls += 1)
        .await
        .expect("first");
    // country, province, city, 2 districts, 3 streets, 4 communities
    assert_eq!(first.created, 12);
    assert!(calls >= 1);
    let second = import::import(db, &rows, &mut |_, _| {})
        .await
        .expect("second");
    assert_eq!(second.created, 0);
    assert_eq!(second.unchanged, 12);

    let community = import::find_by_code(db, "220103002001")
        .await
        .expect("q")
        .expect("node");
    let street = import::find_by_code(db, "220103002")
        .await
        .expect("q")
        .expect("node");
    assert_eq!(community.parent_id, Some(street.id));
    assert!(community.path.starts_with(&street.path));
    assert!(community.path.ends_with(&format!("{}/", community.id)));
}
both_engines!(import_is_idempotent, import_twice_changes_nothing);

async fn broken_line_imports_nothing(t: TestDb) {
    let db = &t.db;
    let broken =
        format!("{DIVISIONS}吉林省,长春市,220103,宽城区,220103002,站前街道,2201030020,坏社区\n");
    let err = read_rows(broken.as_bytes(), None).expect_err("broken line");
    assert_eq!(err, DomainError::invalid("line 6", "bad_community_code"));
    assert!(db.is_empty().await.expect("empty check"));
}
both_engines!(a_broken_line_stops_the_run, broken_line_imports_nothing);

async fn import_into_a_live_tree_moves_only_its_lineage(t: TestDb) {
    let db = &t.db;
    let district = read_rows(DIVISIONS.as_bytes(), Some("220103")).expect("rows");
    let first = import::import(db, &district, &mut |_, _| {})
        .await
        .expect("first");
    let all = read_rows(DIVISIONS.as_bytes(), None).expect("rows");
    let second = import::import(db, &all, &mut |_, _| {})
        .await
        .expect("second");
    assert!(first.created > 0 && second.created > 0 && second.unchanged > 0);
    // Every subtree total (country, province, city, districts, streets) equals its counters.
    assert_eq!(
        domain::rollup::reconcile(db, false)
            .await
            .expect("reconcile"),
        Vec::new()
    );
}
both_engines!(
    a_second_import_adds_to_the_totals,
    import_into_a_live_tree_moves_only_its_lineage
);
