"""The live room under load, driven over HTTP like the real clients (see
bench/room_load.sh, which starts the server): a staff member opens the room
of the demo's first workshop session, PHONES demo participants join it with
their personal link (the one-tap join) and post SWOT items, PROJECTORS listen
to the room's events and fetch the page on each like static/room.js does, and
IDLE more event streams are held open. Standard library only.

    python3 bench/room_load.py WORK PORT SERVER_PID PHONES SECONDS PROJECTORS IDLE THINK

Arrival of a post on a projector (how the delay is measured):
* "by version": the server's `changed` events carry `id: <change number>`,
  and with RUST_LOG=tissu::web::room::live=debug it logs the number each post
  was broadcast under (`room post broadcast key=… version=…`). A post has
  arrived on a projector when that projector has finished fetching a page it
  started fetching after an event of that number or later, or after the
  post's answer: either way the page was read after the post's commit.
* "time" (for builds whose events carry no id): only the second proof, the
  first page fetch that *started* after the post's answer reached the phone;
  a later arrival than "by version" when the event beat the phone's answer.
Both are upper bounds of the true arrival (a page fetched between the
commit and the answer, on an earlier event, may already hold the post).
The delay is measured from the post's answer (the 303 the phone receives);
a page fetched before that answer arrived counts as 0.

The room is open on its three sequences: each phone posts, in turn, a SWOT
item, a link, a SWOT item and its dots (`POSTS`), each form read from the
phone's page as its browser shows it. Links and dots are timed to the
projector by time only (their posts log no change number).
"""
import asyncio, gzip, html, json, os, random, re, resource, sqlite3, statistics, sys, time
from urllib.parse import urlencode, urlparse

WORK, PORT, SERVER = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
PHONES, SECONDS, PROJECTORS, IDLE = (int(a) for a in sys.argv[4:8])
THINK = float(sys.argv[8])
CSRF = "b" * 43
SLUG = "diagnostic-anjou-bleu"
QUADRANTS = ["strength", "weakness", "opportunity", "threat"]
ITEMS_PER_PHONE = 60  # the domain's rule: 15 items per quadrant
random.seed(2019)


def rss_kb():
    for line in open(f"/proc/{SERVER}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1])


class Http:
    """One keep-alive HTTP/1.1 connection, as a browser tab holds it."""

    def __init__(self, cookies=None):
        self.cookies = dict(cookies or {})
        self.r = self.w = None

    async def connect(self):
        self.r, self.w = await asyncio.open_connection("127.0.0.1", PORT, limit=1 << 22)

    def close(self):
        if self.w:
            self.w.close()
        self.r = self.w = None

    async def send(self, method, path, fields=None, headers=()):
        if self.w is None:
            await self.connect()
        body = urlencode(fields).encode() if fields is not None else b""
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{PORT}", f"Cookie: {cookie}", *headers]
        if fields is not None:
            lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        self.w.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.w.drain()
        head = (await self.r.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        hdrs = {}
        for line in head[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                k, v = k.strip().lower(), v.strip()
                if k == "set-cookie":
                    name, value = v.split(";", 1)[0].split("=", 1)
                    self.cookies[name] = value
                hdrs[k] = v
        return status, hdrs

    async def chunk(self):
        """The next chunk of a chunked body (b"" at its end)."""
        size = int((await self.r.readline()).split(b";")[0], 16)
        data = await self.r.readexactly(size) if size else b""
        await self.r.readline()
        return data

    async def request(self, method, path, fields=None, headers=()):
        reused = self.w is not None
        try:
            status, hdrs = await self.send(method, path, fields, headers)
        except (asyncio.IncompleteReadError, ConnectionError):
            if not reused:
                raise
            # The server closed the idle keep-alive connection: a browser
            # opens another and sends again (a post keeps its key: stored once).
            self.close()
            status, hdrs = await self.send(method, path, fields, headers)
        if "content-length" in hdrs:
            body = await self.r.readexactly(int(hdrs["content-length"]))
        elif hdrs.get("transfer-encoding") == "chunked":
            body = b""
            while chunk := await self.chunk():
                body += chunk
        else:
            body = b""
        if hdrs.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        if hdrs.get("connection", "").lower() == "close":
            self.close()
        return status, hdrs, body.decode()


async def open_room():
    staff = Http({"tissu_csrf": CSRF})
    email, password = open(f"{WORK}/staff.txt").read().split()
    status, _, _ = await staff.request("POST", "/connexion", {"csrf": CSRF, "email": email, "password": password})
    assert status == 303, f"sign-in answered {status}"
    _, _, page = await staff.request("GET", f"/staff/campagnes/{SLUG}/saisie")
    session = re.search(rf'/staff/campagnes/{SLUG}/saisie/(\d+)"', page).group(1)
    control = f"/staff/campagnes/{SLUG}/saisie/{session}/salle"
    status, _, page = await staff.request("POST", control, {"csrf": staff.cookies["tissu_csrf"], "action": "open"})
    assert status == 200, f"the room did not open: {status} {page[:300]}"
    code = re.search(r'<strong id="room-code">(\w+)</strong>', page).group(1)
    projector = urlparse(re.search(r'id="projector-link">([^<]+)</a>', page).group(1)).path
    # The three sequences at once: phones post SWOT items, links and dots.
    status, _, _ = await staff.request("POST", control, {"csrf": staff.cookies["tissu_csrf"],
                                                         "action": "sequence", "sequence": "all"})
    assert status == 303, f"the sequences did not open: {status}"
    staff.close()
    return code, projector


def key_of(page):
    return re.search(r'name="key" value="([^"]+)"', page).group(1)


def form_of(page, action):
    """The part of the phone's page holding the form posted to `action`."""
    return page[page.index(f'/{action}"'):]


def swot_post(i, n, page):
    """The n-th SWOT item of phone i: a text of its own, so that each is counted."""
    return "swot", {"key": key_of(form_of(page, "swot")), "quadrant": QUADRANTS[n % 4],
                    "text": f"Idée du banc d'essai, téléphone {i}, numéro {n}"}


def link_post(i, n, page):
    """A link to a firm of the directory the phone's form offers, another each time."""
    form = form_of(page, "liens")
    firms = re.findall(r'<option value="([^"]+)"></option>', form.split("</datalist>", 1)[0])
    intensity = re.findall(r'<option value="(\d+)"', form.split('name="intensity_0"', 1)[1])[0]
    return "liens", {"key": key_of(form), "firm_0": html_unescape(firms[(i * 7 + n) % len(firms)]),
                     "kinds_0": re.search(r'name="kinds_0" value="(\d+)"', form).group(1),
                     "intensity_0": intensity, "status_0": "existing" if n % 2 else "wished"}


def dots_post(i, n, page):
    """Dots on the levers: per objective, one dot on each of three levers, moved
    at each post (the last form sent wins)."""
    fields = re.findall(r'name="(dots_[a-z]+_\d+)"', form_of(page, "leviers"))
    by_objective = {}
    for f in fields:
        by_objective.setdefault(f.rsplit("_", 1)[0], []).append(f)
    chosen = {}
    for levers in by_objective.values():
        for k in range(3):
            chosen[levers[(i + n + k) % len(levers)]] = "1"
    return "leviers", chosen


def html_unescape(text):
    return html.unescape(text)


# The kinds of posts phones make, in turn: SWOT items most, a link and dots
# now and then, as a room does (path under /salle/{code}/, form fields).
POSTS = [swot_post, link_post, swot_post, dots_post]
# Where each kind's 303 goes when it was taken.
TAKEN = {"fait=envoye": "envoye", "fait=lien": "lien", "fait=gommettes": "gommettes"}


class Phone:
    def __init__(self, i, token, code):
        self.i, self.token, self.code = i, token, code
        self.http = Http({"tissu_csrf": CSRF})
        self.posts = []  # (key, text, sent, answered, outcome)

    async def join(self):
        status, hdrs, _ = await self.http.request("POST", f"/r/{self.token}/salle", {"csrf": CSRF, "code": self.code})
        assert status == 303 and hdrs["location"] == f"/salle/{self.code}", (status, hdrs)
        status, _, page = await self.http.request("GET", f"/salle/{self.code}")
        assert status == 200, status
        self.page = page

    async def run(self, until):
        n = 0
        while n < ITEMS_PER_PHONE:
            think = random.expovariate(1 / THINK) if THINK > 0 else 0
            await asyncio.sleep(min(think, max(0.0, until - time.monotonic())))
            if time.monotonic() >= until:
                break
            kind, fields = POSTS[n % len(POSTS)](self.i, n, self.page)
            fields = {"csrf": CSRF, **fields}
            key = fields.get("key", f"dots-{self.i}-{n}")
            sent = time.monotonic()
            try:
                status, hdrs, page = await self.http.request("POST", f"/salle/{self.code}/{kind}", fields)
            except (ConnectionError, asyncio.IncompleteReadError) as e:
                self.http.close()
                self.posts.append((key, fields.get("text"), sent, time.monotonic(), f"error {e}"))
                continue
            answered = time.monotonic()
            where = hdrs.get("location", "")
            outcome = next((v for k, v in TAKEN.items() if where.endswith(k)),
                           "deja" if where.endswith("fait=deja") else f"{kind} {status}")
            self.posts.append((key, fields.get("text"), sent, answered, outcome))
            n += 1
            if status == 303:
                # The phone's browser follows the answer: the forms and their next keys.
                _, _, page = await self.http.request("GET", where)
            self.page = page


class Projector:
    """A projector page with room.js: listens, and fetches the page on each event."""

    def __init__(self, path):
        self.path = path
        self.stream = Http()
        self.page = Http()
        self.seen = 0  # the highest event id received
        self.events = self.reloads = self.failed = self.board_bytes = 0
        self.fetching = self.again = False
        self.fetches = []  # (started, seen when started, ended, bytes)
        self.compressed = None
        self.first_event = None

    async def listen(self, stop):
        status, hdrs = await self.stream.send("GET", self.path + "/evenements",
                                              headers=["Accept: text/event-stream", "Accept-Encoding: gzip"])
        assert status == 200, status
        self.compressed = hdrs.get("content-encoding", "identity") != "identity"
        self.refresh()  # room.js fetches on "open"
        buffer = ""
        while not stop.is_set():
            try:
                data = await asyncio.wait_for(self.stream.chunk(), 0.5)
            except asyncio.TimeoutError:
                continue
            if not data:
                break
            buffer += data.decode()
            while "\n\n" in buffer:
                block, buffer = buffer.split("\n\n", 1)
                fields = dict(l.split(": ", 1) if ": " in l else (l.rstrip(":"), "") for l in block.split("\n"))
                if "id" in fields:
                    self.seen = max(self.seen, int(fields["id"]))
                if fields.get("event") in ("changed", "reload"):
                    self.events += 1
                    self.reloads += fields["event"] == "reload"
                    self.refresh()
        self.stream.close()

    def refresh(self):
        if self.fetching:
            self.again = True
            return
        self.fetching = True
        asyncio.ensure_future(self.fetch())

    async def fetch(self):
        started, seen = time.monotonic(), self.seen
        try:
            status, _, page = await self.page.request("GET", self.path, headers=["Accept-Encoding: gzip"])
            if status == 200 and 'id="board-live"' in page:
                self.fetches.append((started, seen, time.monotonic(), len(page)))
                # What an event carrying the board itself would carry.
                self.board_bytes = len(page.split('<div id="board-live">', 1)[1].split("</main>", 1)[0].encode())
            else:
                self.failed += 1
        except (asyncio.IncompleteReadError, ConnectionError):
            self.page.close()
            self.failed += 1
        self.fetching = False
        if self.again:
            self.again = False
            self.refresh()


async def idle_stream(path, opened, stop):
    """An event stream held open by a page nobody looks at: its browser reads
    what comes now and then."""
    http = Http()
    status, _ = await http.send("GET", path + "/evenements", headers=["Accept: text/event-stream"])
    assert status == 200, status
    opened.append(http)
    while not stop.is_set():
        await asyncio.sleep(1 + random.random())
        try:
            await asyncio.wait_for(http.r.read(1 << 16), 0.01)
        except asyncio.TimeoutError:
            pass
    http.close()


async def settled_rss():
    """The server's RSS once it has settled: the median of five readings."""
    await asyncio.sleep(2)
    readings = []
    for _ in range(5):
        readings.append(rss_kb())
        await asyncio.sleep(0.5)
    return statistics.median(readings)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")


def versions_from_log():
    ansi = re.compile(r"\x1b\[[0-9;]*m")
    found = {}
    for line in open(f"{WORK}/server.log", errors="replace"):
        if "room post broadcast" in line:
            line = ansi.sub("", line)
            key, version = re.search(r"key=\"?([^\"\s]+)", line), re.search(r"version=(\d+)", line)
            if key and version:
                found[key.group(1)] = int(version.group(1))
    return found


def delays(posts, projectors, versions):
    """Per (post, projector): the delay by version (None when the build gives no
    versions) and by time."""
    by_version, by_time, missing = [], [], 0
    for key, _, _, answered, outcome in posts:
        if outcome not in TAKEN.values():
            continue
        for p in projectors:
            later = [end for start, _, end, _ in p.fetches if start >= answered]
            if later:
                by_time.append(max(0.0, min(later) - answered))
            if versions:
                # Either proves the page holds the post: fetched after its
                # event, or after its answer.
                v = versions.get(key)
                shown = [end for start, seen, end, _ in p.fetches
                         if (v is not None and seen >= v) or start >= answered]
                if shown:
                    by_version.append(max(0.0, min(shown) - answered))
                else:
                    missing += 1
    return by_version, by_time, missing


def count_in_database(code, accepted_texts):
    c = sqlite3.connect(f"file:{WORK}/bench.db?mode=ro", uri=True, timeout=30)
    room = c.execute("SELECT id FROM rooms WHERE code = ?", (code,)).fetchone()[0]
    posts = c.execute("SELECT COUNT(*) FROM room_posts WHERE room_id = ?", (room,)).fetchone()[0]
    stored = dict(c.execute("SELECT text, COUNT(*) FROM swot_items WHERE text LIKE 'Idée du banc d''essai%' GROUP BY text"))
    links = c.execute("SELECT COUNT(*) FROM room_links WHERE room_id = ?", (room,)).fetchone()[0]
    dots = c.execute("SELECT COUNT(DISTINCT contribution_id) FROM room_dots WHERE room_id = ?", (room,)).fetchone()[0]
    c.close()
    print(f"database: {links} links declared in the room, dots of {dots} participants")
    lost = [t for t in accepted_texts if t not in stored]
    doubled = {t: n for t, n in stored.items() if n > 1}
    unanswered = [t for t in stored if t not in accepted_texts]
    return posts, stored, lost, doubled, unanswered


async def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    code, projector_path = await open_room()
    tokens = [l.split()[2].rsplit("/", 1)[1] for l in open(f"{WORK}/links.txt") if l.startswith("lien : ")][:PHONES]
    assert len(tokens) == PHONES, f"{len(tokens)} links for {PHONES} phones"
    phones = [Phone(i, t, code) for i, t in enumerate(tokens)]
    for group in range(0, PHONES, 50):
        await asyncio.gather(*(p.join() for p in phones[group:group + 50]))
    print(f"room {code} open; {PHONES} phones joined with their personal link")
    stop = asyncio.Event()
    projectors = [Projector(projector_path) for _ in range(PROJECTORS)]
    listening = [asyncio.ensure_future(p.listen(stop)) for p in projectors]
    rss_before = await settled_rss()
    opened = []
    idle = []
    for group in range(0, IDLE, 100):
        idle += [asyncio.ensure_future(idle_stream(projector_path, opened, stop)) for _ in range(min(100, IDLE - group))]
        while len(opened) < min(group + 100, IDLE):
            await asyncio.sleep(0.05)
    rss_idle = await settled_rss()
    print(f"server RSS: {rss_before / 1024:.1f} MB with {PROJECTORS} projectors, {rss_idle / 1024:.1f} MB with "
          f"{len(opened)} idle event streams more: {(rss_idle - rss_before) / max(1, len(opened)):.1f} kB per idle stream")
    rss_max = rss_idle
    start = time.monotonic()
    until = start + SECONDS
    running = [asyncio.ensure_future(p.run(until)) for p in phones]
    while time.monotonic() < until:
        await asyncio.sleep(1)
        rss_max = max(rss_max, rss_kb())
    await asyncio.gather(*running)
    elapsed = time.monotonic() - start
    await asyncio.sleep(3)  # the last events and fetches
    rss_end = rss_kb()
    stop.set()
    await asyncio.gather(*listening, *idle, return_exceptions=True)

    posts = [post for p in phones for post in p.posts]
    accepted = [x for x in posts if x[4] in TAKEN.values()]
    outcomes = {}
    for x in posts:
        outcomes[x[4]] = outcomes.get(x[4], 0) + 1
    answer_ms = [(x[3] - x[2]) * 1000 for x in accepted]
    print(f"posts: {len(posts)} in {elapsed:.1f} s, outcomes {outcomes}")
    print(f"items accepted: {len(accepted)}, {len(accepted) / elapsed:.1f} per second; "
          f"phone's wait for the answer p50 {percentile(answer_ms, 50):.0f} ms, p99 {percentile(answer_ms, 99):.0f} ms")
    versions = versions_from_log()
    by_version, by_time, missing = delays(posts, projectors, versions)
    if versions:
        ms = [d * 1000 for d in by_version]
        print(f"delay answer → projector (by version or time): p50 {percentile(ms, 50):.0f} ms, p99 {percentile(ms, 99):.0f} ms, "
              f"max {max(ms, default=float('nan')):.0f} ms over {len(ms)} (post, projector) pairs; never shown: {missing}")
    else:
        print("delay by version: this build's events carry no version")
    ms = [d * 1000 for d in by_time]
    print(f"delay answer → projector (time, upper bound): p50 {percentile(ms, 50):.0f} ms, p99 {percentile(ms, 99):.0f} ms, "
          f"max {max(ms) if ms else float('nan'):.0f} ms over {len(ms)} pairs")
    for n, p in enumerate(projectors):
        took = [(e - s) * 1000 for s, _, e, _ in p.fetches]
        print(f"  projector {n}: {p.events} events ({p.reloads} reload), {len(p.fetches)} page fetches, "
              f"fetch p50 {percentile(took, 50):.0f} ms p99 {percentile(took, 99):.0f} ms, "
              f"page {p.fetches[-1][3] // 1024 if p.fetches else 0} kB (board {p.board_bytes // 1024} kB), failed fetches {p.failed}, "
              f"stream compressed: {p.compressed}")
    print(f"accepted by kind: SWOT {sum(x[4] == 'envoye' for x in posts)}, links {sum(x[4] == 'lien' for x in posts)}, "
          f"dots {sum(x[4] == 'gommettes' for x in posts)}")
    room_posts, stored, lost, doubled, unanswered = count_in_database(code, {x[1] for x in accepted if x[1]})
    print(f"database: {room_posts} room posts, {len(stored)} bench items stored; lost {len(lost)}, "
          f"doubled {len(doubled)}, stored without a 303 seen {len(unanswered)}")
    print(f"server RSS: max {rss_max / 1024:.1f} MB during the run, {rss_end / 1024:.1f} MB at the end "
          f"(with the {len(opened)} idle streams and {PROJECTORS} projectors)")
    json.dump({"accepted_per_s": len(accepted) / elapsed, "lost": len(lost), "doubled": len(doubled)},
              open(f"{WORK}/summary.json", "w"))


asyncio.run(main())
