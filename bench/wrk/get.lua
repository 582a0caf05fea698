-- GET of the path given after `--` (e.g. /healthz), authenticated.
package.path = os.getenv("BF_WRK_DIR") .. "/?.lua;" .. package.path
local report = require("report")
report.auth()
local path = "/"
function init(args) path = args[1] or "/" end
function request() return wrk.format("GET", path) end
done = report.done
