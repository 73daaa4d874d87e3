#!/usr/bin/env python3
"""Import-cycle check for every crate of the workspace: the library (src/,
root lib.rs; src/bin excluded: a separate crate) and the CLI (cli/src, root
main.rs).

Edges: every `crate::…`, `super::…` and `self::…` path in code (comments,
strings and doc comments stripped), resolved to the file of the longest module
prefix, within one crate. `mod x;` declarations are not edges; `pub use`
re-exports are. Fails (exit 1) on any cycle between files, on any edge into a
crate's root (an upward arrow: src/lib.rs re-exports for users and
cli/src/main.rs only dispatches; modules reach each other through the owning
module), and on any edge out of the files listed in LEAVES.

    scripts/check-cycles.py [--edges]
"""
import os
import re
import sys

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
# (source folder, crate root file, leaves: file -> allowed targets)
CRATES = [
    ("src", "lib.rs", {"error.rs": {"alg.rs"}, "alg.rs": set()}),
    ("cli/src", "main.rs", {"failure.rs": set()}),
]


def module_files(root, root_file):
    """Maps module path tuple -> file (relative to `root`)."""
    mods = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        if rel.split(os.sep)[0] == "bin":
            continue
        parts = [] if rel == "." else rel.split(os.sep)
        for f in filenames:
            if not f.endswith(".rs"):
                continue
            path = os.path.normpath(os.path.join(rel, f))
            if parts == [] and f == root_file:
                mods[()] = path
            elif f == "mod.rs":
                mods[tuple(parts)] = path
            else:
                mods[tuple(parts + [f[:-3]])] = path
    return mods


def strip(src):
    """Removes comments, string and char literals (keeps line structure)."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif c == "r" and re.match(r'r#*"', src[i:]) and not src[i - 1 : i].isalnum():
            m = re.match(r'r(#*)"', src[i:])
            end = src.find('"' + m.group(1), i + len(m.group(0)))
            i = n if end < 0 else end + 1 + len(m.group(1))
            out.append('""')
        elif c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            out.append('""')
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", src[i:]):
            i += len(re.match(r"'(\\.[^']*|[^\\'])'", src[i:]).group(0))
            out.append("' '")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def expand_use(tree):
    """Expands a use tree `a::{b, c::{d}}` into full paths."""
    tree = re.sub(r"\s+", "", re.sub(r"\s+as\s+\w+", "", tree))
    depth, start = 0, None
    for k, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                start = k
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                prefix, inner = tree[:start], tree[start + 1 : k]
                items, d, s = [], 0, 0
                for m, ch2 in enumerate(inner + ","):
                    if ch2 == "{":
                        d += 1
                    elif ch2 == "}":
                        d -= 1
                    elif ch2 == "," and d == 0:
                        if inner[s:m]:
                            items.append(inner[s:m])
                        s = m + 1
                return [p for it in items for p in expand_use(prefix + it)]
    return [tree]


def paths_in(code):
    """(module path of the enclosing inline module, path) pairs."""
    found = []
    for m in re.finditer(r"\buse\s+([^;]+);", code):
        found.extend((m.start(), p) for p in expand_use(m.group(1)))
    for m in re.finditer(r"(?<![\w:])((?:\$?crate|super|self)(?:::\w+)+)", code):
        found.append((m.start(), m.group(1)))
    return found


def inline_mods(code):
    """[(start, end, name)] of inline `mod name { … }` blocks."""
    spans = []
    for m in re.finditer(r"\bmod\s+(\w+)\s*\{", code):
        depth, k = 1, m.end()
        while k < len(code) and depth:
            depth += {"{": 1, "}": -1}.get(code[k], 0)
            k += 1
        spans.append((m.start(), k, m.group(1)))
    return spans


def resolve(mods, here, path):
    segs = path.split("::")
    if segs[0] in ("crate", "$crate"):
        base, segs = [], segs[1:]
    else:
        base = list(here)
        while segs and segs[0] in ("super", "self"):
            if segs.pop(0) == "super":
                base = base[:-1]
    full = base + [s for s in segs if s not in ("*", "self")]
    for k in range(len(full), -1, -1):
        if tuple(full[:k]) in mods:
            return mods[tuple(full[:k])], tuple(full[:k])
    return None, None


def check(folder, root_file, leaves):
    """(files, edges, cycles, problems) of one crate."""
    root = os.path.join(TOP, folder)
    mods = module_files(root, root_file)
    files = {v: k for k, v in mods.items()}
    edges = {f: set() for f in files}
    for f, modpath in files.items():
        code = strip(open(os.path.join(root, f), encoding="utf-8").read())
        spans = inline_mods(code)
        for pos, path in paths_in(code):
            here = list(modpath)
            for s, e, name in spans:
                if s <= pos < e:
                    here.append(name)
            target, tmod = resolve(mods, here, path)
            if target and target != f:
                # `super::x` from an inline module resolving back to this file
                edges[f].add(target)
    problems = []
    for f, ts in sorted(edges.items()):
        if root_file in ts:
            problems.append(f"{folder}/{f} imports through the crate root ({root_file})")
        if f in leaves and ts - leaves[f]:
            problems.append(
                f"{folder}/{f} must import nothing above it, imports {sorted(ts - leaves[f])}"
            )
    # cycles: Tarjan's strongly connected components
    index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
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
                sccs.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    for comp in sccs:
        inner = [f"{a} -> {b}" for a in comp for b in sorted(edges[a]) if b in comp]
        problems.append(f"cycle in {folder}: " + "; ".join(inner))
    if "--edges" in sys.argv:
        for f, ts in sorted(edges.items()):
            print(f"{folder}/{f}: {' '.join(sorted(ts))}")
    n_edges = sum(len(t) for t in edges.values())
    return len(files), n_edges, len(sccs), problems


def main():
    total = [0, 0, 0, 0]
    for folder, root_file, leaves in CRATES:
        n_files, n_edges, n_cycles, problems = check(folder, root_file, leaves)
        for p in problems:
            print(p)
        print(
            f"{folder}: {n_files} files, {n_edges} edges, {n_cycles} cycles, "
            f"{len(problems)} problems"
        )
        for i, v in enumerate((n_files, n_edges, n_cycles, len(problems))):
            total[i] += v
    print(f"workspace: {total[0]} files, {total[1]} edges, {total[2]} cycles, {total[3]} problems")
    return 1 if total[3] else 0


if __name__ == "__main__":
    sys.exit(main())
