"""Configuration errors fail `apachectl -t` (apache2 -t) with a message that
names the directive and what is wrong; nothing starts half-configured."""

import re

import pytest


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
