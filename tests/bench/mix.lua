-- SPDX-License-Identifier: Apache-2.0
-- wrk: GET paths drawn at random from the file named by the MIX_PATHS
-- environment variable, one path a line (a seeded draw: repeatable).
local paths = {}
init = function(args)
    for line in io.lines(os.getenv("MIX_PATHS")) do
        paths[#paths + 1] = line
    end
    math.randomseed(7 + (tonumber(args[1]) or 0))
end
request = function()
    return wrk.format("GET", paths[math.random(#paths)])
end
