//! Roster benchmark (not a test): import 5,000 and 50,000 rows, then request the roster page of
//! the 50,000-member community with filters, against a bare axum handler in the same run.
//! Run with `scripts/bench-roster` (SQLite, and PostgreSQL when GONGJIAN_TEST_PG is set).
mod common;

use domain::tenancy::Commit;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{to_bytes, Body};
use axum::routing::get;
use axum::Router;
use common::{ms, percentile};
use domain::members;
use domain::testing::{fresh, today, world, Engine};
use http::{header, Request, StatusCode};
use tower::ServiceExt;

const CATEGORIES: [&str; 6] = [
    "在职",
    "离退休",
    "下岗失业",
    "流动",
    "自管居民",
    "高校毕业生待就业",
];
const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: [&str; 10] = [
    "秀兰", "建华", "桂英", "志刚", "玉梅", "国庆", "淑珍", "春生", "丽娟", "德明",
];

fn roster_csv(rows: usize, phone_base: u64) -> Vec<u8> {
    let mut out = String::from("姓名,性别,出生日期,手机号,入党日期,党员分类,楼栋,单元,室\n");
    for i in 0..rows {
        out.push_str(&format!(
            "{}{}{},{},{}-0{}-1{},{},{}-07-01,{},{}号楼,{}单元,{}0{}\n",
            SURNAMES[i % 10],
            GIVEN[(i / 10) % 10],
            i,
            if i % 2 == 0 { "男" } else { "女" },
            1940 + i % 60,
            1 + i % 9,
            i % 9,
            phone_base + i as u64,
            1960 + i % 60,
            CATEGORIES[i % 6],
            1 + i % 30,
            1 + i % 4,
            1 + i % 6,
            1 + i % 4
        ));
    }
    out.into_bytes()
}

async fn timed_requests(router: &Router, paths: &[String], cookie: &str) -> (Duration, Duration) {
    let mut times = Vec::with_capacity(paths.len());
    for path in paths {
        let request = Request::get(path)
            .header(header::HOST, "bench.test")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .expect("request");
        let started = Instant::now();
        let response = router.clone().oneshot(request).await.expect("response");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let _ = to_bytes(response.into_body(), 16 << 20)
            .await
            .expect("body");
        times.push(started.elapsed());
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95))
}

async fn run(engine: Engine) {
    let Some(t) = fresh(engine).await else {
        println!("{engine:?}: skipped (no PostgreSQL configured)");
        return;
    };
    let w = world(&t.db).await;
    let mut results = Vec::new();
    for (login, community, rows, phone_base) in [
        ("worker_b", w.community_b.id, 5_000, 13_000_000_000u64),
        ("secretary_a", w.community_a.id, 50_000, 15_000_000_000u64),
    ] {
        let p = w.principal(&t.db, login).await;
        let scope = p.manage_scope(&t.db, community).await.expect("scope");
        let file = roster_csv(rows, phone_base);
        let started = Instant::now();
        let sheet = members::read_file(&file).expect("file");
        let tx = scope.write(&t.db).await.expect("tx");
        let report = members::import(&tx, Arc::new(sheet), today(), Arc::new(|_, _| {}))
            .await
            .expect("import");
        tx.commit().await.expect("commit");
        assert_eq!(report.imported, rows, "{:?}", report.rejected.first());
        results.push(format!(
            "import {rows} rows: {:.2} s",
            started.elapsed().as_secs_f64()
        ));
    }

    let (router, cookie) = common::signed_in(&t.db, "secretary_a").await;
    let base = format!("/org/{}/members", w.community_a.id);
    let paths: Vec<String> = (0..200)
        .map(|i| match i % 4 {
            0 => format!("{base}?page={}", 1 + i % 900),
            1 => format!("{base}?category=floating&page={}", 1 + i % 150),
            2 => format!("{base}?q=%E7%8E%8B%E7%A7%80%E5%85%B0{}", i % 50),
            _ => format!("{base}?category=retired&q=%E6%9D%8E&page=2"),
        })
        .collect();
    let (p50, p95) = timed_requests(&router, &paths, &cookie).await;
    results.push(format!(
        "roster page, 50,000 members, 200 filtered requests: p50 {}, p95 {}",
        ms(p50),
        ms(p95)
    ));
    // The same requests by kind, to see which filter costs what.
    for (kind, label) in ["pages", "category", "name search", "category + search"]
        .iter()
        .enumerate()
    {
        let some: Vec<String> = paths.iter().skip(kind).step_by(4).cloned().collect();
        let (p50, p95) = timed_requests(&router, &some, &cookie).await;
        results.push(format!("  {label}: p50 {}, p95 {}", ms(p50), ms(p95)));
    }

    let bare = Router::new().route("/bare", get(|| async { "ok" }));
    let bare_paths = vec!["/bare".to_owned(); 200];
    let (b50, b95) = timed_requests(&bare, &bare_paths, "x=y").await;
    results.push(format!(
        "bare axum handler, same run: p50 {}, p95 {}",
        ms(b50),
        ms(b95)
    ));
    for line in results {
        println!("{engine:?}: {line}");
    }
}

#[tokio::main]
async fn main() {
    run(Engine::Sqlite).await;
    run(Engine::Postgres).await;
}
