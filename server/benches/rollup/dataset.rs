//! The synthetic national dataset, written in bulk by grouped SQL (one statement per table or
//! counter family, never a row at a time): members, a year of activities with signups and
//! attendance, needs, joint meetings and their resolutions — and the rollup counters the domain
//! keeps for them, computed the way `rollup::reconcile` recomputes them, then the subtree totals.
//! A small run checks that claim with `reconcile` itself.
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use uuid::Uuid;

/// How much to generate per community.
pub struct Sizes {
    /// Average members (skewed by the community's code: from half to about twice as many).
    pub members: u64,
    /// Activities each month, for the twelve months up to this one.
    pub activities_per_month: u64,
    /// Members signed up to each activity (the first ones of the roster), all marked.
    pub signups: u64,
    /// Needs posted to the street, in every status.
    pub needs: u64,
}

async fn run_sql(conn: &DatabaseConnection, sql: &str) {
    conn.execute_raw(Statement::from_string(
        conn.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .unwrap_or_else(|e| panic!("{e}: {sql}"));
}

fn postgres(conn: &DatabaseConnection) -> bool {
    conn.get_database_backend() == DbBackend::Postgres
}

fn new_id(conn: &DatabaseConnection) -> &'static str {
    if postgres(conn) {
        "gen_random_uuid()"
    } else {
        "randomblob(16)"
    }
}

/// `1..=n` as a table `s(n)`: a `WITH` clause on SQLite, a function call on PostgreSQL.
fn series(conn: &DatabaseConnection, n: u64) -> (String, String) {
    if postgres(conn) {
        (String::new(), format!("generate_series(1, {n}) AS s(n)"))
    } else {
        (
            format!(
                "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {n})"
            ),
            "s".to_owned(),
        )
    }
}

/// The community code as a number, for spreading kinds and statuses.
fn code_number(conn: &DatabaseConnection, column: &str) -> String {
    let int = if postgres(conn) { "BIGINT" } else { "INTEGER" };
    format!("CAST({column} AS {int})")
}

/// Typed literals: PostgreSQL will not cast a text `CASE` result into a date column.
fn timestamp(conn: &DatabaseConnection, t: DateTime<Utc>) -> String {
    let text = t.format("%Y-%m-%d %H:%M:%S+00:00");
    if postgres(conn) {
        format!("TIMESTAMPTZ '{text}'")
    } else {
        format!("'{text}'")
    }
}

fn date(conn: &DatabaseConnection, d: NaiveDate) -> String {
    if postgres(conn) {
        format!("DATE '{d}'")
    } else {
        format!("'{d}'")
    }
}

/// The twelve months up to now's (local), oldest first, with the 10th of each at 02:00 UTC —
/// inside the same local month in every time zone.
fn months(now: DateTime<Utc>) -> Vec<(String, DateTime<Utc>)> {
    let local = now.with_timezone(&domain::clock::CHINA);
    let first = NaiveDate::from_ymd_opt(local.year(), local.month(), 1).expect("month");
    (0..12u32)
        .rev()
        .filter_map(|back| first.checked_sub_months(Months::new(back)))
        .map(|d| {
            let at = Utc
                .with_ymd_and_hms(d.year(), d.month(), 10, 2, 0, 0)
                .single()
                .expect("time");
            (format!("{:04}-{:02}", d.year(), d.month()), at)
        })
        .collect()
}

/// Adds one family of counters: `select` yields `(node_id, metric, value)` rows.
async fn counters(conn: &DatabaseConnection, select: &str) {
    run_sql(
        conn,
        &format!("INSERT INTO rollup_counts (node_id, metric, value) {select}"),
    )
    .await;
}

pub async fn load(conn: &DatabaseConnection, sizes: &Sizes, organiser: Uuid, now: DateTime<Utc>) {
    members(conn, sizes.members).await;
    activities(conn, sizes, organiser, now).await;
    signups(conn, sizes.signups).await;
    needs(conn, sizes.needs, now).await;
    meetings(conn, now).await;
    migrations::rebuild_totals(conn).await.expect("totals");
}

/// Members for every community: a skewed size from the community's code, categories and a few
/// lost-contact members spread by number; named 党员1, 党员2, … within the community.
async fn members(conn: &DatabaseConnection, average: u64) {
    let code = code_number(conn, "c.code");
    let size = format!("({average} / 2 + {average} * (({code} % 13) * ({code} % 13)) / 72)");
    let (with, s) = series(conn, average * 3);
    let created = timestamp(
        conn,
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .expect("time"),
    );
    run_sql(
        conn,
        &format!(
            "{with} INSERT INTO members (tenant_id, id, name, gender, created_at, category, status) \
             SELECT c.id, {id}, '党员' || s.n, CASE s.n % 2 WHEN 0 THEN '男' ELSE '女' END, \
             {created}, CASE s.n % 6 WHEN 0 THEN 'in_service' WHEN 1 THEN 'retired' \
             WHEN 2 THEN 'unemployed' WHEN 3 THEN 'floating' WHEN 4 THEN 'resident' \
             ELSE 'graduate' END, CASE WHEN s.n % 50 = 0 THEN 'lost_contact' ELSE 'normal' END \
             FROM org_nodes c JOIN {s} ON s.n <= {size} WHERE c.kind = 'community'",
            id = new_id(conn)
        ),
    )
    .await;
    for (metric, filter, group) in [
        ("'members'", "status <> 'transferred_out'", "tenant_id"),
        (
            "'members.category.' || category",
            "1 = 1",
            "tenant_id, category",
        ),
        ("'members.status.' || status", "1 = 1", "tenant_id, status"),
    ] {
        counters(
            conn,
            &format!(
                "SELECT tenant_id, {metric}, COUNT(*) FROM members WHERE {filter} GROUP BY {group}"
            ),
        )
        .await;
    }
}

/// Activities of every community for each of the twelve months (titled `活动 YYYY-MM`, so the
/// counters can group by month), one in twenty cancelled; 志愿服务 ones carry two hours.
async fn activities(conn: &DatabaseConnection, sizes: &Sizes, organiser: Uuid, now: DateTime<Utc>) {
    let code = code_number(conn, "c.code");
    let (with, s) = series(conn, sizes.activities_per_month);
    let organiser = if postgres(conn) {
        format!("'{organiser}'")
    } else {
        format!("X'{}'", organiser.simple())
    };
    for (i, (month, starts)) in months(now).into_iter().enumerate() {
        let (opens, ends) = (starts - Duration::days(7), starts + Duration::hours(2));
        let (starts, opens, ends) = (
            timestamp(conn, starts),
            timestamp(conn, opens),
            timestamp(conn, ends),
        );
        run_sql(
            conn,
            &format!(
                "{with} INSERT INTO activities (tenant_id, id, kind, title, venue, starts_at, \
                 ends_at, signup_opens_at, signup_closes_at, audience, points, volunteer_minutes, \
                 cancelled_at, organiser_user_id, created_at, confirmed_count, waitlist_seq) \
                 SELECT k.id, {id}, k.kind, '活动 {month}', '党群服务中心', {starts}, {ends}, \
                 {opens}, {starts}, 'all', 2, \
                 CASE k.kind WHEN 'volunteer' THEN 120 ELSE 0 END, \
                 CASE WHEN k.spread % 20 = 0 THEN {starts} END, {organiser}, {opens}, 0, 0 \
                 FROM (SELECT c.id, {code} + s.n + {i} AS spread, \
                       CASE ({code} + s.n + {i}) % 4 WHEN 0 THEN 'party_day' \
                       WHEN 1 THEN 'volunteer' WHEN 2 THEN 'study' ELSE 'party_lesson' END AS kind \
                       FROM org_nodes c JOIN {s} ON 1 = 1 WHERE c.kind = 'community') k",
                id = new_id(conn)
            ),
        )
        .await;
    }
    counters(
        conn,
        "SELECT tenant_id, 'act.' || kind || '.' || substr(title, 4), COUNT(*) FROM activities \
         WHERE cancelled_at IS NULL GROUP BY tenant_id, kind, title",
    )
    .await;
}

/// The first members of each roster sign up to every activity that was held; one in five
/// marks is 缺席.
async fn signups(conn: &DatabaseConnection, per_activity: u64) {
    let names: Vec<String> = (1..=per_activity).map(|n| format!("'党员{n}'")).collect();
    run_sql(
        conn,
        &format!(
            "INSERT INTO activity_signups (tenant_id, id, activity_id, member_id, state, \
             signed_up_at, attendance) \
             SELECT a.tenant_id, {id}, a.id, m.id, 'confirmed', a.created_at, \
             CASE WHEN (CAST(substr(m.name, 3) AS INTEGER) + {month}) % 5 = 0 THEN 'no_show' ELSE 'attended' END \
             FROM members m JOIN activities a ON a.tenant_id = m.tenant_id \
             WHERE m.name IN ({names}) AND a.cancelled_at IS NULL",
            id = new_id(conn),
            month = if postgres(conn) {
                "EXTRACT(MONTH FROM a.starts_at)::int"
            } else {
                "CAST(substr(a.starts_at, 6, 2) AS INTEGER)"
            },
            names = names.join(", ")
        ),
    )
    .await;
    let marks = "FROM activity_signups g JOIN activities a \
                 ON a.tenant_id = g.tenant_id AND a.id = g.activity_id \
                 WHERE a.cancelled_at IS NULL AND g.attendance IS NOT NULL";
    counters(
        conn,
        &format!(
            "SELECT a.tenant_id, 'att.marked.' || substr(a.title, 4), COUNT(*) {marks} \
             GROUP BY a.tenant_id, a.title"
        ),
    )
    .await;
    counters(
        conn,
        &format!(
            "SELECT a.tenant_id, 'att.attended.' || substr(a.title, 4), COUNT(*) {marks} \
             AND g.attendance = 'attended' GROUP BY a.tenant_id, a.title"
        ),
    )
    .await;
    counters(
        conn,
        &format!(
            "SELECT a.tenant_id, 'vol.minutes.' || substr(a.title, 4), SUM(a.volunteer_minutes) \
             {marks} AND g.attendance = 'attended' AND a.volunteer_minutes > 0 \
             GROUP BY a.tenant_id, a.title"
        ),
    )
    .await;
}

/// Needs of every community in the street's space, in every status; some escalated.
async fn needs(conn: &DatabaseConnection, per_community: u64, now: DateTime<Utc>) {
    let code = code_number(conn, "c.code");
    let (with, s) = series(conn, per_community);
    let today = date(conn, now.with_timezone(&domain::clock::CHINA).date_naive());
    run_sql(
        conn,
        &format!(
            "{with} INSERT INTO coop_needs (tenant_id, id, community_id, title, category, \
             urgency, wish, status, created_on, escalated_on) \
             SELECT c.parent_id, {id}, c.id, '需求 ' || s.n, 'elderly', 'normal', FALSE, \
             CASE ({code} + s.n) % 4 WHEN 0 THEN 'open' WHEN 1 THEN 'claimed' \
             WHEN 2 THEN 'delivered' ELSE 'done' END, {today}, \
             CASE WHEN s.n = 1 AND {code} % 3 = 0 THEN {today} END \
             FROM org_nodes c JOIN {s} ON 1 = 1 WHERE c.kind = 'community'",
            id = new_id(conn)
        ),
    )
    .await;
    counters(
        conn,
        "SELECT community_id, 'coop.needs.' || status, COUNT(*) FROM coop_needs \
         GROUP BY community_id, status",
    )
    .await;
    counters(
        conn,
        "SELECT community_id, 'coop.needs.escalated', COUNT(*) FROM coop_needs \
         WHERE escalated_on IS NOT NULL GROUP BY community_id",
    )
    .await;
}

/// A joint meeting of every street each quarter (minutes written), titled `联席会议 YYYY-MM`,
/// and one resolution for each of the street's communities, due a month later: a third
/// 已办结, the rest open (so some overdue).
async fn meetings(conn: &DatabaseConnection, now: DateTime<Utc>) {
    let code = code_number(conn, "c.code");
    for (month, at) in months(now).into_iter().step_by(3) {
        let held = at.date_naive();
        let due = held + Duration::days(30);
        let (held, due) = (date(conn, held), date(conn, due));
        run_sql(
            conn,
            &format!(
                "INSERT INTO coop_meetings (tenant_id, id, title, convener, held_on, starts_at, \
                 venue, minutes, minutes_on, created_on) \
                 SELECT t.id, {id}, '联席会议 {month}', '街道党工委', {held}, '09:00', \
                 '街道会议室', '会议纪要', {held}, {held} FROM org_nodes t WHERE t.kind = 'street'",
                id = new_id(conn)
            ),
        )
        .await;
        run_sql(
            conn,
            &format!(
                "INSERT INTO coop_resolutions (tenant_id, id, meeting_id, content, owner_kind, \
                 owner_community_id, owner_name, due_on, status, closed_on, created_on) \
                 SELECT c.parent_id, {id}, m.id, '议定事项', 'community', c.id, c.name, {due}, \
                 CASE {code} % 3 WHEN 0 THEN 'done' WHEN 1 THEN 'in_progress' \
                 ELSE 'not_started' END, CASE WHEN {code} % 3 = 0 THEN {due} END, {held} \
                 FROM org_nodes c JOIN coop_meetings m ON m.tenant_id = c.parent_id \
                 AND m.title = '联席会议 {month}' WHERE c.kind = 'community'",
                id = new_id(conn)
            ),
        )
        .await;
    }
    counters(
        conn,
        "SELECT tenant_id, 'coop.meetings.' || substr(title, 6), COUNT(*) FROM coop_meetings \
         GROUP BY tenant_id, title",
    )
    .await;
    counters(
        conn,
        "SELECT owner_community_id, 'coop.res.total', COUNT(*) FROM coop_resolutions \
         GROUP BY owner_community_id",
    )
    .await;
    counters(
        conn,
        "SELECT owner_community_id, 'coop.res.done', COUNT(*) FROM coop_resolutions \
         WHERE status = 'done' GROUP BY owner_community_id",
    )
    .await;
    counters(
        conn,
        "SELECT owner_community_id, 'coop.res.open_due.' || CAST(due_on AS TEXT), COUNT(*) \
         FROM coop_resolutions WHERE status <> 'done' GROUP BY owner_community_id, due_on",
    )
    .await;
}
