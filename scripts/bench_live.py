#!/usr/bin/env python3
"""Live seats benchmark of the real server (scripts/bench-http builds it and seeds the database).

1,000 watchers hold an activity's event stream open (`/org/:id/activities/:aid/live`, one
connection each) while the community's secretary signs 1,000 members up for its 50 seats
(代报名, 16 at a time, each its own commit). For every signup, the time from its answer
(the commit is done) to the moment the last watcher holds a standing that includes it; the
p50/p99 over the 1,000 signups, beside /healthz's p99 asked during the rush. Server memory per
watcher: the server's RSS with the watchers connected, less before, over 1,000. Every watcher
must end on 50 seated and 950 waiting. Prints a Markdown table; exits non-zero on a wrong count.
"""
import argparse
import asyncio
import os
import re
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crash_test import Client, Server, china, request  # noqa: E402
from bench_http import rss_mb  # noqa: E402

WATCHERS = 1000
SIGNUPS = 1000
SEATS = 50
SIGNERS = 16


def roster_ids(secretary, community, wanted):
    """Member ids from the roster pages, as many as wanted."""
    ids, page = [], 1
    while len(ids) < wanted:
        _, _, body = secretary.get(f"/org/{community}/members?page={page}")
        found = [i for i in re.findall(rf"/org/{community}/members/([0-9a-f-]{{36}})", body)
                 if i not in ids]
        if not found:
            raise SystemExit(f"the roster has only {len(ids)} members")
        ids.extend(dict.fromkeys(found))
        page += 1
    return ids[:wanted]


async def watch(port, path, cookie, seen, ready):
    """Holds the stream open; notes when each new total (seated + waiting) arrived."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
    writer.write((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
                  "Accept: text/event-stream\r\n\r\n").encode())
    await writer.drain()
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    if " 200 " not in head.splitlines()[0]:
        raise SystemExit(f"watcher refused: {head.splitlines()[0]}")
    ready.set_result(None)
    last = -1
    while True:
        line = await reader.readline()
        if not line:
            break
        found = re.search(rb'"confirmed":(\d+),"waitlisted":(\d+)', line)
        if found:
            total = int(found.group(1)) + int(found.group(2))
            if total > last:
                seen.append((total, time.monotonic(), int(found.group(1)), int(found.group(2))))
                last = total
    writer.close()


async def sign_up(port, cookie, community, activity, members, done):
    """Posts 代报名 for each member in turn on one connection; notes when each was answered."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for member in members:
        body = urllib.parse.urlencode(
            {"node": community, "activity": activity, "member": member}).encode()
        writer.write((f"POST /api/activities/sign_up_for HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                      f"Origin: http://127.0.0.1:{port}\r\nReferer: http://127.0.0.1:{port}/\r\n"
                      f"Accept: text/html\r\nCookie: {cookie}\r\n"
                      "Content-Type: application/x-www-form-urlencoded\r\n"
                      f"Content-Length: {len(body)}\r\n\r\n").encode() + body)
        await writer.drain()
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        length = re.search(r"(?im)^content-length:\s*(\d+)", head)
        if length:
            await reader.readexactly(int(length.group(1)))
        if "saved=1" not in head:
            raise SystemExit(f"signup refused: {head.splitlines()[0]}")
        done.append(time.monotonic())
    writer.close()


def health_p99(port, stop):
    """/healthz one request after another until `stop` is set; its p99 in ms."""
    times = []
    while not stop.is_set() or len(times) < 100:
        started = time.monotonic()
        request(port, "GET", "/healthz")
        times.append(time.monotonic() - started)
    times.sort()
    return times[int(0.99 * len(times))] * 1000


async def run(server, port):
    secretary = Client(port, "changjiang")
    secretary.sign_in()
    _, headers, _ = request(port, "GET", "/", cookie=secretary.cookie)
    community = re.search(r"/org/([0-9a-f-]{36})", headers.get("location") or
                          headers.get("Location")).group(1)
    status, location = secretary.post("/api/activities/save", {
        "node": community, "activity": "", "kind": "volunteer", "title": "压测实时名额",
        "venue": "党群服务中心", "starts_at": china(60 * 24), "ends_at": china(60 * 26),
        "capacity": str(SEATS), "signup_opens_at": china(-60), "signup_closes_at": china(60 * 20),
        "audience": "all", "points": "1", "volunteer_hours": "1"})
    activity = re.search(r"/activities/([0-9a-f-]{36})\?saved=1", location).group(1)
    members = roster_ids(secretary, community, SIGNUPS)
    path = f"/org/{community}/activities/{activity}/live"

    idle, _ = rss_mb(server.proc.pid)
    seen = [[] for _ in range(WATCHERS)]
    ready = [asyncio.get_running_loop().create_future() for _ in range(WATCHERS)]
    watchers = [asyncio.create_task(watch(port, path, secretary.cookie, seen[i], ready[i]))
                for i in range(WATCHERS)]
    await asyncio.gather(*ready)
    # Every watcher has its first standing (nobody signed up yet).
    while any(not s for s in seen):
        await asyncio.sleep(0.05)
    watching, _ = rss_mb(server.proc.pid)

    # /healthz is asked beside the rush, from the first signup to the last watcher's update.
    stop = threading.Event()
    health = asyncio.create_task(asyncio.to_thread(health_p99, port, stop))
    done = []
    share = [members[i::SIGNERS] for i in range(SIGNERS)]
    started = time.monotonic()
    await asyncio.gather(*(sign_up(port, secretary.cookie, community, activity, share[i], done)
                           for i in range(SIGNERS)))
    took = time.monotonic() - started
    deadline = time.monotonic() + 30
    while any(s[-1][0] < SIGNUPS for s in seen) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    stop.set()
    health = await health
    for task in watchers:
        task.cancel()
    await asyncio.gather(*watchers, return_exceptions=True)

    wrong = sum(1 for s in seen if (s[-1][2], s[-1][3]) != (SEATS, SIGNUPS - SEATS))
    done.sort()
    # The k-th answer means at least k signups are committed; the watcher has caught up with it
    # at its first standing counting k or more.
    latest = [0.0] * (SIGNUPS + 1)
    for s in seen:
        j = 0
        for k in range(1, SIGNUPS + 1):
            while j < len(s) and s[j][0] < k:
                j += 1
            latest[k] = max(latest[k], s[j][1] if j < len(s) else float("inf"))
    lags = [max(0.0, latest[k] - done[k - 1]) * 1000 for k in range(1, len(done) + 1)]
    lags.sort()
    pick = lambda p: lags[min(len(lags) - 1, int(p * len(lags)))]
    per_watcher = (watching - idle) * 1024 / WATCHERS
    rows = [
        f"| {WATCHERS:,} watchers, {SIGNUPS:,} signups for {SEATS} seats ({SIGNUPS / took:,.0f}/s) "
        f"| {pick(0.50):.1f} | {pick(0.99):.1f} | {health:.1f} | {per_watcher:.1f} KB |"
        + (f" **{wrong} watchers ended wrong**" if wrong else ""),
    ]
    return rows, wrong


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--engine", required=True)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--owner-url")
    ap.add_argument("--port", type=int, default=3460)
    ap.add_argument("--log")
    args = ap.parse_args()
    env = dict(os.environ, GONGJIAN_MODE="dev", LEPTOS_SITE_ADDR=f"127.0.0.1:{args.port}",
               DATABASE_URL=args.database_url, RUST_LOG="warn",
               SESSION_SECRET="bench-live-" + "p3Lx8Vn1Qc6Rw2Tz9Ks4Hb7Jd0Fm5Ga" * 2,
               LEPTOS_SITE_ROOT="target/site", DEMO_PASSWORD="Demo@2026",
               LOGIN_ATTEMPTS_PER_MINUTE="600",
               # One account watches from a thousand connections here (a person holds a few).
               LIVE_STREAMS_PER_ACCOUNT=str(WATCHERS))
    if args.owner_url:
        env["DATABASE_OWNER_URL"] = args.owner_url
    seed = subprocess_run([args.binary, "seed-demo", "--bench-load"], env)
    if seed.returncode != 0:
        raise SystemExit(f"seeding failed: {seed.stderr[-500:]}")
    log = open(args.log, "w") if args.log else None
    server = Server(args.binary, env, args.port, log)
    server.start()
    try:
        rows, wrong = asyncio.run(run(server, args.port))
    finally:
        server.stop()
    print(f"\n### {args.engine}: live seats (release build)\n")
    print("| run | commit → last watcher p50 ms | p99 ms | `/healthz` p99 ms | server memory per watcher |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(r)
    if wrong:
        raise SystemExit(f"{wrong} watchers did not end on the committed seats")


def subprocess_run(cmd, env):
    import subprocess
    return subprocess.run(cmd, env=env, capture_output=True, text=True)


if __name__ == "__main__":
    main()
