# SPDX-License-Identifier: Apache-2.0
"""Real Apaches on free loopback ports, with the module and a fresh store
loaded from fixtures/: the whole suite runs once on SQLite and once on
PostgreSQL (a server the session starts on loopback and stops). After each
test the shared server's error log must hold no new warning, error or
crash line. NEWSEVENT_STORES=sqlite3 (or pgsql) limits the run to one."""

import hashlib
import http.client
import os
import re
import signal
import shutil
import subprocess
import sys
import tempfile
import time

import json

import jsonschema
import pytest
from lxml import etree

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "scripts"))
import newsevent_editors  # noqa: E402
import newsevent_httpd  # noqa: E402
import openapi_check  # noqa: E402
from newsevent_httpd import Postgres, Store, free_port  # noqa: E402,F401

TOOL = os.path.join(newsevent_httpd.BUILD, "newsevent")
CONF = os.path.join(REPO, "conf")
with open(os.path.join(CONF, "newsevent.schema.json")) as _f:
    JSON_SCHEMA = jsonschema.Draft202012Validator(json.load(_f))
XML_SCHEMAS = {
    "https://mod-newsevent.org/ns/archive/1":
        etree.XMLSchema(etree.parse(os.path.join(CONF, "newsevent.xsd"))),
    "urn:ietf:rfc:7807": etree.XMLSchema(etree.parse(os.path.join(CONF, "newsevent-problem.xsd"))),
    "http://www.sitemaps.org/schemas/sitemap/0.9":
        etree.XMLSchema(etree.parse(os.path.join(CONF, "newsevent-sitemap.xsd"))),
}
VALIDATED = {"json": 0, "xml": 0}


def validate(ctype, body):
    """Every JSON and XML document the module sends must match the schemas
    shipped in conf/ (so a change of shape cannot slip through)."""
    if not body or not ctype:
        return
    if ctype.startswith(("application/json", "application/problem+json")):
        errors = sorted(JSON_SCHEMA.iter_errors(json.loads(body)), key=lambda e: e.path)
        assert not errors, "JSON schema: %s at %s" % (errors[0].message, list(errors[0].path))
        VALIDATED["json"] += 1
    elif ctype.startswith(("application/xml", "application/problem+xml")):
        doc = etree.fromstring(body)
        schema = XML_SCHEMAS[etree.QName(doc).namespace]
        assert schema.validate(doc), "XML schema: %s" % schema.error_log.last_error
        VALIDATED["xml"] += 1


# Every distinct HTML page the suite fetches is kept (up to HTML_PER_KIND of
# each kind: event, day, month, year, front, topic, each error status) and
# checked by the W3C Nu Html Checker once, at the session's end (the JVM is
# slow to start): any error fails the session.
VNU_VERSION = "26.9.27"
VNU_DIR = os.path.join(REPO, "build", "vnu")
VNU_JAR = os.path.join(VNU_DIR, "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
HTML_PER_KIND = 60
HTML_PAGES = {}            # digest -> (kind, url, body)
HTML_KINDS = {}            # kind -> count kept
HTML_RESULT = {}           # filled at the session's end for the summary
# Apache's own error pages (a 400 for a request line it refuses, a 404
# outside the base path) are HTML 4.01: not the module's, not checked.
APACHE_PAGE = re.compile(rb'^<!DOCTYPE HTML PUBLIC "')
# One page of each kind, in HTML, fetched from the main server at its end
# so the checker sees them all even when only some tests ran.
EVERY_KIND = [(path, "GET", "text/html") for path in (
    "/news/2017/11/23/sudanese-president-omar-al-bashir-wanted-by-the-icc-for-allegations-of-"
    "genocide-and-war-crimes-asks-russian-president-vladimir-putin-for-i",
    "/news/2017/11/23/", "/news/2017/11/", "/news/2017/", "/news/", "/news/topics/russia",
    "/news/2017/11/23/no-such-event", "/news/topics/russia?page=0")
] + [("/news/", "POST", "text/html"), ("/news/2017/11/23/", "GET", "image/png")]


def html_kind(status, path):
    if status != 200:
        return "status-%d" % status
    path = path.split("?", 1)[0]
    for kind, pattern in (("topic", r"/topics/[^/]+"),
                          ("day", r"/\d{4}/\d\d/\d\d/(?:index(?:\.[a-z]+)?)?"),
                          ("event", r"/\d{4}/\d\d/\d\d/[^/]+"),
                          ("month", r"/\d{4}/\d\d/(?:index(?:\.[a-z]+)?)?"),
                          ("year", r"/\d{4}/(?:index(?:\.[a-z]+)?)?")):
        if re.search(pattern + "$", path):
            return kind
    return "site" if path == "/" else "front"


def collect_html(ctype, status, path, body):
    if not body or not ctype or not ctype.startswith("text/html") or status == 206 \
            or APACHE_PAGE.match(body):
        return
    digest = hashlib.sha256(body).hexdigest()
    if digest in HTML_PAGES:
        return
    kind = html_kind(status, path)
    if HTML_KINDS.get(kind, 0) >= HTML_PER_KIND:
        return
    HTML_KINDS[kind] = HTML_KINDS.get(kind, 0) + 1
    HTML_PAGES[digest] = (kind, path, body)


BAD_LOG = re.compile(r"\[(?:[a-z_]+:)?(?:warn|error|crit|alert|emerg)\]|Segmentation|exit signal")
STORES = [s for s in os.environ.get("NEWSEVENT_STORES", "sqlite3 pgsql").split() if s]


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

    def __init__(self, root, store, extra="", newsevent="NewsEvent On", conf_text=None):
        self.root = root
        self.store = store
        self.port = free_port()
        self.conf = newsevent_httpd.make_root(root, self.port, store, extra=extra,
                                              newsevent=newsevent)
        if conf_text is not None:
            with open(self.conf, "w") as f:
                f.write(conf_text.replace("@PORT@", str(self.port)).replace("@ROOT@", root))
        self.proc = None
        self.log_offset = 0

    def check_config(self):
        return subprocess.run([newsevent_httpd.HTTPD, "-t", "-f", self.conf],
                              capture_output=True, text=True,
                              env=newsevent_httpd.sanitizer_env())

    def start(self):
        cmd = [newsevent_httpd.HTTPD, "-f", self.conf, "-DFOREGROUND"]
        if os.environ.get("NEWSEVENT_VALGRIND") == "1":
            # One process, one request at a time, under memcheck (make valgrind).
            # --keep-debuginfo: Apache unloads the module before exit, and the
            # leak report must still name its frames.
            cmd = ["valgrind", "--quiet", "--leak-check=full", "--show-leak-kinds=definite",
                   "--keep-debuginfo=yes",
                   "--errors-for-leak-kinds=definite", "--num-callers=30",
                   "--log-file=" + os.path.join(self.root, "valgrind.%p"),
                   newsevent_httpd.HTTPD, "-X", "-f", self.conf]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     env=newsevent_httpd.sanitizer_env(self.root))
        deadline = time.monotonic() + (120 if "valgrind" in cmd[0] else 15)
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("apache2 exited: " + self.proc.stderr.read().decode())
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("GET", "/")
                conn.getresponse().read()
                conn.close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("apache2 did not answer within 15 s")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        reports = self.sanitizer_reports()
        assert not reports, "sanitizer report:\n" + reports[0][:3000]

    def request(self, path, method="GET", headers=None, body=None, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            headers = {}
            for k, v in r.getheaders():    # repeated fields join, as RFC 9110 allows
                k = k.lower()
                headers[k] = headers[k] + ", " + v if k in headers else v
            plain = data
            if headers.get("content-encoding") == "gzip":
                import gzip
                plain = gzip.decompress(data)
            validate(headers.get("content-type"), plain)
            openapi_check.check(method, path, r.status, headers, plain)
            if method != "HEAD":
                collect_html(headers.get("content-type"), r.status, path, plain)
            return Response(r.status, headers, data)
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request(path, **kw)

    def sanitizer_reports(self):
        """What ASan or UBSan (make SANITIZE=1) or memcheck (make valgrind)
        wrote about this server: reports of invalid access, and leaks whose
        stack holds the module's code."""
        import glob
        out = []
        for path in glob.glob(os.path.join(self.root, "asan.*")) + glob.glob(
                os.path.join(self.root, "ubsan.*")):
            with open(path, errors="replace") as f:
                out.append(f.read())
        for path in glob.glob(os.path.join(self.root, "valgrind.*")):
            with open(path, errors="replace") as f:
                text = f.read()
            for block in re.split(r"\n(?===\d+== \S)", text):
                ours = re.search(r"mod_newsevent|\bne_[a-z_]+ \(", block)
                access = "Invalid " in block or "uninitialised" in block
                # Apache -X unloads the modules' DSOs before its last pool
                # cleanups run at exit: reads there are Apache's own.
                if (access and (ours or "__run_exit_handlers" not in block)) or \
                        ("definitely lost" in block and ours):
                    out.append(block)
        return out

    def new_log_lines(self):
        path = os.path.join(self.root, "error.log")
        if not os.path.exists(path):
            return []
        with open(path, errors="replace") as f:
            f.seek(self.log_offset)
            lines = f.read().splitlines()
            self.log_offset = f.tell()
        return lines


class Stores:
    """Makes stores of one kind for a session: SQLite files under a folder,
    or databases on the session's PostgreSQL."""

    def __init__(self, kind, workdir, pg):
        self.kind, self.workdir, self.pg = kind, workdir, pg
        self.count = 0

    def sql(self, store, sql):
        """Run statements on a store of this kind, behind the module's back
        (an older schema, a damaged row)."""
        if self.kind == "pgsql":
            self.pg.psql(store.params.split("dbname=")[1].split()[0], sql)
            return
        import sqlite3
        db = sqlite3.connect(store.params)
        db.executescript(sql)
        db.close()

    def make(self, name=None, files=None, prefix=""):
        self.count += 1
        name = "%s_%d" % (re.sub(r"[^a-z0-9]+", "_", (name or "store").lower()), self.count)
        if self.kind == "pgsql":
            return self.pg.store(name, files, prefix=prefix)
        return newsevent_httpd.sqlite_store(os.path.join(self.workdir, "stores", name,
                                                         "news.db"), files, prefix)


@pytest.fixture(scope="session")
def workdir():
    d = tempfile.mkdtemp(prefix="newsevent-test-")
    os.chmod(d, 0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres(workdir):
    """The session's PostgreSQL, started once when a test needs it."""
    if "pgsql" not in STORES:
        pytest.skip("PostgreSQL left out by NEWSEVENT_STORES")
    pg = Postgres(os.path.join(workdir, "pg")).start()
    yield pg
    pg.stop()


@pytest.fixture(scope="session", params=STORES)
def stores(request, workdir):
    pg = request.getfixturevalue("postgres") if request.param == "pgsql" else None
    return Stores(request.param, workdir, pg)


@pytest.fixture(scope="session")
def server(workdir, stores):
    root = os.path.join(workdir, "main-" + stores.kind)
    os.makedirs(root)
    srv = Server(root, stores.make("main")).start()
    yield srv
    for path, method, accept in EVERY_KIND:    # whatever the session ran, for the checker
        srv.request(path, method=method, headers={"Accept": accept})
    srv.stop()


@pytest.fixture(scope="module")
def make_server(workdir, stores, request):
    """Start extra servers with their own configuration and, unless one is
    given, a store of their own: `make_server("name", extra="...")`."""
    started = []

    def make(name, extra="", newsevent="NewsEvent On", store=None, start=True,
             conf_text=None):
        root = os.path.join(workdir, "%s-%s-%s" % (request.module.__name__, name, stores.kind))
        os.makedirs(root, exist_ok=True)
        srv = Server(root, store or stores.make(name), extra=extra, newsevent=newsevent,
                     conf_text=conf_text)
        started.append(srv)            # stopped at the end, even if a test starts it
        if start:
            srv.start()
        return srv
    yield make
    failures = []
    for srv in started:                # stop them all, then report
        try:
            srv.stop()
        except AssertionError as e:
            failures.append(str(e))
    assert not failures, failures[0]


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
    reports = srv.sanitizer_reports()
    assert not reports, "sanitizer report:\n" + reports[0][:3000]


@pytest.fixture
def tool(stores):
    """Run build/newsevent on an empty store of the test's own."""
    stores.count += 1
    name = "tool_%d" % stores.count
    if stores.kind == "pgsql":
        stores.pg.store(name, files=[os.devnull])
        store = Store("pgsql", "host=127.0.0.1 port=%d user=postgres dbname=%s"
                      % (stores.pg.port, name))
    else:
        db = os.path.join(stores.workdir, "stores", name, "news.db")
        os.makedirs(os.path.dirname(db))
        store = Store("sqlite3", db)

    def run(*args, check=True):
        r = store.tool(*args, check=False)
        if check and r.returncode != 0:
            raise AssertionError(f"newsevent {' '.join(args)}: {r.returncode}\n{r.stderr}")
        return r
    run.store = store
    return run


def vnu_install():
    """vnu-jar from the npm registry into build/vnu, once. --ignore-scripts:
    its install script would download a Java of its own; Debian's
    (default-jre-headless, scripts/deps.sh) runs it."""
    if os.path.exists(VNU_JAR):
        return None
    if not shutil.which("npm"):
        return "npm is not installed (apt-get install npm)"
    os.makedirs(VNU_DIR, exist_ok=True)
    r = subprocess.run(["npm", "install", "--prefix", VNU_DIR, "--ignore-scripts", "--no-audit",
                        "--no-fund", "--loglevel=error", "vnu-jar@" + VNU_VERSION],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0 or not os.path.exists(VNU_JAR):
        return "npm install vnu-jar@%s failed:\n%s" % (VNU_VERSION, r.stderr[-2000:])
    return None


def check_html():
    """Write the pages kept to build/vnu/pages/ and run the Nu Html Checker on
    them all at once; return (pages, seconds, [error lines])."""
    pages_dir = os.path.join(VNU_DIR, "pages")
    start = time.monotonic()
    problem = vnu_install()
    if problem:
        return 0, 0.0, ["Nu Html Checker: " + problem]
    java = shutil.which("java")
    if not java:
        return 0, 0.0, ["Nu Html Checker: java is not installed (scripts/deps.sh installs "
                        "default-jre-headless)"]
    shutil.rmtree(pages_dir, ignore_errors=True)
    os.makedirs(pages_dir)
    files, urls, seq = [], {}, {}
    for kind, path, body in HTML_PAGES.values():
        seq[kind] = seq.get(kind, 0) + 1
        name = os.path.join(pages_dir, "%s-%03d.html" % (kind, seq[kind]))
        with open(name, "wb") as f:
            f.write(body)
        files.append(name)
        urls[name] = path
    # The client compiler only: a third of the CPU time for one short run;
    # it needs a deeper stack than the default to evaluate the schema.
    r = subprocess.run([java, "-Xss8m", "-XX:TieredStopAtLevel=1", "-jar", VNU_JAR,
                        "--errors-only", "--format", "json"] + files,
                       capture_output=True, text=True, timeout=600)
    seconds = time.monotonic() - start
    try:
        messages = json.loads(r.stderr or r.stdout)["messages"]
    except (ValueError, KeyError):
        return len(files), seconds, ["Nu Html Checker did not run (exit %d):\n%s"
                                     % (r.returncode, (r.stderr or r.stdout)[-2000:])]
    errors = []
    for m in messages:
        if m.get("type") in ("error", "non-document-error"):
            name = m.get("url", "").replace("file:", "")
            errors.append("%s:%s: %s  [%s]" % (os.path.relpath(name, REPO), m.get("lastLine", "?"),
                                               m.get("message"), urls.get(name, "?")))
    return len(files), seconds, errors


def pytest_sessionfinish(session, exitstatus):
    if not HTML_PAGES or exitstatus == pytest.ExitCode.INTERRUPTED:
        return
    count, seconds, errors = check_html()
    HTML_RESULT.update(count=count, seconds=seconds, errors=errors)
    if errors:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line("schemas: %d JSON and %d XML documents validated against conf/"
                                % (VALIDATED["json"], VALIDATED["xml"]))
    terminalreporter.write_line("openapi: %d answers checked against the operations of "
                                "conf/openapi.json" % openapi_check.CHECKED["answers"])
    if not HTML_RESULT:
        return
    kinds = ", ".join("%d %s" % (n, k) for k, n in sorted(HTML_KINDS.items()))
    terminalreporter.write_line("html: %d pages (%s) checked by the Nu Html Checker %s in %.1f s"
                                % (HTML_RESULT["count"], kinds, VNU_VERSION,
                                   HTML_RESULT["seconds"]))
    if HTML_RESULT["errors"]:
        terminalreporter.section("Nu Html Checker", sep="=", red=True, bold=True)
        for line in HTML_RESULT["errors"]:
            terminalreporter.write_line(line)
        # Counted in the final line ("N passed, K html errors"), and the
        # session fails (exit status 1).
        terminalreporter.stats["html errors"] = HTML_RESULT["errors"]
