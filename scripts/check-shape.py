#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The code's shape, checked (make shape, part of make test):

- no two C files call each other in a circle, read from the symbols of
  their objects (nm): file A uses a symbol file B defines is an edge A -> B;
- the core (ne_*.c) includes no httpd header, and the tool's files
  (newsevent*.c) none either;
- no source file over 600 lines;
- every source file carries its SPDX line;
- no comment cites a document the repository does not hold (the product specification).

Usage: check-shape.py OBJDIR  (the objects of every .c under mod_newsevent/)
"""
import glob
import os
import re
import subprocess
import sys

SRC = "mod_newsevent"
MAX_LINES = 600
HTTPD_HEADERS = re.compile(r'#\s*include\s*[<"](httpd|http_\w+|ap_\w+|mod_\w+|util_\w+)\.h[>"]')


# The module record: mod_newsevent.c's table names the hooks of the other
# glue files, and each of them looks its configuration up through the
# record's index. That is how every multi-file Apache module is joined, a
# lookup rather than a call, and no edge here.
MODULE_RECORD = "newsevent_module"


def symbol_graph(objdir):
    defs, uses = {}, {}
    for obj in sorted(glob.glob(os.path.join(objdir, "*.o"))):
        name = os.path.basename(obj)[:-2]
        out = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "TDBRC":
                defs.setdefault(parts[2], name)
            elif len(parts) == 2 and parts[0] == "U" and parts[1] != MODULE_RECORD:
                uses.setdefault(name, set()).add(parts[1])
    return {a: {defs[s] for s in u if s in defs and defs[s] != a} for a, u in uses.items()}


def circles(graph):
    """Every strongly connected set of more than one file (Tarjan)."""
    index, low, stack, on, found, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def sources():
    files = glob.glob(os.path.join(SRC, "*.[ch]"))
    for pattern in ("tests/unit/*.[ch]", "tests/fuzz/*.[ch]", "tests/bench/*.c",
                    "scripts/*.py", "scripts/*.sh", "tests/http/*.py", "tests/bench/*.py"):
        files += glob.glob(pattern)
    return sorted(files)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    problems = []
    graph = symbol_graph(sys.argv[1])
    if not graph:
        problems.append(f"no objects in {sys.argv[1]}")
    for comp in circles(graph):
        calls = [f"{a} -> {b}" for a in comp for b in sorted(graph.get(a, ())) if b in comp]
        problems.append("files calling each other in a circle: " + ", ".join(calls))
    for path in sources():
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        lines = text.count("\n")
        base = os.path.basename(path)
        if lines > MAX_LINES:
            problems.append(f"{path}: {lines} lines (at most {MAX_LINES})")
        if "SPDX-License-Identifier: Apache-2.0" not in "\n".join(text.splitlines()[:3]):
            problems.append(f"{path}: no SPDX line in its first three lines")
        if re.search(r"\bS" + r"PEC\b", text):
            problems.append(f"{path}: cites the product specification, which the repository does not hold")
        if path.startswith(SRC) and not base.startswith("mod_newsevent"):
            for m in HTTPD_HEADERS.finditer(text):
                problems.append(f"{path}: the core includes an httpd header: {m.group(0)}")
    for p in problems:
        print("shape:", p)
    print(f"shape: {len(graph)} objects, {len(sources())} source files, "
          f"{len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
