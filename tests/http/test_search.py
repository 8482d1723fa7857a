# SPDX-License-Identifier: Apache-2.0
"""Full-text search in every format, OpenSearch and sitemaps, on both
stores: words, phrases, exclusion, OR, sorting, filters, paging, snippets
with their marks escaped, the 400s, hostile queries (never a 5xx), and a
store older than search."""

import json
import os
import urllib.parse
import xml.etree.ElementTree as ET

import feedparser
import pytest

from conftest import Store, newsevent_httpd
from fixtures_data import HOSTILE, SEED, SEED_URL, events, url

NS = {"n": "https://mod-newsevent.org/ns/archive/1"}
OS = {"o": "http://a9.com/-/spec/opensearch/1.1/"}
SM = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def search(server, q, ext=None, **params):
    params["q"] = q
    path = "/news/search" + ("." + ext if ext else "") + "?" + urllib.parse.urlencode(params)
    return server.get(path)


def found(server, q, **params):
    r = search(server, q, "json", **params)
    assert r.status == 200, (r.status, r.text)
    return json.loads(r.body)


def urls(doc):
    return [e["url"] for e in doc["events"]]


def test_a_word_of_a_headline_finds_its_event_in_every_format(server):
    doc = found(server, "Bashir")
    assert SEED_URL in urls(doc)
    assert doc["kind"] == "search" and doc["query"] == "bashir"
    hit = next(e for e in doc["events"] if e["url"] == SEED_URL)
    assert any(p["match"] for p in hit["snippet"])
    assert all(set(p) == {"text", "match"} for p in hit["snippet"])
    html = search(server, "Bashir", "html")
    assert html.status == 200 and html.header("Content-Type").startswith("text/html")
    assert "<mark>" in html.text and 'href="%s"' % SEED_URL in html.text
    xml = search(server, "Bashir", "xml")
    root = ET.fromstring(xml.body)
    assert root.tag == "{%s}search" % NS["n"]
    assert root.find("n:events/n:event/n:snippet/n:mark", NS) is not None
    md = search(server, "Bashir", "md")
    assert "**" in md.text and SEED_URL + ".md" in md.text
    neg = server.get("/news/search?q=Bashir", headers={"Accept": "application/json"})
    assert neg.status == 200 and "Accept" in neg.header("Vary")
    assert neg.header("Content-Location").startswith("/news/search.json?q=bashir")


def test_phrases_exclusion_and_or(server):
    assert SEED_URL in urls(found(server, '"Omar al-Bashir"'))
    assert SEED_URL not in urls(found(server, '"Bashir Omar al"'))
    with_putin = urls(found(server, "Putin"))
    without = urls(found(server, "Putin -Sudan"))
    assert SEED_URL in with_putin and SEED_URL not in without and without
    either = urls(found(server, "Mugabe OR Puigdemont"))
    assert set(urls(found(server, "Mugabe"))) | set(urls(found(server, "Puigdemont"))) \
        == set(either)
    # words all must match
    both = urls(found(server, "Zimbabwe Mnangagwa"))
    assert both and set(both) <= set(urls(found(server, "Zimbabwe")))
    # stemming: the singular finds the plural
    assert urls(found(server, "protest")) == urls(found(server, "protests"))


def test_topic_names_are_searched_too(server):
    ev = next(e for e in events() if "Hassan Rouhani" in e.get("topics", [])
              and "Rouhani" not in e["headline"] + e.get("body", ""))
    assert url(ev) in urls(found(server, "Rouhani"))


def test_sort_by_date_and_relevance(server):
    by_date = found(server, "Zimbabwe", sort="date")["events"]
    dates = [e["date"] for e in by_date]
    assert dates == sorted(dates, reverse=True) and len(dates) >= 3
    best = found(server, "Zimbabwe")["events"]
    assert {e["url"] for e in best} == {e["url"] for e in by_date}
    # The headline weighs above the body and topics.
    assert "Zimbabwe" in best[0]["headline"]


def test_date_and_topic_filters(server):
    doc = found(server, "Russia", **{"from": "2017-11-20", "to": "2017-11-23"})
    assert doc["events"] and all("2017-11-20" <= e["date"] <= "2017-11-23"
                                 for e in doc["events"])
    assert "from=2017-11-20" in doc["url"] and "to=2017-11-23" in doc["url"]
    doc = found(server, "Russia", topic="turkey")
    tops = {url(e) for e in events() if "Turkey" in e.get("topics", [])}
    assert doc["events"] and set(urls(doc)) <= tops


def test_a_topic_filter_is_exact_whatever_its_name(make_server, stores, tmp_path):
    """The topic's name also narrows the index's search (SQLite): names
    that are words of other names, and a name with quotes, still give
    exactly the topic's events, and the total counts only those."""
    names = ["Ice Hockey", "Ice Hockey League", 'The "Quoted" Band', "Hockey Ice"]
    f = tmp_path / "topics.jsonl"
    with open(f, "w") as out:
        for i, name in enumerate(names):
            for k in range(3):
                out.write(json.dumps({"date": "2019-05-%02d" % (1 + i), "headline":
                                      "Storm %d hits %s" % (k, "arena" if k else "town"),
                                      "topics": [name]}) + "\n")
    srv = make_server("search-topics", store=stores.make("search-topics", files=[str(f)]))
    assert found(srv, "storm")["total"] == 12
    for i, slug in enumerate(["ice-hockey", "ice-hockey-league", "the-quoted-band",
                              "hockey-ice"]):
        doc = found(srv, "storm", topic=slug)
        assert doc["total"] == 3, (slug, doc["total"])
        assert {e["date"] for e in doc["events"]} == {"2019-05-%02d" % (1 + i)}
        doc = found(srv, "arena -town", topic=slug, sort="date")
        assert doc["total"] == 2 and len(doc["events"]) == 2
    assert found(srv, "storm", topic="no-such-topic")["total"] == 0


def test_a_date_range_is_exact_when_ids_do_not_follow_dates(make_server, stores, tmp_path):
    """A date range also bounds the ids searched (SQLite): events imported
    out of date order (a back-filled year) are still all found, and a
    range without events finds none."""
    first, later = tmp_path / "2019.jsonl", tmp_path / "2018.jsonl"
    for f, year in ((first, 2019), (later, 2018)):
        with open(f, "w") as out:
            for m in range(1, 13):
                out.write(json.dumps({"date": "%d-%02d-15" % (year, m),
                                      "headline": "Comet seen in month %d" % m}) + "\n")
    srv = make_server("search-range", store=stores.make("search-range",
                                                        files=[str(first), str(later)]))
    for frm, to, n in (("2018-03-01", "2018-05-31", 3), ("2018-12-01", "2019-01-31", 2),
                       ("2018-01-01", "2019-12-31", 24), ("2017-01-01", "2017-12-31", 0)):
        for sort in ("relevance", "date"):
            doc = found(srv, "comet", **{"from": frm, "to": to, "sort": sort})
            assert doc["total"] == n and len(doc["events"]) == min(n, 20), (frm, to, sort)
            assert all(frm <= e["date"] <= to for e in doc["events"])


def test_paging_links_and_total(make_server):
    srv = make_server("search-pages", extra="NewsEventSearchPageSize 2\n")
    r = search(srv, "Russia", "json")
    doc = json.loads(r.body)
    assert doc["total"] > 4 and doc["pages"] == (doc["total"] + 1) // 2
    assert len(doc["events"]) == 2 and doc["page"] == 1
    assert 'rel="next"' in r.header("Link") and "page=2" in r.header("Link")
    seen = []
    for page in range(1, doc["pages"] + 1):
        seen += urls(json.loads(search(srv, "Russia", "json", page=page).body))
    assert len(seen) == len(set(seen)) == doc["total"]
    assert search(srv, "Russia", "json", page=doc["pages"] + 1).status == 404
    empty = json.loads(search(srv, "zzyzzyx", "json").body)
    assert empty["total"] == 0 and empty["events"] == []


def test_snippets_and_the_query_are_escaped(server):
    html = search(server, "Lumière Gallery", "html")
    assert html.status == 200
    assert url(HOSTILE) in html.text
    assert "<script>" not in html.text and "&lt;script&gt;" in html.text
    q = '<b>"x" & y</b>'
    for ext in ("html", "json", "xml", "md"):
        r = search(server, q + " Putin", ext)
        assert r.status == 200, ext
        assert "<b>" not in r.text or ext in ("json",), ext


@pytest.mark.parametrize("params,words", [
    ({}, "needs a query"),
    ({"q": ""}, "needs a query"),
    ({"q": "   "}, "needs a query"),
    ({"q": "-only -exclusions"}, "no word to find"),
    ({"q": "+++ !!! ..."}, "no word to find"),
    ({"q": "x" * 2000}, "1000 bytes"),
    ({"q": " ".join("w%d" % i for i in range(1000))}, "1000 bytes"),
    ({"q": " ".join("w%d" % i for i in range(33))}, "32 terms"),
    ({"q": "putin", "sort": "newest"}, "sort"),
    ({"q": "putin", "from": "2017-02-30"}, "real dates"),
    ({"q": "putin", "to": "yesterday"}, "real dates"),
    ({"q": "putin", "topic": "Not A Slug"}, "topic"),
])
def test_bad_searches_are_400_saying_why(server, params, words):
    for ext in ("json", None):
        path = "/news/search" + ("." + ext if ext else "") + "?" + urllib.parse.urlencode(params)
        r = server.get(path)
        assert r.status == 400, (params, r.status)
    assert words in json.loads(server.get("/news/search.json?" + urllib.parse.urlencode(
        params)).body)["detail"]


@pytest.mark.parametrize("raw", ["q=%00abc", "q=caf%C3%28", "q=%", "q=ab%zz"])
def test_undecodable_queries_are_400(server, raw):
    assert server.get("/news/search.json?" + raw).status == 400


def test_a_query_of_ten_thousand_characters_is_refused_not_served(server):
    """Apache itself refuses a request line this long (414); a shorter long
    query reaches the module and is a 400 (above)."""
    assert search(server, "x" * 10000, "json").status in (400, 414)


HOSTILE_QUERIES = [
    'NEAR(putin russia, 2)', 'putin*', '^putin', 'headline:putin', 'putin AND', 'OR',
    'AND OR NOT', '"unbalanced', 'C++', 'a"b"c', "'single'", '(', ')', '{}', '[x]', '-',
    '--', '- -', '"-"', 'putin & !russia', 'a <-> b', 'x:*', '*', '\\', '%', '_', "' OR 1=1 --",
    '"; DROP TABLE events; --', '\u202eevil', 'caf\u00e9 \u2014 Z\u00fcrich', '\ufeff', '\U0001F600',
    'NOT putin', 'putin NOT', 'putin OR OR russia', '"" putin', 'a' * 999, '"a b" OR -c',
    'rank', 'bm25(', 'snippet', '\t\n\r putin', 'web:search', 'putin:*A', "!!putin",
]


@pytest.mark.parametrize("q", HOSTILE_QUERIES)
def test_hostile_queries_never_5xx(server, q):
    for ext in ("json", "html", "xml", "md", "atom"):
        r = search(server, q, ext)
        assert r.status in (200, 400), (q, ext, r.status, r.text[:300])


def test_the_search_feed_is_newest_first(server):
    r = search(server, "Zimbabwe", "atom")
    assert r.status == 200 and r.header("Content-Type") == "application/atom+xml"
    feed = feedparser.parse(r.body)
    assert not feed.bozo, feed.bozo_exception
    assert "Search: zimbabwe" in feed.feed.title
    assert len(feed.entries) >= 3
    dates = [e.link.split("/news/")[1][:10] for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    assert feed.feed.links[0].href.startswith("http")


def test_opensearch_is_discovered_from_every_page(server):
    for path in (SEED_URL + ".html", "/news/", "/news/2017/11/23/", "/news/topics/russia",
                 "/news/search?q=putin", "/news/2017/02/30/"):
        r = server.get(path, headers={"Accept": "text/html"})
        assert 'rel="search" type="application/opensearchdescription+xml"' in r.text, path
        assert '<form class="search" role="search" method="get" action="/news/search">' \
            in r.text, path
        assert '<label for="search-q">' in r.text
    r = server.get("/news/opensearch.xml")
    assert r.status == 200
    assert r.header("Content-Type") == "application/opensearchdescription+xml"
    root = ET.fromstring(r.body)
    assert root.find("o:ShortName", OS).text
    templates = {u.get("type"): u.get("template") for u in root.findall("o:Url", OS)}
    for t in ("text/html", "application/json", "application/atom+xml"):
        assert "{searchTerms}" in templates[t] and templates[t].startswith("http")
    html = templates["text/html"].replace("{searchTerms}", "Bashir").replace("{startPage?}", "1")
    path = "/" + html.split("/", 3)[3]
    assert server.get(path).status == 200


def test_search_can_be_turned_off(make_server):
    srv = make_server("search-off", extra="<Location /news>\n    NewsEventSearch Off\n"
                      "</Location>\n")
    assert search(srv, "putin", "json").status == 404
    assert srv.get("/news/opensearch.xml").status == 404
    page = srv.get(SEED_URL + ".html")
    assert "search" not in page.text.lower().replace("research", "")
    assert "form-action 'none'" in page.header("Content-Security-Policy")


def test_sitemaps_list_every_event(server):
    r = server.get("/news/sitemap.xml")
    assert r.status == 200 and r.header("Content-Type") == "application/xml; charset=utf-8"
    index = ET.fromstring(r.body)
    assert index.tag == "{%s}sitemapindex" % SM["s"]
    locs = [e.text for e in index.findall("s:sitemap/s:loc", SM)]
    months = sorted({e["date"][:7] for e in events()})
    assert len(locs) == len(months)
    listed = []
    for loc in locs:
        path = "/" + loc.split("/", 3)[3]
        m = ET.fromstring(server.get(path).body)
        assert m.tag == "{%s}urlset" % SM["s"]
        for u in m.findall("s:url", SM):
            listed.append("/" + u.find("s:loc", SM).text.split("/", 3)[3])
            assert u.find("s:lastmod", SM).text.endswith("Z")
    assert sorted(listed) == sorted(url(e) + ".html" for e in events())
    assert server.get("/news/1999/01/sitemap.xml").status == 404


def test_robots_line_in_the_readme():
    readme = open(os.path.join(os.path.dirname(__file__), "..", "..", "README.md")).read()
    assert "Sitemap: https://news.example.org/news/sitemap.xml" in readme


def make_version_1(stores, store):
    """A store as the release before search made it: no index, no version."""
    sql = ("DROP TABLE events_search; DROP VIEW events_text; DROP TABLE schema_version; "
           "DROP TABLE gone; DROP TABLE moved; DROP TABLE related_lists; "
           "DROP TABLE topic_companions")
    stores.sql(store, sql)


def test_an_older_store_serves_all_but_search_until_upgraded(make_server, stores):
    store = stores.make("older")
    make_version_1(stores, store)
    r = store.tool("import", newsevent_httpd.fixture_files()[0], check=False)
    assert r.returncode == 1 and "run 'newsevent upgrade' first" in r.stderr
    srv = make_server("older", store=store)
    old = srv.get(SEED_URL + ".json")
    assert old.status == 200 and json.loads(old.body)["related"]
    assert srv.get("/news/sitemap.xml").status == 200
    r = search(srv, "Bashir", "json")
    assert r.status == 503 and "upgrade" in json.loads(r.body)["detail"]
    log = "\n".join(srv.new_log_lines())
    assert "search is not available" in log and "run 'newsevent upgrade'" in log
    # Related events and companions computed as read, said once.
    assert "computed as they are read, not stored" in log
    r = store.tool("upgrade")
    assert "upgraded from schema version 1 to 4" in r.stderr
    assert SEED_URL in urls(found(srv, "Bashir"))
    new = srv.get(SEED_URL + ".json")
    assert new.status == 200
    assert json.loads(new.body)["related"] == json.loads(old.body)["related"]
    assert "is at schema version 4 already" in store.tool("upgrade").stderr
    assert "0 differ" in store.tool("verify").stderr
    # The import keeps the index from then on.
    f = os.path.join(srv.root, "new.jsonl")
    with open(f, "w") as out:
        out.write(json.dumps({"date": "2018-02-01", "headline": "Quokkas sighted"}) + "\n")
    store.tool("import", f)
    assert urls(found(srv, "quokka")) == ["/news/2018/02/01/quokkas-sighted"]
    with open(f, "w") as out:
        out.write(json.dumps({"date": "2018-02-01", "slug": "quokkas-sighted",
                              "headline": "Wombats sighted"}) + "\n")
    store.tool("import", f)
    assert urls(found(srv, "quokka")) == []
    assert urls(found(srv, "wombat")) == ["/news/2018/02/01/quokkas-sighted"]


def test_a_common_word_is_bounded_and_says_so(make_server, stores, tmp_path):
    """20,100 matches: the search reads the 2,000 newest, which its pages
    reach, ranked or dated, and says there are more (total_capped). The
    oldest ten hold a word of their own: PostgreSQL reads the newest 20,000
    events first, and must still find them (through the whole index); one
    in twenty another (through a second, wider window)."""
    f = tmp_path / "many.jsonl"
    with open(f, "w") as out:
        for i in range(20100):
            day = 1 + i % 28
            out.write(json.dumps({"date": "2019-%02d-%02d" % (1 + (i // 28) % 12, day),
                                  "headline": "%sQuokka sighting number %d%s"
                                              % ("Ancient " if i < 10 else "", i,
                                                 " spotted" if i % 20 == 19 else "")}) + "\n")
    store = stores.make("many-quokkas", files=[str(f)])
    srv = make_server("many-quokkas", store=store)
    doc = json.loads(search(srv, "quokka", "json").body)
    assert doc["total"] == 2000 and doc["total_capped"] is True
    assert doc["pages"] == 2000 // 20 and len(doc["events"]) == 20
    assert "2000+ results" in search(srv, "quokka", "html").text
    root = ET.fromstring(search(srv, "quokka", "xml").body)
    assert root.findtext("n:total_capped", namespaces=NS) == "true"
    last = json.loads(search(srv, "quokka", "json", page=100).body)
    assert len(last["events"]) == 20
    assert search(srv, "quokka", "json", page=101).status == 404
    by_date = json.loads(search(srv, "quokka", "json", sort="date").body)["events"]
    dates = [e["date"] for e in by_date]
    assert dates == sorted(dates, reverse=True)
    # A rare word among them is counted exactly, the newest or the oldest.
    doc = json.loads(search(srv, '"number 20099"', "json").body)
    assert doc["total"] == 1 and "total_capped" not in doc
    for params in ({}, {"sort": "date"}, {"from": "2019-01-01", "to": "2019-01-10"}):
        doc = json.loads(search(srv, "ancient", "json", **params).body)
        assert doc["total"] == 10 and "total_capped" not in doc, params
        assert sorted(e["headline"] for e in doc["events"]) == sorted(
            "Ancient Quokka sighting number %d" % i for i in range(10))
    assert search(srv, "ancient", "json", page=2).status == 404
    # One in twenty: 1,000 in PostgreSQL's first window, whose density then
    # sizes a second one reaching them all.
    doc = json.loads(search(srv, "spotted", "json", sort="date").body)
    assert doc["total"] == 1005 and "total_capped" not in doc
    newest = max(("2019-%02d-%02d" % (1 + (i // 28) % 12, 1 + i % 28), i)
                 for i in range(19, 20100, 20))
    assert doc["events"][0]["headline"] == "Quokka sighting number %d spotted" % newest[1]
