# SPDX-License-Identifier: Apache-2.0
"""Every answer of the module the HTTP tests receive is checked against the
operation of conf/openapi.json it answers: the status is one the operation
declares, the Content-Type one its response declares, and a JSON body
matches that response's schema. Answers that are not the module's (Apache's
own 414, 400 for a broken request line: they carry no X-Content-Type-Options
the module sets) and methods the description does not name are left out."""

import json
import os
import re

import jsonschema

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASE = "/news"

with open(os.path.join(REPO, "conf", "openapi.json")) as _f:
    DESCRIPTION = json.load(_f)
CHECKED = {"answers": 0}


def _template(path):
    """A path template as a regex: literal segments first win (sorted so)."""
    return re.compile("^" + re.sub(r"\\{[a-z]+\\}", "[^/]+", re.escape(path)) + "$")


ROUTES = sorted(((p, _template(p)) for p in DESCRIPTION["paths"]),
                key=lambda pt: (pt[0].count("{"), -len(pt[0])))
METHODS = {"GET": "get", "HEAD": "get", "PUT": "put", "POST": "post", "DELETE": "delete",
           "MOVE": "x-move"}


def _schema(ref):
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": DESCRIPTION["components"]}
    root.update(ref)
    return jsonschema.Draft202012Validator(root)


def check(method, path, status, headers, body):
    """Raise AssertionError when an answer does not fit its operation."""
    if not path.startswith(BASE + "/") or "x-content-type-options" not in headers:
        return
    local = path[len(BASE):].split("?", 1)[0]
    local = re.sub(r"/index(\.[a-z]+)?$", "/", local)      # a list's index is the list
    op = None
    for candidate in (local, re.sub(r"\.(html|json|xml|md)$", "", local)):
        for template, regex in ROUTES:
            if regex.match(candidate):
                op = DESCRIPTION["paths"][template].get(METHODS.get(method, ""))
                break
        else:
            continue
        break
    if op is None:
        return
    responses = op["responses"]
    declared = responses.get(str(status))
    if declared is None and status == 301:
        return                          # a non-canonical spelling redirects, any resource
    assert declared is not None, "OpenAPI: %s %s answered %d, which %s does not declare" % (
        method, path, status, op["operationId"])
    CHECKED["answers"] += 1
    content = declared.get("content")
    ctype = (headers.get("content-type") or "").split(";")[0].strip()
    if not content or method == "HEAD" or not body:
        return
    assert ctype in content, "OpenAPI: %s %s answered %d as %s; %s declares %s" % (
        method, path, status, ctype, op["operationId"], sorted(content))
    schema = content[ctype].get("schema", {})
    if "$ref" in schema and ctype.endswith("json"):
        errors = list(_schema(schema).iter_errors(json.loads(body)))
        assert not errors, "OpenAPI: %s %s: %s" % (method, path, errors[0].message)
