# SPDX-License-Identifier: Apache-2.0
"""Configuration errors fail `apachectl -t` (apache2 -t) with a message that
names the directive and what is wrong; nothing starts half-configured."""

import os
import re
import subprocess

import pytest

from conftest import newsevent_httpd


def config_test(make_server, name, edit=None, extra=""):
    srv = make_server(name, extra=extra, start=False)
    if edit:
        with open(srv.conf) as f:
            text = f.read()
        with open(srv.conf, "w") as f:
            f.write(edit(text))
    return srv.check_config()


def test_a_good_configuration_passes(make_server):
    r = config_test(make_server, "good")
    assert r.returncode == 0, r.stderr
    assert "Syntax OK" in r.stderr


def test_newsevent_without_a_dbdriver(make_server):
    r = config_test(make_server, "nodriver",
                    edit=lambda t: t.replace("DBDriver", "#DBDriver").replace("DBDParams",
                                                                              "#DBDParams"))
    assert r.returncode != 0
    assert "NewsEvent On" in r.stderr and "no DBDriver" in r.stderr


def test_a_virtual_host_without_a_dbdriver_is_named(make_server):
    r = config_test(make_server, "vhostnodriver",
                    edit=lambda t: re.sub(r"(?m)^NewsEvent On$", "", t.replace(
                        "DBDriver", "#DBDriver").replace("DBDParams", "#DBDParams")),
                    extra="<VirtualHost *>\n    ServerName lost.example\n"
                          "    NewsEvent On\n</VirtualHost>\n")
    assert r.returncode != 0
    assert "lost.example" in r.stderr and "no DBDriver" in r.stderr


def test_newsevent_without_mod_dbd(make_server):
    r = config_test(make_server, "nodbd", edit=lambda t: "\n".join(
        line for line in t.splitlines()
        if "dbd_module" not in line and not line.startswith("DBD")))
    assert r.returncode != 0
    assert "mod_dbd" in r.stderr


@pytest.mark.parametrize("directive,words", [
    ("NewsEventBase /other", ["NewsEventBase", "one base path per server", "/news"]),
    ("NewsEventTablePrefix 9bad", ["NewsEventTablePrefix", "9bad"]),
    ("NewsEventTablePrefix \"a;drop\"", ["NewsEventTablePrefix", "a;drop"]),
    ("NewsEventPageSize 0", ["NewsEventPageSize", "0"]),
    ("NewsEventPageSize 1001", ["NewsEventPageSize", "1001"]),
    ("NewsEventFrontDays 32", ["NewsEventFrontDays", "32"]),
    ("NewsEventCacheControl \"\"", ["NewsEventCacheControl"]),
    ("NewsEvent Maybe", ["NewsEvent"]),
])
def test_bad_values_name_the_directive(make_server, directive, words):
    extra = directive
    if directive.startswith("NewsEventBase"):
        extra = "NewsEventBase /news\n" + directive
    r = config_test(make_server, "bad", extra=extra)
    assert r.returncode != 0
    for w in words:
        assert w in r.stderr, r.stderr


def test_without_mod_dbd_apache_starts_when_no_server_serves_the_archive(make_server):
    srv = make_server("nodbd-idle", newsevent="", start=False)
    with open(srv.conf) as f:
        text = f.read()
    with open(srv.conf, "w") as f:
        f.write("\n".join(line for line in text.splitlines()
                          if "dbd_module" not in line and not line.startswith("DBD")))
    srv.start()
    assert srv.get("/news/").status == 404          # Apache's own: nothing claims it


@pytest.mark.parametrize("section", ["Directory /", "Files index.html", "Proxy *"])
def test_per_directory_directives_refuse_directory_and_files(make_server, section):
    tag = section.split()[0]
    load = ("LoadModule proxy_module %s/mod_proxy.so\n" % newsevent_httpd.MODULES
            if tag == "Proxy" else "")
    for directive in ("NewsEvent On", "NewsEventPageSize 5", "NewsEventSiteTitle x"):
        r = config_test(make_server, "dirctx",
                        extra=load + "<%s>\n    %s\n</%s>\n" % (section, directive, tag))
        assert r.returncode != 0
        assert directive.split()[0] in r.stderr and "<%s>" % tag in r.stderr, r.stderr


def test_default_format_must_be_served_in_either_order(make_server):
    for extra in ("NewsEventFormats html json\nNewsEventDefaultFormat md",
                  "NewsEventDefaultFormat md\nNewsEventFormats html json"):
        r = config_test(make_server, "defaultfmt", extra=extra)
        assert r.returncode != 0 and "md" in r.stderr, r.stderr


def test_a_site_title_that_is_not_utf8_is_refused(make_server):
    srv = make_server("latin1", start=False)
    with open(srv.conf, "ab") as f:
        f.write(b'NewsEventSiteTitle "Nachrichten f\xfcr alle"\n')
    r = srv.check_config()
    assert r.returncode != 0
    assert "NewsEventSiteTitle" in r.stderr and "UTF-8" in r.stderr


def test_builtin_stylesheet_overrides_an_inherited_one(make_server):
    srv = make_server("styles", extra="NewsEventStylesheet /site.css\n"
                      "<Location /news/2017>\n    NewsEventStylesheet builtin\n</Location>\n")
    inside = srv.get("/news/2017/11/23/index.html").text
    outside = srv.get("/news/2016/11/16/index.html").text
    assert "/site.css" not in inside and "<style>" in inside
    assert 'href="/site.css"' in outside


def test_a_host_that_says_off_is_off_under_a_main_server_location(make_server, workdir):
    # httpd applies the main server's <Location> in every virtual host; a
    # host whose top level says NewsEvent Off must still stay out: no URL
    # claimed, and no statements prepared on its own mod_dbd pool (which may
    # belong to another application, without our tables).
    other = os.path.join(workdir, "other-app", "app.db")     # Apache's user can reach it
    os.makedirs(os.path.dirname(other), exist_ok=True)
    os.chmod(os.path.dirname(other), 0o777)
    subprocess.run(["sqlite3", other, "CREATE TABLE IF NOT EXISTS accounts (id INTEGER);"],
                   check=True)
    os.chmod(other, 0o666)
    srv = make_server("mainloc", newsevent="", extra=(
        "<Location /news>\n    NewsEvent On\n</Location>\n"
        "<VirtualHost *>\n    ServerName on.example\n</VirtualHost>\n"
        "<VirtualHost *>\n    ServerName off.example\n    DBDriver sqlite3\n"
        "    DBDParams \"%s\"\n    NewsEvent Off\n</VirtualHost>\n" % other))
    assert srv.get("/news/2017/11/23/", headers={"Host": "off.example"}).status == 404
    assert srv.get("/news/2017/11/23/", headers={"Host": "on.example"}).status == 200
    log = "\n".join(srv.new_log_lines())
    assert "prepare" not in log and "child init failed" not in log, log


@pytest.mark.parametrize("section", ['If "%{HTTP_HOST} == \'a.example\'"',
                                     "Location /news/topics"])
def test_if_and_location_sections_are_allowed(make_server, section):
    tag = section.split()[0]
    r = config_test(make_server, "ifctx", extra="<%s>\n    NewsEvent On\n"
                    "    NewsEventPageSize 5\n</%s>\n" % (section, tag))
    assert r.returncode == 0, r.stderr


def readme_apache_examples():
    """The README's ```apache blocks, as a user would paste them."""
    readme = os.path.join(os.path.dirname(__file__), "..", "..", "README.md")
    with open(readme, encoding="utf-8") as f:
        return re.findall(r"```apache\n(.*?)```", f.read(), re.S)


@pytest.mark.parametrize("block", readme_apache_examples(),
                         ids=lambda b: b.strip().splitlines()[0][:40])
def test_each_readme_example_passes_the_syntax_check(make_server, workdir, block):
    """Pasted into a site that loads the modules it names, each example
    passes `apachectl -t` (a comment after a directive once did not: Apache
    took it for more arguments)."""
    loads = re.findall(r"^LoadModule (\w+)", block, re.M)
    site = {"dbd_module", "newsevent_module"}                    # the site loads these
    auth = {"auth_basic_module", "authn_core_module", "authn_file_module", "authz_user_module"}
    assert set(loads) <= site | auth, loads
    block = re.sub(r"^LoadModule (?:dbd|newsevent)_module .*$", "", block, flags=re.M)
    for path in re.findall(r"/etc/apache2/newsevent/\S+", block):      # files it reads
        mine = os.path.join(workdir, os.path.basename(path))
        with open(mine, "w") as f:
            f.write("<p>part of the page</p>\n")
        block = block.replace(path, mine)
    r = config_test(make_server, "readme", extra="Define APACHE_LOG_DIR %s\n%s" % (workdir, block))
    assert r.returncode == 0 and "Syntax OK" in r.stderr, (block, r.stderr)
