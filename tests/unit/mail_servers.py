"""Real servers on 127.0.0.1 for the delivery tests: an SMTP server (aiosmtpd) that keeps what
it receives and can be stopped and started again, and an HTTP server standing in for a Google
Chat incoming webhook (reached only through `Webhook.post`: a test DNS answer and a test connection)."""

from __future__ import annotations

import dataclasses
import functools
import http.client
import json
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from brandifiers.config import get_settings
from brandifiers.services.common import outbound
from brandifiers.services.messaging import mailer

GOOGLE_URL = "https://chat.googleapis.com/v1/spaces/AAA/messages?key=k"
PUBLIC = "142.250.80.10"  # a public address (one of Google's)


def public_dns(host: str, port: int) -> list[str]:
    """A test resolver: every name is a public address, so the outbound rule lets it pass."""
    return [PUBLIC]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.inbox = _Inbox()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.inbox.messages

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller:
            self._controller.stop()
            self._controller = None

    def settings(self, **overrides):
        return dataclasses.replace(get_settings(), smtp_host="127.0.0.1", smtp_port=self.port, smtp_tls="none",
                                   smtp_user=None, mail_sender="Brandifiers <noreply@example.com>", **overrides)


class Webhook:
    """Records every JSON body posted to it; answers `status` (and `location`, if set).

    `url` is its real loopback address (which the outbound rule refuses); `post` is mailer.post_webhook
    with a test resolver and a connection that reaches this server whatever address passed the rule."""

    def __init__(self):
        self.posts: list[dict] = []
        self.status = 200
        self.location: str | None = None
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                hook.posts.append({"path": self.path, "json": json.loads(body),
                                   "content_type": self.headers.get("Content-Type")})
                self.send_response(hook.status)
                if hook.location:
                    self.send_header("Location", hook.location)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/spaces/AAA/messages?key=k"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.connected: list[outbound.Target] = []
        self.post = functools.partial(mailer.post_webhook, resolve=public_dns, connect=self.connect)

    def connect(self, target: outbound.Target, timeout: float) -> http.client.HTTPConnection:
        self.connected.append(target)
        return http.client.HTTPConnection("127.0.0.1", self.server.server_address[1], timeout=timeout)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def webhook():
    hook = Webhook()
    yield hook
    hook.close()
