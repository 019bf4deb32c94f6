"""The payment entry handlers of the request page, the admin's dispute page and the influencer's Balances:
what the browser calls, with forged ids and hostile values; refusals show next to the field, nothing changes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from brandifiers.api import api
from brandifiers.models import Funding, Payment
from brandifiers.services.deals import adrequests
from brandifiers.state.base import RoleState
from brandifiers.state.dashboards import DashboardState
from brandifiers.state.disputes import DisputeState
from brandifiers.state.requests import RequestState
from tests.unit.collab_factories import advance, cast, cheap_passwords, send, snapshot, today  # noqa: F401
from tests.unit.test_state_handlers import logged_in


@pytest.fixture
def deal(session, monkeypatch):
    p = cast(session, others=True, admin=True)
    p.request = advance(session, send(session, p.sponsor, p.campaign, p.influencer, payment="300"), "accepted", p)
    p.first = adrequests.record_payment(session, p.sponsor.id, p.request.id, {"amount": "100", "paid_on": today()})
    p.second = adrequests.record_payment(session, p.sponsor.id, p.request.id, {"amount": "50", "paid_on": today()})
    session.commit()
    monkeypatch.setattr(RoleState, "_route_id", lambda self, name: p.request.id)
    return p


def page(user) -> RequestState:
    state = logged_in(RequestState, user)
    state.guard_member()  # the page guard: the reader's zone
    state.load_detail()
    return state


def states(session) -> list[str]:
    session.expire_all()
    return [p.state for p in session.exec(select(Payment).order_by(Payment.id))]


def test_the_influencer_confirms_and_disputes_through_the_dialog(session, deal):
    creator = page(deal.influencer)
    assert [(p["state"], p["can_answer"], p["receipt"]) for p in creator.payments] == [("recorded", "1", "1")] * 2
    assert creator.confirm_entry(str(deal.first.id)) is not None and creator.form_error == ""
    assert states(session) == ["confirmed", "recorded"]

    creator.open_dispute(str(deal.second.id), "Dispute the payment of $50.00?")
    assert creator.dispute_payment_id == deal.second.id
    before = snapshot(session)
    for reason, fragment in [("", "Give a reason"), ("x" * 501, "at most 500"), ("a\x00b", "NUL"),
                             (["x"], "must be text")]:
        assert creator.submit_dispute({"reason": reason}) is None
        assert fragment in creator.errors["reason"] and creator.dispute_payment_id == deal.second.id  # still open
    assert snapshot(session) == before
    assert creator.submit_dispute({"reason": "Only $30 arrived"}) is not None
    assert creator.dispute_payment_id == 0 and creator.errors == {}
    assert states(session) == ["confirmed", "disputed"]

    creator.load_detail()
    shown = {p["id"]: p for p in creator.payments}
    assert shown[str(deal.second.id)]["dispute"].endswith("Only $30 arrived")
    assert shown[str(deal.second.id)]["can_answer"] == "" and creator.request["disputed"] == "$50.00"
    brand = page(deal.sponsor)  # the sponsor reads the same states and the dispute
    assert [(p["state"], p["can_answer"]) for p in brand.payments] == [("confirmed", ""), ("disputed", "")]
    assert "Only $30 arrived" in brand.payments[1]["dispute"] and brand.request["disputed"] == "$50.00"


def test_a_card_fundings_day_is_the_readers(session, deal):
    """Funded at 23:30 UTC on 1 March: already 2 March for a sponsor in Lagos, still 1 March in UTC."""
    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    session.add(Funding(ad_request_id=deal.request.id, amount_cents=5_000, gateway="stripe", payment_id="pi_late",
                        status="held", funded_by_id=deal.sponsor.id, created_at=late))
    sponsor = session.get(type(deal.sponsor), deal.sponsor.id)
    sponsor.time_zone = "Africa/Lagos"
    session.add(sponsor)
    session.commit()
    assert page(deal.sponsor).funding_rows == [{"amount": "$50.00", "status": "held", "when": "2026-03-02"}]
    assert page(deal.influencer).funding_rows == [{"amount": "$50.00", "status": "held", "when": "2026-03-01"}]


def test_foreign_and_hostile_calls_change_nothing(session, deal):
    before = snapshot(session)
    brand = page(deal.sponsor)
    brand.confirm_entry(str(deal.first.id))
    assert brand.form_error
    stranger = logged_in(RequestState, deal.other_influencer)
    stranger.request_id = deal.request.id  # forged
    for value in (str(deal.first.id), "１２", "9" * 40, "", None, "1\x00"):
        stranger.confirm_entry(value)
        assert stranger.form_error or stranger.errors
    stranger.open_dispute(str(deal.first.id), "x" * 5000)
    assert len(stranger.dispute_title) <= 200
    stranger.submit_dispute({"reason": "mine"})
    assert stranger.form_error
    assert stranger.open_receipt(str(deal.first.id), "html") is None and stranger.form_error
    assert snapshot(session) == before


def test_a_party_opens_the_receipt_through_a_single_use_link(session, deal):
    brand = page(deal.sponsor)
    event = brand.open_receipt(str(deal.first.id), "html")
    url = re.search(r"/api/receipts/\d+\?token=[\w-]+&format=html", str(event.args)).group(0)
    client = TestClient(api)
    first = client.get(url)
    assert first.status_code == 200 and "$100.00" in first.text
    assert client.get(url).status_code == 404
    pdf = page(deal.influencer).open_receipt(str(deal.first.id), "pdf")
    url = re.search(r"/api/receipts/\d+\?token=[\w-]+&format=pdf", str(pdf)).group(0)
    assert client.get(url).content.startswith(b"%PDF")


def test_the_admin_resolves_and_balances_follow(session, deal):
    creator = page(deal.influencer)
    creator.open_dispute(str(deal.first.id), "t")
    creator.submit_dispute({"reason": "Never arrived"})
    home = logged_in(DashboardState, deal.influencer)
    home._load_influencer()
    figures = {b["label"]: b["value"] for b in home.balances}
    assert figures == {"Agreed": "$300.00", "Funded": "$0.00", "Released": "$0.00", "Paid out": "$50.00",
                       "Disputed": "$100.00", "Outstanding": "$150.00"}

    for user in (deal.sponsor, deal.influencer):  # admin-only on the server
        other = logged_in(DisputeState, user)
        other.load()
        assert other.rows == []
        other.resolve_payment_id, other.resolve_outcome = deal.first.id, "upheld"
        assert other.submit_resolve({"reason": "forged"}) is None and other.form_error
    assert states(session) == ["disputed", "recorded"]

    admin = logged_in(DisputeState, deal.admin)
    admin.load()
    assert [(r["id"], r["reason"], r["amount"]) for r in admin.rows] == [(str(deal.first.id), "Never arrived",
                                                                          "$100.00")]
    admin.open_resolve(admin.rows[0]["id"], "sideways", "t")
    assert admin.resolve_payment_id == 0  # not an outcome
    admin.open_resolve(admin.rows[0]["id"], "upheld", "Uphold the dispute")
    assert admin.submit_resolve({"reason": " "}) is None and "Give a reason" in admin.errors["reason"]
    assert admin.submit_resolve({"reason": "No transfer on record"}) is not None
    assert admin.resolve_payment_id == 0 and states(session) == ["voided", "recorded"]
    admin.load()
    assert admin.rows == [] and admin.total == 0

    home._load_influencer()
    figures = {b["label"]: b["value"] for b in home.balances}
    assert (figures["Paid out"], figures["Disputed"], figures["Outstanding"]) == ("$50.00", "$0.00", "$250.00")
    creator.load_detail()
    voided = creator.payments[0]
    assert (voided["state"], voided["receipt"]) == ("voided", "")
    assert "upheld the dispute" in voided["resolution"] and voided["resolution"].endswith("No transfer on record")
