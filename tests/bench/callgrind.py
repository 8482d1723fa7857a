#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Instructions a request, kind by kind, counted by valgrind's callgrind:
repeatable where this machine's timings are not.

Starts one Apache (-X, one process and thread) under callgrind on the
store of `make bench`, as www-data (callgrind writes its file after Apache
would have dropped root), warms it (the first requests open the pooled
connection and prepare the statements), zeroes the counters, then sends
--requests paths of each kind one after another, dumping the counters
after each kind. Prints the instructions a request of each kind beside the
mod_lua peer's, and the functions that take the largest inclusive share of
each kind (callgrind_annotate; the dumps stay in build/bench/callgrind).

    callgrind.py [--events 1000000] [--requests 200] [--conf DIRECTIVES]
                 [--kinds "event .json,topic .json"] [--top 12]

Instruction counts leave out what the kernel does (page reads, sends) and
what memory stalls cost: CPU time per request (kinds.py) is the measure of
speed, this one says where the instructions go and whether a change
removed any.
"""

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402
import kinds  # noqa: E402

# Frames worth showing: the module's own, and the libraries it calls.
SHOWN = re.compile(r"mod_newsevent|ne_|sqlite3|apr_dbd|jansson|json_|xml|apr_palloc|lua")


def callgrind(root, pid, *args):
    # As the same user, whose name is in the names of valgrind's pipes.
    subprocess.run(["runuser", "-u", "www-data", "--", "callgrind_control", "--vgdb-prefix=" + os.path.join(root, "vgdb")]
                   + list(args) + [str(pid)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def get(url, n=1):
    for _ in range(n):
        with urllib.request.urlopen(url, timeout=120) as r:
            r.read()


def start(root, conf, out):
    """Apache under callgrind, as www-data; its pid once it answers."""
    proc = subprocess.Popen(["runuser", "-u", "www-data", "--", "valgrind", "--tool=callgrind",
                             "--callgrind-out-file=" + out,
                             "--vgdb-prefix=" + os.path.join(root, "vgdb"), bench.nh.HTTPD, "-X", "-f", conf],
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(root, "valgrind.log"), "w"))
    port = re.search(r"Listen 127.0.0.1:(\d+)", open(conf).read()).group(1)
    for _ in range(600):
        try:
            get("http://127.0.0.1:%s/news/" % port)
            return proc, "http://127.0.0.1:%s" % port
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("apache under valgrind exited: see %s/valgrind.log" % root)
            time.sleep(0.2)
    raise RuntimeError("apache under valgrind did not answer")


def valgrind_pid(proc):
    """The valgrind process under runuser."""
    out = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout
    return int(out.split()[0]) if out.split() else proc.pid


def summary(path, requests, top):
    """Instructions a request in one dump, and its top inclusive frames."""
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", path],
                          capture_output=True, text=True).stdout
    total = int(re.search(r"([\d,]+) \([\d.]+%\)\s+PROGRAM TOTALS", text).group(1).replace(",", ""))
    frames, seen = [], set()
    for m in re.finditer(r"^\s*([\d,]+) \(\s*([\d.]+)%\)\s+(\S+):(\S+)", text, re.M):
        fn = m.group(4).split()[0]
        if SHOWN.search(fn) and fn not in seen and not fn.startswith("0x"):
            seen.add(fn)
            frames.append("    %5.1f %%  %s" % (float(m.group(2)), fn))
        if len(frames) >= top:
            break
    return total / requests, frames


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--events", type=int, default=1000000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--conf", default="", help="directives added to the configuration")
    ap.add_argument("--kinds", default=",".join(kinds.KINDS))
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args()
    os.makedirs(bench.BENCH, exist_ok=True)
    const_so = bench.build_const_module()
    db = bench.store(args.events)
    rows = sqlite3.connect(db).execute("SELECT COUNT(*) FROM events").fetchone()[0]
    files = kinds.kind_files(db)
    root = os.path.join(bench.BENCH, "callgrind")
    shutil.rmtree(root, ignore_errors=True)
    conf = bench.make_root(root, bench.nh.free_port(), db, rows, const_so,
                           "\n" + args.conf + "\n")
    shutil.chown(root, "www-data")
    for dirpath, dirs, names in os.walk(root):
        for name in dirs + names:
            shutil.chown(os.path.join(dirpath, name), "www-data")
    out = os.path.join(root, "callgrind.out")
    proc, base = start(root, conf, out)
    pid = valgrind_pid(proc)
    try:
        kinds_wanted = [k for k in args.kinds.split(",") if k]
        get(base + "/lua", 20)
        paths = {}
        for kind in kinds_wanted:             # each kind's statements prepared
            with open(files[kind]) as f:
                paths[kind] = [next(f).strip() for _ in range(args.requests + 1)]
            get(base + paths[kind].pop(0), 3)
        print("%d events; instructions a request (callgrind), %d requests a kind"
              % (rows, args.requests), flush=True)
        callgrind(root, pid, "-z")
        get(base + "/lua", args.requests)
        callgrind(root, pid, "-d", "peer")
        measured = ["peer"]
        for kind in kinds_wanted:
            callgrind(root, pid, "-z")
            for path in paths[kind]:
                get(base + path)
            callgrind(root, pid, "-d", kind.replace(" ", "_"))
            measured.append(kind)
    finally:
        proc.terminate()
        proc.wait(timeout=120)
    dumps = sorted((p for p in os.listdir(root) if p.startswith("callgrind.out.")),
                   key=lambda p: int(p.rsplit(".", 1)[-1].split("-")[0]))
    peer = None
    for kind, dump in zip(measured, dumps):
        per, frames = summary(os.path.join(root, dump), args.requests, args.top)
        peer = peer or per
        print("%-12s %10.0f  (%.1f x the peer)" % (kind, per, per / peer))
        if kind != "peer":
            print("\n".join(frames))


if __name__ == "__main__":
    main()
