#!/usr/bin/env bash
# Benchmark of the CSV import preview on a release build: a firm directory of
# 285,000 rows (about 2 MB, the upload limit) previewed alone, then two at once
# while /healthz is probed, then confirmed; and a 2 MB participant list
# previewed and confirmed. Prints wall times (curl) and the server's CPU time.
#   bash bench/import_preview.sh [rows=285000] [binary]
# With a binary given, nothing is built; RUNS sets the single previews (3),
# PREVIEW_ONLY=1 stops after them (for a build whose previews take minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-285000}
BIN=${2:-}
if [ -z "$BIN" ]; then
  cargo build --release --quiet
  BIN=./target/release/tissu
fi
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
db="sqlite://$work/bench.db"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

# A territory t-bench with 300 firms (whose names the file's rows do not
# match), a campaign `bench`, an administrator.
RUST_LOG=warn $BIN --database "$db" generate --contributions 10 --firms 300 --slug bench >/dev/null
echo "bench-password-2026" | RUST_LOG=warn $BIN --database "$db" user add --email bench@tissu.test --role admin --password-stdin >/dev/null
RUST_LOG=warn $BIN --database "$db" --bind "127.0.0.1:$port" serve > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done

# Staff session cookie (double-submit CSRF: any 43-character value).
csrf=$(printf 'c%.0s' $(seq 43))
session=$(curl -s -o /dev/null -D - -H "Cookie: tissu_csrf=$csrf" \
  --data-urlencode "csrf=$csrf" --data-urlencode "email=bench@tissu.test" --data-urlencode "password=bench-password-2026" \
  "$base/connexion" | sed -n 's/^set-cookie: \(tissu_session=[^;]*\).*/\1/Ip' | tr -d '\r')
cookie="Cookie: tissu_csrf=$csrf; $session"

# Distinct short names (F0, F1 … in hexadecimal) fit 285,000 rows in 2 MB.
awk -v n="$ROWS" 'BEGIN { print "Raison sociale"; for (i = 0; i < n; i++) printf "F%x\n", i }' > "$work/annuaire.csv"
# A participant list of 100,000 rows (about 2 MB), 100 firms to add.
awk 'BEGIN { print "Courriel;Nom;Entreprise"; for (i = 0; i < 100000; i++) printf "p%x@e.fr;N;E%d\n", i, i % 100 }' > "$work/participants.csv"
firms_url="$base/staff/territoires/t-bench/entreprises"
participants_url="$base/staff/campagnes/bench/participants"

cpu_s() { # the server's user + system CPU time, in seconds
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$server/stat"
}
preview() { # URL FILE OUT: posts the file to the preview, prints "seconds status"
  curl -s -o "$3" -w '%{time_total} %{http_code}\n' -H "$cookie" -F "csrf=$csrf" -F "file=@$2;type=text/csv" "$1/import"
}

echo "== preview of a ${ROWS}-row directory ($(du -b "$work/annuaire.csv" | cut -f1) bytes), ${RUNS:-3} run(s)"
for run in $(seq "${RUNS:-3}"); do
  before=$(cpu_s)
  read -r t code < <(preview "$firms_url" "$work/annuaire.csv" "$work/preview.html")
  printf '  run %s: %s s, HTTP %s, page %s bytes, server CPU %.2f s\n' "$run" "$t" "$code" \
    "$(du -b "$work/preview.html" | cut -f1)" "$(awk -v a="$before" -v b="$(cpu_s)" 'BEGIN {print b - a}')"
done
grep -o 'Aperçu : [^<]*' "$work/preview.html" | head -1 | sed 's/^/  /'
[ "${PREVIEW_ONLY:-0}" = 1 ] && exit 0

echo "== two previews at once, /healthz probed meanwhile"
preview "$firms_url" "$work/annuaire.csv" "$work/a.html" > "$work/a.time" &
first=$!
preview "$firms_url" "$work/annuaire.csv" "$work/b.html" > "$work/b.time" &
second=$!
: > "$work/healthz"
while kill -0 $first 2>/dev/null || kill -0 $second 2>/dev/null; do
  curl -s -o /dev/null -m 30 -w '%{http_code} %{time_total}\n' "$base/healthz" >> "$work/healthz" || true
  sleep 0.05
done
wait $first $second
echo "  previews: $(cat "$work/a.time") and $(cat "$work/b.time") (s, HTTP)"
awk '{n++; if ($1 != 200) bad++; if ($2 > max) max = $2} END {printf "  healthz: %d probes, %d not 200, slowest %.3f s\n", n, bad, max}' "$work/healthz"

echo "== confirmation of the directory"
id=$(sed -n 's/.*name="preview" value="\([^"]*\)".*/\1/p' "$work/a.html" | head -1)
before=$(cpu_s)
read -r t code < <(curl -s -o /dev/null -w '%{time_total} %{http_code}\n' -H "$cookie" \
  --data-urlencode "csrf=$csrf" --data-urlencode "preview=$id" "$firms_url/import/confirmer")
printf '  %s s, HTTP %s, server CPU %.2f s\n' "$t" "$code" "$(awk -v a="$before" -v b="$(cpu_s)" 'BEGIN {print b - a}')"
echo "  $(curl -s -H "$cookie" "$firms_url" | grep -o 'Annuaire des entreprises ([0-9]*)' | head -1)"

echo "== participant list ($(du -b "$work/participants.csv" | cut -f1) bytes, 100,000 rows)"
before=$(cpu_s)
read -r t code < <(preview "$participants_url" "$work/participants.csv" "$work/p.html")
printf '  preview: %s s, HTTP %s, server CPU %.2f s\n' "$t" "$code" "$(awk -v a="$before" -v b="$(cpu_s)" 'BEGIN {print b - a}')"
grep -o 'Aperçu : [^<]*' "$work/p.html" | head -1 | sed 's/^/  /'
id=$(sed -n 's/.*name="preview" value="\([^"]*\)".*/\1/p' "$work/p.html" | head -1)
before=$(cpu_s)
read -r t code < <(curl -s -o /dev/null -w '%{time_total} %{http_code}\n' -H "$cookie" \
  --data-urlencode "csrf=$csrf" --data-urlencode "preview=$id" "$participants_url/import/confirmer")
printf '  confirmation: %s s, HTTP %s, server CPU %.2f s\n' "$t" "$code" "$(awk -v a="$before" -v b="$(cpu_s)" 'BEGIN {print b - a}')"
