# SPDX-License-Identifier: Apache-2.0
"""Hostile data: what an editor (or a careless script) may put in a record.
The tool refuses what is invalid with a message naming the field; what is
stored is rendered safely in every format: no script runs, XML stays
well-formed, JSON stays valid, only http and https URLs become links."""

import json
import re
import sqlite3

import pytest

from fixtures_data import SEED_URL

XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&amp;'
HOSTILE = {
    "date": "2020-02-02", "slug": "hostile-record",
    "category": "Cat " + XSS, "story": "Story " + XSS,
    "headline": "Headline " + XSS + " \u200f\u05e9\u05dc\u05d5\u05dd",
    "body": ("Body " + XSS + "\n\n" + "para [link](javascript:alert(3)) <b>bold</b> ") * 3,
    "image": "https://images.example.org/a.jpg?x=\"><script>alert(4)</script>",
    "sources": [{"name": "S " + XSS, "url": "https://example.org/?q=<script>&a=\"b\""},
                {"name": "plain", "url": "http://example.org/p"}],
    "topics": ["Topic " + XSS, "Second topic"],
}
BIG = {"date": "2020-02-03", "slug": "big-record", "headline": "A record with a lot",
       "body": ("0123456789 " * 95000)[:1_000_000],
       "sources": [{"name": "Source %d" % i, "url": "https://example.org/%d" % i} for i in range(1000)],
       "topics": ["Topic number %d" % i for i in range(1000)]}


def write(tmp_path, name, records, raw=None):
    f = tmp_path / name
    if raw is not None:
        f.write_bytes(raw)
    else:
        f.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return str(f)


@pytest.mark.parametrize("record,field", [
    ({"date": "2020-01-01", "headline": "Bad \u202e override"}, "headline"),
    ({"date": "2020-01-01", "headline": "Bell \u0007"}, "headline"),
    ({"date": "2020-01-01", "headline": "H", "category": "C1 \u0085"}, "category"),
    ({"date": "2020-01-01", "headline": "H", "body": "escape \u001b[31m"}, "body"),
    ({"date": "2020-01-01", "headline": "H", "image": "javascript:alert(1)"}, "image"),
    ({"date": "2020-01-01", "headline": "H", "image": "data:text/html,<script>"}, "image"),
    ({"date": "2020-01-01", "headline": "H",
      "sources": [{"name": "n", "url": "javascript:alert(1)"}]}, "sources[0].url"),
    ({"date": "2020-01-01", "headline": "H",
      "sources": [{"name": "n", "url": "//example.org/"}]}, "sources[0].url"),
    ({"date": "2020-01-01", "headline": "H",
      "sources": [{"name": "n", "url": "https://a b/"}]}, "sources[0].url"),
    ({"date": "2020-01-01"}, "headline"),
    ({"headline": "H"}, "date"),
    ({"date": "2020-01-01", "headline": "H",
      "sources": [{"name": "n", "url": "https://e.org/"}] * 1001}, "sources"),
    ({"date": "2020-01-01", "headline": "H", "topics": ["t%d" % i for i in range(1001)]}, "topics"),
    ({"date": "2020-01-01", "headline": "H", "body": "x" * (2 * 1024 * 1024 + 1)}, "body"),
    ({"date": "2020-01-01", "headline": "x" * 4001}, "headline"),
    ({"date": "2020-01-01", "headline": "H", "slug": "../../etc"}, "slug"),
])
def test_the_tool_refuses_invalid_records(tool, tmp_path, record, field):
    tool("init")
    r = tool("import", write(tmp_path, "bad.jsonl", [record]), check=False)
    assert r.returncode == 1
    assert "field '%s'" % field in r.stderr, r.stderr
    assert tool("export").stdout == ""


def test_the_tool_refuses_invalid_utf8(tool, tmp_path):
    tool("init")
    raw = b'{"date": "2020-01-01", "headline": "caf\xe9 au lait"}\n'
    r = tool("import", write(tmp_path, "latin1.jsonl", None, raw), check=False)
    assert r.returncode == 1 and ":1: not valid UTF-8" in r.stderr


@pytest.fixture(scope="module")
def hostile_site(make_server, stores, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-data")
    store = stores.make("hostile", files=[write(tmp, "h.jsonl", [HOSTILE, BIG])])
    return make_server("hostile-data", store=store)


URL = "/news/2020/02/02/hostile-record"


def test_html_runs_no_script(hostile_site):
    for path in (URL, "/news/2020/02/02/", "/news/topics/topic-script-alert-1-script-img-src-x-"
                 "onerror-alert-2-quot-amp-amp", "/news/2020/02/", "/news/index.html"):
        r = hostile_site.get(path, headers={"Accept": "text/html"})
        html = r.text
        assert "<script" not in html and "<img src=x" not in html and "<b>" not in html, path
        assert "javascript:" not in re.sub(r"&[a-z#0-9]+;", "", " ".join(
            re.findall(r'(?:href|src)="([^"]*)"', html))), path
    html = hostile_site.get(URL).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # What a URL may not hold is percent-encoded, as the HTML standard's URL
    # parser wants it (the Nu Html Checker checks every page).
    assert 'href="https://example.org/?q=%3Cscript%3E&amp;a=%22b%22"' in html
    assert 'src="https://images.example.org/a.jpg?x=%22%3E%3Cscript%3E' in html


def test_json_and_xml_carry_the_text_exactly(hostile_site):
    doc = json.loads(hostile_site.get(URL + ".json").body)   # validated by the schema too
    assert doc["headline"] == HOSTILE["headline"]
    assert doc["sources"][0]["url"] == HOSTILE["sources"][0]["url"]
    from lxml import etree
    root = etree.fromstring(hostile_site.get(URL + ".xml").body)
    ns = {"n": "https://mod-newsevent.org/ns/archive/1"}
    assert root.findtext("n:headline", namespaces=ns) == HOSTILE["headline"]


def test_markdown_makes_no_link_of_a_javascript_url(hostile_site):
    md = hostile_site.get(URL + ".md").text
    assert "](javascript" not in md.replace("\\](javascript", "")
    assert "\\<script\\>" in md


def test_a_megabyte_body_and_a_thousand_sources_and_topics(hostile_site):
    for ext in ("json", "xml", "html", "md"):
        r = hostile_site.get("/news/2020/02/03/big-record." + ext)
        assert r.status == 200 and len(r.body) > 1_000_000, ext
    doc = json.loads(hostile_site.get("/news/2020/02/03/big-record.json").body)
    assert len(doc["sources"]) == 1000 and len(doc["topics"]) == 1000


def test_bad_data_written_around_the_tool_is_cleaned_on_the_way_out(make_server, stores,
                                                                     tmp_path):
    """Rows written straight into SQLite: invalid UTF-8, control characters,
    an override, a javascript: source. Every format stays valid."""
    if stores.kind != "sqlite3":
        pytest.skip("writes SQLite directly")
    store = stores.make("dirty")
    with sqlite3.connect(store.params) as c:
        c.execute("UPDATE events SET headline = CAST(? AS TEXT), body = ?, image = ? "
                  "WHERE slug LIKE 'sudanese-president%'",
                  (b"Bad \xff\xfe bytes \x01\x1b[31m \xe2\x80\xae reversed".decode("latin-1"),
                   "body \x00 with NUL? \x7f", "javascript:alert(1)"))
        c.execute("UPDATE sources SET url = 'javascript:alert(2)' WHERE event_id = "
                  "(SELECT id FROM events WHERE slug LIKE 'sudanese-president%')")
    srv = make_server("dirty", store=store)
    for ext in ("json", "xml", "html", "md"):
        r = srv.get(SEED_URL + "." + ext)
        assert r.status == 200, ext
        r.body.decode("utf-8")                  # valid UTF-8 whatever was stored
        assert b"\x01" not in r.body and b"\x1b" not in r.body and "\u202e" not in r.text
    html = srv.get(SEED_URL + ".html").text
    assert 'href="javascript' not in html and 'src="javascript' not in html
    assert "France 24" in html                  # the source, unlinked
