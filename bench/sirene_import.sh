#!/usr/bin/env bash
# `tissu firms import-sirene` over a generated 1 GB establishments file (the
# real header, most rows elsewhere in France): the demo territory's preview,
# then the import itself, each under /usr/bin/time -v. Prints MB/s, rows/s
# and the peak RSS. The targets: at least 100 MB/s, RSS under 150 MB.
#   bash bench/sirene_import.sh [megabytes=1024]
# SIRENE_CSV=FILE reuses a file written earlier by bench/sirene_extract.py.
set -euo pipefail
cd "$(dirname "$0")/.."
MEGABYTES=${1:-1024}
if [ -z "${TISSU_BIN:-}" ]; then cargo build --release --quiet; fi
bin=${TISSU_BIN:-./target/release/tissu}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="sqlite://$work/bench.db"
csv=${SIRENE_CSV:-$work/StockEtablissement_utf8.csv}

if [ -z "${SIRENE_CSV:-}" ]; then python3 bench/sirene_extract.py "$csv" "$MEGABYTES" > /dev/null; fi
rows=$(( $(wc -l < "$csv") - 1 ))
bytes=$(stat -c %s "$csv")
echo "file: $(( bytes / 1000000 )) MB, $rows rows"
RUST_LOG=warn $bin --database "$db" --bind 127.0.0.1:0 demo --no-serve > /dev/null

run() {
  local what=$1 file=$2; shift 2
  # Read from the page cache, as a second run would: the figure is tissu's.
  cat "$file" > /dev/null
  RUST_LOG=warn /usr/bin/time -v "$bin" firms import-sirene --database "$db" --territory anjou-bleu \
    --establishments "$file" "$@" > "$work/$what.out" 2> "$work/$what.time"
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/$what.time" \
    | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$what.time")
  python3 -c "import sys; b, r, w, k = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]); \
print(f'$what: {w:.2f} s, {b / 1e6 / w:.0f} MB/s, {r / w:,.0f} rows/s, peak RSS {k / 1024:.0f} MB')" \
    "$bytes" "$rows" "$wall" "$rss"
  grep -E "à ajouter|à mettre à jour|inchangée|fermée" "$work/$what.out" | grep -v '^  ' | sed 's/^/  /'
}
run preview "$csv"
run apply "$csv" --apply
run again "$csv" --apply
# The same CSV zipped (deflate), as INSEE ships it: MB/s of the CSV inside.
python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED).write(sys.argv[2], 'StockEtablissement_utf8.csv')" \
  "$work/StockEtablissement_utf8.zip" "$csv"
run zip "$work/StockEtablissement_utf8.zip"
