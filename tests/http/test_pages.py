# SPDX-License-Identifier: Apache-2.0
"""Pages that look right: valid HTML5 (checked with tidy), lang, viewport,
landmarks and headings in order, a site's own stylesheet, header and footer,
and screenshots at phone and desktop widths from headless Chromium."""

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from fixtures_data import HOSTILE, SEED_URL, url

PAGES = {
    "event": SEED_URL,
    "hostile-event": url(HOSTILE),
    "day": "/news/2017/11/23/",
    "month": "/news/2017/11/",
    "year": "/news/2017/",
    "front": "/news/",
    "topic": "/news/topics/omar-al-bashir",
    "404": "/news/2017/11/23/no-such-event",
}
# tidy 5.6 (Debian 12) predates these attributes of the HTML living standard.
TIDY_KNOWN = re.compile(r'proprietary attribute "(loading|referrerpolicy)"')
SHOTS = os.path.join(os.path.dirname(__file__), "..", "..", "build", "screenshots")


class Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.headings = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


@pytest.mark.parametrize("name", list(PAGES))
def test_pages_are_valid_html5(server, name, tmp_path):
    r = server.get(PAGES[name], headers={"Accept": "text/html"})
    assert r.status in (200, 404)
    page = tmp_path / "page.html"
    page.write_bytes(r.body)
    out = subprocess.run(["tidy", "-q", "-e", "--show-warnings", "yes", str(page)],
                         capture_output=True, text=True).stderr
    problems = [line for line in out.splitlines() if line.strip() and not TIDY_KNOWN.search(line)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", list(PAGES))
def test_pages_have_lang_viewport_landmarks_and_ordered_headings(server, name):
    html = server.get(PAGES[name], headers={"Accept": "text/html"}).text
    o = Outline()
    o.feed(html)
    tags = dict(o.tags)
    assert tags["html"].get("lang") == "en"
    assert any(t == "meta" and a.get("name") == "viewport" for t, a in o.tags)
    assert any(t == "meta" and a.get("charset") == "utf-8" for t, a in o.tags)
    for landmark in ("header", "main", "footer"):
        assert landmark in tags, landmark
    assert o.headings and o.headings[0] == 1 and o.headings.count(1) == 1
    for a, b in zip(o.headings, o.headings[1:]):
        assert b <= a + 1, o.headings


def test_a_site_stylesheet_header_and_footer(make_server, workdir):
    site = os.path.join(workdir, "site-snippets")
    os.makedirs(site, exist_ok=True)
    with open(os.path.join(site, "header.html"), "w") as f:
        f.write('<header class="site"><a href="/">Example Site</a> <nav>Home</nav></header>')
    with open(os.path.join(site, "footer.html"), "w") as f:
        f.write('<p class="site-footer">© Example</p>')
    srv = make_server("snippets", extra=f"""
NewsEventStylesheet /assets/site.css
NewsEventHeaderFile {site}/header.html
<Location /news/topics>
    NewsEventFooterFile {site}/footer.html
</Location>
""")
    html = srv.get(SEED_URL).text
    assert '<link rel="stylesheet" href="/assets/site.css">' in html
    assert "<style>" not in html
    assert '<header class="site"><a href="/">Example Site</a>' in html
    assert "site-footer" not in html
    topic = srv.get("/news/topics/russia").text
    assert '<p class="site-footer">© Example</p></footer>' in topic
    bad = make_server("snippets-bad", extra="NewsEventHeaderFile /nonexistent/header.html",
                      start=False).check_config()
    assert bad.returncode != 0 and "NewsEventHeaderFile" in bad.stderr


def chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.parametrize("name", ["event", "day", "topic"])
@pytest.mark.parametrize("width,height", [(390, 844), (1280, 900)], ids=["phone", "desktop"])
def test_screenshots(server, stores, name, width, height, tmp_path):
    """Kept in build/screenshots/ as artifacts: look at them."""
    if stores.kind != "sqlite3":
        pytest.skip("the same pages: taken once")
    browser = chromium()
    if browser is None:
        pytest.skip("chromium is not installed (scripts/deps.sh installs it)")
    os.makedirs(SHOTS, exist_ok=True)
    shot = os.path.join(SHOTS, "%s-%s.png" % (name, "phone" if width < 600 else "desktop"))
    if os.path.exists(shot):
        os.remove(shot)
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                    "--user-data-dir=%s" % tmp_path, "--window-size=%d,%d" % (width, height),
                    "--screenshot=%s" % shot,
                    "http://127.0.0.1:%d%s" % (server.port, PAGES[name])],
                   capture_output=True, timeout=120)
    with open(shot, "rb") as f:
        png = f.read()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (w, h) == (width, height)
    assert len(png) > 10000        # more than a blank page
