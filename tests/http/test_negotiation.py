# SPDX-License-Identifier: Apache-2.0
"""Content negotiation and HTTP semantics against the real Apache."""

import email.utils
import gzip
import json
import time
import xml.etree.ElementTree as ET

import pytest

from fixtures_data import SEED_URL, TYPES

DAY_URL = "/news/2017/11/23/"
CHROME = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
          "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def variant(path, ext):
    return path + ("index." + ext if path.endswith("/") else "." + ext)


@pytest.mark.parametrize("path", [SEED_URL, DAY_URL])
@pytest.mark.parametrize("accept,ext", [
    (CHROME, "html"), (FIREFOX, "html"), ("*/*", "html"), (None, "html"), ("", "html"),
    ("application/json", "json"), ("application/xml", "xml"), ("text/xml", "xml"),
    ("text/markdown", "md"), ("text/*;q=0.5, application/xml", "xml"),
    ("application/json, text/plain, */*", "json"),
])
def test_accept_picks_the_representation(server, path, accept, ext):
    headers = {} if accept is None else {"Accept": accept}
    r = server.get(path, headers=headers)
    assert r.status == 200
    assert r.header("Content-Type") == TYPES[ext]
    assert "Accept" in r.header("Vary")
    assert r.header("Content-Location") == variant(path, ext)
    assert r.body == server.get(variant(path, ext)).body


@pytest.mark.parametrize("ext", list(TYPES))
def test_extension_urls_are_not_negotiated(server, ext):
    r = server.get(variant(SEED_URL, ext), headers={"Accept": "image/png"})
    assert r.status == 200
    assert r.header("Content-Type") == TYPES[ext]
    assert r.header("Vary") is None
    assert r.header("Content-Location") is None


@pytest.mark.parametrize("path", [SEED_URL, DAY_URL])
def test_nothing_acceptable_is_406_listing_the_variants(server, path):
    r = server.get(path, headers={"Accept": "image/png"})
    assert r.status == 406
    assert r.header("Content-Type") == TYPES["html"]
    assert "Accept" in r.header("Vary")
    for ext in TYPES:
        assert 'href="%s"' % variant(path, ext) in r.text


def test_406_as_problem_json_when_json_is_excluded_but_preferred_default(make_server):
    api = make_server("api406", extra="NewsEventFormats json xml")
    r = api.get(SEED_URL, headers={"Accept": "text/html"})
    assert r.status == 406
    assert r.header("Content-Type") == "application/problem+json"
    doc = json.loads(r.body)
    assert doc["status"] == 406
    assert [a["href"] for a in doc["alternates"]] == [SEED_URL + ".json", SEED_URL + ".xml"]


@pytest.mark.parametrize("path", [SEED_URL, DAY_URL])
@pytest.mark.parametrize("ext", [None] + list(TYPES))
def test_304_by_etag_and_by_date(server, path, ext):
    url = path if ext is None else variant(path, ext)
    first = server.get(url)
    etag, modified = first.header("ETag"), first.header("Last-Modified")
    assert etag.startswith('"') and not etag.startswith('W/')
    assert modified
    r = server.get(url, headers={"If-None-Match": etag})
    assert r.status == 304 and r.body == b""
    assert r.header("ETag") == etag
    r = server.get(url, headers={"If-Modified-Since": modified})
    assert r.status == 304 and r.body == b""
    # If-None-Match takes precedence over If-Modified-Since.
    r = server.get(url, headers={"If-None-Match": '"other"', "If-Modified-Since": modified})
    assert r.status == 200 and r.body == first.body
    past = email.utils.formatdate(
        email.utils.parsedate_to_datetime(modified).timestamp() - 3600, usegmt=True)
    assert server.get(url, headers={"If-Modified-Since": past}).status == 200


def test_etags_differ_per_representation(server):
    tags = {server.get(variant(SEED_URL, ext)).header("ETag") for ext in TYPES}
    assert len(tags) == 4
    assert server.get(SEED_URL, headers={"Accept": "application/json"}).header("ETag") \
        == server.get(SEED_URL + ".json").header("ETag")


def test_etag_changes_when_a_related_headline_changes(make_server, tmp_path):
    srv = make_server("etag")
    before = srv.get(SEED_URL + ".json")
    related = json.loads(before.body)["related"][0]
    rec = json.loads(srv.get(related["url"] + ".json").body)
    f = tmp_path / "change.jsonl"
    f.write_text(json.dumps({
        "date": rec["date"], "slug": rec["slug"], "category": rec["category"],
        "headline": rec["headline"] + " (updated)",
        "sources": rec["sources"], "topics": [t["name"] for t in rec["topics"]]}) + "\n")
    srv.store.tool("import", str(f))
    after = srv.get(SEED_URL + ".json")
    assert after.header("ETag") != before.header("ETag")
    assert srv.get(SEED_URL + ".json", headers={"If-None-Match": before.header("ETag")}).status \
        == 200
    assert email.utils.parsedate_to_datetime(after.header("Last-Modified")) >= \
        email.utils.parsedate_to_datetime(before.header("Last-Modified"))


@pytest.mark.parametrize("path", [SEED_URL, SEED_URL + ".json", DAY_URL])
def test_head_matches_get(server, path):
    get = server.get(path)
    head = server.request(path, method="HEAD")
    assert head.status == 200 and head.body == b""
    for h in ("Content-Type", "Content-Length", "ETag", "Last-Modified", "Vary",
              "Content-Location"):
        assert head.header(h) == get.header(h), h


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"])
def test_other_methods_get_405(server, method):
    r = server.request(SEED_URL, method=method, body=b"" if method != "GET" else None)
    assert r.status == 405
    assert r.header("Allow") == "GET, HEAD"


@pytest.mark.parametrize("accept,ctype", [
    ("text/html", "text/html; charset=utf-8"),
    ("application/json", "application/problem+json"),
    ("application/xml", "application/problem+xml; charset=utf-8"),
    ("text/markdown", "text/markdown; charset=utf-8"),
])
def test_errors_follow_the_negotiation(server, accept, ctype):
    r = server.get("/news/2017/11/23/no-such-event", headers={"Accept": accept})
    assert r.status == 404
    assert r.header("Content-Type") == ctype
    assert "Accept" in r.header("Vary")
    check_problem(r, 404)
    r = server.request(SEED_URL, method="POST", headers={"Accept": accept}, body=b"")
    assert r.status == 405 and r.header("Content-Type") == ctype
    check_problem(r, 405)


@pytest.mark.parametrize("ext,ctype", [
    ("json", "application/problem+json"),
    ("xml", "application/problem+xml; charset=utf-8"),
    ("md", "text/markdown; charset=utf-8"),
    ("html", "text/html; charset=utf-8"),
])
def test_errors_of_extension_urls_take_its_format(server, ext, ctype):
    r = server.get("/news/2017/11/23/no-such-event." + ext, headers={"Accept": "text/html"})
    assert r.status == 404
    assert r.header("Content-Type") == ctype
    check_problem(r, 404)


def check_problem(r, status):
    ctype = r.header("Content-Type")
    if ctype.startswith("application/problem+json"):
        doc = json.loads(r.body)
        assert doc["status"] == status and doc["title"] and doc["type"] == "about:blank"
        assert doc["instance"].startswith("/news/")
    elif ctype.startswith("application/problem+xml"):
        root = ET.fromstring(r.body)
        assert root.tag == "{urn:ietf:rfc:7807}problem"
        assert root.findtext("{urn:ietf:rfc:7807}status") == str(status)
    elif ctype.startswith("text/markdown"):
        assert r.text.startswith("# %d " % status)
    else:
        assert "<h1>%d " % status in r.text and r.text.startswith("<!DOCTYPE html>")


def test_503_when_the_store_is_unreachable(make_server, stores):
    from conftest import Store, free_port
    down = (Store("sqlite3", "/nonexistent-dir/news.db") if stores.kind == "sqlite3" else
            Store("pgsql", "host=127.0.0.1 port=%d user=postgres dbname=x connect_timeout=2"
                  % free_port()))
    srv = make_server("down", store=down)
    for accept, ctype in (("application/json", "application/problem+json"),
                          ("text/html", "text/html; charset=utf-8")):
        r = srv.get(SEED_URL, headers={"Accept": accept})
        assert r.status == 503
        assert r.header("Retry-After") == "30"
        assert r.header("Content-Type") == ctype
        check_problem(r, 503)
    log = "\n".join(srv.new_log_lines())
    assert "store unavailable for" in log


def test_api_location_serves_only_json_and_xml(make_server):
    api = make_server("api", extra="NewsEventBase /api/news\nNewsEventFormats json xml")
    path = SEED_URL.replace("/news/", "/api/news/")
    r = api.get(path)
    assert r.status == 200 and r.header("Content-Type") == "application/json"
    doc = json.loads(r.body)
    assert doc["formats"] == {"json": path + ".json", "xml": path + ".xml"}
    assert doc["url"] == path
    assert api.get(path, headers={"Accept": FIREFOX}).header("Content-Type") == TYPES["xml"]
    assert api.get(path + ".html").status == 404
    assert api.get(path + ".md").status == 404
    assert api.get(SEED_URL + ".json").status == 404   # /news is not this site's base
    r = api.get(path, headers={"Accept": "text/html"})
    assert r.status == 406


def test_default_format_and_cache_control(make_server):
    srv = make_server("prefs", extra="NewsEventDefaultFormat md\n"
                                     "NewsEventCacheControl \"public, max-age=300\"")
    r = srv.get(SEED_URL)
    assert r.header("Content-Type") == TYPES["md"]
    assert r.header("Cache-Control") == "public, max-age=300"
    assert srv.get(SEED_URL, headers={"Accept": "text/html"}).header("Content-Type") \
        == TYPES["html"]
    assert srv.get("/news/2017/11/23/nothing").header("Cache-Control") == "no-store"


@pytest.mark.parametrize("directive,words", [
    ("NewsEventFormats html pdf", ["NewsEventFormats", "pdf"]),
    ("NewsEventFormats json json", ["NewsEventFormats", "json"]),
    ("NewsEventFormats json\nNewsEventDefaultFormat html", ["NewsEventDefaultFormat", "html"]),
    ("NewsEventDefaultFormat rtf", ["NewsEventDefaultFormat", "rtf"]),
    ("NewsEventRelated 99", ["NewsEventRelated", "99"]),
    ("NewsEventRelated -1", ["NewsEventRelated", "-1"]),
    ("NewsEventBase news/", ["NewsEventBase", "news/"]),
    ("NewsEventBase /news/", ["NewsEventBase", "/news/"]),
    ("NewsEventStylesheet javascript:x", ["NewsEventStylesheet", "javascript:x"]),
    ("NewsEventLang \"en us\"", ["NewsEventLang", "en us"]),
])
def test_bad_directives_fail_the_config_test(make_server, directive, words):
    srv = make_server("badconf", extra=directive, start=False)
    r = srv.check_config()
    assert r.returncode != 0
    for w in words:
        assert w in r.stderr


def test_mod_cache_serves_repeats_from_its_cache(make_server, workdir):
    import os
    import shutil
    cache_root = os.path.join(workdir, "cache")
    os.makedirs(cache_root, exist_ok=True)
    shutil.chown(cache_root, "www-data", "www-data")   # Apache's user writes it
    srv = make_server("cache", extra=f"""
LoadModule cache_module /usr/lib/apache2/modules/mod_cache.so
LoadModule cache_disk_module /usr/lib/apache2/modules/mod_cache_disk.so
CacheRoot "{cache_root}"
CacheEnable disk /news
CacheHeader on
NewsEventCacheControl "public, max-age=600"
""")
    for url, accept in ((SEED_URL + ".json", None), (SEED_URL, "application/json"),
                        (SEED_URL, "text/markdown")):
        h = {"Accept": accept} if accept else {}
        first = srv.get(url, headers=h)
        assert first.status == 200 and first.header("X-Cache").startswith("MISS")
        # mod_cache commits the entry just after the response has left.
        for _ in range(40):
            again = srv.get(url, headers=h)
            if again.header("X-Cache").startswith("HIT"):
                break
            time.sleep(0.05)
        assert again.header("X-Cache").startswith("HIT"), again.headers
        assert again.body == first.body
        assert again.header("Content-Type") == first.header("Content-Type")


def test_mod_deflate_compresses_the_output(make_server):
    srv = make_server("deflate", extra="""
LoadModule filter_module /usr/lib/apache2/modules/mod_filter.so
LoadModule deflate_module /usr/lib/apache2/modules/mod_deflate.so
AddOutputFilterByType DEFLATE text/html application/json application/xml text/markdown
""")
    for url in (SEED_URL + ".json", SEED_URL, DAY_URL + "index.md"):
        plain = srv.get(url)
        r = srv.get(url, headers={"Accept-Encoding": "gzip"})
        assert r.status == 200
        assert r.header("Content-Encoding") == "gzip"
        assert "Accept-Encoding" in r.header("Vary")
        assert gzip.decompress(r.body) == plain.body
        assert len(r.body) < len(plain.body)


def test_feeds_are_atom_whatever_accept_says_and_their_errors_vary(server):
    for accept in ("application/json", "text/html", None):
        r = server.get("/news/feed.atom", headers={"Accept": accept} if accept else {})
        assert r.status == 200 and r.header("content-type").startswith("application/atom+xml")
        assert r.header("vary") is None
    r = server.get("/news/topics/no-such-topic.atom", headers={"Accept": "application/json"})
    assert r.status == 404 and r.header("content-type") == "application/problem+json"
    assert "Accept" in (r.header("vary") or "")
