#!/usr/bin/env bash
# What the rate limits cost per request, now that they are counted in the
# database (shared by every instance): wrk POSTs for 10 s each, 8 connections,
#  - the sign-in from one address, refused (429) past its 30 a minute: the check alone;
#  - the sign-in from a new address each time (X-Forwarded-For behind a trusted
#    proxy), a wrong password (422): the check, the failure counted, the hash;
#  - "send my link again" from one address, refused past its 10 a minute;
#  - "send my link again" from a new address each time (200).
# Prints req/s and p99 of each. Run it with TISSU_BIN=before and after to compare.
#   TISSU_BIN=./target/release/tissu bash bench/rate_limits.sh [seconds=10]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-10}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
if [ -z "${TISSU_BIN:-}" ]; then cargo build --release --quiet; fi
bin=${TISSU_BIN:-./target/release/tissu}
work=$(mktemp -d)
server=
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
db="$work/bench.db"
$bin --database "sqlite://$db" --bind "127.0.0.1:$port" demo --no-serve --links 1 > "$work/demo.txt"
TISSU_TRUSTED_PROXIES=127.0.0.1 RUST_LOG=error \
  $bin --database "sqlite://$db" --bind "127.0.0.1:$port" serve > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

csrf=$(printf 'b%.0s' $(seq 43))
script() { # name path body spread
  cat > "$work/$1.lua" <<LUA
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "tissu_csrf=$csrf"
request = function()
  n = n + 1
  if $4 then
    wrk.headers["X-Forwarded-For"] = "10." .. (n % 250) .. "." .. (math.floor(n / 250) % 250) .. "." .. (math.floor(n / 62500) % 250)
  else
    wrk.headers["X-Forwarded-For"] = "192.0.2.1"
  end
  return wrk.format(nil, "$2", nil, "$3")
end
LUA
}
login="csrf=$csrf&email=personne%40example.fr&password=mauvais"
lost="csrf=$csrf&email_again=personne%40example.fr"
script login_refused /connexion "$login" false
script login_each_new /connexion "$login" true
script lost_refused /c/diagnostic-anjou-bleu/lien "$lost" false
script lost_each_new /c/diagnostic-anjou-bleu/lien "$lost" true
for run in login_refused login_each_new lost_refused lost_each_new; do
  out=$(wrk -t2 -c8 -d"${SECONDS_RUN}s" --latency -s "$work/$run.lua" "http://127.0.0.1:$port")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "$run: ${rps} req/s, p99 ${p99}, non-2xx/3xx ${non2xx:-0}"
done
