#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes over HTTP while reads run, on each store: how many PUTs a second
one editor and four editors get (each PUT replaces an event with If-Match on
the version it read, as an editor's client does), and what the reads (wrk,
an event's .json, 32 connections, the module's cache off) lose meanwhile.

    /usr/bin/python3 tests/bench/write_bench.py [--seconds 8] [--stores sqlite3 pgsql]

Apache (event MPM) on a free loopback port with scripts/newsevent_httpd.py's
configuration and the fixtures; PostgreSQL on loopback in build/bench-pg.
Every loop is bounded by --seconds.
"""
import argparse
import base64
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "scripts"))
sys.path.insert(0, HERE)
import newsevent_editors  # noqa: E402
import newsevent_httpd  # noqa: E402
from bench import wrk  # noqa: E402

AUTH = "Basic " + base64.b64encode(b"editor:editor").decode()
READ = ("/news/2017/11/23/sudanese-president-omar-al-bashir-wanted-by-the-icc-for-allegations-"
        "of-genocide-and-war-crimes-asks-russian-president-vladimir-putin-for-i.json")


def writer(port, i, stop, counts):
    """PUT the writer's own event again and again, each on the version read."""
    path = "/news/2018/07/01/bench-writer-%d" % i
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    etag, n = None, 0
    while time.monotonic() < stop:
        body = json.dumps({"date": "2018-07-01", "headline": "Bench writer %d, version %d"
                           % (i, n), "topics": ["Benchmarks", "Vladimir Putin"]})
        headers = {"Content-Type": "application/json", "Authorization": AUTH}
        if etag:
            headers["If-Match"] = etag
        conn.request("PUT", path, body=body, headers=headers)
        r = conn.getresponse()
        r.read()
        counts[r.status] = counts.get(r.status, 0) + 1
        etag = r.getheader("ETag")
        n += 1
    conn.close()


def measure(port, writers, seconds):
    """Reads/s (wrk) with `writers` editors writing meanwhile, and writes/s."""
    counts, threads = {}, []
    stop = time.monotonic() + seconds
    for i in range(writers):
        t = threading.Thread(target=writer, args=(port, i, stop, counts))
        t.start()
        threads.append(t)
    started = time.monotonic()
    rps, p50, p99, _, _ = wrk("http://127.0.0.1:%d%s" % (port, READ), 32, seconds)
    for t in threads:
        t.join(timeout=seconds + 30)
    elapsed = max(time.monotonic() - started, 0.001)
    return rps, p99, counts.get(200, 0) + counts.get(201, 0), elapsed, counts


def serve(root, store, port):
    extra = newsevent_editors.editor_config(root) + "NewsEventCacheSize 0\n"
    conf = newsevent_httpd.make_root(root, port, store, extra=extra)
    proc = subprocess.Popen([newsevent_httpd.HTTPD, "-f", conf, "-DFOREGROUND"])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", READ)
            if c.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("Apache did not answer")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--stores", nargs="+", default=["sqlite3", "pgsql"])
    args = ap.parse_args()
    rows = []
    for kind in args.stores:
        work = tempfile.mkdtemp(prefix="newsevent-wbench-")
        os.chmod(work, 0o755)
        pg = None
        if kind == "pgsql":
            pg = newsevent_httpd.Postgres(os.path.join(work, "pg")).start()
            store = pg.store("wbench")
        else:
            store = newsevent_httpd.sqlite_store(os.path.join(work, "store", "news.db"))
        port = newsevent_httpd.free_port()
        proc = serve(os.path.join(work, "root"), store, port)
        try:
            for writers in (0, 1, 4):
                rps, p99, done, elapsed, counts = measure(port, writers, args.seconds)
                rows.append((kind, writers, rps, p99, done / elapsed, counts))
                print("%-8s %d writers: reads %8.0f/s (p99 %.2f ms), writes %6.1f/s %s"
                      % (kind, writers, rps, p99, done / elapsed, counts), flush=True)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
            if pg:
                pg.stop()
    print("\n| store | editors writing | reads/s (p99) | writes/s |\n|---|---|---|---|")
    for kind, writers, rps, p99, wps, _ in rows:
        print("| %s | %d | %.0f (%.2f ms) | %s |" % (kind, writers, rps, p99,
                                                    "%.1f" % wps if writers else "-"))


if __name__ == "__main__":
    main()
