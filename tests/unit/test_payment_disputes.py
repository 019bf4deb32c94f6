"""Manual payment entries: the influencer confirms or disputes, an admin resolves; roles, ownership, hostile
input, and a voided entry counted in no paid sum."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import select

from brandifiers.clock import utcnow
from brandifiers.models import AuditEvent, Notification, Payment
from brandifiers.services.accounts import closure
from brandifiers.services.common.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from brandifiers.services.deals import adrequests, campaigns, dashboards, payment_disputes
from brandifiers.services.records import exports
from brandifiers.services.stats import analytics
from tests.unit.collab_factories import (  # noqa: F401  (cheap_passwords is an autouse fixture)
    advance,
    cast,
    cheap_passwords,
    send,
    snapshot,
    today,
)


@pytest.fixture
def deal(session):
    """An accepted 300.00 deal with two entries recorded by the sponsor: 100.00 and 50.00."""
    p = cast(session, others=True, admin=True)
    p.request = advance(session, send(session, p.sponsor, p.campaign, p.influencer, payment="300"), "accepted", p)
    p.first = adrequests.record_payment(session, p.sponsor.id, p.request.id,
                                        {"amount": "100", "paid_on": today(), "reference": "INV-1"})
    p.second = adrequests.record_payment(session, p.sponsor.id, p.request.id,
                                         {"amount": "50", "paid_on": today(), "reference": "INV-2"})
    session.commit()
    return p


def _state(session, payment_id: int) -> str:
    session.expire_all()
    return session.get(Payment, payment_id).state


def test_new_entries_are_recorded_and_the_influencer_confirms_once(session, deal):
    assert _state(session, deal.first.id) == "recorded"
    payment_disputes.confirm_payment(session, deal.influencer.id, deal.first.id)
    session.commit()
    row = session.get(Payment, deal.first.id)
    assert (row.state, row.answered_by_id) == ("confirmed", deal.influencer.id) and row.answered_at is not None
    with pytest.raises(DomainError, match="only once"):
        payment_disputes.confirm_payment(session, deal.influencer.id, deal.first.id)
    with pytest.raises(DomainError, match="only once"):
        payment_disputes.dispute_payment(session, deal.influencer.id, deal.first.id, "changed my mind")
    session.rollback()
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "payment.confirm")).one()
    assert (event.actor_id, event.target_id, event.before, event.after) == (deal.influencer.id, deal.first.id,
                                                                            "recorded", "confirmed")
    notes = session.exec(select(Notification).where(Notification.kind == "request.payment_confirmed"))
    told = {n.user_id for n in notes}
    assert told == {deal.sponsor.id, deal.influencer.id}


def test_dispute_then_admin_upholds_voids_the_entry_everywhere(session, deal):
    payment_disputes.dispute_payment(session, deal.influencer.id, deal.first.id, "  Never arrived.  ")
    session.commit()
    row = session.get(Payment, deal.first.id)
    assert (row.state, row.dispute_reason) == ("disputed", "Never arrived.")
    told = {n.user_id: n.link for n in session.exec(select(Notification)
                                                     .where(Notification.kind == "request.payment_disputed"))}
    assert told == {deal.sponsor.id: f"/sponsor/requests/{deal.request.id}",
                    deal.influencer.id: f"/influencer/requests/{deal.request.id}", deal.admin.id: "/admin/disputes"}
    # still counted as paid for the sponsor while it waits; the influencer sees it as disputed, not paid
    assert adrequests.get_request(session, deal.sponsor.id, deal.request.id).paid_cents == 15_000
    assert adrequests.earnings(session, deal.influencer.id) == {
        "agreed_cents": 30_000, "funded_cents": 0, "released_cents": 0, "paid_cents": 5_000,
        "disputed_cents": 10_000, "outstanding_cents": 15_000}
    rows, total = payment_disputes.open_disputes(session, deal.admin.id)
    assert total == 1 and [(r.payment_id, r.reason, r.amount_cents) for r in rows] == [
        (deal.first.id, "Never arrived.", 10_000)]

    payment_disputes.resolve_dispute(session, deal.admin.id, deal.first.id, "upheld", "No transfer on record.")
    session.commit()
    row = session.get(Payment, deal.first.id)
    assert (row.state, row.resolution, row.resolution_reason, row.resolved_by_id) == (
        "voided", "upheld", "No transfer on record.", deal.admin.id)
    assert payment_disputes.open_disputes(session, deal.admin.id) == ([], 0)
    # voided: out of every paid sum
    view = adrequests.get_request(session, deal.sponsor.id, deal.request.id)
    assert (view.paid_cents, view.outstanding_cents) == (5_000, 25_000)
    assert adrequests.earnings(session, deal.influencer.id)["paid_cents"] == 5_000
    assert adrequests.earnings(session, deal.influencer.id)["disputed_cents"] == 0
    assert adrequests.earnings(session, deal.influencer.id)["outstanding_cents"] == 25_000
    assert dashboards.sponsor_overview(session, deal.sponsor.id)["paid_cents"] == 5_000
    assert campaigns.budget_panel(session, deal.campaign.id)["paid_cents"] == 5_000
    money = {m["month"]: m["paid_cents"] for m in analytics._money(session, utcnow())}
    assert money[date.today().strftime("%Y-%m")] == 5_000
    exported = session.execute(sa.text(exports.SPONSOR_PARTS["campaigns"][0]), {"sponsor": deal.sponsor.id}).one()
    assert exported._mapping["paid_cents"] == 5_000
    # the sponsor may record the voided amount again (it no longer fills the agreed payment)
    adrequests.record_payment(session, deal.sponsor.id, deal.request.id, {"amount": "250", "paid_on": today()})
    session.commit()
    assert adrequests.get_request(session, deal.sponsor.id, deal.request.id).outstanding_cents == 0
    actions = [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.target_type == "payment")
                                              .order_by(AuditEvent.id))]
    assert actions == ["payment.dispute", "payment.resolve"]


def test_rejected_dispute_confirms_the_entry(session, deal):
    payment_disputes.dispute_payment(session, deal.influencer.id, deal.second.id, "Wrong amount")
    payment_disputes.resolve_dispute(session, deal.admin.id, deal.second.id, "rejected", "Bank statement shows it.")
    session.commit()
    assert _state(session, deal.second.id) == "confirmed"
    assert adrequests.earnings(session, deal.influencer.id)["paid_cents"] == 15_000
    with pytest.raises(DomainError, match="resolved already"):
        payment_disputes.resolve_dispute(session, deal.admin.id, deal.second.id, "upheld", "again")
    titles = [n.title for n in session.exec(select(Notification).where(
        Notification.kind == "request.payment_resolved", Notification.user_id == deal.influencer.id))]
    assert titles == ["Dispute rejected: the entry stands ($50.00)"]


def test_roles_and_ownership_are_checked_and_nothing_changes(session, deal):
    before = snapshot(session)
    refusals = [
        (PermissionDenied, payment_disputes.confirm_payment, deal.sponsor.id, (deal.first.id,)),
        (PermissionDenied, payment_disputes.dispute_payment, deal.sponsor.id, (deal.first.id, "x")),
        (PermissionDenied, payment_disputes.confirm_payment, deal.admin.id, (deal.first.id,)),
        (NotFound, payment_disputes.confirm_payment, deal.other_influencer.id, (deal.first.id,)),
        (NotFound, payment_disputes.dispute_payment, deal.other_influencer.id, (deal.first.id, "mine now")),
        (PermissionDenied, payment_disputes.resolve_dispute, deal.sponsor.id, (deal.first.id, "upheld", "x")),
        (PermissionDenied, payment_disputes.resolve_dispute, deal.influencer.id, (deal.first.id, "upheld", "x")),
        (PermissionDenied, payment_disputes.open_disputes, deal.sponsor.id, ()),
        (DomainError, payment_disputes.resolve_dispute, deal.admin.id, (deal.first.id, "upheld", "not disputed")),
        (PermissionDenied, payment_disputes.confirm_payment, None, (deal.first.id,)),
    ]
    for error, fn, actor, args in refusals:
        with pytest.raises(error):
            fn(session, actor, *args)
        session.rollback()
    assert snapshot(session) == before


@pytest.mark.parametrize("payment_id", [0, -1, 10**30, "１２", "1; DROP TABLE payment", None, [1], {"id": 1}, "1\x00"])
def test_hostile_payment_ids_are_not_found(session, deal, payment_id):
    with pytest.raises(NotFound):
        payment_disputes.confirm_payment(session, deal.influencer.id, payment_id)


@pytest.mark.parametrize(("reason", "fragment"), [
    ("", "Give a reason"), ("   ", "Give a reason"), ("r" * 501, "at most 500"), ("bad\x00byte", "NUL"),
    (["a list"], "must be text"), ({"a": 1}, "must be text"), (True, "must be text"), ("\ud800", "not valid text")])
def test_bad_reasons_are_refused_next_to_the_field_and_write_nothing(session, deal, reason, fragment):
    before = snapshot(session)
    with pytest.raises(DomainError) as err:
        payment_disputes.dispute_payment(session, deal.influencer.id, deal.first.id, reason)
    assert fragment in err.value.message and err.value.field == "reason"
    session.rollback()
    payment_disputes.dispute_payment(session, deal.influencer.id, deal.first.id, "r" * 500)
    with pytest.raises(DomainError) as err:
        payment_disputes.resolve_dispute(session, deal.admin.id, deal.first.id, "upheld", reason)
    assert fragment in err.value.message and err.value.field == "reason"
    with pytest.raises(DomainError) as err:
        payment_disputes.resolve_dispute(session, deal.admin.id, deal.first.id, "maybe", "fine")
    assert err.value.field == "outcome"
    session.rollback()
    assert snapshot(session) == before


def test_voided_entries_do_not_block_closing_and_count_nowhere(session, deal):
    """A completed deal whose only entry was voided is not paid in full: the account stays open."""
    advance_to_completed(session, deal)
    adrequests.record_payment(session, deal.sponsor.id, deal.request.id, {"amount": "150", "paid_on": today()})
    session.commit()
    assert closure.open_deals(session, deal.influencer.id) == []
    last = session.exec(select(Payment).order_by(Payment.id.desc())).first()
    payment_disputes.dispute_payment(session, deal.influencer.id, last.id, "Only 100 arrived")
    payment_disputes.resolve_dispute(session, deal.admin.id, last.id, "upheld", "Sponsor agrees")
    session.commit()
    assert len(closure.open_deals(session, deal.influencer.id)) == 1


def advance_to_completed(session, deal) -> None:
    for who, fn, kwargs in [("influencer", adrequests.start_work, {}),
                            ("influencer", adrequests.submit_deliverables,
                             {"posts": [{"platform": "instagram", "post_url": "https://instagram.com/p/abc",
                                         "note": ""}]}),
                            ("sponsor", adrequests.approve_deliverables, {})]:
        fn(session, getattr(deal, who).id, deal.request.id, **kwargs)
        session.commit()


def test_record_payment_refuses_more_than_outstanding_counting_disputed(session, deal):
    payment_disputes.dispute_payment(session, deal.influencer.id, deal.first.id, "Never arrived")
    session.commit()
    with pytest.raises(ValidationFailed, match=r"\$150.00 still outstanding"):
        adrequests.record_payment(session, deal.sponsor.id, deal.request.id, {"amount": "151", "paid_on": today()})
