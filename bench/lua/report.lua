-- What the bench scripts share. Each loads it from its own folder:
--   local report = dofile(<the script's folder> .. "report.lua")
-- setup() numbers wrk's threads (the global threadId of each, for its random
-- seed) and keeps them in report.threads for done(); done() prints one line
-- "BENCH_JSON {...}" with the counts and latency percentiles (microseconds)
-- that bench/run reads.
local report = {threads = {}}

function report.setup(thread)
  table.insert(report.threads, thread)
  thread:set("threadId", #report.threads)
end

-- The BENCH_JSON line; `extra` is more fields, already formatted
-- (',"name":1,...'), written before the closing brace.
function report.line(summary, latency, extra)
  local e = summary.errors
  return string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"mean_us":%.1f%s}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, extra or "")
end

function report.done(summary, latency, requests)
  io.write(report.line(summary, latency))
end

return report
