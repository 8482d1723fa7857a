-- SPDX-License-Identifier: Apache-2.0
-- The dynamic peer: a mod_lua handler reading one row through mod_dbd and
-- SQLite (the statement benchrow, prepared by DBDPrepareSQL). mod_lua takes
-- the connection with ap_dbd_open: it must be closed. Benchmarks only.
function handle(r)
    local db, err = r:dbacquire()
    if not db then
        return 503
    end
    local stmt = db:prepared(r, "benchrow")
    local res = stmt:select(tostring(math.random(1, ROWS)))
    local rows = res(0)
    r.content_type = "text/html; charset=utf-8"
    r:puts("<!DOCTYPE html><html><body><h1>", rows[1] and rows[1][1] or "", "</h1></body></html>")
    db:close()
    return apache2.OK
end
