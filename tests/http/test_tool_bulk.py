# SPDX-License-Identifier: Apache-2.0
"""The PostgreSQL import in batches (ne_store_bulk.c): the same files, run
through the same commands on a PostgreSQL store and on a SQLite one (which
upserts record by record), must print the same counts and messages and leave
the same export, whatever crosses a batch of 1,000 records: updates,
unchanged records, topics renamed by case, derived slugs, duplicates,
refused records, a file rolled back after batches were written."""

import json
import os
import random
import re

import pytest

import newsevent_httpd
from fixtures_data import REPO

FIXTURES = newsevent_httpd.fixture_files()
TOPICS = ["alpha", "Beta", "gamma ray", "Delta Force", "epsilon", "Zeta", "kappa"] + \
         ["topic %d" % i for i in range(40)]


@pytest.fixture
def both(tool, tmp_path, stores):
    """The test's PostgreSQL store and a SQLite store beside it."""
    if stores.kind != "pgsql":
        pytest.skip("compares PostgreSQL's batches with SQLite's records")
    sqlite = newsevent_httpd.Store("sqlite3", str(tmp_path / "sqlite" / "news.db"))
    os.makedirs(os.path.dirname(sqlite.params))
    return [tool.store, sqlite]


def run(store, *args):
    """The command's exit status and its messages, the time taken left out."""
    r = store.tool(*args, check=False)
    return r.returncode, re.sub(r"in [0-9.]+ s\)", "in T s)", r.stderr)


def export(store):
    """The export, each date an import gave (`now`) made one."""
    out = []
    for line in store.tool("export").stdout.splitlines():
        rec = json.loads(line)
        if rec.get("updated", "") > "2025":
            rec["updated"] = "now"
        out.append(rec)
    return out


def same_everywhere(stores, *args):
    """Run the command on each store: the same status and messages."""
    results = [run(s, *args) for s in stores]
    assert results[0] == results[1], "%s\n---\n%s" % (results[0][1], results[1][1])
    return results[0]


def event(rnd, i, slug=True):
    ev = {"date": "2019-%02d-%02d" % (1 + i // 200 % 12, 1 + i // 7 % 28),
          "headline": "Event %d: %s" % (i, rnd.choice(["talks", "vote", "storm"])),
          "topics": rnd.sample(TOPICS, rnd.randint(0, 4)),
          "sources": [{"name": "S%d" % k, "url": "https://example.org/%d/%d" % (i, k)}
                      for k in range(rnd.randint(0, 2))],
          "body": "Body %d with \"quotes\", a \\ and a\ttab" % i,
          "category": rnd.choice(["Politics", "Sports"]), "updated": "2019-12-31T00:00:00Z"}
    if slug:
        ev["slug"] = "event-%d" % i
    return ev


def write(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return str(path)


def files(tmp_path):
    """a: 2,540 records (derived slugs among them); b: a's keys changed in
    part, topics recased or added, 1,200 new ones, and three refusals past
    the first batch; c: topics spelled anew by its first record, then
    1,200 of a's records naming them as a does (they follow the new
    spelling: unchanged unless b changed them)."""
    rnd = random.Random(18)
    a = [event(rnd, i) for i in range(2500)]
    a += [{"date": "2019-03-0%d" % (1 + i % 3), "headline": "Same words %d" % (i % 4),
           "topics": ["alpha"]} for i in range(40)]
    b = []
    for rec in a[:2500]:
        rec, r = dict(rec), rnd.random()
        if r < 0.1:
            rec["body"] += " (changed)"
        elif r < 0.15:
            rec["topics"] = [t.swapcase() for t in rec["topics"]]
        elif r < 0.18:
            rec["topics"] = rec["topics"] + ["new topic %d" % (len(b) % 5)]
        b.append(rec)
    b += [event(rnd, i) for i in range(2500, 3700)]
    b.insert(1300, {"date": a[0]["date"], "headline": "Repeats a key", "slug": a[0]["slug"]})
    b.insert(1700, {"date": "2019-05-06", "headline": "Merges", "topics": ["Gamma-Ray!"]})
    b.insert(2100, {"date": "2019-02-30", "headline": "No such day"})
    b += [{"date": "2019-03-0%d" % (1 + i % 3), "headline": "Same words %d" % (i % 4),
           "topics": ["ALPHA"]} for i in range(40)]
    c = [dict(a[3], topics=[t.upper() for t in TOPICS[:4]])] + a[4:1204]
    return (write(tmp_path / "a.jsonl", a), write(tmp_path / "b.jsonl", b),
            write(tmp_path / "c.jsonl", c))


def test_batches_count_and_store_what_records_do(both, tmp_path):
    a, b, c = files(tmp_path)
    for s in both:
        s.tool("init")
    rc, msg = same_everywhere(both, "import", *FIXTURES)
    assert rc == 0 and "58 added" in msg
    rc, msg = same_everywhere(both, "import", a)
    assert rc == 0 and "2540 added" in msg
    rc, msg = same_everywhere(both, "--skip-invalid", "import", b)
    assert rc == 0 and "3 invalid records skipped" in msg and " updated" in msg, msg
    assert "b.jsonl:1701: field 'topics': topic 'Gamma-Ray!' has the address of the topic" \
        in msg
    rc, msg = same_everywhere(both, "--skip-invalid", "import", b)
    assert "0 added, 0 updated, 3740 unchanged" in msg
    rc, msg = same_everywhere(both, "import", c)
    assert rc == 0 and "0 added" in msg and " unchanged" in msg, msg
    rc, msg = same_everywhere(both, "import", c, a)
    assert rc == 0 and "0 added" in msg, msg
    assert export(both[0]) == export(both[1])
    assert both[0].tool("stats").stdout == both[1].tool("stats").stdout


def test_a_refused_file_leaves_nothing_after_batches_were_written(both, tmp_path):
    a, b, _ = files(tmp_path)
    for s in both:
        s.tool("init")
        s.tool("import", a)
    before = [export(s) for s in both]
    assert before[0] == before[1]
    rc, msg = same_everywhere(both, "import", b)
    assert rc == 1 and "b.jsonl:1301: field 'slug' repeats" in msg
    assert "file rejected, the store is unchanged" in msg
    rc, msg = same_everywhere(both, "check", b)
    assert rc == 1 and "the file would be rejected" in msg
    rc, msg = same_everywhere(both, "--skip-invalid", "check", b)
    assert rc == 0 and "check: would have 1200 added" in msg, msg
    assert [export(s) for s in both] == before
    assert both[0].tool("stats").stdout == both[1].tool("stats").stdout


def test_a_spelling_conflict_in_a_later_batch_rejects_the_file(both, tmp_path):
    rnd = random.Random(4)
    records = [event(rnd, i) for i in range(1500)]
    records.append({"date": "2019-01-01", "headline": "C", "topics": ["C"]})
    records.insert(10, {"date": "2019-01-01", "headline": "C++", "topics": ["C++"]})
    path = write(tmp_path / "conflict.json", records)
    # The same records as one JSON array: its elements are named.
    array = tmp_path / "conflict-array.json"
    array.write_text(json.dumps(records))
    for s in both:
        s.tool("init")
    rc, msg = same_everywhere(both, "import", path)
    assert rc == 1 and ":1502: field 'topics': topic 'C' has the address of the topic " \
        "'C++'" in msg, msg
    rc, msg = same_everywhere(both, "import", str(array))
    assert rc == 1 and "element 1501: field 'topics'" in msg, msg
    assert export(both[0]) == export(both[1]) == []
    rc, msg = same_everywhere(both, "--skip-invalid", "import", str(array))
    assert rc == 0 and "1501 added" in msg
    assert export(both[0]) == export(both[1])


def test_records_of_megabytes_are_written_in_smaller_batches(both, tmp_path):
    """A batch is also cut at 16 MiB of text: twelve bodies of 1.5 MiB."""
    rnd = random.Random(2)
    records = [dict(event(rnd, i), body=("%d lorem ipsum \"dolor\" " % i) * 70000)
               for i in range(12)]
    path = write(tmp_path / "big.jsonl", records)
    for s in both:
        s.tool("init")
    rc, msg = same_everywhere(both, "import", path)
    assert rc == 0 and "12 added" in msg, msg
    records[5]["body"] += "!"
    write(tmp_path / "big.jsonl", records)
    rc, msg = same_everywhere(both, "import", path)
    assert rc == 0 and "0 added, 1 updated, 11 unchanged" in msg, msg
    assert export(both[0]) == export(both[1])
