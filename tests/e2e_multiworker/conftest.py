"""The scale-out topology for end-to-end tests: `scripts/brandifiers.sh scale` as a user starts it, on a
PostgreSQL database of its own and Redis database 12; skipped only when PostgreSQL or Redis do not
answer, and failed instead under BRANDIFIERS_REQUIRE_SCALE_OUT=1 (CI). Browser fixtures and page helpers come
from tests/e2e."""

from __future__ import annotations

import os
import pickle
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass

import psutil
import pytest
import redis
import sqlalchemy as sa
from playwright.sync_api import Page

from tests.conftest import _pg_database
from tests.e2e.conftest import APP_ROOT, browser, goto, login, new_page  # noqa: F401  (fixtures: the tests')

PG_SERVER = os.environ.get("BRANDIFIERS_TEST_DB_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = os.environ.get("BRANDIFIERS_TEST_REDIS_URL", "redis://127.0.0.1:6379/12")
ADMIN_EMAIL, ADMIN_PASSWORD = "admin@example.com", "e2e-admin-password"
LOG = APP_ROOT / "test-output" / "scale-out.log"
START_SECONDS = 300  # a cold machine installs the frontend's packages first
WORKERS = 2  # the script's default GRANIAN_WORKERS
# Reflex keeps each connected tab's socket owner here (reflex/utils/token_manager.py, pinned 0.10.1).
SOCKET_RECORD = "token_manager_socket_record_"


@dataclass
class ScaleOut:
    """The running `brandifiers.sh scale`: its process group, port, database and Redis."""

    script: subprocess.Popen
    port: int
    db_url: str
    redis: redis.Redis

    @property
    def base_url(self) -> str:
        return f"http://localhost:{self.port}"  # the name the built frontend calls its backend by

    def _children(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.script.pid).children()
        except psutil.NoSuchProcess:
            return []

    def scheduler(self) -> psutil.Process:
        return next(p for p in self._children() if "brandifiers.jobs" in " ".join(p.cmdline()))

    def web_workers(self) -> list[psutil.Process]:
        """The Granian workers: the children of `reflex run` (which serves nothing itself)."""
        web = [p for p in self._children() if "reflex" in " ".join(p.cmdline())]
        return web[0].children() if web else []

    def every_process(self) -> list[psutil.Process]:
        try:
            return [psutil.Process(self.script.pid), *psutil.Process(self.script.pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def worker_of(self, page: Page) -> str:
        """The id of the worker process whose socket serves this tab (one id per worker)."""
        token = _token(page)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            raw = self.redis.get(SOCKET_RECORD + token)
            if raw is not None:
                return pickle.loads(raw).instance_id
            time.sleep(0.1)
        raise AssertionError(f"no worker holds the socket of tab {token}")

    def settle(self, page: Page, quiet: float = 0.3, seconds: float = 15) -> None:
        """Wait until no event of this tab has held its state lock for `quiet` seconds. Reflex 0.10.1's
        Redis lock loses a wake-up when a page load cancels events still queued behind the lock, and the
        next events of that tab wait out the 10 s lock expiry: nobody reloads that fast, a test does."""
        key = _token(page) + "_lock"
        calm_since, deadline = None, time.monotonic() + seconds
        while time.monotonic() < deadline:
            now = time.monotonic()
            if self.redis.exists(key):
                calm_since = None
            elif calm_since is None:
                calm_since = now
            elif now - calm_since >= quiet:
                return
            time.sleep(0.05)

    def visit(self, page: Page, path: str) -> None:
        """A page load once the current page has settled (see settle)."""
        self.settle(page)
        goto(page, path)

    def reload(self, page: Page) -> None:
        self.settle(page)
        page.reload()
        page.wait_for_load_state("networkidle")

    def sign_in(self, page: Page, email: str, password: str, lands_on: str) -> None:
        login(page, email, password, lands_on)
        self.settle(page)

    def reconnect_elsewhere(self, page: Page, other_worker: str, tries: int = 20) -> str:
        """Reload the tab (a new socket, accepted by whichever worker) until another worker serves it."""
        for _ in range(tries):
            worker = self.worker_of(page)
            if worker != other_worker:
                self.settle(page)
                return worker
            self.reload(page)
        raise AssertionError(f"{tries} reconnects all landed on the same worker")

    def reload_until(self, page: Page, check, seconds: float, every: float = 3.0) -> None:
        """Reload the page until check() passes (figures a job writes: the page is not live)."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                check()
                return
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(every)
            self.reload(page)

    def log(self) -> str:
        return LOG.read_text(errors="replace") if LOG.exists() else ""

    def interrupt(self, timeout: float = 30) -> int:
        """Ctrl-C in the terminal: SIGINT to the script's whole process group; its exit status."""
        os.killpg(self.script.pid, signal.SIGINT)
        return self.script.wait(timeout)


def _token(page: Page) -> str:
    """The tab's Reflex client token (its state and lock are keyed by it)."""
    return page.evaluate("window.sessionStorage.getItem('token')")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _missing(reason: str) -> None:
    if os.environ.get("BRANDIFIERS_REQUIRE_SCALE_OUT") == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def _answers_or_skip(db_server: str, redis_url: str) -> redis.Redis:
    try:
        engine = sa.create_engine(db_server, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:  # any failure to connect means: no PostgreSQL here
        _missing(f"PostgreSQL does not answer at {db_server} ({type(exc).__name__}): the scale-out tests need it")
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        _missing(f"Redis does not answer at {redis_url} ({exc}): the scale-out tests need it")
    return client


def _drop_cached_figures(client: redis.Redis) -> None:
    """An earlier run's cached dashboards (same ids, another database) must not be read as ours."""
    for key in client.scan_iter(match="brandifiers:cache:*", count=500):
        client.delete(key)


def _wait_until_up(topology: ScaleOut) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if topology.script.poll() is not None:
            raise RuntimeError(f"brandifiers.sh scale ended ({topology.script.returncode}):\n{topology.log()[-4000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{topology.port}/ping", timeout=2) as r:
                up = r.read().strip(b'"') == b"pong"
        except OSError:
            up = False
        if up and len(topology.web_workers()) == WORKERS:
            return
        time.sleep(0.5)
    raise RuntimeError(f"brandifiers.sh scale did not answer in {START_SECONDS} s:\n{topology.log()[-4000:]}")


@pytest.fixture(scope="session")
def scale_out(tmp_path_factory) -> ScaleOut:
    client = _answers_or_skip(PG_SERVER, REDIS_URL)
    name = f"brandifiers_e2e_mw_{os.getpid()}"
    db_url = sa.engine.make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)
    _pg_database(PG_SERVER, name, create=False)  # a leftover of a killed run with this pid
    _drop_cached_figures(client)
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           # the script's own defaults are what is tested; Reflex must not think it runs under pytest
           if k not in ("GRANIAN_WORKERS", "BRANDIFIERS_SCHEDULER", "REFLEX_USE_GRANIAN", "PYTEST_CURRENT_TEST")}
    env.update({
        "REFLEX_DB_URL": db_url, "REFLEX_REDIS_URL": REDIS_URL,
        "REFLEX_FRONTEND_PORT": str(port), "REFLEX_BACKEND_PORT": str(port), "REFLEX_BACKEND_HOST": "127.0.0.1",
        "BRANDIFIERS_PUBLIC_URL": f"http://localhost:{port}",
        "BRANDIFIERS_ADMIN_EMAIL": ADMIN_EMAIL, "BRANDIFIERS_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "BRANDIFIERS_EXPORT_DIR": str(tmp_path_factory.mktemp("exports")),
        "REFLEX_UPLOADED_FILES_DIR": str(tmp_path_factory.mktemp("uploads")),
        # the shortest interval a site can choose: the scheduler's rollup shows within a minute
        "BRANDIFIERS_ROLLUP_MINUTES": "1",
    })
    LOG.parent.mkdir(parents=True, exist_ok=True)
    saved = {k: os.environ.get(k) for k in ("REFLEX_DB_URL", "REFLEX_REDIS_URL")}
    with LOG.open("w") as log:
        script = subprocess.Popen(["bash", str(APP_ROOT / "scripts" / "brandifiers.sh"), "scale"], cwd=APP_ROOT,
                                  env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    topology = ScaleOut(script, port, db_url, client)
    try:
        _wait_until_up(topology)
        # the tests' own service calls (making people) use the same database and cache as the app
        os.environ.update({"REFLEX_DB_URL": db_url, "REFLEX_REDIS_URL": REDIS_URL})
        yield topology
    finally:
        if script.poll() is None:
            try:
                topology.interrupt()
            except subprocess.TimeoutExpired:
                left = [(q.pid, q.cmdline(), q.status()) for q in topology.every_process()]
                print("still running 30 s after Ctrl-C (killed now):", left)
                os.killpg(script.pid, signal.SIGKILL)
                script.wait()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        from brandifiers.db import get_engine

        get_engine(db_url).dispose()
        _pg_database(PG_SERVER, name, create=False)
        _drop_cached_figures(client)


@pytest.fixture(scope="session")
def base_url(scale_out) -> str:
    return scale_out.base_url

