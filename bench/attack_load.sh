#!/usr/bin/env bash
# Everything at once, as an attack run or a busy week would do it: 64 connections
# saving a respondent's SWOT step for 60 s, a scheduled backup every 15 s, 2,000
# invitations queued in one click (delivered to an SMTP sink on 127.0.0.1), and a
# second wrk reading the synthesis pages as a signed-in facilitator, while a probe
# times /healthz every 50 ms. Prints saves/s and p99, the syntheses' req/s and p99,
# /healthz's p50/p99/max, and how the invitations went (each exactly once?).
#   bash bench/attack_load.sh [seconds=60] [connections=64] [invitations=2000]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-60}
CONNECTIONS=${2:-64}
PEOPLE=${3:-2000}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
if [ -z "${TISSU_BIN:-}" ]; then cargo build --release --quiet; fi
bin=${TISSU_BIN:-./target/release/tissu}
work=$(mktemp -d)
server= sink=
trap 'kill $server $sink 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
smtp_port=$(free_port)
db="$work/bench.db"

# The SMTP sink: accepts everything, writes one Message-ID a line.
python3 bench/smtp_sink.py "$smtp_port" "$work/ids.txt" > "$work/sink.log" 2>&1 &
sink=$!

$bin --database "sqlite://$db" --bind "127.0.0.1:$port" demo --no-serve --links 64 > "$work/demo.txt"
password=$(awk '/^administrateur :/ {print $4}' "$work/demo.txt")
python3 bench/add_people.py "$db" "$PEOPLE"
echo "database: $(du -h "$db" | cut -f1), $PEOPLE people to invite"

TISSU_BACKUP_EVERY=15s TISSU_BACKUP_DIR="$work/copies" \
TISSU_SMTP_HOST=127.0.0.1 TISSU_SMTP_PORT=$smtp_port TISSU_SMTP_TLS=none TISSU_MAIL_PER_MINUTE=6000000 \
RUST_LOG=warn $bin --database "sqlite://$db" --bind "127.0.0.1:$port" serve > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

csrf=$(printf 'b%.0s' $(seq 43))
python3 bench/saves_lua.py "$work" "$csrf"
# Signs the administrator of the demo in and writes the syntheses' wrk script.
python3 - "$work" "$csrf" "$port" "$password" <<'PY'
import http.cookiejar, re, sys, urllib.parse, urllib.request
work, csrf, port, password = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
base = f"http://127.0.0.1:{port}"
jar = http.cookiejar.CookieJar()
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k): return None
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
page = opener.open(base + "/connexion").read().decode()
token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
try:
    opener.open(urllib.request.Request(base + "/connexion", data=urllib.parse.urlencode(
        {"csrf": token, "email": "admin@demo.tissu.fr", "password": password}).encode()))
except urllib.error.HTTPError as e:
    assert e.code == 303, e.code
cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
open(f"{work}/cookie.txt", "w").write(cookie)
pages = ["", "/reseau", "/swot", "/leviers", "/rapport"]
with open(f"{work}/syntheses.lua", "w") as f:
    f.write("local paths = {" + ",".join(
        f'"/staff/campagnes/diagnostic-anjou-bleu/synthese{p}"' for p in pages) + "}\n")
    f.write(f'local n = 0\nwrk.headers["Cookie"] = "{cookie}"\n')
    f.write("request = function()\n  n = n + 1\n"
            "  return wrk.format(nil, paths[(n % #paths) + 1])\nend\n")
PY

# /healthz every 50 ms for the whole run.
python3 - "$port" "$SECONDS_RUN" > "$work/healthz.txt" <<'PY' &
import http.client, statistics, sys, time
port, seconds = int(sys.argv[1]), float(sys.argv[2])
times, end = [], time.time() + seconds
while time.time() < end:
    started = time.perf_counter()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", "/healthz"); c.getresponse().read(); c.close()
    times.append((time.perf_counter() - started) * 1000)
    time.sleep(0.05)
times.sort()
p = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print(f"/healthz: {len(times)} probes, p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, max {times[-1]:.1f} ms")
PY
probe=$!

wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -s "$work/saves.lua" "http://127.0.0.1:$port" > "$work/saves.txt" &
saves=$!
wrk -t1 -c4 -d"${SECONDS_RUN}s" --latency -s "$work/syntheses.lua" "http://127.0.0.1:$port" > "$work/syntheses.txt" &
syntheses=$!
sleep 5
# 2,000 invitations in one click, confirmed as the page asks.
python3 - "$port" "$work/cookie.txt" "$PEOPLE" <<'PY'
import re, sys, time, urllib.parse, urllib.request
port, cookie, n = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3]
base = f"http://127.0.0.1:{port}"
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k): return None
opener = urllib.request.build_opener(NoRedirect)
def req(path, data=None):
    r = urllib.request.Request(base + path, data=data, headers={"Cookie": cookie})
    try:
        return opener.open(r)
    except urllib.error.HTTPError as e:
        return e
page = req("/staff/campagnes/diagnostic-anjou-bleu/courriels").read().decode()
token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
started = time.time()
r = req("/staff/campagnes/diagnostic-anjou-bleu/invitations", urllib.parse.urlencode(
    {"csrf": token, "confirm": "oui", "count": n}).encode())
print(f"invitations: {n} queued in one click, answered {r.status} in {time.time() - started:.2f} s")
PY
wait $saves $syntheses $probe
rate() { awk '/Requests\/sec/ {r = $2} /Non-2xx/ {e = " (" $0 ")"} / 99%/ {p = $2} END {print r " req/s, p99 " p e}' "$1"; }
echo "saves, $CONNECTIONS connections, ${SECONDS_RUN} s: $(rate "$work/saves.txt")"
echo "syntheses, 4 connections: $(rate "$work/syntheses.txt")"
cat "$work/healthz.txt"
echo "scheduled backups made: $(ls "$work/copies" 2>/dev/null | wc -l)"
for _ in $(seq 120); do [ "$(wc -l < "$work/ids.txt" 2>/dev/null || echo 0)" -ge "$PEOPLE" ] && break; sleep 1; done
got=$(wc -l < "$work/ids.txt" 2>/dev/null || echo 0)
distinct=$(sort -u "$work/ids.txt" 2>/dev/null | wc -l)
echo "messages received by the sink: $got, distinct Message-IDs: $distinct"
