#!/usr/bin/env python3
"""HTTP benchmark of the real server (scripts/bench-http builds it and seeds the database).

Signed in as each role, over real HTTP on loopback, every page is driven by wrk (closed loop,
16 connections) beside `/healthz` (one database ping) and a static file in the same run, so the
figures are ratios that survive a noisy machine. Then the writes: a member's signup and its
cancellation, and a check-in, by 16 members at once (one connection each), then the signup pair
again open loop (a fixed arrival rate at half the maximum, latency counted from when each
request was due). Prints one Markdown table; exits non-zero if any answer was wrong.
"""
import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crash_test import Client, Server, china, request  # noqa: E402

CONNECTIONS = 16
MEMBERS = [f"bench-m{n:02}" for n in range(1, CONNECTIONS + 1)]


def wrk(url, seconds, headers=(), script=None, env=None, threads=2, connections=CONNECTIONS):
    """Runs wrk; returns requests/s, p50 and p99 in ms, and the failures it saw."""
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True,
                         env=dict(os.environ, **(env or {}))).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    dist = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    bad += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    failed = re.search(r"bench-failed: (\d+)", out)
    if failed:  # form posts answer with redirects: the script judges them
        bad = int(failed.group(1)) + sum(
            int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    if bad:  # say what it was: wrong answers (the script's lines) or socket errors
        for line in out.splitlines():
            if line.startswith("bench-failure") or "Socket errors" in line or "Non-2xx" in line:
                print(f"  {url}: {line.strip()}", file=sys.stderr)
    return rate, ms(dist["50"]), ms(dist["99"]), bad


def ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def raw_get(port, path, cookie=None, encoding=None):
    """Status and body length as sent (compressed when `encoding` is asked for)."""
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Accept": "text/html"}
    if cookie:
        headers["Cookie"] = cookie
    if encoding:
        headers["Accept-Encoding"] = encoding
    conn.request("GET", path, headers=headers)
    reply = conn.getresponse()
    body = reply.read()
    conn.close()
    return reply.status, len(body), body


async def open_loop(port, cookies, path, bodies, rate, seconds):
    """Requests due at a fixed rate, spread over the people in turn; each person's requests go
    one after another on their own connection. Latency is from when a request was due."""
    queues = [asyncio.Queue() for _ in cookies]
    latencies, failures = [], [0]

    async def person(i):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        sent = 0
        while True:
            due = await queues[i].get()
            if due is None:
                break
            body = bodies[sent % len(bodies)].encode()
            sent += 1
            head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                    f"Origin: http://127.0.0.1:{port}\r\nReferer: http://127.0.0.1:{port}/\r\n"
                    f"Accept: text/html\r\nCookie: {cookies[i]}\r\n"
                    "Content-Type: application/x-www-form-urlencoded\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n")
            writer.write(head.encode() + body)
            await writer.drain()
            headers = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            length = re.search(r"(?im)^content-length:\s*(\d+)", headers)
            if length:
                await reader.readexactly(int(length.group(1)))
            elif re.search(r"(?im)^transfer-encoding:\s*chunked", headers):
                while True:
                    size = int((await reader.readline()).strip() or b"0", 16)
                    await reader.readexactly(size + 2)
                    if size == 0:
                        break
            latencies.append(time.monotonic() - due)
            if "saved=1" not in headers:
                failures[0] += 1
        writer.close()

    workers = [asyncio.create_task(person(i)) for i in range(len(cookies))]
    start = time.monotonic()
    total = int(rate * seconds)
    for n in range(total):
        due = start + n / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        queues[n % len(cookies)].put_nowait(due)
    for q in queues:
        q.put_nowait(None)
    await asyncio.gather(*workers)
    latencies.sort()
    pick = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000
    return total / (time.monotonic() - start), pick(0.50), pick(0.99), failures[0]


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        fields = dict(line.split(":", 1) for line in f)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--engine", required=True)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--owner-url")
    ap.add_argument("--port", type=int, default=3450)
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--log", help="where the server's warnings and errors go")
    args = ap.parse_args()
    port, secs = args.port, args.seconds
    env = dict(os.environ, GONGJIAN_MODE="dev", LEPTOS_SITE_ADDR=f"127.0.0.1:{port}",
               DATABASE_URL=args.database_url, RUST_LOG="warn",
               SESSION_SECRET="bench-http-" + "p3Lx8Vn1Qc6Rw2Tz9Ks4Hb7Jd0Fm5Ga" * 2,
               LEPTOS_SITE_ROOT="target/site", DEMO_PASSWORD="Demo@2026",
               # Every client signs in from 127.0.0.1 (the per-address limit is 20 a minute).
               LOGIN_ATTEMPTS_PER_MINUTE="600")
    if args.owner_url:
        env["DATABASE_OWNER_URL"] = args.owner_url
    seed = subprocess.run([args.binary, "seed-demo", "--bench-load"], env=env,
                          capture_output=True, text=True)
    if seed.returncode != 0:
        raise SystemExit(f"seeding failed: {seed.stderr[-500:]}")
    if args.owner_url:
        # Statistics as autovacuum would soon leave them: read before it catches up, the
        # planner takes the seeded community for a few rows (a sort of 2,000 ids for a page).
        subprocess.run(["psql", "-q", args.owner_url, "-c", "VACUUM (ANALYZE)"], check=True,
                       env=dict(os.environ, PGOPTIONS="-c client_min_messages=error"))
    # The server's warnings and errors (a wrong answer's reason) go to a log beside the run.
    log = open(args.log, "w") if args.log else None
    server = Server(args.binary, env, port, log)
    server.start()
    base = f"http://127.0.0.1:{port}"
    try:
        rows, failed = run(server, port, base, secs)
    finally:
        server.stop()
    # Every seat taken or given back is in the counters the pages show, none lost or doubled.
    reconcile = subprocess.run([args.binary, "reconcile"], env=env, capture_output=True,
                               text=True)
    if reconcile.returncode != 0:
        failed += 1
        print(f"reconcile found differences: {reconcile.stdout[-500:]}")
    print(f"\n### {args.engine}: {CONNECTIONS} connections, {secs} s each "
          f"(wrk, release build)\n")
    print("| request | as | req/s | share of /healthz | p50 ms | p99 ms | bytes (sent / raw) |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(r)
    if failed:
        raise SystemExit(f"{failed} answers failed (refused, wrong, or over wrk's 2 s timeout)")


def run(server, port, base, secs):
    clients = {login: Client(port, login) for login in
               ["changjiang", "zhanqian", "jinjialing", "quwei", "dangyuan", "zhibu"] + MEMBERS}
    for c in clients.values():
        c.sign_in()
    node = {}
    for login, c in clients.items():
        status, headers, _ = request(port, "GET", "/", cookie=c.cookie)
        found = re.search(r"/org/([0-9a-f-]{36})", headers.get("location") or headers.get("Location") or "")
        if found:
            node[login] = found.group(1)
    community, street, big_street = node["changjiang"], node["zhanqian"], node["jinjialing"]
    signup, checkin = bench_activities(clients, community)
    # The stylesheet under the name this build gave it (content hash).
    _, _, login_page = request(port, "GET", "/login")
    css = re.search(r'href="(/pkg/[^"]+\.css)"', login_page).group(1)

    pages = [
        ("`/healthz`", None, "/healthz"),
        ("static file (the stylesheet)", None, css),
        ("`/login` (no session)", None, "/login"),
        ("community home", "changjiang", f"/org/{community}"),
        ("roster, ~2,000 members", "changjiang", f"/org/{community}/members"),
        ("roster search", "changjiang", f"/org/{community}/members?q=%E7%8E%8B"),
        ("activities", "changjiang", f"/org/{community}/activities"),
        ("roster of one branch", "zhibu", f"/org/{community}/members"),
        ("activities", "dangyuan", f"/org/{community}/activities"),
        ("activity page", "dangyuan", f"/org/{community}/activities/{signup}"),
        ("message centre", "dangyuan", f"/org/{community}/messages"),
        ("street home", "zhanqian", f"/org/{street}"),
        ("street meetings", "zhanqian", f"/org/{street}/meetings"),
        ("street dashboard", "zhanqian", f"/org/{street}/dashboard"),
        ("dashboard workbook (.xlsx)", "zhanqian", f"/org/{street}/dashboard.xlsx"),
        ("street home, 32 communities", "jinjialing", f"/org/{big_street}"),
        ("street dashboard, 32 communities", "jinjialing", f"/org/{big_street}/dashboard"),
        ("district dashboard", "quwei", f"/org/{node['quwei']}/dashboard"),
        ("`/healthz` again", None, "/healthz"),
    ]
    results, failed = [], 0
    for label, login, path in pages:
        cookie = clients[login].cookie if login else None
        status, raw, body = raw_get(port, path, cookie)
        if status != 200 or (login and b'action="/api/login"' in body):
            raise SystemExit(f"{path} as {login}: {status}, not the page")
        # As a browser asks (Chromium's header): pages come gzipped, build files as brotli.
        accepts = "gzip, deflate, br, zstd"
        _, sent, _ = raw_get(port, path, cookie, accepts)
        headers = ["Accept: text/html", f"Accept-Encoding: {accepts}"]
        if cookie:
            headers.append(f"Cookie: {cookie}")
        rate, p50, p99, bad = wrk(base + path, secs, headers)
        failed += bad
        results.append((label, login or "–", rate, p50, p99, f"{sent:,} / {raw:,}", bad))

    # wrk stops each person mid-sequence: everyone starts each write run signed out again.
    def reset():
        for m in MEMBERS:
            clients[m].post("/api/activities/signup",
                            {"node": community, "activity": signup, "action": "leave"})

    cookies = " ".join(clients[m].cookie for m in MEMBERS)
    pair = [f"node={community}&activity={signup}&action=join",
            f"node={community}&activity={signup}&action=leave"]
    lua = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench_http.lua")
    posts = {"BENCH_COOKIES": cookies, "BENCH_ORIGIN": base,
             "BENCH_PATH": "/api/activities/signup", "BENCH_BODIES": "|".join(pair)}
    reset()
    most, p50, p99, bad = wrk(base + "/api/activities/signup", secs, script=lua, env=posts,
                              threads=CONNECTIONS)
    failed += bad
    results.append(("signup, then cancel (closed loop)", "16 members", most, p50, p99, "", bad))
    code = checkin_code(clients["changjiang"], community, checkin)
    posts.update(BENCH_PATH="/api/activities/check_in",
                 BENCH_BODIES=f"node={community}&activity={checkin}&code={code}")
    rate, p50, p99, bad = wrk(base + "/api/activities/check_in", secs, script=lua, env=posts,
                              threads=CONNECTIONS)
    failed += bad
    results.append(("check-in (first real, then 已签到)", "16 members", rate, p50, p99, "", bad))
    reset()
    rate, p50, p99, bad = asyncio.run(open_loop(
        port, [clients[m].cookie for m in MEMBERS], "/api/activities/signup", pair,
        most / 2, secs))
    failed += bad
    results.append((f"signup, then cancel, open loop at {most / 2:.0f}/s", "16 members",
                    rate, p50, p99, "", bad))

    fanout, failed_notices = street_notices(clients["jinjialing"], big_street)
    failed += failed_notices

    health = statistics.mean(r[2] for r in results if r[0].startswith("`/healthz`"))
    rss, peak = rss_mb(server.proc.pid)
    rows = [f"| {label} | {who} | {rate:,.0f} | {100 * rate / health:.1f} % | {p50:.1f} | "
            f"{p99:.1f} | {size} |" + (f" **{bad} failed**" if bad else "")
            for label, who, rate, p50, p99, size, bad in results]
    rows.append(fanout)
    rows.append(f"| server memory after the run | | | | | | RSS {rss:.0f} MB, peak {peak:.0f} MB |")
    return rows, failed


def street_notices(staff, street, times=5):
    """The street's staff send `times` notices to every member of its 32 communities: each is
    written with a message per recipient in one transaction, timed over HTTP. A Markdown row,
    and how many were refused or reached fewer than all."""
    took, failed, reached = [], 0, 0
    for n in range(times):
        started = time.perf_counter()
        status, location = staff.multipart(f"/org/{street}/notices/publish", {
            "title": f"压测通知 {n + 1}", "audience": "all_members",
            "body": "请各社区党员按时参加本月主题党日活动。\n详见 https://example.org/notice"})
        took.append(1000 * (time.perf_counter() - started))
        found = re.search(r"/notices/([0-9a-f-]{36})\?done=published", location or "")
        if not found:
            failed += 1
            print(f"  notice {n + 1} refused: {status} {location}", file=sys.stderr)
            continue
        _, _, page = staff.get(f"/org/{street}/notices/{found.group(1)}")
        count = re.search(r"接收人数</dt>\s*<dd>\D{0,20}?(\d+)", page)
        reached = int(count.group(1)) if count else 0
        if reached < 4_900:
            failed += 1
            print(f"  notice {n + 1} reached {reached}", file=sys.stderr)
    took.sort()
    row = (f"| street notice to all members of 32 communities ({reached:,} people): publish | "
           f"jinjialing | – | – | {statistics.median(took):.0f} | {took[-1]:.0f} (slowest of "
           f"{times}) | |" + (f" **{failed} failed**" if failed else ""))
    return row, failed


def bench_activities(clients, community):
    """An open activity with room for everyone, and one starting in 15 minutes (check-in open)
    that the members signed up for."""
    ids = []
    for title, start, end in [("压测报名活动", 60 * 24, 60 * 26), ("压测签到活动", 15, 120)]:
        status, location = clients["changjiang"].post("/api/activities/save", {
            "node": community, "activity": "", "kind": "volunteer", "title": title,
            "venue": "党群服务中心", "starts_at": china(start), "ends_at": china(end),
            "capacity": "1000", "signup_opens_at": china(-60 * 24),
            "signup_closes_at": china(end), "audience": "all", "points": "1",
            "volunteer_hours": "1"})
        found = re.search(r"/activities/([0-9a-f-]{36})\?saved=1", location)
        if not found:
            raise SystemExit(f"could not publish {title}: {status} {location}")
        ids.append(found.group(1))
    for m in MEMBERS:
        _, location = clients[m].post("/api/activities/signup", {
            "node": community, "activity": ids[1], "action": "join"})
        if "saved=1" not in location:
            raise SystemExit(f"{m} could not sign up: {location}")
    return ids


def checkin_code(secretary, community, activity):
    _, _, page = secretary.get(f"/org/{community}/activities/{activity}/code")
    found = re.search(r'class="checkin-code"[^>]*>(\d{6})<', page)
    if not found:
        raise SystemExit("no check-in code on the code page")
    return found.group(1)


if __name__ == "__main__":
    main()
