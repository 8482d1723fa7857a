# SPDX-License-Identifier: Apache-2.0
"""The Debian package (make deb, debian/): built once a session, lintian-clean,
then installed on this machine with apt-get, its module serving the fixtures
through Apaches of our own on free loopback ports (one with the suite's
configuration, one with the package's a2enmod files), then removed and purged:
every file it put is gone, the store stays. The system's apache2 service is
left as it was found, and so are its enabled modules."""

import contextlib
import fcntl
import glob
import os
import pwd
import shutil
import subprocess
import time

import pytest

from conftest import BAD_LOG, REPO, Server, newsevent_httpd
from fixtures_data import SEED, SEED_URL
from test_event import normalised_seed_page

PKG = "libapache2-mod-newsevent"
MODULE = "/usr/lib/apache2/modules/mod_newsevent.so"
TOOL = "/usr/bin/newsevent"
AVAILABLE = "/etc/apache2/mods-available"
ENABLED = "/etc/apache2/mods-enabled"
MODSTATE = "/var/lib/apache2/module"       # a2enmod's enabled_by_* / disabled_by_* markers
STATEDIR = "/var/lib/newsevent"
PIDFILE = "/var/run/apache2/apache2.pid"   # the system service's (/etc/apache2/envvars)
# The plain build, whatever make the tests run under (SANITIZE=1 included).
PLAIN_ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
APT_ENV = dict(PLAIN_ENV, DEBIAN_FRONTEND="noninteractive")
# Waits for another apt-get or dpkg on the machine rather than failing.
APT = ["apt-get", "-y", "-q", "-o", "DPkg::Lock::Timeout=300"]


def deb_path():
    """build/PKG_VERSION_ARCH.deb, the version from debian/changelog as the
    Makefile reads it."""
    with open(os.path.join(REPO, "debian", "changelog")) as f:
        version = f.readline().split("(")[1].split(")")[0]
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True,
                          text=True, check=True).stdout.strip()
    return os.path.join(REPO, "build", "%s_%s_%s.deb" % (PKG, version, arch))


@pytest.fixture(scope="module")
def deb():
    """make deb, once (a no-op when the package is newer than its sources)."""
    missing = [t for t in ("dpkg-buildpackage", "dh", "dh_apache2", "apt-get")
               if not shutil.which(t)]
    if missing:
        pytest.skip("cannot build the .deb here: no %s (Debian with dpkg-dev, debhelper "
                    "and apache2-dev: make deps)" % ", ".join(missing))
    start = time.monotonic()
    r = subprocess.run(["make", "-s", "-C", REPO, "deb"], capture_output=True, text=True,
                       env=PLAIN_ENV, timeout=900)
    assert r.returncode == 0, "make deb:\n" + r.stdout[-4000:] + r.stderr[-4000:]
    path = deb_path()
    assert os.path.isfile(path), path
    print("make deb: %.1f s, %s, %d bytes" % (time.monotonic() - start, path,
                                             os.path.getsize(path)))
    return path


def package_files(path):
    """The regular files the package holds, as absolute paths."""
    out = subprocess.run(["dpkg-deb", "--fsys-tarfile", path], capture_output=True,
                         check=True).stdout
    listing = subprocess.run(["tar", "-t", "-v"], input=out, capture_output=True,
                             check=True).stdout.decode().splitlines()
    return [line.split()[-1][1:] for line in listing if line.startswith("-")]


def test_package_is_lintian_clean(deb):
    if not shutil.which("lintian"):
        pytest.skip("lintian is not installed (make deps installs it)")
    r = subprocess.run(["lintian", "--fail-on", "error,warning", deb], capture_output=True,
                       text=True, timeout=600)
    tags = [line for line in r.stdout.splitlines() if line[:2] in ("E:", "W:")]
    assert r.returncode == 0 and not tags, r.stdout + r.stderr


def test_package_holds_the_module_tool_man_page_and_schemas(deb):
    files = package_files(deb)
    for f in [MODULE, TOOL, "/usr/share/man/man1/newsevent.1.gz",
              AVAILABLE + "/newsevent.load", AVAILABLE + "/newsevent.conf",
              "/usr/share/newsevent/schema-sqlite.sql", "/usr/share/newsevent/schema-pgsql.sql",
              "/usr/share/newsevent/newsevent.xsd", "/usr/share/newsevent/newsevent-problem.xsd",
              "/usr/share/newsevent/newsevent.schema.json",
              "/usr/share/doc/%s/copyright" % PKG, "/usr/share/doc/%s/changelog.gz" % PKG]:
        assert f in files, f
    depends = subprocess.run(["dpkg-deb", "-f", deb, "Depends"], capture_output=True,
                             text=True, check=True).stdout
    assert "libaprutil1-dbd-sqlite3 | libaprutil1-dbd-pgsql" in depends
    assert "apache2-api-20120211" in depends                  # added by dh_apache2


# The machine's state the install touches, and how to put it back.

def system_apache_pid():
    """The pid of the system's apache2 service, or None."""
    try:
        with open(PIDFILE) as f:
            pid = int(f.read().strip())
        with open("/proc/%d/comm" % pid) as f:
            return pid if f.read().strip() == "apache2" else None
    except (OSError, ValueError):
        return None


def module_state(name):
    """Whether a module is enabled, and a2enmod's markers for it."""
    links = {p: os.readlink(p) for p in (ENABLED + "/%s.load" % name, ENABLED + "/%s.conf" % name)
             if os.path.islink(p)}
    return links, sorted(glob.glob(MODSTATE + "/*/" + name))


def restore_module_state(name, state):
    links, markers = state
    for p in (ENABLED + "/%s.load" % name, ENABLED + "/%s.conf" % name):
        if os.path.islink(p) and p not in links:
            os.unlink(p)
    for p, target in links.items():
        if not os.path.islink(p):
            os.symlink(target, p)
    for p in glob.glob(MODSTATE + "/*/" + name):
        if p not in markers:
            os.unlink(p)
    for p in markers:
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "a").close()


@contextlib.contextmanager
def machine_restored(workdir):
    """Runs the block, then puts back what the package's install changed:
    files of a `make install` at the package's paths (moved aside first),
    mod_dbd's and the module's enabled state, the store's folder when the
    package made it, and the system service stopped when it was."""
    lock = open(os.path.join("/run/lock" if os.path.isdir("/run/lock") else "/tmp",
                             "mod-newsevent-test-deb.lock"), "w")
    fcntl.flock(lock, fcntl.LOCK_EX)       # one install on the machine at a time
    aside = os.path.join(workdir, "deb-aside")
    moved = []
    for path in (MODULE, TOOL, AVAILABLE + "/newsevent.load", AVAILABLE + "/newsevent.conf"):
        owned = subprocess.run(["dpkg", "-S", path], capture_output=True).returncode == 0
        if os.path.exists(path) and not owned:
            dest = aside + path
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.move(path, dest)
            moved.append((path, dest))
    states = {m: module_state(m) for m in ("dbd", "newsevent")}
    marker_dirs = set(glob.glob(MODSTATE + "/*/"))
    had_statedir = os.path.exists(STATEDIR)
    had_rundir = os.path.exists(os.path.dirname(PIDFILE))
    apache_was_running = system_apache_pid() is not None
    try:
        yield {"had_statedir": had_statedir}
    finally:
        if subprocess.run(["dpkg-query", "-W", PKG], capture_output=True).returncode == 0:
            subprocess.run(APT + ["purge", PKG], capture_output=True, env=APT_ENV)
        for path, dest in moved:
            shutil.move(dest, path)
        for m, state in states.items():
            restore_module_state(m, state)
        for d in set(glob.glob(MODSTATE + "/*/")) - marker_dirs:
            with contextlib.suppress(OSError):
                os.rmdir(d)                # a2enmod's, made empty on the way
        if not had_statedir:
            shutil.rmtree(STATEDIR, ignore_errors=True)
        if not apache_was_running and system_apache_pid() is not None:
            subprocess.run(["service", "apache2", "stop"], capture_output=True)
        if not had_rundir:                 # made by the postinst's apache2ctl configtest
            for d, _, _ in sorted(os.walk(os.path.dirname(PIDFILE)), reverse=True):
                with contextlib.suppress(OSError):
                    os.rmdir(d)            # empty folders only
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()


class InstalledStore(newsevent_httpd.Store):
    """A store that the installed /usr/bin/newsevent creates and fills."""

    def tool_args(self):
        return [TOOL, "--driver", self.driver, "--params", self.params]


PACKAGE_CONF = """# The package's a2enmod files, as Debian's apache2.conf includes them.
ServerRoot "@ROOT@"
DefaultRuntimeDir "@ROOT@"
PidFile "@ROOT@/httpd.pid"
Listen 127.0.0.1:@PORT@
ServerName 127.0.0.1:@PORT@
User www-data
Group www-data
ErrorLog "@ROOT@/error.log"
LogLevel warn
Include /etc/apache2/mods-available/mpm_event.load
Include /etc/apache2/mods-available/authz_core.load
Include /etc/apache2/mods-enabled/dbd.load
Include /etc/apache2/mods-enabled/newsevent.load
Include /etc/apache2/mods-enabled/newsevent.conf
<VirtualHost 127.0.0.1:@PORT@>
    ServerName localhost
</VirtualHost>
"""


def assert_clean_log(srv):
    """No warning or worse in a server's error log while it served (checked
    before it stops, as conftest does: a stop can catch children starting)."""
    bad = [line for line in srv.new_log_lines() if BAD_LOG.search(line)]
    assert not bad, "error log:\n" + "\n".join(bad)


def apt(*args):
    r = subprocess.run(APT + list(args), capture_output=True, text=True, env=APT_ENV,
                       timeout=600)
    assert r.returncode == 0, "apt-get %s:\n%s%s" % (" ".join(args), r.stdout, r.stderr)
    return r.stdout + r.stderr


def test_install_serve_remove_purge(deb, workdir):
    if os.geteuid() != 0:
        pytest.skip("installing the package needs root")
    files = package_files(deb)
    with machine_restored(workdir) as before:
        start = time.monotonic()
        out = apt("install", deb)
        took = {"install": time.monotonic() - start}

        # In place, and enabled as Debian enables a module: with mod_dbd.
        for f in files:
            assert os.path.isfile(f), f
        for m in ("dbd", "newsevent"):
            assert os.path.islink(ENABLED + "/%s.load" % m), out
        assert os.path.islink(ENABLED + "/newsevent.conf")
        with open(AVAILABLE + "/newsevent.load") as f:
            load = f.read()
        assert "# Depends: dbd" in load
        assert "LoadModule newsevent_module %s\n" % MODULE in load
        # The store newsevent.conf names, made by the postinst (unless there
        # was one), owned by Apache's user.
        if not before["had_statedir"]:
            www = pwd.getpwnam(newsevent_httpd.httpd_user())
            for p in (STATEDIR, STATEDIR + "/news.db"):
                assert (os.stat(p).st_uid, os.stat(p).st_gid) == (www.pw_uid, www.pw_gid), p
        r = subprocess.run([TOOL, "--help"], capture_output=True, text=True)
        assert r.returncode == 0 and "import FILE" in r.stdout
        r = subprocess.run(["man", "-aw", "newsevent"], capture_output=True, text=True)
        assert "/usr/share/man/man1/newsevent.1.gz" in r.stdout.split()

        # The fixtures, imported by the installed tool, served by the
        # installed module under the suite's own configuration.
        root = os.path.join(workdir, "deb-fixtures")
        os.makedirs(os.path.join(root, "store"))
        store = newsevent_httpd.load(InstalledStore(
            "sqlite3", os.path.join(root, "store", "news.db")))
        srv = Server(root, store)
        srv.conf = newsevent_httpd.make_root(root, srv.port, store, module=MODULE)
        srv.start()
        try:
            got = srv.get(SEED_URL + ".md").text.split("\n")
            want = normalised_seed_page()
            while want and want[-1] == "":
                want.pop()
            assert got[:len(want)] == want
            r = srv.get(SEED_URL + ".json")
            assert r.status == 200 and SEED["headline"] in r.text
            assert srv.get("/news/2017/11/23/").status == 200
            assert_clean_log(srv)
        finally:
            srv.stop()

        # The package's own a2enmod files, and the store its postinst made:
        # empty, so the front page is the module's own 404 (a 503 if the
        # store could not be opened).
        root = os.path.join(workdir, "deb-package-conf")
        os.makedirs(root)
        srv = Server(root, store, conf_text=PACKAGE_CONF)
        check = srv.check_config()
        assert check.returncode == 0, check.stderr
        srv.start()
        try:
            r = srv.get("/news/")
            want = (200, 404) if before["had_statedir"] else (404,)
            assert r.status in want, (r.status, r.text[:300])
            assert r.header("content-type") == "text/html; charset=utf-8"
            assert '<header><a href="/news/">News</a></header>' in r.text
            assert_clean_log(srv)
        finally:
            srv.stop()

        # Removed: the module disabled, the files gone but the conffiles.
        start = time.monotonic()
        apt("remove", PKG)
        took["remove"] = time.monotonic() - start
        conffiles = {AVAILABLE + "/newsevent.load", AVAILABLE + "/newsevent.conf"}
        for f in files:
            assert os.path.exists(f) == (f in conffiles), f
        assert not glob.glob(ENABLED + "/newsevent.*")
        # Purged: the conffiles and a2enmod's markers gone too; the store stays.
        apt("purge", PKG)
        for f in files:
            assert not os.path.exists(f), f
        assert not os.path.exists("/usr/share/newsevent")
        assert not os.path.exists("/usr/share/doc/" + PKG)
        assert not glob.glob(MODSTATE + "/*/newsevent")
        assert os.path.isfile(STATEDIR + "/news.db")
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Status}", PKG], capture_output=True,
                           text=True)
        assert r.returncode != 0 or r.stdout.endswith("not-installed"), r.stdout
        print("apt-get install %.1f s, remove %.1f s" % (took["install"], took["remove"]))
