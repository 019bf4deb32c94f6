"""Every HTTP route beside the app (api.py), sent hostile path and query values: an answer below 500 and
no row written (the event handlers have their own sweep in test_handlers_hostile)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlmodel import select
from starlette.routing import Route
from starlette.testclient import TestClient

from brandifiers.api import api
from brandifiers.models import GatewayEvent, NotificationChoice
from tests.unit import factories

VALUES = ["１２", "²", "²³.payment.abc", "١.payment.x", "9" * 5000, "9" * 30 + ".payment.x", str(2**63), "-1",
          "0", "", "a\x00b", "\ud800", "x" * 4000, "1.payment", "1..", "../../etc/passwd", "%00", "1e999"]


def _routes() -> set[str]:
    return {route.path for route in api.routes if isinstance(route, Route)}


def _url(path: str, value: str) -> str:
    safe = quote(value.encode("utf-8", "surrogatepass"), safe="")
    path = path.replace("{job_id}", safe).replace("{payment_id}", safe)
    return f"{path}?t={safe}&token={safe}&format={safe}"


def test_the_sweep_covers_every_route():
    expected = {"/api/exports/{job_id}/download", "/api/receipts/{payment_id}", "/api/unsubscribe",
                "/api/stripe/webhook", "/_health", "/metrics"}
    assert _routes() == expected


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_hostile_values_never_reach_a_500(session, engine, value):
    factories.influencer(session)
    session.commit()
    client = TestClient(api, raise_server_exceptions=False)
    raw = value.encode("utf-8", "surrogatepass")
    for path in sorted(_routes()):
        for method in ("GET", "POST"):
            answer = client.request(method, _url(path, value), content=raw,
                                    headers={"Stripe-Signature": quote(raw[:200])}, follow_redirects=False)
            assert answer.status_code < 500, (method, path, answer.status_code, answer.text[:200])
    session.expire_all()
    assert session.exec(select(NotificationChoice)).all() == [] and session.exec(select(GatewayEvent)).all() == []
