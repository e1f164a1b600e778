#!/usr/bin/env bash
# The live room under load, on a release build: the demo's first workshop
# session gets its room opened by a staff member (the control form, signed
# in), PHONES demo participants join it with their personal link and post
# SWOT items for SECONDS (each phone waits THINK seconds on average between
# two items, and posts 60 at most: the domain's 15 per quadrant), while
# PROJECTORS projectors follow the room's events and fetch the page on each
# like static/room.js, and IDLE more event streams are held open.
# Prints items accepted per second, the delay from a post's answer to the
# item's arrival on a projector (p50/p99), items lost or doubled (counted in
# the database), the server's RSS and the memory per idle event stream, and
# the posts per COMMIT when they go through the writer's group commit.
#   bash bench/room_load.sh [phones=200] [seconds=60] [projectors=5] [idle=1000] [think=1.0]
set -euo pipefail
cd "$(dirname "$0")/.."
PHONES=${1:-200}
SECONDS_RUN=${2:-60}
PROJECTORS=${3:-5}
IDLE=${4:-1000}
THINK=${5:-1.0}
# TISSU_BIN: another build to measure (a copy of a previous version's binary,
# to compare before and after in the same conditions).
if [ -z "${TISSU_BIN:-}" ]; then cargo build --release --quiet; fi
bin=${TISSU_BIN:-./target/release/tissu}
# 1,000 streams, 200 phones and the projectors: as many sockets on each side.
ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d)
server=
# KEEP=1 keeps the database and the server's log (the path is printed).
trap '[ -n "$server" ] && kill $server 2>/dev/null; if [ -n "${KEEP:-}" ]; then echo "kept: $work"; else rm -rf "$work"; fi' EXIT
db="sqlite://$work/bench.db"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
RUST_LOG=warn $bin --database "$db" --bind "127.0.0.1:$port" demo --no-serve > "$work/demo.txt"
# The demo has 68 participants: the others are added (not invited), and the
# demo prints the personal links of the first PHONES.
demo_people=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM participants").fetchone()[0])' "$work/bench.db")
if [ "$demo_people" -lt "$PHONES" ]; then python3 bench/add_people.py "$work/bench.db" $((PHONES - demo_people)); fi
RUST_LOG=warn $bin --database "$db" --bind "127.0.0.1:$port" demo --no-serve --links "$PHONES" > "$work/links.txt"
echo "bench-password-2026" | RUST_LOG=warn $bin --database "$db" user add --email bench@tissu.test --role admin --password-stdin >/dev/null
echo "bench@tissu.test bench-password-2026" > "$work/staff.txt"
# The posts' broadcast versions (room::live) and the group commit's batches
# (store::db::group_commit) are logged at debug level for the figures below.
RUST_LOG=warn,tissu::web::room::live=debug,tissu::store::db::group_commit=debug \
  $bin --database "$db" --bind "127.0.0.1:$port" serve > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $PHONES phones, ${SECONDS_RUN} s, think ${THINK} s, $PROJECTORS projectors, $IDLE idle streams"
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }  # user + system, in 1/100 s
cpu_before=$(cpu)
python3 bench/room_load.py "$work" "$port" "$server" "$PHONES" "$SECONDS_RUN" "$PROJECTORS" "$IDLE" "$THINK"
echo "server CPU over the whole run: $(awk -v t=$(( $(cpu) - cpu_before )) 'BEGIN {printf "%.1f", t / 100}') s (user + system, all threads)"
python3 - "$work/server.log" <<'PY'
import re, sys
ansi = re.compile(r"\x1b\[[0-9;]*m")
lines = [ansi.sub("", l) for l in open(sys.argv[1], errors="replace")]
batches = [int(m.group(1)) for l in lines if "group commit" in l for m in [re.search(r"saves=(\d+)", l)] if m]
if batches:
    print(f"group commit: {len(batches)} COMMITs for {sum(batches)} saves, mean {sum(batches) / len(batches):.1f}, "
          f"largest {max(batches)}, reruns in savepoints {sum('rerun=true' in l for l in lines if 'group commit' in l)}")
else:
    print("group commit: no batch logged (this build commits each room post on its own)")
errors = [l for l in lines if " ERROR " in l or " WARN " in l]
print(f"server warnings and errors: {len(errors)}" + ("".join("\n  " + l.strip()[:200] for l in errors[:5])))
PY
