#!/usr/bin/env bash
# The staff participant list on generated campaigns (`tissu generate`): time and
# size of the first page, of a search, of sorts and of a far page, from a
# release build. Each figure: RUNS sequential requests with curl (cache warm),
# p50 and p99 of the total time, and the body's size.
#   bash bench/participant_list.sh [big=50000] [medium=20000] [runs=40]
set -euo pipefail
cd "$(dirname "$0")/.."
BIG=${1:-50000}
MEDIUM=${2:-20000}
RUNS=${3:-40}
cargo build --release --quiet
bin=${TISSU_BIN:-./target/release/tissu}
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
db="sqlite://$work/bench.db"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

echo "== generating"
RUST_LOG=warn $bin --database "$db" generate --contributions "$BIG" --slug big
RUST_LOG=warn $bin --database "$db" generate --contributions "$MEDIUM" --firms 800 --slug medium
# The generator leaves names empty: give every participant a French name, so
# that the default sort (by name, in French order) has something to compare.
python3 - "$work/bench.db" <<'PY'
import sqlite3, sys
last = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy", "Moreau", "Lefèbvre",
        "Lefèvre", "Garcia", "Roux", "Fournier", "André", "Mercier", "Dupont", "François", "Guérin", "Müller",
        "Ménard", "Chauvin", "Éluard", "de La Tour", "Le Gall", "Clément", "Fontaine", "Chevalier", "Robin"]
first = ["Marie", "Jean", "Émilie", "Thierry", "Hélène", "Luc", "Zoé", "Éric", "Anaïs", "Paul", "Léa", "Noël"]
c = sqlite3.connect(sys.argv[1])
ids = [r[0] for r in c.execute("SELECT id FROM participants")]
c.executemany("UPDATE participants SET last_name = ?, first_name = ? WHERE id = ?",
              [(last[i * 7919 % len(last)] + (f"-{i % 97}" if i % 3 == 0 else ""), first[i * 31 % len(first)], i) for i in ids])
c.commit()
PY
echo "bench-password-2026" | RUST_LOG=warn $bin --database "$db" user add --email bench@tissu.test --role admin --password-stdin >/dev/null
RUST_LOG=warn $bin --database "$db" --bind "127.0.0.1:$port" serve > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done

# Staff session cookie (double-submit CSRF: any 43-character value).
csrf=$(printf 'c%.0s' $(seq 43))
session=$(curl -s -o /dev/null -D - -H "Cookie: tissu_csrf=$csrf" \
  --data-urlencode "csrf=$csrf" --data-urlencode "email=bench@tissu.test" --data-urlencode "password=bench-password-2026" \
  "$base/connexion" | sed -n 's/^set-cookie: \(tissu_session=[^;]*\).*/\1/Ip' | tr -d '\r')
cookie="Cookie: tissu_csrf=$csrf; $session"

measure() { # LABEL PATH: p50 and p99 of RUNS requests, and the size of the page
  local label=$1 path=$2
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "$cookie" "$base$path")
  [ "$status" = 200 ] || { echo "$label: HTTP $status for $path"; exit 1; }
  for _ in $(seq "$RUNS"); do
    curl -s -o /dev/null -w '%{time_total} %{size_download}\n' -H "$cookie" "$base$path"
  done | sort -n | awk -v label="$label" -v path="$path" '
    { t[NR] = $1 * 1000; size = $2 }
    END {
      p50 = t[int((NR + 1) / 2)]; i99 = int(NR * 0.99 + 0.999); if (i99 > NR) i99 = NR
      printf "%-34s p50 %6.1f ms   p99 %6.1f ms   %7.1f KB   %s\n", label, p50, t[i99], size / 1024, path
    }'
}

for slug in big medium; do
  n=$([ $slug = big ] && echo "$BIG" || echo "$MEDIUM")
  echo "== $slug: $n participants, $RUNS runs each"
  list="/staff/campagnes/$slug/participants"
  measure "first page (by name)" "$list"
  measure "by name, descending, page 300" "$list?ordre=desc&page=300"
  measure "search (name, accents left out)" "$list?q=helene+menard"
  measure "search (firm, two words)" "$list?q=entreprise+00042"
  measure "search (address fragment)" "$list?q=p12345%40"
  measure "sort by status, descending" "$list?tri=statut&ordre=desc"
  measure "sort by emails" "$list?tri=courriels"
  measure "sort by firm, page 200" "$list?tri=entreprise&page=200"
  measure "filter submitted, sort by address" "$list?statut=submitted&tri=adresse"
done
echo "== directory (1,500 firms)"
measure "directory, first page" "/staff/territoires/t-big/entreprises"
measure "directory, sort by participants" "/staff/territoires/t-big/entreprises?tri=participants&ordre=desc"
