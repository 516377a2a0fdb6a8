#!/usr/bin/env python3
"""Kills the real server with SIGKILL again and again while clients write through it, then
checks what survived. Used by scripts/crash-test (which builds the server and, for
PostgreSQL, starts a throwaway cluster).

Writers, each a thread with its own session, only over HTTP as a person would:
  - three members sign up for and cancel activities, and check in with the code on screen;
  - the secretary signs roster members up (代报名), adjusts points, and imports rosters.
A write counts as acknowledged when its answer came back (a redirect to `?saved=1`, or an
import's page saying it finished). After the last kill the server is stopped cleanly and:
  - the database's own integrity check passes (SQLite integrity_check, PostgreSQL pg_amcheck);
  - `server reconcile` finds every stored figure equal to its rows;
  - no activity has more confirmed signups than seats, and its counter equals its rows;
  - the points ledger sums to the community's points figures;
  - every acknowledged write is there.
Prints the figures and ends with a 'N passed, N failed' line.
"""
import argparse
import http.client
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from datetime import datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8))
PASSWORD = "Demo@2026"
SECRET = "crash-test-" + "k7Qz9Vx2Lm4Np8Rt1Ws6Yb3Hd5Fj0Gc" * 2


class Down(Exception):
    """The server did not answer (killed, or starting again)."""


class Server:
    def __init__(self, binary, env, port, log=None):
        self.binary, self.env, self.port, self.log = binary, env, port, log
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [self.binary, "serve"], env=self.env,
            stdout=subprocess.DEVNULL, stderr=self.log or subprocess.DEVNULL)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                status, _, _ = request(self.port, "GET", "/healthz")
                if status == 200:
                    return
            except Down:
                pass
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited with {self.proc.returncode}")
            time.sleep(0.1)
        raise SystemExit("the server did not come up")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)


def request(port, method, path, body=None, cookie=None, content_type=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    origin = f"http://127.0.0.1:{port}"
    headers = {"Host": f"127.0.0.1:{port}", "Accept": "text/html"}
    if method == "POST":
        headers.update({"Origin": origin, "Referer": origin + "/"})
        headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
    if cookie:
        headers["Cookie"] = cookie
    try:
        conn.request(method, path, body=body, headers=headers)
        reply = conn.getresponse()
        data = reply.read().decode("utf-8", "replace")
        return reply.status, dict(reply.getheaders()), data
    except (OSError, http.client.HTTPException) as err:
        raise Down(str(err)) from err
    finally:
        conn.close()


class Client:
    def __init__(self, port, login):
        self.port, self.login, self.cookie = port, login, None

    def sign_in(self):
        status, headers, _ = request(
            self.port, "POST", "/api/login",
            urllib.parse.urlencode({"login": self.login, "password": PASSWORD}))
        cookie = headers.get("set-cookie") or headers.get("Set-Cookie") or ""
        if status != 302 or "gongjian_session=" not in cookie:
            raise Down(f"login {self.login}: {status}")
        self.cookie = cookie.split(";")[0]

    def post(self, path, fields):
        if self.cookie is None:
            self.sign_in()
        status, headers, body = request(
            self.port, "POST", path, urllib.parse.urlencode(fields), self.cookie)
        location = headers.get("location") or headers.get("Location") or ""
        if status >= 500:
            raise SystemExit(f"{path}: {status} {body[:300]}")
        if location == "/login":
            self.cookie = None
            raise Down("signed out")
        return status, location

    def get(self, path):
        if self.cookie is None:
            self.sign_in()
        status, headers, body = request(self.port, "GET", path, cookie=self.cookie)
        if status >= 500:
            raise SystemExit(f"{path}: {status} {body[:300]}")
        return status, headers, body

    def upload(self, path, name, data):
        return self.multipart(path, {}, [("file", name, data)])

    def multipart(self, path, fields, files=()):
        """A multipart form post (the roster import, a notice with its files): text `fields`,
        then `files` as (field, file name, bytes)."""
        if self.cookie is None:
            self.sign_in()
        boundary = "crash-" + uuid.uuid4().hex
        body = b""
        for name, value in fields.items():
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                     f"{value}\r\n").encode()
        for name, file_name, data in files:
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                     f"filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                     ).encode() + data + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        status, headers, _ = request(
            self.port, "POST", path, body, self.cookie,
            f"multipart/form-data; boundary={boundary}")
        return status, headers.get("location") or headers.get("Location") or ""


class Db:
    """Reads the database around the server (SQLite file, or psql as the superuser)."""

    def __init__(self, sqlite_path=None, pg=None):
        self.sqlite_path, self.pg = sqlite_path, pg

    def rows(self, sql, *args):
        if self.sqlite_path:
            with sqlite3.connect(f"file:{self.sqlite_path}?mode=ro", uri=True, timeout=30) as c:
                return [tuple(r) for r in c.execute(sql.replace("%s", "?"), args)]
        for a in args:
            sql = sql.replace("%s", "'" + str(a).replace("'", "''") + "'", 1)
        out = subprocess.run(
            ["psql", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", self.pg, "-c", sql],
            check=True, capture_output=True, text=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]

    def uuid(self, value):
        return str(uuid.UUID(bytes=value)) if isinstance(value, bytes) else str(value)

    def id_param(self, text):
        return uuid.UUID(text).bytes if self.sqlite_path else text


def china(minutes):
    return (datetime.now(CHINA) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--port", type=int, default=3400)
    ap.add_argument("--sqlite")
    ap.add_argument("--pg-app")
    ap.add_argument("--pg-owner")
    ap.add_argument("--pg-super")
    args = ap.parse_args()

    env = dict(os.environ, GONGJIAN_MODE="dev", LEPTOS_SITE_ADDR=f"127.0.0.1:{args.port}",
               SESSION_SECRET=SECRET, DEMO_PASSWORD=PASSWORD, RUST_LOG="error",
               LEPTOS_SITE_ROOT="target/site")
    if args.sqlite:
        env["DATABASE_URL"] = f"sqlite://{args.sqlite}?mode=rwc"
        db = Db(sqlite_path=args.sqlite)
        engine = "SQLite"
    else:
        env["DATABASE_URL"], env["DATABASE_OWNER_URL"] = args.pg_app, args.pg_owner
        db = Db(pg=args.pg_super)
        engine = "PostgreSQL"
    server = Server(args.binary, env, args.port)
    server.start()

    node = db.uuid(db.rows("SELECT id FROM org_nodes WHERE name = %s", "长江路社区")[0][0])
    node_param = db.id_param(node)
    accounts = {"dangyuan", "wangxiulan", "liuchunsheng"}
    roster = [db.uuid(r[0]) for r in db.rows(
        "SELECT m.id FROM members m WHERE m.tenant_id = %s AND m.status = 'normal' "
        "AND m.user_id IS NULL ORDER BY m.id", node_param)]
    secretary = Client(args.port, "changjiang")
    activities = []
    for n in range(12):
        status, location = secretary.post("/api/activities/save", {
            "node": node, "activity": "",
            "kind": "volunteer", "title": f"崩溃测试活动 {n}",
            "venue": "党群服务中心", "starts_at": china(10),
            "ends_at": china(240), "capacity": str(2 + n % 3),
            "signup_opens_at": china(-60), "signup_closes_at": china(200),
            "audience": "all", "points": "2", "volunteer_hours": "1",
        })
        found = re.search(r"/activities/([0-9a-f-]{36})\?saved=1", location)
        if not found:
            raise SystemExit(f"could not publish an activity: {status} {location}")
        activities.append(found.group(1))

    stop = threading.Event()
    lock = threading.Lock()
    acked = {"join": {}, "checkin": set(), "for": set(), "points": set(), "import": set()}
    tried = {"writes": 0, "unanswered": 0}
    codes = {}

    def note(kind, value, key=None):
        with lock:
            if key is None:
                acked[kind].add(value)
            else:
                acked[kind][key] = value

    def attempt(work):
        with lock:
            tried["writes"] += 1
        try:
            work()
        except Down:
            with lock:
                tried["unanswered"] += 1
            time.sleep(0.2)

    def member(login):
        me = Client(args.port, login)
        while not stop.is_set():
            activity = random.choice(activities)
            action = random.choice(["join", "join", "leave"])

            def sign():
                try:
                    _, location = me.post("/api/activities/signup",
                                          {"node": node, "activity": activity, "action": action})
                except Down:
                    # Unanswered, so it may or may not have committed: the state is
                    # unknown until a later answered signup or cancellation.
                    note("join", "unknown", (login, activity))
                    raise
                if "saved=1" in location:
                    note("join", action, (login, activity))
            attempt(sign)
            code = codes.get(activity)
            if code and random.random() < 0.4:
                def check_in():
                    _, location = me.post("/api/activities/check_in",
                                          {"node": node, "activity": activity, "code": code})
                    if "saved=1" in location:
                        note("checkin", (login, activity))
                attempt(check_in)

    def staff_signups():
        me = Client(args.port, "changjiang")
        while not stop.is_set():
            activity, person = random.choice(activities), random.choice(roster)

            def sign_for():
                _, location = me.post("/api/activities/sign_up_for",
                                      {"node": node, "activity": activity, "member": person})
                if "saved=1" in location:
                    note("for", (person, activity))
            attempt(sign_for)

    def points():
        me = Client(args.port, "changjiang")
        while not stop.is_set():
            reason = f"崩溃测试 {uuid.uuid4().hex[:12]}"
            person = random.choice(roster)

            def adjust():
                _, location = me.post("/api/points/adjust", {
                    "node": node, "member": person, "points": "1", "reason": reason})
                if "saved=1" in location:
                    note("points", reason)
            attempt(adjust)

    def imports():
        me = Client(args.port, "changjiang")
        while not stop.is_set():
            names = [f"崩溃{uuid.uuid4().hex[:6]}" for _ in range(5)]
            csv = "姓名,性别,党员分类\n" + "".join(f"{n},女,离退休\n" for n in names)

            def run():
                status, location = me.upload(f"/org/{node}/roster/import", "roster.csv",
                                             csv.encode())
                if status != 303 or "/members/import/" not in location:
                    return
                for _ in range(200):
                    _, _, page = me.get(location)
                    if "导入完成" in page:
                        for n in names:
                            note("import", n)
                        return
                    time.sleep(0.1)
            attempt(run)

    def code_screen():
        me = Client(args.port, "changjiang")
        while not stop.is_set():
            for activity in activities:
                try:
                    _, _, page = me.get(f"/org/{node}/activities/{activity}/code")
                    found = re.search(r'class="checkin-code"[^>]*>(\d{6})<', page)
                    if found:
                        codes[activity] = found.group(1)
                except Down:
                    time.sleep(0.2)
            time.sleep(2)

    threads = [threading.Thread(target=f, args=a, daemon=True) for f, a in
               [(member, (login,)) for login in sorted(accounts)] +
               [(staff_signups, ()), (points, ()), (imports, ()), (code_screen, ())]]
    for t in threads:
        t.start()
    started = time.time()
    for _ in range(args.kills):
        time.sleep(random.uniform(0.4, 1.6))
        server.kill()
        server.start()
    time.sleep(1)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    server.stop()
    seconds = time.time() - started

    results = []

    def check(name, ok, detail=""):
        results.append(ok)
        print(f"  {'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")

    print(f"\n{engine}: {args.kills} kills in {seconds:.0f} s; {tried['writes']} writes tried, "
          f"{tried['unanswered']} unanswered (in flight at a kill or while restarting)")
    if args.sqlite:
        integrity = db.rows("PRAGMA integrity_check")[0][0]
        check("integrity_check", integrity == "ok", integrity)
    else:
        amcheck = os.path.join(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"),
                               "pg_amcheck")
        url = urllib.parse.urlparse(args.pg_super)
        out = subprocess.run([amcheck, "--install-missing", "--heapallindexed",
                              "-h", url.hostname, "-p", str(url.port), "-U", url.username,
                              url.path.lstrip("/")], capture_output=True, text=True)
        check("pg_amcheck", out.returncode == 0, (out.stdout + out.stderr).strip()[:300])
    out = subprocess.run([args.binary, "reconcile"], env=env, capture_output=True, text=True)
    check("server reconcile finds nothing", out.returncode == 0,
          (out.stdout + out.stderr).strip().splitlines()[-1] if (out.stdout + out.stderr).strip() else "")
    over = db.rows(
        "SELECT a.id, a.capacity, a.confirmed_count, "
        "(SELECT count(*) FROM activity_signups s WHERE s.tenant_id = a.tenant_id "
        " AND s.activity_id = a.id AND s.state = 'confirmed') "
        "FROM activities a WHERE a.tenant_id = %s AND a.capacity IS NOT NULL", node_param)
    bad = [r for r in over if int(r[3]) > int(r[1]) or int(r[2]) != int(r[3])]
    check("confirmed signups within capacity, counters equal rows", not bad, str(bad[:3]))
    ledger = int(db.rows("SELECT coalesce(sum(points), 0) FROM points_entries "
                         "WHERE tenant_id = %s", node_param)[0][0])
    figures = int(db.rows("SELECT coalesce(sum(value), 0) FROM rollup_counts "
                          "WHERE node_id = %s AND metric LIKE 'pts.%%'", node_param)[0][0])
    check("the ledger sums to the points figures", ledger == figures, f"{ledger} vs {figures}")

    def signup_state(login, activity):
        rows = db.rows(
            "SELECT s.state FROM activity_signups s JOIN members m "
            "ON m.tenant_id = s.tenant_id AND m.id = s.member_id JOIN users u ON u.id = m.user_id "
            "WHERE s.tenant_id = %s AND s.activity_id = %s AND u.login_name = %s "
            "ORDER BY s.id DESC LIMIT 1",
            node_param, db.id_param(activity), login)
        return rows[0][0] if rows else None

    answered = {k: action for k, action in acked["join"].items() if action != "unknown"}
    lost = [k for k, action in answered.items()
            if (signup_state(*k) in ("confirmed", "waitlisted")) != (action == "join")]
    check(f"{len(answered)} acknowledged signups and cancellations hold", not lost, str(lost[:3]))
    lost = []
    for person, activity in acked["for"]:
        rows = db.rows("SELECT state FROM activity_signups WHERE tenant_id = %s AND "
                       "activity_id = %s AND member_id = %s",
                       node_param, db.id_param(activity), db.id_param(person))
        if not rows:
            lost.append((person, activity))
    check(f"{len(acked['for'])} acknowledged 代报名 are there", not lost, str(lost[:3]))
    lost = []
    for login, activity in acked["checkin"]:
        rows = db.rows(
            "SELECT s.attendance FROM activity_signups s JOIN members m "
            "ON m.tenant_id = s.tenant_id AND m.id = s.member_id JOIN users u ON u.id = m.user_id "
            "WHERE s.tenant_id = %s AND s.activity_id = %s AND u.login_name = %s "
            "AND s.attendance = 'attended'", node_param, db.id_param(activity), login)
        if not rows:
            lost.append((login, activity))
    check(f"{len(acked['checkin'])} acknowledged check-ins are there", not lost, str(lost[:3]))
    reasons = {r[0] for r in db.rows("SELECT reason FROM points_entries WHERE tenant_id = %s",
                                     node_param)}
    lost = sorted(acked["points"] - reasons)
    check(f"{len(acked['points'])} acknowledged points adjustments are there", not lost, str(lost[:3]))
    names = {r[0] for r in db.rows("SELECT name FROM members WHERE tenant_id = %s", node_param)}
    lost = sorted(acked["import"] - names)
    check(f"{len(acked['import'])} members of finished imports are there", not lost, str(lost[:3]))
    failed = results.count(False)
    print(f"crash-test {engine}: {len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
