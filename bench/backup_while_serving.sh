#!/usr/bin/env bash
# How long `tissu backup` takes on the 50,000-contribution benchmark database
# while the server serves, and the step-save rate meanwhile: wrk saves the SWOT
# step of 64 respondents (3 strengths each) for 10 s alone, then again while a
# backup runs (wrk is stopped when the backup ends, so its figures cover the
# backup's duration plus one second).
#   bash bench/backup_while_serving.sh [contributions=50000] [connections=64]
set -euo pipefail
cd "$(dirname "$0")/.."
CONTRIBUTIONS=${1:-50000}
CONNECTIONS=${2:-64}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
if [ -z "${TISSU_BIN:-}" ]; then cargo build --release --quiet; fi
bin=${TISSU_BIN:-./target/release/tissu}
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
db="sqlite://$work/bench.db"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

RUST_LOG=warn $bin --database "$db" generate --contributions "$CONTRIBUTIONS" --slug big
$bin --database "$db" --bind "127.0.0.1:$port" demo --no-serve --links 64 > "$work/demo.txt"
echo "database: $(du -h "$work/bench.db" | cut -f1)"
RUST_LOG=warn $bin --database "$db" --bind "127.0.0.1:$port" serve > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
# Let the start-up warm-up of the big campaign's syntheses finish first.
sleep 15

csrf=$(printf 'b%.0s' $(seq 43))
python3 bench/saves_lua.py "$work" "$csrf"
rate() { awk '/Requests\/sec/ {r = $2} /Non-2xx/ {e = " (" $0 ")"} / 99%/ {p = $2} END {print r " saves/s, p99 " p e}' "$1"; }

echo "== step saves alone, 10 s, $CONNECTIONS connections"
wrk -t2 -c"$CONNECTIONS" -d10s --latency -s "$work/saves.lua" "http://127.0.0.1:$port" > "$work/alone.txt"
echo "$(rate "$work/alone.txt")"

echo "== step saves during a backup"
wrk -t2 -c"$CONNECTIONS" -d300s --latency -s "$work/saves.lua" "http://127.0.0.1:$port" > "$work/during.txt" &
load=$!
sleep 1
started=$(date +%s.%N)
RUST_LOG=warn $bin --database "$db" backup --to "$work/copie.db" | tee "$work/backup.txt"
ended=$(date +%s.%N)
kill -INT $load; wait $load || true
echo "backup: $(python3 -c "print(f'{$ended - $started:.2f}')") s for $(du -h "$work/copie.db" | cut -f1)"
echo "during the backup: $(rate "$work/during.txt")"
