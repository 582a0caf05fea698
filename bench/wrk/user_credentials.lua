-- One user's credentials: a user drawn at random from BF_USERS (ids one a line) each request.
package.path = os.getenv("BF_WRK_DIR") .. "/?.lua;" .. package.path
local report = require("report")
report.auth()
local users
function init(args)
  users = report.lines(os.getenv("BF_USERS"))
  math.randomseed(tonumber(args[1] or "1"))
end
function request()
  return wrk.format("GET", "/api/v1/credentials?user_id=" .. users[math.random(#users)])
end
done = report.done
