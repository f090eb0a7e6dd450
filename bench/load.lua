-- wrk script of bench/load.sh: the session cookie on every request, the figures as JSON at the end.
local cookie = os.getenv("LOAD_COOKIE") or ""
local out = os.getenv("LOAD_OUT") or "/dev/stdout"
wrk.headers["Cookie"] = cookie
wrk.headers["Accept-Language"] = "en"

function done(summary, latency, requests)
  local e = summary.errors
  local file = io.open(out, "w")
  file:write(string.format(
    '{"p50_ms": %.1f, "p90_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f, "max_ms": %.1f, ' ..
    '"requests": %d, "rps": %.1f, "errors": %d}\n',
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests, summary.requests / (summary.duration / 1e6),
    e.connect + e.read + e.write + e.status + e.timeout))
  file:close()
end
