//! 志愿服务队 on both engines: forming teams (and refusing bad input), members joining and
//! leaving, a team's activity, and hours from verified attendance only — per member, per team
//! and for the member themself — with other communities and members refused.
use chrono::{Datelike, Duration, Utc};
use domain::activities::{self, ActivityInput};
use domain::both_engines;
use domain::members;
use domain::tenancy::Commit;
use domain::testing::{
    activity_tomorrow, local_field, member_a_record, member_input, today, world, TestDb,
};
use domain::volunteers::{self, TeamInput};
use domain::DomainError;
use uuid::Uuid;

fn team(name: &str, leader: Option<Uuid>) -> TeamInput {
    TeamInput {
        name: name.into(),
        service_area: "为独居老人理发、读报".into(),
        leader: leader.map(|l| l.to_string()).unwrap_or_default(),
    }
}

async fn teams_and_hours(t: TestDb) {
    let w = world(&t.db).await;
    let a = w.community_a.id;
    let scope = w.scope_as(&t.db, "secretary_a", a).await;
    let now = Utc::now();
    let tx = scope.write(&t.db).await.expect("tx");
    let me = member_a_record(&tx, &w).await;
    let leader = members::create(&tx, &member_input("王秀兰"), None, today())
        .await
        .expect("member");
    let third = members::create(&tx, &member_input("李淑珍"), None, today())
        .await
        .expect("member");

    // Bad input is refused with the field and the reason, and nothing is written.
    for (input, field, reason) in [
        (team("", None), "team_name", "required"),
        (team(&"队".repeat(61), None), "team_name", "too_long"),
        (
            team("青年志愿服务队", Some(Uuid::now_v7())),
            "team_leader",
            "not_in_list",
        ),
    ] {
        assert_eq!(
            volunteers::save_team(&tx, None, &input, now).await,
            Err(DomainError::invalid(field, reason))
        );
    }
    assert!(volunteers::team_choices(&tx)
        .await
        .expect("teams")
        .is_empty());
    let youth = volunteers::save_team(&tx, None, &team("青年志愿服务队", Some(leader)), now)
        .await
        .expect("formed");
    assert_eq!(
        volunteers::save_team(&tx, None, &team("青年志愿服务队", None), now).await,
        Err(DomainError::invalid("team_name", "exists"))
    );
    // Renaming a team to its own name is no clash.
    volunteers::save_team(&tx, Some(youth), &team("青年志愿服务队", Some(leader)), now)
        .await
        .expect("saved");
    // The leader joined with the team; others are added once.
    volunteers::add_member(&tx, youth, me, now)
        .await
        .expect("added");
    volunteers::add_member(&tx, youth, third, now)
        .await
        .expect("added");
    assert_eq!(
        volunteers::add_member(&tx, youth, me, now).await,
        Err(DomainError::invalid("member", "already_in_team"))
    );
    assert_eq!(
        volunteers::add_member(&tx, youth, Uuid::now_v7(), now).await,
        Err(DomainError::invalid("member", "not_in_list"))
    );
    assert_eq!(
        volunteers::add_member(&tx, Uuid::now_v7(), me, now).await,
        Err(DomainError::NotFound)
    );

    // A volunteer activity run by the team, one run by nobody, and a 主题党日 whose team is
    // dropped (only 志愿服务 has one).
    let soon = |title: &str, team: String, hours: &str| ActivityInput {
        kind: "volunteer".into(),
        starts_at: local_field(now + Duration::minutes(10)),
        ends_at: local_field(now + Duration::minutes(130)),
        signup_closes_at: local_field(now + Duration::minutes(10)),
        volunteer_hours: hours.into(),
        team,
        ..activity_tomorrow(title, "")
    };
    assert_eq!(
        activities::save_activity(&tx, None, &soon("x", Uuid::now_v7().to_string(), "1"), now)
            .await,
        Err(DomainError::invalid("team", "not_in_list"))
    );
    let haircut =
        activities::save_activity(&tx, None, &soon("为老人理发", youth.to_string(), "2"), now)
            .await
            .expect("published");
    let cleanup = activities::save_activity(&tx, None, &soon("清扫楼道", String::new(), "1"), now)
        .await
        .expect("published");
    let party_day = ActivityInput {
        team: youth.to_string(),
        ..activity_tomorrow("主题党日", "")
    };
    let day = activities::save_activity(&tx, None, &party_day, now)
        .await
        .expect("published");
    assert_eq!(
        activities::activity(&tx, day, now).await.expect("day").team,
        None
    );
    assert_eq!(
        activities::activity(&tx, haircut, now)
            .await
            .expect("haircut")
            .team,
        Some((youth, "青年志愿服务队".to_owned()))
    );
    for (activity, member) in [(haircut, me), (haircut, leader), (cleanup, third)] {
        activities::sign_up_for(&tx, activity, member, now)
            .await
            .expect("signed up");
    }
    // Signing up serves no hours.
    let year = (now + Duration::minutes(10))
        .with_timezone(&domain::clock::CHINA)
        .year();
    assert_eq!(
        volunteers::teams(&tx, year).await.expect("teams")[0].minutes,
        0
    );
    let later = now + Duration::minutes(11);
    for (activity, member, mark) in [
        (haircut, me, "attended"),
        (haircut, leader, "no_show"),
        (cleanup, third, "attended"),
    ] {
        let signup = activities::signups(&tx, activity)
            .await
            .expect("signups")
            .into_iter()
            .find(|s| s.member_id == member)
            .expect("signup")
            .id;
        activities::mark_attendance(&tx, signup, mark, later)
            .await
            .expect("marked");
    }

    let teams = volunteers::teams(&tx, year).await.expect("teams");
    assert_eq!(teams.len(), 1);
    let summary = &teams[0];
    assert_eq!(
        (summary.members, summary.activities, summary.minutes),
        (3, 1, 120),
        "three members, one activity, two hours served by the one who came"
    );
    assert_eq!(summary.leader, Some((leader, "王秀兰".to_owned())));
    let detail = volunteers::team(&tx, youth, year).await.expect("team");
    let lines: Vec<(&str, u32, u32)> = detail
        .members
        .iter()
        .map(|m| (m.name.as_str(), m.team_minutes, m.total_minutes))
        .collect();
    assert_eq!(
        lines,
        vec![("陈晓明", 120, 120), ("李淑珍", 0, 60), ("王秀兰", 0, 0)],
        "most hours for the team first; the cleanup counts for the member, not the team"
    );
    assert_eq!(detail.activities.len(), 1);
    assert_eq!(
        (detail.activities[0].attended, detail.activities[0].minutes),
        (1, 120)
    );
    let everyone: Vec<(String, u32, Vec<String>)> = volunteers::volunteers(&tx, year)
        .await
        .expect("volunteers")
        .into_iter()
        .map(|v| (v.name, v.minutes, v.teams))
        .collect();
    assert_eq!(
        everyone,
        vec![
            ("陈晓明".to_owned(), 120, vec!["青年志愿服务队".to_owned()]),
            ("李淑珍".to_owned(), 60, vec!["青年志愿服务队".to_owned()]),
        ]
    );
    // Another year has nothing.
    assert_eq!(
        volunteers::teams(&tx, year - 1).await.expect("teams")[0].minutes,
        0
    );

    // The leader leaves: the team has no leader, and the hours served stay.
    volunteers::remove_member(&tx, youth, leader)
        .await
        .expect("removed");
    assert_eq!(
        volunteers::remove_member(&tx, youth, leader).await,
        Err(DomainError::NotFound)
    );
    let summary = &volunteers::teams(&tx, year).await.expect("teams")[0];
    assert_eq!(
        (summary.members, summary.minutes, summary.leader.clone()),
        (2, 120, None)
    );
    tx.commit().await.expect("commit");

    // The member sees their own service and teams, and nothing of the staff's views.
    let tx = w.read_as(&t.db, "member_a", a).await;
    let mine = volunteers::my_service(&tx, year).await.expect("mine");
    assert_eq!(
        (mine.activities, mine.minutes, mine.teams),
        (1, 120, vec!["青年志愿服务队".to_owned()])
    );
    assert_eq!(
        volunteers::teams(&tx, year).await,
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        volunteers::team(&tx, youth, year).await.err(),
        Some(DomainError::Forbidden)
    );
    assert_eq!(
        volunteers::volunteers(&tx, year).await.err(),
        Some(DomainError::Forbidden)
    );
    assert_eq!(
        volunteers::save_team(&tx, None, &team("我的队", None), now).await,
        Err(DomainError::Forbidden)
    );
    assert_eq!(
        volunteers::add_member(&tx, youth, me, now).await,
        Err(DomainError::Forbidden)
    );
    drop(tx);

    // Another community's staff see none of it and change none of it.
    let tx = w.write_as(&t.db, "worker_b", w.community_b.id).await;
    assert!(volunteers::teams(&tx, year)
        .await
        .expect("teams")
        .is_empty());
    assert_eq!(
        volunteers::team(&tx, youth, year).await.err(),
        Some(DomainError::NotFound)
    );
    assert!(volunteers::volunteers(&tx, year)
        .await
        .expect("none")
        .is_empty());
    assert_eq!(
        volunteers::save_team(&tx, Some(youth), &team("改名", None), now).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        volunteers::add_member(&tx, youth, third, now).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        volunteers::remove_member(&tx, youth, me).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        activities::save_activity(&tx, None, &soon("借队", youth.to_string(), "1"), now).await,
        Err(DomainError::invalid("team", "not_in_list"))
    );
    tx.commit().await.expect("commit");
    let tx = scope.read(&t.db).await.expect("tx");
    let detail = volunteers::team(&tx, youth, year).await.expect("unchanged");
    assert_eq!(detail.summary.name, "青年志愿服务队");
    assert_eq!(detail.members.len(), 2);
}

both_engines!(volunteer_teams_and_hours, teams_and_hours);
