# SPDX-License-Identifier: Apache-2.0
"""make install into a scratch root (DESTDIR), the Debian a2enmod files, and
make uninstall."""

import os
import subprocess

import pytest

from conftest import REPO, newsevent_httpd

# The plain build, whatever make the tests run under (SANITIZE=1 included).
PLAIN_ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}

FILES = [
    "usr/lib/apache2/modules/mod_newsevent.so",
    "usr/local/bin/newsevent",
    "usr/local/share/man/man1/newsevent.1",
    "etc/apache2/mods-available/newsevent.load",
    "etc/apache2/mods-available/newsevent.conf",
    "usr/local/share/newsevent/schema-sqlite.sql",
    "usr/local/share/newsevent/schema-pgsql.sql",
    "usr/local/share/newsevent/newsevent.xsd",
    "usr/local/share/newsevent/newsevent-problem.xsd",
    "usr/local/share/newsevent/newsevent.schema.json",
]


@pytest.fixture
def destdir(tmp_path, stores):
    if stores.kind != "sqlite3":
        pytest.skip("installs once")
    root = tmp_path / "root"
    r = subprocess.run(["make", "-s", "-C", REPO, "install", "DESTDIR=%s" % root,
                        "SANITIZE="], capture_output=True, text=True, env=PLAIN_ENV)
    assert r.returncode == 0, r.stderr
    return root


def test_install_puts_every_file_in_place(destdir):
    for f in FILES:
        assert (destdir / f).is_file(), f
    assert os.access(destdir / "usr/local/bin/newsevent", os.X_OK)
    load = (destdir / "etc/apache2/mods-available/newsevent.load").read_text()
    assert "# Depends: dbd" in load                      # a2enmod enables mod_dbd first
    assert "LoadModule newsevent_module /usr/lib/apache2/modules/mod_newsevent.so" in load
    store = destdir / "var/lib/newsevent"
    assert store.stat().st_uid == store.stat().st_gid != 0    # Apache's user
    assert (store / "news.db").is_file()
    r = subprocess.run([str(destdir / "usr/local/bin/newsevent"), "--help"],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "import FILE" in r.stdout
    r = subprocess.run(["man", "-l", str(destdir / "usr/local/share/man/man1/newsevent.1")],
                       capture_output=True, text=True, env=dict(os.environ, MANWIDTH="80"))
    assert "EXIT STATUS" in r.stdout


def test_the_installed_configuration_passes_apachectl_t(destdir, tmp_path):
    """The a2enmod files, as Debian's apache2.conf would include them."""
    load = (destdir / "etc/apache2/mods-available/newsevent.load").read_text().replace(
        "/usr/lib/apache2/modules/mod_newsevent.so",
        str(destdir / "usr/lib/apache2/modules/mod_newsevent.so"))
    conf = tmp_path / "apache2.conf"
    conf.write_text("""ServerRoot %s
PidFile %s/pid
Listen 127.0.0.1:%d
ServerName localhost
ErrorLog %s/error.log
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule dbd_module /usr/lib/apache2/modules/mod_dbd.so
%s
Include %s
""" % (tmp_path, tmp_path, newsevent_httpd.free_port(), tmp_path, load,
       destdir / "etc/apache2/mods-available/newsevent.conf"))
    r = subprocess.run([newsevent_httpd.HTTPD, "-t", "-f", str(conf)], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr


def test_uninstall_removes_what_install_put(destdir):
    r = subprocess.run(["make", "-s", "-C", REPO, "uninstall", "DESTDIR=%s" % destdir,
                        "SANITIZE="], capture_output=True, text=True, env=PLAIN_ENV)
    assert r.returncode == 0, r.stderr
    for f in FILES:
        assert not (destdir / f).exists(), f
    assert (destdir / "var/lib/newsevent/news.db").is_file()    # data stays
