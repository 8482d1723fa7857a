# SPDX-License-Identifier: Apache-2.0
"""The day index: a day's events grouped by category in import order."""

import json
import xml.etree.ElementTree as ET

import pytest

from fixtures_data import events, url

NS = {"n": "https://mod-newsevent.org/ns/archive/1"}
DAY = "2017-11-23"


def expected_day(date):
    """The fixtures of a day, grouped by category in order of first import."""
    todays = [e for e in events() if e["date"] == date]
    cats = []
    for e in todays:
        if e.get("category", "") not in cats:
            cats.append(e.get("category", ""))
    return [e for c in cats for e in todays if e.get("category", "") == c]


@pytest.mark.parametrize("path", ["/news/2017/11/23/", "/news/2017/11/23/index",
                                  "/news/2017/11/23/index.html"])
def test_day_html(server, path):
    r = server.get(path)
    assert r.status == 200
    assert r.header("Content-Type") == "text/html; charset=utf-8"
    html = r.text
    positions = [html.find('href="%s"' % url(e)) for e in expected_day(DAY)]
    assert all(p > 0 for p in positions)
    assert positions == sorted(positions), "events out of category/import order"
    assert 'href="/news/2017/11/23/index.json"' in html


def test_day_json(server):
    doc = json.loads(server.get("/news/2017/11/23/index.json").body)
    assert doc["date"] == DAY
    assert [e["slug"] for e in doc["events"]] == [e["slug"] for e in expected_day(DAY)]
    assert [e["category"] for e in doc["events"]] == \
        [e.get("category") for e in expected_day(DAY)]
    assert doc["prev"] == {"date": "2017-11-22", "url": "/news/2017/11/22/"}
    assert doc["next"] == {"date": "2017-11-24", "url": "/news/2017/11/24/"}
    assert doc["formats"]["md"] == "/news/2017/11/23/index.md"
    for e in doc["events"]:
        assert server.get(e["url"] + ".json").status == 200


def test_day_xml(server):
    root = ET.fromstring(server.get("/news/2017/11/23/index.xml").body)
    assert root.tag == "{%s}day" % NS["n"]
    assert [e.findtext("n:slug", namespaces=NS) for e in root.findall("n:events/n:event", NS)] \
        == [e["slug"] for e in expected_day(DAY)]
    assert root.findtext("n:prev/n:date", namespaces=NS) == "2017-11-22"


def test_day_markdown(server):
    md = server.get("/news/2017/11/23/index.md").text
    assert md.startswith("\nFormats: [HTML](/news/2017/11/23/index.html)  [JSON]")
    assert "\n# 2017-11-23\n" in md
    cats = []
    for e in expected_day(DAY):
        if e.get("category") not in cats:
            cats.append(e.get("category"))
    heads = [line[3:] for line in md.split("\n") if line.startswith("## ")]
    assert heads == cats
    positions = [md.find("(%s.md)" % url(e)) for e in expected_day(DAY)]
    assert all(p > 0 for p in positions) and positions == sorted(positions)
    assert "Previous day: [2017-11-22](/news/2017/11/22/index.md)" in md


def test_first_and_last_days_have_one_neighbour(server):
    dates = sorted({e["date"] for e in events()})
    first = json.loads(server.get("/news/%s/index.json" % dates[0].replace("-", "/")).body)
    last = json.loads(server.get("/news/%s/index.json" % dates[-1].replace("-", "/")).body)
    assert first["prev"] is None and first["next"]["date"] == dates[1]
    assert last["next"] is None and last["prev"]["date"] == dates[-2]


def test_day_without_events_is_404(server):
    assert server.get("/news/2017/11/19/").status == 404
    assert server.get("/news/2017/11/19/index.json").status == 404


def test_day_without_slash_redirects(server):
    r = server.get("/news/2017/11/23")
    assert r.status == 301
    assert r.header("Location").endswith("/news/2017/11/23/")


def test_upper_case_slug_redirects(server):
    e = expected_day(DAY)[0]
    r = server.get(url(e).upper().replace("/NEWS/", "/news/") + ".JSON")
    assert r.status == 301
    assert r.header("Location").endswith(url(e, "json"))
