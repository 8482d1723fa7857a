#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Time each kind of request against a generated store, through a real
Apache on loopback, with the module's cache off: median and 95th
percentile over N requests per kind, sequential, keep-alive. A measure,
never a test.

    gen_events.py --events 100000 > /tmp/store.jsonl
    list_timing.py --jsonl /tmp/store.jsonl [--requests 200]
"""

import argparse
import http.client
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "http"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts"))
import newsevent_httpd as nh  # noqa: E402
from conftest import Server  # noqa: E402


def urls_by_kind(db, rnd, n):
    c = sqlite3.connect(db)
    dates = [r[0] for r in c.execute("SELECT date FROM days ORDER BY date")]
    big = c.execute("SELECT slug, event_count FROM topics ORDER BY event_count DESC"
                    " LIMIT 1").fetchone()
    small = [r[0] for r in c.execute("SELECT slug FROM topics"
                                     " WHERE event_count BETWEEN 5 AND 50")]
    events = c.execute("SELECT date, slug FROM events ORDER BY random() LIMIT ?", (n,)).fetchall()
    big_events = c.execute(
        "SELECT e.date, e.slug FROM event_topics et JOIN events e ON e.id = et.event_id"
        " JOIN topics t ON t.id = et.topic_id WHERE t.slug = ? ORDER BY random() LIMIT ?",
        (big[0], n)).fetchall()
    path = lambda d: d.replace("-", "/")
    pick = lambda seq: seq[rnd.randrange(len(seq))]
    return {
        "event (random, .json)": ["/news/%s/%s.json" % (path(d), s) for d, s in events],
        "event with the biggest topic (.json)":
            ["/news/%s/%s.json" % (path(d), s) for d, s in big_events],
        "day (.json)": ["/news/%s/index.json" % path(pick(dates)) for _ in range(n)],
        "month page 1 (.json)": ["/news/%s/index.json" % path(pick(dates)[:7]) for _ in range(n)],
        "year (.json)": ["/news/%s/index.json" % pick(dates)[:4] for _ in range(n)],
        "front page (.json)": ["/news/index.json"] * n,
        "topic, small (.json)": ["/news/topics/%s.json" % pick(small) for _ in range(n)],
        "topic, %d events, page 1 (.json)" % big[1]: ["/news/topics/%s.json" % big[0]] * n,
        "topic, %d events, page 500 (.json)" % big[1]:
            ["/news/topics/%s.json?page=500" % big[0]] * n,
        "feed.atom": ["/news/feed.atom"] * n,
        "topic feed, biggest topic": ["/news/topics/%s.atom" % big[0]] * n,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--jsonl", required=True)
    ap.add_argument("--requests", type=int, default=200)
    args = ap.parse_args()
    root = tempfile.mkdtemp(prefix="newsevent-bench-")
    os.chmod(root, 0o755)
    db = os.path.join(root, "store", "news.db")
    store = nh.sqlite_store(db, [args.jsonl])
    # The cache off: every request is a read of the store and a rendering.
    srv = Server(root, store, extra="NewsEventCacheSize 0").start()
    rnd = random.Random(7)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
        print("| request | median ms | p95 ms | bytes |")
        print("|---|---|---|---|")
        for kind, urls in urls_by_kind(db, rnd, args.requests).items():
            times, size = [], 0
            for u in urls[:args.requests]:
                t0 = time.perf_counter()
                conn.request("GET", u)
                r = conn.getresponse()
                body = r.read()
                times.append((time.perf_counter() - t0) * 1000)
                if r.status != 200:
                    raise SystemExit("%s: %d %s" % (u, r.status, body[:200]))
                size = len(body)
            times.sort()
            print("| %s | %.2f | %.2f | %d |" % (kind, statistics.median(times),
                                                 times[int(len(times) * 0.95) - 1], size))
    finally:
        srv.stop()


if __name__ == "__main__":
    main()
