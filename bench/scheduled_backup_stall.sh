#!/usr/bin/env bash
# Whether a scheduled backup (TISSU_BACKUP_EVERY) stalls the server: on a
# database of SIZE_MB (default 300: the demo territory plus random audit lines),
# /healthz and one respondent's step save are timed one after the other, each
# every 50 ms, before and while the server copies itself (the window is the life
# of the copy's `.partiel` file: VACUUM INTO, then the integrity check of the
# copy). Prints the backup's duration and, for each request, the count, median,
# p99 and maximum inside and outside the window.
#   bash bench/scheduled_backup_stall.sh [size_mb=300]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-300}
if [ -z "${TISSU_BIN:-}" ]; then cargo build --release --quiet; fi
bin=${TISSU_BIN:-./target/release/tissu}
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
db="sqlite://$work/bench.db"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

$bin --database "$db" --bind "127.0.0.1:$port" demo --no-serve --links 8 > "$work/demo.txt"
python3 - "$work/bench.db" "$SIZE_MB" <<'PY'
import sqlite3, sys
path, size_mb = sys.argv[1], int(sys.argv[2])
conn = sqlite3.connect(path)
rows = size_mb * 1024 * 1024 // 4900
conn.execute("""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
    INSERT INTO audit_log (at, staff_email, action, detail)
    SELECT '2026-01-01T00:00:00Z', hex(randomblob(2000)), 'remplissage', hex(randomblob(450)) FROM n""", (rows,))
conn.commit()
conn.close()
PY
echo "database: $(du -h "$work/bench.db" | cut -f1)"
TISSU_BACKUP_EVERY=20s TISSU_BACKUP_DIR="$work/copies" RUST_LOG=warn \
  $bin --database "$db" --bind "127.0.0.1:$port" serve > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

python3 - "$port" "$work" <<'PY'
import glob, http.client, statistics, sys, threading, time, urllib.parse
port, work = int(sys.argv[1]), sys.argv[2]
csrf = "b" * 43
link = next(l.split()[2] for l in open(f"{work}/demo.txt") if l.startswith("lien : "))
swot = urllib.parse.urlparse(link).path + "/swot"

def copying():
    return bool(glob.glob(f"{work}/copies/*.partiel"))

def timed(method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    conn.request(method, path, body, headers or {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, time.perf_counter() - started

samples = {"healthz": [], "save": []}
done = threading.Event()

def loop(name, request):
    n = 0
    while not done.is_set():
        before = copying()
        status, seconds = request(n)
        samples[name].append((before or copying(), seconds, status))
        n += 1
        time.sleep(0.05)

def save(n):
    body = urllib.parse.urlencode([("csrf", csrf), ("strength_rows", "1"),
                                   ("strength_0", f"Atout {n}"), ("action", "next")])
    return timed("POST", swot, body, {"Content-Type": "application/x-www-form-urlencoded",
                                      "Cookie": f"tissu_csrf={csrf}"})

threads = [threading.Thread(target=loop, args=("healthz", lambda n: timed("GET", "/healthz"))),
           threading.Thread(target=loop, args=("save", save))]
for t in threads:
    t.start()
started = ended = None
deadline = time.time() + 180
while time.time() < deadline and ended is None:
    now = copying()
    if now and started is None:
        started = time.perf_counter()
    if not now and started is not None:
        ended = time.perf_counter()
    time.sleep(0.005)
time.sleep(1)
done.set()
for t in threads:
    t.join()
if ended is None:
    sys.exit("no scheduled backup seen within 180 s")
print(f"backup (VACUUM INTO + integrity check of the copy): {ended - started:.2f} s")
def figures(values):
    values = sorted(values)
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
    return f"n={len(values)}, median {statistics.median(values)*1000:.0f} ms, p99 {p99*1000:.0f} ms, max {values[-1]*1000:.0f} ms"
for name, rows in samples.items():
    bad = sorted({s for _, _, s in rows if s not in (200, 303)})
    for label, during in (("during the backup", True), ("outside it", False)):
        values = [s for d, s, _ in rows if d == during]
        if values:
            print(f"{name} {label}: {figures(values)}" + (f" (statuses {bad})" if bad else ""))
PY
