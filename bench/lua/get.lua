-- GET load for one URL. Arguments after `--`: optional "cookie=NAME=VALUE".
-- done() (report.lua) prints one line "BENCH_JSON {...}" with the counts and
-- latency percentiles (microseconds) that bench/run reads.
-- report.lua: what the bench scripts share, beside this one (wrk -s names its path).
local report = dofile((debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") or "") .. "report.lua")
init = function(args)
  for _, a in ipairs(args) do
    local cookie = a:match("^cookie=(.+)$")
    if cookie then wrk.headers["Cookie"] = cookie end
  end
end

done = report.done
