# SPDX-License-Identifier: Apache-2.0
"""The OpenAPI 3.1 description: current with its generator, valid by a real
validator (Redocly's CLI, from npm), served at /news/openapi.json with the
location's own base path. (conftest checks every answer of the suite
against it: openapi_check.py.)"""

import json
import os
import shutil
import subprocess

import pytest

from fixtures_data import REPO

REDOCLY_VERSION = "2.77.0"
REDOCLY_DIR = os.path.join(REPO, "build", "redocly")


def redocly():
    """Redocly's CLI, installed into build/ on first use (npm's registry)."""
    exe = os.path.join(REDOCLY_DIR, "node_modules", ".bin", "redocly")
    if not os.path.exists(exe):
        os.makedirs(REDOCLY_DIR, exist_ok=True)
        if shutil.which("npm") is None:
            pytest.fail("npm is missing: scripts/deps.sh installs it")
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts",
                        "@redocly/cli@" + REDOCLY_VERSION], cwd=REDOCLY_DIR, check=True,
                       capture_output=True, timeout=300)
    return exe


def test_the_description_is_current(tmp_path):
    out = tmp_path / "openapi.json"
    subprocess.run(["/usr/bin/python3", os.path.join(REPO, "scripts", "make-openapi.py"),
                    str(out)], check=True)
    with open(os.path.join(REPO, "conf", "openapi.json")) as f:
        assert f.read() == out.read_text(), "run scripts/make-openapi.py"


def test_the_description_is_valid_openapi_3_1():
    r = subprocess.run([redocly(), "lint", "--config",
                        os.path.join(REPO, "tests", "http", "redocly.yaml"),
                        os.path.join(REPO, "conf", "openapi.json")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "valid" in r.stdout + r.stderr


def test_it_is_served_with_the_sites_base(server, make_server):
    r = server.get("/news/openapi.json")
    assert r.status == 200
    assert r.header("Content-Type") == "application/vnd.oai.openapi+json"
    doc = json.loads(r.body)
    with open(os.path.join(REPO, "conf", "openapi.json")) as f:
        assert doc == json.load(f)
    other = make_server("openapi-base", extra="NewsEventBase /archive\n")
    doc = json.loads(other.get("/archive/openapi.json").body)
    assert doc["servers"][0]["url"] == "/archive"
    assert doc["openapi"] == "3.1.0"
    for op in ("putEvent", "deleteEvent", "moveEvent", "postDay", "getSearch"):
        assert op in json.dumps(doc)
