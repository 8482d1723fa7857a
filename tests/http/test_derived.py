# SPDX-License-Identifier: Apache-2.0
"""Derived data kept when the archive changes (schema version 4): after
random imports (small ones kept event by event, large ones made again
whole), edits, deletes and moves over HTTP and with the tool, the stored
related lists and companions of 1,000 random events and topics are what the
read-time rule computes (`newsevent verify`), on both stores; an edited
headline shows at once in every list that holds it; and a damaged list is
found."""

import base64
import json
import os
import random

import pytest

from conftest import newsevent_editors

AUTH = {"Authorization": "Basic " + base64.b64encode(b"editor:deriv3d").decode(),
        "Content-Type": "application/json"}
TOPICS = ["Topic %02d" % i for i in range(60)]


def archive(rng, n, start=0):
    """n events over crowded days: a few busy topics in most of them, a
    long tail, some with no topic and one with forty."""
    out = []
    for i in range(start, start + n):
        day = 1 + (i // 7) % 28
        month = 1 + (i // 196) % 12
        k = 40 if i % 211 == 3 else rng.choice([0, 1, 2, 3, 3, 4, 5])
        pool = TOPICS[:6] * 4 + TOPICS
        topics = []
        while len(topics) < min(k, len(TOPICS)):
            t = rng.choice(pool) if k < 40 else TOPICS[len(topics)]
            if t not in topics:
                topics.append(t)
        out.append({"date": "2019-%02d-%02d" % (month, day), "slug": "event-%d" % i,
                    "headline": "Event number %d" % i, "topics": topics})
    return out


def write(path, records):
    with open(path, "w") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
    return str(path)


def url(rec):
    return "/news/%s/%s" % (rec["date"].replace("-", "/"), rec["slug"])


def verify(store):
    r = store.tool("verify", "1000", check=False)
    assert r.returncode == 0 and " 0 differ" in r.stderr, r.stderr[-3000:]
    return r.stderr


@pytest.fixture(scope="module")
def archive_server(make_server, stores, workdir, tmp_path_factory):
    rng = random.Random(18)
    recs = archive(rng, 1400)
    base = write(tmp_path_factory.mktemp("derived") / "base.jsonl", recs)
    store = stores.make("derived", files=[base])
    users = os.path.join(workdir, "derived-editors-%s" % stores.kind)
    srv = make_server("derived", store=store, extra=newsevent_editors.editor_config(
        users, password="deriv3d"))
    return srv, store, recs, rng


def test_stored_lists_are_the_read_time_rule_after_every_kind_of_change(archive_server,
                                                                        tmp_path):
    srv, store, recs, rng = archive_server
    assert "1000 events' related lists and 60 topics' companions" in verify(store)
    live = list(recs)
    # Over HTTP: topics changed, events added, deleted and moved.
    for rec in rng.sample(live, 12):
        rec["topics"] = rng.sample(TOPICS[:10], rng.choice([1, 2, 3]))
        r = srv.request(url(rec), method="PUT", body=json.dumps(rec).encode(), headers=AUTH)
        assert r.status == 200, r.text
    for i in range(4):
        rec = archive(rng, 1, 5000 + i)[0]
        r = srv.request(url(rec), method="PUT", body=json.dumps(rec).encode(), headers=AUTH)
        assert r.status == 201, r.text
        live.append(rec)
    for rec in rng.sample(live, 4):
        assert srv.request(url(rec), method="DELETE", headers=AUTH).status == 204
        live.remove(rec)
    for rec in rng.sample(live, 4):
        to = dict(rec, date="2019-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28)))
        r = srv.request(url(rec), method="MOVE", headers=dict(AUTH, Destination=url(to)))
        assert r.status == 201, r.text
        live[live.index(rec)] = to
    verify(store)
    # With the tool: a small import (kept event by event), a large one
    # (made again whole), a delete and a move.
    small = [dict(r, topics=rng.sample(TOPICS, 2)) for r in rng.sample(live, 20)]
    store.tool("import", write(tmp_path / "small.jsonl", small))
    verify(store)
    large = [dict(r, topics=rng.sample(TOPICS[:8], 2)) for r in rng.sample(live, 80)]
    large += archive(rng, 40, 6000)
    store.tool("import", write(tmp_path / "large.jsonl", large))
    verify(store)
    gone = rng.choice(live)
    store.tool("delete", url(gone))
    live.remove(gone)
    moved = rng.choice(live)
    store.tool("move", url(moved), "/news/2018/06/30/moved-by-the-tool")
    verify(store)


def test_an_edited_headline_shows_at_once_in_every_list(archive_server):
    srv, store, recs, rng = archive_server
    for rec in recs[300:]:
        r = srv.get(url(rec) + ".json")
        if r.status == 200 and json.loads(r.body)["related"]:
            break
    first = json.loads(r.body)["related"][0]
    target = "/news/%s/%s" % (first["date"].replace("-", "/"), first["slug"])
    other = json.loads(srv.get(target + ".json").body)
    edited = {"date": other["date"], "slug": other["slug"],
              "headline": "A headline edited just now",
              "topics": [t["name"] for t in other["topics"]]}
    r = srv.request(target, method="PUT", body=json.dumps(edited).encode(), headers=AUTH)
    assert r.status == 200, r.text
    again = json.loads(srv.get(url(rec) + ".json").body)
    assert again["related"][0]["headline"] == "A headline edited just now"
    verify(store)


def test_a_damaged_list_is_found(stores, tmp_path):
    rng = random.Random(5)
    store = stores.make("damaged", files=[write(tmp_path / "a.jsonl", archive(rng, 300))])
    verify(store)
    sql = ("UPDATE related_lists SET list = '1:1' WHERE event_id = 20; "
           "DELETE FROM topic_companions WHERE topic_id = 2")
    stores.sql(store, sql)
    r = store.tool("verify", "1000", check=False)
    assert r.returncode == 1
    assert "event 20: stored '1:1', computed '" in r.stderr
    assert "topic 2: stored nothing, computed '" in r.stderr
    assert " 2 differ" in r.stderr
