# SPDX-License-Identifier: Apache-2.0
"""One event in every format, as a user and an API client check it."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from fixtures_data import HOSTILE, SEED, SEED_URL, TYPES, url

NS = {"n": "https://mod-newsevent.org/ns/archive/1"}
# The seed page's related list: date, slug prefix, context.
SEED_RELATED = [
    ("2016-11-16", "russian-president-vladimir-putin-signs", ["International Criminal Court", "Vladimir Putin"]),
    ("2016-10-21", "south-africa-formally-begins", ["International Criminal Court", "Omar al-Bashir"]),
    ("2015-06-25", "south-africa-reviews-its-participation", ["International Criminal Court", "Omar al-Bashir"]),
    ("2015-06-14", "the-international-criminal-court-asks", ["International Criminal Court", "Omar al-Bashir"]),
    ("2015-04-27", "sudan-s-electoral-commission-declares", ["International Criminal Court", "Omar al-Bashir"]),
]


@pytest.mark.parametrize("ext", ["html", "json", "xml", "md"])
def test_each_format_has_its_content_type(server, ext):
    r = server.get(SEED_URL + "." + ext)
    assert r.status == 200
    assert r.header("Content-Type") == TYPES[ext]
    assert int(r.header("Content-Length")) == len(r.body)


def test_no_extension_is_html_until_negotiated(server):
    r = server.get(SEED_URL)
    assert r.status == 200
    assert r.header("Content-Type") == TYPES["html"]


def test_json_has_every_field(server):
    doc = json.loads(server.get(SEED_URL + ".json").body)
    for field in ("date", "slug", "url", "category", "story", "headline", "body", "image",
                  "sources", "topics", "related", "formats", "updated"):
        assert field in doc, field
    assert doc["date"] == "2017-11-23"
    assert doc["slug"] == SEED["slug"]
    assert doc["url"] == SEED_URL
    assert doc["headline"] == SEED["headline"]
    assert doc["story"] == "Russia-Sudan relations"
    assert doc["body"] == SEED["body"]
    assert doc["image"] == SEED["image"]
    assert doc["sources"] == SEED["sources"]
    assert [t["name"] for t in doc["topics"]] == SEED["topics"]
    assert doc["topics"][0] == {"name": "International Criminal Court",
                                "slug": "international-criminal-court",
                                "url": "/news/topics/international-criminal-court"}
    assert doc["formats"] == {ext: SEED_URL + "." + ext for ext in TYPES}
    assert doc["day"] == "/news/2017/11/23/"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", doc["updated"])


def test_related_order_and_context_match_the_seed(server):
    doc = json.loads(server.get(SEED_URL + ".json").body)
    got = [(r["date"], r["slug"], r["context"]) for r in doc["related"]]
    assert len(got) == 5
    for (date, slug, ctx), (want_date, want_prefix, want_ctx) in zip(got, SEED_RELATED):
        assert date == want_date
        assert slug.startswith(want_prefix)
        assert ctx == want_ctx
    for r in doc["related"]:
        assert r["url"] == "/news/%s/%s" % (r["date"].replace("-", "/"), r["slug"])
        assert server.get(r["url"] + ".json").status == 200


def test_xml_is_well_formed_and_has_every_field(server):
    r = server.get(SEED_URL + ".xml")
    root = ET.fromstring(r.body)
    assert root.tag == "{%s}event" % NS["n"]
    for field in ("date", "slug", "url", "category", "story", "headline", "body", "image",
                  "sources", "topics", "related", "formats", "updated"):
        assert root.find("n:" + field, NS) is not None, field
    assert root.findtext("n:headline", namespaces=NS) == SEED["headline"]
    assert [s.findtext("n:url", namespaces=NS) for s in root.findall("n:sources/n:source", NS)] \
        == [s["url"] for s in SEED["sources"]]
    related = root.findall("n:related/n:event", NS)
    assert [e.findtext("n:date", namespaces=NS) for e in related] == [d for d, _, _ in SEED_RELATED]
    assert [[t.text for t in e.findall("n:context/n:topic", NS)] for e in related] \
        == [c for _, _, c in SEED_RELATED]
    assert root.findtext("n:formats/n:md", namespaces=NS) == SEED_URL + ".md"


def normalised_seed_page():
    """The seed page without the two faults of the original site
    (docs/design.md, "The record": spaces written as &#x20; and every list
    item numbered 1.), and without the
    trailing spaces its headlines carried."""
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "data", "seed-page.md"), encoding="utf-8") as f:
        text = f.read()
    text = text.replace("&#x20;", " ").replace("&#x27;", "'")
    lines, n = [], 0
    for line in text.split("\n"):
        if line.startswith("1. "):
            n += 1
            line = "%d. %s" % (n, line[3:])
        elif not line.strip():
            pass
        else:
            n = 0 if line.startswith("#") else n
        line = re.sub(r" \]\(", "](", line)
        if line.startswith("# "):
            line = line.rstrip()
        lines.append(line)
    return lines


def test_markdown_reproduces_the_seed_page_line_by_line(server):
    got = server.get(SEED_URL + ".md").text.split("\n")
    want = normalised_seed_page()
    while want and want[-1] == "":
        want.pop()
    assert got[:len(want)] == want
    # What follows is the topics section the seed page lacks.
    rest = [line for line in got[len(want):] if line]
    assert rest[0] == "### Topics:"
    assert rest[1] == "- [International Criminal Court](/news/topics/international-criminal-court.md)"


def test_html_is_a_complete_page(server):
    html = server.get(SEED_URL + ".html").text
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert '<meta charset="utf-8">' in html
    assert '<link rel="canonical" href="%s.html">' % SEED_URL in html
    for ext in ("json", "xml", "md"):
        assert 'href="%s.%s"' % (SEED_URL, ext) in html
    assert '<a href="/news/2017/11/23/">' in html
    assert "<h1>Sudanese President Omar al-Bashir" in html
    assert html.rstrip().endswith("</html>")
    for date, slug, _ in SEED_RELATED:
        assert 'href="/news/%s/%s' % (date.replace("-", "/"), slug) in html


def test_hostile_headline_is_escaped_in_every_format(server):
    html = server.get(url(HOSTILE, "html")).text
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "Café Lumière &amp; Gallery" in html
    assert "東京" in html
    doc = json.loads(server.get(url(HOSTILE, "json")).body)
    assert doc["headline"] == HOSTILE["headline"]
    root = ET.fromstring(server.get(url(HOSTILE, "xml")).body)
    assert root.findtext("n:headline", namespaces=NS) == HOSTILE["headline"]
    md = server.get(url(HOSTILE, "md")).text
    assert "\\<script\\>" in md and "<script>" not in md
    day = server.get("/news/2017/11/24/").text
    assert "<script>" not in day
    assert "&lt;script&gt;" in day


@pytest.mark.parametrize("path", [
    "/news/2017/11/23/no-such-event",
    "/news/2017/11/23/no-such-event.json",
    "/news/2017/02/29/anything",
    "/news/2017/02/30/anything",
    "/news/2017/13/01/anything",
    "/news/2017/11/23/%s.txt" % SEED["slug"],
    "/news/2017/11/23/%s.html.json" % SEED["slug"],
    "/news/2017/11/23/%s/" % SEED["slug"],
    "/news/2017/11/23/%s/more" % SEED["slug"],
    "/news/2017/11/23/bad--slug",
    "/news/2017/11/23/bad_slug",
    "/news/2017/11/23/index.txt",
    "/news/2017/11/2/",
    "/news/17/11/23/",
    "/news/2017/11/23x/",
    "/news/whatever",
    "/news/2017/11/23/" + "a" * 161,
])
def test_not_found(server, path):
    assert server.get(path).status == 404


def test_other_urls_are_served_as_before(server):
    r = server.get("/")
    assert r.status == 200
    assert "An existing site" in r.text
    assert server.get("/index.html").status == 200
    assert server.get("/newsroom/2017/11/23/").status == 404
    assert server.get("/newsx").status == 404


def test_head_has_the_headers_of_get_and_no_body(server):
    get = server.get(SEED_URL + ".json")
    head = server.request(SEED_URL + ".json", method="HEAD")
    assert head.status == 200
    assert head.body == b""
    assert head.header("Content-Type") == get.header("Content-Type")
    assert head.header("Content-Length") == get.header("Content-Length")


def test_other_methods_are_refused(server):
    r = server.request(SEED_URL, method="POST", body=b"x")
    assert r.status == 405
    assert "GET" in r.header("Allow")


def test_xmllint_validates_against_the_shipped_schemas(server, tmp_path):
    """The same check an API client would run, with libxml2's own tool."""
    import subprocess
    import os
    conf = os.path.join(os.path.dirname(__file__), "..", "..", "conf")
    docs = {"event.xml": SEED_URL + ".xml", "day.xml": "/news/2017/11/23/index.xml",
            "month.xml": "/news/2017/11/index.xml", "year.xml": "/news/2017/index.xml",
            "front.xml": "/news/index.xml", "topic.xml": "/news/topics/russia.xml"}
    for name, path in docs.items():
        (tmp_path / name).write_bytes(server.get(path).body)
    r = subprocess.run(["xmllint", "--noout", "--schema", os.path.join(conf, "newsevent.xsd")]
                       + [str(tmp_path / n) for n in docs], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    (tmp_path / "problem.xml").write_bytes(server.get(SEED_URL + "-nope.xml").body)
    r = subprocess.run(["xmllint", "--noout", "--schema",
                        os.path.join(conf, "newsevent-problem.xsd"), str(tmp_path / "problem.xml")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_request_notes_for_the_access_log(make_server):
    srv = make_server("notes", extra='LogFormat "%r|%{newsevent-store-us}n|'
                                     '%{newsevent-rows}n|%{newsevent-format}n" notes\n'
                                     'CustomLog "@LOG@" notes'.replace("@LOG@", "/dev/null"),
                      start=False)
    log = srv.root + "/notes.log"
    with open(srv.conf) as f:
        text = f.read().replace('CustomLog "/dev/null" notes', 'CustomLog "%s" notes' % log)
    with open(srv.conf, "w") as f:
        f.write(text)
    srv.start()
    srv.get(SEED_URL + ".json")
    srv.get(SEED_URL, headers={"Accept": "text/markdown"})
    srv.get("/", headers={})
    srv.stop()
    # Children write their own lines: find each request's.
    lines = {tuple(line.split("|")[0].split()[:2]): line.split("|")
             for line in open(log).read().splitlines()}
    first = lines[("GET", SEED_URL + ".json")]
    second = lines[("GET", SEED_URL)]
    static = lines[("GET", "/")]
    # the archive row, the event whole, its five related events
    assert int(first[1]) > 0 and int(first[2]) >= 7 and first[3] == "json"
    assert second[3] == "md(negotiated)"
    assert static[1:] == ["-", "-", "-"]        # not ours
