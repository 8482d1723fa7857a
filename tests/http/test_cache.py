# SPDX-License-Identifier: Apache-2.0
"""The cache of rendered answers: repeated requests are served from it, and
it is never stale: an import changes what every format and every list shows,
at once."""

import json

from fixtures_data import SEED, SEED_URL


def test_repeats_hit_and_an_import_is_seen_at_once(make_server, tmp_path):
    srv = make_server("cache-fresh", start=False)
    log = srv.root + "/cache.log"
    with open(srv.conf, "a") as f:
        f.write('LogFormat "%%U%%q|%%{Accept}i|%%{newsevent-cache}n" cachelog\n'
                'CustomLog "%s" cachelog\n' % log)
    srv.start()
    urls = [SEED_URL + "." + ext for ext in ("html", "json", "xml", "md")] + [
        SEED_URL, "/news/2017/11/23/", "/news/2017/11/23/index.json", "/news/2017/11/",
        "/news/2017/index.json", "/news/", "/news/topics/russia", "/news/topics/russia.md",
        "/news/feed.atom", "/news/topics/russia.atom"]
    before = {u: srv.get(u).body for u in urls}
    for _ in range(4):               # five asks: two reach one child (at most four)
        assert {u: srv.get(u).body for u in urls} == before
    hit = {line.split("|")[0] for line in open(log).read().splitlines() if line.endswith("|hit")}
    assert hit == set(urls), set(urls) - hit

    # Change the seed's headline, and add an event on its day with its topics.
    new_headline = SEED["headline"].replace("Putin agrees", "Putin readily agrees")
    changed = dict(SEED, headline=new_headline)
    f = tmp_path / "change.jsonl"
    f.write_text(json.dumps(changed) + "\n" + json.dumps({
        "date": "2017-11-23", "category": "International relations",
        "headline": "A brand new event about Russia", "topics": ["Russia"]}) + "\n")
    srv.store.tool("import", str(f))

    after = {u: srv.get(u) for u in urls}
    for u in urls[:5]:                                         # the event, every format
        body = after[u].text
        assert "readily agrees" in body, u
    for u in ["/news/2017/11/23/", "/news/2017/11/23/index.json", "/news/2017/11/",
              "/news/topics/russia", "/news/topics/russia.md", "/news/feed.atom",
              "/news/topics/russia.atom"]:
        assert "A brand new event about Russia" in after[u].text, u
    year = json.loads(after["/news/2017/index.json"].body)
    assert year["total"] == json.loads(before["/news/2017/index.json"])["total"] + 1
    for u in urls:
        if u != "/news/":                  # the front page shows later days
            assert after[u].body != before[u], u


def test_the_cache_can_be_turned_off(make_server):
    srv = make_server("nocache", extra="NewsEventCacheSize 0")
    assert srv.get(SEED_URL + ".json").status == 200
    bad = make_server("badcache", extra="NewsEventCacheSize lots", start=False).check_config()
    assert bad.returncode != 0 and "NewsEventCacheSize" in bad.stderr
