# SPDX-License-Identifier: Apache-2.0
"""Shared hosting: several virtual hosts on one Apache, each with its own
store, base path and settings; sites sharing one database through table
prefixes; settings merging from server to virtual host to <Location>; the
same bytes from SQLite and from PostgreSQL."""

import json
import random
import threading

import pytest

from conftest import Store, newsevent_httpd
from fixtures_data import SEED_URL

CRAFTED = [
    {"date": "2020-01-10", "headline": "Only on site B", "topics": ["Bee"]},
    {"date": "2020-01-11", "headline": "Second on site B", "topics": ["Bee"]},
]
OTHER = [{"date": "2021-02-03", "headline": "Only on site E", "topics": ["Eee"]}]


def jsonl(tmp_path, name, records):
    f = tmp_path / name
    f.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return str(f)


def vhost(name, store, body):
    return f"""
<VirtualHost *>
    ServerName {name}
    DBDriver {store.driver}
    DBDParams "{store.params}"
{body}
</VirtualHost>
"""


@pytest.fixture(scope="module")
def hosting(make_server, stores, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hosting")
    a = stores.make("site_a")
    b = stores.make("site_b", files=[jsonl(tmp, "b.jsonl", CRAFTED)])
    d = stores.make("site_d", prefix="d_")                 # fixtures, tables d_*
    e = Store(d.driver, d.params, "e_")                       # the same database
    newsevent_httpd.load(e, [jsonl(tmp, "e.jsonl", OTHER)])   # tables e_*
    extra = "NewsEventSiteTitle \"Main title\"\n" + "".join([
        vhost("a.example", a, "    NewsEvent On\n    NewsEventSiteTitle \"Site A\""),
        vhost("b.example", b, "    NewsEvent On\n    NewsEventBase /archive\n"
                              "    NewsEventFormats json xml"),
        vhost("c.example", a, "    # a site without the archive"),
        vhost("d.example", d, "    NewsEvent On\n    NewsEventTablePrefix d_"),
        vhost("e.example", e, "    NewsEvent On\n    NewsEventTablePrefix e_"),
        vhost("f.example", a, "    NewsEvent On\n    NewsEventRelated 2\n"
                              "    <Location /news/topics>\n        NewsEventPageSize 1\n"
                              "    </Location>"),
    ])
    return make_server("hosting", extra=extra, newsevent="", store=a)


def get(srv, host, path, **kw):
    headers = dict(kw.pop("headers", {}), Host=host)
    return srv.get(path, headers=headers, **kw)


def test_each_site_sees_its_own_store(hosting):
    a = get(hosting, "a.example", SEED_URL + ".json")
    assert a.status == 200
    assert "<title>Sudanese" in get(hosting, "a.example", SEED_URL).text
    assert "Site A" in get(hosting, "a.example", SEED_URL).text
    assert get(hosting, "b.example", SEED_URL + ".json").status == 404      # not B's base
    b = get(hosting, "b.example", "/archive/2020/01/10/only-on-site-b")
    assert b.status == 200 and b.header("Content-Type") == "application/json"
    assert json.loads(b.body)["formats"] == {"json": "/archive/2020/01/10/only-on-site-b.json",
                                             "xml": "/archive/2020/01/10/only-on-site-b.xml"}
    assert get(hosting, "a.example", "/news/2020/01/10/only-on-site-b").status == 404
    assert get(hosting, "b.example", "/archive/2020/01/10/only-on-site-b.html").status == 404


def test_a_site_without_the_archive_is_left_alone(hosting):
    r = get(hosting, "c.example", SEED_URL + ".json")
    assert r.status == 404
    assert r.header("Content-Type") != "application/problem+json"   # Apache's own 404
    assert "An existing site" in get(hosting, "c.example", "/").text


def test_sites_sharing_one_database_through_prefixes(hosting):
    assert get(hosting, "d.example", SEED_URL + ".json").status == 200
    assert get(hosting, "e.example", SEED_URL + ".json").status == 404
    e = get(hosting, "e.example", "/news/2021/02/03/only-on-site-e.json")
    assert e.status == 200
    assert get(hosting, "d.example", "/news/2021/02/03/only-on-site-e.json").status == 404
    assert json.loads(get(hosting, "e.example", "/news/index.json").body)["total"] == 1


def test_settings_merge_from_server_to_vhost_to_location(hosting):
    doc = json.loads(get(hosting, "f.example", SEED_URL + ".json").body)
    assert len(doc["related"]) == 2                                   # the vhost's
    assert "<title>News" not in get(hosting, "f.example", "/news/").text
    assert "Main title" in get(hosting, "f.example", "/news/").text   # the main server's
    topic = json.loads(get(hosting, "f.example", "/news/topics/russia.json").body)
    assert topic["pages"] == topic["total"] and len(topic["events"]) == 1   # the Location's
    month = json.loads(get(hosting, "f.example", "/news/2017/11/index.json").body)
    assert month["pages"] == 1                                        # not in the Location
    assert len(json.loads(get(hosting, "a.example", SEED_URL + ".json").body)["related"]) == 5


def test_no_leaks_whatever_the_order_of_requests(hosting):
    cases = [
        ("a.example", SEED_URL + ".json", 200, "application/json"),
        ("b.example", "/archive/2020/01/11/second-on-site-b", 200, "application/json"),
        ("b.example", SEED_URL, 404, None),
        ("d.example", "/news/2017/11/23/index.md", 200, "text/markdown; charset=utf-8"),
        ("e.example", "/news/2021/02/03/only-on-site-e.xml", 200, "application/xml; charset=utf-8"),
        ("e.example", SEED_URL + ".json", 404, None),
        ("f.example", "/news/topics/russia.json", 200, "application/json"),
    ]
    expected = {(h, p): get(hosting, h, p).body for h, p, s, _ in cases if s == 200}
    rnd = random.Random(3)
    order = [rnd.choice(cases) for _ in range(400)]
    errors = []

    def worker(chunk):
        for host, path, status, ctype in chunk:
            r = get(hosting, host, path)
            if r.status != status or (ctype and r.header("Content-Type") != ctype) \
                    or (status == 200 and r.body != expected[(host, path)]):
                errors.append((host, path, r.status))

    threads = [threading.Thread(target=worker, args=(order[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors[:5]


def test_the_same_bytes_from_sqlite_and_postgresql(make_server, postgres, workdir, tmp_path):
    """One export (so `updated` is the same) in both stores, both served."""
    import os
    src = newsevent_httpd.sqlite_store(os.path.join(workdir, "stores", "bytes-src", "news.db"))
    export = tmp_path / "all.jsonl"
    export.write_text(src.tool("export").stdout)
    lite = newsevent_httpd.sqlite_store(os.path.join(workdir, "stores", "bytes-lite", "news.db"),
                                        [str(export)])
    pg = postgres.store("bytes_pg", [str(export)])
    one = make_server("bytes-lite", store=lite)
    two = make_server("bytes-pg", store=pg)
    paths = [SEED_URL + ".json", SEED_URL + ".xml", SEED_URL + ".md", SEED_URL,
             "/news/", "/news/index.json", "/news/2017/index.xml", "/news/2017/11/index.md",
             "/news/2017/11/23/index.json", "/news/topics/international-criminal-court.json",
             "/news/topics/russia", "/news/2016/11/16/"]
    for p in paths:
        x, y = one.get(p), two.get(p)
        assert x.status == y.status == 200, p
        assert x.body == y.body, p
        assert x.header("ETag") == y.header("ETag"), p
    feed_x = one.get("/news/feed.atom").text.replace(str(one.port), "PORT")
    feed_y = two.get("/news/feed.atom").text.replace(str(two.port), "PORT")
    assert feed_x == feed_y
