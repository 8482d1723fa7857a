# SPDX-License-Identifier: Apache-2.0
"""The whole archive: days, months, years, the front page, topics, feeds and
paging, in every format."""

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from fixtures_data import SEED, SEED_URL, TYPES, events, url

NS = {"n": "https://mod-newsevent.org/ns/archive/1"}
ATOM = {"a": "http://www.w3.org/2005/Atom"}
LISTS = {
    "front": ("/news/", "/news/index.%s"),
    "year": ("/news/2017/", "/news/2017/index.%s"),
    "month": ("/news/2017/11/", "/news/2017/11/index.%s"),
    "day": ("/news/2017/11/23/", "/news/2017/11/23/index.%s"),
    "topic": ("/news/topics/omar-al-bashir", "/news/topics/omar-al-bashir.%s"),
}
ALL = events()
DATES = sorted({e["date"] for e in ALL})


def topic_slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name[:140].lower()).strip("-")


@pytest.mark.parametrize("kind", list(LISTS))
@pytest.mark.parametrize("ext", list(TYPES))
def test_every_list_in_every_format(server, kind, ext):
    negotiated, pattern = LISTS[kind]
    r = server.get(pattern % ext)
    assert r.status == 200, r.text
    assert r.header("Content-Type") == TYPES[ext]
    if ext == "json":
        doc = json.loads(r.body)
        assert doc["kind"] == kind
        assert doc["formats"] == {e: pattern % e for e in TYPES}
        assert doc["links"]["feed"].endswith(".atom")
    elif ext == "xml":
        root = ET.fromstring(r.body)
        assert root.tag == "{%s}%s" % (NS["n"], kind)
        assert root.find("n:links/n:feed", NS) is not None
    elif ext == "html":
        assert r.text.startswith("<!DOCTYPE html>") and r.text.rstrip().endswith("</html>")
        assert '<link rel="canonical" href="%s">' % (pattern % "html") in r.text
    else:
        assert "\n# " in r.text
    neg = server.get(negotiated, headers={"Accept": TYPES[ext].split(";")[0]})
    assert neg.status == 200 and neg.body == r.body
    assert neg.header("Content-Location") == pattern % ext
    assert "Accept" in neg.header("Vary")


def test_year_lists_its_months_with_counts(server):
    doc = json.loads(server.get("/news/2017/index.json").body)
    want = Counter(e["date"][:7] for e in ALL if e["date"].startswith("2017-"))
    assert [(m["month"], m["events"]) for m in doc["months"]] == sorted(want.items())
    assert doc["months"][0]["url"] == "/news/%s/" % doc["months"][0]["month"].replace("-", "/")
    years = sorted({d[:4] for d in DATES})
    i = years.index("2017")
    assert doc["prev"] == ({"year": years[i - 1], "url": "/news/%s/" % years[i - 1]}
                           if i > 0 else None)
    assert doc["next"]["year"] == years[i + 1]
    assert doc["total"] == sum(want.values())


def test_month_lists_its_days_and_events(server):
    doc = json.loads(server.get("/news/2017/11/index.json").body)
    nov = [e for e in ALL if e["date"].startswith("2017-11")]
    assert [d["date"] for d in doc["days"]] == sorted({e["date"] for e in nov})
    got = [(e["date"], e["slug"]) for d in doc["days"] for e in d["events"]]
    assert sorted(got) == sorted((e["date"], e["slug"]) for e in nov)
    assert doc["prev"]["month"] < "2017-11" < doc["next"]["month"]
    assert doc["page"] == 1 and doc["prev_page"] is None


@pytest.mark.parametrize("kind,key", [("day", None), ("month", None), ("year", None)])
def test_neighbours_across_boundaries(server, kind, key):
    if kind == "day":
        keys = DATES
    elif kind == "month":
        keys = sorted({d[:7] for d in DATES})
    else:
        keys = sorted({d[:4] for d in DATES})
    name = {"day": "date", "month": "month", "year": "year"}[kind]
    for i, k in enumerate(keys):
        doc = json.loads(server.get("/news/%s/index.json" % k.replace("-", "/")).body)
        assert (doc["prev"] or {}).get(name) == (keys[i - 1] if i > 0 else None), k
        assert (doc["next"] or {}).get(name) == (keys[i + 1] if i + 1 < len(keys) else None), k
    # Boundaries the fixtures cross: a year, and a month.
    if kind == "day":
        assert "2017-12-31" in keys and "2018-01-01" in keys
        doc = json.loads(server.get("/news/2017/12/31/index.json").body)
        assert doc["next"]["date"] == "2018-01-01"


def test_front_page_shows_the_latest_days(server):
    doc = json.loads(server.get("/news/index.json").body)
    assert [d["date"] for d in doc["days"]] == DATES[::-1][:3]
    for d in doc["days"]:
        assert [e["slug"] for e in d["events"]] == [e["slug"] for e in ALL if e["date"] == d["date"]]


def test_topic_lists_events_newest_first_with_companions(server):
    doc = json.loads(server.get("/news/topics/omar-al-bashir.json").body)
    assert doc["name"] == "Omar al-Bashir" and doc["slug"] == "omar-al-bashir"
    mine = [e for e in ALL if "Omar al-Bashir" in e.get("topics", [])]
    assert [e["date"] for e in doc["events"]] == sorted((e["date"] for e in mine), reverse=True)
    assert doc["total"] == len(mine)
    counts = Counter(t for e in mine for t in e["topics"] if t != "Omar al-Bashir")
    assert doc["topics"][0]["name"] == counts.most_common(1)[0][0]
    assert doc["topics"][0]["count"] == counts.most_common(1)[0][1]
    assert doc["links"]["feed"] == "/news/topics/omar-al-bashir.atom"


def test_unknown_topic_and_empty_periods_are_404(server):
    for path in ("/news/topics/no-such-topic", "/news/topics/no-such-topic.json",
                 "/news/topics/no-such-topic.atom", "/news/1999/", "/news/2017/03/",
                 "/news/2017/03/index.md"):
        assert server.get(path).status == 404, path


@pytest.mark.parametrize("path", ["/news", "/news/2017", "/news/2017/11"])
def test_directories_without_slash_redirect(server, path):
    r = server.get(path + "?page=1")
    assert r.status == 301
    assert r.header("Location").endswith(path + "/?page=1")


def test_the_seed_event_reaches_everything_by_links(server):
    want = {"/news/2017/11/23/", "/news/2017/11/", "/news/2017/", "/news/", "/news/feed.atom"}
    want |= {"/news/topics/%s" % topic_slug(t) for t in SEED["topics"]}
    html = server.get(SEED_URL).text
    hrefs = set(re.findall(r'href="([^"]+)"', html))
    assert want <= hrefs, want - hrefs
    md = server.get(SEED_URL + ".md").text
    targets = set(re.findall(r"\]\(([^)]+)\)", md))
    want_md = {"/news/2017/11/23/index.md", "/news/2017/11/index.md", "/news/2017/index.md",
               "/news/index.md", "/news/feed.atom"}
    want_md |= {"/news/topics/%s.md" % topic_slug(t) for t in SEED["topics"]}
    assert want_md <= targets, want_md - targets
    for target in want | want_md:
        assert server.get(target).status == 200, target
    doc = json.loads(server.get(SEED_URL + ".json").body)
    assert doc["links"] == {"front": "/news/", "year": "/news/2017/", "month": "/news/2017/11/",
                            "day": "/news/2017/11/23/", "feed": "/news/feed.atom"}


def test_lists_link_up_the_archive_in_json_and_xml(server):
    doc = json.loads(server.get("/news/2017/11/23/index.json").body)
    assert doc["links"] == {"front": "/news/", "year": "/news/2017/", "month": "/news/2017/11/",
                            "feed": "/news/feed.atom"}
    root = ET.fromstring(server.get("/news/2017/11/index.xml").body)
    assert root.findtext("n:links/n:year", namespaces=NS) == "/news/2017/"
    assert root.findtext("n:links/n:front", namespaces=NS) == "/news/"


def check_atom(body, entries_min=1):
    """RFC 4287's required elements, by hand; and a real feed parser."""
    root = ET.fromstring(body)
    assert root.tag == "{%s}feed" % ATOM["a"]
    for el in ("a:id", "a:title", "a:updated", "a:author/a:name"):
        assert root.find(el, ATOM) is not None and root.findtext(el, namespaces=ATOM), el
    assert root.find("a:link[@rel='self']", ATOM) is not None
    entries = root.findall("a:entry", ATOM)
    assert len(entries) >= entries_min
    ids = set()
    for e in entries:
        for el in ("a:id", "a:title", "a:updated", "a:summary"):
            assert e.findtext(el, namespaces=ATOM), el
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", e.findtext("a:updated", namespaces=ATOM))
        assert e.find("a:link[@rel='alternate']", ATOM).get("href").startswith("http://")
        ids.add(e.findtext("a:id", namespaces=ATOM))
    assert len(ids) == len(entries)
    import feedparser
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    return parsed


def test_atom_feed(server):
    r = server.get("/news/feed.atom")
    assert r.status == 200
    assert r.header("Content-Type") == "application/atom+xml"
    parsed = check_atom(r.body, entries_min=min(len(ALL), 50))   # NewsEventPageSize
    latest = sorted(ALL, key=lambda e: e["date"], reverse=True)[0]
    assert parsed.entries[0].title == latest["headline"]
    assert parsed.entries[0].link.endswith(url(latest, "html"))
    # The ids come from ServerName, whatever Host the client sends.
    other = server.get("/news/feed.atom", headers={"Host": "elsewhere.example"})
    assert other.body == r.body


def test_topic_feed(server):
    r = server.get("/news/topics/international-criminal-court.atom")
    assert r.status == 200
    parsed = check_atom(r.body)
    mine = [e for e in ALL if "International Criminal Court" in e.get("topics", [])]
    assert len(parsed.entries) == len(mine)
    assert "International Criminal Court" in parsed.feed.title
    # A feed's entries are summed up by their bodies (lists read no body).
    bodies = {e["headline"].strip(): e.get("body", "").strip().split("\n\n")[0].strip()
              for e in mine}
    with_body = [x for x in parsed.entries if bodies[x.title]]
    assert with_body
    for entry in with_body:
        assert entry.summary == bodies[entry.title]
    assert server.get("/news/topics/international-criminal-court.atom",
                      headers={"If-None-Match": r.header("ETag")}).status == 304


@pytest.fixture(scope="module")
def paged(make_server):
    return make_server("paged", extra="NewsEventPageSize 2\nNewsEventFrontDays 2")


def test_topic_paging(paged):
    mine = [e for e in ALL if "International Criminal Court" in e.get("topics", [])]
    pages = (len(mine) + 1) // 2
    base = "/news/topics/international-criminal-court"
    seen = []
    for page in range(1, pages + 1):
        r = paged.get(base + ".json" + ("?page=%d" % page if page > 1 else ""))
        assert r.status == 200
        doc = json.loads(r.body)
        assert doc["page"] == page and doc["pages"] == pages and doc["total"] == len(mine)
        seen += [(e["date"], e["slug"]) for e in doc["events"]]
        links = r.header("Link") or ""
        assert ('rel="prev"' in links) == (page > 1)
        assert ('rel="next"' in links) == (page < pages)
        if page < pages:
            assert "<%s.json?page=%d>; rel=\"next\"" % (base, page + 1) in links
            assert doc["next_page"] == "%s?page=%d" % (base, page + 1)
        else:
            assert doc["next_page"] is None
    assert sorted(seen) == sorted((e["date"], e["slug"]) for e in mine)
    assert [d for d, _ in seen] == sorted((d for d, _ in seen), reverse=True)
    assert paged.get(base + "?page=%d" % (pages + 1)).status == 404
    neg = paged.get(base + "?page=2", headers={"Accept": "application/json"})
    assert "<%s?page=3>; rel=\"next\"" % base in neg.header("Link")
    assert neg.header("Content-Location") == base + ".json?page=2"


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5", "", "99999999", "2%00", "1e3"])
def test_bad_page_values_are_400(paged, value):
    r = paged.get("/news/topics/international-criminal-court.json?page=" + value)
    assert r.status in (400, 404)
    assert r.status == 400 or value == "2%00"
    assert json.loads(r.body)["status"] == r.status


def test_month_paging_covers_the_month(paged):
    nov = [e for e in ALL if e["date"].startswith("2017-11")]
    got, page = [], 1
    while True:
        r = paged.get("/news/2017/11/index.json?page=%d" % page)
        if r.status == 404:
            break
        doc = json.loads(r.body)
        got += [(e["date"], e["slug"]) for d in doc["days"] for e in d["events"]]
        page += 1
    assert page - 1 == (len(nov) + 1) // 2
    assert got == sorted(got, key=lambda x: x[0])
    assert sorted(got) == sorted((e["date"], e["slug"]) for e in nov)


def test_front_days_setting(paged):
    doc = json.loads(paged.get("/news/index.json").body)
    assert [d["date"] for d in doc["days"]] == DATES[::-1][:2]


# Related events on crafted cases: every event shares "World"; A shares X and
# Y with B and C (equally far before and after it), X with D.
CRAFTED = [
    {"date": "2020-01-10", "headline": "Event A", "topics": ["X", "Y", "World"]},
    {"date": "2020-01-01", "headline": "Event B", "topics": ["World", "Y", "X"]},
    {"date": "2020-01-19", "headline": "Event C", "topics": ["X", "Y", "World"]},
    {"date": "2020-01-11", "headline": "Event D", "topics": ["X", "World"]},
    {"date": "2020-03-01", "headline": "Event E", "topics": ["Z", "World"]},
    {"date": "2019-12-01", "headline": "Event G", "topics": ["World"]},
    {"date": "2020-01-10", "headline": "Event F without topics"},
    {"date": "2020-01-12", "headline": "Event H", "topics": ["Q"]},
]


@pytest.fixture(scope="module")
def crafted(make_server, stores, tmp_path_factory):
    src = tmp_path_factory.mktemp("crafted") / "crafted.jsonl"
    src.write_text("\n".join(json.dumps(e) for e in CRAFTED) + "\n")
    return make_server("crafted", extra="NewsEventRelated 10",
                       store=stores.make("crafted", files=[str(src)]))


def related(srv, date, headline, limit=None):
    slug = topic_slug(headline)
    doc = json.loads(srv.get("/news/%s/%s.json" % (date.replace("-", "/"), slug)).body)
    return [(r["slug"], r["context"]) for r in doc["related"]]


def test_related_ties_and_a_topic_shared_by_all(crafted):
    got = related(crafted, "2020-01-10", "Event A")
    assert got == [
        ("event-c", ["X", "Y", "World"]),     # 3 shared, 9 days after: newest wins the tie
        ("event-b", ["X", "Y", "World"]),     # 3 shared, 9 days before
        ("event-d", ["X", "World"]),          # 2 shared
        ("event-g", ["World"]),               # 1 shared, 40 days before
        ("event-e", ["World"]),               # 1 shared, 51 days after
    ]


def test_related_context_follows_this_events_topic_order(crafted):
    got = dict(related(crafted, "2020-01-01", "Event B"))
    assert got["event-a"] == ["World", "Y", "X"]


def test_an_event_without_topics_has_no_related_and_is_nobodys(crafted):
    assert related(crafted, "2020-01-10", "Event F without topics") == []
    assert related(crafted, "2020-01-12", "Event H") == []
    for date, headline in (("2020-01-10", "Event A"), ("2020-01-11", "Event D")):
        assert "event-f-without-topics" not in dict(related(crafted, date, headline))


def test_related_limit_directive(make_server, crafted):
    srv = make_server("related0", extra="NewsEventRelated 2", store=crafted.store)
    assert [s for s, _ in related(srv, "2020-01-10", "Event A")] == ["event-c", "event-b"]
