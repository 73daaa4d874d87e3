#!/usr/bin/env python3
"""Compiles every C snippet of the documentation as C11 and as C++17.

    tests/c/snippets.py --include DIR --out DIR [--cc CC] [--cxx CXX] FILE.md...

Called by tests/c/consumers.sh on README.md and docs/*.md. A snippet is a
fenced code block whose info string starts with `c` (indented fences, as in
list items, count too). Two kinds, told apart by the info string:

  ```c            a whole translation unit (includes, functions, usually a
                  main), compiled as it is;
  ```c fragment   statements: the extractor wraps them in a function
                  `void snippet(void) { ... }` after the PRELUDE below, which
                  includes the standard headers and jwtmint.h and declares
                  the few inputs the docs take as given (`pem`, `now`, a
                  parsed `key`, ...). A fragment declares everything else
                  it uses, so every variable it sets must be used too.

Any other word after `c` is an error (a typo must not skip a snippet). Each
snippet is compiled with `-std=c11` and `-x c++ -std=c++17`, both with
`-Wall -Wextra -Werror`, to an object file (not linked, not run). The
output names each snippet FILE:LINE; zero snippets found is an error.
"""

import argparse
import os
import re
import subprocess
import sys

# The inputs the documentation's fragments assume. File-scope and non-static,
# so a fragment may shadow any of them and none is "unused".
PRELUDE = """\
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jwtmint.h"

/* What the docs' fragments take as given. */
const uint8_t *pem;                 /* a private key file's bytes (PEM) */
size_t pem_len;
const uint8_t *cert_pem;            /* the certificate uploaded to the IdP */
size_t cert_len;
const char *app_id;                 /* an application (client) id */
int64_t now;                        /* jwtmint_now() */
jwtmint_key *key;                   /* jwtmint_key_new_from_pem(pem, pem_len, &key) */
jwtmint_str url;                    /* a token endpoint */
struct vault { int fd; } vault;     /* where a password callback reads from */
int read_password(void *ctx, uint8_t *buf, size_t cap, size_t *len);
"""

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,})(?P<info>[^`]*)$")


def snippets(path):
    """Yields (line, kind, text) for every ```c block in the file."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = m.group("indent"), m.group("fence"), m.group("info").split()
        start = i + 1
        body = []
        i += 1
        while i < len(lines):
            close = FENCE.match(lines[i])
            if close and close.group("fence") == fence and not close.group("info").strip():
                break
            if re.match(r"^[ \t]*`{3}", lines[i]) and lines[i].strip() != fence:
                # A fence line with text after it ("``` The key ...") does not
                # close the block in CommonMark: the rest of the file renders
                # as code. Refuse it here rather than let it pass silently.
                sys.exit(f"{path}:{i + 1}: fence line with trailing text: {lines[i].strip()!r}")
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i].lstrip())
            i += 1
        else:
            sys.exit(f"{path}:{start}: unterminated code fence")
        i += 1
        if not info or info[0] != "c":
            continue
        if info[1:] == []:
            yield start, "unit", "\n".join(body) + "\n"
        elif info[1:] == ["fragment"]:
            yield start, "fragment", "\n".join(body) + "\n"
        else:
            sys.exit(f"{path}:{start}: unknown C fence info {' '.join(info)!r} (use `c` or `c fragment`)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--include", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    ap.add_argument("--cxx", default=os.environ.get("CXX", "c++"))
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    warn = ["-Wall", "-Wextra", "-Werror", "-I", args.include]
    failed = count = 0
    for path in args.files:
        for line, kind, text in snippets(path):
            count += 1
            name = re.sub(r"[^A-Za-z0-9]+", "_", f"{path}_{line}")
            src = os.path.join(args.out, name + ".c")
            with open(src, "w", encoding="utf-8") as f:
                if kind == "unit":
                    f.write(f"#line {line + 1} \"{path}\"\n{text}")
                else:
                    f.write(f"{PRELUDE}\nvoid snippet(void);\nvoid snippet(void) {{\n")
                    f.write(f"#line {line + 1} \"{path}\"\n{text}}}\n")
            for lang, cmd in (
                ("C11", [args.cc, "-std=c11", *warn, "-c", src, "-o", src + ".o"]),
                ("C++17", [args.cxx, "-x", "c++", "-std=c++17", *warn, "-c", src, "-o", src + ".cxx.o"]),
            ):
                r = subprocess.run(cmd, capture_output=True, text=True)
                if r.returncode != 0:
                    failed += 1
                    print(f"FAIL {path}:{line} ({kind}) as {lang}:\n{r.stderr}", file=sys.stderr)
                else:
                    print(f"ok   {path}:{line} ({kind}) as {lang}")
    if count == 0:
        sys.exit("no ```c snippets found")
    if failed:
        sys.exit(f"{failed} snippet compilation(s) failed")
    print(f"{count} C snippet(s) compile as C11 and C++17 (-Wall -Wextra -Werror)")


if __name__ == "__main__":
    main()
