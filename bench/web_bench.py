"""Benchmark: the served app as browsers use it. Prints one table; figures go to bench/README.md.

    .venv/bin/python bench/web_bench.py [--topology sqlite|pg-redis] [--users 200] [--idle 1000] [--phases ...]

Starts `reflex run --env prod` itself (SQLite with one worker, or PostgreSQL + Redis with --workers),
logs real seeded users in over the websocket (bench/webproto.py) and times send -> state delta."""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import psutil  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from sqlmodel import Session  # noqa: E402
from webproto import ROOT_STATE, EventTimeout, Tab, has_state  # noqa: E402

from brandifiers.db import get_engine  # noqa: E402
from brandifiers.migrations import upgrade  # noqa: E402
from brandifiers.models import CATEGORIES  # noqa: E402
from brandifiers.seed import DEMO_PASSWORD, is_empty, seed  # noqa: E402

VERSION = "0.10.1"


# ---- the app under test ------------------------------------------------------------------------

def prepare(url: str) -> None:
    """Migrate, seed L when empty, and give the first admin the demo password (bench data only)."""
    from brandifiers.services.accounts.passwords import hash_password, pwd_context

    engine = get_engine(url)
    upgrade(engine)
    with Session(engine) as s:
        empty = is_empty(s)
    if empty:
        print(f"seeding L into {url} (several minutes) ...", file=sys.stderr)
        seed(engine, "L", log=lambda m: print(m, file=sys.stderr))
    with engine.begin() as c:
        # a database seeded before the hashing cost changed: give the demo users today's hash, as a new seed would
        stale = c.execute(sa.text("SELECT password_hash FROM \"user\" WHERE role = 'influencer' LIMIT 1")).scalar()
        if stale and pwd_context.needs_update(stale):
            c.execute(sa.text("UPDATE \"user\" SET password_hash = :new WHERE password_hash = :old"),
                      {"new": hash_password(DEMO_PASSWORD), "old": stale})
        if c.execute(sa.text("SELECT count(*) FROM \"user\" WHERE role = 'admin'")).scalar() == 0:
            c.execute(sa.text("INSERT INTO \"user\" (email, password_hash, role, status, created_at) "
                              "VALUES ('bench-admin@example.com', :h, 'admin', 'active', :t)"),
                      {"h": hash_password(DEMO_PASSWORD), "t": "2026-01-01 00:00:00"})
        else:
            c.execute(sa.text("UPDATE \"user\" SET password_hash = :h WHERE id = (SELECT min(id) FROM \"user\" "
                              "WHERE role = 'admin')"), {"h": hash_password(DEMO_PASSWORD)})


def actors(url: str, n_sponsors: int, n_influencers: int) -> dict:
    """Seeded accounts to log in, each sponsor with an active campaign that has figures."""
    with get_engine(url).connect() as c:
        admin = c.execute(sa.text("SELECT email FROM \"user\" WHERE role = 'admin' AND status = 'active' "
                                  "ORDER BY id LIMIT 1")).scalar()
        sponsors = c.execute(sa.text(
            "SELECT u.email, min(cp.id) FROM \"user\" u JOIN campaign cp ON cp.sponsor_id = u.id "
            "WHERE u.role = 'sponsor' AND u.status = 'active' AND cp.status = 'active' "
            "AND EXISTS (SELECT 1 FROM adrequest r WHERE r.campaign_id = cp.id AND r.status = 'completed') "
            "GROUP BY u.email ORDER BY u.email LIMIT :n"), {"n": n_sponsors}).all()
        influencers = c.execute(sa.text(
            "SELECT email FROM \"user\" WHERE role = 'influencer' AND status = 'active' ORDER BY id LIMIT :n"),
            {"n": n_influencers}).scalars().all()
    return {"admin": admin, "sponsors": [(e, int(cid)) for e, cid in sponsors], "influencers": list(influencers)}


class Server:
    """`reflex run --env prod` on one port, in its own process group."""

    def __init__(self, args):
        self.args, self.proc = args, None
        self.url = f"http://127.0.0.1:{args.port}"

    def start(self) -> None:
        env = dict(os.environ, REFLEX_DB_URL=self.args.db_url, BRANDIFIERS_SCHEDULER="off",
                   BRANDIFIERS_REQUEST_LIMITS="off",  # the log-in burst comes from one address
                   PATH=f"{ROOT / '.tools' / 'bin'}:{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
                   REFLEX_USE_SYSTEM_BUN="1", REFLEX_CHECK_LATEST_VERSION="0", REFLEX_TELEMETRY_ENABLED="false",
                   GRANIAN_WORKERS=str(self.args.workers))
        env.setdefault("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org")
        if self.args.redis:
            env["REFLEX_REDIS_URL"] = self.args.redis
        else:
            env.pop("REFLEX_REDIS_URL", None)
        log = open(ROOT / "bench" / "output" / "web_server.log", "w")  # noqa: SIM115 (lives as long as the server)
        cmd = ["reflex", "run", "--env", "prod", "--frontend-port", str(self.args.port), "--backend-port",
               str(self.args.port), "--backend-host", "127.0.0.1"]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.time() + 600
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server stopped: see {log.name}")
            try:
                if urllib.request.urlopen(self.url + "/ping", timeout=2).read():
                    time.sleep(2)
                    return
            except OSError:
                time.sleep(1)
        raise SystemExit("the server did not answer /ping within 10 minutes")

    def workers(self) -> list[psutil.Process]:
        """The processes that serve events (Python processes of the server's tree holding > 50 MB)."""
        port = int(self.url.rsplit(":", 1)[1].split("/")[0])
        roots = {c.pid for c in psutil.net_connections("tcp") if c.status == "LISTEN" and c.laddr.port == port}
        procs = {}
        for pid in roots:
            for p in (psutil.Process(pid), *psutil.Process(pid).children(recursive=True)):
                procs[p.pid] = p
        return [p for p in procs.values() if p.memory_info().rss > 50 * 2**20]

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


class Sampler:
    """CPU (in cores) and RSS of the serving processes between start() and stop()."""

    def __init__(self, server: Server):
        self.server = server

    def start(self) -> None:
        self.procs = self.server.workers()
        self.others = {"postgres (connections open at the start)": [], "redis": [], "client": [psutil.Process()]}
        for p in psutil.process_iter(["name"]):
            name = p.info["name"] or ""
            if name.startswith("postgres"):
                self.others["postgres (connections open at the start)"].append(p)
            elif name.startswith("redis-server"):
                self.others["redis"].append(p)
        self.t0 = time.perf_counter()
        self.machine0 = psutil.cpu_times()
        self.cpu0 = {p.pid: self._cpu(p) for p in self.procs + [q for v in self.others.values() for q in v]}

    @staticmethod
    def _cpu(p: psutil.Process) -> float:
        try:
            return sum(p.cpu_times()[:2])
        except psutil.Error:
            return 0.0

    def stop(self) -> dict:
        wall = time.perf_counter() - self.t0
        cpu = sum(self._cpu(p) - self.cpu0[p.pid] for p in self.procs if p.is_running())
        rss = [p.memory_info().rss / 2**20 for p in self.procs if p.is_running()]
        others = {k: sum(max(0.0, self._cpu(p) - self.cpu0[p.pid]) for p in v) / wall for k, v in self.others.items()}
        m0, m1 = self.machine0, psutil.cpu_times()
        others["whole machine"] = (m1.user + m1.system + m1.nice - m0.user - m0.system - m0.nice) / wall
        return {"cores": cpu / wall, "rss_max": max(rss, default=0), "rss": rss, "others": others}


# ---- the events ----------------------------------------------------------------------------------

class Names:
    """Full handler names, read from the app's state classes (so a renamed module follows)."""

    def __init__(self):
        from brandifiers.state.account import AccountState
        from brandifiers.state.auth import AuthState
        from brandifiers.state.discovery import DiscoveryState

        self.auth = AuthState.get_full_name()
        self.login = f"{AccountState.get_full_name()}.login"
        self.discovery = DiscoveryState.get_full_name()
        self.search_influencers = f"{self.discovery}.search_influencers"
        self.search_campaigns = f"{self.discovery}.search_campaigns"
        self.trivial = f"{ROOT_STATE}.reflex___state____update_vars_internal_state.update_vars_internal"
        from brandifiers.state.notifications import NotificationState
        from brandifiers.state.requests import RequestState

        self.bell = NotificationState.get_full_name()
        self.counter = f"{RequestState.get_full_name()}.counter"


def form(**fields) -> dict:
    return {"form_data": fields}


class User:
    """One person: a role, an auth token from a real log-in, and a tab."""

    def __init__(self, bench: Bench, role: str, email: str, campaign_id: int | None = None):
        self.bench, self.role, self.email, self.campaign_id = bench, role, email, campaign_id
        self.token = ""
        self.tab: Tab | None = None

    def twin(self) -> User:
        """The same person in another tab."""
        other = User(self.bench, self.role, self.email, self.campaign_id)
        other.token = self.token
        return other

    async def login(self) -> float:
        tab = self.bench.tab()
        await tab.connect("/login")
        took = await tab.send(self.bench.names.login, form(email=self.email, password=DEMO_PASSWORD),
                              has_state(self.bench.names.auth, "auth_token"))
        self.token = tab.last_delta[self.bench.names.auth]["auth_token_rx_state_"]
        await tab.close()
        return took

    async def open(self, path: str, params: dict | None = None) -> float:
        self.tab = self.bench.tab()
        return await self.tab.connect(path, self.token, params=params)

    # each returns the seconds from send to the delta a person waits for
    async def search_category(self):
        return await self._search(category=random.choice(list(CATEGORIES)))

    async def search_text(self):
        return await self._search(text="creator")

    async def search_fit(self):
        return await self._search(sort="fit", campaign_id=str(self.campaign_id))

    async def _search(self, **fields):
        n = self.bench.names
        await self._on("/sponsor/discover")
        return await self.tab.send(n.search_influencers, form(**fields), has_state(n.discovery, "rows"))

    async def search_campaigns(self):
        n = self.bench.names
        await self._on("/influencer/campaigns")
        fields = random.choice([{"category": random.choice(list(CATEGORIES))}, {"text": "summer"}, {}])
        return await self.tab.send(n.search_campaigns, form(**fields), has_state(n.discovery, "rows"))

    async def campaign_stats(self):
        return await self.tab.navigate(f"/sponsor/campaigns/{self.campaign_id}/stats",
                                       params={"campaign_id": self.campaign_id})

    async def check_stats_page(self) -> None:
        """The statistics page shows the campaign (not 'does not exist'): the route's argument arrived."""
        from brandifiers.state.sponsor_stats import CampaignStatsState

        shown = self.tab._expect(has_state(CampaignStatsState.get_full_name(), "name"))
        await self.campaign_stats()
        await asyncio.sleep(0.2)
        name = shown.result().get(CampaignStatsState.get_full_name(), {}).get("name_rx_state_") if shown.done() else ""
        if not name:
            raise SystemExit(f"the statistics page of campaign {self.campaign_id} did not load")

    async def dashboard(self):
        return await self.tab.navigate("/sponsor")

    async def admin_home(self):
        return await self.tab.navigate("/admin")

    async def trivial(self):
        key = f"{self.bench.names.auth}.auth_token_rx_state_"
        return await self.tab.send(self.bench.names.trivial, {"vars": {key: self.token}},
                                   has_state(self.bench.names.auth))

    async def _on(self, path: str):
        if self.tab.path != path:
            await self.tab.navigate(path)


SPONSOR_EVENTS = [("influencer search, category", "search_category"), ("influencer search, text 'creator'",
                  "search_text"), ("influencer search, fit sort", "search_fit"),
                  ("campaign statistics page load", "campaign_stats"), ("sponsor dashboard load", "dashboard")]
INFLUENCER_EVENTS = [("campaign search (influencer)", "search_campaigns")]
ADMIN_EVENTS = [("admin home load", "admin_home")]
FLOOR = ("trivial handler (Reflex's floor)", "trivial")
ORDER = [label for label, _m in SPONSOR_EVENTS + INFLUENCER_EVENTS + ADMIN_EVENTS] + [FLOOR[0]]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))] * 1000


class Bench:
    def __init__(self, args, server: Server, who: dict):
        self.args, self.server, self.who = args, server, who
        self.names = Names()
        self.rows: dict[str, dict[str, str]] = {label: {} for label in ORDER}
        self.notes: list[str] = []

    def tab(self) -> Tab:
        return Tab(self.server.url, self.names.auth, VERSION)

    async def users(self, role: str, n: int) -> list[User]:
        """n logged-in users of a role (log-ins 8 at a time)."""
        if role == "sponsor":
            pool = [User(self, role, e, cid) for e, cid in self.who["sponsors"]]
        elif role == "influencer":
            pool = [User(self, role, e) for e in self.who["influencers"]]
        else:
            pool = [User(self, role, self.who["admin"])]
        chosen = [pool[i % len(pool)] for i in range(n)]
        gate = asyncio.Semaphore(8)

        async def one(u):
            async with gate:
                if not u.token:
                    await u.login()
        await asyncio.gather(*(one(u) for u in set(chosen)))
        return [u if i < len(pool) else u.twin() for i, u in enumerate(chosen)]

    # ---- phases -------------------------------------------------------------------------------
    async def single(self) -> None:
        """1 client: each event `reps` times in a row (after 3 warm-up calls)."""
        (sp,), (inf,), (adm,) = [await self.users(r, 1) for r in ("sponsor", "influencer", "admin")]
        for u, home in ((sp, "/sponsor"), (inf, "/influencer"), (adm, "/admin")):
            await u.open(home)
        await sp.check_stats_page()
        plan = [(sp, e) for e in SPONSOR_EVENTS] + [(inf, e) for e in INFLUENCER_EVENTS] + \
               [(adm, e) for e in ADMIN_EVENTS] + [(sp, FLOOR)]
        self.single_window = (datetime.now(), None)
        for u, (label, method) in plan:
            times = []
            for i in range(self.args.reps + 3):
                took = await getattr(u, method)()
                if i >= 3:
                    times.append(took)
            self.rows[label]["1 client p50 / p95 ms"] = f"{pct(times, 50):.1f} / {pct(times, 95):.1f}"
            self.single_times = getattr(self, "single_times", {})
            self.single_times[label] = times
        self.single_window = (self.single_window[0], datetime.now())
        for u in (sp, inf, adm):
            await u.tab.close()

    async def load(self) -> None:
        """N users with exponential think time (mean --think s), mixed events, for --duration s."""
        n = self.args.users
        n_sp = n * 3 // 5
        people = await self.users("sponsor", n_sp) + await self.users("influencer", n - n_sp)
        gate = asyncio.Semaphore(20)

        async def open_one(u):
            async with gate:
                await u.open("/sponsor/discover" if u.role == "sponsor" else "/influencer/campaigns")
        await asyncio.gather(*(open_one(u) for u in people))
        times: dict[str, list[float]] = {label: [] for label in ORDER}
        errors = {"n": 0}
        stop_at = time.perf_counter() + self.args.duration
        sampler = Sampler(self.server)
        sampler.start()

        async def run(u: User):
            events = SPONSOR_EVENTS if u.role == "sponsor" else INFLUENCER_EVENTS
            await asyncio.sleep(random.expovariate(1 / self.args.think))
            while time.perf_counter() < stop_at:
                label, method = random.choice(events)
                try:
                    times[label].append(await getattr(u, method)())
                except (EventTimeout, OSError):
                    errors["n"] += 1
                await asyncio.sleep(random.expovariate(1 / self.args.think))
        await asyncio.gather(*(run(u) for u in people))
        used = sampler.stop()
        col = f"{n} users p50 / p95 ms"
        everything = [t for v in times.values() for t in v]
        for label, v in times.items():
            if v:
                self.rows[label][col] = f"{pct(v, 50):,.0f} / {pct(v, 95):,.0f}"
        self.rows.setdefault("all events (mixed)", {})[col] = f"{pct(everything, 50):,.0f} / {pct(everything, 95):,.0f}"
        self.notes.append(f"{n} users, {self.args.think} s mean think time, {self.args.duration} s: "
                          f"{len(everything):,} events ({len(everything) / self.args.duration:.0f}/s), "
                          f"{errors['n']} errors; backend {used['cores']:.2f} cores ("
                          + ", ".join(f"{k} {v:.2f}" for k, v in used["others"].items()) + "), "
                          f"RSS per worker {', '.join(f'{r:.0f}' for r in used['rss'])} MiB")
        for u in people:
            await u.tab.close()

    async def idle(self) -> None:
        """K connected idle tabs: their CPU, and what they add to another user's search p95."""
        k = self.args.idle
        people = await self.users("influencer", min(k, 50))
        tabs = []
        gate = asyncio.Semaphore(25)

        async def open_one(i):
            u = people[i % len(people)]
            t = self.tab()
            async with gate:
                await t.connect("/influencer/requests", u.token)
            tabs.append(t)
        (sp,) = await self.users("sponsor", 1)
        await sp.open("/sponsor/discover")
        await asyncio.sleep(20)  # the earlier phases' state writes settle
        sampler = Sampler(self.server)
        sampler.start()
        await asyncio.sleep(10)
        quiet = sampler.stop()
        base = [await sp.search_category() for _ in range(self.args.reps * 2)]
        await asyncio.gather(*(open_one(i) for i in range(k)))
        await asyncio.sleep(10)
        sampler.start()
        await asyncio.sleep(30)
        used = sampler.stop()
        times = [await sp.search_category() for _ in range(self.args.reps * 2)]
        await sp.tab.close()
        self.notes.append(f"{k} idle tabs: {used['cores'] * 100:.1f}% of a core (no tabs, same phase: "
                          f"{quiet['cores'] * 100:.1f}%); RSS {', '.join(f'{r:.0f}' for r in used['rss'])} MiB; "
                          f"a category search meanwhile p50 / p95 / max {pct(times, 50):.1f} / {pct(times, 95):.1f} / "
                          f"{max(times) * 1000:.1f} ms, before the tabs {pct(base, 50):.1f} / {pct(base, 95):.1f} / "
                          f"{max(base) * 1000:.1f} ms")
        await asyncio.gather(*(t.close() for t in tabs))

    async def logins(self) -> None:
        """10 log-ins per second for 20 s while one user searches: that user's p50 / p95."""
        (sp,) = await self.users("sponsor", 1)
        await sp.open("/sponsor/discover")
        base = [await sp.search_category() for _ in range(self.args.reps)]
        pool = self.who["influencers"]
        stop_at = time.perf_counter() + 20

        async def burst():
            i, tasks = 0, []
            while time.perf_counter() < stop_at:
                tasks.append(asyncio.create_task(User(self, "influencer", pool[i % len(pool)]).login()))
                i += 1
                await asyncio.sleep(0.1)
            return await asyncio.gather(*tasks, return_exceptions=True)

        async def searches():
            out = []
            while time.perf_counter() < stop_at:
                out.append(await sp.search_category())
                await asyncio.sleep(0.05)
            return out
        logins, during = await asyncio.gather(burst(), searches())
        ok = [t for t in logins if isinstance(t, float)]
        self.notes.append(f"10 log-ins/s for 20 s ({len(ok)} ok, log-in p50 {pct(ok, 50):.0f} ms): another user's "
                          f"search p50 / p95 {pct(during, 50):.1f} / {pct(during, 95):.1f} ms against "
                          f"{pct(base, 50):.1f} / {pct(base, 95):.1f} ms without")
        await sp.tab.close()


async def live_phase(bench: Bench, url: str, rounds: int) -> list[float]:
    """Two parties on one negotiating request, each with the request open: one counters, the other's tab
    receives the bell's new count (send -> the other tab's delta); they take turns."""
    with get_engine(url).connect() as c:
        row = c.execute(sa.text(
            "SELECT r.id, s.email, i.email, (SELECT o.author_role FROM offer o WHERE o.ad_request_id = r.id "
            "ORDER BY o.id DESC LIMIT 1) FROM adrequest r JOIN \"user\" s ON s.id = r.sponsor_id "
            "JOIN \"user\" i ON i.id = r.influencer_id JOIN campaign cp ON cp.id = r.campaign_id "
            "WHERE r.status IN ('pending', 'negotiating') AND s.status = 'active' AND i.status = 'active' "
            "AND cp.status = 'active' AND cp.flagged = false AND r.flagged = false ORDER BY r.id LIMIT 1")).one()
    rid, sponsor_email, influencer_email, last = row
    sp, inf = User(bench, "sponsor", sponsor_email), User(bench, "influencer", influencer_email)
    await sp.login()
    await inf.login()
    await sp.open(f"/sponsor/requests/{rid}", {"request_id": rid})
    await inf.open(f"/influencer/requests/{rid}", {"request_id": rid})
    workers = ""
    if bench.args.topology == "pg-redis":  # the two tabs on different workers, as two people would often be
        import pickle

        import redis
        store = redis.Redis.from_url(bench.args.redis)

        def worker(tab) -> str | None:
            raw = store.get("token_manager_socket_record_" + tab.client_token)
            return pickle.loads(raw).instance_id if raw else None
        for _ in range(20):
            if worker(sp.tab) and worker(inf.tab) and worker(sp.tab) != worker(inf.tab):
                break
            await inf.tab.close()
            await inf.open(f"/influencer/requests/{rid}", {"request_id": rid})
        workers = "different workers" if worker(sp.tab) != worker(inf.tab) else "THE SAME worker"
    bench.live_workers = workers
    mover, other = (sp, inf) if last == "influencer" else (inf, sp)
    out = []
    for i in range(rounds + 2):
        heard = other.tab._expect(has_state(bench.names.bell, "unread"))
        start = time.perf_counter()
        await mover.tab.send(bench.names.counter, form(amount=str(100 + i), terms="", message="bench"),
                             has_state(bench.names.auth, "errors"))
        try:
            await asyncio.wait_for(heard, 10)
        except TimeoutError:
            raise SystemExit(f"live: no update reached the other tab; the sender saw {mover.tab.last_delta}") from None
        if i >= 2:
            out.append(time.perf_counter() - start)
        await asyncio.sleep(0.5)  # the other tab's page reloads its offers before it answers
        mover, other = other, mover
    await sp.tab.close()
    await inf.tab.close()
    return out


# Every websocket frame's arrival time, kept by the page (installed before the app's own scripts run).
WS_TIMES = """(() => { window.__wsAt = [];
    const Orig = window.WebSocket;
    class Timed extends Orig { constructor(...a) { super(...a);
        this.addEventListener('message', () => window.__wsAt.push(performance.now())); } }
    window.WebSocket = Timed; })()"""


def click_to_dom(base_url: str, email: str, reps: int) -> list[tuple[float, float]]:
    """Chromium: the sponsor's Search button -> the first result changed on screen, and of that the part
    until the last websocket frame before the change (the reply); the rest is rendering. Seconds."""
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=os.environ.get("BRANDIFIERS_CHROMIUM", "/usr/bin/chromium"),
                                     headless=True, args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.add_init_script(WS_TIMES)
        page.goto(base_url + "/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url("**/sponsor", timeout=30000)
        page.goto(base_url + "/sponsor/discover")
        page.wait_for_selector("a[href^='/sponsor/influencers/']", timeout=30000)
        out = []
        for i in range(reps + 3):
            page.fill("input[name=text]", ["coffee", ""][i % 2])  # the page opens on the unfiltered list
            took = page.evaluate("""() => new Promise(resolve => {
                const first = () => document.querySelector("a[href^='/sponsor/influencers/']")?.textContent;
                const before = first();
                const t0 = performance.now();
                const obs = new MutationObserver(() => {
                    if (first() !== before) {
                        const t1 = performance.now(); obs.disconnect();
                        const frames = window.__wsAt.filter(t => t >= t0 && t <= t1);
                        resolve([t1 - t0, frames.length ? frames[frames.length - 1] - t0 : -1]);
                    }
                });
                setTimeout(() => { obs.disconnect(); resolve([-1, -1]); }, 10000);
                obs.observe(document.body, {childList: true, subtree: true, characterData: true});
                document.querySelector('#search-submit').click();
            })""")
            if took[0] < 0:
                page.screenshot(path=str(ROOT / "bench" / "output" / "click_timeout.png"))
                raise SystemExit("click -> DOM: the first result did not change within 10 s (see bench/output)")
            if i >= 3:
                out.append((took[0] / 1000, took[1] / 1000))
        browser.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--topology", choices=("sqlite", "pg-redis"), default="sqlite")
    ap.add_argument("--db", default="/tmp/brandifiers-web-L.db", help="SQLite file (seeded at L when missing)")
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/brandifiers_web_l",
                    help="PostgreSQL database for pg-redis (created and seeded at L when missing)")
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/13", help="Redis for pg-redis (database 13)")
    ap.add_argument("--workers", type=int, default=0, help="backend workers (default: 1 sqlite, 2 pg-redis)")
    ap.add_argument("--port", type=int, default=3117)
    ap.add_argument("--url", help="use a server already running there instead of starting one")
    ap.add_argument("--users", type=int, default=200)
    ap.add_argument("--think", type=float, default=1.0)
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--idle", type=int, default=1000)
    ap.add_argument("--reps", type=int, default=40)
    ap.add_argument("--phases", default="single,load,idle,logins,live,click")
    args = ap.parse_args()
    if args.topology == "sqlite":
        args.db_url, args.redis, args.workers = f"sqlite:///{args.db}", "", args.workers or 1
    else:
        args.db_url, args.workers = args.pg, args.workers or 2
        _create_pg(args.pg)
    (ROOT / "bench" / "output").mkdir(exist_ok=True)
    prepare(args.db_url)
    who = actors(args.db_url, 120, 200)
    server = Server(args)
    if args.url:
        server.url = args.url
    else:
        server.start()
    try:
        bench = Bench(args, server, who)
        phases = args.phases.split(",")
        for name in ("single", "load", "idle", "logins"):
            if name in phases:
                print(f"... {name}", file=sys.stderr)
                asyncio.run(getattr(bench, name)())
        if "live" in phases:
            print("... live", file=sys.stderr)
            t = asyncio.run(live_phase(bench, args.db_url, 20))
            bench.notes.append(f"live update (a counter-offer in one tab -> the other party's open tab shows the "
                               f"new bell count{'; tabs on ' + bench.live_workers if bench.live_workers else ''}): "
                               f"p50 / p95 / max {pct(t, 50):.1f} / {pct(t, 95):.1f} / "
                               f"{max(t) * 1000:.1f} ms")
        if "click" in phases:
            clicks = click_to_dom(server.url, who["sponsors"][0][0], args.reps)
            t, reply = [c[0] for c in clicks], [c[1] for c in clicks if c[1] >= 0]
            render = [c[0] - c[1] for c in clicks if c[1] >= 0]
            bench.notes.append(f"Chromium, Search click -> first result changed: p50 / p95 "
                               f"{pct(t, 50):.1f} / {pct(t, 95):.1f} ms; of it, click -> the last websocket frame "
                               f"before the change p50 {pct(reply, 50):.1f} ms, that frame -> the changed DOM "
                               f"(rendering) p50 {pct(render, 50):.1f} ms ({len(reply)} of {len(t)} with a frame)")
    finally:
        server.stop()
    report(bench, args)
    return 0


def _create_pg(url: str) -> None:
    u = sa.engine.make_url(url)
    admin = sa.create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        if not c.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": u.database}).first():
            c.execute(sa.text(f'CREATE DATABASE "{u.database}"'))
    admin.dispose()


def handler_times(window) -> dict[str, list[float]]:
    """{handler: [seconds]} from the server's event log lines ("<time> event <handler> <ms>ms ok") in window."""
    log = ROOT / "bench" / "output" / "web_server.log"
    if not window or not window[1] or not log.exists():
        return {}
    out: dict[str, list[float]] = {}
    for line in log.read_text(errors="replace").splitlines():
        parts = line.split()
        if len(parts) < 5 or parts[2] != "event" or not parts[4].endswith("ms"):
            continue
        try:
            at = datetime.strptime(f"{parts[0]} {parts[1]}", "%Y-%m-%d %H:%M:%S,%f")
            took = float(parts[4][:-2]) / 1000
        except ValueError:
            continue
        if window[0] <= at <= window[1]:
            out.setdefault(parts[3], []).append(took)
    return out


def report(bench: Bench, args) -> None:
    cols = ["1 client p50 / p95 ms", f"{args.users} users p50 / p95 ms"]
    topo = "SQLite, 1 worker" if args.topology == "sqlite" else f"PostgreSQL + Redis, {args.workers} workers"
    print(f"\nweb tier at L, {topo}, {time.strftime('%Y-%m-%d %H:%M')}\n")
    print("| event | " + " | ".join(cols) + " |")
    print("|---|" + "---|" * len(cols))
    for label, row in bench.rows.items():
        if row:
            print(f"| {label} | " + " | ".join(row.get(c, "-") for c in cols) + " |")
    floor = getattr(bench, "single_times", {}).get(FLOOR[0])
    if floor:
        f50 = pct(floor, 50)
        ratios = ", ".join(f"{label.split(',')[0].split(' (')[0]} {pct(v, 50) / f50:.1f}x"
                           for label, v in bench.single_times.items() if label != FLOOR[0])
        print(f"\n1 client p50 over the trivial handler's {f50:.2f} ms: {ratios}")
    for note in bench.notes:
        print(f"- {note}")
    handlers = handler_times(getattr(bench, "single_window", None))
    if handlers:
        print("\nWhere the 1-client time goes: each handler's own time in the server's event log (p50 / p95 ms,"
              " calls), the rest of an event's round trip being the state manager and the transport\n")
        print("| handler | p50 / p95 ms | calls |\n|---|---|---|")
        for name, times in sorted(handlers.items(), key=lambda kv: -pct(kv[1], 50)):
            print(f"| {name} | {pct(times, 50):.1f} / {pct(times, 95):.1f} | {len(times)} |")
    print(f"\n(machine: {os.cpu_count()} cores, load average {', '.join(f'{x:.2f}' for x in os.getloadavg())};"
          " percentiles are nearest-rank)")


if __name__ == "__main__":
    sys.exit(main())
