"""A real fake Stripe for tests: localstripe (PyPI) as a subprocess on a free 127.0.0.1 port, our api routes
served by uvicorn for its webhook deliveries, and events signed with Stripe's scheme for the ones
localstripe never sends. Used by the unit tests and by the e2e app."""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx

WEBHOOK_SECRET = "whsec_brandifiers_test"
SECRET_KEY = "sk_test_brandifiers"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


class LocalStripe:
    """localstripe on a free port; `register(url)` points its webhooks at our route."""

    def __init__(self):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        exe = shutil.which("localstripe", path=str(Path(sys.executable).parent)) or "localstripe"
        self.proc = subprocess.Popen([exe, "--port", str(self.port), "--from-scratch"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(f"{self.base}/v1/customers")

    def register(self, url: str) -> None:
        r = httpx.post(f"{self.base}/_config/webhooks/brandifiers", data={"url": url, "secret": WEBHOOK_SECRET})
        r.raise_for_status()

    def flush(self) -> None:
        """Forget every object (the registered webhooks stay)."""
        httpx.delete(f"{self.base}/_config/data").raise_for_status()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


class ApiServer:
    """Our Starlette api routes (brandifiers.api) under uvicorn in a thread."""

    def __init__(self):
        import uvicorn

        from brandifiers.api import api

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(api, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        _wait(f"{self.url}/metrics")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def stripe_env(base: str) -> dict[str, str]:
    """The environment that turns the Stripe gateway on against localstripe (test cards allowed)."""
    return {"BRANDIFIERS_PAYMENT_GATEWAY": "stripe", "BRANDIFIERS_STRIPE_SECRET_KEY": SECRET_KEY,
            "BRANDIFIERS_STRIPE_PUBLISHABLE_KEY": "pk_test_brandifiers",
            "BRANDIFIERS_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, "BRANDIFIERS_STRIPE_API_BASE": base,
            "BRANDIFIERS_STRIPE_TEST_CARDS": "1"}


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    """A Stripe-Signature header (t=...,v1=HMAC-SHA256 of "t.payload"), as Stripe computes it."""
    at = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{at}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"


def event(kind: str, obj: dict, event_id: str | None = None) -> dict:
    return {"id": event_id or f"evt_{uuid.uuid4().hex[:14]}", "object": "event", "type": kind,
            "created": int(time.time()), "data": {"object": obj}}


def post_event(api_url: str, evt: dict, secret: str = WEBHOOK_SECRET) -> httpx.Response:
    payload = json.dumps(evt).encode()
    return httpx.post(f"{api_url}/api/stripe/webhook", content=payload,
                      headers={"Stripe-Signature": sign(payload, secret), "Content-Type": "application/json"})

