#!/usr/bin/env bash
# Invitations end to end: N participants (10,000 by default) invited in one
# click, queued in the outbox and delivered by the worker of a release build to
# an SMTP sink on 127.0.0.1. Prints the time from the click to the last message
# received, the rate, the server's peak RSS, and whether every message arrived
# exactly once (by Message-ID).
#   bash bench/invitations.sh [participants=10000]
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-10000}
cargo build --release --quiet
work=$(mktemp -d)
trap 'kill $server $sink 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
smtp_port=$(free_port)
db="$work/bench.db"

# The SMTP sink: accepts everything, counts messages and their Message-IDs.
python3 bench/smtp_sink.py "$smtp_port" "$work/ids.txt" > "$work/sink.log" 2>&1 &
sink=$!

./target/release/tissu --database "sqlite://$db" --bind "127.0.0.1:$port" demo --no-serve > "$work/demo.txt"
password=$(awk '/^administrateur :/ {print $4}' "$work/demo.txt")
# N more participants on the demo campaign, not yet invited (their links are
# derived from the link key when the invitations are queued).
python3 bench/add_people.py "$db" "$PEOPLE"

TISSU_SMTP_HOST=127.0.0.1 TISSU_SMTP_PORT=$smtp_port TISSU_SMTP_TLS=none TISSU_MAIL_PER_MINUTE=6000000 \
RUST_LOG=warn ./target/release/tissu --database "sqlite://$db" --bind "127.0.0.1:$port" serve > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

python3 - "$port" "$password" "$PEOPLE" "$work/ids.txt" "$server" <<'PY'
import http.cookiejar, re, sys, time, urllib.parse, urllib.request
port, password, n, ids, pid = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
base = f"http://127.0.0.1:{port}"
jar = http.cookiejar.CookieJar()
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k): return None
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
def csrf():
    page = opener.open(base + "/connexion").read().decode()
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)
def post(path, fields):
    data = urllib.parse.urlencode(fields).encode()
    try:
        opener.open(urllib.request.Request(base + path, data=data))
    except urllib.error.HTTPError as e:
        if e.code != 303: raise
post("/connexion", {"csrf": csrf(), "email": "admin@demo.tissu.fr", "password": password})
def count():
    try:
        return sum(1 for _ in open(ids))
    except FileNotFoundError:
        return 0
def rss(field="VmHWM:"):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field):
            return int(line.split()[1]) // 1024
def rss_peak():
    return rss()
idle = rss("VmRSS:")
started = time.time()
post("/staff/campagnes/diagnostic-anjou-bleu/invitations", {"csrf": csrf(), "confirm": "oui", "count": str(n)})
queued = time.time() - started
after_queue = rss()
while count() < n and time.time() - started < 600:
    time.sleep(0.2)
elapsed = time.time() - started
got = [l.strip() for l in open(ids)]
unique = len(set(got))
print(f"{n} invitations: queued in {queued:.2f} s, all delivered in {elapsed:.1f} s "
      f"({n / elapsed:.0f} messages/s), peak RSS {rss_peak()} MB")
print(f"RSS: {idle} MB idle before the click, peak {after_queue} MB once queued")
print(f"received {len(got)}, distinct Message-IDs {unique}, "
      f"{'every message exactly once' if len(got) == unique == n else 'MISMATCH'}")
PY
