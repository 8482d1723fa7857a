#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Deterministic generator of a realistic news archive, as JSON Lines for
`newsevent import`: headline lengths like real ones (a long tail past 1,100
characters), topics shared the way news shares them (a few countries in a
large share of events, a long tail of people and organisations), sources,
some stories, bodies and images. Events come at a steady rate per day, as
in a real archive (Wikipedia's current-events portal carries about 15 to 25
a day), ending on --end: a larger store reaches further back in time, and a
day's page is as long in a store of a million events as in one of ten
thousand.

    gen_events.py --events 100000 --per-day 20 --topics 5000 > store.jsonl
"""

import argparse
import datetime
import json
import random
import sys

WORDS = ("government minister president election protest court ruling report "
         "talks agreement attack forces border trade economy market bank storm "
         "flood earthquake fire police arrest trial parliament vote coalition "
         "summit sanctions oil gas energy climate health vaccine outbreak "
         "university study scientists launch satellite mission team wins final "
         "league record company shares merger strike workers union festival "
         "film award museum opens announces rejects approves delays investigates "
         "after amid despite following during over against with for of the a in "
         "on to and by as its new former national regional local international").split()
CATEGORIES = ["Armed conflicts and attacks", "Arts and culture", "Business and economy",
              "Disasters and accidents", "Health and environment", "International relations",
              "Law and crime", "Politics and elections", "Science and technology", "Sports"]
SITES = ["https://www.reuters.com/world/", "https://apnews.com/article/",
         "https://www.bbc.co.uk/news/", "http://www.france24.com/en/",
         "https://www.aljazeera.com/news/", "https://www.theguardian.com/world/"]


def topic_names(n, rnd):
    """n distinct topic names: the first ones play the countries."""
    names, seen = [], set()
    while len(names) < n:
        k = len(names)
        word = "".join(rnd.choice("bcdfghklmnprstvz") + rnd.choice("aeiou")
                       for _ in range(rnd.randint(2, 4))).capitalize()
        name = word if k < 200 else "%s %s" % (word, rnd.choice(["Party", "Council", "Group",
                                                                "Institute", "Summit", "Act",
                                                                "Smith", "Garcia", "Khan"]))
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def headline(rnd):
    """Mostly 60 to 300 characters; one in a hundred past 1,100."""
    target = rnd.randint(1100, 1400) if rnd.random() < 0.01 else int(rnd.triangular(40, 400, 140))
    words = []
    while sum(len(w) + 1 for w in words) < target:
        words.append(rnd.choice(WORDS))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def event(rnd, day, names, cum_weights):
    k = rnd.choice([1, 2, 2, 3, 3, 3, 4, 4, 5, 6])
    topics = []
    while len(topics) < k:
        t = rnd.choices(names, cum_weights=cum_weights)[0]
        if t not in topics:
            topics.append(t)
    ev = {"date": day.isoformat(), "category": rnd.choice(CATEGORIES), "headline": headline(rnd),
          "sources": [{"name": "Source %d" % rnd.randint(1, 40),
                       "url": "%s%d" % (rnd.choice(SITES), rnd.randint(10**6, 10**9))}
                      for _ in range(rnd.randint(1, 3))],
          "topics": topics}
    if rnd.random() < 0.3:
        ev["story"] = "%s crisis" % topics[0]
    if rnd.random() < 0.4:
        ev["body"] = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(20, 120))) + "."
    if rnd.random() < 0.2:
        ev["image"] = "https://images.example.org/%d.jpg" % rnd.randint(1, 10**8)
    return ev


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--events", type=int, default=100000)
    ap.add_argument("--per-day", type=int, default=20)
    ap.add_argument("--topics", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--end", default="2025-12-31")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    names = topic_names(args.topics, rnd)
    cum, total = [], 0.0
    for i in range(len(names)):                  # Zipf-like sharing
        total += 1.0 / (i + 1) ** 1.07
        cum.append(total)
    days = (args.events + args.per_day - 1) // args.per_day
    start = datetime.date.fromisoformat(args.end) - datetime.timedelta(days=days - 1)
    out = sys.stdout
    for i in range(args.events):
        day = start + datetime.timedelta(days=i // args.per_day)
        out.write(json.dumps(event(rnd, day, names, cum), separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
