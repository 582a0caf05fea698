-- GET of a path with an id drawn at random each request: after `--`, a file of ids (one a line),
-- the path with "{id}" where the id goes, and a seed. Used for a random user's credentials
-- (BF_USERS), a random member's compliance and a random group's matrix page.
package.path = os.getenv("BF_WRK_DIR") .. "/?.lua;" .. package.path
local report = require("report")
report.auth()
local ids, before, after
function init(args)
  ids = report.lines(assert(args[1], "random_id.lua: FILE PATH SEED"))
  local path = assert(args[2], "random_id.lua: FILE PATH SEED")
  local at = assert(path:find("{id}", 1, true), "random_id.lua: the path has no {id}")
  before, after = path:sub(1, at - 1), path:sub(at + 4)
  math.randomseed(tonumber(args[3] or "1"))
end
function request()
  return wrk.format("GET", before .. ids[math.random(#ids)] .. after)
end
done = report.done
