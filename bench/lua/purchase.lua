-- The purchase write path of the JSON API, with bearer tokens:
--   POST /api/v1/purchases {"book_id", "quantity": 1}          -> 201 "Pending Payment"
--   POST /api/v1/purchases/{id}/payment {"method"}             -> 201 "Paid"
-- Arguments after `--`: TOKEN_FILE FIRST_BOOK_ID BOOK_COUNT
-- The token file has one bearer token per line; book B is always bought by
-- buyer (B mod #tokens), so a purchase's answer (which names its book) says
-- whose token pays it. Each thread keeps a queue of purchases to pay: the next
-- request pays the oldest unpaid one, or buys when there is none. With one
-- book of small stock (race mode: BOOK_COUNT 1) the book sells out and the
-- rest answer 409 insufficient_stock, which is the point of that run.
-- report.lua: what the bench scripts share, beside this one (wrk -s names its path).
local report = dofile((debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") or "") .. "report.lua")
local tokens = {}
local firstBook, bookCount = 1, 1
local queue, head, tail = {}, 1, 0
purchased, paid, insufficient, unexpected, inflightBuys = 0, 0, 0, 0, 0
threadId = 0  -- set per thread by setup()

setup = report.setup

init = function(args)
  local f = assert(io.open(args[1], "r"))
  for line in f:lines() do
    if #line > 0 then tokens[#tokens + 1] = line end
  end
  f:close()
  firstBook = tonumber(args[2])
  bookCount = tonumber(args[3])
  math.randomseed(os.time() * 1000 + (threadId or 0) * 7919)
end

local function tokenFor(book)
  return tokens[(book % #tokens) + 1]
end

request = function()
  if head <= tail then
    local item = queue[head]
    queue[head] = nil
    head = head + 1
    return wrk.format("POST", "/api/v1/purchases/" .. item.id .. "/payment",
      {["Authorization"] = "Bearer " .. tokenFor(item.book),
       ["Content-Type"] = "application/json"},
      '{"method":"Credit Card"}')
  end
  local book = firstBook + math.random(0, bookCount - 1)
  return wrk.format("POST", "/api/v1/purchases",
    {["Authorization"] = "Bearer " .. tokenFor(book), ["Content-Type"] = "application/json"},
    '{"book_id":' .. book .. ',"quantity":1}')
end

response = function(status, headers, body)
  if status == 201 then
    if body:find('"status":"Pending Payment"', 1, true) then
      purchased = purchased + 1
      local id = body:match('"id":(%d+)')
      local book = body:match('"book_id":(%d+)')
      if id and book then
        tail = tail + 1
        queue[tail] = {id = id, book = tonumber(book)}
      else
        unexpected = unexpected + 1
      end
    elseif body:find('"status":"Paid"', 1, true) then
      paid = paid + 1
    else
      unexpected = unexpected + 1
    end
  elseif status == 409 and body:find("insufficient_stock", 1, true) then
    insufficient = insufficient + 1
  else
    unexpected = unexpected + 1
  end
end

done = function(summary, latency, requests)
  local p, y, ins, u = 0, 0, 0, 0
  for _, t in ipairs(report.threads) do
    p = p + t:get("purchased")
    y = y + t:get("paid")
    ins = ins + t:get("insufficient")
    u = u + t:get("unexpected")
  end
  io.write(report.line(summary, latency, string.format(
    ',"purchased":%d,"paid":%d,"insufficient":%d,"unexpected":%d', p, y, ins, u)))
end
