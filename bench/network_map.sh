#!/usr/bin/env bash
# Benchmark of the explorable network map on a release build: a generated
# campaign of 1,500 firms and 2,500 contributions (10,000 declared links), then
# in headless Chromium (bench/network_map.py): time to interactive and frames
# per second while dragging on tissu's page, the JavaScript the page loads
# (gzip -9), and the library comparison (sigma.js vs cytoscape.js on the same
# data, same positions, in bare pages).
#   bash bench/network_map.sh [contributions=2500] [firms=1500]
set -euo pipefail
cd "$(dirname "$0")/.."
CONTRIBUTIONS=${1:-2500}
FIRMS=${2:-1500}
cargo build --release --quiet
bin=./target/release/tissu
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
db="sqlite://$work/bench.db"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

RUST_LOG=warn $bin --database "$db" generate --contributions "$CONTRIBUTIONS" --firms "$FIRMS" --slug carte
echo "bench-password-2026" | RUST_LOG=warn $bin --database "$db" user add --email bench@tissu.test --role admin --password-stdin >/dev/null
RUST_LOG=warn $bin --database "$db" --bind "127.0.0.1:$port" serve > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done
csrf=$(printf 'c%.0s' $(seq 43))
session=$(curl -s -o /dev/null -D - -H "Cookie: tissu_csrf=$csrf" \
  --data-urlencode "csrf=$csrf" --data-urlencode "email=bench@tissu.test" --data-urlencode "password=bench-password-2026" \
  "$base/connexion" | sed -n 's/^set-cookie: tissu_session=\([^;]*\).*/\1/Ip' | tr -d '\r')
cookie="Cookie: tissu_session=$session"
page=/staff/campagnes/carte/synthese/reseau

echo "== data"
curl -fs -H "$cookie" -o "$work/carte.json" "$base$page/carte.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["firms"]), "firms on the map,", len(d["links"]), "links")' "$work/carte.json"
echo "carte.json: $(wc -c < "$work/carte.json") bytes, $(gzip -9c "$work/carte.json" | wc -c) gzipped; server time $(curl -s -o /dev/null -w '%{time_total}' -H "$cookie" "$base$page/carte.json") s"

echo "== JavaScript the page loads (gzip -9)"
total=0
for src in $(curl -fs -H "$cookie" "$base$page" | grep -o '<script src="[^"]*"' | sed 's/<script src="//; s/"$//'); do
  size=$(curl -fs "$base$src" | gzip -9c | wc -c)
  total=$((total + size))
  printf '%-60s %7d\n' "${src%%\?*}" "$size"
done
echo "total: $total bytes compressed"

echo "== tissu's page"
python3 bench/network_map.py page "$base" tissu_session "$session" "$page"

echo "== library comparison (same data and positions, bare pages)"
cp static/vendor/sigma/sigma.min.js static/vendor/graphology/graphology.umd.min.js "$work/"
(cd "$work" && npm pack --silent cytoscape@3.35.0 >/dev/null && tar xzf cytoscape-3.35.0.tgz && cp package/dist/cytoscape.min.js .)
cat > "$work/sigma.html" <<'HTML'
<!doctype html><html><body style="margin:0"><div id="c" style="width:1280px;height:800px"></div>
<script src="graphology.umd.min.js"></script><script src="sigma.min.js"></script><script>
fetch("carte.json").then(r => r.json()).then(d => {
  const g = new graphology.MultiGraph();
  d.firms.forEach(f => g.addNode(String(f.id), {x: f.x, y: -f.y, size: 3 + 1.6 * Math.sqrt(f.degree), color: f.colour, label: f.name}));
  d.links.forEach((l, i) => g.addDirectedEdgeWithKey("e" + i, String(l.source), String(l.target), {color: "#888", size: 1}));
  const s = new Sigma(g, document.getElementById("c"), {labelDensity: 0.5, labelGridCellSize: 120, labelRenderedSizeThreshold: 7});
  const cam = s.getCamera();
  window.panStep = n => cam.setState({x: cam.x + (n % 120 < 60 ? 0.003 : -0.003)});
  requestAnimationFrame(() => { window.readyAt = performance.now(); });
});
</script></body></html>
HTML
cat > "$work/cytoscape.html" <<'HTML'
<!doctype html><html><body style="margin:0"><div id="c" style="width:1280px;height:800px"></div>
<script src="cytoscape.min.js"></script><script>
fetch("carte.json").then(r => r.json()).then(d => {
  const els = d.firms.map(f => ({data: {id: String(f.id), label: f.name, colour: f.colour, size: 6 + 3.2 * Math.sqrt(f.degree)}, position: {x: f.x, y: f.y}}))
    .concat(d.links.map((l, i) => ({data: {id: "e" + i, source: String(l.source), target: String(l.target)}})));
  const cy = cytoscape({container: document.getElementById("c"), elements: els, layout: {name: "preset"},
    style: [{selector: "node", style: {"background-color": "data(colour)", width: "data(size)", height: "data(size)", label: "data(label)", "font-size": 12, "min-zoomed-font-size": 9}},
            {selector: "edge", style: {width: 1, "line-color": "#888"}}]});
  window.panStep = n => cy.panBy({x: n % 120 < 60 ? 4 : -4, y: 0});
  cy.one("render", () => requestAnimationFrame(() => { window.readyAt = performance.now(); }));
});
</script></body></html>
HTML
python3 bench/network_map.py compare "$work"
