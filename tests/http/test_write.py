# SPDX-License-Identifier: Apache-2.0
"""Editors' writes over HTTP through Apache's own authentication
(mod_auth_basic, mod_authn_file, a password file made with htpasswd), on
both stores: PUT (201, 200, If-Match, If-None-Match), POST to a day (the
slug from the headline), DELETE (then 410 everywhere), and the refusals:
no user, not JSON, too large, malformed, breaking the import's rules."""

import base64
import json
import os

import pytest

from conftest import newsevent_editors
from fixtures_data import SEED, SEED_URL, events, url

AUTH = {"Authorization": "Basic " + base64.b64encode(b"editor:s3cret").decode()}
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def editor(make_server, workdir, stores):
    """make run's editor set-up (scripts/newsevent_editors.py), its own
    password, a 4 KiB limit, and one year open to anyone."""
    users = os.path.join(workdir, "editors-%s" % stores.kind)
    return make_server("writes", extra=newsevent_editors.editor_config(
        users, password="s3cret", settings="    NewsEventWriteLimit 4096\n") + """
<Location /news/2016>
    Require all granted
</Location>
""")


def put(srv, path, record, headers=None, auth=True):
    h = dict(JSON, **(AUTH if auth else {}))
    h.update(headers or {})
    return srv.request(path, method="PUT", body=json.dumps(record).encode(), headers=h)


def new_record(date="2018-03-01", headline="Editors can write now", **more):
    rec = {"date": date, "headline": headline, "category": "Technology",
           "sources": [{"name": "Example", "url": "https://example.org/a"}],
           "topics": ["Publishing", "Vladimir Putin"]}
    rec.update(more)
    return rec


def test_put_creates_then_replaces(editor):
    path = "/news/2018/03/01/editors-can-write-now"
    r = put(editor, path, new_record())
    assert r.status == 201, r.text
    assert r.header("Location").endswith(path)
    created = json.loads(r.body)
    assert created["headline"] == "Editors can write now" and r.header("ETag")
    got = editor.get(path + ".json")
    assert got.status == 200 and got.header("ETag") == r.header("ETag")
    # In every list at once: its day, its topic, the search.
    assert path in editor.get("/news/2018/03/01/index.json").text
    assert path in editor.get("/news/topics/publishing.json").text
    assert path in editor.get("/news/search.json?q=editors").text
    r = put(editor, path, new_record(headline="Editors can correct too"))
    assert r.status == 200 and json.loads(r.body)["headline"] == "Editors can correct too"
    assert "Editors can correct too" in editor.get(path + ".html").text
    assert path in editor.get("/news/search.json?q=correct").text
    assert path not in editor.get("/news/search.json?q=write").text


def test_if_match_keeps_two_editors_apart(editor):
    path = "/news/2018/03/02/a-contested-event"
    assert put(editor, path, new_record("2018-03-02", "A contested event"),
               headers={"If-None-Match": "*"}).status == 201
    assert put(editor, path, new_record("2018-03-02", "A contested event"),
               headers={"If-None-Match": "*"}).status == 412
    etag = editor.get(path + ".json").header("ETag")
    first = put(editor, path, new_record("2018-03-02", "First editor wins"),
                headers={"If-Match": etag})
    assert first.status == 200
    second = put(editor, path, new_record("2018-03-02", "Second editor loses"),
                 headers={"If-Match": etag})
    assert second.status == 412
    assert second.header("Content-Type") == "application/problem+json"
    assert "First editor wins" in editor.get(path + ".json").text
    assert put(editor, "/news/2018/03/02/not-there", new_record("2018-03-02", "Not there"),
               headers={"If-Match": etag}).status == 412


def test_post_to_a_day_makes_the_slug(editor):
    rec = new_record("2018-03-03", "Posted twice the same day")
    paths = []
    for _ in range(3):
        r = editor.request("/news/2018/03/03/", method="POST", body=json.dumps(rec).encode(),
                           headers=dict(JSON, **AUTH))
        assert r.status == 201, r.text
        paths.append(r.header("Location").split("/news/", 1)[1])
    assert paths == ["2018/03/03/posted-twice-the-same-day",
                     "2018/03/03/posted-twice-the-same-day-2",
                     "2018/03/03/posted-twice-the-same-day-3"]
    r = editor.request("/news/2018/03/03/", method="POST",
                       body=json.dumps(dict(rec, slug="chosen")).encode(),
                       headers=dict(JSON, **AUTH))
    assert r.status == 422 and "slug" in json.loads(r.body)["detail"]


def test_delete_then_410_everywhere_then_put_again(editor):
    path = "/news/2018/03/04/to-be-retracted"
    assert put(editor, path, new_record("2018-03-04", "To be retracted")).status == 201
    # Pages read (and so cached, in each of Apache's children) before the
    # delete do not outlive it.
    for _ in range(20):
        assert path in editor.get("/news/2018/03/index.json").text
    r = editor.request(path, method="DELETE", headers=AUTH)
    assert r.status == 204
    for ext, ctype in (("json", "application/problem+json"),
                       ("xml", "application/problem+xml; charset=utf-8"),
                       ("html", "text/html; charset=utf-8"),
                       ("md", "text/markdown; charset=utf-8")):
        r = editor.get(path + "." + ext)
        assert r.status == 410 and r.header("Content-Type") == ctype, ext
    assert editor.get(path).status == 410
    assert editor.get("/news/2018/03/04/").status == 404            # the day is empty
    assert path not in editor.get("/news/topics/publishing.json").text
    for _ in range(20):
        assert path not in editor.get("/news/2018/03/index.json").text
    assert path not in editor.get("/news/search.json?q=retracted").text
    assert path not in editor.get("/news/2018/03/sitemap.xml").text
    assert editor.request(path, method="DELETE", headers=AUTH).status == 404
    assert put(editor, path, new_record("2018-03-04", "To be retracted")).status == 201
    assert editor.get(path + ".json").status == 200


def test_the_seed_can_be_corrected_and_its_related_lists_follow(editor):
    """An edited headline shows at once in the related lists of others."""
    other = next(e for e in events() if e["date"] == "2017-11-20"
                 and "Vladimir Putin" in e.get("topics", []))
    rec = {k: SEED[k] for k in SEED if k not in ("slug",)}
    rec["headline"] = SEED["headline"] + " (corrected)"
    r = put(editor, SEED_URL, rec)
    assert r.status == 200, r.text
    related = json.loads(editor.get(url(other) + ".json").body)["related"]
    assert any(x["headline"].endswith("(corrected)") for x in related)


@pytest.mark.parametrize("method,path,body,headers,status,words", [
    ("PUT", "/news/2018/03/05/x", new_record("2018-03-05", "X"), {}, 401, ""),
    ("PUT", "/news/2018/03/05/x", "date=2018-03-05&headline=X",
     {"Content-Type": "application/x-www-form-urlencoded"}, 415, "application/json"),
    ("PUT", "/news/2018/03/05/x", "{\"date\": ", JSON, 400, "not JSON"),
    ("PUT", "/news/2018/03/05/x", new_record("2018-03-05", "X", sources=[
        {"name": "S", "url": "javascript:alert(1)"}]), JSON, 422, "sources[0].url"),
    ("PUT", "/news/2018/03/05/x", new_record("2018-03-06", "X"), JSON, 422, "date"),
    ("PUT", "/news/2018/03/05/x", new_record("2018-03-05", "X", slug="y"), JSON, 422, "slug"),
    ("PUT", "/news/2018/03/05/x", new_record("2018-03-05", "X" * 9000), JSON, 413,
     "NewsEventWriteLimit"),
    ("POST", "/news/2018/03/05/x", new_record("2018-03-05", "X"), JSON, 405, ""),
    ("PUT", "/news/2018/03/05/", new_record("2018-03-05", "X"), JSON, 405, ""),
    ("DELETE", "/news/2018/", None, {}, 405, ""),
    ("PUT", "/news/2018/03/05/x.xml", new_record("2018-03-05", "X"), JSON, 405, ""),
])
def test_bad_writes_are_refused_and_change_nothing(editor, method, path, body, headers,
                                                   status, words):
    h = dict(headers, **(AUTH if status != 401 else {}))
    data = body if isinstance(body, str) else json.dumps(body) if body is not None else None
    r = editor.request(path, method=method, body=data.encode() if data else None, headers=h)
    assert r.status == status, (r.status, r.text[:300])
    if words:
        assert words in json.loads(r.body)["detail"]
    if status == 405:
        assert "GET" in r.header("Allow")
    assert editor.get("/news/2018/03/05/x.json").status == 404


def test_a_location_without_require_refuses_every_write(editor):
    """NewsEventWrite On where an administrator granted everyone: no user,
    no write (403), never an open archive."""
    r = put(editor, "/news/2016/01/01/open-door", new_record("2016-01-01", "Open door"),
            auth=False)
    assert r.status == 403 and "authenticated" in json.loads(r.body)["detail"]
    assert editor.get("/news/2016/01/01/open-door.json").status == 404


def test_writes_are_off_by_default(server):
    r = server.request(SEED_URL, method="PUT", body=b"{}", headers=dict(JSON, **AUTH))
    assert r.status == 405 and r.header("Allow") == "GET, HEAD"


def test_every_write_leaves_an_audit_line(editor):
    editor.new_log_lines()
    put(editor, "/news/2018/03/07/audited", new_record("2018-03-07", "Audited"))
    editor.request("/news/2018/03/07/audited", method="DELETE", headers=AUTH)
    log = "\n".join(editor.new_log_lines())
    assert "[newsevent:notice]" in log
    assert "write by editor: PUT /news/2018/03/07/audited: 201 created" in log
    assert "write by editor: DELETE /news/2018/03/07/audited: 204 deleted" in log


def move(srv, path, dest, overwrite=None, auth=True, host=None):
    h = dict(AUTH if auth else {})
    h["Destination"] = (host or "http://127.0.0.1:%d" % srv.port) + dest
    if overwrite:
        h["Overwrite"] = overwrite
    return srv.request(path, method="MOVE", headers=h)


def test_move_then_301_for_good_and_chains_end_at_the_last(editor):
    a = "/news/2018/04/01/moving-event"
    b = "/news/2018/04/02/moving-event-renamed"
    c = "/news/2018/04/03/moving-event-again"
    assert put(editor, a, new_record("2018-04-01", "Moving event")).status == 201
    r = move(editor, a, b)
    assert r.status == 201 and r.header("Location").endswith(b)
    for ext in ("", ".json", ".html", ".xml", ".md"):
        r = editor.get(a + ext)
        assert r.status == 301 and r.header("Location").endswith(b + ext), ext
    moved = json.loads(editor.get(b + ".json").body)
    assert moved["date"] == "2018-04-02" and moved["headline"] == "Moving event"
    assert editor.get("/news/2018/04/01/").status == 404
    assert b in editor.get("/news/2018/04/02/index.json").text
    assert b in editor.get("/news/search.json?q=moving").text
    # A chain of moves ends at the last URL.
    assert move(editor, b, c).status == 201
    assert editor.get(a).header("Location").endswith(c)
    assert editor.get(b).header("Location").endswith(c)
    # Back where it started: no loop, the first URL is live again.
    assert move(editor, c, a).status == 201
    assert editor.get(a + ".json").status == 200
    for old in (b, c):
        assert editor.get(old).header("Location").endswith(a)


def test_move_onto_an_event_needs_overwrite(editor):
    a = "/news/2018/04/05/first-of-two"
    b = "/news/2018/04/05/second-of-two"
    assert put(editor, a, new_record("2018-04-05", "First of two")).status == 201
    assert put(editor, b, new_record("2018-04-05", "Second of two")).status == 201
    assert move(editor, a, b).status == 409
    assert move(editor, a, b, overwrite="F").status == 409
    r = move(editor, a, b, overwrite="T")
    assert r.status == 204
    assert json.loads(editor.get(b + ".json").body)["headline"] == "First of two"
    assert editor.get(a).status == 301
    assert len(json.loads(editor.get("/news/2018/04/05/index.json").body)["events"]) == 1


@pytest.mark.parametrize("dest,status", [
    (None, 400), ("/elsewhere/2018/04/06/x", 400), ("/news/2018/04/06/", 400),
    ("/news/2018/02/30/bad-date", 400), ("/news/2018/04/06/x.xml", 400),
])
def test_bad_destinations(editor, dest, status):
    a = "/news/2018/04/06/stays-put"
    put(editor, a, new_record("2018-04-06", "Stays put"))
    h = dict(AUTH)
    if dest:
        h["Destination"] = "http://127.0.0.1:%d%s" % (editor.port, dest)
    assert editor.request(a, method="MOVE", headers=h).status == status
    assert editor.get(a + ".json").status == 200


def test_a_destination_on_another_server_is_502(editor):
    a = "/news/2018/04/07/stays-here"
    put(editor, a, new_record("2018-04-07", "Stays here"))
    assert move(editor, a, "/news/2018/04/08/x", host="https://other.example").status == 502
    assert move(editor, a, a).status == 403
    assert move(editor, a, "/news/2018/04/08/x", auth=False).status == 401
    assert editor.get(a + ".json").status == 200


def test_writers_and_readers_at_once(editor):
    """8 writers, each PUT with If-Match on what it read, while readers
    read: no 5xx; each PUT wins or gets 412; the winners form one chain of
    versions (no update lost), each answered with its own version; a reader
    sees a whole record, never a mix."""
    import threading
    import time
    path = "/news/2018/05/01/contested-by-eight"
    assert put(editor, path, new_record("2018-05-01", "v0", body="v0")).status == 201
    wins, statuses, mixes, foreign = [], [], [], []
    stop = time.monotonic() + 20

    def writer(i):
        for j in range(6):
            if time.monotonic() > stop:
                return
            r = editor.get(path + ".json")
            tag = "w%d-%d" % (i, j)
            w = put(editor, path, new_record("2018-05-01", tag, body=tag),
                    headers={"If-Match": r.header("ETag")})
            statuses.append(w.status)
            if w.status == 200:
                wins.append((r.header("ETag"), w.header("ETag")))
                if json.loads(w.body)["headline"] != tag:   # another's version
                    foreign.append((tag, json.loads(w.body)["headline"]))

    def reader():
        for _ in range(60):
            if time.monotonic() > stop:
                return
            r = editor.get(path + ".json")
            statuses.append(r.status)
            doc = json.loads(r.body)
            if doc["headline"] != doc["body"]:
                mixes.append(doc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    threads += [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert set(statuses) <= {200, 412}, (sorted(set(statuses)),
                                         [l for l in editor.new_log_lines() if "error" in l])
    assert wins and not mixes
    assert not foreign, "a PUT's answer was another write's version"
    befores = [b for b, _ in wins]
    assert len(befores) == len(set(befores)), "two writers won on the same version"
    after = {b: a for b, a in wins}
    tag = editor.get(path + ".json").header("ETag")
    chain = [b for b in befores if b not in {a for _, a in wins}]
    assert len(chain) == 1                  # one first version, then each win on the last
    v, n = chain[0], 0
    while v in after:
        v, n = after[v], n + 1
    assert n == len(wins) and v == tag


HOSTILE_BODIES = [
    b"", b"null", b"[]", b"\"a string\"", b"42", b"{" * 5000 + b"}" * 5000,
    b'{"date": "2018-06-01", "headline": "x", "headline": "y"}',
    b'{"date": "2018-06-01", "headline": "nul \\u0000 inside"}',
    b'{"date": "2018-06-01", "headline": "\xff\xfe not utf-8"}',
    b'{"date": "2018-06-01", "headline": "x", "topics": [1, 2]}',
    b'{"date": "2018-06-01", "headline": "x", "sources": "nope"}',
    b'{"date": "2018-06-01", "headline": "x", "topics": [' + b'"t",' * 2000 + b'"t"]}',
    b'{"date": "2018-06-01", "headline": "\\u202egnorw"}',
    b'{"date": 20180601, "headline": "x"}',
    b'{"date": "2018-06-01", "headline": "x", "deleted": "2026-12-07T00:00:00Z"}',
    b'{"date": "2018-06-01", "headline": "x", "unknown": true}',
    b'{"date": "2018-06-01", "headline": 1e999}',
]


@pytest.mark.parametrize("body", HOSTILE_BODIES, ids=range(len(HOSTILE_BODIES)))
def test_hostile_bodies_are_4xx_and_change_nothing(editor, body):
    r = editor.request("/news/2018/06/01/hostile", method="PUT", body=body,
                       headers=dict(JSON, **AUTH))
    assert 400 <= r.status < 500, (r.status, r.text[:200])
    r = editor.request("/news/2018/06/01/", method="POST", body=body,
                       headers=dict(JSON, **AUTH))
    assert 400 <= r.status < 500, (r.status, r.text[:200])
    assert editor.get("/news/2018/06/01/hostile.json").status == 404
    assert editor.get("/news/2018/06/01/").status == 404


def test_a_chunked_body_over_the_limit_is_413(editor):
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", editor.port, timeout=10)
    chunks = (b'{"date": "2018-06-02", "headline": "' + b"x" * 1000 for _ in range(10))
    conn.request("PUT", "/news/2018/06/02/chunked", body=chunks,
                 headers=dict(JSON, **AUTH), encode_chunked=True)
    assert conn.getresponse().status == 413
    conn.close()
    assert editor.get("/news/2018/06/02/chunked.json").status == 404
