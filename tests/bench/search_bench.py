#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Search latency through the module, kind of query by kind, on the
million-event store of `make bench` (or --db, or a PostgreSQL store).

Starts Apache as bench.py does (event MPM, its configuration) with the
module's cache off (`NewsEventCacheSize 0`), so that every request reaches
the store, on a free loopback port; then one client, one keep-alive
connection, sequential GETs of `/news/search.json?q=...`: the wall time of
each, request sent to body read. Each kind is --queries distinct queries,
drawn with a seeded generator from the generated corpus's words (see
gen_events.py: every headline and body is drawn from its ~120 words, so
each of them is in a fifth to a third of all events; the rare words are
the names of the tail's topics), run --rounds times, each kind's round
bounded by --seconds. Prints one table: requests, matches (the median
`total`), p50, p95 and max in ms, and each round's p95.

    search_bench.py [--events 1000000] [--queries 50] [--rounds 2] [--seconds 60]
                    [--db STORE.db] [--pgsql 'host=... dbname=...']
                    [--kinds "common word, relevance;phrase, date"] [--conf DIRECTIVES]

--sql times, instead, SQLite statements of the designs the notes measured
(Python's sqlite3 on the same store, one connection): the first search's
count and page (`--statements "count;page"`), then the bounded variants
proposed in the notes (`--statements "count capped;newest"`). The module's
own statements today are in mod_newsevent/ne_store_stmts.c (they need its
rank function, which Python cannot register).
"""

import argparse
import http.client
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402
import gen_events  # noqa: E402

FUNCTION_WORDS = set("after amid despite following during over against with for of the a in on "
                     "to and by as its new".split())


def vocabulary():
    """The generator's content words, in its order, without repeats."""
    seen = []
    for w in gen_events.WORDS:
        if w not in FUNCTION_WORDS and w not in seen:
            seen.append(w)
    return seen


def rare_words(db, pgsql=None):
    """Single words found in few events: the first word of a tail topic's
    name (`Zorapi Council`), from topics of 20 to 200 events."""
    sql = ("SELECT name FROM topics WHERE event_count BETWEEN 20 AND 200 ORDER BY id")
    names = [r[0] for r in sqlite3.connect(db).execute(sql)] if pgsql is None else pgsql(sql)
    words = sorted({n.split()[0].lower() for n in names})
    return words


def big_topics(db, pgsql=None, n=20):
    sql = "SELECT slug FROM topics ORDER BY event_count DESC LIMIT %d" % n
    return [r[0] for r in sqlite3.connect(db).execute(sql)] if pgsql is None else pgsql(sql)


def kinds(db, count, pgsql=None, seed=1):
    """kind -> a list of parameter dicts (q, sort, topic, from, to)."""
    rnd = random.Random(seed)
    vocab, rare, topics = vocabulary(), rare_words(db, pgsql), big_topics(db, pgsql)

    def pairs():
        out = []
        while len(out) < count:
            a, b = rnd.sample(vocab, 2)
            if (a, b) not in out:
                out.append((a, b))
        return out

    def triples():
        return [tuple(rnd.sample(vocab, 3)) for _ in range(count)]

    def words(pool):
        return [pool[i % len(pool)] for i in range(count)] if len(pool) < count \
            else rnd.sample(pool, count)

    base = {
        "rare word": [{"q": w} for w in words(rare)],
        "common word": [{"q": w} for w in words(vocab)],
        "phrase": [{"q": '"%s %s"' % p} for p in pairs()],
        "exclusion": [{"q": "%s -%s" % p} for p in pairs()],
        "OR": [{"q": "%s OR %s" % p} for p in pairs()],
        "common word, topic": [{"q": w, "topic": rnd.choice(topics)} for w in words(vocab)],
        "common word, a year": [],
    }
    sql = "SELECT MIN(date), MAX(date) FROM days"
    first, last = sqlite3.connect(db).execute(sql).fetchone() if pgsql is None \
        else pgsql(sql)[0].split("|")
    last = int(last[:4])
    first = max(int(first[:4]), last - 35)      # the last 36 years of the store
    for w in words(vocab):
        year = rnd.randint(first, last)
        base["common word, a year"].append({"q": w, "from": "%d-01-01" % year,
                                            "to": "%d-12-31" % year})
    # Three common words in a row seldom occur: the pass reads every event
    # holding all three (a phrase's worst case). Drawn last, so that the
    # kinds above keep their queries.
    base["phrase of three"] = [{"q": '"%s %s %s"' % t} for t in triples()]
    # A common word in a small topic (500 to 2,000 events): drawn last, so
    # that the kinds above keep their queries.
    sql = "SELECT slug FROM topics WHERE event_count BETWEEN 500 AND 2000 ORDER BY id LIMIT 200"
    small = [r[0] for r in sqlite3.connect(db).execute(sql)] if pgsql is None else pgsql(sql)
    base["common word, small topic"] = [{"q": w, "topic": rnd.choice(small)}
                                        for w in words(vocab)] if small else []
    out = {}
    for name, params in base.items():
        for sort in ("relevance", "date"):
            out["%s, %s" % (name, sort)] = [dict(p, sort=sort) for p in params]
    return out


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def run_http(apache, table, rounds, seconds):
    conn = http.client.HTTPConnection("127.0.0.1", apache.port, timeout=60)

    def get(params):
        path = "/news/search.json?" + urllib.parse.urlencode(params)
        t0 = time.perf_counter()
        conn.request("GET", path)
        r = conn.getresponse()
        body = r.read()
        ms = (time.perf_counter() - t0) * 1000
        if r.status != 200:
            raise RuntimeError("%s: %d %s" % (path, r.status, body[:200]))
        return ms, body

    # Warm-up: each of the children's pooled connections prepares the search
    # statements when a search first comes on it (a cheap query: a rare word).
    for params in table[next(iter(table))][-20:]:
        get(params)
    results = {k: {"ms": [], "round_p95": [], "totals": [], "bytes": []} for k in table}
    for rnd in range(rounds):
        for kind, queries in table.items():
            res, start, mss = results[kind], time.time(), []
            for params in queries:
                if time.time() - start > seconds:
                    break
                ms, body = get(params)
                mss.append(ms)
                if rnd == 0:
                    res["totals"].append(json.loads(body)["total"])
                    res["bytes"].append(len(body))
            res["ms"] += mss
            res["round_p95"].append(pct(mss, 95))
            print("  round %d %-34s n=%3d p50 %7.2f p95 %7.2f max %7.2f ms" % (
                rnd + 1, kind, len(mss), pct(mss, 50), pct(mss, 95), max(mss)), flush=True)
    conn.close()
    print("\n| kind | requests | matches (median) | p50 ms | p95 ms | max ms | p95 by round |"
          "\n|---|---|---|---|---|---|---|")
    for kind, res in results.items():
        print("| %s | %d | %s | %.1f | %.1f | %.1f | %s |" % (
            kind, len(res["ms"]), "{:,}".format(int(statistics.median(res["totals"]))),
            pct(res["ms"], 50), pct(res["ms"], 95), max(res["ms"]),
            ", ".join("%.1f" % v for v in res["round_p95"])))


# --sql: the first search's SQLite statements, and the FTS5 query the
# module writes (ne_search_fts5), for the query forms above; then the
# bounded variants the notes proposed.
FILTERS = (" AND e.date >= :from AND e.date <= :to AND (:topic = '' OR e.id IN (SELECT"
           " et.event_id FROM event_topics et JOIN topics t ON t.id = et.topic_id"
           " WHERE t.slug = :topic))")
COLS = ("SELECT e.id, e.date, e.slug, e.category, e.story, e.headline, e.body, e.image,"
        " e.updated, snippet(events_search, -1, char(1), char(2), '…', 24)")
RANK = "bm25(events_search, 10.0, 2.0, 2.0, 1.0, 4.0)"
FROM = (" FROM events_search JOIN events e ON e.id = events_search.rowid"
        " WHERE events_search MATCH :q")
SNIPPET = "snippet(events_search, -1, char(1), char(2), '…', 24)"
# The proposals read a date range as a range of rowids too (the ids of the
# range's first and last events: a superset of its events' ids, so the
# answer stays exact; FTS5 then skips the rest of each doclist).
RANGE = " AND events_search.rowid BETWEEN :lo AND :hi"
# At most :n matches, newest first in FTS5's own order (rowid DESC, no
# sort); the page of them by rank or date; snippets for that page only.
NEWEST = ("WITH m AS (SELECT events_search.rowid AS id, e.date AS date, %s AS r" + FROM + FILTERS
          + RANGE + " ORDER BY events_search.rowid DESC LIMIT :n),"
          " p AS (SELECT id, date, r FROM m ORDER BY %s LIMIT 20)"
          " SELECT p.id, " + SNIPPET + " FROM p JOIN events_search ON events_search.rowid = p.id"
          " WHERE events_search MATCH :q ORDER BY %s")
SQL = {
    "count": "SELECT COUNT(*)" + FROM + FILTERS,
    "page relevance": COLS + FROM + FILTERS + " ORDER BY " + RANK + ", e.id DESC LIMIT 20",
    "page date": COLS + FROM + FILTERS + " ORDER BY e.date DESC, e.id DESC LIMIT 20",
    # Proposed: count at most :cap + 1 matches (the page says "10,000+").
    "count capped": "SELECT COUNT(*) FROM (SELECT 1" + FROM + FILTERS + RANGE + " LIMIT :cap + 1)",
    "newest relevance": NEWEST % (RANK, "r, id DESC", "p.r, p.id DESC"),
    "newest date": NEWEST % ("0", "date DESC, id DESC", "p.date DESC, p.id DESC"),
}


def fts5(q):
    """ne_search_fts5 for the forms kinds() makes."""
    if q.startswith('"'):
        return "(%s)" % q
    if " OR " in q:
        a, b = q.split(" OR ")
        return '("%s" OR "%s")' % (a, b)
    if " -" in q:
        a, b = q.split(" -")
        return '(("%s")) NOT ("%s")' % (a, b)
    return '("%s")' % q


def run_sql(db, table, statements, repeat, cap, recent):
    c = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    print("| kind | statement | ms median | ms max | rows |\n|---|---|---|---|---|")
    for kind, queries in table.items():
        sort = "date" if kind.endswith("date") else "relevance"
        for name in statements:
            if name in ("page", "newest"):
                name = name + " " + sort
            mss, rows = [], 0
            for params in queries[:repeat]:
                args = {"q": fts5(params["q"]), "from": params.get("from", "0000-01-01"),
                        "to": params.get("to", "9999-12-31"), "topic": params.get("topic", ""),
                        "cap": cap, "n": recent, "lo": 0, "hi": 1 << 62}
                t0 = time.perf_counter()
                if "from" in params and name.split()[0] in ("count", "newest") and name != "count":
                    lo, hi = c.execute("SELECT MIN(id), MAX(id) FROM events"
                                       " WHERE date >= :from AND date <= :to", args).fetchone()
                    args.update(lo=lo or 0, hi=hi or 0)
                if params.get("topic") and name in ("count capped", "newest relevance",
                                                    "newest date"):
                    # The topic's name in the MATCH too (FTS5 intersects the
                    # doclists); the exact filter stays.
                    name_ = c.execute("SELECT name FROM topics WHERE slug = ?",
                                      (params["topic"],)).fetchone()[0]
                    args["q"] = '(%s) AND topic_names : "%s"' % (args["q"], name_)
                got = c.execute(SQL[name], args).fetchall()
                mss.append((time.perf_counter() - t0) * 1000)
                rows = got[0][0] if name.startswith("count") else len(got)
            print("| %s | %s | %.1f | %.1f | %s |" % (kind, name, statistics.median(mss),
                                                      max(mss), rows), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--events", type=int, default=1000000)
    ap.add_argument("--db", help="a SQLite store (default: make bench's store of --events)")
    ap.add_argument("--pgsql", help="DBDParams of a PostgreSQL store, instead of SQLite")
    ap.add_argument("--queries", type=int, default=50, help="distinct queries a kind")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=60, help="bound on a kind's round")
    ap.add_argument("--kinds", default="", help="kinds separated by ';' (default: all)")
    ap.add_argument("--conf", default="", help="directives added to the configuration "
                    "(say, DBDInitSQL \"SET plan_cache_mode = force_custom_plan\")")
    ap.add_argument("--sql", action="store_true",
                    help="time the SQLite statements with Python instead of requests")
    ap.add_argument("--statements", default="count;page",
                    help="with --sql, separated by ';': count, page (the module's two),\n"
                         "count capped, newest (the proposals)")
    ap.add_argument("--cap", type=int, default=10000, help="with --sql: count capped at")
    ap.add_argument("--recent", type=int, default=10000,
                    help="with --sql: newest ranks or sorts at most this many matches")
    args = ap.parse_args()
    pg_query = None
    if args.pgsql:
        import subprocess
        kv = dict(p.split("=", 1) for p in args.pgsql.split())

        def pg_query(sql):
            out = subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-h", kv["host"],
                                  "-p", kv["port"], "-d", kv["dbname"], "-qAtc", sql],
                                 check=True, capture_output=True, text=True).stdout
            return [line for line in out.splitlines() if line]
        db = None
    else:
        os.makedirs(bench.BENCH, exist_ok=True)
        db = args.db or bench.store(args.events)
    table = kinds(db, args.queries, pg_query)
    if args.kinds:
        table = {k: table[k] for k in args.kinds.split(";") if k}
    if args.sql:
        run_sql(db, table, args.statements.split(";"), args.queries, args.cap, args.recent)
        return
    const_so = bench.build_const_module()
    root = os.path.join(bench.BENCH, "run-search")
    shutil.rmtree(root, ignore_errors=True)
    extra = "\nNewsEventCacheSize 0\n" + args.conf + "\n"
    if args.pgsql:
        extra += 'DBDriver pgsql\nDBDParams "%s"\n' % args.pgsql
        rows = int(pg_query("SELECT COUNT(*) FROM events")[0])
        apache = bench.Apache(root, "/nonexistent", rows, const_so, extra)
    else:
        rows = sqlite3.connect(db).execute("SELECT COUNT(*) FROM events").fetchone()[0]
        bench.nh.own_store(db)
        bench.warm_file(db)
        apache = bench.Apache(root, db, rows, const_so, extra)
    try:
        print("%d events, %s; one client, sequential keep-alive GETs of /news/search.json, "
              "the module's cache off" % (rows, "PostgreSQL" if args.pgsql else "SQLite"))
        run_http(apache, table, args.rounds, args.seconds)
    finally:
        apache.stop()


if __name__ == "__main__":
    main()
