//! 党费 on both engines: dues assessed by the rules' brackets, payments month by month (a month
//! paid once, only when assessed, nothing half-written), the arrears and the six-month warning,
//! the monthly summary and its workbook, the street's figures without names (reconciled), and who
//! may do any of it: community staff, a 支部书记 for their branch, no one across tenants.
use chrono::{Datelike, Duration, NaiveDate, Utc};
use domain::activities;
use domain::auth::admin::{self, NewAccount};
use domain::auth::Principal;
use domain::both_engines;
use domain::dues::{self, DuesInput, PaymentInput};
use domain::members::{self, MemberInput};
use domain::org::placements::{self, PlacementKind};
use domain::rollup::{self, reconcile, DuesFigures};
use domain::tenancy::{Commit, TenantScope, TenantTx};
use domain::testing::{lesson_at, member_input, today, world};
use domain::testing::{TestDb, World};
use domain::DomainError;
use uuid::Uuid;

/// The first of the month `back` months before this one.
fn months_ago(back: u32) -> NaiveDate {
    let this = today().with_day(1).expect("first");
    this.checked_sub_months(chrono::Months::new(back))
        .expect("month")
}

fn label(month: NaiveDate) -> String {
    dues::month_label(month)
}

fn from(month: NaiveDate, base: &str) -> DuesInput {
    DuesInput {
        from_month: label(month),
        base: base.into(),
        ..Default::default()
    }
}

fn paying(first: NaiveDate, last: NaiveDate, method: &str) -> PaymentInput {
    PaymentInput {
        from_month: label(first),
        to_month: label(last),
        method: method.into(),
        paid_on: today().to_string(),
        proxy: String::new(),
    }
}

fn in_service(name: &str) -> MemberInput {
    MemberInput {
        category: "in_service".into(),
        ..member_input(name)
    }
}

async fn add(tx: &TenantTx, input: MemberInput) -> Uuid {
    members::create(tx, &input, None, today())
        .await
        .expect("member")
}

/// The street's dues figures for a month.
async fn street_dues(t: &TestDb, w: &World, month: NaiveDate) -> DuesFigures {
    let scope = w.rollup_as(&t.db, "street", w.street.id).await;
    rollup::dues(&t.db, &scope, month).await.expect("dues").0
}

async fn clean(t: &TestDb) {
    assert_eq!(reconcile(&t.db, false).await.expect("reconcile"), vec![]);
}

async fn paid_and_owed(t: TestDb) {
    let w = world(&t.db).await;
    let secretary = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = secretary.write(&t.db).await.expect("tx");
    let wang = add(&tx, in_service("王建国")).await;
    let li = add(&tx, member_input("李秀英")).await;
    let reporter = add(
        &tx,
        MemberInput {
            relation: "reporting".into(),
            ..in_service("赵文华")
        },
    )
    .await;
    // 8,000 元 after tax: 1.5 %, 120 元; a 4,000 元 pension: 0.5 %, 20 元.
    let set = dues::assess(&tx, wang, &from(months_ago(5), "8000"), today())
        .await
        .expect("assessed");
    assert_eq!((set.rate_permille, set.monthly_cents), (Some(15), 12_000));
    dues::assess(&tx, li, &from(months_ago(5), "4000"), today())
        .await
        .expect("assessed");
    assert_eq!(
        dues::assess(&tx, reporter, &from(months_ago(5), "8000"), today()).await,
        Err(DomainError::invalid("relation", "dues_elsewhere"))
    );
    // A chosen rate, and a fixed amount paid willingly, replace the month's assessment.
    let chosen = DuesInput {
        rate: "20".into(),
        ..from(months_ago(5), "8000")
    };
    let set = dues::assess(&tx, wang, &chosen, today())
        .await
        .expect("set");
    assert_eq!(set.monthly_cents, 16_000);
    let set = dues::assess(&tx, wang, &from(months_ago(5), "8000"), today())
        .await
        .expect("set");
    assert_eq!(set.monthly_cents, 12_000);
    for (input, field, reason) in [
        (from(months_ago(5), ""), "dues_base", "required"),
        (from(months_ago(5), "-5"), "dues_base", "bad_value"),
        (
            DuesInput {
                rate: "7".into(),
                ..from(months_ago(5), "8000")
            },
            "dues_rate",
            "not_in_list",
        ),
        (from(months_ago(30 * 12), "8000"), "dues_from", "bad_month"),
    ] {
        assert_eq!(
            dues::assess(&tx, wang, &input, today()).await,
            Err(DomainError::invalid(field, reason))
        );
    }

    assert_eq!(
        dues::record_payment(
            &tx,
            wang,
            &paying(months_ago(5), months_ago(3), "cash"),
            today()
        )
        .await,
        Ok(3)
    );
    // A month already paid, a month before the first assessment, too much at once: refused
    // whole, nothing written.
    for (input, field, reason) in [
        (
            paying(months_ago(3), months_ago(2), "cash"),
            "dues_from",
            "already_paid",
        ),
        (
            paying(months_ago(7), months_ago(6), "cash"),
            "dues_from",
            "not_assessed",
        ),
        (
            paying(months_ago(2), months_ago(2), "cheque"),
            "dues_method",
            "not_in_list",
        ),
        (
            paying(
                months_ago(2),
                months_ago(0) + chrono::Months::new(14),
                "cash",
            ),
            "dues_to",
            "too_far_ahead",
        ),
        (
            paying(months_ago(1), months_ago(2), "cash"),
            "dues_to",
            "before_start",
        ),
        (
            PaymentInput {
                paid_on: (today() + Duration::days(1)).to_string(),
                ..paying(months_ago(2), months_ago(2), "cash")
            },
            "dues_paid_on",
            "in_future",
        ),
    ] {
        assert_eq!(
            dues::record_payment(&tx, wang, &input, today()).await,
            Err(DomainError::invalid(field, reason))
        );
    }
    assert_eq!(
        dues::member_dues(&tx, wang, today())
            .await
            .expect("dues")
            .payments
            .len(),
        3
    );
    // 代缴: a son pays his mother's this month, by transfer.
    let by_son = PaymentInput {
        proxy: "李秀英之子".into(),
        ..paying(months_ago(0), months_ago(0), "transfer")
    };
    assert_eq!(dues::record_payment(&tx, li, &by_son, today()).await, Ok(1));
    assert_eq!(
        dues::record_payment(
            &tx,
            reporter,
            &paying(months_ago(0), months_ago(0), "cash"),
            today()
        )
        .await,
        Err(DomainError::invalid("relation", "dues_elsewhere"))
    );
    tx.commit().await.expect("commit");

    let tx = secretary.read(&t.db).await.expect("tx");
    let list = dues::dues_roster(&tx, today()).await.expect("list");
    let row = |id| list.iter().find(|r| r.member_id == id).expect("listed");
    assert!(list.iter().all(|r| r.member_id != reporter), "pays at work");
    let wang_row = row(wang);
    assert_eq!(wang_row.owed_months, vec![months_ago(2), months_ago(1)]);
    assert_eq!(
        (
            wang_row.owed_cents,
            wang_row.monthly_cents,
            wang_row.paid_this_month
        ),
        (24_000, Some(12_000), false)
    );
    assert_eq!(wang_row.last_paid, Some(months_ago(3)));
    let kept = dues::member_dues(&tx, wang, today()).await.expect("dues");
    assert_eq!(kept.first_unpaid, Some(months_ago(2)));
    let li_row = row(li);
    assert_eq!((li_row.owed_months.len(), li_row.owed_cents), (5, 10_000));
    assert!(li_row.paid_this_month && !li_row.warned && !wang_row.warned);

    let month = dues::month_dues(&tx, today()).await.expect("summary");
    assert_eq!(
        (
            month.total.members_due,
            month.total.due_cents,
            month.total.payers,
            month.total.paid_cents,
            month.total.by_proxy
        ),
        (2, 14_000, 1, 2_000, 1)
    );
    assert_eq!(month.lines.len(), 2);
    // The workbook reads back: the summary's total row, and each member's line.
    let book = dues::month_xlsx(&month).expect("xlsx");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(book)).expect("open");
    use calamine::Reader;
    assert_eq!(book.sheet_names(), vec!["汇总", "明细"]);
    let rows = book.worksheet_range("汇总").expect("sheet");
    let total: Vec<String> = rows
        .rows()
        .next_back()
        .expect("total")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(&total[..5], ["合计", "2", "140", "1", "20"]);
    let lines = book.worksheet_range("明细").expect("sheet");
    assert_eq!(lines.rows().count(), 3, "headers and two members");
    drop(tx);

    // The street sees counts and money, no names.
    let now = street_dues(&t, &w, months_ago(0)).await;
    assert_eq!((now.members, now.payers, now.paid_cents), (2, 1, 2_000));
    assert_eq!(now.paid_share(), Some(50.0));
    assert_eq!(street_dues(&t, &w, months_ago(5)).await.paid_cents, 12_000);
    clean(&t).await;

    // A payment recorded by mistake is taken back; 王建国's relation moves to his employer.
    let tx = secretary.write(&t.db).await.expect("tx");
    dues::undo_payment(&tx, wang, &label(months_ago(5)), today())
        .await
        .expect("undone");
    assert_eq!(
        dues::undo_payment(&tx, wang, &label(months_ago(5)), today()).await,
        Err(DomainError::NotFound)
    );
    // Assessed from next month on: due then, not now.
    let later = add(&tx, in_service("钱程")).await;
    let next_month = months_ago(0) + chrono::Months::new(1);
    dues::assess(&tx, later, &from(next_month, "5000"), today())
        .await
        .expect("assessed");
    let mut moved = in_service("王建国");
    moved.relation = "reporting".into();
    members::update(&tx, wang, &moved, today())
        .await
        .expect("moved");
    tx.commit().await.expect("commit");
    assert_eq!(street_dues(&t, &w, months_ago(5)).await.payers, 0);
    assert_eq!(street_dues(&t, &w, months_ago(0)).await.members, 1);
    assert_eq!(street_dues(&t, &w, next_month).await.members, 2);
    clean(&t).await;
}
both_engines!(dues_are_paid_and_owed, paid_and_owed);

/// A 党课 `member` attended `days_ago`.
async fn attended(tx: &TenantTx, member: Uuid, days_ago: i64) {
    let now = Utc::now();
    let starts = now - Duration::days(days_ago);
    let lesson = lesson_at(starts);
    let id = activities::save_activity(tx, None, &lesson, starts - Duration::days(5))
        .await
        .expect("saved");
    activities::sign_up_for(tx, id, member, starts - Duration::days(1))
        .await
        .expect("signed up");
    for s in activities::signups(tx, id).await.expect("signups") {
        activities::mark_attendance(tx, s.id, "attended", now)
            .await
            .expect("marked");
    }
}

async fn warned_after_six_months(t: TestDb) {
    let w = world(&t.db).await;
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    let silent = add(&tx, in_service("孙立")).await;
    let comes = add(&tx, in_service("周明")).await;
    let pays = add(&tx, in_service("吴刚")).await;
    let late = add(&tx, in_service("郑华")).await;
    for m in [silent, comes, pays, late] {
        dues::assess(&tx, m, &from(months_ago(7), "3000"), today())
            .await
            .expect("assessed");
    }
    dues::record_payment(
        &tx,
        pays,
        &paying(months_ago(1), months_ago(1), "cash"),
        today(),
    )
    .await
    .expect("paid");
    // 40 days ago is within the six months before this one; today is not.
    attended(&tx, comes, 40).await;
    attended(&tx, late, 0).await;
    tx.commit().await.expect("commit");
    let tx = w.read_as(&t.db, "secretary_a", w.community_a.id).await;
    let list = dues::dues_roster(&tx, today()).await.expect("list");
    let row = |id| list.iter().find(|r| r.member_id == id).expect("listed");
    assert_eq!(row(silent).owed_months.len(), 7);
    assert!(row(silent).warned, "seven months unpaid, nothing attended");
    assert!(!row(comes).warned, "unpaid, but comes to 党课");
    assert!(!row(pays).warned, "paid last month");
    assert!(row(late).warned, "came only this month");
    assert_eq!(row(pays).owed_months.len(), 6);
}
both_engines!(
    six_months_unpaid_and_absent_is_warned,
    warned_after_six_months
);

async fn kept_by_whom(t: TestDb) {
    let db = &t.db;
    let w = world(db).await;
    let tx = w.write_as(db, "secretary_a", w.community_a.id).await;
    let first =
        placements::create_placement(&tx, PlacementKind::GridBranch, "第一网格党支部", None)
            .await
            .expect("branch");
    let second =
        placements::create_placement(&tx, PlacementKind::GridBranch, "第二网格党支部", None)
            .await
            .expect("branch");
    let ours = add(
        &tx,
        MemberInput {
            unit_id: Some(first),
            ..in_service("张一")
        },
    )
    .await;
    let theirs = add(
        &tx,
        MemberInput {
            unit_id: Some(second),
            ..in_service("王三")
        },
    )
    .await;
    dues::assess(&tx, theirs, &from(months_ago(2), "3000"), today())
        .await
        .expect("assessed");
    tx.commit().await.expect("commit");

    // The first branch's 支部书记 keeps the dues of the first branch only.
    let secretary = w.principal(db, "secretary_a").await;
    let input = NewAccount {
        login_name: "branch_a".into(),
        display_name: "刘支书".into(),
        role: "branch_secretary".into(),
        branch: first.to_string(),
        place: w.community_a.id.to_string(),
        ..Default::default()
    };
    let (user, _) = admin::open_account(db, &secretary, &input)
        .await
        .expect("opened");
    let branch: TenantScope = Principal::load(db, user)
        .await
        .expect("load")
        .expect("active")
        .manage_scope(db, w.community_a.id)
        .await
        .expect("scope");
    let tx = branch.write(db).await.expect("tx");
    dues::assess(&tx, ours, &from(months_ago(2), "3000"), today())
        .await
        .expect("own branch");
    dues::record_payment(
        &tx,
        ours,
        &paying(months_ago(2), months_ago(0), "cash"),
        today(),
    )
    .await
    .expect("own branch");
    assert_eq!(
        dues::assess(&tx, theirs, &from(months_ago(2), "9000"), today()).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        dues::record_payment(
            &tx,
            theirs,
            &paying(months_ago(2), months_ago(2), "cash"),
            today()
        )
        .await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        dues::member_dues(&tx, theirs, today()).await.err(),
        Some(DomainError::NotFound)
    );
    let names: Vec<String> = dues::dues_roster(&tx, today())
        .await
        .expect("list")
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(names, vec!["张一".to_owned()]);
    let month = dues::month_dues(&tx, today()).await.expect("summary");
    assert_eq!(month.lines.len(), 1);
    assert_eq!(month.branches[0].name, "第一网格党支部");
    tx.commit().await.expect("commit");

    // Across tenants and below staff: refused or not found, and nothing written.
    let mut outsiders = Vec::new();
    for (login, node) in [
        ("worker_b", w.community_b.id),
        ("secretary_c", w.community_c.id),
    ] {
        outsiders.push(w.scope_as(db, login, node).await);
    }
    for scope in &outsiders {
        let tx = scope.write(db).await.expect("tx");
        for id in [ours, theirs] {
            assert_eq!(
                dues::assess(&tx, id, &from(months_ago(0), "1"), today()).await,
                Err(DomainError::NotFound)
            );
            assert_eq!(
                dues::record_payment(
                    &tx,
                    id,
                    &paying(months_ago(1), months_ago(1), "cash"),
                    today()
                )
                .await,
                Err(DomainError::NotFound)
            );
            assert_eq!(
                dues::undo_payment(&tx, id, &label(months_ago(0)), today()).await,
                Err(DomainError::NotFound)
            );
            assert_eq!(
                dues::member_dues(&tx, id, today()).await.err(),
                Some(DomainError::NotFound)
            );
        }
        assert!(dues::dues_roster(&tx, today())
            .await
            .expect("own")
            .is_empty());
        assert_eq!(
            dues::month_dues(&tx, today()).await.expect("own").total,
            Default::default()
        );
        tx.commit().await.expect("commit");
    }
    let member = domain::testing::member_a_scope(db, &w).await;
    let tx = member.write(db).await.expect("tx");
    assert_eq!(
        dues::assess(&tx, ours, &from(months_ago(0), "1"), today()).await,
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        dues::record_payment(
            &tx,
            ours,
            &paying(months_ago(1), months_ago(1), "cash"),
            today()
        )
        .await,
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        dues::dues_roster(&tx, today()).await.err(),
        Some(DomainError::Forbidden)
    );
    drop(tx);
    let tx = w.read_as(db, "secretary_a", w.community_a.id).await;
    let kept = |id| {
        let tx = &tx;
        async move { dues::member_dues(tx, id, today()).await.expect("dues") }
    };
    assert_eq!(kept(ours).await.payments.len(), 3);
    assert_eq!(kept(theirs).await.payments.len(), 0);
    assert_eq!(kept(theirs).await.assessments[0].monthly_cents, 1_500);
    drop(tx);
    clean(&t).await;
}
both_engines!(dues_are_kept_by_the_branch_and_no_one_across, kept_by_whom);
