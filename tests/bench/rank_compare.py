#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""How far search's rank on SQLite (newsevent_rank: bm25 with a bounded IDF,
mod_newsevent/ne_search_rank.c) orders like FTS5's own bm25, on queries of
two terms, where the IDF counts: for --queries queries of each form, the
first 20 of the 2,000 newest matches by each, compared (the share of the 20
both hold, and how often the order is the same). Queries of one term order
alike by construction (tests/unit/test_search_rank.c).

    rank_compare.py --db STORE.db [--queries 30]
"""

import argparse
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import search_bench  # noqa: E402


def build():
    out = os.path.join(REPO, "build", "bench", "rank_compare")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    subprocess.run(["cc", "-O2", "-I" + os.path.join(REPO, "mod_newsevent"), "-o", out,
                    os.path.join(HERE, "rank_compare.c"),
                    os.path.join(REPO, "mod_newsevent", "ne_search_rank.c"), "-lsqlite3", "-lm"],
                   check=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--queries", type=int, default=30)
    args = ap.parse_args()
    tool, rnd = build(), random.Random(11)
    common, rare = search_bench.vocabulary(), search_bench.rare_words(args.db)
    forms = {
        "OR, two common words": lambda: '2|("%s" OR "%s")' % tuple(rnd.sample(common, 2)),
        "AND, two common words": lambda: '2|("%s") AND ("%s")' % tuple(rnd.sample(common, 2)),
        "OR, a common and a rare word":
            lambda: '2|("%s" OR "%s")' % (rnd.choice(common), rnd.choice(rare)),
        "AND, a common and a rare word":
            lambda: '2|("%s") AND ("%s")' % (rnd.choice(common), rnd.choice(rare)),
    }
    print("| queries | top 20 shared: mean | min | same order |\n|---|---|---|---|")
    for name, form in forms.items():
        queries = [form() for _ in range(args.queries)]
        lines = subprocess.run([tool, args.db] + queries, capture_output=True, text=True,
                               check=True).stdout.split("\n")
        shared, same = [], 0
        for i in range(len(queries)):
            ours, bm25 = lines[2 * i].split(","), lines[2 * i + 1].split(",")
            shared.append(len(set(ours) & set(bm25)) / max(1, len(bm25)))
            same += ours == bm25
        print("| %s | %.0f%% | %.0f%% | %d of %d |" % (name, 100 * sum(shared) / len(shared),
                                                     100 * min(shared), same, len(queries)))


if __name__ == "__main__":
    main()
