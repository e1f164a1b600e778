#!/usr/bin/env bash
# Fails when a crate linked into the tissu binary can only be used under a GPL
# family licence (GPL, AGPL, LGPL) or declares none: tissu is MIT OR
# Apache-2.0, so that any public body can adopt it. Offline: reads
# `cargo metadata` (the lock file) and walks the normal dependencies from the
# package for the Linux target; dev-dependencies and build-dependencies are
# not linked into the binary and are left out.
#   bash .ci/licences.sh             (prints the licences seen, with their counts)
#   bash .ci/licences.sh FILE.json   (checks that `cargo metadata` output instead)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 >/dev/null; }
if [[ $# -gt 0 ]]; then
    metadata=$1
else
    metadata=$(mktemp)
    trap 'rm -f "$metadata"' EXIT
    cargo metadata --format-version 1 --locked --offline \
        --filter-platform x86_64-unknown-linux-gnu >"$metadata"
fi
python3 - "$metadata" <<'PY'
import json, re, sys
meta = json.load(open(sys.argv[1]))
packages = {p["id"]: p for p in meta["packages"]}
nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
root = meta["resolve"]["root"]
seen, todo = set(), [root]
while todo:
    current = todo.pop()
    if current in seen:
        continue
    seen.add(current)
    for dep in nodes[current]["deps"]:
        # Only what is linked: normal dependencies (kind null).
        if any(k["kind"] is None for k in dep["dep_kinds"]):
            todo.append(dep["pkg"])
seen.discard(root)

def copyleft_only(expression):
    """Every alternative of the SPDX expression is of the GPL family."""
    flat = expression.replace("(", " ").replace(")", " ")
    alternatives = [a for a in re.split(r"\s+OR\s+|/", flat) if a.strip()]
    return all(re.search(r"\b(A|L)?GPL", a) for a in alternatives)

counts, refused = {}, []
for pid in sorted(seen):
    p = packages[pid]
    name = f"{p['name']} {p['version']}"
    licence = p.get("license") or ""
    if not licence:
        refused.append(f"{name}: no licence declared (licence file: {p.get('license_file')})")
        continue
    counts[licence] = counts.get(licence, 0) + 1
    if copyleft_only(licence):
        refused.append(f"{name}: {licence}")
for licence, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
    print(f"{n:4}  {licence}")
print(f"{len(seen)} crates linked into the binary")
if refused:
    print("GPL-family or undeclared licence in the binary:", file=sys.stderr)
    for line in refused:
        print("  " + line, file=sys.stderr)
    sys.exit(1)
print("no GPL, AGPL or LGPL-only crate in the binary")
PY
