# SPDX-License-Identifier: Apache-2.0
"""`make run` says what is wrong before it starts: a store Apache's user
cannot use, and never trips over what a killed `make run` left behind (a
pid file whose number was reused, its Apache, its PostgreSQL). Each test
runs scripts/newsevent_httpd.py as `make run` does, in a folder of its own,
on a free loopback port, and stops it with a signal."""

import http.client
import os
import shutil
import signal
import subprocess
import threading
import time

import pytest

import newsevent_httpd
from newsevent_httpd import REPO, Postgres, Store, free_port, load, proc_field, read_pid

STORES = os.environ.get("NEWSEVENT_STORES", "sqlite3 pgsql").split()

RUNNER = ["/usr/bin/python3", os.path.join(REPO, "scripts", "newsevent_httpd.py")]
READY = "Ctrl-C stops Apache."
EVENT = ("/news/2017/11/23/sudanese-president-omar-al-bashir-wanted-by-the-icc-for-allegations-"
         "of-genocide-and-war-crimes-asks-russian-president-vladimir-putin-for-i")
USER = newsevent_httpd.httpd_user()


class Run:
    """One `make run`: its output is read as it comes."""

    def __init__(self, root, *args):
        self.root, self.port = root, free_port()
        self.proc = subprocess.Popen(RUNNER + ["--root", root, "--port", str(self.port)]
                                     + list(args), cwd=REPO, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.lines = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def output(self):
        return "".join(self.lines)

    def get(self, path):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request("GET", path)
            return conn.getresponse().status
        finally:
            conn.close()

    def ready(self, seconds=25):
        """Wait until it says it serves and its Apache answers."""
        deadline = time.monotonic() + seconds
        while READY not in self.output:
            assert self.proc.poll() is None, "make run exited:\n" + self.output
            assert time.monotonic() < deadline, "make run did not start:\n" + self.output
            time.sleep(0.05)
        while True:
            try:
                return self.get("/")
            except OSError:
                assert self.proc.poll() is None, "make run exited:\n" + self.output
                assert time.monotonic() < deadline, "Apache did not answer:\n" + self.output
                time.sleep(0.05)

    def finish(self, seconds=20):
        """Its exit status, once it ended by itself."""
        try:
            return self.proc.wait(timeout=seconds)
        finally:
            time.sleep(0.1)         # the last lines

    def stop(self, sig=signal.SIGINT):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.finish(30)

    def apache(self):
        return read_pid(os.path.join(self.root, "httpd.pid"))


def alive(pid):
    return bool(pid) and bool(proc_field(pid, "stat"))


@pytest.fixture
def runs(workdir, request):
    """Start runs in a folder of the test's own; whatever is left running at
    the end (a killed run's Apache, its PostgreSQL) is stopped."""
    base = os.path.join(workdir, "run-" + request.node.name.replace("[", "-").strip("]"))
    os.makedirs(base)
    started = []

    def start(*args, root="root"):
        run = Run(os.path.join(base, root), *args)
        started.append(run)
        return run
    start.base = base
    yield start
    for run in started:
        if run.proc.poll() is None:
            run.proc.kill()
            run.proc.wait(timeout=10)
        pid = run.apache()
        if alive(pid) and "httpd.conf" in newsevent_httpd.proc_cmdline(pid):
            os.kill(pid, signal.SIGTERM)
    pg = os.path.join(base, "pg")
    if os.path.exists(os.path.join(pg, "postmaster.pid")):
        Postgres(pg).stop("immediate")


def make_store(folder):
    """A store from the first fixture file, given to Apache's user."""
    os.makedirs(folder)
    os.chmod(folder, 0o755)
    db = os.path.join(folder, "news.db")
    load(Store("sqlite3", db), newsevent_httpd.fixture_files()[:1])
    return db


def made_by_root(folder):
    """A store made by root, as the README's commands make it."""
    os.makedirs(folder)
    os.chmod(folder, 0o755)
    db = os.path.join(folder, "news.db")
    store = Store("sqlite3", db)
    for args in (["init"], ["import"] + newsevent_httpd.fixture_files()[:1]):
        assert store.tool(*args, check=False).returncode == 0
    return db


def test_a_store_apaches_user_cannot_write_stops_it_with_the_fix(runs):
    db = made_by_root(os.path.join(runs.base, "store"))
    run = runs("--db", db)
    assert run.finish() == 1
    out = run.output
    assert "Traceback" not in out and READY not in out
    assert f"Apache's user {USER} cannot write {db}" in out
    assert "create files in " + os.path.dirname(db) in out
    with pytest.raises(OSError):
        run.get("/")
    fix = out.split("\n    ", 1)[1].splitlines()[0]
    assert fix == f"chown {USER}: {db} && chown {USER}: {os.path.dirname(db)}"
    subprocess.run(fix, shell=True, check=True)
    run = runs("--db", db)
    assert run.ready() == 200
    assert run.get(EVENT) == 200
    assert run.stop() == 0
    assert not alive(run.apache())


@pytest.mark.parametrize("case", ["no-tables", "not-sqlite", "closed-folder", "missing"])
def test_a_file_that_is_no_store_stops_it(runs, case):
    folder = os.path.join(runs.base, "store")
    os.makedirs(folder)
    db = os.path.join(folder, "news.db")
    if case == "no-tables":
        subprocess.run(["sqlite3", db, "CREATE TABLE events (id INTEGER)"], check=True)
    elif case == "not-sqlite":
        with open(db, "w") as f:
            f.write("not a database\n" * 100)
    elif case == "closed-folder":
        db = make_store(os.path.join(folder, "inner"))
        os.chmod(folder, 0o700)               # root's, closed to others
    if case in ("no-tables", "not-sqlite"):
        for path in (db, os.path.dirname(db)):
            shutil.chown(path, USER, USER)
    run = runs("--db", db)
    assert run.finish() == 1
    out = run.output
    assert "Traceback" not in out and READY not in out
    assert out.startswith("run: ")
    expected = {
        "no-tables": [f"{db} is not a newsevent store: it has no table sources",
                      f"--params {db} init", f"chown {USER}: {db}*"],
        "not-sqlite": [f"{db} does not open as an SQLite store (file is not a database)",
                       "--params NEW.db init"],
        "closed-folder": [f"Apache's user {USER} cannot enter {folder}", f"chmod o+x {folder}"],
        "missing": [f"DB={db}: no such file", f"--params {db} init"],
    }[case]
    for text in expected:
        assert text in out


def test_a_stale_pid_file_is_removed(runs):
    other = subprocess.Popen(["sleep", "60"])        # alive, and no Apache
    try:
        root = os.path.join(runs.base, "root")
        os.makedirs(root)
        with open(os.path.join(root, "httpd.pid"), "w") as f:
            f.write("%d\n" % other.pid)
        db = make_store(os.path.join(runs.base, "store"))
        run = runs("--db", db)
        assert run.ready() == 200
        assert f"removing the stale {root}/httpd.pid (pid {other.pid} is not an Apache" \
            in run.output
        assert run.apache() != other.pid
        assert run.stop(signal.SIGTERM) == 0
        assert other.poll() is None               # left alone
    finally:
        other.kill()
        other.wait()


def test_a_run_still_up_is_named_not_stopped(runs):
    db = make_store(os.path.join(runs.base, "store"))
    first = runs("--db", db)
    assert first.ready() == 200
    second = runs("--db", db)
    assert second.finish() == 1
    out = second.output
    assert "Traceback" not in out
    assert (f"an earlier `make run` is still serving from {first.root}: Apache pid "
            f"{first.apache()}, started by pid {first.proc.pid}") in out
    assert f"kill {first.proc.pid}" in out
    assert first.get(EVENT) == 200
    assert first.stop() == 0


def test_what_a_killed_run_left_is_stopped(runs):
    """SQLite: the killed run's Apache, still serving, is stopped first."""
    db = make_store(os.path.join(runs.base, "store"))
    first = runs("--db", db)
    assert first.ready() == 200
    first.proc.kill()
    first.finish()
    orphan = first.apache()
    assert alive(orphan) and first.get(EVENT) == 200
    second = runs("--db", db)
    assert second.ready() == 200
    assert f"stopping Apache pid {orphan}, left running by an earlier" in second.output
    assert not alive(orphan)
    assert second.apache() != orphan and second.get(EVENT) == 200
    assert second.stop() == 0


@pytest.mark.skipif("pgsql" not in STORES, reason="PostgreSQL left out by NEWSEVENT_STORES")
def test_a_postgresql_a_killed_run_left_is_stopped(runs):
    pg_dir = os.path.join(runs.base, "pg")
    first = runs("--store", "pgsql", "--pg-dir", pg_dir)
    assert first.ready() == 200
    first.proc.kill()                            # as a closed terminal would
    first.finish()
    pg = Postgres(pg_dir)
    postmaster, orphan = pg.postmaster(), first.apache()
    assert postmaster and alive(orphan)
    second = runs("--store", "pgsql", "--pg-dir", pg_dir)
    assert second.ready() == 200
    out = second.output
    assert "Traceback" not in out
    assert f"stopping Apache pid {orphan}" in out
    assert f"stopping the PostgreSQL left running in {pg_dir} (pid {postmaster})" in out
    assert not alive(postmaster) and pg.postmaster() not in (None, postmaster)
    assert second.get(EVENT) == 200
    assert second.stop() == 0
    assert pg.postmaster() is None and not alive(second.apache())
    # A postmaster.pid whose number now belongs to another process.
    with open(os.path.join(pg_dir, "postmaster.pid"), "w") as f:
        f.write("%d\n%s\n" % (os.getpid(), pg_dir))
    third = runs("--store", "pgsql", "--pg-dir", pg_dir)
    assert third.ready() == 200
    assert "removing %s/postmaster.pid (no PostgreSQL of ours" % pg_dir in third.output
    assert third.get(EVENT) == 200
    assert third.stop(signal.SIGHUP) == 0
    assert pg.postmaster() is None


def test_make_run_lets_the_editor_write(runs):
    """make run prints a user for writes and a curl example; the example
    works as printed, and without the password nothing is written."""
    db = make_store(os.path.join(runs.base, "store"))
    run = runs("--db", db)
    assert run.ready() == 200
    out = run.output
    assert "user editor, password editor" in out
    cmd = out.split("curl ", 1)[1].split("\n  configuration:")[0]
    cmd = "curl -s -o /dev/null -w '%{http_code}' " + cmd.replace("\\\n", " ")
    assert subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout == "201"
    assert run.get("/news/2026/12/07/hello-from-an-editor") == 200
    conn = http.client.HTTPConnection("127.0.0.1", run.port, timeout=5)
    conn.request("DELETE", "/news/2026/12/07/hello-from-an-editor")
    assert conn.getresponse().status == 401
    conn.close()
    assert run.get("/news/2026/12/07/hello-from-an-editor") == 200
    assert run.stop() == 0
