//! The demo's work of the day, dated from today so the demo never looks finished: in 长江路社区 an
//! activity on now (check-in open), a lecture in three days that is full with two waiting, a
//! 主题党日 next week with seats left, and an open micro-wish; in 站前街道 a joint meeting next
//! week with its agenda open. `seed-demo --refresh` adds them again on a later day.
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::ColumnTrait;
use uuid::Uuid;

use super::{COMMUNITY_A, COMMUNITY_B, STREET_CODE};
use crate::activities::{self, ActivityInput, ActivityKind, Audience};
use crate::auth::users;
use crate::clock::CHINA;
use crate::coop::{self, CoopScope, Viewer};
use crate::db::Db;
use crate::divisions as import;
use crate::entities::activity;
use crate::error::{DomainError, DomainResult};
use crate::kinds::Role;
use crate::members::{self, ListQuery};
use crate::tenancy::{Commit, TenantScope, TenantTx};

/// The activity on today: its title marks a day already refreshed.
const ON_TODAY: &str = "社区环境清洁日";

/// Adds the day's work unless today's is there already; `false` if it was.
pub async fn seed_today(db: &Db) -> DomainResult<bool> {
    let node = |code| async move {
        import::find_by_code(db, code)
            .await?
            .ok_or(DomainError::NotFound)
    };
    let (community, street) = (node(COMMUNITY_A).await?, node(STREET_CODE).await?);
    let neighbour = node(COMMUNITY_B).await?;
    let user = |login| async move {
        users::find_by_login(db, login)
            .await?
            .map(|u| u.id)
            .ok_or(DomainError::NotFound)
    };
    let (secretary, street_staff) = (user("changjiang").await?, user("zhanqian").await?);
    let now = Utc::now();
    let today = crate::clock::today();

    let scope = TenantScope::new(community.id, secretary, Role::CommunitySecretary);
    let tx = scope.write(db).await?;
    if refreshed_on(&tx, today).await? {
        return Ok(false);
    }
    seed_activities(&tx, now).await?;
    tx.commit().await?;

    let wish = CoopScope::new(
        TenantScope::new(street.id, secretary, Role::CommunitySecretary),
        Viewer::Community(community.id),
    );
    let tx = wish.write(db).await?;
    let need = coop::NeedInput {
        title: "为独居老人王桂英家卫生间安装扶手".into(),
        category: "elderly".into(),
        urgency: "soon".into(),
        detail: "5号楼2单元，老人 86 岁，行动不便，需一名会安装的志愿者和扶手两副。".into(),
        wish: true,
        ..Default::default()
    };
    coop::post_need(&tx, &need, today).await?;
    tx.commit().await?;

    let convener = CoopScope::new(
        TenantScope::new(street.id, street_staff, Role::StreetStaff),
        Viewer::Street,
    );
    let tx = convener.write(db).await?;
    seed_next_meeting(&tx, &[community.id, neighbour.id], today).await?;
    tx.commit().await?;
    Ok(true)
}

/// Whether today's activity is there already.
async fn refreshed_on(tx: &TenantTx, today: NaiveDate) -> DomainResult<bool> {
    let midnight = crate::clock::from_china(today.and_time(chrono::NaiveTime::MIN));
    Ok(tx
        .find::<activity::Entity>()
        .filter(activity::Column::Title.eq(ON_TODAY))
        .filter(activity::Column::StartsAt.gte(midnight))
        .count(tx)
        .await?
        > 0)
}

fn field(t: DateTime<Utc>) -> String {
    t.with_timezone(&CHINA).format("%Y-%m-%dT%H:%M").to_string()
}

/// `days` from today at `hour` o'clock, China time.
fn at(days: i64, hour: u32) -> DateTime<Utc> {
    let day = crate::clock::today() + Duration::days(days);
    let time = chrono::NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(chrono::NaiveTime::MIN);
    crate::clock::from_china(day.and_time(time))
}

struct Planned {
    kind: ActivityKind,
    title: &'static str,
    venue: &'static str,
    starts: DateTime<Utc>,
    hours: i64,
    capacity: &'static str,
    /// Roster members signed up by the staff (代报名), in order.
    signed_up: usize,
}

async fn seed_activities(tx: &TenantTx, now: DateTime<Utc>) -> DomainResult<()> {
    // Members without a login of their own: the demo's members sign up themselves.
    let roster: Vec<Uuid> = members::list(
        tx,
        &ListQuery {
            page: 1,
            per_page: 50,
            ..Default::default()
        },
    )
    .await?
    .rows
    .into_iter()
    .filter(|m| !m.has_account)
    .map(|m| m.id)
    .collect();
    let plan = [
        Planned {
            kind: ActivityKind::Volunteer,
            title: ON_TODAY,
            venue: "长江路社区各楼院",
            // Under way now, whatever the hour: check-in is open.
            starts: (now - Duration::hours(1)).max(at(0, 0)),
            hours: 6,
            capacity: "",
            signed_up: 6,
        },
        Planned {
            kind: ActivityKind::PartyLesson,
            title: "党课：新时代基层治理的长春实践",
            venue: "社区党群服务中心二楼会议室",
            starts: at(3, 14),
            hours: 2,
            capacity: "4",
            signed_up: 6,
        },
        Planned {
            kind: ActivityKind::PartyDay,
            title: "主题党日：重温入党誓词",
            venue: "长春市革命烈士陵园",
            starts: at(5, 9),
            hours: 3,
            capacity: "30",
            signed_up: 8,
        },
    ];
    for p in plan {
        let input = ActivityInput {
            kind: p.kind.as_str().into(),
            title: p.title.into(),
            venue: p.venue.into(),
            starts_at: field(p.starts),
            ends_at: field(p.starts + Duration::hours(p.hours)),
            capacity: p.capacity.into(),
            signup_opens_at: field(now - Duration::days(2)),
            signup_closes_at: field(p.starts),
            audience: Audience::All.as_str().into(),
            points: "2".into(),
            ..Default::default()
        };
        let id = activities::save_activity(tx, None, &input, now - Duration::days(3)).await?;
        for (i, member) in roster.iter().take(p.signed_up).enumerate() {
            let when = now - Duration::hours(40) + Duration::minutes(i as i64 * 17);
            activities::sign_up_for(tx, id, *member, when).await?;
        }
    }
    Ok(())
}

/// Next week's joint meeting of the street: the units and two communities invited, one item on
/// the agenda already and more to come.
async fn seed_next_meeting(
    tx: &coop::CoopTx,
    communities: &[Uuid],
    today: NaiveDate,
) -> DomainResult<()> {
    let held_on = today + Duration::days(7);
    let input = coop::MeetingInput {
        title: format!("站前街道党建联席会议（{}）", held_on.format("%-m月%-d日")),
        convener: "李秀英".into(),
        held_on: held_on.to_string(),
        starts_at: "09:30".into(),
        venue: "站前街道党群服务中心三楼会议室".into(),
    };
    let meeting = coop::save_meeting(tx, None, &input, today).await?;
    for unit in coop::partners(tx).await? {
        coop::invite(tx, meeting, "unit", &unit.id.to_string()).await?;
    }
    for community in communities {
        coop::invite(tx, meeting, "community", &community.to_string()).await?;
    }
    let agenda = coop::AgendaInput {
        title: "老旧小区加装电梯的居民意见征集".into(),
        ..Default::default()
    };
    coop::propose_item(tx, meeting, &agenda, today).await?;
    Ok(())
}
