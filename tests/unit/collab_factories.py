"""Campaigns and ad requests made through the real services, a snapshot of everything they can
change, and a cheap password hash for the users these tests create.

`cheap_passwords` is an autouse fixture for the modules that import it: sign-up still runs the
real service, but the argon2 hash of PASSWORD is computed once per run instead of per user."""

from __future__ import annotations

import itertools
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import Session, select

from brandifiers.clock import utcnow
from brandifiers.models import AdRequest, AuditEvent, Campaign, Deliverable, Notification, Offer, Payment, User
from brandifiers.services.accounts.passwords import hash_password
from brandifiers.services.deals import adrequests, campaigns
from tests.unit import factories
from tests.unit.factories import PASSWORD

_seq = itertools.count(1)
_cached: dict[str, str] = {}
STATUSES = ("pending", "negotiating", "accepted", "rejected", "withdrawn", "in_progress", "submitted", "completed")


def _hash(password: str) -> str:
    if password != PASSWORD:
        return hash_password(password)
    if PASSWORD not in _cached:
        _cached[PASSWORD] = hash_password(PASSWORD)
    return _cached[PASSWORD]


@pytest.fixture(autouse=True)
def cheap_passwords(monkeypatch):
    monkeypatch.setattr("brandifiers.services.accounts.auth.hash_password", _hash)
    monkeypatch.setattr("tests.unit.factories.hash_password", _hash)


def today():
    return utcnow().date()


def campaign_form(**overrides) -> dict[str, str]:
    start = today()
    data = {"name": f"Spring launch {next(_seq)}", "description": "New flavours", "category": "Food",
            "niche": "baking", "goals": "Awareness", "target_views": "100,000", "target_engagements": "",
            "target_conversions": "", "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=60)).isoformat(), "budget": "1,000.00", "visibility": "public",
            "status": "active"}
    data.update(overrides)
    return data


def campaign(session: Session, sponsor: User, **overrides) -> Campaign:
    c = campaigns.create_campaign(session, sponsor.id, campaign_form(**overrides))
    session.commit()
    return c


def request_form(**overrides) -> dict[str, str]:
    data = {"requirements": "One reel with the product", "deliverables": "1 reel", "payment": "300",
            "due_date": "", "message": "Would you like to work with us?", "terms": "Paid 30 days after posting"}
    data.update(overrides)
    return data


def send(session: Session, sponsor: User, campaign: Campaign, influencer: User, **overrides) -> AdRequest:
    r = adrequests.send_request(session, sponsor.id, campaign.id, influencer.id, request_form(**overrides))
    session.commit()
    return r


def apply(session: Session, influencer: User, campaign: Campaign, payment: str = "300") -> AdRequest:
    r = adrequests.apply_to_campaign(session, influencer.id, campaign.id,
                                     {"payment": payment, "message": "I love your brand", "terms": ""})
    session.commit()
    return r


POST = {"platform": "instagram", "post_url": "https://instagram.com/p/abc123", "note": "Posted at noon"}
# How a request sent by the sponsor reaches each status: (who, service, kwargs) steps.
_STEPS = {
    "counter": ("influencer", adrequests.counter_offer, {"data": {"amount": "350", "terms": "", "message": ""}}),
    "accept": ("influencer", adrequests.accept_offer, {}),
    "reject": ("influencer", adrequests.reject_request, {}),
    "withdraw": ("sponsor", adrequests.withdraw_request, {}),
    "start": ("influencer", adrequests.start_work, {}),
    "submit": ("influencer", adrequests.submit_deliverables, {"posts": [POST]}),
    "approve": ("sponsor", adrequests.approve_deliverables, {}),
}
PAY = {"amount": "100", "paid_on": "", "reference": ""}
# Every mutating call, with the status at which the rightful party could make it.
MUTATIONS = [
    ("pending", lambda s, a, r: adrequests.counter_offer(s, a, r, {"amount": "1"})),
    ("pending", adrequests.accept_offer), ("pending", adrequests.reject_request),
    ("pending", adrequests.withdraw_request), ("accepted", adrequests.start_work),
    ("in_progress", lambda s, a, r: adrequests.submit_deliverables(s, a, r, [POST])),
    ("submitted", adrequests.approve_deliverables),
    ("submitted", lambda s, a, r: adrequests.request_revision(s, a, r, "Again")),
    ("accepted", lambda s, a, r: adrequests.record_payment(s, a, r, {**PAY, "paid_on": today()})),
]
# Post lists submit_deliverables refuses, with the field the error lands on (row N: post_url_N...).
BAD_POSTS = [
    ([], "post_url_0"),
    ([{**POST, "post_url": ""}], "post_url_0"),
    ([{**POST, "post_url": "instagram.com/p/abc"}], "post_url_0"),
    ([{**POST, "post_url": "ftp://instagram.com/p/abc"}], "post_url_0"),
    ([{**POST, "post_url": "javascript:alert(1)"}], "post_url_0"),
    ([{**POST, "post_url": "https://"}], "post_url_0"),
    ([{**POST, "post_url": "https://insta gram.com/p"}], "post_url_0"),
    ([{**POST, "post_url": "http://[::1"}], "post_url_0"),
    ([{**POST, "post_url": "https://x.com/" + "a" * 490}], "post_url_0"),
    ([{**POST, "platform": "myspace"}], "platform_0"),
    ([{**POST, "note": "n" * 2001}], "note_0"),
    ([POST, {**POST, "post_url": "nope"}], "post_url_1"),
    ([POST, {**POST, "platform": "tiktok"}], "post_url_1"),  # the same post twice
    ([POST] * 21, "post_url_0"),
]
PATHS = {
    "pending": [], "negotiating": ["counter"], "accepted": ["accept"], "rejected": ["reject"],
    "withdrawn": ["withdraw"], "in_progress": ["accept", "start"], "submitted": ["accept", "start", "submit"],
    "completed": ["accept", "start", "submit", "approve"],
}


def advance(session: Session, request: AdRequest, status: str, people) -> AdRequest:
    """Move a pending request sent by people.sponsor to `status` through the services."""
    for step in PATHS[status]:
        who, fn, kwargs = _STEPS[step]
        fn(session, getattr(people, who).id, request.id, **kwargs)
        session.commit()
    session.refresh(request)
    assert request.status == status
    return request


def cast(session: Session, *, others: bool = False, admin: bool = False, **campaign_overrides) -> SimpleNamespace:
    """A sponsor with a campaign and an influencer (plus, on demand, strangers and an admin)."""
    people = SimpleNamespace(sponsor=factories.sponsor(session, approved=True),
                             influencer=factories.influencer(session))
    if others:
        people.other_sponsor = factories.sponsor(session, approved=True)
        people.other_influencer = factories.influencer(session)
    if admin:
        people.admin = factories.admin(session)
    people.campaign = campaign(session, people.sponsor, **campaign_overrides)
    return people


def snapshot(session: Session) -> dict:
    """Every row the campaign and request services can write."""
    session.expire_all()
    return {model.__name__: [row.model_dump() for row in session.exec(select(model).order_by(model.id))]
            for model in (Campaign, AdRequest, Offer, Deliverable, Payment, AuditEvent, Notification)}
