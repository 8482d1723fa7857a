# SPDX-License-Identifier: Apache-2.0
"""The fixtures as the tests see them: parsed from fixtures/*.jsonl."""

import json
import os
import re

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def slug(headline):
    s = re.sub(r"[^a-z0-9]+", "-", headline[:140].lower()).strip("-")
    return s or "event"


def events():
    out = []
    for name in sorted(os.listdir(os.path.join(REPO, "fixtures"))):
        if name.endswith(".jsonl"):
            with open(os.path.join(REPO, "fixtures", name), encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        ev = json.loads(line)
                        ev.setdefault("slug", slug(ev["headline"]))
                        out.append(ev)
    return out


def url(ev, ext=None):
    path = "/news/%s/%s" % (ev["date"].replace("-", "/"), ev["slug"])
    return path + ("." + ext if ext else "")


SEED = events()[0]
SEED_URL = url(SEED)
HOSTILE = next(e for e in events() if "<script>" in e["headline"])

# The Content-Type of each format.
TYPES = {
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "xml": "application/xml; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}
