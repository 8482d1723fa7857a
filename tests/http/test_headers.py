# SPDX-License-Identifier: Apache-2.0
"""Preconditions in RFC 9110 section 13.2.2's order, and the headers every
answer carries: X-Content-Type-Options, the Content-Security-Policy of HTML
pages, and CORS for the read API."""

import base64
import hashlib
import re

import pytest

from conftest import newsevent_httpd
from fixtures_data import SEED, SEED_URL

PAST = "Thu, 01 Jan 2004 00:00:00 GMT"
PAGES = [SEED_URL + ".html", SEED_URL + ".json", "/news/2017/11/23/", "/news/2017/",
         "/news/topics/vladimir-putin.md", "/news/feed.atom"]


@pytest.mark.parametrize("path", PAGES)
def test_a_matching_if_none_match_wins_over_an_old_if_modified_since(server, path):
    first = server.get(path)
    assert first.status == 200
    r = server.get(path, headers={"If-None-Match": first.header("ETag"),
                                  "If-Modified-Since": PAST})
    assert r.status == 304 and r.body == b""
    assert r.header("ETag") == first.header("ETag")


@pytest.mark.parametrize("path", PAGES)
def test_if_match_is_evaluated_first(server, path):
    first = server.get(path)
    etag = first.header("ETag")
    # A stale If-Match fails, whatever If-None-Match says.
    r = server.get(path, headers={"If-Match": '"stale"', "If-None-Match": '"other"'})
    assert r.status == 412
    assert r.header("Cache-Control") == "no-store"
    # The current one passes, and If-None-Match then decides.
    assert server.get(path, headers={"If-Match": etag}).status == 200
    assert server.get(path, headers={"If-Match": etag, "If-None-Match": etag}).status == 304
    assert server.get(path, headers={"If-Match": "*"}).status == 200


def test_a_412_answers_in_the_clients_format(server):
    r = server.get(SEED_URL + ".json", headers={"If-Match": '"stale"'})
    assert r.status == 412
    assert r.header("Content-Type") == "application/problem+json"
    assert '"status": 412' in r.text or '"status":412' in r.text


def test_if_unmodified_since_only_without_if_match(server):
    path = SEED_URL + ".md"
    etag = server.get(path).header("ETag")
    assert server.get(path, headers={"If-Unmodified-Since": PAST}).status == 412
    # Beside a matching If-Match it is not evaluated.
    assert server.get(path, headers={"If-Match": etag,
                                     "If-Unmodified-Since": PAST}).status == 200


def test_if_modified_since_alone_still_answers_304(server):
    path = SEED_URL + ".xml"
    modified = server.get(path).header("Last-Modified")
    assert server.get(path, headers={"If-Modified-Since": modified}).status == 304
    assert server.get(path, headers={"If-Modified-Since": PAST}).status == 200
    # A date after the request's own time is ignored, as Apache does.
    assert server.get(path, headers={"If-Modified-Since":
                                     "Fri, 31 Dec 9999 23:59:59 GMT"}).status == 200


@pytest.mark.parametrize("path,status", [
    (SEED_URL + ".html", 200), (SEED_URL, 200), ("/news/2017/11/23", 301),
    ("/news/2017/02/30/", 404), (SEED_URL + ".txt", 404), ("/news/feed.atom", 200),
])
def test_nosniff_on_every_answer(server, path, status):
    r = server.get(path)
    assert r.status == status
    assert r.header("X-Content-Type-Options") == "nosniff"


def test_nosniff_on_304_405_and_406(server):
    etag = server.get(SEED_URL + ".json").header("ETag")
    for r in (server.get(SEED_URL + ".json", headers={"If-None-Match": etag}),
              server.request(SEED_URL, method="DELETE"),
              server.get(SEED_URL, headers={"Accept": "image/png"})):
        assert r.header("X-Content-Type-Options") == "nosniff", r.status


def style_hash(html):
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    return "'sha256-%s'" % base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()


@pytest.mark.parametrize("path", [SEED_URL + ".html", "/news/2017/11/23/", "/news/nothing/"])
def test_html_pages_carry_a_policy_allowing_exactly_their_style(server, path):
    r = server.get(path)
    assert r.header("Content-Type").startswith("text/html")
    csp = r.header("Content-Security-Policy")
    assert csp is not None
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["style-src"] == style_hash(r.text)
    assert directives["img-src"] == "http: https:"
    assert directives["form-action"] == "'self'"        # the search form
    assert "script-src" not in directives


@pytest.mark.parametrize("path", [SEED_URL + ".json", SEED_URL + ".xml", SEED_URL + ".md",
                                  "/news/feed.atom", "/news/2017/11/23/no-such-event.json"])
def test_other_formats_carry_no_policy(server, path):
    assert server.get(path).header("Content-Security-Policy") is None


def test_the_policy_follows_the_sites_stylesheet_and_directive(make_server):
    srv = make_server("csp", extra="""
<Location /news/2017>
    NewsEventStylesheet https://cdn.example.org/css/site.css
</Location>
<Location /news/2016>
    NewsEventStylesheet /static/site.css
</Location>
<Location /news/topics>
    NewsEventContentSecurityPolicy "default-src 'self'"
</Location>
<Location /news/feed>
    NewsEventContentSecurityPolicy none
</Location>
""")
    csp = srv.get(SEED_URL + ".html").header("Content-Security-Policy")
    assert "style-src https://cdn.example.org;" in csp
    csp = srv.get("/news/2016/").header("Content-Security-Policy")
    assert "style-src 'self';" in csp
    assert srv.get("/news/topics/vladimir-putin.html").header(
        "Content-Security-Policy") == "default-src 'self'"
    assert srv.get("/news/feed.atom").header("Content-Security-Policy") is None


def test_cors_is_off_by_default(server):
    r = server.get(SEED_URL + ".json", headers={"Origin": "https://app.example"})
    assert r.header("Access-Control-Allow-Origin") is None
    r = server.request(SEED_URL + ".json", method="OPTIONS",
                       headers={"Origin": "https://app.example",
                                "Access-Control-Request-Method": "GET"})
    assert r.status == 405


def test_cors_for_any_origin(make_server):
    srv = make_server("cors-any", extra="<Location /news>\n    NewsEventCORS *\n</Location>\n")
    r = srv.get(SEED_URL + ".json", headers={"Origin": "https://app.example"})
    assert r.status == 200
    assert r.header("Access-Control-Allow-Origin") == "*"
    exposed = [h.strip() for h in r.header("Access-Control-Expose-Headers").split(",")]
    for name in ("ETag", "Link", "Location"):
        assert name in exposed
    assert "Origin" not in (r.header("Vary") or "")
    # Errors and redirects too: a script must be able to read them.
    r = srv.get("/news/2017/11/23", headers={"Origin": "https://app.example"})
    assert r.status == 301 and r.header("Access-Control-Allow-Origin") == "*"
    r = srv.get("/news/2017/02/30/", headers={"Origin": "https://app.example"})
    assert r.status == 404 and r.header("Access-Control-Allow-Origin") == "*"


def test_cors_for_a_list_of_origins(make_server):
    srv = make_server("cors-list", extra="<Location /news>\n    NewsEventCORS "
                      "https://app.example http://localhost:3000\n</Location>\n")
    r = srv.get(SEED_URL + ".json", headers={"Origin": "https://app.example"})
    assert r.header("Access-Control-Allow-Origin") == "https://app.example"
    assert "Origin" in r.header("Vary")
    r = srv.get(SEED_URL + ".json", headers={"Origin": "http://localhost:3000"})
    assert r.header("Access-Control-Allow-Origin") == "http://localhost:3000"
    r = srv.get(SEED_URL + ".json", headers={"Origin": "https://evil.example"})
    assert r.header("Access-Control-Allow-Origin") is None
    assert "Origin" in r.header("Vary")


def test_cors_preflight_for_reads_only(make_server):
    srv = make_server("cors-preflight", extra="<Location /news>\n    NewsEventCORS "
                      "https://app.example\n</Location>\n")
    r = srv.request(SEED_URL, method="OPTIONS", headers={
        "Origin": "https://app.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "accept, if-none-match"})
    assert r.status == 204
    assert r.header("Access-Control-Allow-Origin") == "https://app.example"
    assert r.header("Access-Control-Allow-Methods") == "GET, HEAD"
    assert r.header("Access-Control-Allow-Headers") == "accept, if-none-match"
    # No write is ever allowed across origins; nor an origin not listed.
    for headers in ({"Origin": "https://app.example", "Access-Control-Request-Method": "PUT"},
                    {"Origin": "https://evil.example",
                     "Access-Control-Request-Method": "GET"},
                    {"Origin": "https://app.example", "Access-Control-Request-Method": "GET",
                     "Access-Control-Request-Headers": "x-custom"}):
        r = srv.request(SEED_URL, method="OPTIONS", headers=headers)
        assert r.status == 405, headers
        assert r.header("Access-Control-Allow-Methods") is None


@pytest.mark.parametrize("directive,words", [
    ("NewsEventCORS https://app.example/path", ["NewsEventCORS", "https://app.example/path"]),
    ("NewsEventCORS * https://app.example", ["NewsEventCORS", "*"]),
    ("NewsEventCORS ftp://app.example", ["NewsEventCORS", "ftp://app.example"]),
    ("NewsEventContentSecurityPolicy \"\"", ["NewsEventContentSecurityPolicy"]),
])
def test_bad_header_directives_name_themselves(make_server, directive, words):
    srv = make_server("badheaders", extra="<Location /news>\n    %s\n</Location>\n" % directive,
                      start=False)
    r = srv.check_config()
    assert r.returncode != 0
    for w in words:
        assert w in r.stderr, r.stderr
