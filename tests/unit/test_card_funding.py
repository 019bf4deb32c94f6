"""Card funding against a real fake Stripe (localstripe on 127.0.0.1, our webhook route under uvicorn):
fund -> held, approval -> released, cancel -> refunded; duplicated, reordered and forged webhooks; a
gateway that is down; the budget guard and the reconciliation."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from datetime import time as dt_time

import httpx
import pytest
import stripe
from sqlmodel import func, select

from brandifiers.clock import utcnow
from brandifiers.config import get_settings
from brandifiers.jobs import scheduler
from brandifiers.models import AdRequest, AuditEvent, Funding, GatewayEvent, Notification, ReconciliationDifference
from brandifiers.services.common.errors import DomainError, ValidationFailed
from brandifiers.services.deals import adrequests, campaigns, funding
from brandifiers.services.payments import reconcile
from brandifiers.services.payments.gateway import gateway_for
from tests import stripe_fake
from tests.unit.collab_factories import advance, cast, cheap_passwords, send  # noqa: F401

CARD = {"fund_amount": "300", "card": "4242 4242 4242 4242"}


@pytest.fixture(scope="module")
def fake_stripe():
    ls, api = stripe_fake.LocalStripe(), stripe_fake.ApiServer()
    ls.register(f"{api.url}/api/stripe/webhook")
    yield ls, api
    api.stop()
    ls.stop()


@pytest.fixture
def gw(fake_stripe, engine, monkeypatch):
    ls, api = fake_stripe
    ls.flush()  # each test starts with an empty Stripe (our tables are emptied too)
    for key, value in stripe_fake.stripe_env(ls.base).items():
        monkeypatch.setenv(key, value)
    yield ls, api
    time.sleep(1.5)  # localstripe posts its webhooks a second late: let them land before the tables are emptied


def _client(base: str) -> stripe.StripeClient:
    return stripe.StripeClient(stripe_fake.SECRET_KEY, base_addresses={"api": base})


def _accepted(session, status="accepted"):
    people = cast(session)
    request = send(session, people.sponsor, people.campaign, people.influencer, payment="300")
    return people, advance(session, request, status, people)


def _count(session, model) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def _wait_for(session, check, seconds=6.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        session.expire_all()
        if check():
            return True
        time.sleep(0.2)
    return False


def test_fund_release_on_approval(gw, session):
    ls, _api = gw
    people, request = _accepted(session)
    row = funding.fund_request(session, people.sponsor.id, request.id, CARD)
    session.commit()
    assert row.status == "held" and row.amount_cents == 30000
    assert _client(ls.base).v1.payment_intents.retrieve(row.payment_id).status == "requires_capture"
    assert funding.funding_summary(session, request.id)["held_cents"] == 30000
    assert funding.gateway_totals(session, people.influencer.id) == {"funded_cents": 30000, "released_cents": 0}
    titles = session.exec(select(Notification.user_id).where(Notification.kind == "request.funding")).all()
    assert sorted(titles) == sorted([people.sponsor.id, people.influencer.id])
    for step in ("start", "submit", "approve"):
        fn, who, kwargs = {"start": (adrequests.start_work, people.influencer, {}),
                           "submit": (adrequests.submit_deliverables, people.influencer,
                                      {"posts": [{"platform": "instagram", "post_url": "https://instagram.com/p/x1"}]}),
                           "approve": (adrequests.approve_deliverables, people.sponsor, {})}[step]
        fn(session, who.id, request.id, **kwargs)
        session.commit()
    session.expire_all()
    assert session.get(Funding, row.id).status == "released"
    assert _client(ls.base).v1.payment_intents.retrieve(row.payment_id).status == "succeeded"
    assert funding.gateway_totals(session, people.influencer.id) == {"funded_cents": 0, "released_cents": 30000}
    # localstripe's own payment_intent.succeeded (sent on capture) lands on our route and changes nothing twice
    assert _wait_for(session, lambda: _count(session, GatewayEvent) == 3)
    late = session.exec(select(GatewayEvent).where(GatewayEvent.event_id.like("evt_%"))).one()
    assert (late.kind, late.after) == ("payment_intent.succeeded", None)
    # refunded at Stripe's dashboard afterwards: charge.refunded (signed by us: localstripe never sends it)
    _client(ls.base).v1.refunds.create(params={"payment_intent": row.payment_id})
    answer = stripe_fake.post_event(_api.url, stripe_fake.event("charge.refunded", {
        "id": "ch_x", "object": "charge", "payment_intent": row.payment_id}))
    assert answer.status_code == 200 and answer.json()["changed"] is True
    session.expire_all()
    assert session.get(Funding, row.id).status == "refunded"
    assert funding.gateway_totals(session, people.influencer.id) == {"funded_cents": 0, "released_cents": 0}
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.action.like("funding.%"))).all()
    assert sorted(actions) == ["funding.held", "funding.refunded", "funding.released"]


def test_cancel_deal_refunds_what_is_held(gw, session):
    ls, _api = gw
    people, request = _accepted(session, "in_progress")
    row = funding.fund_request(session, people.sponsor.id, request.id, {**CARD, "fund_amount": "120"})
    session.commit()
    with pytest.raises(DomainError, match="cancel the deal"):
        adrequests.withdraw_request(session, people.sponsor.id, request.id)
    session.rollback()
    funding.cancel_deal(session, people.sponsor.id, request.id, "Campaign stopped")
    session.commit()
    session.expire_all()
    assert session.get(AdRequest, request.id).status == "withdrawn"
    assert session.get(Funding, row.id).status == "refunded"
    assert _client(ls.base).v1.payment_intents.retrieve(row.payment_id).status == "canceled"
    assert funding.funding_summary(session, request.id)["status_line"] == "$120.00 refunded to the sponsor."


def test_refusals_write_nothing(gw, session):
    people, request = _accepted(session)
    before = (_count(session, Funding), _count(session, AuditEvent))
    with pytest.raises(ValidationFailed) as over:
        funding.fund_request(session, people.sponsor.id, request.id, {**CARD, "fund_amount": "301"})
    assert "$300.00 still owed" in over.value.errors["fund_amount"]
    with pytest.raises(ValidationFailed) as declined:
        funding.fund_request(session, people.sponsor.id, request.id, {**CARD, "card": "4000 0000 0000 0341"})
    assert declined.value.errors["card"] == "The card was declined: Your card was declined."
    with pytest.raises(DomainError):  # not the influencer's to fund
        funding.fund_request(session, people.influencer.id, request.id, CARD)
    session.rollback()
    assert (_count(session, Funding), _count(session, AuditEvent)) == before


def test_gateway_down_then_retry(gw, session, monkeypatch):
    ls, _api = gw
    people, request = _accepted(session)
    monkeypatch.setenv("BRANDIFIERS_STRIPE_API_BASE", f"http://127.0.0.1:{stripe_fake.free_port()}")
    with pytest.raises(DomainError, match="cannot be reached right now; nothing was charged"):
        funding.fund_request(session, people.sponsor.id, request.id, CARD)
    session.rollback()
    assert _count(session, Funding) == 0 and _count(session, GatewayEvent) == 0
    monkeypatch.setenv("BRANDIFIERS_STRIPE_API_BASE", ls.base)
    row = funding.fund_request(session, people.sponsor.id, request.id, CARD)
    session.commit()
    assert row.status == "held"


def _pi(row: Funding, status: str, **extra) -> dict:
    return {"id": row.payment_id, "object": "payment_intent", "amount": row.amount_cents, "status": status,
            "metadata": {"ad_request_id": str(row.ad_request_id)}, **extra}


def test_duplicate_reordered_and_forged_webhooks(gw, session):
    _ls, api = gw
    people, request = _accepted(session)
    row = funding.fund_request(session, people.sponsor.id, request.id, CARD)
    session.commit()
    time.sleep(1.5)  # localstripe's own delivery first
    released = stripe_fake.event("payment_intent.succeeded", _pi(row, "succeeded"))
    for _ in range(2):  # delivered twice: changed once
        assert stripe_fake.post_event(api.url, released).status_code == 200
    session.expire_all()
    assert session.get(Funding, row.id).status == "released"
    assert session.exec(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.action == "funding.released")).one() == 1
    late = stripe_fake.event("payment_intent.amount_capturable_updated", _pi(row, "requires_capture"))
    answer = stripe_fake.post_event(api.url, late)
    assert answer.status_code == 200 and answer.json()["changed"] is False
    session.expire_all()
    assert session.get(Funding, row.id).status == "released"  # a later state never goes back
    before = (_count(session, GatewayEvent), _count(session, AuditEvent), _count(session, Notification))
    forged = stripe_fake.event("charge.refunded", {"object": "charge", "payment_intent": row.payment_id})
    assert stripe_fake.post_event(api.url, forged, secret="whsec_forged").status_code == 400
    unsigned = httpx.post(f"{api.url}/api/stripe/webhook", content=b'{"id": "evt_x", "type": "x"}')
    assert unsigned.status_code == 400
    session.expire_all()
    assert session.get(Funding, row.id).status == "released"
    assert (_count(session, GatewayEvent), _count(session, AuditEvent), _count(session, Notification)) == before


def test_reconciliation_lists_differences_and_changes_nothing(gw, session):
    ls, _api = gw
    people, request = _accepted(session)
    row = funding.fund_request(session, people.sponsor.id, request.id, {**CARD, "fund_amount": "100"})
    other = funding.fund_request(session, people.sponsor.id, request.id, {**CARD, "fund_amount": "50"})
    session.commit()
    # a payment made at the gateway that our ledger never recorded, and a status only the gateway knows of
    pm = _client(ls.base).v1.payment_methods.create(params={"type": "card", "card": {
        "number": "4242424242424242", "exp_month": 12, "exp_year": 2031, "cvc": "123"}})
    stray = _client(ls.base).v1.payment_intents.create(params={
        "amount": 777, "currency": "usd", "payment_method": pm.id, "confirm": True, "capture_method": "manual",
        "payment_method_types": ["card"]})
    _client(ls.base).v1.payment_intents.cancel(other.payment_id)
    diffs = reconcile.compare(session, gateway_for(), utcnow(), 14)
    session.commit()
    kinds = {(d.payment_id, d.kind) for d in diffs}
    assert (stray.id, "missing_here") in kinds and (other.payment_id, "status") in kinds
    assert row.payment_id not in {p for p, _ in kinds}
    session.expire_all()
    assert session.get(Funding, other.id).status == "held" and session.get(Funding, other.id).amount_cents == 5000
    assert reconcile.compare(session, gateway_for(), utcnow(), 14) == []  # listed once while unresolved
    assert _count(session, ReconciliationDifference) == len(diffs)


def test_the_daily_job_reconciles_once_a_day(gw, engine, session):
    ls, _api = gw
    people, request = _accepted(session)
    row = funding.fund_request(session, people.sponsor.id, request.id, CARD)
    session.commit()
    _client(ls.base).v1.payment_intents.capture(row.payment_id)  # captured at the gateway behind our back
    morning = datetime.combine(utcnow().date(), dt_time(4, 30), tzinfo=UTC)
    assert scheduler.daily_reconciliation(engine, morning.replace(hour=3), get_settings()) is None  # not yet
    assert scheduler.daily_reconciliation(engine, morning, get_settings()) == {"differences": 1}
    assert scheduler.daily_reconciliation(engine, morning, get_settings()) is None  # once a day
    diff = session.exec(select(ReconciliationDifference)).one()
    assert (diff.kind, diff.ours, diff.theirs) == ("status", "held, $300.00", "released, $300.00")


def test_budget_guard_counts_card_funds_left_on_a_closed_request(gw, session):
    people, request = _accepted(session)
    funding.fund_request(session, people.sponsor.id, request.id, CARD)
    session.commit()
    assert campaigns.committed_cents(session, people.campaign.id) == 30000
    request = session.get(AdRequest, request.id)
    request.status = "withdrawn"  # as if the refund had not gone through yet
    session.add(request)
    session.commit()
    assert campaigns.committed_cents(session, people.campaign.id) == 30000


def test_manual_gateway_takes_no_cards(engine, session, monkeypatch):
    monkeypatch.delenv("BRANDIFIERS_PAYMENT_GATEWAY", raising=False)
    people, request = _accepted(session)
    with pytest.raises(DomainError, match="record payments by hand"):
        funding.fund_request(session, people.sponsor.id, request.id, CARD)


def test_a_manual_entry_cannot_pay_what_card_funds_cover(gw, session):
    from brandifiers.services.deals import payments, requests_read

    people, request = _accepted(session)
    funding.fund_request(session, people.sponsor.id, request.id, {**CARD, "fund_amount": "200"})
    session.commit()
    assert requests_read.get_request(session, people.sponsor.id, request.id).outstanding_cents == 10000
    with pytest.raises(ValidationFailed) as over:
        payments.record_payment(session, people.sponsor.id, request.id, {"amount": "150", "paid_on": "2026-12-01"})
    assert "$100.00 still outstanding" in over.value.errors["amount"]
    session.rollback()
    assert _count(session, payments.Payment) == 0
    payments.record_payment(session, people.sponsor.id, request.id, {"amount": "100", "paid_on": "2026-12-01"})
    session.commit()
    assert requests_read.get_request(session, people.influencer.id, request.id).outstanding_cents == 0
