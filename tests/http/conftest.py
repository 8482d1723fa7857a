"""A real Apache on a free loopback port, with the module and a fresh SQLite
store loaded from fixtures/, for the whole session. After each test the
error log must hold no new error, crash or warning line."""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "scripts"))
import newsevent_httpd  # noqa: E402

TOOL = os.path.join(REPO, "build", "newsevent")
BAD_LOG = re.compile(r"\[(?:[a-z_]+:)?(?:warn|error|crit|alert|emerg)\]|Segmentation|exit signal")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower())

    @property
    def text(self):
        return self.body.decode("utf-8")


class Server:
    """One Apache instance: start, request, stop, read its error log."""

    def __init__(self, root, db, extra="", newsevent="NewsEvent On"):
        self.root = root
        self.db = db
        self.port = free_port()
        self.conf = newsevent_httpd.make_root(root, self.port, db, extra=extra,
                                              newsevent=newsevent)
        self.proc = None
        self.log_offset = 0

    def check_config(self):
        return subprocess.run([newsevent_httpd.HTTPD, "-t", "-f", self.conf],
                              capture_output=True, text=True)

    def start(self):
        self.proc = subprocess.Popen([newsevent_httpd.HTTPD, "-f", self.conf, "-DFOREGROUND"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("apache2 exited: " + self.proc.stderr.read().decode())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("apache2 did not answer within 15 s")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    def request(self, path, method="GET", headers=None, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            headers = {}
            for k, v in r.getheaders():    # repeated fields join, as RFC 9110 allows
                k = k.lower()
                headers[k] = headers[k] + ", " + v if k in headers else v
            return Response(r.status, headers, data)
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request(path, **kw)

    def new_log_lines(self):
        path = os.path.join(self.root, "error.log")
        if not os.path.exists(path):
            return []
        with open(path, errors="replace") as f:
            f.seek(self.log_offset)
            lines = f.read().splitlines()
            self.log_offset = f.tell()
        return lines


def make_store(directory, files=None):
    db = os.path.join(directory, "store", "news.db")
    newsevent_httpd.load_fixtures(db, files)
    return db


@pytest.fixture(scope="session")
def workdir():
    d = tempfile.mkdtemp(prefix="newsevent-test-")
    os.chmod(d, 0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def server(workdir):
    root = os.path.join(workdir, "main")
    os.makedirs(root)
    db = make_store(root)
    srv = Server(root, db).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def make_server(workdir, request):
    """Start extra servers with their own configuration (and, by default, a
    store of their own): `make_server("name", extra="...", db=None)`."""
    started = []

    def make(name, extra="", newsevent="NewsEvent On", db=None, start=True):
        root = os.path.join(workdir, "%s-%s" % (request.module.__name__, name))
        os.makedirs(root, exist_ok=True)
        srv = Server(root, db or make_store(root), extra=extra, newsevent=newsevent)
        if start:
            srv.start()
            started.append(srv)
        return srv
    yield make
    for srv in started:
        srv.stop()


@pytest.fixture(autouse=True)
def clean_error_log(request):
    """Fail a test after which the shared server logged a warning or worse."""
    if "server" not in request.fixturenames:
        yield
        return
    srv = request.getfixturevalue("server")
    srv.new_log_lines()
    yield
    bad = [line for line in srv.new_log_lines() if BAD_LOG.search(line)]
    assert not bad, "error log:\n" + "\n".join(bad)


@pytest.fixture
def tool(tmp_path):
    """Run build/newsevent on a store of the test's own."""
    db = str(tmp_path / "store.db")

    def run(*args, check=True):
        r = subprocess.run([TOOL, "--params", db, *args], capture_output=True, text=True)
        if check and r.returncode != 0:
            raise AssertionError(f"newsevent {' '.join(args)}: {r.returncode}\n{r.stderr}")
        return r
    run.db = db
    return run
