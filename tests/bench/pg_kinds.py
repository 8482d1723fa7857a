#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Each kind of page on PostgreSQL beside SQLite: the same events (the
fixtures and the first N generated ones) in a SQLite store and in a
PostgreSQL store of a cluster of our own (scripts/newsevent_httpd.py's), two
Apaches configured alike but for DBDriver, loaded one kind at a time with
wrk (32 connections, 2 s of warm-up, then the measured seconds), the two
stores alternated in each round. For each: requests/s, and CPU a request
of Apache's processes and, for PostgreSQL, of the cluster's too (from
/proc). The ratio PostgreSQL / SQLite of requests/s is the one to read.

    pg_kinds.py [--events 100000] [--seconds 5] [--rounds 2] [--kinds "event .json"]
"""

import argparse
import os
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402
import kinds  # noqa: E402
import newsevent_httpd as nh  # noqa: E402


def cluster_cpu():
    """Seconds of CPU used so far by the postgres processes (the cluster's:
    no other runs here while it is measured)."""
    return kinds.processes_cpu(["-u", "postgres", "-f", "postgres"])


def first_events(n):
    """The first n generated events, as a file of their own."""
    gen = bench.generated(1000000)
    part = os.path.join(bench.BENCH, "gen-first-%d.jsonl" % n)
    if not os.path.exists(part):
        with open(gen) as src, open(part + ".tmp", "w") as out:
            for i, line in enumerate(src):
                if i >= n:
                    break
                out.write(line)
        os.rename(part + ".tmp", part)
    return part


def measure(apache, paths, seconds, with_cluster):
    kinds.load(apache, paths, 2)
    before = kinds.apache_cpu(apache.conf) + (cluster_cpu() if with_cluster else 0)
    rps = kinds.load(apache, paths, seconds)
    after = kinds.apache_cpu(apache.conf) + (cluster_cpu() if with_cluster else 0)
    return rps, (after - before) / (rps * seconds) * 1e6


def pg_apache(root, params, rows, const_so, extra):
    """An Apache as bench.Apache, its store PostgreSQL's."""
    apache = bench.Apache.__new__(bench.Apache)
    apache.root, apache.port = root, nh.free_port()
    apache.conf = bench.make_root(root, apache.port, "PLACEHOLDER", rows, const_so, extra)
    text = open(apache.conf).read().replace("DBDriver sqlite3", "DBDriver pgsql")
    text = text.replace('DBDParams "PLACEHOLDER"', 'DBDParams "%s"' % params)
    open(apache.conf, "w").write(text)
    apache.start()
    return apache


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--events", type=int, default=100000)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--conf", default="", help="directives added to both configurations")
    ap.add_argument("--kinds", default=",".join(kinds.KINDS))
    args = ap.parse_args()
    os.makedirs(bench.BENCH, exist_ok=True)
    const_so = bench.build_const_module()
    files = nh.fixture_files() + [first_events(args.events)]
    db = os.path.join(bench.BENCH, "pg-kinds-sqlite", "news.db")
    shutil.rmtree(os.path.dirname(db), ignore_errors=True)
    t0 = time.time()
    nh.sqlite_store(db, files)
    t1 = time.time()
    pg_dir = os.path.join(bench.BENCH, "pg-kinds-cluster")
    pg = nh.Postgres(pg_dir).start()
    servers = []
    try:
        store = pg.store("kinds", files)
        t2 = time.time()
        print("imported %d events: SQLite %.1f s, PostgreSQL %.1f s" % (args.events,
                                                                       t1 - t0, t2 - t1))
        rows = args.events
        paths = kinds.kind_files(db)
        bench.warm_file(db)
        extra = "\n" + args.conf + "\n"
        lite = bench.Apache(os.path.join(bench.BENCH, "run-pg-kinds-sqlite"), db, rows,
                            const_so, extra)
        servers.append(lite)
        pgs = pg_apache(os.path.join(bench.BENCH, "run-pg-kinds-pgsql"), store.params, rows,
                        const_so, extra)
        servers.append(pgs)
        print("kind: SQLite req/s (Apache CPU µs a request); PostgreSQL req/s (Apache + "
              "postgres CPU µs); ratio of req/s")
        for r in range(args.rounds):
            for kind in [k for k in args.kinds.split(",") if k]:
                a = measure(lite, paths[kind], args.seconds, False)
                b = measure(pgs, paths[kind], args.seconds, True)
                print("round %d: %-12s SQLite %7.0f (%5.0f); PostgreSQL %7.0f (%5.0f); "
                      "%.2fx" % (r + 1, kind, a[0], a[1], b[0], b[1], b[0] / a[0]),
                      flush=True)
    finally:
        for s in servers:
            s.stop()
        pg.stop()


if __name__ == "__main__":
    main()
