#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""make bench: the module against the yardsticks of issue 8, side by side in
one run, with wrk on loopback. Prints one table and writes RESULTS.md.

Cases: a static file with sendfile (the ceiling); a handler writing a
constant buffer (the limit for any module); MultiViews over pre-rendered
files; a static file with Apache's defaults; a mod_lua handler reading one
row through mod_dbd and SQLite (the dynamic peer); and the module: one event
by extension (HTML, JSON), negotiated, and a random mix over every URL kind
and format on a small and a large store. Then target 5: the large store's
generated events imported into a new SQLite store, and exported again.

    bench.py [--seconds 8] [--big 1000000] [--small 10000]
"""

import argparse
import datetime
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "scripts"))
import newsevent_httpd as nh  # noqa: E402

BENCH = os.path.join(REPO, "build", "bench")
BIG_MIX = "newsevent, mix, big store"
MODULES = "/usr/lib/apache2/modules"
EVENT = ("/2017/11/23/sudanese-president-omar-al-bashir-wanted-by-the-icc-for-allegations-of-"
         "genocide-and-war-crimes-asks-russian-president-vladimir-putin-for-i")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def version(*paths):
    """A digest of files: generated events are kept between runs until the
    generator changes, stores until it or the SQLite schema does."""
    import hashlib
    h = hashlib.sha1()
    for path in paths:
        with open(path, "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:8]


GENERATOR = os.path.join(HERE, "gen_events.py")
SCHEMA = os.path.join(REPO, "conf", "schema-sqlite.sql")
SCHEMA_STEPS = [os.path.join(REPO, "conf", "schema-sqlite-%d.sql" % v)  # newsevent init runs them
                for v in (2, 3, 4)]


def generated(n):
    """The generator's n events as JSON Lines, kept between runs."""
    gen = os.path.join(BENCH, "gen-%d-%s.jsonl" % (n, version(GENERATOR)))
    if not os.path.exists(gen):
        with open(gen + ".tmp", "w") as out:
            sh(["/usr/bin/python3", GENERATOR, "--events", str(n)], stdout=out)
        os.rename(gen + ".tmp", gen)
    return gen


def store(n):
    """A SQLite store of the fixtures and n generated events, kept between runs."""
    db = os.path.join(BENCH, "store-%d-%s" % (n, version(GENERATOR, SCHEMA, *SCHEMA_STEPS)),
                      "news.db")
    if os.path.exists(db):
        return db
    gen = generated(n)
    t0 = time.time()
    nh.sqlite_store(db, nh.fixture_files() + [gen])
    print("  store of %d events imported in %.1f s" % (n, time.time() - t0), flush=True)
    return db


def bulk(n):
    """Target 5: n generated events imported into a new SQLite store, then
    exported; the seconds each took (the input file read once first, as
    the stores are)."""
    gen = generated(n)
    work = os.path.join(BENCH, "bulk")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    db, tool = os.path.join(work, "news.db"), os.path.join(nh.BUILD, "newsevent")
    sh([tool, "--params", db, "init"], stderr=subprocess.DEVNULL)
    warm_file(gen)
    t0 = time.time()
    sh([tool, "--params", db, "import", gen], stderr=subprocess.DEVNULL)
    t1 = time.time()
    sh([tool, "--params", db, "export", os.path.join(work, "export.jsonl")])
    t2 = time.time()
    shutil.rmtree(work)
    print("  bulk: %d events imported in %.1f s, exported in %.1f s" % (n, t1 - t0, t2 - t1),
          flush=True)
    return [("import (JSON Lines into a new SQLite store)", n, t1 - t0),
            ("export (the store to JSON Lines)", n, t2 - t1)]


def warm_file(path):
    """Read a store once, so that it starts in the OS page cache as a serving
    machine's store would be (this machine's kernel reclaims idle pages
    between runs, and a cold million-event store halves the mix's rate)."""
    with open(path, "rb") as f:
        while f.read(1 << 22):
            pass


def build_const_module():
    so = os.path.join(BENCH, "mod_bench_const.so")
    work = os.path.join(BENCH, "const")
    os.makedirs(work, exist_ok=True)
    shutil.copy(os.path.join(HERE, "mod_bench_const.c"), work)
    sh(["apxs", "-c", "-o", "mod_bench_const.la", "mod_bench_const.c"], cwd=work,
       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # A new file renamed over the old: an Apache of another run that has the
    # old one loaded keeps it rather than crashing.
    shutil.copy(os.path.join(work, ".libs", "mod_bench_const.so"), so + ".new")
    os.replace(so + ".new", so)
    return so


def config(root, port, db, rows, const_so):
    docs = os.path.join(root, "htdocs")
    return f"""ServerRoot "{root}"
DefaultRuntimeDir "{root}"
PidFile "{root}/httpd.pid"
Listen 127.0.0.1:{port}
ServerName 127.0.0.1:{port}
User www-data
Group www-data
ErrorLog "{root}/error.log"
LogLevel warn
LoadModule mpm_event_module {MODULES}/mod_mpm_event.so
LoadModule authz_core_module {MODULES}/mod_authz_core.so
LoadModule mime_module {MODULES}/mod_mime.so
LoadModule negotiation_module {MODULES}/mod_negotiation.so
LoadModule dbd_module {MODULES}/mod_dbd.so
LoadModule lua_module {MODULES}/mod_lua.so
LoadModule bench_const_module {const_so}
LoadModule newsevent_module {nh.BUILD}/mod_newsevent.so
TypesConfig /etc/mime.types
StartServers 2
ServerLimit 2
ThreadsPerChild 100
MaxRequestWorkers 200
ThreadLimit 100
KeepAlive On
MaxKeepAliveRequests 0
DocumentRoot "{docs}"
<Directory "{docs}">
    Require all granted
    EnableSendfile On
</Directory>
<Directory "{docs}/static-default">
    EnableSendfile Off
</Directory>
<Directory "{docs}/mv">
    Options +MultiViews
</Directory>
<Location "/">
    Require all granted
</Location>
BenchConstFile "{docs}/static/event.html"
<Location "/const">
    SetHandler bench-const
</Location>
DBDriver sqlite3
DBDParams "{db}"
DBDMin 2
DBDKeep 8
DBDMax 100
DBDPrepareSQL "SELECT headline FROM events WHERE id = %d" benchrow
LuaScope thread
<Location "/lua">
    SetHandler lua-script
</Location>
NewsEvent On
"""


def wrk(url, conns, seconds, accept=None, script=None, env=None):
    cmd = ["wrk", "-t2", "-c%d" % conns, "-d%ds" % seconds, "--latency", "--timeout", "10s"]
    if accept:
        cmd += ["-H", "Accept: " + accept]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True,
                         env=dict(os.environ, **(env or {}))).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p):
        m = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)" % p, out)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    errors = re.search(r"Socket errors: (.*)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, pct(50), pct(99), (errors.group(1) if errors else ""), \
        int(non2xx.group(1)) if non2xx else 0


def mix_paths(db, path, count=200000, seed=1):
    """Events in every format, days, months, years and topics, drawn evenly."""
    c = sqlite3.connect(db)
    rnd = random.Random(seed)
    # A seeded draw (SQLite's random() is not): the same paths every run,
    # so that callgrind.py's counts compare from one build to the next.
    every = [r[0] for r in c.execute("SELECT id FROM events")]
    ids = rnd.sample(every, min(count, len(every)))
    found = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        found.update((r[0], r[1:]) for r in c.execute(
            "SELECT id, date, slug FROM events WHERE id IN (%s)" % ",".join("?" * len(chunk)),
            chunk))
    events = [found[i] for i in ids]
    days = [r[0] for r in c.execute("SELECT date FROM days")]
    topics = [r[0] for r in c.execute("SELECT slug FROM topics")]
    out = []
    for i in range(count):
        kind = i % 8
        if kind < 4:
            d, s = events[i % len(events)]
            out.append("/news/%s/%s.%s" % (d.replace("-", "/"), s, ("html", "json", "xml", "md")[kind]))
        elif kind == 4:
            out.append("/news/%s/index.json" % rnd.choice(days).replace("-", "/"))
        elif kind == 5:
            out.append("/news/%s/" % rnd.choice(days).replace("-", "/"))
        elif kind == 6:
            out.append("/news/topics/%s.json" % rnd.choice(topics))
        else:
            out.append("/news/%s/index.md" % rnd.choice(days)[:7].replace("-", "/"))
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    return path


def make_root(root, port, db, rows, const_so, extra=""):
    """ROOT with the bench configuration, the constant module's placeholder
    page and the mod_lua peer; the configuration's path."""
    os.makedirs(os.path.join(root, "htdocs", "static"), exist_ok=True)
    placeholder = os.path.join(root, "htdocs", "static", "event.html")
    if not os.path.exists(placeholder):
        open(placeholder, "w").write("placeholder until the module renders it\n")
    conf = os.path.join(root, "httpd.conf")
    with open(conf, "w") as f:
        f.write(config(root, port, db, rows, const_so) + extra)
    with open(os.path.join(root, "htdocs", "lua"), "w") as f:
        f.write(open(os.path.join(HERE, "lua_peer.lua")).read().replace("ROWS", str(rows)))
    return conf


class Apache:
    def __init__(self, root, db, rows, const_so, extra=""):
        self.root, self.port = root, nh.free_port()
        self.conf = make_root(root, self.port, db, rows, const_so, extra)
        self.start()

    def start(self):
        self.proc = subprocess.Popen([nh.HTTPD, "-f", self.conf, "-DFOREGROUND"])
        for _ in range(100):
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/news/" % self.port, timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("apache did not start")

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)


def pages(apache):
    """Static copies of the very bytes the module sends."""
    docs = os.path.join(apache.root, "htdocs")
    for d in ("static", "static-default", "mv"):
        os.makedirs(os.path.join(docs, d), exist_ok=True)
    for ext in ("html", "json", "xml", "md"):
        body = urllib.request.urlopen(apache.url("/news" + EVENT + "." + ext)).read()
        for d in ("static", "static-default", "mv"):
            if d == "mv" or ext == "html":
                with open(os.path.join(docs, d, "event." + ext), "wb") as f:
                    f.write(body)
    return len(urllib.request.urlopen(apache.url("/news" + EVENT + ".html")).read())


def run_cases(apache, cases, args, results):
    """Each case (name, path, Accept, mix file or None) at 32 then 128
    connections: a warm-up, then the measured run, appended to results."""
    for conns in (32, 128):
        for name, path, accept, paths in cases:
            env = {"MIX_PATHS": paths} if paths else None
            script = os.path.join(HERE, "mix.lua") if paths else None
            if args.warmup:
                wrk(apache.url(path), conns, args.warmup, accept, script, env)
            r = wrk(apache.url(path), conns, args.seconds, accept, script, env)
            results.append((name, conns) + r)
            print("  %-36s c=%-3d %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms %s" %
                  ((name, conns) + r[:3] + (r[3],)), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--warmup", type=int, default=2,
                    help="seconds of load before each measured run (not counted)")
    ap.add_argument("--big", type=int, default=1000000)
    ap.add_argument("--small", type=int, default=10000)
    args = ap.parse_args()
    os.makedirs(BENCH, exist_ok=True)
    const_so = build_const_module()
    small, big = store(args.small), store(args.big)
    rows_small = sqlite3.connect(small).execute("SELECT COUNT(*) FROM events").fetchone()[0]
    rows_big = sqlite3.connect(big).execute("SELECT COUNT(*) FROM events").fetchone()[0]
    results = []
    root = os.path.join(BENCH, "run-small")
    shutil.rmtree(root, ignore_errors=True)
    warm_file(small)
    a = Apache(root, small, rows_small, const_so)
    size = pages(a)
    a.stop()            # again, with the constant handler serving the rendered page
    a.start()
    mix_small = mix_paths(small, os.path.join(BENCH, "mix-small.txt"))
    cases = [
        ("static file, sendfile", "/static/event.html", None, None),
        ("constant-buffer handler", "/const", None, None),
        ("MultiViews, sendfile", "/mv/event", "text/html", None),
        ("static file, Apache defaults", "/static-default/event.html", None, None),
        ("mod_lua + mod_dbd, one row", "/lua", None, None),
        ("newsevent, event .html", "/news" + EVENT + ".html", None, None),
        ("newsevent, event .json", "/news" + EVENT + ".json", None, None),
        ("newsevent, event negotiated", "/news" + EVENT, "text/html", None),
        ("newsevent, mix, %d events" % rows_small, "/", None, mix_small),
    ]
    try:
        run_cases(a, cases, args, results)
    finally:
        a.stop()
    root = os.path.join(BENCH, "run-big")
    shutil.rmtree(root, ignore_errors=True)
    warm_file(big)
    b = Apache(root, big, rows_big, const_so)
    mix_big = mix_paths(big, os.path.join(BENCH, "mix-big.txt"))
    try:
        run_cases(b, [("mod_lua + mod_dbd, one row, big store", "/lua", None, None),
                      (BIG_MIX + " (%d events)" % rows_big, "/", None, mix_big)], args, results)
    finally:
        b.stop()
    report(results, size, args, bulk(args.big))


def report(results, size, args, bulks):
    by = {(n, c): rps for n, c, rps, *_ in results}
    cpu = re.search(r"model name\s*:\s*(.*)", open("/proc/cpuinfo").read())
    lines = ["# Benchmark results", "",
             "Measured %s on %d cores (%s), Apache %s, event MPM, wrk on the same cores,"
             % (datetime.date.today(), os.cpu_count(), cpu.group(1) if cpu else "?",
                subprocess.run([nh.HTTPD, "-v"], capture_output=True, text=True).stdout.split()[2]),
             "the event page %d bytes. Command: `make bench` (`%s`)." % (
                 size, " ".join(["tests/bench/bench.py"] + sys.argv[1:])),
             "", "| case | conns | req/s | p50 ms | p99 ms | × static | × MultiViews | × mod_lua |",
             "|---|---|---|---|---|---|---|---|"]
    for n, c, rps, p50, p99, errs, non2xx in results:
        static = by.get(("static file, sendfile", c))
        mv = by.get(("MultiViews, sendfile", c))
        # The million-event mix against the peer on the same store.
        lua = by.get(("mod_lua + mod_dbd, one row" + (", big store" if BIG_MIX in n else ""), c))
        note = (" (socket errors: %s)" % errs if errs else "") + (" (%d non-2xx)" % non2xx if non2xx else "")
        lines.append("| %s%s | %d | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f |" % (
            n, note, c, rps, p50, p99, rps / static if static else 0, rps / mv if mv else 0,
            rps / lua if lua else 0))
    lines += ["", "| bulk | events | seconds | events/s |", "|---|---|---|---|"]
    lines += ["| %s | %d | %.1f | %.0f |" % (name, n, secs, n / secs) for name, n, secs in bulks]
    text = "\n".join(lines) + "\n"
    print("\n" + text)
    with open(os.path.join(HERE, "RESULTS.md"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
