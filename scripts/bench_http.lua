-- wrk script for scripts/bench_http.py: form posts as signed-in people, one connection per
-- thread so each person's posts go one after another (a signup, then its cancellation…).
-- BENCH_COOKIES: one session cookie per thread, space-separated; BENCH_PATH: where to post;
-- BENCH_BODIES: form bodies separated by "|", sent in turn; BENCH_ORIGIN: the site's origin.
-- An answer that is not a redirect to `?saved=1` counts as failed (printed at the end).
local cookies, bodies = {}, {}
for c in string.gmatch(os.getenv("BENCH_COOKIES"), "%S+") do cookies[#cookies + 1] = c end
for b in string.gmatch(os.getenv("BENCH_BODIES"), "[^|]+") do bodies[#bodies + 1] = b end
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("cookie", cookies[(#threads - 1) % #cookies + 1])
end

function init(args)
  answered, failed = 0, 0
  local origin = os.getenv("BENCH_ORIGIN")
  wrk.method = "POST"
  wrk.path = os.getenv("BENCH_PATH")
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Accept"] = "text/html"
  wrk.headers["Origin"] = origin
  wrk.headers["Referer"] = origin .. "/"
  wrk.headers["Cookie"] = cookie
end

-- The body follows the answers counted, not the requests built: wrk builds one request of
-- the first thread's before the run to check the script, and never sends it.
function request()
  return wrk.format(nil, nil, nil, bodies[answered % #bodies + 1])
end

function response(status, headers, body)
  answered = answered + 1
  local location = headers["Location"] or headers["location"] or ""
  if not string.find(location, "saved=1", 1, true) then
    failed = failed + 1
    -- What went wrong, once per thread (the table counts them all).
    if failed == 1 then
      io.write(string.format("bench-failure: answer %d was %d %s\n", answered, status, location))
    end
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + t:get("failed")
  end
  io.write(string.format("bench-failed: %d\n", total))
end
