#!/usr/bin/env python3
"""Headless-Chromium measures of the explorable network map (bench/network_map.sh).

  network_map.py page BASE COOKIE_NAME COOKIE_VALUE PATH
      time to interactive (navigation start → the map's "network-map-ready" mark)
      and frames per second while a mouse drags the map, on tissu's own page.
  network_map.py compare DIR
      the same two figures for sigma.js and cytoscape.js drawing the same data
      (DIR/carte.json) in a bare page, to choose the library.

Speaks WebDriver to chromedriver directly (no Python packages needed)."""
import json, subprocess, sys, time, urllib.request, socket, tempfile

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

class Browser:
    def __init__(self):
        self.port = free_port()
        self.proc = subprocess.Popen(["chromedriver", f"--port={self.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.profile = tempfile.mkdtemp()
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/status"); break
            except Exception:
                time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": [
            "--headless", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
            f"--user-data-dir={self.profile}"]}, "timeouts": {"script": 60000}}}}
        self.sid = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        prefix = "" if path == "/session" else f"/session/{self.sid}"
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{prefix}{path}", method=method,
                                     data=json.dumps(body or {}).encode(), headers={"Content-Type": "application/json"})
        return json.load(urllib.request.urlopen(req))["value"]

    def go(self, url): self.call("POST", "/url", {"url": url})
    def js(self, script): return self.call("POST", "/execute/sync", {"script": script, "args": []})
    def js_async(self, script): return self.call("POST", "/execute/async", {"script": script, "args": []})
    def quit(self):
        try: self.call("DELETE", "")
        finally: self.proc.terminate()

def wait(b, script, seconds=60):
    end = time.time() + seconds
    while time.time() < end:
        if b.js(script): return
        time.sleep(0.05)
    raise SystemExit(f"waited in vain for: {script}")

# Drags with the mouse for 3 s from the stage's centre (synthetic events, which
# sigma's mouse captor handles like real ones) and counts the frames drawn.
DRAG_FPS = """
const done = arguments[arguments.length - 1];
const stage = document.getElementById('explorer-stage');
const r = stage.getBoundingClientRect();
const mouse = stage.querySelector('.sigma-mouse') || stage.lastElementChild;
let x = r.left + r.width / 2, y = r.top + r.height / 2, frames = 0, t0 = performance.now();
const ev = (type, target) => target.dispatchEvent(new MouseEvent(type, {clientX: x, clientY: y, bubbles: true, button: 0, buttons: 1}));
ev('mousedown', mouse);
function step(now) {
  frames++;
  x += (frames % 120 < 60 ? 4 : -4); y += (frames % 80 < 40 ? 2 : -2);
  ev('mousemove', document);
  if (now - t0 < 3000) requestAnimationFrame(step);
  else { ev('mouseup', document); done(frames / ((now - t0) / 1000)); }
}
requestAnimationFrame(step);
"""

def page(base, name, value, path):
    b = Browser()
    try:
        b.go(base + "/healthz")
        b.call("POST", "/cookie", {"cookie": {"name": name, "value": value, "path": "/"}})
        runs = []
        for _ in range(3):
            b.go(base + path)
            wait(b, "return document.getElementById('net-explorer').getAttribute('data-ready') === 'true';")
            tti = b.js("return performance.getEntriesByName('network-map-ready')[0].startTime;")
            fps = b.js_async(DRAG_FPS)
            n = b.js("return document.getElementById('explorer-status').textContent;")
            runs.append((tti, fps))
        runs.sort()
        tti, fps = runs[1]
        print(f"tissu page: {n}")
        print(f"tissu page (sigma): time to interactive {tti:.0f} ms (median of 3), drag {fps:.0f} frames/s")
    finally:
        b.quit()

PAN_FPS = """
const done = arguments[arguments.length - 1];
let frames = 0, t0 = performance.now();
function step(now) { frames++; window.panStep(frames); if (now - t0 < 3000) requestAnimationFrame(step); else done(frames / ((now - t0) / 1000)); }
requestAnimationFrame(step);
"""

def compare(directory):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"], cwd=directory,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    try:
        for lib in ["sigma", "cytoscape"]:
            b = Browser()
            try:
                runs = []
                for _ in range(3):
                    b.go(f"http://127.0.0.1:{port}/{lib}.html")
                    wait(b, "return window.readyAt !== undefined;")
                    tti = b.js("return window.readyAt;")
                    fps = b.js_async(PAN_FPS)
                    runs.append((tti, fps))
                runs.sort()
                tti, fps = runs[1]
                print(f"{lib:10} first full drawing {tti:.0f} ms (median of 3), panning {fps:.0f} frames/s")
            finally:
                b.quit()
    finally:
        server.terminate()

if __name__ == "__main__":
    if sys.argv[1] == "page":
        page(*sys.argv[2:6])
    else:
        compare(sys.argv[2])
