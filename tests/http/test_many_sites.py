# SPDX-License-Identifier: Apache-2.0
"""A thousand sites (issue 17): one Apache, 1,000 name-based virtual hosts,
each with a SQLite store of its own, mod_dbd's default pool settings (one
connection per host opened in every child as it starts), the event MPM's
children starting together. The error log holds no warning or worse, at
the start or after serving, and every site serves its own archive to
concurrent clients. (Before the statements were prepared on first use,
every start logged "failed to prepare SQL statements: database is locked"
and "AH00636: child init failed!": the children's first reads of a store
meeting SQLite's rebuilding of its WAL index.) Figures and settings:
tests/bench/many_sites.py, README.md "Hosting many sites"."""

import os
import sys
import time

import pytest

from conftest import BAD_LOG, REPO, STORES, Server

sys.path.insert(0, os.path.join(REPO, "tests", "bench"))
import many_sites  # noqa: E402

SITES = 1000
CHILDREN = 3        # the event MPM's StartServers (its compiled-in default)


@pytest.fixture(scope="module")
def many(workdir):
    if os.environ.get("NEWSEVENT_VALGRIND") == "1":
        pytest.skip("Apache -X under valgrind: one process, no children starting together")
    if "sqlite3" not in STORES:
        pytest.skip("SQLite left out by NEWSEVENT_STORES")
    t0 = time.monotonic()
    stores = many_sites.sqlite_stores(os.path.join(workdir, "many-sites"), SITES)
    made = time.monotonic() - t0
    root = os.path.join(workdir, "many-sites-apache")
    os.makedirs(root)
    srv = Server(root, stores[0], newsevent="", extra="StartServers %d\n" % CHILDREN
                 + 'LogFormat "%P %{Host}i %>s" sites\n'
                 + 'CustomLog "' + root + '/sites.log" sites\n' + many_sites.vhosts(stores))
    t0 = time.monotonic()
    srv.start()
    srv.kids = many_sites.wait_children(srv.proc.pid, count=CHILDREN, seconds=60)
    print("\n%d stores made in %.1f s; Apache's %d children ready in %.1f s"
          % (SITES, made, len(srv.kids), time.monotonic() - t0))
    yield srv
    srv.stop()


def bad(srv):
    return [line for line in srv.new_log_lines() if BAD_LOG.search(line)]


def test_the_start_logs_nothing_wrong(many):
    assert len(many.kids) >= 2, "the children must start together"
    assert not bad(many), "error log at the start:\n" + "\n".join(bad(many)[:5])


def test_every_site_serves_its_own_archive(many):
    """Each site's event and front page, from 16 clients: 2,000 requests."""
    t0 = time.monotonic()
    failures = many_sites.serve_all(many.port, SITES, clients=16, seconds=90,
                                    paths=["/news/index.json"])
    took = time.monotonic() - t0
    assert not failures, "%d failures, the first: %r" % (len(failures), failures[:5])
    served = {}
    with open(os.path.join(many.root, "sites.log")) as f:
        for line in f:
            pid, host = line.split()[:2]
            served.setdefault(pid, set()).add(host)
    print("\n%d requests in %.1f s; sites each child served: %s"
          % (2 * SITES, took, sorted(len(h) for h in served.values())))
    assert not bad(many), "error log after serving:\n" + "\n".join(bad(many)[:5])


def test_no_site_sees_another_sites_event(many):
    for i in range(0, SITES, 50):
        other = (i + 1) % SITES
        status, _ = many_sites.get(many.port, many_sites.site(i),
                                   many_sites.event_path(other) + ".json")
        assert status == 404, (i, other, status)
