//! The real binary: first start on an empty SQLite file (migrate, seed the demo, print the
//! accounts), /healthz, graceful shutdown on SIGTERM, and refusing production without a secret.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn repo_file(path: &str) -> PathBuf {
    // Read when the test runs: the binary may be built in another checkout sharing the target.
    PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("run by cargo"))
        .join("..")
        .join(path)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply).ok()?;
    Some(reply)
}

#[test]
fn first_start_seeds_the_demo_and_sigterm_stops_cleanly() {
    let dir = std::env::temp_dir().join(format!("gongjian-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/g.db?mode=rwc", dir.display()),
        )
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("DIVISIONS_FILE", repo_file("data/china-communities.csv.gz"))
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start server");

    let deadline = Instant::now() + Duration::from_secs(60);
    let health = loop {
        if let Some(reply) = get(port, "/healthz") {
            break reply;
        }
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(
        health.starts_with("HTTP/1.1 200") && health.ends_with("ok"),
        "{health}"
    );
    let login = get(port, "/login").expect("login page");
    assert!(login.contains("<html lang=\"zh-CN\"") && login.contains("登录"));

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("wait") {
            break exit;
        }
        assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(exit.success(), "clean exit: {exit:?}");

    let stdout: Vec<String> = BufReader::new(child.stdout.take().expect("stdout"))
        .lines()
        .map_while(Result::ok)
        .collect();
    let printed = stdout.join("\n");
    assert!(
        printed.contains("演示账号 / demo accounts (password: Demo@2026)"),
        "{printed}"
    );
    for login in [
        "admin",
        "quwei",
        "zhanqian",
        "changjiang",
        "dandong",
        "dangyuan",
    ] {
        assert!(printed.contains(login), "{login} printed");
    }
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read stderr");
    assert!(stderr.contains("shutdown signal received"), "{stderr}");
    assert!(dir.join("g.db").exists());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn production_mode_refuses_to_start_without_a_session_secret() {
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env_clear()
        .env("GONGJIAN_MODE", "production")
        .env("DATABASE_URL", "sqlite::memory:")
        .output()
        .expect("run server");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("SESSION_SECRET is required in production mode"),
        "{stderr}"
    );
}
