-- Adds a version (a renewal) to a different credential each request: the ids in BF_RENEWABLE
-- (not archived, of a type that expires) are split between wrk's threads, and each run starts
-- at the offset given after `--`, so no credential is renewed twice in one run of run.sh.
package.path = os.getenv("BF_WRK_DIR") .. "/?.lua;" .. package.path
local report = require("report")
report.auth()

local threads = {}
local next_thread = 0
function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

local ids, cursor, stride
local body
function init(args)
  ids = report.lines(os.getenv("BF_RENEWABLE"))
  local offset = tonumber(args[1] or "0")
  stride = tonumber(args[2] or "2")
  cursor = offset + thread_index
  local issue = os.date("!%Y-%m-%d")
  local expiry = os.date("!%Y-%m-%d", os.time() + 3 * 365 * 86400)
  body = string.format('{"issue_date":"%s","expiry_date":"%s","credential_number":"RENEWED"}', issue, expiry)
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  local id = ids[(cursor % #ids) + 1]
  cursor = cursor + stride
  return wrk.format("POST", "/api/v1/credentials/" .. id .. "/versions", nil, body)
end
done = report.done
