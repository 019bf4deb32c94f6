"""What every page loader that shows another party's data fills in, per role: the campaign owner,
another sponsor, an influencer with a request on the campaign, one without, an admin and an anonymous
visitor. Each case lists the exact state vars populated (a dict var: its keys; a list of rows: the
keys of a row, or the labels of stat cards)."""

from __future__ import annotations

import dataclasses

import pytest
from sqlmodel import select

from brandifiers.models import SponsorProfile
from brandifiers.services.deals import adrequests, campaign_view
from brandifiers.state.base import RoleState
from brandifiers.state.campaigns import CampaignState
from brandifiers.state.dashboards import DashboardState
from brandifiers.state.discovery import DiscoveryState
from brandifiers.state.requests import RequestState
from tests.unit import collab_factories as cf
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)
from tests.unit.test_state_handlers import logged_in

ROLES = ("owner", "other_sponsor", "influencer_with_request", "influencer_without", "admin", "anonymous")


@pytest.fixture
def world(session, monkeypatch):
    """A sponsor's public campaign with an accepted, part-paid request of one influencer, and a deal of
    another sponsor with the same influencer (whose amount the first sponsor must not see)."""
    p = cf.cast(session, others=True, admin=True)
    p.request = cf.advance(session, cf.send(session, p.sponsor, p.campaign, p.influencer), "accepted", p)
    adrequests.record_payment(session, p.sponsor.id, p.request.id, {**cf.PAY, "paid_on": cf.today()})
    rival = cf.campaign(session, p.other_sponsor, visibility="private")
    cf.advance(session, cf.send(session, p.other_sponsor, rival, p.influencer), "accepted",
               type(p)(sponsor=p.other_sponsor, influencer=p.influencer))
    session.commit()
    routes = {"campaign_id": p.campaign.id, "request_id": p.request.id, "influencer_id": p.influencer.id}
    monkeypatch.setattr(RoleState, "_route_id", lambda self, name: routes.get(name, 0))
    return p


def _user(world, role):
    return {"owner": world.sponsor, "other_sponsor": world.other_sponsor, "influencer_with_request": world.influencer,
            "influencer_without": world.other_influencer, "admin": world.admin}.get(role)


def _state(cls, world, role):
    user = _user(world, role)
    return cls() if user is None else logged_in(cls, user)


def shown(state, names) -> dict:
    """The populated vars among names: a dict's keys, a row's keys or fields (a stat card's labels), else True."""
    out = {}
    for name in names:
        value = getattr(state, name)
        if not value:
            continue
        if isinstance(value, dict):
            out[name] = set(value)
        elif isinstance(value, list) and dataclasses.is_dataclass(value[0]):  # a typed row: its fields
            out[name] = {f.name for f in dataclasses.fields(value[0])}
        elif isinstance(value, list) and isinstance(value[0], dict):
            out[name] = {r["label"] for r in value} if "label" in value[0] else set(value[0])
        else:
            out[name] = True
    return out


MANAGED = {"id", "name", "category", "status", "visibility", "budget", "dates", "description", "niche", "goals",
           "target_views", "target_engagements", "target_conversions", "start_date", "end_date", "budget_amount",
           "flagged", "flag_reason", "held"}
PANEL = {"Budget", "Committed", "Paid", "Remaining"}  # the sponsor's money totals
ROW = {"campaign", "counterpart", "status", "payment", "href"}  # a request in a short list
BRIEF = {"name", "sponsor", "description", "goals", "category", "niche", "budget", "dates", "visibility", "status"}
REQUEST = {"id", "status", "campaign", "campaign_id", "influencer", "sponsor", "requirements", "deliverables",
           "message", "payment", "due", "paid", "outstanding", "disputed", "revision_note", "initiated_by", "flagged",
           "admin_note"}
OFFER = {"who", "amount", "terms", "message", "when", "latest"}
PAYMENT = {"id", "amount", "paid_on", "reference", "state", "dispute", "resolution", "can_answer", "receipt"}
PROFILE = {"name", "bio", "category", "niche", "location", "price", "accepted", "completed", "rate"}
PLATFORM = {"platform", "handle", "followers", "er"}
HISTORY = {"campaign", "sponsor", "status", "amount", "date"}
FIT = {"Engagement rate", "Asking price vs budget", "Category match", "Completion record",
       "Audience size for the budget"}
NOTE = {"title", "body", "when"}
SPONSOR_CARDS = {"Campaigns", "Open ad requests", "Running collaborations", "Budget", "Committed", "Paid"}
INFLUENCER_CARDS = {"Total reach", "Open offers", "Running collaborations"}
BALANCES = {"Agreed", "Funded", "Released", "Paid out", "Disputed", "Outstanding"}
CAMPAIGN_CARD = {"id", "name", "sponsor", "category", "niche", "budget", "dates", "snippet"}
INFLUENCER_CARD = {"id", "name", "category", "niche", "location", "followers", "er", "price", "platforms", "fit",
                   "href", "prediction", "completes", "reason1", "reason2", "reason3"}  # the last: Recommended only

MANAGE = {"campaign": MANAGED, "campaign_id": True, "panel": PANEL, "actions": True, "requests": ROW}
PARTY = {"request": REQUEST, "request_id": True, "offers": OFFER, "payments": PAYMENT, "actions": True,
         "latest_offer_id": True}
FOR_SPONSOR = {"profile": PROFILE, "platforms": PLATFORM, "history": HISTORY, "my_campaigns": True,
               "fit_parts": FIT, "fit_score": True}
SPONSOR_HOME = {"title": True, "cards": SPONSOR_CARDS, "working": ROW,
                "active_campaigns": {"name", "href", "spend", "pct"},
                "notifications": NOTE}
INFLUENCER_HOME = {"title": True, "cards": INFLUENCER_CARDS, "balances": BALANCES,
                   "platforms": {"platform", "handle", "followers"}}
LOADERS = {  # page loader: (state, how the page runs it, the vars it fills, what each role gets; others: nothing)
    "campaign detail (sponsor, admin)": (
        CampaignState, CampaignState.load_detail, ("campaign", "campaign_id", "panel", "actions", "requests"),
        {"owner": MANAGE, "admin": MANAGE}),
    "campaign page (influencer)": (
        DiscoveryState, DiscoveryState.load_campaign, ("profile", "my_request"),
        {"owner": {"profile": BRIEF}, "admin": {"profile": BRIEF}, "influencer_without": {"profile": BRIEF},
         "influencer_with_request": {"profile": BRIEF, "my_request": {"status", "payment", "href", "summary"}}}),
    "request page": (
        RequestState, RequestState.load_detail,
        ("request", "request_id", "offers", "deliverables", "payments", "actions", "latest_offer_id"),
        {"owner": PARTY, "influencer_with_request": PARTY, "admin": PARTY}),
    "influencer profile (sponsor)": (
        DiscoveryState, DiscoveryState.load_profile,
        ("profile", "platforms", "history", "my_campaigns", "fit_parts", "fit_score"),
        {"owner": FOR_SPONSOR, "other_sponsor": FOR_SPONSOR, "admin": FOR_SPONSOR,
         "influencer_with_request": {"profile": PROFILE, "platforms": PLATFORM, "history": HISTORY}}),  # its own
    "sponsor dashboard": (
        DashboardState, DashboardState._load_sponsor,
        ("title", "cards", "awaiting", "working", "active_campaigns", "notifications", "platforms"),
        {"owner": SPONSOR_HOME, "other_sponsor": SPONSOR_HOME}),
    "influencer dashboard": (
        DashboardState, DashboardState._load_influencer,
        ("title", "cards", "awaiting", "working", "active_campaigns", "notifications", "platforms", "balances"),
        {"influencer_with_request": {**INFLUENCER_HOME, "working": ROW, "notifications": NOTE},
         "influencer_without": INFLUENCER_HOME}),
    "campaign cards (discovery)": (
        DiscoveryState, DiscoveryState.load_campaigns, ("rows",),
        {"influencer_with_request": {"rows": CAMPAIGN_CARD}, "influencer_without": {"rows": CAMPAIGN_CARD},
         "admin": {"rows": CAMPAIGN_CARD}}),
    "influencer cards (discovery)": (
        DiscoveryState, DiscoveryState.load_influencers, ("rows", "my_campaigns"),
        {"owner": {"rows": INFLUENCER_CARD, "my_campaigns": True},
         "other_sponsor": {"rows": INFLUENCER_CARD, "my_campaigns": True},
         "admin": {"rows": INFLUENCER_CARD, "my_campaigns": True}}),
}


def _run(handler, state):
    fn = getattr(handler, "fn", handler)  # an rx.event handler or a plain method
    return fn(state)


@pytest.mark.parametrize("loader", list(LOADERS))
def test_each_role_gets_exactly_what_it_may_see(session, world, loader):
    cls, handler, names, expected = LOADERS[loader]
    for role in ROLES:
        state = _state(cls, world, role)
        _run(handler, state)
        assert shown(state, names) == expected.get(role, {}), (loader, role)


def test_the_deal_amounts_a_sponsor_sees_on_a_profile_are_its_own(session, world):
    """The influencer's history lists both sponsors' deals; each sponsor sees its own amount only."""
    def amounts(role):
        state = _state(DiscoveryState, world, role)
        _run(DiscoveryState.load_profile, state)
        return sorted((h["sponsor"] == own, h["amount"]) for h in state.history)

    own = session.exec(select(SponsorProfile.company_name).where(SponsorProfile.user_id == world.sponsor.id)).one()

    assert amounts("owner") == [(False, "-"), (True, "$300.00")]
    assert amounts("other_sponsor") == [(False, "$300.00"), (True, "-")]
    assert amounts("admin") == [(False, "$300.00"), (True, "$300.00")]
    assert amounts("influencer_with_request") == [(False, "$300.00"), (True, "$300.00")]


def test_the_influencer_page_of_a_private_or_unlisted_campaign(session, world):
    """A private campaign: only an influencer with a request on it opens it (brief and its own
    request); a campaign whose sponsor was flagged is no longer listed to other influencers."""
    private = cf.campaign(session, world.sponsor, visibility="private")
    cf.send(session, world.sponsor, private, world.influencer)
    for role, visible in (("influencer_with_request", True), ("influencer_without", False)):
        state = _state(DiscoveryState, world, role)
        state.target_id = private.id
        ok, page = state._call(campaign_view.campaign_page, private.id)
        assert ok is visible and (not ok or (page.panel is None and page.own_request is not None))
    world.sponsor.status, world.sponsor.status_reason = "flagged", "test"
    session.add(world.sponsor)
    session.commit()
    state = _state(DiscoveryState, world, "influencer_without")
    _run(DiscoveryState.load_campaign, state)
    assert state.profile == {} and state.form_error

