#!/usr/bin/env bash
# Benchmark of the syntheses on a release build: generates a 50,000-contribution
# campaign (about 1.4 M rows) and a 1,000-contribution campaign in the same
# database, then measures every synthesis view and the JSON API with wrk (req/s,
# p99) plus single-request server time (median of curl runs), and the streamed
# CSV exports in rows/s with the server's memory before and after.
#   bash bench/synthesis.sh [big=50000] [small=1000] [seconds=10] [connections=4]
set -euo pipefail
cd "$(dirname "$0")/.."
BIG=${1:-50000}
SMALL=${2:-1000}
SECONDS_RUN=${3:-10}
CONNECTIONS=${4:-4}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --quiet
bin=./target/release/tissu
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
db="sqlite://$work/bench.db"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

echo "== generating"
RUST_LOG=warn $bin --database "$db" generate --contributions "$BIG" --slug big
# A 1,000-contribution campaign comes from a smaller territory (300 firms).
RUST_LOG=warn $bin --database "$db" generate --contributions "$SMALL" --firms 300 --slug small
echo "database: $(du -h "$work/bench.db" | cut -f1)"
echo "bench-password-2026" | RUST_LOG=warn $bin --database "$db" user add --email bench@tissu.test --role admin --password-stdin >/dev/null
token=$(RUST_LOG=warn $bin --database "$db" token create --email bench@tissu.test --label bench 2>/dev/null)

RUST_LOG=warn $bin --database "$db" --bind "127.0.0.1:$port" serve > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done

# Staff session cookie (double-submit CSRF: any 43-character value).
csrf=$(printf 'c%.0s' $(seq 43))
session=$(curl -s -o /dev/null -D - -H "Cookie: tissu_csrf=$csrf" \
  --data-urlencode "csrf=$csrf" --data-urlencode "email=bench@tissu.test" --data-urlencode "password=bench-password-2026" \
  "$base/connexion" | sed -n 's/^set-cookie: \(tissu_session=[^;]*\).*/\1/Ip' | tr -d '\r')
cookie="Cookie: tissu_csrf=$csrf; $session"

median_ms() { # URL HEADER: median time of 15 sequential requests (cache warm), in ms
  for _ in $(seq 15); do curl -s -o /dev/null -w '%{time_total}\n' -H "$2" "$1"; done \
    | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}'
}
invalidate() { # SLUG: what every write to a campaign does (its triggers bump the
  # campaign's data_version), so that its cached figures are stale; a write
  # elsewhere (an API token, another campaign) leaves them fresh.
  python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1], timeout=10); c.execute("UPDATE campaigns SET data_version = data_version + 1 WHERE slug = ?", (sys.argv[2],)); c.commit()' "$work/bench.db" "$1"
}
cold_ms() { # URL HEADER SLUG: median of 7 requests each right after a write to SLUG (cache cold), in ms
  for _ in $(seq 7); do invalidate "$3"; curl -s -o /dev/null -w '%{time_total}\n' -H "$2" "$1"; done \
    | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}'
}

echo
echo "== views (wrk: ${CONNECTIONS} connections, ${SECONDS_RUN}s, cache warm; warm/cold = median of sequential"
echo "   single requests, cold = right after a write: campaigns of ≥ 200 contributions are served"
echo "   their last figures and recomputed in the background, smaller ones recomputed at once)"
printf '%-8s %-30s %10s %10s %12s %12s\n' campaign view req/s p99 warm cold
for slug in big small; do
  for view in synthese synthese/reseau synthese/swot synthese/leviers synthese/rapport api; do
    if [ "$view" = api ]; then
      url="$base/api/v1/campaigns/$slug/synthesis"; header="Authorization: Bearer $token"; name="api/v1 …/synthesis (JSON)"
    else
      url="$base/staff/campagnes/$slug/$view"; header="$cookie"; name="$view"
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "$header" "$url")
    [ "$code" = 200 ] || { echo "$url answered $code"; exit 1; }
    med=$(median_ms "$url" "$header")
    cold=$(cold_ms "$url" "$header" "$slug")
    # Let the recomputations the writes started finish before wrk measures.
    sleep 10
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -H "$header" "$url")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    printf '%-8s %-30s %10s %10s %9s ms %9s ms\n' "$slug" "$name" "$rps" "$p99" "$med" "$cold"
  done
done
echo "with a filter (big, source=online, sector):"
q="source=online&sector=Agroalimentaire"
for view in synthese synthese/reseau synthese/swot synthese/leviers; do
  printf '  %-60s cold %s ms\n' "$view?$q" "$(cold_ms "$base/staff/campagnes/big/$view?$q" "$cookie" big)"
done

echo
echo "== streamed exports (big campaign, bearer token)"
rss() { awk '/VmRSS/ {print $2" kB"}' /proc/$server/status; }
echo "server memory before: $(rss)"
for file in export/links.csv export/swot.csv export/participants.csv export/levers.csv network.gexf network.graphml; do
  url="$base/api/v1/campaigns/big/$file"
  t=$(curl -s -o "$work/out" -w '%{time_total}' -H "Authorization: Bearer $token" "$url")
  lines=$(($(wc -l < "$work/out") - 1))
  size=$(du -h "$work/out" | cut -f1)
  printf '  %-24s %9s rows %6s %7.2f s  %10.0f rows/s   server RSS after: %s\n' "$file" "$lines" "$size" "$t" \
    "$(awk -v n="$lines" -v t="$t" 'BEGIN {print n/t}')" "$(rss)"
done
