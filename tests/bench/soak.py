#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A bounded soak: a random mix over every URL kind and format (wrk, on
loopback) for a number of requests, sampling the resident memory of
Apache's processes; memory must stay flat after warm-up.

    soak.py [--requests 1000000] [--events 10000] [--cache 33554432]
            [--seconds 600] [--max-mem-free KIB]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402


def rss_kib(parent_pid):
    """Resident memory of Apache's children (KiB), summed."""
    out = subprocess.run(["ps", "-o", "rss=", "--ppid", str(parent_pid)], capture_output=True,
                         text=True).stdout
    return sum(int(x) for x in out.split())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--requests", type=int, default=1000000)
    ap.add_argument("--events", type=int, default=10000)
    ap.add_argument("--seconds", type=int, default=600, help="bound on the whole soak")
    ap.add_argument("--cache", type=int, default=None, help="NewsEventCacheSize")
    ap.add_argument("--max-mem-free", type=int, default=None, help="MaxMemFree (KiB)")
    args = ap.parse_args()
    os.makedirs(bench.BENCH, exist_ok=True)
    const_so = bench.build_const_module()
    db = bench.store(args.events)
    root = os.path.join(bench.BENCH, "run-soak")
    shutil.rmtree(root, ignore_errors=True)
    extra = ""
    if args.cache is not None:
        extra += "NewsEventCacheSize %d\n" % args.cache
    if args.max_mem_free is not None:
        extra += "MaxMemFree %d\n" % args.max_mem_free
    a = bench.Apache(root, db, args.events, const_so, extra)
    paths = bench.mix_paths(db, os.path.join(bench.BENCH, "mix-soak.txt"), count=40000)
    samples, done, started = [], 0, time.time()
    try:
        while done < args.requests and time.time() - started < args.seconds:
            out = subprocess.run(["wrk", "-t2", "-c32", "-d10s", "-s",
                                  os.path.join(HERE, "mix.lua"), a.url("/")],
                                 capture_output=True, text=True,
                                 env=dict(os.environ, MIX_PATHS=paths)).stdout
            done += int(re.search(r"(\d+) requests in", out).group(1))
            samples.append((done, rss_kib(a.proc.pid)))
            print("  %9d requests  RSS %7d KiB" % samples[-1], flush=True)
    finally:
        a.stop()
    warm = samples[min(2, len(samples) - 1)][1]
    last = samples[-1][1]
    print("\nafter warm-up (%d requests): %d KiB; at the end (%d requests): %d KiB; %+.1f%%"
          % (samples[min(2, len(samples) - 1)][0], warm, samples[-1][0], last,
             100.0 * (last - warm) / warm))
    # The caches fill over the first part of a run; the second half shows
    # whether anything still grows once they are full.
    half = next(s for s in samples if s[0] >= samples[-1][0] // 2)
    print("second half (from %d requests): %d KiB to %d KiB; %+.1f%%"
          % (half[0], half[1], last, 100.0 * (last - half[1]) / half[1]))
    # Target 4 itself: flat over a million requests once warm. How long
    # warming takes depends on the rate (on this machine caches were full
    # after 1.6 million requests at 6,500 a second), so also the last million.
    if samples[-1][0] >= 2000000:
        start = next(s for s in samples if s[0] >= samples[-1][0] - 1000000)
        print("last million (from %d requests): %d KiB to %d KiB; %+.1f%%"
              % (start[0], start[1], last, 100.0 * (last - start[1]) / start[1]))


if __name__ == "__main__":
    main()
