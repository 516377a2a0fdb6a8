//! 组织生活会 and 民主评议党员 on both engines: a branch holds its 组织生活会 (its own meeting),
//! grades each member whose Party relation is here once a year, and records its decision; until
//! then the grades are a draft that counts for nothing upward, after it they stand (reopened only
//! to correct them) and the street sees counts per grade — never names; reconciled. A 支部书记
//! keeps their branch's review only; nobody reaches another community's.
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use domain::activities::{self, ActivityInput};
use domain::auth::admin::{self, NewAccount};
use domain::auth::Principal;
use domain::both_engines;
use domain::members::{self, MemberInput};
use domain::org::placements::{create_placement, PlacementKind};
use domain::reviews::{self, ReviewGrade, ReviewInput};
use domain::rollup::{self, reconcile};
use domain::tenancy::{Commit, TenantScope, TenantTx};
use domain::testing::{local_field, member_input, today, world, TestDb, World};
use domain::DomainError;
use uuid::Uuid;

/// The review season: January 2027, reviewing 2026.
const YEAR: i32 = 2026;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 20).expect("date")
}

fn at(month: u32, d: u32) -> DateTime<Utc> {
    domain::clock::CHINA
        .with_ymd_and_hms(2027, month, d, 9, 0, 0)
        .single()
        .expect("local time")
        .with_timezone(&Utc)
}

fn org_life_meeting(branch: &str) -> ActivityInput {
    let starts = at(1, 15);
    ActivityInput {
        kind: "org_life_meeting".into(),
        title: "2026年度组织生活会".into(),
        venue: "党群服务中心".into(),
        starts_at: local_field(starts),
        ends_at: local_field(starts + chrono::Duration::hours(3)),
        audience: "branch".into(),
        branch: branch.into(),
        ..Default::default()
    }
}

async fn add(tx: &TenantTx, input: MemberInput) -> Uuid {
    members::create(tx, &input, None, today())
        .await
        .expect("member")
}

struct Community {
    x: Uuid,
    y: Uuid,
    jia: Uuid,
    yi: Uuid,
    bing: Uuid,
    ding: Uuid,
    reporter: Uuid,
}

/// Branch 一网格 (甲, 乙 in its building group, 丙 a 预备党员, and a 报到党员) and 二网格 (丁).
async fn community(t: &TestDb, w: &World) -> Community {
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    let x = create_placement(&tx, PlacementKind::GridBranch, "一网格党支部", None)
        .await
        .expect("branch");
    let y = create_placement(&tx, PlacementKind::GridBranch, "二网格党支部", None)
        .await
        .expect("branch");
    let group = create_placement(&tx, PlacementKind::BuildingGroup, "1号楼党小组", Some(x))
        .await
        .expect("group");
    let placed = |name: &str, unit: Uuid| MemberInput {
        unit_id: Some(unit),
        ..member_input(name)
    };
    let jia = add(&tx, placed("甲", x)).await;
    let yi = add(&tx, placed("乙", group)).await;
    let bing = add(
        &tx,
        MemberInput {
            standing: "probationary".into(),
            ..placed("丙", x)
        },
    )
    .await;
    let ding = add(&tx, placed("丁", y)).await;
    let reporter = add(
        &tx,
        MemberInput {
            category: "在职".into(),
            relation: "报到党员".into(),
            employer: "长春市第一中学".into(),
            employer_party_org: "长春市第一中学党总支".into(),
            ..placed("戊", x)
        },
    )
    .await;
    tx.commit().await.expect("commit");
    Community {
        x,
        y,
        jia,
        yi,
        bing,
        ding,
        reporter,
    }
}

async fn grade(tx: &TenantTx, branch: Uuid, member: Uuid, grade: &str) -> Result<(), DomainError> {
    reviews::grade_members(tx, branch, YEAR, &[(member, grade.to_owned())], day()).await
}

/// The street's figures of the year: (grid branches, decided, grades).
async fn street(t: &TestDb, w: &World) -> (i64, i64, [i64; 4]) {
    let scope = w.rollup_as(&t.db, "street", w.street.id).await;
    let (totals, children) = rollup::reviews(&t.db, &scope, YEAR).await.expect("figures");
    let a = children
        .iter()
        .find(|c| c.node.id == w.community_a.id)
        .expect("community A");
    assert_eq!(a.figures, totals, "only A has branches");
    assert_eq!(
        reconcile(&t.db, false).await.expect("reconcile"),
        vec![],
        "the counters are the rows'"
    );
    (totals.branches, totals.decided, totals.grades)
}

async fn graded_and_decided(t: TestDb) {
    let w = world(&t.db).await;
    let c = community(&t, &w).await;
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    // Only this year's and last year's reviews are kept.
    assert_eq!(
        reviews::reviews(&tx, 2024, day()).await,
        Err(DomainError::invalid("review_year", "out_of_range"))
    );
    let list = reviews::reviews(&tx, YEAR, day()).await.expect("list");
    let members: Vec<(&str, u32)> = list.iter().map(|r| (r.name.as_str(), r.members)).collect();
    assert_eq!(members, [("一网格党支部", 3), ("二网格党支部", 1)]);

    // The 组织生活会 is a branch's own meeting.
    assert_eq!(
        activities::save_activity(
            &tx,
            None,
            &ActivityInput {
                audience: "all".into(),
                ..org_life_meeting("")
            },
            at(1, 20)
        )
        .await,
        Err(DomainError::invalid("branch", "required_for_meeting"))
    );
    let meeting =
        activities::save_activity(&tx, None, &org_life_meeting(&c.x.to_string()), at(1, 20))
            .await
            .expect("组织生活会");

    // All or nothing: one grade refused, none kept; and a save is capped.
    let batch = [
        (c.jia, "excellent".to_owned()),
        (c.ding, "qualified".to_owned()),
    ];
    assert_eq!(
        reviews::grade_members(&tx, c.x, YEAR, &batch, day()).await,
        Err(DomainError::invalid("review_member", "not_in_branch"))
    );
    let twice = [
        (c.jia, "excellent".to_owned()),
        (c.jia, "qualified".to_owned()),
    ];
    assert_eq!(
        reviews::grade_members(&tx, c.x, YEAR, &twice, day()).await,
        Err(DomainError::invalid("review_member", "repeated"))
    );
    let too_many: Vec<(Uuid, String)> = (0..=reviews::GRADES_MAX)
        .map(|_| (Uuid::now_v7(), "qualified".to_owned()))
        .collect();
    assert_eq!(
        reviews::grade_members(&tx, c.x, YEAR, &too_many, day()).await,
        Err(DomainError::invalid("review_member", "too_many"))
    );
    tx.commit().await.expect("commit");
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    let review = reviews::branch_review(&tx, c.x, YEAR, day())
        .await
        .expect("review");
    assert!(
        review.people.iter().all(|p| p.grade.is_none()),
        "nothing half-written"
    );

    // Grades for the branch's members whose relation is here; nobody else's.
    grade(&tx, c.x, c.jia, "excellent").await.expect("graded");
    grade(&tx, c.x, c.yi, "合格").await.expect("graded");
    grade(&tx, c.x, c.bing, "basically_qualified")
        .await
        .expect("graded");
    assert_eq!(
        grade(&tx, c.x, c.ding, "qualified").await,
        Err(DomainError::invalid("review_member", "not_in_branch"))
    );
    assert_eq!(
        grade(&tx, c.x, c.reporter, "qualified").await,
        Err(DomainError::invalid("review_member", "not_in_branch"))
    );
    assert_eq!(
        grade(&tx, c.x, c.jia, "良好").await,
        Err(DomainError::invalid("review_grade", "not_in_list"))
    );
    let review = reviews::branch_review(&tx, c.x, YEAR, day())
        .await
        .expect("review");
    let people: Vec<(&str, Option<ReviewGrade>)> = review
        .people
        .iter()
        .map(|p| (p.name.as_str(), p.grade))
        .collect();
    assert_eq!(
        people,
        [
            ("丙", Some(ReviewGrade::Basic)),
            ("甲", Some(ReviewGrade::Excellent)),
            ("乙", Some(ReviewGrade::Qualified)),
        ]
    );
    assert_eq!(review.meetings.len(), 1);
    assert_eq!(review.decided_on, None);
    tx.commit().await.expect("commit");
    // A draft reaches no one above the community.
    assert_eq!(street(&t, &w).await, (2, 0, [0, 0, 0, 0]));

    // The branch decides: a valid day, its own 组织生活会, with someone graded.
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    let decision = |decided_on: &str, meeting: String| ReviewInput {
        meeting,
        decided_on: decided_on.into(),
        decision: "经支部党员大会讨论，评定甲为优秀党员。".into(),
    };
    for (input, field, reason) in [
        (
            decision("2027-02-01", String::new()),
            "review_decided_on",
            "in_future",
        ),
        (
            decision("2025-12-31", String::new()),
            "review_decided_on",
            "out_of_range",
        ),
        (
            decision("2027-01-18", Uuid::now_v7().to_string()),
            "review_meeting",
            "not_found",
        ),
        (
            decision("2027-01-14", meeting.to_string()),
            "review_meeting",
            "after_decision",
        ),
    ] {
        assert_eq!(
            reviews::decide_review(&tx, c.x, YEAR, &input, day()).await,
            Err(DomainError::invalid(field, reason))
        );
    }
    assert_eq!(
        reviews::decide_review(
            &tx,
            c.y,
            YEAR,
            &decision("2027-01-18", String::new()),
            day()
        )
        .await,
        Err(DomainError::invalid("review", "nobody_graded"))
    );
    reviews::decide_review(
        &tx,
        c.x,
        YEAR,
        &decision("2027-01-18", meeting.to_string()),
        day(),
    )
    .await
    .expect("decided");
    assert_eq!(
        grade(&tx, c.x, c.jia, "qualified").await,
        Err(DomainError::invalid("review", "decided_by_branch"))
    );
    tx.commit().await.expect("commit");
    assert_eq!(street(&t, &w).await, (2, 1, [1, 1, 1, 0]));

    // 乙 moves to 二网格: still on 一网格's review, graded there, not 二网格's to grade.
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    let moved = MemberInput {
        unit_id: Some(c.y),
        ..member_input("乙")
    };
    members::update(&tx, c.yi, &moved, today())
        .await
        .expect("moved");
    let there = reviews::branch_review(&tx, c.y, YEAR, day())
        .await
        .expect("review");
    let yi = there
        .people
        .iter()
        .find(|p| p.member_id == c.yi)
        .expect("listed");
    assert!(
        yi.elsewhere && yi.grade.is_none(),
        "the other branch's grade is not shown"
    );
    assert_eq!(
        grade(&tx, c.y, c.yi, "excellent").await,
        Err(DomainError::invalid("review_member", "graded_elsewhere"))
    );
    let here = reviews::branch_review(&tx, c.x, YEAR, day())
        .await
        .expect("review");
    assert_eq!(
        here.people.len(),
        3,
        "whoever it graded stays on its review"
    );
    assert_eq!(here.meeting_id, Some(meeting));

    // Reopened to correct 甲's grade, then decided again.
    reviews::reopen_review(&tx, c.x, YEAR, day())
        .await
        .expect("reopened");
    grade(&tx, c.x, c.jia, "unqualified")
        .await
        .expect("corrected");
    grade(&tx, c.y, c.ding, "excellent").await.expect("graded");
    tx.commit().await.expect("commit");
    assert_eq!(
        street(&t, &w).await,
        (2, 0, [0, 0, 0, 0]),
        "reopened: not reported"
    );
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    reviews::decide_review(
        &tx,
        c.x,
        YEAR,
        &decision("2027-01-19", String::new()),
        day(),
    )
    .await
    .expect("decided");
    reviews::decide_review(
        &tx,
        c.y,
        YEAR,
        &decision("2027-01-19", String::new()),
        day(),
    )
    .await
    .expect("decided");
    tx.commit().await.expect("commit");
    let (branches, decided, grades) = street(&t, &w).await;
    assert_eq!((branches, decided, grades), (2, 2, [1, 1, 1, 1]));
}
both_engines!(reviews_are_graded_then_decided, graded_and_decided);

/// A 支部书记's account for `branch`, and their scope in A.
async fn branch_secretary(t: &TestDb, w: &World, branch: Uuid) -> TenantScope {
    let input = NewAccount {
        login_name: "branch_a".into(),
        display_name: "刘支书".into(),
        role: "branch_secretary".into(),
        branch: branch.to_string(),
        place: w.community_a.id.to_string(),
        ..Default::default()
    };
    let secretary = w.principal(&t.db, "secretary_a").await;
    let (user, _) = admin::open_account(&t.db, &secretary, &input)
        .await
        .expect("opened");
    Principal::load(&t.db, user)
        .await
        .expect("load")
        .expect("active")
        .manage_scope(&t.db, w.community_a.id)
        .await
        .expect("staff of their branch")
}

async fn kept_by_the_branch_only(t: TestDb) {
    let w = world(&t.db).await;
    let c = community(&t, &w).await;
    let scope = branch_secretary(&t, &w, c.x).await;
    let tx = scope.write(&t.db).await.expect("tx");
    let list = reviews::reviews(&tx, YEAR, day()).await.expect("list");
    assert_eq!(list.len(), 1, "their branch only");
    grade(&tx, c.x, c.jia, "excellent")
        .await
        .expect("their member");
    let decided = ReviewInput {
        decided_on: "2027-01-18".into(),
        ..Default::default()
    };
    reviews::decide_review(&tx, c.x, YEAR, &decided, day())
        .await
        .expect("their branch decides");
    // The other branch is not found, for reading or writing.
    assert_eq!(
        reviews::branch_review(&tx, c.y, YEAR, day()).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        grade(&tx, c.y, c.ding, "excellent").await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        reviews::decide_review(&tx, c.y, YEAR, &decided, day()).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        reviews::reopen_review(&tx, c.y, YEAR, day()).await,
        Err(DomainError::NotFound)
    );
    tx.commit().await.expect("commit");

    // Another community's staff, with A's ids: nothing found, nothing written.
    let tx = w.write_as(&t.db, "worker_b", w.community_b.id).await;
    assert_eq!(
        reviews::branch_review(&tx, c.x, YEAR, day()).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        grade(&tx, c.x, c.jia, "unqualified").await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        reviews::decide_review(&tx, c.x, YEAR, &decided, day()).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        reviews::reopen_review(&tx, c.x, YEAR, day()).await,
        Err(DomainError::NotFound)
    );
    assert!(reviews::reviews(&tx, YEAR, day())
        .await
        .expect("B's")
        .is_empty());
    tx.commit().await.expect("commit");
    // A member of A reads no review at all.
    let member = domain::testing::member_a_scope(&t.db, &w).await;
    let tx = member.read(&t.db).await.expect("tx");
    assert_eq!(
        reviews::reviews(&tx, YEAR, day()).await,
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        reviews::branch_review(&tx, c.x, YEAR, day()).await,
        Err(DomainError::Forbidden)
    );
    tx.commit().await.expect("commit");
    // A's review stands as the 支部书记 decided it.
    let tx = w.read_as(&t.db, "secretary_a", w.community_a.id).await;
    let review = reviews::branch_review(&tx, c.x, YEAR, day())
        .await
        .expect("review");
    assert_eq!(review.grades.of(ReviewGrade::Excellent), 1);
    assert_eq!(review.grades.total(), 1);
    tx.commit().await.expect("commit");
}
both_engines!(a_review_is_kept_by_its_branch_only, kept_by_the_branch_only);

/// A member moved to another branch and graded there while the branch they left grades them
/// too, at the same moment (PostgreSQL, where two can write at once): the second to write is
/// told the record changed meanwhile (a conflict: reload and try again), not a server error,
/// and its save leaves nothing; the first grade stands.
#[tokio::test]
async fn grading_a_member_in_two_branches_at_once_is_a_conflict_not_an_error() {
    use sea_orm::{ConnectionTrait, Statement};
    let Some(t) = domain::testing::fresh(domain::testing::Engine::Postgres).await else {
        return;
    };
    let w = world(&t.db).await;
    let c = community(&t, &w).await;
    // 甲 moves to 二网格 (not yet committed) while 一网格 grades them (its snapshot still has
    // 甲 in it); then 二网格 grades 甲 too.
    let second = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    let moved = MemberInput {
        unit_id: Some(c.y),
        ..member_input("甲")
    };
    members::update(&second, c.jia, &moved, today())
        .await
        .expect("moved");
    let first = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    grade(&first, c.x, c.jia, "excellent").await.expect("first");
    let watcher = sea_orm::Database::connect(&t.app_url)
        .await
        .expect("watcher");
    // The first commits once the second waits on its row.
    let commit_first = async {
        for _ in 0..1000 {
            let row = watcher
                .query_one_raw(Statement::from_string(
                    watcher.get_database_backend(),
                    "SELECT count(*) FROM pg_stat_activity \
                     WHERE datname = current_database() AND wait_event_type = 'Lock'",
                ))
                .await
                .expect("activity")
                .expect("row");
            if row.try_get_by_index::<i64>(0).expect("count") > 0 {
                return first.commit().await.expect("commit");
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the second never waited on the first");
    };
    let (lost, ()) = tokio::join!(grade(&second, c.y, c.jia, "qualified"), commit_first);
    assert_eq!(lost, Err(DomainError::Conflict("changed_meanwhile".into())));
    drop(second);
    let tx = w.read_as(&t.db, "secretary_a", w.community_a.id).await;
    let review = reviews::branch_review(&tx, c.x, YEAR, day())
        .await
        .expect("review");
    let jia = review
        .people
        .iter()
        .find(|p| p.member_id == c.jia)
        .expect("甲");
    assert_eq!(jia.grade, Some(ReviewGrade::Excellent));
    watcher.close().await.ok();
}
