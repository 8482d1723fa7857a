#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Many sites on one Apache (issue 17): each Apache child's memory (RSS)
and file descriptors against the number of virtual hosts, right after the
start and after every site was served, with mod_dbd's default pool
settings and with others; each site with a SQLite store of its own, or all
of them in one PostgreSQL database with table prefixes. The event MPM with
its compiled-in defaults (3 children of 25 threads at the start).

    many_sites.py [--sites 10,100,1000] [--settings default,min0,recommended,...]
                  [--stores sqlite3,pgsql] [--module PATH] [--clients 32]
                  [--rounds 2] [--starts 1] [--cache BYTES] [--rate]
                  [--rate-sites 200] [--rate-seconds 8]

Each row: the children's mean RSS and descriptors at the start, then after
each site was asked for its event and its front page (--rounds times), the
sites each child served and what a site served cost a child (RSS and
descriptors over sites served); for PostgreSQL, the server's connections
and their private memory. --starts N starts Apache N times per row and
counts the error-log lines at error level or worse (the start of issue
17's report). --rate adds each setting's requests/s (wrk) over the events
of --rate-sites sites (200), every site's in turn, and the children's size
after it.
tests/http/test_many_sites.py holds the claim `make test` checks; the
figures are in README.md, "Hosting many sites".
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "scripts"))
import newsevent_httpd as nh  # noqa: E402

WORK = os.path.join(REPO, "build", "many-sites")
# The pool settings measured, in the main server (the hosts inherit them).
SETTINGS = {
    "default": "",
    "min0": "DBDMin 0\n",
    "recommended": "DBDMin 0\nDBDKeep 1\nDBDMax 2\n",    # README, "Hosting many sites"
    "lean": "DBDMin 0\nDBDKeep 0\nDBDMax 2\nDBDExptime 10\n",
    "nopersist": "DBDPersist Off\n",
}
BAD = re.compile(r"\[(?:[a-z_]+:)?(?:error|crit|alert|emerg)\]")
EVENT_DATE = "2030-01-02"


def site(i):
    return "s%04d.example" % i


def event_path(i):
    """The one event only site i's store holds."""
    return "/news/%s/only-on-site-%04d" % (EVENT_DATE.replace("-", "/"), i)


def headline(i):
    return "Only on site %04d" % i


def _own_event(store, folder, i):
    jsonl = os.path.join(folder, "own-%04d.jsonl" % i)
    with open(jsonl, "w") as f:
        f.write(json.dumps({"date": EVENT_DATE, "headline": headline(i),
                            "topics": ["Site %04d" % i]}) + "\n")
    r = store.tool("import", jsonl, check=False)
    os.remove(jsonl)
    if r.returncode != 0:
        raise RuntimeError("newsevent import: " + r.stderr)


def sqlite_stores(folder, n, jobs=4):
    """n SQLite stores in `folder`, owned by Apache's user: one made by
    `newsevent init` and an import of fixtures/, copied, then each given an
    event of its own (event_path(i)) by `newsevent import`."""
    os.makedirs(folder, exist_ok=True)
    base = os.path.join(folder, "base", "news.db")
    os.makedirs(os.path.dirname(base), exist_ok=True)
    nh.load(nh.Store("sqlite3", base))
    stores = []
    for i in range(n):
        db = os.path.join(folder, "s%04d.db" % i)
        for extra in ("-wal", "-shm"):
            if os.path.exists(db + extra):
                os.remove(db + extra)
        shutil.copyfile(base, db)
        stores.append(nh.Store("sqlite3", db))
    with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
        list(ex.map(lambda i: _own_event(stores[i], folder, i), range(n)))
    user = nh.httpd_user()
    for path in [folder] + [s.params for s in stores]:
        shutil.chown(path, user, user)
    return stores


def pgsql_stores(pg, db, n, jobs=4):
    """n sites in one PostgreSQL database `db`, tables prefixed s0000_ ...,
    each with fixtures/ and an event of its own."""
    pg.store(db, files=[os.devnull])
    params = "host=127.0.0.1 port=%d user=postgres dbname=%s connect_timeout=3" % (pg.port, db)
    stores = [nh.Store("pgsql", params, "s%04d_" % i) for i in range(n)]
    tmp = os.path.join(WORK, "pg-jsonl")
    os.makedirs(tmp, exist_ok=True)

    def one(i):
        nh.load(stores[i])
        _own_event(stores[i], tmp, i)
    with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
        list(ex.map(one, range(n)))
    return stores


def vhosts(stores):
    """One name-based virtual host a store: site(i), NewsEvent On."""
    out = []
    for i, s in enumerate(stores):
        prefix = "    NewsEventTablePrefix %s\n" % s.prefix if s.prefix else ""
        out.append('<VirtualHost *>\n    ServerName %s\n    DBDriver %s\n    DBDParams "%s"\n'
                   '%s    NewsEvent On\n</VirtualHost>\n' % (site(i), s.driver, s.params, prefix))
    return "".join(out)


def children(ppid):
    """Apache's children: the processes whose parent is ppid."""
    out = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open("/proc/%s/stat" % pid) as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == ppid:
                        out.append(int(pid))
            except (OSError, IndexError, ValueError):
                pass
    return sorted(out)


def threads(pid):
    try:
        return len(os.listdir("/proc/%d/task" % pid))
    except OSError:
        return 0


def wait_children(ppid, count=3, per_child=26, seconds=120):
    """Until `count` children run their worker threads (started once
    child_init is over: mod_dbd's connections opened); their pids."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kids = children(ppid)
        if len(kids) >= count and all(threads(k) >= per_child for k in kids):
            return kids
        time.sleep(0.05)
    raise RuntimeError("Apache's children did not start within %d s" % seconds)


def sample(pid):
    """(RSS KiB, open descriptors) of a process, or None once it is gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            rss = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
        return rss, len(os.listdir("/proc/%d/fd" % pid))
    except (OSError, AttributeError):
        return None


def get(port, host, path, timeout=15):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def serve_all(port, n, clients=8, rounds=1, seconds=120, paths=None):
    """Every site asked for its own event (and `paths`, such as its front
    page), from `clients` threads, `rounds` times, bounded by count and by
    `seconds`: each answer must be a 200 holding the site's own event and no
    neighbour's. The failures: (site, path, status, what was wrong)."""
    jobs = [(i, p) for _ in range(rounds) for i in range(n)
            for p in [event_path(i) + ".html"] + list(paths or [])]
    failures, lock, deadline = [], threading.Lock(), time.monotonic() + seconds

    def one(job):
        i, path = job
        if time.monotonic() > deadline:
            with lock:
                failures.append((i, path, None, "not sent: out of time"))
            return
        try:
            status, body = get(port, site(i), path)
        except OSError as e:
            with lock:
                failures.append((i, path, None, str(e)))
            return
        wrong = None
        if status != 200:
            wrong = "status"
        elif headline(i).encode() not in body:
            wrong = "not the site's own archive"
        elif n > 1 and (headline((i + 1) % n).encode() in body
                        or headline((i - 1) % n).encode() in body):
            wrong = "another site's event"
        if wrong:
            with lock:
                failures.append((i, path, status, wrong))
    with concurrent.futures.ThreadPoolExecutor(clients) as ex:
        list(ex.map(one, jobs))
    return failures


def bad_lines(path):
    if not os.path.exists(path):
        return []
    with open(path, errors="replace") as f:
        return [line for line in f.read().splitlines() if BAD.search(line)]


class Run:
    """One Apache with n sites and one pool setting."""

    def __init__(self, name, stores, settings, module=None, cache=None):
        self.root = os.path.join(WORK, "run-" + name)
        shutil.rmtree(self.root, ignore_errors=True)
        self.port = nh.free_port()
        if cache is not None:
            settings += "NewsEventCacheSize %d\n" % cache
        extra = (settings + 'LogFormat "%P %{Host}i %>s" sites\n'
                 'CustomLog "' + self.root + '/sites.log" sites\n' + vhosts(stores))
        self.conf = nh.make_root(self.root, self.port, stores[0], extra=extra, newsevent="",
                                 module=module)

    def start(self):
        t0 = time.monotonic()
        self.proc = subprocess.Popen([nh.HTTPD, "-f", self.conf, "-DFOREGROUND"])
        self.kids = wait_children(self.proc.pid)
        self.started = time.monotonic() - t0
        return self

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=60)

    def sites_per_child(self):
        served = {}
        with open(os.path.join(self.root, "sites.log")) as f:
            for line in f:
                pid, host = line.split()[:2]
                served.setdefault(int(pid), set()).add(host)
        return {pid: len(hosts) for pid, hosts in served.items()}


def mean(xs):
    return sum(xs) / len(xs) if xs else 0


def pg_backends(pg, db):
    """PostgreSQL's connections to db, and their private memory (KiB)."""
    try:
        pids = pg.psql(db, "SELECT pid FROM pg_stat_activity WHERE datname = '%s' "
                           "AND pid <> pg_backend_pid()" % db).stdout.split()
    except subprocess.CalledProcessError:       # no connection left for psql
        return None
    anon = 0
    for pid in pids:
        try:
            with open("/proc/%s/status" % pid) as f:
                anon += int(re.search(r"RssAnon:\s+(\d+)", f.read()).group(1))
        except (OSError, AttributeError):
            pass
    return len(pids), anon


def measure(kind, n, setting, stores, args, pg=None, db=None):
    run = Run("%s-%d-%s" % (kind, n, setting), stores, SETTINGS[setting], args.module,
              args.cache)
    starts = []
    for _ in range(args.starts - 1):            # extra starts: only the error log
        run.start()
        starts.append(run.started)
        run.stop()
    run.start()
    starts.append(run.started)
    try:
        at_start = [s for s in map(sample, run.kids) if s]
        paths = ["/news/index.json"]
        failures = serve_all(run.port, n, clients=args.clients, rounds=args.rounds,
                             paths=paths)
        time.sleep(0.5)
        after = {k: sample(k) for k in run.kids}
        served = run.sites_per_child()
        backends = pg_backends(pg, db) if pg else None
    finally:
        run.stop()
    grow_rss = [(after[k][0] - s0[0]) / served[k] for k, s0 in zip(run.kids, at_start)
                if after.get(k) and served.get(k)]
    grow_fd = [(after[k][1] - s0[1]) / served[k] for k, s0 in zip(run.kids, at_start)
               if after.get(k) and served.get(k)]
    errors = len(bad_lines(os.path.join(run.root, "error.log")))
    row = {
        "store": kind, "sites": n, "settings": setting, "starts": len(starts),
        "start_s": max(starts), "children": len(run.kids),
        "rss_start_mib": mean([s[0] for s in at_start]) / 1024,
        "fds_start": mean([s[1] for s in at_start]),
        "rss_after_mib": mean([a[0] for a in after.values() if a]) / 1024,
        "fds_after": mean([a[1] for a in after.values() if a]),
        "sites_per_child": mean(list(served.values())),
        "kib_per_site": mean(grow_rss), "fds_per_site": mean(grow_fd),
        "requests": n * args.rounds * (1 + len(paths)), "failed": len(failures),
        "error_lines": errors,
        "pg": pg is not None,
        "pg_backends": backends[0] if backends else None,
        "pg_backends_mib": backends[1] / 1024 if backends else None,
    }
    if failures:
        print("  failures, the first: %r" % (failures[:3],), flush=True)
    return row


ROTATE_LUA = """-- wrk: site i's own event, i = 0, 1, ... SITES-1 in turn.
local n, i = tonumber(os.getenv("SITES")), 0
request = function()
    i = (i + 1) %% n
    return wrk.format("GET", string.format("%s.json", i),
                      {Host = string.format("s%%04d.example", i)})
end
""" % ("/news/" + EVENT_DATE.replace("-", "/") + "/only-on-site-%04d")


def rate(port, n, seconds=8, conns=32):
    """Requests/s (wrk, 2 threads, `conns` connections) over n sites' events,
    each site's in turn, and the non-2xx answers."""
    lua = os.path.join(WORK, "rotate.lua")
    with open(lua, "w") as f:
        f.write(ROTATE_LUA)
    out = subprocess.run(["wrk", "-t2", "-c%d" % conns, "-d%ds" % seconds, "-s", lua,
                          "http://127.0.0.1:%d/" % port], capture_output=True, text=True,
                         env=dict(os.environ, SITES=str(n))).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), \
        int(bad.group(1)) if bad else 0


def table(rows):
    head = ("| store | sites | pool settings | start s | RSS MiB at start | fds at start | "
            "RSS MiB after | fds after | sites a child served | KiB a site | fds a site | "
            "requests (failed) | error lines | PostgreSQL connections (MiB) |")
    out = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        pg = "" if not r["pg"] else "no connection left" if r["pg_backends"] is None \
            else "%d (%.0f)" % (r["pg_backends"], r["pg_backends_mib"])
        out.append("| %s | %d | %s | %.1f | %.1f | %.0f | %.1f | %.0f | %.0f | %.0f | %.1f | "
                   "%d (%d) | %d in %d starts | %s |" % (
                       r["store"], r["sites"], r["settings"], r["start_s"], r["rss_start_mib"],
                       r["fds_start"], r["rss_after_mib"], r["fds_after"],
                       r["sites_per_child"], r["kib_per_site"], r["fds_per_site"],
                       r["requests"], r["failed"], r["error_lines"], r["starts"], pg))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sites", default="10,100,1000")
    ap.add_argument("--settings", default="default,min0,recommended",
                    help="among " + ", ".join(SETTINGS))
    ap.add_argument("--stores", default="sqlite3,pgsql")
    ap.add_argument("--module", default=None, help="another build of mod_newsevent.so")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--starts", type=int, default=1)
    ap.add_argument("--rate", action="store_true")
    ap.add_argument("--rate-sites", type=int, default=200)
    ap.add_argument("--rate-seconds", type=int, default=8)
    ap.add_argument("--cache", type=int, default=None,
                    help="NewsEventCacheSize (default: the module's, 32 MiB a child)")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sites.split(",")]
    rows = []
    os.makedirs(WORK, exist_ok=True)
    for kind in args.stores.split(","):
        pg = None
        if kind == "pgsql":
            pg = nh.Postgres(os.path.join(WORK, "pg")).start()
        try:
            t0 = time.monotonic()
            if kind == "sqlite3":
                every = sqlite_stores(os.path.join(WORK, "stores"), max(sizes))
            else:
                every = pgsql_stores(pg, "many", max(sizes))
            print("%s: %d stores made in %.1f s" % (kind, max(sizes), time.monotonic() - t0),
                  flush=True)
            for n in sizes:
                for setting in args.settings.split(","):
                    row = measure(kind, n, setting, every[:n], args, pg, "many")
                    rows.append(row)
                    print(table([row]).splitlines()[-1], flush=True)
            if args.rate:
                n = min(args.rate_sites, max(sizes))
                for setting in args.settings.split(","):
                    run = Run("rate-%s-%s" % (kind, setting), every[:n], SETTINGS[setting],
                              args.module, args.cache).start()
                    serve_all(run.port, n, clients=args.clients)      # warm
                    rps, non2xx = rate(run.port, n, seconds=args.rate_seconds)
                    kids = [x for x in map(sample, children(run.proc.pid)) if x]
                    print("%s, %d sites, %s: %.0f requests/s (%d not 2xx); then %d children, "
                          "mean RSS %.1f MiB, %.0f descriptors" % (
                              kind, n, setting, rps, non2xx, len(kids),
                              mean([k[0] for k in kids]) / 1024, mean([k[1] for k in kids])),
                          flush=True)
                    run.stop()
        finally:
            if pg is not None:
                pg.stop()
    print()
    print(table(rows))


if __name__ == "__main__":
    main()
