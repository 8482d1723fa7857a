# SPDX-License-Identifier: Apache-2.0
"""The newsevent tool: init, import and export on real SQLite files."""

import json
import os
import pty
import sqlite3
import subprocess
import time

import pytest

from fixtures_data import REPO

FIXTURES = [os.path.join(REPO, "fixtures", f) for f in sorted(os.listdir(
    os.path.join(REPO, "fixtures"))) if f.endswith(".jsonl")]


def count(tool):
    return len(tool("export").stdout.splitlines())


def test_export_import_export_is_identical(tool, tmp_path, stores):
    tool("init")
    tool("import", *FIXTURES)
    first = tmp_path / "first.jsonl"
    tool("export", str(first))
    other = stores.make("other", files=[str(first)])
    second = other.tool("export").stdout
    assert first.read_text() == second
    assert len(second.splitlines()) == sum(1 for f in FIXTURES for line in open(f) if line.strip())


def test_importing_twice_changes_nothing(tool):
    tool("init")
    r1 = tool("import", *FIXTURES)
    before = tool("export").stdout
    r2 = tool("import", *FIXTURES)
    assert "0 added, 0 updated" in r2.stderr
    assert "unchanged" in r2.stderr and "added" in r1.stderr
    assert tool("export").stdout == before


def test_a_bad_record_rejects_the_whole_file(tool, tmp_path):
    tool("init")
    tool("import", FIXTURES[0])
    before = tool("export").stdout
    bad = tmp_path / "bad.jsonl"
    good = json.dumps({"date": "2020-01-01", "headline": "A good event"})
    wrong = json.dumps({"date": "2020-01-02", "headline": "Bad source",
                        "sources": [{"name": "x", "url": "javascript:alert(1)"}]})
    bad.write_text(good + "\n" + wrong + "\n")
    r = tool("import", str(bad), check=False)
    assert r.returncode == 1
    assert "%s:2:" % bad in r.stderr
    assert "sources[0].url" in r.stderr
    assert tool("export").stdout == before


def test_invalid_json_names_file_and_line(tool, tmp_path):
    tool("init")
    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"date": "2020-01-01", "headline": "ok"}\n\n{"date": \n')
    r = tool("import", str(bad), check=False)
    assert r.returncode == 1
    assert "%s:3: invalid JSON" % bad in r.stderr
    assert count(tool) == 0


def test_same_headline_same_day_gets_numbered_slugs(tool, tmp_path):
    tool("init")
    f = tmp_path / "twins.jsonl"
    f.write_text("\n".join(json.dumps({"date": "2020-05-05", "headline": "Storm hits coast",
                                       "body": str(i)}) for i in range(3)) + "\n")
    tool("import", str(f))
    tool("import", str(f))
    slugs = [json.loads(line)["slug"] for line in tool("export").stdout.splitlines()]
    assert slugs == ["storm-hits-coast", "storm-hits-coast-2", "storm-hits-coast-3"]


def test_a_changed_record_is_updated_in_place(tool, tmp_path):
    tool("init")
    f = tmp_path / "one.jsonl"
    rec = {"date": "2020-05-05", "headline": "Storm hits coast", "topics": ["Weather"]}
    f.write_text(json.dumps(rec) + "\n")
    tool("import", str(f))
    rec["body"] = "Now with a body."
    rec["topics"] = ["Weather", "Coast"]
    f.write_text(json.dumps(rec) + "\n")
    r = tool("import", str(f))
    assert "0 added, 1 updated" in r.stderr
    out = json.loads(tool("export").stdout)
    assert out["body"] == "Now with a body."
    assert out["topics"] == ["Weather", "Coast"]


def test_json_array_files_are_accepted(tool, tmp_path):
    tool("init")
    f = tmp_path / "array.json"
    f.write_text(json.dumps([{"date": "2020-01-01", "headline": "One"},
                             {"date": "2020-01-01", "headline": "Two"}]))
    tool("import", str(f))
    assert count(tool) == 2


def test_a_derived_slug_never_overwrites_another_headline(tool, tmp_path):
    tool("init")
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(json.dumps({"date": "2020-05-05", "headline": "Storm hits coast"}) + "\n")
    second.write_text(json.dumps({"date": "2020-05-05", "headline": "Storm hits coast!"}) + "\n")
    tool("import", str(first))
    r = tool("import", str(second))
    assert "1 added, 0 updated" in r.stderr
    tool("import", str(second))          # again: the same slug, unchanged
    slugs = [json.loads(line)["slug"] for line in tool("export").stdout.splitlines()]
    assert slugs == ["storm-hits-coast", "storm-hits-coast-2"]


def test_a_file_may_not_give_one_date_and_slug_twice(tool, tmp_path):
    tool("init")
    f = tmp_path / "dup.jsonl"
    f.write_text(json.dumps({"date": "2020-05-05", "headline": "Alpha"}) + "\n"
                 + json.dumps({"date": "2020-05-05", "slug": "alpha", "headline": "Beta"}) + "\n")
    r = tool("import", str(f), check=False)
    assert r.returncode == 1
    assert "%s:2: field 'slug' repeats the date and slug of line 1" % f in r.stderr
    assert count(tool) == 0


def test_long_files_name_the_right_line_whichever_check_fails(tool, tmp_path):
    # Lines are parsed ahead of the store, in batches: a fault found by the
    # parser (a field) and one found against the store (a repeated slug),
    # early or late in a file of thousands of lines, name their own line,
    # blank lines counted, and leave the store as it was.
    tool("init")
    records = [json.dumps({"date": "2020-01-%02d" % (1 + i % 28), "headline": "Event %d" % i})
               for i in range(3000)]
    records.insert(3, "")
    records.insert(1500, "  \t")
    ok = tmp_path / "ok.jsonl"
    ok.write_text("\n".join(records))
    r = tool("import", str(ok))
    assert "3000 added" in r.stderr
    assert count(tool) == 3000
    before = tool("export").stdout
    repeat = json.dumps({"date": "2020-01-02", "slug": "event-1", "headline": "Another"})
    for at, line, message in ((2, repeat, "field 'slug' repeats the date and slug of line 2"),
                              (2900, repeat, "field 'slug' repeats the date and slug of line 2"),
                              (10, '{"date": "2020-01-01", "headline": 5}', "field 'headline'"),
                              (2950, '{"date": ', "invalid JSON")):
        bad = records[:]
        bad[1] = json.dumps({"date": "2020-01-02", "slug": "event-1", "headline": "Event 1"})
        bad.insert(at, line)
        f = tmp_path / ("bad%d.jsonl" % at)
        f.write_text("\n".join(bad) + "\n")
        r = tool("import", str(f), check=False)
        assert r.returncode == 1
        assert "%s:%d: %s" % (f, at + 1, message) in r.stderr, r.stderr
        assert tool("export").stdout == before


def test_a_change_is_dated_by_its_import(tool, tmp_path):
    tool("init")
    f = tmp_path / "one.jsonl"
    rec = {"date": "2020-05-05", "headline": "Storm", "updated": "2001-01-01T00:00:00Z"}
    f.write_text(json.dumps(rec) + "\n")
    tool("import", str(f))
    assert json.loads(tool("export").stdout)["updated"] == "2001-01-01T00:00:00Z"
    rec["body"] = "Changed."
    f.write_text(json.dumps(rec) + "\n")
    tool("import", str(f))
    assert json.loads(tool("export").stdout)["updated"] > "2020"


def test_counts_and_long_lists_survive_imports_and_updates(tool, tmp_path):
    """Ten sources and nine topics keep their order; the day and topic
    counts, written once at the end of a file, match the events after
    additions and updates that move topics."""
    tool("init")
    topics = ["Topic %02d" % i for i in range(11)]
    recs = [{"date": "2021-03-0%d" % (1 + i % 2), "headline": "Event number %d" % i,
             "sources": [{"name": "S%d" % j, "url": "https://example.org/%d/%d" % (i, j)}
                         for j in range(10)],
             "topics": topics[i % 3:i % 3 + 9]} for i in range(6)]
    f = tmp_path / "long.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in recs))
    tool("import", str(f))
    recs[0]["topics"] = ["Topic 10"]                    # moves out of eight topics
    f.write_text(json.dumps(recs[0]) + "\n" + json.dumps(
        {"date": "2021-03-02", "headline": "A late one", "topics": ["Topic 10"]}) + "\n")
    assert "1 added, 1 updated" in tool("import", str(f)).stderr
    out = [json.loads(line) for line in tool("export").stdout.splitlines()]
    assert [s["url"] for s in out[1]["sources"]] == [s["url"] for s in recs[1]["sources"]]
    assert out[1]["topics"] == recs[1]["topics"] and out[0]["topics"] == ["Topic 10"]
    stats = tool("stats").stdout
    assert ["2021", "7", "2"] in [line.split() for line in stats.splitlines()], stats
    want = {}
    for r in out:
        for t in r["topics"]:
            want[t] = want.get(t, 0) + 1
    shown = {}
    for line in stats.split("busiest topics:")[1].strip().splitlines():
        n, rest = line.split(None, 1)
        shown[rest.rsplit(" (", 1)[0]] = int(n)
    assert {t: n for t, n in shown.items() if n} == want, (shown, want)


def test_options_may_follow_the_command_and_double_dash_ends_them(tool, tmp_path):
    tool("init")
    store = tool.store
    after = [os.path.join(REPO, "build", "newsevent"), "import", FIXTURES[0]] \
        + store.tool_args()[1:]
    r = subprocess.run(after, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert count(tool) == sum(1 for line in open(FIXTURES[0]) if line.strip())
    dashed = tmp_path / "--odd-name.jsonl"
    dashed.write_text(open(FIXTURES[0]).read())
    r = subprocess.run(store.tool_args() + ["import", "--", str(dashed)],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0 and "unchanged" in r.stderr, r.stderr
    r = subprocess.run(store.tool_args() + ["export", "--params"], capture_output=True, text=True)
    assert r.returncode == 2 and "--params needs a value" in r.stderr


def test_an_unreadable_file_is_counted_as_rejected(tool, tmp_path):
    tool("init")
    r = tool("import", str(tmp_path / "missing.jsonl"), FIXTURES[0], check=False)
    assert r.returncode == 1
    assert "missing.jsonl: cannot read the file" in r.stderr
    assert "1 file rejected" in r.stderr and count(tool) > 0


def test_lines_longer_than_a_read_and_a_directory(tool, tmp_path):
    # The file is read in blocks of 1 MiB: a line longer than one (a body
    # near its 2 MiB limit, written with escapes: 2.6 MB of JSON) is whole,
    # around the block's edges too; a directory cannot be read.
    tool("init")
    body = ("caf\u00e9 " * 260000).strip()            # 2,079,999 bytes of UTF-8
    long_line = json.dumps({"date": "2020-01-01", "headline": "Long", "body": body})
    assert len(long_line) > 2 * 1024 * 1024
    short = [json.dumps({"date": "2020-01-02", "headline": "Short %d" % i}) for i in range(3)]
    f = tmp_path / "long.jsonl"
    f.write_text("\n".join([short[0], long_line, short[1], long_line.replace("Long", "Longer"),
                            short[2]]) + "\n")
    r = tool("import", str(f))
    assert "5 added" in r.stderr
    exported = {e["headline"]: e for e in map(json.loads, tool("export").stdout.splitlines())}
    assert exported["Long"]["body"] == body and exported["Longer"]["body"] == body
    assert set(exported) == {"Long", "Longer", "Short 0", "Short 1", "Short 2"}
    r = tool("import", str(tmp_path), check=False)
    assert r.returncode == 1
    assert "%s: cannot read the file" % tmp_path in r.stderr


def test_a_file_ending_in_blanks_at_a_page_boundary(tool, tmp_path):
    # Nothing may read past the file's last byte, whether it ends in a
    # record without a newline or in blanks (a page's end, when it was
    # mapped; a read's end now).
    tool("init")
    line = open(FIXTURES[0]).readline().rstrip("\n")
    for tail in ("\n" + " \t\r" * 3, ""):
        body = (line + tail).encode()
        body += b" " * (4096 - len(body) % 4096) if tail else b""
        if not tail:
            body = b" " * (4096 - len(body) % 4096) + body
        path = tmp_path / ("page%d.jsonl" % len(tail))
        path.write_bytes(body)
        assert len(body) % 4096 == 0
        r = tool("import", str(path))
        assert "0 files rejected" in r.stderr
    assert count(tool) == 1
    blank = tmp_path / "blank.jsonl"
    blank.write_bytes(b"\n" * 4096)
    assert "0 added" in tool("import", str(blank)).stderr


def test_import_and_check_read_a_pipe(tool):
    tool("init")
    data = "".join(open(f).read() for f in FIXTURES)
    store = tool.store
    r = subprocess.run(store.tool_args() + ["import", "/dev/stdin"], input=data,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert count(tool) == sum(1 for line in data.splitlines() if line.strip())
    r = subprocess.run(store.tool_args() + ["check", "/dev/stdin"],
                       input='{"date": "2020-01-01"}\n',
                       capture_output=True, text=True)
    assert r.returncode == 1 and "headline" in r.stderr


def test_a_terminals_end_of_input_ends_the_import_once(tool):
    # Typed records end with one Ctrl-D, as with any command: the first
    # read, which tells JSON Lines from an array, may meet the end already.
    tool("init")
    for typed, summary in ((b"\x04", "0 added"), (b"\n\x04", "0 added"),
                           (b'{"date": "2020-01-01", "headline": "Typed"}\n\x04', "1 added")):
        master, slave = pty.openpty()
        p = subprocess.Popen(tool.store.tool_args() + ["import", "/dev/stdin"], stdin=slave,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        os.close(slave)
        try:
            time.sleep(0.2)
            os.write(master, typed)
            _, err = p.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
            raise AssertionError("still waiting for input after %r" % typed)
        finally:
            os.close(master)
        assert p.returncode == 0 and summary in err.decode(), err


def test_a_url_with_a_bidi_override_is_rejected(tool, tmp_path):
    tool("init")
    bad = tmp_path / "bidi.jsonl"
    bad.write_text(json.dumps({"date": "2020-01-01", "headline": "H", "sources": [
        {"name": "S", "url": "https://e.com/a\u202eb"}]}) + "\n")
    r = tool("import", str(bad), check=False)
    assert r.returncode == 1 and "sources[0].url" in r.stderr, r.stderr


def test_topic_names_are_kept_renamed_by_case_and_never_merged(tool, tmp_path):
    tool("init")

    def jsonl(name, *records):
        f = tmp_path / name
        f.write_text("".join(json.dumps(r) + "\n" for r in records))
        return str(f)

    tool("import", jsonl("a.jsonl",
                         {"date": "2020-01-01", "headline": "About C++", "topics": ["C++"]},
                         {"date": "2020-01-03", "headline": "Putin", "topics": ["vladimir putin"]},
                         {"date": "2020-01-04", "headline": "Putin again",
                          "topics": ["vladimir putin"]}))
    r = tool("import", jsonl("b.jsonl", {"date": "2020-01-02", "headline": "About C",
                                         "topics": ["C"]}), check=False)
    assert r.returncode == 1
    assert "topics" in r.stderr and "'C++'" in r.stderr and "file rejected" in r.stderr
    r = tool("import", jsonl("c.jsonl", {"date": "2020-01-03", "headline": "Putin",
                                         "topics": ["Vladimir Putin"]}))
    assert "1 updated" in r.stderr
    topics = [json.loads(line)["topics"] for line in tool("export").stdout.splitlines()]
    assert topics == [["C++"], ["Vladimir Putin"], ["Vladimir Putin"]]
    again = tool("import", str(tmp_path / "c.jsonl"))
    assert "1 unchanged" in again.stderr


def test_a_file_spelling_a_topic_two_ways_imports_twice_unchanged(tool, tmp_path):
    tool("init")
    f = tmp_path / "spellings.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in [
        {"date": "2021-01-01", "headline": "One", "topics": ["rust"]},
        {"date": "2021-01-02", "headline": "Two", "topics": ["Rust"]}]))
    assert "2 added" in tool("import", str(f)).stderr
    assert "2 unchanged" in tool("import", str(f)).stderr
    topics = [json.loads(line)["topics"] for line in tool("export").stdout.splitlines()]
    assert topics == [["rust"], ["rust"]]              # the file's first spelling


def test_files_of_one_command_agree_on_a_topics_spelling(tool, tmp_path):
    tool("init")
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("".join(json.dumps(r) + "\n" for r in [
        {"date": "2021-01-01", "headline": "One", "topics": ["rust"]},
        {"date": "2021-01-02", "headline": "Two", "topics": ["Rust"]}]))
    b.write_text(json.dumps({"date": "2021-01-03", "headline": "Three",
                             "topics": ["RUST"]}) + "\n")
    assert "3 added" in tool("import", str(b), str(a)).stderr
    assert "3 unchanged" in tool("import", str(b), str(a)).stderr
    topics = {json.loads(line)["topics"][0] for line in tool("export").stdout.splitlines()}
    assert topics == {"RUST"}


def write_lines(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")


def test_invisible_formatting_that_changes_nothing_is_removed_and_counted(tool, tmp_path):
    """Wikipedia's Current events portal: a headline holding a lone U+202C
    once refused a whole archive of 18,582 events."""
    tool("init")
    f = tmp_path / "portal.jsonl"
    write_lines(f, [
        {"date": "2016-05-01", "headline": "A lone pop\u202c in a headline",
         "topics": ["Turkey\u202c"]},
        {"date": "2016-05-02", "headline": "\ufeffA byte order mark, an empty isolate "
         "\u2066\u2069and a zero width space\u200b stay or go as they should",
         "body": "First paragraph ends open\u202a\n\nSecond."},
    ])
    r = tool("import", str(f))
    assert "6 invisible characters removed" in r.stderr, r.stderr
    out = [json.loads(line) for line in tool("export").stdout.splitlines()]
    assert out[0]["headline"] == "A lone pop in a headline"
    assert out[0]["topics"] == ["Turkey"]
    assert out[1]["headline"] == ("A byte order mark, an empty isolate and a zero width "
                                  "space\u200b stay or go as they should")
    assert out[1]["body"] == "First paragraph ends open\n\nSecond."
    # --verbose names each, by file, line and field.
    r = tool("--verbose", "check", str(f))
    assert "%s:1: field 'headline': removed U+202C POP DIRECTIONAL FORMATTING" % f in r.stderr
    assert "%s:1: field 'topics[0]': removed U+202C" % f in r.stderr
    assert "%s:2: field 'headline': removed U+FEFF ZERO WIDTH NO-BREAK SPACE" % f in r.stderr
    assert "%s:2: field 'body': removed U+202A LEFT-TO-RIGHT EMBEDDING" % f in r.stderr


def test_a_control_that_reorders_text_is_still_refused(tool, tmp_path):
    tool("init")
    f = tmp_path / "override.jsonl"
    write_lines(f, [{"date": "2016-05-01", "headline": "Safe"},
                    {"date": "2016-05-01", "headline": "Reads \u202egnorw\u202c backwards"}])
    r = tool("import", str(f), check=False)
    assert r.returncode == 1
    assert "%s:2: field 'headline' must be one line of text" % f in r.stderr
    assert "bidirectional overrides" in r.stderr
    assert tool("export").stdout == ""


def test_skip_invalid_stores_the_valid_records_and_names_the_others(tool, tmp_path):
    tool("init")
    f = tmp_path / "mixed.jsonl"
    write_lines(f, [
        {"date": "2016-06-01", "headline": "One", "topics": ["C++"]},
        {"date": "2016-06-31", "headline": "No such day"},
        {"date": "2016-06-02", "headline": "Merges two topics", "topics": ["Brand new", "C"]},
        {"date": "2016-06-03", "headline": "Reads \u202egnorw\u202c backwards"},
        {"date": "2016-06-04", "headline": "Two", "topics": ["c++"]},
    ])
    with open(f, "a") as out:
        out.write('{"date": "2016-06-05", "headline": \n')
        out.write(json.dumps({"date": "2016-06-06", "headline": "Three"}) + "\n")
    r = tool("--skip-invalid", "import", str(f))
    assert "3 added" in r.stderr and "4 invalid records skipped" in r.stderr, r.stderr
    for line, why in ((2, "field 'date'"), (3, "field 'topics'"), (4, "field 'headline'"),
                      (6, "invalid JSON")):
        assert "%s:%d: %s" % (f, line, why) in r.stderr, r.stderr
    assert r.stderr.count("record skipped") == 4
    out = [json.loads(line) for line in tool("export").stdout.splitlines()]
    assert [e["headline"] for e in out] == ["One", "Two", "Three"]
    assert out[1]["topics"] == ["C++"]
    # The topic the skipped record would have added was never stored.
    stats = tool("stats").stdout
    assert "brand-new" not in stats and "(c)" in stats
    # Without the option the same file is refused whole.
    tool("init")
    other = tmp_path / "again.jsonl"
    write_lines(other, [{"date": "2017-01-01", "headline": "Fine"},
                        {"date": "2017-02-30", "headline": "Bad"}])
    r = tool("import", str(other), check=False)
    assert r.returncode == 1 and "file rejected" in r.stderr


def test_delete_and_move_from_a_shell_and_the_export_round_trip(tool, tmp_path, stores):
    tool("init")
    tool("import", *FIXTURES)
    first = json.loads(tool("export").stdout.splitlines()[0])
    second = json.loads(tool("export").stdout.splitlines()[1])
    path = lambda e: "/news/%s/%s" % (e["date"].replace("-", "/"), e["slug"])
    r = tool("delete", "https://news.example.org" + path(first) + ".html")
    assert "1 event deleted" in r.stderr
    r = tool("move", path(second), "/news/2015/01/01/moved-once")
    assert "the old URL answers 301" in r.stderr
    tool("move", "/news/2015/01/01/moved-once", "/news/2015/01/02/moved-twice")
    # Refusals change nothing.
    before = tool("export").stdout
    assert tool("delete", path(first), check=False).returncode == 1
    assert tool("delete", "not-a-url", check=False).returncode == 1
    assert tool("move", "/news/2015/01/02/moved-twice", path(second), "x", check=False) \
        .returncode == 2
    assert tool("export").stdout == before
    lines = [json.loads(line) for line in before.splitlines()]
    assert {"date": first["date"], "slug": first["slug"]}.items() <= lines[-3].items()
    assert "deleted" in lines[-3]
    assert lines[-1]["to"] == {"date": "2015-01-02", "slug": "moved-twice"}
    assert lines[-2]["to"] == {"date": "2015-01-02", "slug": "moved-twice"}
    # The export imports into a new store unchanged, deletions and moves too.
    f = tmp_path / "all.jsonl"
    f.write_text(before)
    other = stores.make("roundtrip-edits", files=[str(f)])
    assert other.tool("export").stdout == before


def test_a_postgresql_store_is_analysed_after_an_import(tool, stores):
    if stores.kind != "pgsql":
        pytest.skip("a PostgreSQL test")
    tool("init")
    db = tool.store.params.split("dbname=")[1].split()[0]
    tool("import", *FIXTURES)
    out = stores.pg.psql(db, "SELECT relname FROM pg_stat_user_tables WHERE last_analyze "
                             "IS NOT NULL ORDER BY relname")
    analysed = out.stdout.split() if hasattr(out, "stdout") else str(out).split()
    for table in ("days", "event_topics", "events", "events_search", "related_lists", "sources",
                  "topic_companions", "topics"):
        assert table in analysed, analysed


def fts5_segments(db):
    """How many segments SQLite's FTS5 index has: its structure record (row
    10 of events_search_data) is a 4-byte cookie, then varints: the number
    of levels, then of segments."""
    block = sqlite3.connect(db).execute(
        "SELECT block FROM events_search_data WHERE id = 10").fetchone()[0]
    values, value = [], 0
    for byte in block[4:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            values.append(value)
            value = 0
        if len(values) == 2:
            return values[1]


def test_a_large_import_merges_the_search_index(tool, tmp_path, stores):
    """An import that writes a tenth of the store or more leaves SQLite's
    search index in one segment, which every lookup of a search seeks in;
    a smaller one leaves it to FTS5's own merges."""
    if stores.kind != "sqlite3":
        pytest.skip("FTS5 is SQLite's")
    tool("init")
    tool("import", *FIXTURES)                 # a transaction a file: a segment each
    db = tool.store.params
    assert fts5_segments(db) == 1
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps({"date": "2019-05-05", "headline": "Quokkas merge"}) + "\n")
    tool("import", str(one))
    assert fts5_segments(db) == 2
    check = sqlite3.connect(db)
    check.execute("INSERT INTO events_search(events_search, rank) VALUES ('integrity-check', 1)")
    assert check.execute("SELECT COUNT(*) FROM events_search WHERE events_search MATCH 'quokkas'"
                         ).fetchone()[0] == 1
