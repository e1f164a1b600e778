#!/usr/bin/env bash
# Load test of the respondent's step save: POST /r/{token}/liens with 10 links of
# 2 kinds each (30 rows) through the real form handler of a release build.
# Prints wrk's req/s and latency distribution (p50/p90/p99), the saves per COMMIT
# (the writer's group commit logs each batch at debug level), then the statements
# one save sends to SQLite, counted from sqlx's own statement log in a second,
# sequential pass (the server restarted with RUST_LOG=sqlx::query=debug).
#   bash bench/step_saves.sh [connections=64] [seconds=20]
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${1:-64}
SECONDS_RUN=${2:-20}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
# TISSU_BIN: another build to measure (e.g. a copy of the previous version's
# binary, to compare before and after back to back in the same conditions).
if [ -z "${TISSU_BIN:-}" ]; then cargo build --release --quiet; fi
bin=${TISSU_BIN:-./target/release/tissu}
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
db="sqlite://$work/bench.db"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$bin --database "$db" --bind "127.0.0.1:$port" demo --no-serve --links 64 > "$work/demo.txt"
RUST_LOG=warn,tissu::store::db::group_commit=debug ${STRACE:-} $bin --database "$db" --bind "127.0.0.1:$port" serve > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

# Build the form bodies from the real pages: catalogue ids and directory names.
python3 - "$work" "$port" <<'PY'
import re, sys, urllib.request, urllib.parse, html
work, port = sys.argv[1], sys.argv[2]
links = [l.split()[2] for l in open(f"{work}/demo.txt") if l.startswith("lien : ")]
csrf = "b" * 43
page = urllib.request.urlopen(urllib.request.Request(links[0] + "/liens", headers={"Cookie": f"tissu_csrf={csrf}"})).read().decode()
kinds = sorted(set(re.findall(r'name="kinds_0" value="(\d+)"', page)), key=int)
intensities = re.findall(r'<option value="(\d+)"', page.split('id="intensity_0"')[1].split("</select>")[0])
firms = [html.unescape(n) for n in re.findall(r'<option value="([^"]+)"></option>', page)]
paths, bodies = [], []
for i, link in enumerate(links):
    fields = [("csrf", csrf), ("rows", "10"), ("action", "next")]
    for r in range(10):
        firm = firms[(i * 7 + r * 3) % len(firms)]
        fields += [(f"firm_{r}", firm), (f"kinds_{r}", kinds[r % len(kinds)]), (f"kinds_{r}", kinds[(r + 3) % len(kinds)]),
                   (f"intensity_{r}", intensities[r % len(intensities)]), (f"status_{r}", "existing" if r % 4 else "wished")]
    paths.append(urllib.parse.urlparse(link).path + "/liens")
    bodies.append(urllib.parse.urlencode(fields))
# A self-link would be refused with 422: drop the respondent's own firm by checking once.
ok = []
for p, b in zip(paths, bodies):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{p}", data=b.encode(), method="POST",
        headers={"Cookie": f"tissu_csrf={csrf}", "Content-Type": "application/x-www-form-urlencoded"})
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k): return None
    try:
        urllib.request.build_opener(NoRedirect).open(req)
    except urllib.error.HTTPError as e:
        if e.code == 303: ok.append((p, b))
with open(f"{work}/saves.lua", "w") as f:
    f.write('local paths = {' + ",".join('"%s"' % p for p, _ in ok) + '}\n')
    f.write('local bodies = {' + ",".join('"%s"' % b for _, b in ok) + '}\n')
    f.write('local n = 0\n')
    f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n')
    f.write('wrk.headers["Cookie"] = "tissu_csrf=%s"\n' % csrf)
    f.write('request = function()\n  n = n + 1\n  local i = (n % #paths) + 1\n  return wrk.format(nil, paths[i], nil, bodies[i])\nend\n')
import json
json.dump(ok, open(f"{work}/saves.json", "w"))
print(f"{len(ok)} respondents, body {len(ok[0][1])} bytes, 10 links x 2 kinds = 30 rows per save")
PY
echo "wrk: $CONNECTIONS connections, ${SECONDS_RUN}s, 2 threads"
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }  # user + system, in 1/100 s
cpu_before=$(cpu)
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -s "$work/saves.lua" "http://127.0.0.1:$port" | tee "$work/wrk.txt"
saves=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
echo "server CPU: $(( ($(cpu) - cpu_before) * 10000 / saves )) µs per save (user + system, all threads)"
echo "(wrk counts 303 redirects as success; any other status shows as 'Non-2xx or 3xx responses')"
python3 - "$work/server.log" "$saves" > "$work/batches.txt" <<'PY'
import re, sys
ansi = re.compile(r"\x1b\[[0-9;]*m")
batches = [int(m.group(1)) for l in open(sys.argv[1]) if "group commit" in l
           for m in [re.search(r"saves=(\d+)", ansi.sub("", l))] if m]
reruns = sum(1 for l in open(sys.argv[1]) if "group commit" in l and "rerun=true" in ansi.sub("", l))
if not batches:
    print("saves per COMMIT: 1 (this build commits each save on its own)")
else:
    batches.sort()
    mean = sum(batches) / len(batches)
    print(f"saves per COMMIT: mean {mean:.1f}, median {batches[len(batches) // 2]}, largest {batches[-1]} "
          f"({len(batches)} COMMITs for {sum(batches)} saves; wrk counted {sys.argv[2]})")
    print(f"batches run again in savepoints (a save not kept): {reruns}")
    print(f"mean={mean}")
PY
grep -v '^mean=' "$work/batches.txt"

# Statements per save: the same server on the same database, with sqlx logging
# every statement it sends to SQLite's thread (one line each), for saves made one
# at a time.
kill $server; wait $server 2>/dev/null || true
RUST_LOG=warn,sqlx::query=debug $bin --database "$db" --bind "127.0.0.1:$port" serve > "$work/count.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
python3 - "$work" "$port" <<'PY'
import json, re, sys, time, urllib.request
work, port = sys.argv[1], sys.argv[2]
batch = [float(l[5:]) for l in open(f"{work}/batches.txt") if l.startswith("mean=")]
saves = json.load(open(f"{work}/saves.json"))[:40]
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k): return None
opener = urllib.request.build_opener(NoRedirect)
def post(path, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body.encode(), method="POST",
        headers={"Cookie": "tissu_csrf=" + "b" * 43, "Content-Type": "application/x-www-form-urlencoded"})
    try:
        opener.open(req)
    except urllib.error.HTTPError as e:
        assert e.code == 303, e.code
time.sleep(0.5)
start = len(open(f"{work}/count.log").readlines())
for path, body in saves:
    post(path, body)
time.sleep(0.5)
ansi = re.compile(r"\x1b\[[0-9;]*m")
lines = [ansi.sub("", l) for l in open(f"{work}/count.log").readlines()[start:]]
lines = [l for l in lines if "summary=" in l]
# A build whose readers log at the same level as the writer (before this count
# existed) also shows the handler's reads and the mail worker's polling: they
# run on the readers, outside the save's transaction, and are left out.
outside = ("token_hash", "catalogue_version", "FROM catalogue_entries", "FROM outbox")
ours = [l for l in lines if not any(o in l for o in outside)]
def statements(line):
    sql = re.search(r'db\.statement="(.*?)" rows_affected', line)
    sql = sql.group(1) if sql and sql.group(1) else "x"
    return sql.count(";\\n") + 1
n = len(saves)
trips = len(ours) / n
sql = sum(statements(l) for l in ours) / n
print(f"per save ({n} saves one at a time): {trips + 2:.1f} round trips to SQLite's writer thread "
      f"({trips:.1f} logged by sqlx, plus BEGIN and COMMIT, which it sends as commands of their own), "
      f"{sql + 2:.1f} SQL statements (the triggers' own statements not counted)")
if batch:
    # Under load the saves run one after the other in one transaction, with no
    # SAVEPOINT (unless one is not kept), and share one BEGIN and one COMMIT.
    shared = 2 / batch[0]
    print(f"per save in a group commit of {batch[0]:.1f} saves (the mean above): "
          f"{trips + shared:.1f} round trips, {sql + shared:.1f} SQL statements "
          f"(its own and its share of BEGIN and COMMIT)")
print("the last save:", " | ".join(re.search(r'summary="(.*?)"', l).group(1) for l in ours[-round(trips):]))
if len(lines) > len(ours):
    print(f"(left out: {(len(lines) - len(ours)) / n:.1f} reads per save outside the transaction)")
PY
