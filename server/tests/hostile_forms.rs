//! Every form survives hostile input. On the demo district, every role's pages are walked and
//! every form found on them is collected; each form is then posted by every role with hostile
//! values (10,000 characters, control characters, RTL overrides, markup, emoji, impossible
//! dates, huge and negative numbers, malformed and foreign ids). Each answer must be a redirect
//! or a 4xx, never a 5xx; a refusal sent back to its form names a localised reason and leaves
//! every table's row count as it was; and afterwards no page renders the markup as markup.
//! SQLite only: the answers do not depend on the engine, and the walls have their own tests.
mod support;

use domain::tenancy::Commit;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

use domain::testing::{fresh, Engine};
use regex::Regex;
use sea_orm::{ConnectionTrait, Statement};
use support::*;

const DEMO_PASSWORD: &str = "Demo@2026";
const ROLES: [&str; 9] = [
    "admin",
    "quwei",
    "zhanqian",
    "changjiang",
    "dandong",
    "dangyuan",
    "wangxiulan",
    "liuchunsheng",
    "yiqi",
];
const MARKER: &str = "gongjianxss";

fn hostile_values() -> Vec<String> {
    vec![
        format!("<script>{MARKER}()</script><img src=x onerror={MARKER}()>"),
        "\u{0}\u{7}\u{1b}[31m\r控制字符".to_owned(),
        "\u{202E}\u{2067}مرحبا RTL".to_owned(),
        "😀👩‍👩‍👧‍👦🇨🇳".to_owned(),
        "2026-02-30".to_owned(),
        "-99999999999999999999".to_owned(),
        "99999999999999999999".to_owned(),
        "'; DROP TABLE members; --".to_owned(),
        "字".repeat(10_000),
    ]
}

/// Field names of server functions, for those whose form the walk may not meet.
const EXTRA_NAMES: &[&str] = &[
    "node",
    "community",
    "activity",
    "member",
    "meeting",
    "need",
    "project",
    "resolution",
    "unit",
    "team",
    "signup",
    "entry",
    "commitment",
    "agreement",
    "report",
    "item",
    "invitee",
    "kind",
    "action",
    "decision",
    "proposal",
    "done",
    "reason",
    "note",
    "code",
    "year",
    "months",
    "rule",
    "points",
    "title",
    "detail",
    "evidence",
    "status",
    "outcome",
    "served",
    "approve",
    "branch",
];

/// An activity starting soon in 长江路社区 with a member signed up, so the walk meets the
/// signup, withdrawal and check-in forms (the demo's activities are past).
async fn upcoming_activity(t: &TestDb) {
    use domain::auth::{users, Principal};
    let principal = |login: &'static str| async move {
        let user = users::find_by_login(&t.db, login)
            .await
            .expect("user")
            .expect("demo account");
        Principal::load(&t.db, user.id)
            .await
            .expect("principal")
            .expect("roles")
    };
    let secretary = principal("changjiang").await;
    let community = secretary.assignments[0].node.id;
    let staff = secretary
        .tenant_scope(&t.db, community)
        .await
        .expect("scope");
    let now = chrono::Utc::now();
    let soon = domain::activities::ActivityInput {
        starts_at: domain::testing::local_field(now + chrono::Duration::minutes(10)),
        ends_at: domain::testing::local_field(now + chrono::Duration::minutes(130)),
        signup_closes_at: domain::testing::local_field(now + chrono::Duration::minutes(10)),
        capacity: "1".into(),
        ..domain::testing::activity_tomorrow("主题党日：重温入党誓词", "")
    };
    let tx = staff.write(&t.db).await.expect("tx");
    let id = domain::activities::save_activity(&tx, None, &soon, now)
        .await
        .expect("published");
    tx.commit().await.expect("commit");
    let member = principal("dangyuan").await;
    let own = member.tenant_scope(&t.db, community).await.expect("own");
    let tx = own.write(&t.db).await.expect("tx");
    domain::activities::sign_up(&tx, id, now)
        .await
        .expect("signed up");
    tx.commit().await.expect("commit");
}

#[derive(Clone, Debug)]
struct Form {
    action: String,
    /// Name and the value the page gave it (hidden ids, chosen options).
    fields: Vec<(String, String)>,
}

async fn sign_in(router: &Router, login: &str) -> String {
    let reply = send(
        router,
        form_post(
            "/api/login",
            format!("login={login}&password={}", enc(DEMO_PASSWORD)),
            None,
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FOUND, "{login}");
    reply.cookie.expect("session")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let re = Regex::new(&format!(r#"\s{name}="([^"]*)""#)).expect("regex");
    re.captures(tag)
        .map(|c| c[1].replace("&amp;", "&").replace("&quot;", "\""))
}

/// The forms posting to a server function, with their fields.
fn forms(html: &str) -> Vec<Form> {
    let form_re = Regex::new(r"(?s)<form\b([^>]*)>(.*?)</form>").expect("regex");
    let field_re =
        Regex::new(r"(?s)<(input|textarea|select)\b([^>]*)>(?:(.*?)</select>)?").expect("regex");
    let option_re = Regex::new(r#"<option\b[^>]*value="([^"]*)""#).expect("regex");
    let mut out = Vec::new();
    for form in form_re.captures_iter(html) {
        let head = &form[1];
        let Some(action) = attr(head, "action").filter(|a| a.starts_with("/api/")) else {
            continue;
        };
        let mut fields = Vec::new();
        for field in field_re.captures_iter(&form[2]) {
            let tag = &field[2];
            let Some(name) = attr(tag, "name") else {
                continue;
            };
            let value = match &field[1] {
                "select" => field
                    .get(3)
                    .and_then(|options| option_re.captures(options.as_str()))
                    .map(|c| c[1].to_owned())
                    .unwrap_or_default(),
                _ => attr(tag, "value").unwrap_or_default(),
            };
            fields.push((name, value));
        }
        out.push(Form { action, fields });
    }
    out
}

/// Walks a role's pages from `/` (one page per path shape), collecting forms by action.
async fn walk(router: &Router, cookie: &str, found: &mut BTreeMap<String, Form>) -> Vec<String> {
    let link_re = Regex::new(r##"href="(/[^"#]*)"##).expect("regex");
    let id_re =
        Regex::new(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").expect("regex");
    let value_re = Regex::new(r"=[^&]*").expect("regex");
    let mut seen = BTreeSet::new();
    let mut shapes: BTreeMap<String, usize> = BTreeMap::new();
    let mut pages = Vec::new();
    let mut queue = VecDeque::from(["/".to_owned()]);
    while let Some(path) = queue.pop_front() {
        let path = path.replace("&amp;", "&");
        // A few pages of each shape (one activity may offer forms another does not).
        let shape = id_re.replace_all(&path, ":id").into_owned();
        let shape = value_re.replace_all(&shape, "=").into_owned();
        let count = shapes.entry(shape).or_default();
        if !seen.insert(path.clone()) || *count >= 6 || pages.len() >= 250 {
            continue;
        }
        *count += 1;
        let reply = send(router, get(&path, Some(cookie))).await;
        assert!(reply.status.as_u16() < 500, "GET {path}: {}", reply.status);
        if reply.status.is_redirection() {
            // Home sends each role to its own unit.
            queue.extend(reply.location.filter(|l| l.starts_with('/')));
            continue;
        }
        if reply.status != StatusCode::OK {
            continue;
        }
        pages.push(path.clone());
        for form in forms(&reply.body) {
            found.entry(form.action.clone()).or_insert(form);
        }
        for link in link_re.captures_iter(&reply.body) {
            let link = link[1].to_owned();
            let download = [".xlsx", ".ics", ".svg", ".css", ".js", ".wasm"]
                .iter()
                .any(|ext| link.ends_with(ext));
            if !download && !link.starts_with("/pkg/") && !link.starts_with("/api/") {
                queue.push_back(link);
            }
        }
    }
    pages
}

/// Every table's row count, in one query.
async fn row_counts(conn: &sea_orm::DatabaseConnection) -> BTreeMap<String, i64> {
    let names: Vec<String> = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1",
        ))
        .await
        .expect("tables")
        .into_iter()
        .filter_map(|r| r.try_get::<String>("", "name").ok())
        // What a refused request may still write: its audit line, the session, the counters
        // of failed logins and of wrong check-in codes (kept on purpose).
        .filter(|n| !["audit_log", "sessions", "login_failures"].contains(&n.as_str()))
        .collect();
    let sql = names
        .iter()
        .map(|n| format!("SELECT '{n}' AS name, count(*) AS n FROM \"{n}\""))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .expect("counts")
        .into_iter()
        .map(|r| {
            (
                r.try_get::<String>("", "name").expect("name"),
                r.try_get::<i64>("", "n").expect("n"),
            )
        })
        .collect()
}

fn body_of(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn is_id(value: &str) -> bool {
    uuid::Uuid::parse_str(value).is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_form_survives_hostile_input_from_every_role() {
    let t = fresh(Engine::Sqlite).await.expect("sqlite");
    let divisions =
        std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("run by cargo"))
            .join("../data/china-communities.csv.gz");
    domain::demo::seed(&t.db, &divisions, DEMO_PASSWORD)
        .await
        .expect("demo");
    upcoming_activity(&t).await;
    let cfg = config();
    let router =
        server::router::build(&cfg, server::router::app_state(&cfg, t.db.clone())).expect("router");

    let reader = sea_orm::Database::connect(&t.app_url)
        .await
        .expect("reader");
    let alert_re = Regex::new(r#"role="alert"[^>]*>([^<]*)<"#).expect("regex");
    let mut found = BTreeMap::new();
    let login_page = send(&router, get("/login", None)).await;
    for form in forms(&login_page.body) {
        found.entry(form.action.clone()).or_insert(form);
    }
    let mut cookies = BTreeMap::new();
    let mut owner_of = BTreeMap::new();
    for role in ROLES {
        let cookie = sign_in(&router, role).await;
        let before: BTreeSet<String> = found.keys().cloned().collect();
        walk(&router, &cookie, &mut found).await;
        for action in found.keys().filter(|a| !before.contains(*a)) {
            owner_of.insert(action.clone(), role);
        }
        cookies.insert(role, cookie);
    }
    // Server functions whose form the walk did not meet (it shows only for some state of the
    // data) are posted with every field name any form uses, so every endpoint is hit.
    let endpoints: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    assert!(found.len() >= 30, "{} forms found", found.len());
    let mut names: BTreeSet<String> = found
        .values()
        .flat_map(|f| f.fields.iter().map(|(n, _)| n.clone()))
        .collect();
    names.extend(EXTRA_NAMES.iter().map(|n| n.to_string()));
    let own_node = found
        .values()
        .flat_map(|f| f.fields.iter())
        .find(|(n, v)| n == "node" && is_id(v))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let unmet: Vec<String> = endpoints
        .iter()
        .filter(|e| !found.contains_key(*e))
        .cloned()
        .collect();
    for endpoint in unmet {
        let fields = names
            .iter()
            .map(|n| {
                (
                    n.clone(),
                    if n == "node" {
                        own_node.clone()
                    } else {
                        String::new()
                    },
                )
            })
            .collect();
        found.insert(
            endpoint.clone(),
            Form {
                action: endpoint,
                fields,
            },
        );
    }
    // Logging out would end the walk.
    found.remove("/api/logout");

    let foreign = uuid::Uuid::now_v7().to_string();
    let mut posts = 0;
    for (action, form) in &found {
        for role in ROLES {
            let cookie = &cookies[role];
            let owner = owner_of.get(action) == Some(&role);
            let mut variants: Vec<(String, Option<&str>)> =
                hostile_values().into_iter().map(|v| (v, None)).collect();
            if owner {
                variants.push(("测试".to_owned(), Some("../../etc/passwd")));
            } else {
                // Anyone else: markup, and another tenant's (unknown) id.
                variants.truncate(1);
            }
            variants.push(("测试".to_owned(), Some(foreign.as_str())));
            for (text, id) in variants {
                let fields: Vec<(String, String)> = form
                    .fields
                    .iter()
                    .map(|(name, value)| {
                        let value = match (is_id(value), id) {
                            (true, Some(id)) => id.to_owned(),
                            (true, None) => value.clone(),
                            (false, _) if name == "back" => value.clone(),
                            (false, _) => text.clone(),
                        };
                        (name.clone(), value)
                    })
                    .collect();
                let counts = row_counts(&reader).await;
                let reply = send(&router, form_post(action, body_of(&fields), Some(cookie))).await;
                posts += 1;
                let status = reply.status.as_u16();
                assert!(
                    status < 500,
                    "{role} {action} answered {status}: {}",
                    &reply.body.chars().take(300).collect::<String>()
                );
                let location = reply.location.clone().unwrap_or_default();
                let refused = if (300..400).contains(&status) {
                    if location.contains("saved=1") || location.starts_with("/login") {
                        false
                    } else {
                        let page = send(&router, get(&location, Some(cookie))).await;
                        let alert = alert_re.captures(&page.body).map(|c| c[1].to_owned());
                        if let Some(message) = &alert {
                            for key in ["field.", "reason.", "error."] {
                                assert!(
                                    !message.contains(key),
                                    "{role} {action}: untranslated reason {message:?}"
                                );
                            }
                        }
                        alert.is_some()
                    }
                } else {
                    true
                };
                if refused {
                    assert_eq!(
                        row_counts(&reader).await,
                        counts,
                        "{role} {action} was refused ({status} {location}) but wrote"
                    );
                }
            }
        }
    }
    assert!(posts > 500, "{posts} posts");
    eprintln!("{} forms, {posts} hostile posts", found.len());

    // Whatever was saved is shown as text, never as markup.
    for role in ROLES {
        let mut none = BTreeMap::new();
        for page in walk(&router, &cookies[role], &mut none).await {
            let body = send(&router, get(&page, Some(&cookies[role]))).await.body;
            assert!(
                !body.contains(&format!("<script>{MARKER}"))
                    && !body.contains(&format!("<img src=x onerror={MARKER}")),
                "{role} {page} renders the markup"
            );
        }
    }
}
