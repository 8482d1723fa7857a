#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Apache's CPU time per request, kind by kind, against the mod_lua peer.

Splits the random mix of `make bench` into its kinds (events in each format,
days in JSON and HTML, topics, months), loads each alone with wrk (32
connections, 2 s of warm-up, then the measured seconds), and divides the
CPU time Apache's processes used (user + system, from /proc) by the
requests served. CPU per request moves less than requests/s on a shared
machine, and says where a mix's time goes.

    kinds.py [--events 1000000] [--seconds 5] [--rounds 2] [--conf DIRECTIVES]
             [--kinds "event .json,topic .json"]   ("mix": the whole mix)
"""

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402

KINDS = ["event .html", "event .json", "event .xml", "event .md", "day .json", "day .html",
         "topic .json", "month .md"]


def apache_cpu(conf):
    """Seconds of CPU used so far by the processes of the Apache run from conf."""
    return processes_cpu(["-f", conf])


def processes_cpu(pgrep_args):
    """Seconds of CPU used so far by the processes pgrep finds with these
    arguments (user + system, from /proc)."""
    pids = subprocess.run(["pgrep"] + pgrep_args, capture_output=True,
                          text=True).stdout.split()
    total = 0
    for pid in pids:
        try:
            with open("/proc/%s/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def load(apache, paths, seconds):
    """One run of bench.wrk at 32 connections: the peer when paths is None,
    else a mix file. Requests/s."""
    if paths is None:
        return bench.wrk(apache.url("/lua"), 32, seconds)[0]
    return bench.wrk(apache.url("/"), 32, seconds, script=os.path.join(HERE, "mix.lua"),
                     env={"MIX_PATHS": paths})[0]


def measure(apache, paths, seconds):
    load(apache, paths, 2)
    before = apache_cpu(apache.conf)
    rps = load(apache, paths, seconds)
    return (apache_cpu(apache.conf) - before) / (rps * seconds) * 1e6, rps


def kind_files(db):
    """The make bench mix of the store db, split by kind: kind -> a file of
    its paths, one a line; "mix" -> the whole mix."""
    mix = bench.mix_paths(db, os.path.join(bench.BENCH, "mix-kinds.txt"))
    lines = open(mix).read().splitlines()
    files = {}
    for i, kind in enumerate(KINDS):           # mix_paths deals the kinds in turn
        files[kind] = os.path.join(bench.BENCH, "mix-kind-%d.txt" % i)
        with open(files[kind], "w") as f:
            f.write("\n".join(lines[i::len(KINDS)]) + "\n")
    files["mix"] = mix
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--events", type=int, default=1000000)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--conf", default="",
                    help="directives added to the configuration (say, NewsEventRelated 0)")
    ap.add_argument("--kinds", default=",".join(KINDS),
                    help="the kinds to load, comma-separated (default: all); "
                         "\"mix\" is the whole mix")
    args = ap.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    os.makedirs(bench.BENCH, exist_ok=True)
    const_so = bench.build_const_module()
    db = bench.store(args.events)
    rows = sqlite3.connect(db).execute("SELECT COUNT(*) FROM events").fetchone()[0]
    files = kind_files(db)
    bench.warm_file(db)
    root = os.path.join(bench.BENCH, "run-kinds")
    shutil.rmtree(root, ignore_errors=True)
    apache = bench.Apache(root, db, rows, const_so, "\n" + args.conf + "\n")
    try:
        print("%d events; Apache CPU µs a request (requests/s), 32 connections" % rows)
        for r in range(args.rounds):
            cells = ["peer %.0f (%.0f)" % measure(apache, None, args.seconds)]
            for kind in kinds:
                cells.append("%s %.0f (%.0f)" % ((kind,) + measure(apache, files[kind],
                                                                     args.seconds)))
            print("round %d: %s" % (r + 1, "; ".join(cells)), flush=True)
    finally:
        apache.stop()


if __name__ == "__main__":
    main()
