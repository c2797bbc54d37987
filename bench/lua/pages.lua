-- GET load spread over many pages of one listing: each request asks for a
-- random page in [1, LAST] of PATH (so most answers miss any per-page cache,
-- which is the point: it measures the indexed queries and the cache's bound).
-- Arguments after `--`: PATH LAST [cookie=NAME=VALUE]
-- PATH may carry a query string ("/book/catalog?q=sombra"); "page=N" is appended.
-- done() prints the same BENCH_JSON line as get.lua.
-- report.lua: what the bench scripts share, beside this one (wrk -s names its path).
local report = dofile((debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") or "") .. "report.lua")
local path, last = "/book/catalog", 1

setup = report.setup

init = function(args)
  path = args[1]
  last = math.max(1, tonumber(args[2]))
  for i = 3, #args do
    local cookie = args[i]:match("^cookie=(.+)$")
    if cookie then wrk.headers["Cookie"] = cookie end
  end
  -- Each thread its own sequence; the same one on every run.
  math.randomseed(1000 + (threadId or 0))
end

request = function()
  local sep = path:find("?", 1, true) and "&" or "?"
  return wrk.format("GET", path .. sep .. "page=" .. math.random(1, last))
end

done = report.done
