# SPDX-License-Identifier: Apache-2.0
"""A store that fails: missing, corrupt, locked, slow, stopped and restarted
under load. Every answer is correct or a 503 with Retry-After, within a
bounded time; the error log names the site and the cause; other sites keep
serving; the module recovers by itself, without an Apache restart. And an
import while Apache serves is never seen half done."""

import json
import os
import shutil
import sqlite3
import subprocess
import threading
import time

import pytest

from conftest import Postgres, Store, newsevent_httpd
from fixtures_data import SEED_URL


def only(stores, kind):
    """Tests of one store's failures run in that store's half of the suite."""
    if stores.kind != kind:
        pytest.skip("a %s test" % kind)


def wait_for(fn, seconds=15.0, step=0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if fn():
            return True
        time.sleep(step)
    return False


def sqlite_path(workdir, name):
    return os.path.join(workdir, "stores", name, "news.db")


def test_sqlite_missing_then_created(make_server, workdir, stores):
    only(stores, "sqlite3")
    db = sqlite_path(workdir, "missing")
    os.makedirs(os.path.dirname(db))           # root's: Apache cannot create the file
    srv = make_server("missing", store=Store("sqlite3", db))
    t0 = time.monotonic()
    r = srv.get(SEED_URL, headers={"Accept": "application/json"})
    assert r.status == 503 and r.header("Retry-After") == "30"
    assert time.monotonic() - t0 < 5
    assert json.loads(r.body)["status"] == 503
    log = "\n".join(srv.new_log_lines())
    assert "store unavailable for 127.0.0.1" in log
    newsevent_httpd.sqlite_store(db)            # the store arrives
    assert wait_for(lambda: srv.get(SEED_URL + ".json").status == 200)


def test_sqlite_corrupt_then_repaired(make_server, workdir, stores):
    only(stores, "sqlite3")
    db = sqlite_path(workdir, "corrupt")
    store = newsevent_httpd.sqlite_store(db)
    good = open(db, "rb").read()
    srv = make_server("corrupt", store=store)
    assert srv.get(SEED_URL + ".json").status == 200
    with open(db, "r+b") as f:                  # every page: junk
        f.write(b"\x00junk" * (len(good) // 5 + 1))
    urls = ["/news/2017/11/2%d/index.json" % d for d in range(0, 6)] + [
        "/news/topics/%s.json" % t for t in ("russia", "syria", "zimbabwe", "turkey")] + [
        "/news/2017/index.json", "/news/index.md", "/news/2016/index.xml"]
    answers = {srv.get(u).status for u in urls}
    assert answers <= {200, 503} and 503 in answers
    assert "store unavailable" in "\n".join(srv.new_log_lines())
    with open(db, "r+b") as f:
        f.write(good)
    assert wait_for(lambda: all(srv.get("/news/2017/11/2%d/index.json" % d).status == 200
                                for d in range(1, 6)))


def test_sqlite_schema_changed_while_serving(make_server, workdir, stores):
    # An index made or dropped, ANALYZE or VACUUM changes the store's schema: the
    # statements every pooled connection prepared then fail for good (the
    # driver prepares with the legacy sqlite3_prepare). They are prepared
    # again within the request, which gets its answer.
    only(stores, "sqlite3")
    db = sqlite_path(workdir, "schema")
    srv = make_server("schema", store=newsevent_httpd.sqlite_store(db))
    urls = [SEED_URL + ".json", SEED_URL + ".md", "/news/2017/11/23/index.json",
            "/news/topics/russia.json", "/news/2017/index.json", "/news/feed.atom"]
    for _ in range(3):                          # connections in both children
        assert {srv.get(u).status for u in urls} == {200}
    for change in ("CREATE INDEX probe ON days (event_count)", "ANALYZE", "DROP INDEX probe",
                   "VACUUM"):
        with sqlite3.connect(db) as c:
            c.execute(change)
        for i in range(3):
            for u in urls:
                r = srv.get(u + "?after=%d" % i if "?" not in u else u)
                assert r.status == 200, (change, u, r.status)
    assert "schema has changed" not in "\n".join(srv.new_log_lines())


def test_sqlite_locked_answers_503_in_bounded_time(make_server, workdir, stores):
    """In WAL mode (newsevent init's) a writer never locks readers out; a
    store in the old rollback-journal mode can be locked, and is here."""
    only(stores, "sqlite3")
    db = sqlite_path(workdir, "locked")
    store = newsevent_httpd.sqlite_store(db)
    subprocess.run(["sqlite3", db, "PRAGMA journal_mode=DELETE"], check=True,
                   capture_output=True)
    srv = make_server("locked", store=store)
    assert srv.get("/news/2017/11/22/index.json").status == 200
    lock = subprocess.Popen(["/usr/bin/python3", "-c",
                             "import sqlite3,sys,time\n"
                             "c=sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                             "c.execute('BEGIN EXCLUSIVE')\n"
                             "print('locked', flush=True); time.sleep(30)\n", db],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert lock.stdout.readline().strip() == "locked"
        t0 = time.monotonic()
        r = srv.get("/news/2017/11/22/index.json", timeout=30)
        assert r.status == 503 and r.header("Retry-After")
        assert time.monotonic() - t0 < 5
    finally:
        lock.kill()
        lock.wait()
    assert wait_for(lambda: srv.get("/news/2017/11/22/index.json").status == 200)


def load_loop(srv, paths, expected, stop, answers, limit=2000):
    """Bounded: until stop is set or `limit` requests."""
    n = 0
    while not stop.is_set() and n < limit:
        p = paths[n % len(paths)]
        n += 1
        try:
            r = srv.get(p, timeout=15)
        except OSError as e:
            answers.append(("error", p, str(e)))
            continue
        if r.status == 200 and r.body == expected[p]:
            answers.append(("ok", p, None))
        elif r.status == 503 and r.header("Retry-After"):
            answers.append(("503", p, None))
        else:
            answers.append(("wrong", p, r.status))


@pytest.fixture(scope="module")
def own_postgres(workdir, stores):
    """A PostgreSQL of this module's own, to stop and start at will."""
    only(stores, "pgsql")
    pg = Postgres(os.path.join(workdir, "pg-failure-%d" % os.getpid())).start()
    yield pg
    pg.stop("immediate")


def test_postgresql_stopped_and_restarted_under_load(make_server, own_postgres, workdir,
                                                     stores):
    only(stores, "pgsql")
    store = own_postgres.store("failing")
    other = newsevent_httpd.sqlite_store(sqlite_path(workdir, "unaffected"))
    extra = """
<VirtualHost *>
    ServerName 127.0.0.1
    DBDriver pgsql
    DBDParams "%s"
    NewsEvent On
</VirtualHost>
<VirtualHost *>
    ServerName other.example
    DBDriver sqlite3
    DBDParams "%s"
    NewsEvent On
</VirtualHost>
""" % (store.params, other.params)
    srv = make_server("pgdown", store=store, extra=extra)
    paths = [SEED_URL + ".json", "/news/2017/11/23/index.md", "/news/topics/russia",
             "/news/2017/index.xml"]
    expected = {p: srv.get(p).body for p in paths}
    assert all(srv.get(p).status == 200 for p in paths)
    stop, answers = threading.Event(), []
    threads = [threading.Thread(target=load_loop, args=(srv, paths, expected, stop, answers))
               for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    own_postgres.stop("immediate")                 # killed under load
    time.sleep(1.0)
    during = srv.get(SEED_URL + ".json")
    assert during.status == 503
    unaffected = srv.get(SEED_URL + ".json", headers={"Host": "other.example"})
    assert unaffected.status == 200                # the other site keeps serving
    own_postgres.start()
    t0 = time.monotonic()
    assert wait_for(lambda: srv.get(SEED_URL + ".json").status == 200, seconds=20)
    recovered = time.monotonic() - t0
    time.sleep(1.0)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    kinds = {k for k, _, _ in answers}
    assert "wrong" not in kinds and "error" not in kinds, [a for a in answers if a[0] != "ok"][:5]
    assert "503" in kinds and "ok" in kinds
    assert recovered < 10
    # Every pooled connection has healed: a burst of requests, all correct.
    for _ in range(60):
        for p in paths:
            r = srv.get(p)
            assert r.status == 200 and r.body == expected[p], p
    log = "\n".join(srv.new_log_lines())
    assert "store unavailable for 127.0.0.1" in log


def test_postgresql_slow_answers_503_within_the_statement_timeout(make_server, own_postgres,
                                                                 stores):
    only(stores, "pgsql")
    store = own_postgres.store("slow")
    store.params += " options='-c statement_timeout=1000'"
    srv = make_server("pgslow", store=store)
    # Not the .json asked for below, which no child may have in its cache.
    assert srv.get(SEED_URL + ".md").status == 200
    locker = subprocess.Popen(["runuser", "-u", "postgres", "--", own_postgres.bin + "/psql",
                               "-h", "127.0.0.1", "-p", str(own_postgres.port), "-d", "slow",
                               "-c", "BEGIN; LOCK TABLE events IN ACCESS EXCLUSIVE MODE;"
                               " SELECT pg_sleep(6); COMMIT;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    held = ("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " WHERE c.relname = 'events' AND l.mode = 'AccessExclusiveLock' AND l.granted")
    try:
        # psql may take a while to start on a busy machine: wait for the lock itself.
        assert wait_for(lambda: own_postgres.psql("slow", held).stdout.strip() == "1", seconds=10,
                        step=0.05)
        t0 = time.monotonic()
        r = srv.get(SEED_URL + ".json", timeout=30)
        took = time.monotonic() - t0
        assert r.status == 503 and r.header("Retry-After")
        assert took < 4
        assert "statement timeout" in "\n".join(srv.new_log_lines())
    finally:
        locker.wait(timeout=30)
    assert wait_for(lambda: srv.get(SEED_URL + ".json").status == 200)


def test_an_import_while_serving_is_never_seen_half_done(make_server, stores, tmp_path):
    srv = make_server("importing")
    n = 3000
    f = tmp_path / "big.jsonl"
    with open(f, "w") as out:
        for i in range(n):
            out.write(json.dumps({"date": "2030-%02d-%02d" % (1 + i % 12, 1 + i % 28),
                                  "headline": "Generated event number %d" % i,
                                  "topics": ["Generated", "Batch %d" % (i % 7)]}) + "\n")
    seed = srv.get(SEED_URL + ".json").body
    stop, seen, bad = threading.Event(), set(), []

    def poll():
        for _ in range(5000):
            if stop.is_set():
                break
            r = srv.get("/news/2030/index.json")
            if r.status == 404:
                seen.add(0)
            elif r.status == 200:
                seen.add(json.loads(r.body)["total"])
            else:
                bad.append(r.status)
            s = srv.get(SEED_URL + ".json")
            if s.status != 200 or s.body != seed:
                bad.append(("seed", s.status))

    threads = [threading.Thread(target=poll) for _ in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    srv.store.tool("import", str(f))
    wait_for(lambda: n in seen, seconds=10, step=0.05)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    assert not bad, bad[:5]
    assert seen <= {0, n} and n in seen, seen


def test_a_stalled_client_does_not_hold_the_stores_connection(make_server):
    # One child, one pooled connection. A client that asks for many pages and
    # reads none leaves a worker blocked while it writes; the connection must
    # already be back in mod_dbd's pool, or every other request would wait.
    import socket
    srv = make_server("stalled", extra="StartServers 1\nServerLimit 1\nThreadsPerChild 25\n"
                      "MaxRequestWorkers 25\nSendBufferSize 4096\nDBDMin 0\nDBDKeep 1\n"
                      "DBDMax 1\nNewsEventCacheSize 0\n")
    stalled = socket.socket()
    stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stalled.connect(("127.0.0.1", srv.port))
    try:
        page = ("GET %s.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % SEED_URL).encode()
        stalled.sendall(page * 60)            # about 470 KB of answers, none read
        time.sleep(1)
        started = time.monotonic()
        r = srv.get("/news/2017/11/23/index.json", timeout=10)
        assert r.status == 200
        assert time.monotonic() - started < 5
    finally:
        stalled.close()


def test_sqlite_store_apache_cannot_write_is_named(make_server, workdir, stores):
    """A store made by root, as `newsevent init` run by root makes it: in WAL
    mode Apache's user cannot even read it, and the log line says why and
    what mends it."""
    only(stores, "sqlite3")
    db = sqlite_path(workdir, "rootowned")
    store = newsevent_httpd.sqlite_store(db)
    for path in (os.path.dirname(db), db, db + "-wal", db + "-shm"):
        if os.path.exists(path):
            os.chown(path, 0, 0)
    srv = make_server("rootowned", store=store)
    r = srv.get(SEED_URL + ".json")
    assert r.status == 503
    log = "\n".join(srv.new_log_lines())
    assert "store unavailable for 127.0.0.1" in log
    assert "cannot write the SQLite store " + db in log and "chown" in log, log
    for path in (os.path.dirname(db), db):
        shutil.chown(path, newsevent_httpd.httpd_user(), newsevent_httpd.httpd_user())
    assert wait_for(lambda: srv.get(SEED_URL + ".json").status == 200)
