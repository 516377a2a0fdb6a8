//! The demo district: 长春市宽城区 with its real streets and communities, a few grid branches,
//! building groups and members per community, and one account per role.
use crate::tenancy::Commit;
use std::path::Path;

mod load;
mod reviews;
mod today;
pub use load::seed_load;
pub use today::seed_today;

use sea_orm::ColumnTrait;
use uuid::Uuid;

use crate::activities::{self, ActivityInput, ActivityKind, Audience};
use crate::auth::users::{self, NewUser};
use crate::coop::{self, CoopScope, PartnerInput, ResourceInput, Viewer};
use crate::db::Db;
use crate::divisions::{self as import, COUNTRY_CODE};
use crate::entities::org_node;
use crate::error::{DomainError, DomainResult};
use crate::kinds::Role;
use crate::members::{self, Category, MemberInput, PartyRelation};
use crate::org::placements::{self, PlacementKind};
use crate::reporting::{self, PostInput};
use crate::tenancy::{TenantScope, TenantTx};

pub const DISTRICT_CODE: &str = "220103";
pub const STREET_CODE: &str = "220103002"; // 站前街道
pub const COMMUNITY_A: &str = "220103002001"; // 长江路社区
pub const COMMUNITY_B: &str = "220103002002"; // 丹东路社区
/// The street staff also serves as a worker in 北京大街社区, so the demo shows the unit switcher.
pub const SECOND_ROLE: (&str, Role, &str) = ("zhanqian", Role::CommunityWorker, "220103002003");

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoAccount {
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub node_name: String,
}

struct AccountSpec {
    login: &'static str,
    name: &'static str,
    phone: &'static str,
    role: Role,
    node_code: &'static str,
}

const ACCOUNTS: &[AccountSpec] = &[
    AccountSpec {
        login: "admin",
        name: "赵志远",
        phone: "13900000001",
        role: Role::PlatformOperator,
        node_code: COUNTRY_CODE,
    },
    AccountSpec {
        login: "quwei",
        name: "王建国",
        phone: "13900000002",
        role: Role::DistrictOrganiser,
        node_code: DISTRICT_CODE,
    },
    AccountSpec {
        login: "zhanqian",
        name: "李秀英",
        phone: "13900000003",
        role: Role::StreetStaff,
        node_code: STREET_CODE,
    },
    AccountSpec {
        login: "changjiang",
        name: "张丽华",
        phone: "13900000004",
        role: Role::CommunitySecretary,
        node_code: COMMUNITY_A,
    },
    AccountSpec {
        login: "dandong",
        name: "刘志强",
        phone: "13900000005",
        role: Role::CommunitySecretary,
        node_code: COMMUNITY_B,
    },
    AccountSpec {
        login: "dangyuan",
        name: "陈晓明",
        phone: "13900000006",
        role: Role::Member,
        node_code: COMMUNITY_A,
    },
    AccountSpec {
        login: "wangxiulan",
        name: "王秀兰",
        phone: "13900000008",
        role: Role::Member,
        node_code: COMMUNITY_A,
    },
    AccountSpec {
        login: "liuchunsheng",
        name: "刘春生",
        phone: "13900000009",
        role: Role::Member,
        node_code: COMMUNITY_A,
    },
    AccountSpec {
        login: "yiqi",
        name: "孙立新",
        phone: "13900000007",
        role: Role::UnitLiaison,
        node_code: STREET_CODE,
    },
];

/// The 支部书记 of 长江路社区's first grid branch: (login, name, phone).
const BRANCH_SECRETARY: (&str, &str, &str) = ("zhibu", "周德明", "13900000010");

/// Resident units of 站前街道, each paired with the street's first communities; the first one's
/// liaison is the demo account `yiqi`.
/// (name, kind, Party organisation, (resource kind, resource, quantity)).
type DemoUnit = (
    &'static str,
    &'static str,
    &'static str,
    (&'static str, &'static str, &'static str),
);

const UNITS: &[DemoUnit] = &[
    (
        "长春市第一汽车制造厂",
        "enterprise",
        "一汽集团党委",
        ("venue", "职工活动中心", "300 平方米"),
    ),
    (
        "宽城区教育局",
        "agency",
        "宽城区教育局党组",
        ("expertise", "家庭教育讲座", "每月 1 场"),
    ),
    (
        "宽城区人民医院",
        "hospital",
        "宽城区人民医院党委",
        ("volunteers", "义诊医生", "6 人"),
    ),
];

/// Service posts every demo community offers for 双报到.
const POSTS: &[(&str, &str)] = &[
    ("政策宣讲", "在小区宣讲惠民政策，每季度一次"),
    ("环境整治", "参与楼院环境清理，每月一次"),
    ("助老服务", "结对帮扶高龄、独居老人"),
    ("平安巡逻", "节假日夜间楼院巡逻"),
];

/// Employers of the demo's in-service members (units resident in the district).
const EMPLOYERS: &[(&str, &str)] = &[
    ("长春市第一汽车制造厂", "一汽集团党委"),
    ("宽城区教育局", "宽城区教育局党组"),
    ("宽城区人民医院", "宽城区人民医院党委"),
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗",
];
const GIVEN: &[&str] = &[
    "秀兰", "建华", "桂英", "志刚", "玉梅", "国庆", "淑珍", "春生", "丽娟", "德明", "海燕", "永强",
    "凤英", "宝山", "晓东", "红梅", "文杰", "金花", "立新", "雪梅",
];

/// Seeds the demo district from the divisions file. Fails with `Conflict` if accounts exist.
pub async fn seed(
    db: &Db,
    divisions_file: &Path,
    password: &str,
) -> DomainResult<Vec<DemoAccount>> {
    if users::find_by_login(db, "admin").await?.is_some() {
        return Err(DomainError::Conflict("demo already seeded".into()));
    }
    let communities = import_communities(db, divisions_file, DISTRICT_CODE).await?;
    let mut accounts = Vec::new();
    let mut member_users = Vec::new();
    let mut liaison_user = None;
    for spec in ACCOUNTS {
        let node = import::find_by_code(db, spec.node_code)
            .await?
            .ok_or(DomainError::NotFound)?;
        let user_id = demo_user(db, spec.login, spec.name, spec.phone, password).await?;
        users::grant_role(db, None, user_id, node.id, spec.role).await?;
        if spec.role == Role::Member {
            member_users.push((user_id, spec.name, spec.phone, node.id));
        }
        if spec.role == Role::UnitLiaison {
            liaison_user = Some((user_id, node.id));
        }
        accounts.push(DemoAccount {
            login: spec.login.to_owned(),
            display_name: spec.name.to_owned(),
            role: spec.role,
            node_name: node.name,
        });
    }
    let (login, role, code) = SECOND_ROLE;
    if let (Some(user), Some(node)) = (
        users::find_by_login(db, login).await?,
        import::find_by_code(db, code).await?,
    ) {
        users::grant_role(db, None, user.id, node.id, role).await?;
        accounts.push(DemoAccount {
            login: login.to_owned(),
            display_name: user.display_name,
            role,
            node_name: node.name,
        });
    }
    let organiser = users::find_by_login(db, "admin")
        .await?
        .map_or(Uuid::nil(), |u| u.id);
    for community in &communities {
        let linked: Vec<(Uuid, &str, &str)> = member_users
            .iter()
            .filter(|m| m.3 == community.id)
            .map(|m| (m.0, m.1, m.2))
            .collect();
        // The demo street's communities show 三会一课 so far this year (the rest stay light);
        // those activities name the platform admin as their organiser.
        let meetings = liaison_user.is_some_and(|(_, street)| community.parent_id == Some(street));
        seed_community(db, community, &linked, meetings.then_some(organiser)).await?;
    }
    if let Some((liaison, street)) = liaison_user {
        let mut of_street: Vec<&org_node::Model> = communities
            .iter()
            .filter(|c| c.parent_id == Some(street))
            .collect();
        of_street.sort_by(|a, b| a.code.cmp(&b.code));
        let paired: Vec<Uuid> = of_street.iter().map(|c| c.id).collect();
        seed_units(db, street, &paired, liaison).await?;
        accounts.push(branch_secretary(db, password).await?);
        seed_today(db).await?;
    }
    Ok(accounts)
}

/// Imports the divisions under `code` from the (gzipped) divisions file; their communities.
async fn import_communities(
    db: &Db,
    divisions_file: &Path,
    code: &str,
) -> DomainResult<Vec<org_node::Model>> {
    let file = std::fs::File::open(divisions_file).map_err(|err| {
        tracing::error!(error = %err, path = %divisions_file.display(), "opening the divisions file");
        DomainError::invalid("divisions_file", "unreadable")
    })?;
    let rows = import::read_rows(flate2::read::GzDecoder::new(file), Some(code))?;
    import::import(db, &rows, &mut |_, _| {}).await?;
    let communities = crate::tenancy::shared::find::<org_node::Entity>()
        .filter(org_node::Column::Kind.eq("community"))
        .filter(org_node::Column::Code.starts_with(code))
        .all(db)
        .await?;
    Ok(communities)
}

/// 长江路社区's first grid branch has its 支部书记, who sees that branch only.
/// A demo login (its phone a login too), with no role yet.
pub(super) async fn demo_user(
    db: &Db,
    login: &str,
    name: &str,
    phone: &str,
    password: &str,
) -> DomainResult<Uuid> {
    let new = NewUser {
        login_name: login,
        phone: Some(phone),
        display_name: name,
        password,
    };
    users::create_user(db, new).await
}

async fn branch_secretary(db: &Db, password: &str) -> DomainResult<DemoAccount> {
    let (login, name, phone) = BRANCH_SECRETARY;
    let community = import::find_by_code(db, COMMUNITY_A)
        .await?
        .ok_or(DomainError::NotFound)?;
    let scope = TenantScope::new(community.id, Uuid::nil(), Role::CommunitySecretary);
    let tx = scope.read(db).await?;
    let branch = placements::list_placements(&tx)
        .await?
        .into_iter()
        .find(|u| u.kind == PlacementKind::GridBranch)
        .ok_or(DomainError::NotFound)?;
    tx.commit().await?;
    let user_id = demo_user(db, login, name, phone, password).await?;
    users::grant_branch_in(db, None, user_id, community.id, branch.id).await?;
    Ok(DemoAccount {
        login: login.to_owned(),
        display_name: name.to_owned(),
        role: Role::BranchSecretary,
        node_name: format!("{} · {}", community.name, branch.name),
    })
}

async fn seed_units(
    db: &Db,
    street: Uuid,
    communities: &[Uuid],
    liaison: Uuid,
) -> DomainResult<()> {
    let scope = CoopScope::new(
        TenantScope::new(street, Uuid::nil(), Role::StreetStaff),
        Viewer::Street,
    );
    let tx = scope.write(db).await?;
    let today = crate::clock::today();
    for (i, (name, kind, party_org, offer)) in UNITS.iter().enumerate() {
        let input = PartnerInput {
            name: (*name).into(),
            kind: (*kind).into(),
            party_org: (*party_org).into(),
            liaison_name: if i == 0 { "孙立新" } else { "" }.into(),
            liaison_phone: if i == 0 { "13900000007" } else { "" }.into(),
            staff_count: String::new(),
            member_count: String::new(),
        };
        let unit = coop::save_partner(&tx, None, &input).await?;
        for community in communities.iter().skip(i).take(2) {
            coop::pair(&tx, unit, *community, today).await?;
        }
        if i == 0 {
            coop::attach_liaison(&tx, unit, liaison).await?;
        }
        let (kind, name, quantity) = offer;
        let resource = ResourceInput {
            kind: (*kind).into(),
            name: (*name).into(),
            quantity: (*quantity).into(),
            availability: String::new(),
            active: true,
        };
        coop::save_resource(&tx, unit, None, &resource, today).await?;
    }
    seed_meeting(&tx, communities, today).await?;
    tx.commit().await
}

/// A street joint meeting held a month ago: minutes written, one resolution with the first
/// community in progress, one with the first unit overdue.
async fn seed_meeting(
    tx: &coop::CoopTx,
    communities: &[Uuid],
    today: chrono::NaiveDate,
) -> DomainResult<()> {
    let held_on = today - chrono::Duration::days(30);
    let input = coop::MeetingInput {
        title: "第三季度街道党建联席会议".into(),
        convener: "李秀英".into(),
        held_on: held_on.to_string(),
        starts_at: "14:30".into(),
        venue: "站前街道党群服务中心三楼会议室".into(),
    };
    let meeting = coop::save_meeting(tx, None, &input, held_on).await?;
    let units = coop::partners(tx).await?;
    for unit in &units {
        coop::invite(tx, meeting, "unit", &unit.id.to_string()).await?;
    }
    for community in communities.iter().take(2) {
        coop::invite(tx, meeting, "community", &community.to_string()).await?;
    }
    // Who came for whom; the education bureau sent nobody.
    let came = [
        ("长春市第一汽车制造厂", "孙立新"),
        ("宽城区人民医院", "王海燕"),
        ("长江路社区", "张丽华"),
        ("丹东路社区", "刘志强"),
    ];
    let signed_at = held_on
        .and_hms_opt(6, 25, 0)
        .map(|t| t.and_utc())
        .unwrap_or_else(chrono::Utc::now);
    for invitee in coop::meeting(tx, meeting, held_on).await?.invitees {
        if let Some((_, person)) = came.iter().find(|(name, _)| *name == invitee.name) {
            coop::sign_in(tx, meeting, invitee.id, person, signed_at, held_on).await?;
        }
    }
    let agenda = coop::AgendaInput {
        title: "驻区单位场地向居民错时开放".into(),
        ..Default::default()
    };
    coop::propose_item(tx, meeting, &agenda, held_on).await?;
    // The demo liaison's unit (the first registered) answers for the overdue one.
    let (Some(community), Some(unit)) = (
        communities.first(),
        units.iter().find(|u| u.name == UNITS[0].0),
    ) else {
        return Ok(());
    };
    let due = |days: i64| (today + chrono::Duration::days(days)).to_string();
    let resolution = |content: &str, kind: coop::OwnerKind, owner: String, due_on: String| {
        coop::ResolutionInput {
            content: content.into(),
            owner_kind: kind.as_str().into(),
            owner,
            due_on,
        }
    };
    let first = resolution(
        "梳理社区可错时开放场地清单，报街道汇总",
        coop::OwnerKind::Community,
        community.to_string(),
        due(3),
    );
    let first = coop::add_resolution(tx, meeting, &first, held_on).await?;
    coop::report_progress(tx, first, "已走访 3 家驻区单位，清单初稿完成", today).await?;
    let second = resolution(
        "开放职工活动中心，制定居民预约办法",
        coop::OwnerKind::Unit,
        unit.id.to_string(),
        due(-5),
    );
    coop::add_resolution(tx, meeting, &second, held_on).await?;
    coop::record_minutes(
        tx,
        meeting,
        "会议通报了上季度共建项目进展，讨论了驻区单位场地错时开放，议定两项事项。",
        held_on,
    )
    .await
}

async fn seed_community(
    db: &Db,
    community: &org_node::Model,
    linked_members: &[(Uuid, &str, &str)],
    // The organiser of its 三会一课, when the community shows them.
    organisational_life: Option<Uuid>,
) -> DomainResult<()> {
    let actor = organisational_life.unwrap_or(Uuid::nil());
    let scope = TenantScope::new(community.id, actor, Role::CommunitySecretary);
    let tx = scope.write(db).await?;
    let mut next = draws(community.code.parse().unwrap_or(7));
    let mut groups = Vec::new();
    let mut branches = Vec::new();
    for b in ["第一", "第二", "第三"] {
        let branch = placements::create_placement(
            &tx,
            PlacementKind::GridBranch,
            &format!("{b}网格党支部"),
            None,
        )
        .await?;
        branches.push((branch, format!("{b}网格党支部")));
        for g in 1..=2 {
            let building = groups.len() + 1;
            let group = placements::create_placement(
                &tx,
                PlacementKind::BuildingGroup,
                &format!("{building}号楼党小组"),
                Some(branch),
            )
            .await?;
            if g == 1 {
                let host = format!(
                    "{}{}",
                    SURNAMES[next(SURNAMES.len())],
                    GIVEN[next(GIVEN.len())]
                );
                placements::create_placement(
                    &tx,
                    PlacementKind::CentralHousehold,
                    &format!("{host}党员中心户"),
                    Some(group),
                )
                .await?;
            }
            groups.push(group);
        }
    }
    let mut posts = Vec::new();
    for (name, description) in POSTS {
        let post = PostInput {
            name: (*name).into(),
            description: (*description).into(),
            active: true,
        };
        posts.push(reporting::save_post(&tx, None, &post).await?.to_string());
    }
    let today = crate::clock::today();
    let count = 12 + next(18);
    let mut roster = Vec::new();
    let mut payers = Vec::new();
    for i in 0..count {
        let (mut input, category) = random_member(&mut next, &groups, i);
        // A few out of contact (失联) in the street's other communities.
        if organisational_life.is_some() && linked_members.is_empty() && i % 9 == 4 {
            input.status = "lost_contact".into();
        }
        // 双报到 in the street's other communities: about two in three in-service members, whose
        // Party relation stays at their employer (长江路社区 keeps its reports for the walkthrough).
        let reports = category == Category::InService
            && organisational_life.is_some()
            && linked_members.is_empty()
            && next(3) > 0;
        if reports {
            input.relation = PartyRelation::Reporting.as_str().into();
        }
        let id = members::create(&tx, &input, None, today).await?;
        if !reports {
            payers.push((id, category));
        }
        if reports {
            let picked = &posts[next(posts.len())..][..1];
            reporting::report(&tx, Some(id), picked, today).await?;
        }
        roster.push(id);
    }
    // The demo members with a login: the first works at the 一汽 (双报到), the others retired.
    for (i, (user_id, name, phone)) in linked_members.iter().enumerate() {
        let (category, employer) = match i {
            0 => (
                Category::InService,
                ("长春市第一汽车制造厂", "一汽集团党委"),
            ),
            _ => (Category::Retired, ("", "")),
        };
        let input = MemberInput {
            name: (*name).into(),
            gender: if i == 1 { "女" } else { "男" }.into(),
            birth_date: if i == 0 { "1985-05-12" } else { "1952-09-03" }.into(),
            joined_on: if i == 0 { "2008-06-30" } else { "1975-07-01" }.into(),
            phone: (*phone).into(),
            category: category.as_str().into(),
            employer: employer.0.into(),
            employer_party_org: employer.1.into(),
            unit_id: Some(groups[0]),
            ..Default::default()
        };
        members::create(&tx, &input, Some(*user_id), today).await?;
    }
    if organisational_life.is_some() && !linked_members.is_empty() {
        seed_volunteers(&tx, &roster[..4]).await?;
    }
    // The made-up roster was there all along (past meetings have their rolls).
    members::since_always(&tx).await?;
    seed_dues(&tx, &payers, today).await?;
    seed_committees(&tx, &branches, today).await?;
    if organisational_life.is_some() {
        for (i, (branch, name)) in branches.iter().enumerate() {
            // About one branch in three has missed a meeting or two.
            let lapses = if next(3) == 0 { 1 + next(2) } else { 0 };
            // The 支部书记's branch missed last month's 支委会 and nothing else: theirs to
            // record (the street's "behind" figure then moves).
            let (lapses, gap) = match community.code == COMMUNITY_A && i == 0 {
                true => (0, Some(ActivityKind::BranchCommittee)),
                false => (lapses, None),
            };
            // Each building group holds its own 党小组会.
            let own = groups
                .get(2 * i..(2 * i + 2).min(groups.len()))
                .unwrap_or(&[]);
            seed_organisational_life(&tx, (*branch, own), name, (lapses, gap), &mut next).await?;
        }
        reviews::seed_reviews(&tx, &branches, today, &mut next).await?;
    }
    tx.commit().await
}

/// 三会一课 of one branch in the finished periods of this year, `lapses` of them missed.
/// A repeatable stream of draws below `n` (a linear congruential generator): the same seed
/// seeds the same demo.
fn draws(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    }
}

/// The `i`th made-up member of a roster, in building group `groups[i % len]`.
fn random_member(
    next: &mut impl FnMut(usize) -> usize,
    groups: &[Uuid],
    i: usize,
) -> (MemberInput, Category) {
    let born = 1940 + next(60) as i32;
    let category = Category::ALL[next(Category::ALL.len())];
    let employer = match category {
        Category::InService => EMPLOYERS[next(EMPLOYERS.len())],
        _ => ("", ""),
    };
    let input = MemberInput {
        name: format!(
            "{}{}",
            SURNAMES[next(SURNAMES.len())],
            GIVEN[next(GIVEN.len())]
        ),
        gender: if next(2) == 0 { "男" } else { "女" }.into(),
        birth_date: format!("{born}-{:02}-{:02}", 1 + next(12), 1 + next(28)),
        joined_on: format!("{}-07-01", (born + 20 + next(20) as i32).min(2025)),
        category: category.as_str().into(),
        employer: employer.0.into(),
        employer_party_org: employer.1.into(),
        unit_id: Some(groups[i % groups.len()]),
        building: format!("{}号楼", 1 + i % groups.len()),
        unit_no: format!("{}单元", 1 + next(4)),
        room: format!("{}0{}", 1 + next(6), 1 + next(4)),
        ..Default::default()
    };
    // One in nineteen joined four months ago and is still a 预备党员.
    let input = match i % 19 == 11 {
        true => MemberInput {
            standing: crate::kinds::PartyStanding::Probationary.as_str().into(),
            joined_on: (crate::clock::today() - chrono::Duration::days(120)).to_string(),
            ..input
        },
        false => input,
    };
    (input, category)
}

async fn seed_organisational_life(
    tx: &TenantTx,
    (branch, groups): (Uuid, &[Uuid]),
    name: &str,
    // How many meetings were missed at random, and a kind whose last month's was missed.
    (lapses, gap): (usize, Option<ActivityKind>),
    next: &mut impl FnMut(usize) -> usize,
) -> DomainResult<()> {
    use chrono::Datelike;
    let today = crate::clock::today();
    // Who holds each kind: the branch, or for 党小组会 each of its groups.
    let mut held: Vec<(ActivityKind, u32, Option<Uuid>)> = vec![
        (ActivityKind::BranchCommittee, 1, None),
        (ActivityKind::PartyDay, 1, None),
        (ActivityKind::BranchAssembly, 3, None),
        (ActivityKind::PartyLesson, 3, None),
    ];
    held.extend(
        groups
            .iter()
            .map(|g| (ActivityKind::GroupMeeting, 1, Some(*g))),
    );
    let mut slots = Vec::new();
    for (kind, every, group) in held {
        for period in 0..(today.month0() / every) {
            slots.push((
                kind,
                group,
                1 + period * every + next(every as usize) as u32,
            ));
        }
    }
    let skipped: Vec<usize> = (0..lapses.min(slots.len()))
        .map(|_| next(slots.len()))
        .collect();
    for (i, (kind, group, month)) in slots.into_iter().enumerate() {
        let last_month = today.month0();
        if skipped.contains(&i) || (gap == Some(kind) && month == last_month) {
            continue;
        }
        let day = format!("{}-{month:02}-{:02}", today.year(), 5 + next(20));
        let input = ActivityInput {
            kind: kind.as_str().into(),
            title: format!("{name}{}（{month}月）", kind.label()),
            venue: "社区党群服务中心".into(),
            starts_at: format!("{day}T14:30"),
            ends_at: format!("{day}T16:00"),
            signup_opens_at: format!("{day}T08:00"),
            signup_closes_at: format!("{day}T14:00"),
            audience: Audience::Branch.as_str().into(),
            branch: branch.to_string(),
            group: group.map(|g| g.to_string()).unwrap_or_default(),
            points: "2".into(),
            ..Default::default()
        };
        activities::save_activity(tx, None, &input, chrono::Utc::now()).await?;
    }
    Ok(())
}

/// A committee of three for each branch large enough to elect one (elected this January).
async fn seed_committees(
    tx: &TenantTx,
    branches: &[(Uuid, String)],
    today: chrono::NaiveDate,
) -> DomainResult<()> {
    use crate::kinds::CommitteePost;
    use chrono::Datelike;
    let since = chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    for (branch, _) in branches {
        let people = activities::branch_roster(tx, *branch).await?;
        if people.len() < activities::COMMITTEE_MIN_MEMBERS {
            continue;
        }
        let posts = [
            CommitteePost::Secretary,
            CommitteePost::Organisation,
            CommitteePost::Publicity,
        ];
        for ((member, _), post) in people.iter().zip(posts) {
            let input = activities::SeatInput {
                member: member.to_string(),
                post: post.as_str().into(),
                since: since.to_string(),
            };
            activities::seat(tx, *branch, &input, today).await?;
        }
    }
    Ok(())
}

/// 党费 from eleven months ago: a base by category; most paid up to last month (half of them
/// this month too), one in eight two months behind, one in eight nine months behind.
async fn seed_dues(
    tx: &TenantTx,
    payers: &[(Uuid, Category)],
    today: chrono::NaiveDate,
) -> DomainResult<()> {
    use crate::dues::{self, DuesInput, PaymentInput};
    use chrono::{Datelike, Months};
    let this_month = today.with_day(1).unwrap_or(today);
    let month = |back: u32| dues::month_label(this_month - Months::new(back));
    for (i, (member, category)) in payers.iter().enumerate() {
        let base = match category {
            Category::Unemployed | Category::Graduate => String::new(),
            // Bases spread by position (the demo's draws stay as they were).
            Category::Retired => (2_500 + 500 * (i % 10)).to_string(),
            _ => (3_500 + 700 * (i % 13)).to_string(),
        };
        let input = DuesInput {
            from_month: month(11),
            base,
            ..Default::default()
        };
        dues::assess(tx, *member, &input, today).await?;
        let behind = match i % 8 {
            3 => 2,
            6 => 9,
            _ => 0,
        };
        let paid = PaymentInput {
            from_month: month(11),
            to_month: month(behind + 1),
            method: if i % 3 == 0 { "transfer" } else { "cash" }.into(),
            paid_on: (this_month - Months::new(behind + 1)).to_string(),
            proxy: String::new(),
        };
        dues::record_payment(tx, *member, &paid, today).await?;
        if behind == 0 && i % 2 == 0 {
            let now = PaymentInput {
                from_month: month(0),
                to_month: String::new(),
                paid_on: today.to_string(),
                ..paid
            };
            dues::record_payment(tx, *member, &now, today).await?;
        }
    }
    Ok(())
}

/// A volunteer team of four members of the roster and the activity it ran a month ago, where
/// three came (two hours each, credited as attendance is marked).
async fn seed_volunteers(tx: &TenantTx, members: &[Uuid]) -> DomainResult<()> {
    use chrono::{Duration, Utc};
    let now = Utc::now();
    let team = crate::volunteers::TeamInput {
        name: "助老志愿服务队".into(),
        service_area: "为独居、高龄老人理发、读报、代购".into(),
        leader: members[0].to_string(),
    };
    let team = crate::volunteers::save_team(tx, None, &team, now).await?;
    for member in &members[1..] {
        crate::volunteers::add_member(tx, team, *member, now).await?;
    }
    let field = |t: chrono::DateTime<Utc>| {
        t.with_timezone(&crate::clock::CHINA)
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let starts = now - Duration::days(30);
    let input = ActivityInput {
        kind: ActivityKind::Volunteer.as_str().into(),
        title: "志愿服务：为独居老人上门理发".into(),
        venue: "长江路社区各楼院".into(),
        starts_at: field(starts),
        ends_at: field(starts + Duration::hours(2)),
        signup_opens_at: field(starts - Duration::days(7)),
        signup_closes_at: field(starts),
        audience: Audience::All.as_str().into(),
        points: "2".into(),
        volunteer_hours: "2".into(),
        team: team.to_string(),
        ..Default::default()
    };
    let activity = activities::save_activity(tx, None, &input, starts - Duration::days(8)).await?;
    for member in members {
        activities::sign_up_for(tx, activity, *member, starts - Duration::days(6)).await?;
    }
    let signups = activities::signups(tx, activity).await?;
    for (i, signup) in signups.iter().enumerate() {
        let mark = if i < 3 { "attended" } else { "excused" };
        activities::mark_attendance(tx, signup.id, mark, starts + Duration::hours(2)).await?;
    }
    Ok(())
}
