"""A minimal client of Reflex's websocket event protocol (socket.io v5 over Engine.IO v4, namespace
/_event) for the web-tier benchmark: one Tab is one browser tab with its own client token."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import uuid
from collections.abc import Callable

import websockets

ROOT_STATE = "reflex___state____state"
TOKEN_VAR = "auth_token_rx_state_"
NAMESPACE = "/_event"


class EventTimeout(Exception):
    pass


class Tab:
    """One connected tab. `send` posts an event and waits until a reply satisfies `done(delta)`."""

    def __init__(self, base_url: str, auth_state: str, protocol_version: str):
        self.ws_url = base_url.replace("http", "ws", 1).rstrip("/")
        self.auth_state = auth_state
        self.version = protocol_version
        self.client_token = str(uuid.uuid4())
        self.auth_token = ""
        self.ws = None
        self._waiters: list[tuple[Callable[[dict], bool], asyncio.Future]] = []
        self._reader: asyncio.Task | None = None
        self.path = "/"
        self.params: dict = {}  # the route's arguments ([campaign_id]...), sent as the browser does
        self.frames = 0
        self.last_delta: dict = {}

    async def connect(self, path: str, auth_token: str = "", timeout: float = 30.0,
                      params: dict | None = None) -> float:
        """Open the socket and hydrate `path` (the browser's CONNECT packet carries the hydrate event).
        Returns the seconds until the page was hydrated."""
        self.path, self.auth_token, self.params = path, auth_token, dict(params or {})
        url = f"{self.ws_url}/_event/?token={self.client_token}&EIO=4&transport=websocket"
        self.ws = await websockets.connect(url, subprotocols=[self.version], max_size=None, open_timeout=timeout,
                                           ping_interval=None, compression=None)
        opened = json.loads((await self.ws.recv())[1:])
        assert "sid" in opened, opened
        self._reader = asyncio.create_task(self._read())
        payload = {"vars": {f"{self.auth_state}.{TOKEN_VAR}": auth_token}} if auth_token else {}
        boot = {"name": f"{ROOT_STATE}.hydrate_and_load", "payload": payload, "router_data": self._router(path)}
        start = time.perf_counter()
        fut = self._expect(_hydrated)
        await self.ws.send("40" + NAMESPACE + "," + json.dumps({"event": boot}))
        await asyncio.wait_for(fut, timeout)
        return time.perf_counter() - start

    def _router(self, path: str) -> dict:
        data = {"pathname": path.split("?")[0], "asPath": path}
        if self.params:
            data["query"] = {k: str(v) for k, v in self.params.items()}
        return data

    def _expect(self, done: Callable[[dict], bool]) -> asyncio.Future:
        fut = asyncio.get_running_loop().create_future()
        self._waiters.append((done, fut))
        return fut

    async def _read(self) -> None:
        try:
            async for frame in self.ws:
                self.frames += 1
                if os.environ.get("WEBPROTO_DEBUG"):
                    print("<<", self.path, frame[:200], file=sys.stderr)
                if frame == "2":  # Engine.IO ping
                    await self.ws.send("3")
                    continue
                if not frame.startswith("42" + NAMESPACE + ","):
                    continue
                name, update = json.loads(frame[len(NAMESPACE) + 3:])
                if name != "event":
                    continue
                delta = update.get("delta") or {}
                for done, fut in list(self._waiters):
                    if not fut.done() and done(delta):
                        fut.set_result(delta)
                        self._waiters.remove((done, fut))
        except websockets.ConnectionClosed:
            pass
        finally:
            for _done, fut in self._waiters:
                if not fut.done():
                    fut.set_exception(EventTimeout("socket closed"))

    async def send(self, handler: str, payload: dict | None = None, done: Callable[[dict], bool] | None = None,
                   path: str | None = None, timeout: float = 30.0) -> float:
        """Send one event; returns the seconds until a delta satisfied `done` (default: any delta)."""
        path = path or self.path
        event = {"name": handler, "payload": payload or {}, "router_data": self._router(path)}
        fut = self._expect(done or (lambda d: bool(d)))
        start = time.perf_counter()
        await self.ws.send("42" + NAMESPACE + "," + json.dumps(["event", event]))
        try:
            self.last_delta = await asyncio.wait_for(fut, timeout)
        except TimeoutError as exc:
            raise EventTimeout(handler) from exc
        return time.perf_counter() - start

    async def navigate(self, path: str, timeout: float = 30.0, params: dict | None = None) -> float:
        """A client-side navigation: the page's on_load events, until the page is hydrated again."""
        self.path, self.params = path, dict(params or {})
        return await self.send(f"{ROOT_STATE}.reflex___state____on_load_internal_state.on_load_internal",
                               None, _hydrated, path, timeout)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)


def _hydrated(delta: dict) -> bool:
    return delta.get(ROOT_STATE, {}).get("is_hydrated_rx_state_") is True


def has_state(full_name: str, var: str | None = None) -> Callable[[dict], bool]:
    """A `done` test: the delta changes that state (or that var of it)."""
    def done(delta: dict) -> bool:
        part = delta.get(full_name)
        return part is not None and (var is None or f"{var}_rx_state_" in part)
    return done
