//! 活动 on both engines: publishing (and refusing bad input), signup while seats remain, the
//! waitlist in order, promotion when a confirmed member cancels, audiences, 代报名 — and the
//! concurrency guarantees: 1,000 concurrent signups for 50 seats, 20 runs out of 20, and
//! cancellations racing new signups never leaving a free seat while someone waits.
use domain::tenancy::Commit;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use domain::activities::{self, ActivityInput, SignupState};
use domain::both_engines;
use domain::members;
use domain::tenancy::TenantScope;
use domain::testing::{member_a_record, member_input, today, world, TestDb};
use domain::DomainError;
use uuid::Uuid;

use domain::testing::{activity_tomorrow as tomorrow, local_field as at};

async fn signup_and_waitlist(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.community_a.id;
    let scope = w.scope_as(&t.db, "secretary_a", a).await;
    let tx = scope.write(&t.db).await.expect("tx");
    let me = member_a_record(&tx, &w).await;
    let mut others = Vec::new();
    for name in ["王秀兰", "李淑珍", "赵淑芬"] {
        others.push(
            members::create(&tx, &member_input(name), None, today())
                .await
                .expect("member"),
        );
    }
    // Bad input is refused with the field and the reason.
    let now = Utc::now();
    let bad = [
        (
            ActivityInput {
                ends_at: tomorrow("x", "").starts_at,
                ..tomorrow("x", "")
            },
            "ends_at",
            "not_after_start",
        ),
        (tomorrow("x", "-3"), "capacity", "negative"),
        // Years chrono parses but no meeting is held in (the smallest one overflowed on the
        // way to UTC, and took the request down).
        (
            ActivityInput {
                starts_at: "-262143-01-01T00:00".into(),
                ..tomorrow("x", "")
            },
            "starts_at",
            "bad_date",
        ),
        (
            ActivityInput {
                ends_at: "+262142-12-31T23:59".into(),
                ..tomorrow("x", "")
            },
            "ends_at",
            "bad_date",
        ),
        (
            ActivityInput {
                kind: "party_day".into(),
                starts_at: "-262143-01-01T08:30".into(),
                ends_at: "-262143-01-01T09:30".into(),
                signup_opens_at: String::new(),
                signup_closes_at: String::new(),
                ..tomorrow("x", "")
            },
            "starts_at",
            "bad_date",
        ),
        (
            ActivityInput {
                points: "-1".into(),
                ..tomorrow("x", "")
            },
            "points",
            "negative",
        ),
        (
            ActivityInput {
                volunteer_hours: "-0.5".into(),
                ..tomorrow("x", "")
            },
            "volunteer_hours",
            "negative",
        ),
        (
            ActivityInput {
                kind: "picnic".into(),
                ..tomorrow("x", "")
            },
            "activity_kind",
            "not_in_list",
        ),
        (
            ActivityInput {
                audience: "branch".into(),
                ..tomorrow("x", "")
            },
            "branch",
            "required",
        ),
        (
            tomorrow(&"长".repeat(101), ""),
            "activity_title",
            "too_long",
        ),
    ];
    for (input, field, reason) in bad {
        assert_eq!(
            activities::save_activity(&tx, None, &input, now).await,
            Err(DomainError::invalid(field, reason))
        );
    }
    let day = activities::save_activity(&tx, None, &tomorrow("主题党日：重温入党誓词", "2"), now)
        .await
        .expect("published");
    // Two seats: two signed up on behalf, the member then waits.
    for m in &others[..2] {
        let got = activities::sign_up_for(&tx, day, *m, now)
            .await
            .expect("on behalf");
        assert_eq!(got.state, SignupState::Confirmed);
    }
    tx.commit().await.expect("commit");

    let member = w.principal(&t.db, "member_a").await;
    let own = member.tenant_scope(&t.db, a).await.expect("own scope");
    let tx = own.write(&t.db).await.expect("tx");
    let got = activities::sign_up(&tx, day, now)
        .await
        .expect("waitlisted");
    assert_eq!(
        (got.state, got.position),
        (SignupState::Waitlisted, Some(1))
    );
    assert_eq!(
        activities::sign_up(&tx, day, now).await,
        Err(DomainError::invalid("signup", "already_signed_up"))
    );
    assert_eq!(
        activities::save_activity(&tx, None, &tomorrow("x", ""), now).await,
        Err(DomainError::Forbidden)
    );
    tx.commit().await.expect("commit");

    // A third member queues behind; a confirmed one cancels: the member is promoted.
    let tx = scope.write(&t.db).await.expect("tx");
    let got = activities::sign_up_for(&tx, day, others[2], now)
        .await
        .expect("queued");
    assert_eq!(got.position, Some(2));
    assert_eq!(
        activities::save_activity(
            &tx,
            Some(day),
            &tomorrow("主题党日：重温入党誓词", "1"),
            now
        )
        .await,
        Err(DomainError::invalid("capacity", "below_confirmed"))
    );
    let list = activities::signups(&tx, day).await.expect("signups");
    let first = list
        .iter()
        .find(|s| s.member_id == others[0])
        .expect("signed")
        .id;
    activities::withdraw(&tx, first, now)
        .await
        .expect("withdrawn");
    let list = activities::signups(&tx, day).await.expect("signups");
    let state_of = |id: Uuid| {
        list.iter()
            .find(|s| s.member_id == id)
            .map(|s| (s.state, s.position))
    };
    assert_eq!(
        state_of(me),
        Some((SignupState::Confirmed, None)),
        "first in line promoted"
    );
    assert_eq!(
        state_of(others[2]),
        Some((SignupState::Waitlisted, Some(1)))
    );
    assert_eq!(state_of(others[0]), None);
    // Raising the capacity seats the rest of the line.
    activities::save_activity(
        &tx,
        Some(day),
        &tomorrow("主题党日：重温入党誓词", "5"),
        now,
    )
    .await
    .expect("more seats");
    let seen = activities::activity(&tx, day, now).await.expect("activity");
    assert_eq!((seen.confirmed, seen.waitlisted), (3, 0));
    tx.commit().await.expect("commit");

    // The member sees their seat; after cancelling the activity, they see it cancelled, and
    // nobody signs up any more.
    let tx = own.write(&t.db).await.expect("tx");
    let mine = activities::activities(&tx, now).await.expect("list");
    assert_eq!(mine[0].mine.map(|m| m.state), Some(SignupState::Confirmed));
    tx.commit().await.expect("commit");
    let tx = scope.write(&t.db).await.expect("tx");
    activities::cancel_activity(&tx, day, now)
        .await
        .expect("cancelled");
    tx.commit().await.expect("commit");
    let tx = own.write(&t.db).await.expect("tx");
    let mine = activities::activities(&tx, now).await.expect("list");
    assert!(mine[0].cancelled && mine[0].mine.is_some());
    assert_eq!(
        activities::cancel_signup(&tx, day, now).await.and(Ok(())),
        Ok(()),
        "a member may still drop a cancelled activity"
    );
    drop(tx);

    // Window, past and audience refusals.
    let tx = scope.write(&t.db).await.expect("tx");
    let later = ActivityInput {
        signup_opens_at: at(now + Duration::hours(3)),
        ..tomorrow("下周党课", "")
    };
    let later = activities::save_activity(&tx, None, &later, now)
        .await
        .expect("published");
    assert_eq!(
        activities::sign_up_for(&tx, later, others[0], now).await,
        Err(DomainError::invalid("signup", "not_open"))
    );
    let in_service = ActivityInput {
        audience: "in_service".into(),
        ..tomorrow("在职党员志愿服务", "")
    };
    let in_service = activities::save_activity(&tx, None, &in_service, now)
        .await
        .expect("published");
    assert_eq!(
        activities::sign_up_for(&tx, in_service, others[0], now).await,
        Err(DomainError::invalid("signup", "not_in_audience"))
    );
    assert_eq!(
        activities::sign_up_for(&tx, later, others[0], now + Duration::days(2)).await,
        Err(DomainError::invalid("activity", "past"))
    );
    tx.commit().await.expect("commit");
    // A member opens one activity as their list shows it: one for another audience is not found.
    let tx = own.read(&t.db).await.expect("tx");
    assert_eq!(
        activities::activity(&tx, in_service, now).await.err(),
        Some(DomainError::NotFound)
    );
    assert_eq!(
        activities::activity(&tx, later, now)
            .await
            .expect("open to all")
            .id,
        later
    );
    tx.commit().await.expect("commit");

    // Another community's staff find none of it.
    let tx = w.write_as(&t.db, "worker_b", w.community_b.id).await;
    assert!(activities::activities(&tx, now)
        .await
        .expect("none")
        .is_empty());
    assert_eq!(
        activities::signups(&tx, day).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        activities::sign_up_for(&tx, later, others[0], now).await,
        Err(DomainError::invalid("member", "not_found"))
    );
}

both_engines!(signup_waitlist_and_promotion, signup_and_waitlist);

/// `n` members of community A, created in one transaction, and the secretary's scope.
async fn crowd(t: &TestDb, n: usize) -> (TenantScope, Vec<Uuid>) {
    let w = world(&t.db).await;
    let scope = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = scope.write(&t.db).await.expect("tx");
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        ids.push(
            members::create(&tx, &member_input(&format!("党员{i:04}")), None, today())
                .await
                .expect("member"),
        );
    }
    tx.commit().await.expect("commit");
    (scope, ids)
}

async fn publish(t: &TestDb, scope: &TenantScope, capacity: &str) -> Uuid {
    let tx = scope.write(&t.db).await.expect("tx");
    let id = activities::save_activity(
        &tx,
        None,
        &tomorrow("志愿服务：清扫楼道", capacity),
        Utc::now(),
    )
    .await
    .expect("published");
    tx.commit().await.expect("commit");
    id
}

/// Every member signs up at once, each in their own transaction; a hundred are in flight at a
/// time (more would only queue for the pool's ten connections, and on a slow machine run past
/// its 10 s acquire timeout: a failure for want of a connection, not of a seat).
async fn rush(t: &TestDb, scope: &Arc<TenantScope>, activity: Uuid, members: &[Uuid]) {
    let in_flight = Arc::new(tokio::sync::Semaphore::new(100));
    let mut tasks = Vec::with_capacity(members.len());
    for &m in members {
        let (db, scope, in_flight) = (t.db.clone(), scope.clone(), in_flight.clone());
        tasks.push(tokio::spawn(async move {
            let _slot = in_flight.acquire().await.expect("slot");
            let tx = scope.write(&db).await.expect("tx");
            activities::sign_up_for(&tx, activity, m, Utc::now())
                .await
                .expect("signup");
            tx.commit().await.expect("commit");
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
}

async fn thousand_signups_fifty_seats(t: TestDb) {
    let (scope, members) = crowd(&t, 1000).await;
    let scope = Arc::new(scope);
    for run in 0..20 {
        let activity = publish(&t, &scope, "50").await;
        rush(&t, &scope, activity, &members).await;
        let tx = scope.read(&t.db).await.expect("tx");
        let list = activities::signups(&tx, activity).await.expect("signups");
        let seen = activities::activity(&tx, activity, Utc::now())
            .await
            .expect("activity");
        tx.commit().await.expect("commit");
        let confirmed = list
            .iter()
            .filter(|s| s.state == SignupState::Confirmed)
            .count();
        let positions: Vec<u64> = list.iter().filter_map(|s| s.position).collect();
        assert_eq!(confirmed, 50, "run {run}");
        assert_eq!(
            (seen.confirmed, seen.waitlisted),
            (50, 950),
            "run {run}: the counter and the line match the rows"
        );
        assert_eq!(
            positions,
            (1..=950).collect::<Vec<u64>>(),
            "run {run}: one line, in order"
        );
        let mut who: Vec<Uuid> = list.iter().map(|s| s.member_id).collect();
        who.sort();
        who.dedup();
        assert_eq!(who.len(), 1000, "run {run}: one signup per member");
    }
    // The organiser's list counts each activity's line apart.
    let tx = scope.read(&t.db).await.expect("tx");
    let list = activities::activities(&tx, Utc::now()).await.expect("list");
    tx.commit().await.expect("commit");
    assert_eq!(list.len(), 20);
    assert!(list
        .iter()
        .all(|a| (a.confirmed, a.waitlisted) == (50, 950)));
}

both_engines!(
    a_thousand_concurrent_signups_fill_fifty_seats,
    thousand_signups_fifty_seats
);

/// Ten seats full and ten waiting; ten confirmed members cancel while ten more sign up.
async fn cancel_races_signup(t: TestDb) {
    let (scope, members) = crowd(&t, 30).await;
    let scope = Arc::new(scope);
    for run in 0..5 {
        let activity = publish(&t, &scope, "10").await;
        rush(&t, &scope, activity, &members[..20]).await;
        let tx = scope.read(&t.db).await.expect("tx");
        let confirmed: Vec<Uuid> = activities::signups(&tx, activity)
            .await
            .expect("signups")
            .into_iter()
            .filter(|s| s.state == SignupState::Confirmed)
            .map(|s| s.id)
            .collect();
        tx.commit().await.expect("commit");
        let mut tasks = Vec::new();
        for (i, signup) in confirmed.into_iter().enumerate() {
            let (db, leaving) = (t.db.clone(), scope.clone());
            tasks.push(tokio::spawn(async move {
                let tx = leaving.write(&db).await.expect("tx");
                activities::withdraw(&tx, signup, Utc::now())
                    .await
                    .expect("withdraw");
                tx.commit().await.expect("commit");
            }));
            let (db, scope, m) = (t.db.clone(), scope.clone(), members[20 + i]);
            tasks.push(tokio::spawn(async move {
                let tx = scope.write(&db).await.expect("tx");
                activities::sign_up_for(&tx, activity, m, Utc::now())
                    .await
                    .expect("signup");
                tx.commit().await.expect("commit");
            }));
        }
        for task in tasks {
            task.await.expect("task");
        }
        let tx = scope.read(&t.db).await.expect("tx");
        let list = activities::signups(&tx, activity).await.expect("signups");
        let seen = activities::activity(&tx, activity, Utc::now())
            .await
            .expect("activity");
        tx.commit().await.expect("commit");
        let confirmed = list
            .iter()
            .filter(|s| s.state == SignupState::Confirmed)
            .count();
        let waiting = list
            .iter()
            .filter(|s| s.state == SignupState::Waitlisted)
            .count();
        assert_eq!(
            (confirmed, waiting),
            (10, 10),
            "run {run}: no free seat while someone waits"
        );
        assert_eq!(seen.confirmed, 10, "run {run}");
    }
}

both_engines!(
    cancellations_racing_signups_leave_no_free_seat,
    cancel_races_signup
);

/// Check-in by the rotating code (five wrong codes lock it), marks by hand, points only on
/// verified attendance, corrections by counter-entries, adjustments, the ranking, and the
/// ledger refusing changes in place.
async fn checkin_and_points(t: TestDb) {
    use domain::activities::CheckIn;
    use domain::points::{self, PointsCategory};
    let w = world(&t.db).await;
    let a = w.community_a.id;
    let secretary = w.principal(&t.db, "secretary_a").await;
    let scope = secretary.tenant_scope(&t.db, a).await.expect("scope");
    let now = Utc::now();
    let year = chrono::Datelike::year(&now.with_timezone(&domain::clock::CHINA));
    let tx = scope.write(&t.db).await.expect("tx");
    let in_service = members::MemberInput {
        category: "in_service".into(),
        employer: "长春市第一中学".into(),
        ..member_input("陈晓明")
    };
    let me = members::create(
        &tx,
        &in_service,
        Some(w.account("member_a").user_id),
        today(),
    )
    .await
    .expect("member");
    // 双报到: reported by the secretary, so confirmed at once.
    let post = domain::reporting::PostInput {
        name: "政策宣讲".into(),
        description: String::new(),
        active: true,
    };
    let post = domain::reporting::save_post(&tx, None, &post)
        .await
        .expect("post");
    domain::reporting::report(&tx, Some(me), &[post.to_string()], today())
        .await
        .expect("reported");
    let other = members::create(&tx, &member_input("李淑珍"), None, today())
        .await
        .expect("member");
    let soon = ActivityInput {
        kind: "volunteer".into(),
        starts_at: at(now + Duration::minutes(10)),
        ends_at: at(now + Duration::minutes(130)),
        signup_closes_at: at(now + Duration::minutes(10)),
        volunteer_hours: "1.5".into(),
        ..tomorrow("志愿服务：为老人理发", "")
    };
    let service = activities::save_activity(&tx, None, &soon, now)
        .await
        .expect("published");
    activities::sign_up_for(&tx, service, other, now)
        .await
        .expect("signed up");
    let other_signup = activities::signups(&tx, service).await.expect("signups")[0].id;
    assert_eq!(
        activities::mark_attendance(&tx, other_signup, "attended", now).await,
        Err(DomainError::invalid("attendance", "before_activity"))
    );
    tx.commit().await.expect("commit");

    let member = w.principal(&t.db, "member_a").await;
    let own = member.tenant_scope(&t.db, a).await.expect("own");
    let tx = own.write(&t.db).await.expect("tx");
    assert_eq!(
        activities::check_in(&tx, service, "123456", now).await,
        Err(DomainError::invalid("check_in", "not_signed_up"))
    );
    activities::sign_up(&tx, service, now)
        .await
        .expect("signed up");
    // Signing up earns nothing.
    assert_eq!(points::my_points(&tx, year).await.expect("points").total, 0);
    tx.commit().await.expect("commit");

    // Five wrong codes lock check-in for ten minutes (each attempt is counted and kept).
    let right = |at: DateTime<Utc>| {
        let (db, scope) = (t.db.clone(), scope.clone());
        async move {
            let tx = scope.write(&db).await.expect("tx");
            let code = activities::current_code(&tx, service, at)
                .await
                .expect("code")
                .code;
            tx.commit().await.expect("commit");
            code
        }
    };
    let code = right(now).await;
    let wrong = if code == "000000" { "000001" } else { "000000" };
    for left in (1..=4).rev() {
        let tx = own.write(&t.db).await.expect("tx");
        assert_eq!(
            activities::check_in(&tx, service, wrong, now).await,
            Ok(CheckIn::WrongCode {
                attempts_left: left
            })
        );
        tx.commit().await.expect("commit");
    }
    let tx = own.write(&t.db).await.expect("tx");
    let locked = activities::check_in(&tx, service, wrong, now)
        .await
        .expect("locked");
    assert!(matches!(locked, CheckIn::Locked { .. }));
    tx.commit().await.expect("commit");
    let tx = own.write(&t.db).await.expect("tx");
    assert!(matches!(
        activities::check_in(&tx, service, &code, now).await,
        Ok(CheckIn::Locked { .. })
    ));
    drop(tx);
    // Eleven minutes later the lock is over and the right code (shown then) checks in.
    let later = now + Duration::minutes(11);
    let code = right(later).await;
    let tx = own.write(&t.db).await.expect("tx");
    assert_eq!(
        activities::check_in(&tx, service, &code, later).await,
        Ok(CheckIn::Done)
    );
    let mine = points::my_points(&tx, year).await.expect("points");
    assert_eq!(mine.total, 5 + 3, "5 for attending, 1.5 hours × 2");
    tx.commit().await.expect("commit");

    // The organiser marks the other by hand, then corrects it: the earnings are reversed.
    let tx = scope.write(&t.db).await.expect("tx");
    activities::mark_attendance(&tx, other_signup, "attended", later)
        .await
        .expect("marked");
    assert_eq!(
        points::member_points(&tx, other, year)
            .await
            .expect("p")
            .total,
        8
    );
    activities::mark_attendance(&tx, other_signup, "no_show", later)
        .await
        .expect("corrected");
    let theirs = points::member_points(&tx, other, year).await.expect("p");
    assert_eq!(theirs.total, 0);
    assert_eq!(theirs.entries.iter().filter(|e| e.reversal).count(), 2);
    // Manual adjustments need a reason; a wrong one is reversed, once.
    assert_eq!(
        points::adjust(&tx, me, "-3", " ", later).await,
        Err(DomainError::invalid("points_reason", "required"))
    );
    assert_eq!(
        points::adjust(&tx, me, "0", "x", later).await,
        Err(DomainError::invalid("points", "bad_value"))
    );
    let late = points::adjust(&tx, me, "-3", "迟到未请假", later)
        .await
        .expect("adjusted");
    assert_eq!(
        points::member_points(&tx, me, year).await.expect("p").total,
        5
    );
    points::reverse(&tx, late, "误扣", later)
        .await
        .expect("reversed");
    assert_eq!(
        points::reverse(&tx, late, "again", later).await,
        Err(DomainError::invalid("points_entry", "already_reversed"))
    );
    let ranking = points::ranking(&tx, year, None).await.expect("ranking");
    assert_eq!(
        (ranking[0].name.as_str(), ranking[0].points, ranking[0].rank),
        ("陈晓明", 8, 1)
    );
    let volunteers = points::ranking(&tx, year, Some(PointsCategory::Volunteer))
        .await
        .expect("ranking");
    assert_eq!(volunteers[0].points, 3);

    // A community-wide 党课 (signed up for): the ones not checked in are recorded absent after
    // it, and lose points.
    let committee = ActivityInput {
        kind: "party_lesson".into(),
        starts_at: at(now + Duration::minutes(5)),
        ends_at: at(now + Duration::minutes(65)),
        signup_closes_at: at(now + Duration::minutes(5)),
        ..tomorrow("社区党课", "")
    };
    let committee = activities::save_activity(&tx, None, &committee, now)
        .await
        .expect("published");
    activities::sign_up_for(&tx, committee, other, now)
        .await
        .expect("signed up");
    assert_eq!(
        activities::finish_attendance(&tx, committee, now).await,
        Err(DomainError::invalid("attendance", "before_end"))
    );
    let after = now + Duration::minutes(70);
    assert_eq!(
        activities::finish_attendance(&tx, committee, after).await,
        Ok(1)
    );
    assert_eq!(
        points::member_points(&tx, other, year)
            .await
            .expect("p")
            .total,
        -2
    );
    tx.commit().await.expect("commit");

    // The 双报到 feedback sheet counts the year's verified attendance, hours and points.
    let tx = scope.read(&t.db).await.expect("tx");
    let sheets = domain::reporting::feedback(&tx, year)
        .await
        .expect("feedback");
    let row = &sheets[0].rows[0];
    assert_eq!(
        (row.attendance, row.volunteer_minutes, row.points),
        (1, 90, 8)
    );
    tx.commit().await.expect("commit");

    // The ledger refuses changes in place.
    let tx = scope.write(&t.db).await.expect("tx");
    assert!(points::try_update_for_test(&tx).await.is_err());
    drop(tx);
    let tx = scope.write(&t.db).await.expect("tx");
    assert!(points::try_delete_for_test(&tx).await.is_err());
    drop(tx);
    // A member sees no one else's points.
    let tx = own.read(&t.db).await.expect("tx");
    assert_eq!(
        points::member_points(&tx, other, year).await,
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        points::ranking(&tx, year, None).await,
        Err(DomainError::Forbidden)
    );
}

both_engines!(check_in_attendance_and_points, checkin_and_points);

/// 三会一课: a branch (with a committee) that skipped a month's 支部委员会 is behind until it
/// holds one; cadences are the community's to set. Checked as of a fixed day (15 Nov 2026).
async fn organisational_life(t: TestDb) {
    use chrono::TimeZone;
    use domain::org::placements::{create_placement, PlacementKind};
    let w = world(&t.db).await;
    let scope = w.scope_as(&t.db, "secretary_a", w.community_a.id).await;
    let tx = scope.write(&t.db).await.expect("tx");
    let branch = create_placement(&tx, PlacementKind::GridBranch, "第一网格党支部", None)
        .await
        .expect("branch");
    // Seven members and a committee: 支委会 is expected of this branch.
    let mut seven = Vec::new();
    for i in 0..7 {
        let input = members::MemberInput {
            unit_id: Some(branch),
            ..member_input(&format!("委员{i}"))
        };
        let id = members::create(&tx, &input, None, today())
            .await
            .expect("member");
        seven.push(id);
    }
    let seat = activities::SeatInput {
        member: seven[0].to_string(),
        post: "secretary".into(),
        since: "2026-01-05".into(),
    };
    activities::seat(&tx, branch, &seat, today())
        .await
        .expect("seated");
    let local = |m: u32, d: u32, h: u32| {
        domain::clock::CHINA
            .with_ymd_and_hms(2026, m, d, h, 0, 0)
            .single()
            .expect("local time")
            .with_timezone(&Utc)
    };
    let meeting = |kind: &str, month: u32| ActivityInput {
        kind: kind.into(),
        audience: "branch".into(),
        branch: branch.to_string(),
        starts_at: at(local(month, 10, 19)),
        ends_at: at(local(month, 10, 21)),
        signup_opens_at: at(local(month, 1, 8)),
        signup_closes_at: at(local(month, 10, 19)),
        ..tomorrow("支部会议", "")
    };
    let now = local(11, 15, 12);
    // 支部委员会 every month but March; 主题党日 every month; 支部党员大会 and 党课 every
    // quarter. The branch has no building groups: no 党小组会 is owed.
    for month in (1..=10).filter(|m| *m != 3) {
        activities::save_activity(&tx, None, &meeting("branch_committee", month), now)
            .await
            .expect("committee");
    }
    for month in 1..=10 {
        activities::save_activity(&tx, None, &meeting("party_day", month), now)
            .await
            .expect("party day");
    }
    for month in [2, 5, 8] {
        activities::save_activity(&tx, None, &meeting("branch_assembly", month), now)
            .await
            .expect("assembly");
        activities::save_activity(&tx, None, &meeting("party_lesson", month), now)
            .await
            .expect("lesson");
    }
    let seen = activities::compliance(&tx, now).await.expect("compliance");
    let kind = |k: &str| {
        seen[0]
            .kinds
            .iter()
            .find(|c| c.kind.as_str() == k)
            .cloned()
            .expect("kind")
    };
    assert_eq!(
        (kind("branch_committee").held, kind("branch_committee").due),
        (9, 10)
    );
    assert_eq!(
        (kind("branch_assembly").held, kind("branch_assembly").due),
        (3, 3)
    );
    assert_eq!((kind("party_day").held, kind("party_day").due), (10, 10));
    assert!(
        seen[0]
            .kinds
            .iter()
            .all(|c| c.kind.as_str() != "group_meeting"),
        "no groups, no 党小组会 owed: {seen:?}"
    );
    assert!(seen[0].behind());
    tx.commit().await.expect("commit");
    // B has a branch with no meetings at all.
    let tx_b = w.write_as(&t.db, "worker_b", w.community_b.id).await;
    create_placement(&tx_b, PlacementKind::GridBranch, "第一网格党支部", None)
        .await
        .expect("branch");
    tx_b.commit().await.expect("commit");
    // The street reads the same standing from the rollup: both branches behind.
    let street = street_rollup(&t, &w).await;
    let behind = |now| {
        let (db, street) = (t.db.clone(), street.clone());
        async move {
            let (totals, children) = domain::rollup::org_life(&db, &street, now)
                .await
                .expect("rollup");
            let per: Vec<(String, i64, i64)> = children
                .into_iter()
                .map(|c| (c.node.code, c.figures.branches, c.figures.behind))
                .collect();
            ((totals.branches, totals.behind), per)
        }
    };
    let (a_code, b_code) = ("220103002001".to_owned(), "220103002002".to_owned());
    let (totals, per) = behind(now).await;
    assert_eq!(totals, (2, 2));
    assert!(per.contains(&(a_code.clone(), 1, 1)) && per.contains(&(b_code.clone(), 1, 1)));
    // In January nothing is due yet, so nobody is behind.
    assert_eq!(behind(local(1, 20, 12)).await.0, (2, 0));

    // March's committee held after all (and a cadence outside the list refused).
    let tx = scope.write(&t.db).await.expect("tx");
    assert_eq!(
        activities::set_cadence(&tx, "group_meeting", "5").await,
        Err(DomainError::invalid("every_months", "not_in_list"))
    );
    activities::set_cadence(&tx, "group_meeting", "12")
        .await
        .expect("cadence");
    let march = activities::save_activity(&tx, None, &meeting("branch_committee", 3), now)
        .await
        .expect("committee");
    let seen = activities::compliance(&tx, now).await.expect("compliance");
    assert!(!seen[0].behind(), "{seen:?}");
    tx.commit().await.expect("commit");
    let (totals, per) = behind(now).await;
    assert_eq!(totals, (2, 1), "A is on track, B is not");
    assert!(per.contains(&(a_code.clone(), 1, 0)));

    // Moving March's committee to April, then cancelling it: behind again, in both views.
    let tx = scope.write(&t.db).await.expect("tx");
    activities::save_activity(&tx, Some(march), &meeting("branch_committee", 4), now)
        .await
        .expect("moved");
    assert!(activities::compliance(&tx, now).await.expect("seen")[0].behind());
    tx.commit().await.expect("commit");
    assert_eq!(behind(now).await.0, (2, 2));
    let tx = scope.write(&t.db).await.expect("tx");
    activities::save_activity(&tx, Some(march), &meeting("branch_committee", 3), now)
        .await
        .expect("moved back");
    tx.commit().await.expect("commit");
    assert_eq!(behind(now).await.0, (2, 1));
    let tx = scope.write(&t.db).await.expect("tx");
    // (Cancelling is for activities not yet over: `now` is the meeting's own day here.)
    activities::cancel_activity(&tx, march, local(3, 10, 8))
        .await
        .expect("cancelled");
    assert!(activities::compliance(&tx, now).await.expect("seen")[0].behind());
    tx.commit().await.expect("commit");
    assert_eq!(behind(now).await.0, (2, 2));
}

/// The street staff's rollup scope on their street.
async fn street_rollup(t: &TestDb, w: &domain::testing::World) -> domain::rollup::RollupScope {
    let street = w.principal(&t.db, "street").await;
    match street.access(&t.db, w.street.id).await.expect("access") {
        domain::auth::NodeAccess::Manage { rollup, .. } => rollup,
        _ => panic!("street staff manage their street"),
    }
}

both_engines!(three_meetings_one_lesson_compliance, organisational_life);

/// A finished year's totals are frozen for its ranking; later reversals do not move it.
async fn freeze(t: TestDb) {
    use domain::points;
    let w = world(&t.db).await;
    let tx = w.write_as(&t.db, "secretary_a", w.community_a.id).await;
    let me = members::create(&tx, &member_input("陈晓明"), None, today())
        .await
        .expect("member");
    let now = Utc::now();
    let last_year_day = now - Duration::days(400);
    let last = chrono::Datelike::year(&last_year_day.with_timezone(&domain::clock::CHINA));
    let entry = points::adjust(&tx, me, "5", "年度优秀", last_year_day)
        .await
        .expect("adjusted");
    assert_eq!(
        points::freeze_year(
            &tx,
            chrono::Datelike::year(&now.with_timezone(&domain::clock::CHINA)),
            now
        )
        .await,
        Err(DomainError::invalid("year", "not_over"))
    );
    assert_eq!(points::freeze_year(&tx, last, now).await, Ok(1));
    assert_eq!(
        points::freeze_year(&tx, last, now).await,
        Err(DomainError::invalid("year", "already_frozen"))
    );
    points::reverse(&tx, entry, "更正", now)
        .await
        .expect("reversed");
    assert_eq!(
        points::member_points(&tx, me, last).await.expect("p").total,
        0
    );
    let ranking = points::ranking(&tx, last, None).await.expect("ranking");
    assert_eq!(ranking[0].points, 5, "the frozen total stands");
    assert!(points::frozen_at(&tx, last)
        .await
        .expect("frozen")
        .is_some());
    tx.commit().await.expect("commit");
}

both_engines!(year_end_totals_are_frozen, freeze);

/// A paired unit's liaison runs their unit's activities in the community (and only there,
/// only theirs); the community's members join them like any other.
async fn paired_unit(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.community_a.id;
    domain::testing::paired_school(&t.db, &w).await;

    let staff = w.scope_as(&t.db, "secretary_a", a).await;
    let now = Utc::now();
    let tx = staff.write(&t.db).await.expect("tx");
    let me = member_a_record(&tx, &w).await;
    let community_day = activities::save_activity(&tx, None, &tomorrow("社区主题党日", ""), now)
        .await
        .expect("published");
    tx.commit().await.expect("commit");

    // The liaison has no other way into A, and none into B (not paired).
    let liaison = w.principal(&t.db, "liaison").await;
    assert_eq!(
        liaison.tenant_scope(&t.db, a).await.err(),
        Some(DomainError::Forbidden)
    );
    assert_eq!(
        liaison
            .activities_scope(&t.db, w.community_b.id)
            .await
            .err(),
        Some(DomainError::Forbidden)
    );
    let unit_scope = liaison.activities_scope(&t.db, a).await.expect("paired");
    let tx = unit_scope.write(&t.db).await.expect("tx");
    let with_team = ActivityInput {
        kind: "volunteer".into(),
        team: Uuid::now_v7().to_string(),
        ..tomorrow("一中志愿者进社区", "")
    };
    assert_eq!(
        activities::save_activity(&tx, None, &with_team, now).await,
        Err(DomainError::invalid("team", "not_in_list")),
        "the community's teams are not the unit's to deploy"
    );
    let lecture = ActivityInput {
        kind: "study".into(),
        ..tomorrow("一中开放日：科普讲座", "30")
    };
    let open_day = activities::save_activity(&tx, None, &lecture, now)
        .await
        .expect("published");
    let titles: Vec<String> = activities::activities(&tx, now)
        .await
        .expect("list")
        .into_iter()
        .map(|a| a.title)
        .collect();
    assert_eq!(
        titles,
        vec!["一中开放日：科普讲座".to_owned()],
        "only its own"
    );
    assert_eq!(
        activities::activity(&tx, community_day, now).await.err(),
        Some(DomainError::NotFound)
    );
    assert_eq!(
        activities::signups(&tx, community_day).await.err(),
        Some(DomainError::NotFound)
    );
    assert_eq!(
        activities::save_activity(&tx, Some(community_day), &lecture, now).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        activities::cancel_activity(&tx, community_day, now).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        activities::sign_up_for(&tx, open_day, me, now).await.err(),
        Some(DomainError::Forbidden),
        "代报名 needs the roster"
    );
    assert_eq!(
        members::list(&tx, &Default::default()).await.err(),
        Some(DomainError::Forbidden)
    );
    assert_eq!(
        activities::compliance(&tx, now).await.err(),
        Some(DomainError::Forbidden)
    );
    assert_eq!(
        domain::volunteers::teams(&tx, 2026).await.err(),
        Some(DomainError::Forbidden)
    );
    tx.commit().await.expect("commit");

    // A member of A joins the unit's activity; the liaison sees who signed up.
    let tx = w.write_as(&t.db, "member_a", a).await;
    activities::sign_up(&tx, open_day, now)
        .await
        .expect("joined");
    tx.commit().await.expect("commit");
    let tx = unit_scope.read(&t.db).await.expect("tx");
    let names: Vec<String> = activities::signups(&tx, open_day)
        .await
        .expect("signups")
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, vec!["陈晓明".to_owned()]);
    drop(tx);
    // The community's staff see it among theirs, marked as the unit's, and may manage it.
    let tx = staff.read(&t.db).await.expect("tx");
    assert!(
        activities::activity(&tx, open_day, now)
            .await
            .expect("seen")
            .by_unit
    );
    assert!(
        !activities::activity(&tx, community_day, now)
            .await
            .expect("seen")
            .by_unit
    );
    assert_eq!(
        activities::activities(&tx, now).await.expect("list").len(),
        2
    );
}

both_engines!(paired_unit_runs_its_activities, paired_unit);

/// Only the community's own staff hold 三会一课 and 主题党日: a paired unit's liaison publishes
/// their unit's volunteer, study and culture activities, for no branch, never backdated — so
/// nothing of theirs counts toward a branch's compliance or costs a member points.
async fn liaison_kinds(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.community_a.id;
    domain::testing::paired_school(&t.db, &w).await;
    let staff = w.scope_as(&t.db, "secretary_a", a).await;
    let tx = staff.write(&t.db).await.expect("tx");
    let branch = domain::org::placements::create_placement(
        &tx,
        domain::org::placements::PlacementKind::GridBranch,
        "第一网格党支部",
        None,
    )
    .await
    .expect("branch");
    tx.commit().await.expect("commit");
    let now = Utc::now();
    // The form offers the community's staff everything, with the branch.
    let tx = staff.read(&t.db).await.expect("tx");
    let offered = activities::choices(&tx).await.expect("choices");
    tx.commit().await.expect("commit");
    assert_eq!(offered.kinds, activities::ActivityKind::ALL.to_vec());
    assert_eq!(offered.audiences, activities::Audience::ALL.to_vec());
    assert_eq!(
        offered.branches,
        vec![(branch, "第一网格党支部".to_owned())]
    );
    let liaison = w.principal(&t.db, "liaison").await;
    let unit = liaison.activities_scope(&t.db, a).await.expect("paired");
    let tx = unit.write(&t.db).await.expect("tx");
    // A liaison is offered only what they may publish: their kinds, no branch, no team.
    let offered = activities::choices(&tx).await.expect("choices");
    assert!(offered.kinds.iter().all(|k| k.unit_may_organise()));
    assert_eq!(offered.kinds.len(), 3);
    assert!(!offered.audiences.contains(&activities::Audience::Branch));
    assert!(offered.branches.is_empty() && offered.teams.is_empty());
    for kind in [
        "party_day",
        "branch_assembly",
        "branch_committee",
        "group_meeting",
        "party_lesson",
    ] {
        let input = ActivityInput {
            kind: kind.into(),
            ..tomorrow("支部活动", "")
        };
        assert_eq!(
            activities::save_activity(&tx, None, &input, now).await,
            Err(DomainError::invalid("activity_kind", "not_for_units")),
            "{kind}"
        );
    }
    let for_branch = ActivityInput {
        kind: "study".into(),
        audience: "branch".into(),
        branch: branch.to_string(),
        ..tomorrow("支部学习", "")
    };
    assert_eq!(
        activities::save_activity(&tx, None, &for_branch, now).await,
        Err(DomainError::invalid("audience", "not_for_units"))
    );
    let backdated = ActivityInput {
        kind: "volunteer".into(),
        starts_at: at(now - Duration::days(3)),
        ends_at: at(now - Duration::days(3) + Duration::hours(2)),
        signup_opens_at: at(now - Duration::days(5)),
        signup_closes_at: at(now - Duration::days(3)),
        ..tomorrow("上周的志愿服务", "")
    };
    assert_eq!(
        activities::save_activity(&tx, None, &backdated, now).await,
        Err(DomainError::invalid("starts_at", "in_past"))
    );
    let mut allowed = Vec::new();
    for kind in ["volunteer", "study", "culture"] {
        let input = ActivityInput {
            kind: kind.into(),
            ..tomorrow("一中活动", "")
        };
        allowed.push(
            activities::save_activity(&tx, None, &input, now)
                .await
                .expect(kind),
        );
    }
    // Nor can one of the unit's activities become a branch's 三会一课 by an edit.
    let into_lesson = ActivityInput {
        kind: "party_lesson".into(),
        audience: "branch".into(),
        branch: branch.to_string(),
        ..tomorrow("一中活动", "")
    };
    assert_eq!(
        activities::save_activity(&tx, Some(allowed[1]), &into_lesson, now).await,
        Err(DomainError::invalid("activity_kind", "not_for_units"))
    );
    tx.commit().await.expect("commit");

    // Staff may still record a past 三会一课 of the branch.
    let tx = staff.write(&t.db).await.expect("tx");
    let past_lesson = ActivityInput {
        kind: "party_lesson".into(),
        audience: "branch".into(),
        branch: branch.to_string(),
        ..backdated.clone()
    };
    activities::save_activity(&tx, None, &past_lesson, now)
        .await
        .expect("staff backdate");
    tx.commit().await.expect("commit");
}
both_engines!(liaisons_never_hold_organisational_life, liaison_kinds);

/// The staff's list shows every coming activity and the latest past ones, older ones a page at
/// a time (most recent first), however many the community held; members never see past ones.
async fn past_activities_page_by_page(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.community_a.id;
    let scope = w.scope_as(&t.db, "secretary_a", a).await;
    let tx = scope.write(&t.db).await.expect("tx");
    let now = Utc::now();
    let per_page = activities::PAST_PER_PAGE as usize;
    // 25 held on each of the last 25 days, and two coming.
    let held = per_page + 5;
    for n in 1..=held {
        let starts = now - Duration::days(n as i64);
        let input = ActivityInput {
            starts_at: at(starts),
            ends_at: at(starts + Duration::hours(2)),
            signup_opens_at: at(starts - Duration::days(3)),
            signup_closes_at: at(starts),
            ..tomorrow(&format!("past {n:02}"), "")
        };
        activities::save_activity(&tx, None, &input, now)
            .await
            .expect("past activity");
    }
    for title in ["coming 1", "coming 2"] {
        activities::save_activity(&tx, None, &tomorrow(title, ""), now)
            .await
            .expect("coming activity");
    }
    tx.commit().await.expect("commit");

    let tx = scope.read(&t.db).await.expect("tx");
    let titles = |list: &activities::OrganiserList| {
        list.activities
            .iter()
            .map(|a| a.title.clone())
            .collect::<Vec<_>>()
    };
    let first = activities::organiser_list(&tx, now, 0)
        .await
        .expect("page 0");
    let mut expected = vec!["coming 1".to_string(), "coming 2".to_string()];
    expected.extend((1..=per_page).map(|n| format!("past {n:02}")));
    assert_eq!(
        titles(&first),
        expected,
        "coming, then the latest past ones"
    );
    assert!(first.older);
    let second = activities::organiser_list(&tx, now, 1)
        .await
        .expect("page 1");
    let rest: Vec<String> = (per_page + 1..=held)
        .map(|n| format!("past {n:02}"))
        .collect();
    assert_eq!(titles(&second), rest, "the older ones, most recent first");
    assert!(!second.older);
    let beyond = activities::organiser_list(&tx, now, u64::MAX)
        .await
        .expect("a page past the end");
    assert!(beyond.activities.is_empty() && !beyond.older);
    tx.commit().await.expect("commit");

    // Members are never given the list, and see no past activity in theirs.
    let member = w.scope_as(&t.db, "member_a", a).await;
    let tx = scope.write(&t.db).await.expect("tx");
    member_a_record(&tx, &w).await;
    tx.commit().await.expect("commit");
    let tx = member.read(&t.db).await.expect("tx");
    assert!(matches!(
        activities::organiser_list(&tx, now, 0).await,
        Err(DomainError::Forbidden)
    ));
    let theirs: Vec<String> = activities::activities(&tx, now)
        .await
        .expect("member's list")
        .into_iter()
        .map(|a| a.title)
        .collect();
    assert_eq!(theirs, ["coming 1", "coming 2"]);
    tx.commit().await.expect("commit");
}
both_engines!(
    staff_list_pages_past_activities,
    past_activities_page_by_page
);

/// The organiser's page is kept until something is written in the community: a rolled-back
/// change is not seen, a committed one (a new activity, a member's signup) at once; a member
/// is still refused it, whatever is kept.
async fn kept_organiser_page(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.community_a.id;
    let scope = w.scope_as(&t.db, "secretary_a", a).await;
    let now = Utc::now();
    let page = async || {
        let page = activities::organiser_page(&t.db, &scope, now, 0)
            .await
            .expect("page");
        page.list
            .activities
            .iter()
            .map(|a| (a.title.clone(), a.confirmed))
            .collect::<Vec<_>>()
    };
    assert_eq!(page().await, vec![]);

    let tx = scope.write(&t.db).await.expect("tx");
    activities::save_activity(&tx, None, &tomorrow("主题党日", "30"), now)
        .await
        .expect("activity");
    drop(tx); // rolled back
    assert_eq!(page().await, vec![], "nothing was written");

    let tx = scope.write(&t.db).await.expect("tx");
    let id = activities::save_activity(&tx, None, &tomorrow("主题党日", "30"), now)
        .await
        .expect("activity");
    member_a_record(&tx, &w).await;
    tx.commit().await.expect("commit");
    assert_eq!(page().await, vec![("主题党日".to_string(), 0)]);

    let member = w.scope_as(&t.db, "member_a", a).await;
    // A member's list keeps the community's activities too (`member_activities`).
    let listed = async || {
        activities::member_activities(&t.db, &member, now)
            .await
            .expect("member's list")
            .into_iter()
            .map(|a| (a.title, a.confirmed, a.mine.map(|m| m.state)))
            .collect::<Vec<_>>()
    };
    assert_eq!(listed().await, vec![("主题党日".to_string(), 0, None)]);
    let tx = member.write(&t.db).await.expect("tx");
    activities::sign_up(&tx, id, now).await.expect("signed up");
    tx.commit().await.expect("commit");
    assert_eq!(
        page().await,
        vec![("主题党日".to_string(), 1)],
        "a member's signup is seen"
    );
    assert_eq!(
        listed().await,
        vec![(
            "主题党日".to_string(),
            1,
            Some(activities::SignupState::Confirmed)
        )],
        "and in their own list, theirs"
    );
    assert_eq!(
        activities::member_activity(&t.db, &member, id, now)
            .await
            .expect("their activity page")
            .mine
            .map(|m| m.state),
        Some(activities::SignupState::Confirmed)
    );
    let tx = scope.write(&t.db).await.expect("tx");
    activities::cancel_activity(&tx, id, now)
        .await
        .expect("cancelled");
    tx.commit().await.expect("commit");
    let cancelled = activities::member_activities(&t.db, &member, now)
        .await
        .expect("member's list");
    assert!(
        cancelled.len() == 1 && cancelled[0].cancelled,
        "a cancelled one they signed up for stays, shown cancelled"
    );
    assert!(matches!(
        activities::organiser_page(&t.db, &member, now, 0).await,
        Err(DomainError::Forbidden)
    ));
    assert!(matches!(
        activities::member_activities(&t.db, &scope, now).await,
        Err(DomainError::Forbidden)
    ));
    assert!(matches!(
        activities::member_activity(&t.db, &scope, id, now).await,
        Err(DomainError::Forbidden)
    ));
}
both_engines!(
    the_kept_organiser_page_follows_each_write,
    kept_organiser_page
);

/// Activities from before check-in existed had no key and got one when their code was first
/// shown, a write inside the organiser screen's read. Migration 47 gives each its own random
/// key; the code is then shown in a read transaction, and the same code lets a member in.
async fn keys_for_older_activities(t: TestDb) {
    use domain::testing::{migration, tamper_column};
    use sea_orm::ColumnTrait;
    let w = world(&t.db).await;
    let a = w.community_a.id;
    let scope = w.scope_as(&t.db, "secretary_a", a).await;
    let now = Utc::now();
    let tx = scope.write(&t.db).await.expect("tx");
    let member = member_a_record(&tx, &w).await;
    let soon = |title: &str| ActivityInput {
        starts_at: at(now + Duration::minutes(10)),
        ends_at: at(now + Duration::minutes(130)),
        signup_closes_at: at(now + Duration::minutes(10)),
        ..tomorrow(title, "")
    };
    let mut older = Vec::new();
    for title in ["楼院清扫", "为老人理发"] {
        let id = activities::save_activity(&tx, None, &soon(title), now)
            .await
            .expect("published");
        activities::sign_up_for(&tx, id, member, now)
            .await
            .expect("signed up");
        older.push(id);
    }
    tx.commit().await.expect("commit");
    for id in &older {
        let tx = scope.write(&t.db).await.expect("tx");
        tamper_column(tx, "activities", "checkin_secret", *id, "").await;
    }

    migration(&t, "m20261207_000047_checkin_keys", false).await;
    migration(&t, "m20261207_000047_checkin_keys", true).await;
    let tx = scope.read(&t.db).await.expect("a read");
    let mut codes = Vec::new();
    for id in &older {
        let code = activities::current_code(&tx, *id, now)
            .await
            .expect("shown in a read");
        assert_eq!(code.code.len(), 6, "{code:?}");
        codes.push(code.code);
    }
    let mut keys = Vec::new();
    for id in &older {
        let row = tx
            .find::<domain::entities::activity::Entity>()
            .filter(domain::entities::activity::Column::Id.eq(*id))
            .one(&tx)
            .await
            .expect("read")
            .expect("the activity");
        keys.push(row.checkin_secret);
    }
    tx.commit().await.expect("commit");
    assert!(
        keys.iter()
            .all(|k| k.len() == 64 && k.bytes().all(|b| b.is_ascii_hexdigit())),
        "{keys:?}"
    );
    assert_ne!(keys[0], keys[1], "each its own key");
    let own = w
        .principal(&t.db, "member_a")
        .await
        .tenant_scope(&t.db, a)
        .await
        .expect("own");
    let tx = own.write(&t.db).await.expect("tx");
    assert_eq!(
        activities::check_in(&tx, older[0], &codes[0], now).await,
        Ok(activities::CheckIn::Done)
    );
    tx.commit().await.expect("commit");
}
both_engines!(
    older_activities_get_their_check_in_keys,
    keys_for_older_activities
);
