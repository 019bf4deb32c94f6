"""What localstripe does not do as Stripe does, against Stripe's answers replayed by a local HTTP server
(tests/stripe_recorded): a retry after a lost answer carries the same idempotency key, and the
reconciliation asks Stripe for the window's payments only, page by page."""

from __future__ import annotations

import json
import socket
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import func, select

from brandifiers.models import Funding
from brandifiers.services.common.errors import DomainError
from brandifiers.services.deals import funding
from brandifiers.services.payments.gateway import GatewayRefused, gateway_for
from tests.unit.collab_factories import advance, cast, cheap_passwords, send  # noqa: F401

RECORDED = Path(__file__).parent.parent / "stripe_recorded"
DROP = object()  # close the connection without answering: the answer is lost on the way back


class Status:
    """An answer with another HTTP status than 200."""

    def __init__(self, code: int, body: dict):
        self.code, self.body = code, body


def recorded(name: str, **changes) -> dict:
    return json.loads((RECORDED / name).read_text()) | changes


class ReplayServer(ThreadingHTTPServer):
    """Answers each request with the next scripted answer and keeps what was asked."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script: list = []
        self.asked: list[dict] = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        parts = urlsplit(self.path)
        self.server.asked.append({"method": self.command, "path": parts.path, "query": parse_qs(parts.query),
                                  "form": parse_qs(body), "key": self.headers.get("Idempotency-Key")})
        answer = self.server.script.pop(0)
        if answer is DROP:
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        code, answer = (answer.code, answer.body) if isinstance(answer, Status) else (200, answer)
        payload = json.dumps(answer).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def stripe_replay(monkeypatch):
    server = ReplayServer()
    for key, value in {"BRANDIFIERS_PAYMENT_GATEWAY": "stripe", "BRANDIFIERS_STRIPE_SECRET_KEY": "sk_test_recorded",
                       "BRANDIFIERS_STRIPE_API_BASE": server.url, "BRANDIFIERS_STRIPE_TEST_CARDS": "0"}.items():
        monkeypatch.setenv(key, value)
    yield server
    server.shutdown()
    server.server_close()


def test_a_retry_after_a_lost_answer_is_the_same_payment(stripe_replay, session):
    people = cast(session)
    request = advance(session, send(session, people.sponsor, people.campaign, people.influencer, payment="300"),
                      "accepted", people)
    data = {"fund_amount": "250", "payment_method": "pm_1MtwBwLkdIwHu7ixoQw4Ffuk"}
    stripe_replay.script = [DROP, recorded("payment_intent_requires_capture.json",
                                           metadata={"ad_request_id": str(request.id)})]
    with pytest.raises(DomainError, match="cannot be reached"):
        funding.fund_request(session, people.sponsor.id, request.id, data)
    session.rollback()
    assert session.exec(select(func.count()).select_from(Funding)).one() == 0  # nothing half-written
    row = funding.fund_request(session, people.sponsor.id, request.id, data)
    session.commit()
    first, retry = stripe_replay.asked
    assert first["key"] == retry["key"] == f"fund:{request.id}:0:25000"  # Stripe answers the retry with the same PI
    assert first["form"] == retry["form"]
    assert retry["form"]["capture_method"] == ["manual"] and retry["form"]["amount"] == ["25000"]
    assert (row.status, row.amount_cents, row.payment_id) == ("held", 25000, "pi_3MtwBwLkdIwHu7ix28a3tqPa")


def test_reconciliation_lists_the_window_only_page_by_page(stripe_replay):
    since = datetime(2025, 12, 4, tzinfo=UTC)
    page1 = recorded("payment_intents_list_page1.json")
    stripe_replay.script = [page1, recorded("payment_intents_list_page2.json")]
    payments = gateway_for().list_payments(since)
    first, second = stripe_replay.asked
    assert first["query"]["created[gte]"] == [str(int(since.timestamp()))]
    assert second["query"]["created[gte]"] == first["query"]["created[gte]"]
    assert "starting_after" not in first["query"]
    assert second["query"]["starting_after"] == [page1["data"][-1]["id"]]
    assert [(p.payment_id[-20:], p.status, p.amount_cents) for p in payments] == [
        ("01LkdIwHu7ix28a3tqPa", "held", 25000), ("02LkdIwHu7ix28a3tqPa", "held", 25000),
        ("03LkdIwHu7ix28a3tqPa", "refunded", 25000)]


def test_a_gateway_refusing_the_created_filter_is_read_whole(stripe_replay):
    """localstripe's answer to the `created` filter: then every page is read and filtered here."""
    refused = Status(400, {"error": {"message": "Unexpected created", "type": "invalid_request_error"}})
    whole = recorded("payment_intents_list_page1.json", has_more=False)
    stripe_replay.script = [refused, whole]
    payments = gateway_for().list_payments(datetime.fromtimestamp(1764895000, UTC))
    first, second = stripe_replay.asked
    assert "created[gte]" in first["query"] and "created[gte]" not in second["query"]
    assert [p.created for p in payments] == [datetime.fromtimestamp(1764900000, UTC)]  # the older one left out


def test_other_refusals_are_not_taken_for_the_filter(stripe_replay):
    stripe_replay.script = [Status(400, {"error": {"message": "Invalid API Key", "type": "invalid_request_error"}})]
    with pytest.raises(GatewayRefused, match="Invalid API Key"):
        gateway_for().list_payments(datetime(2025, 12, 4, tzinfo=UTC))
    assert len(stripe_replay.asked) == 1
