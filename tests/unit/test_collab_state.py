"""Collaboration state handlers: whatever ids the browser sends, a foreign actor changes nothing."""

from __future__ import annotations

from brandifiers.state.campaigns import CampaignState
from brandifiers.state.requests import RequestState
from tests.unit import collab_factories as cf
from tests.unit import factories
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)
from tests.unit.test_state_handlers import logged_in, redirect_path


def test_request_actions_of_a_stranger_change_nothing(session):
    people = cf.cast(session, others=True)
    request = cf.send(session, people.sponsor, people.campaign, people.influencer)
    stranger = factories.influencer(session)
    before = cf.snapshot(session)
    state = logged_in(RequestState, stranger)
    state.request_id = request.id  # a forged id
    for handler, args in [(state.accept, ()), (state.reject, ()), (state.withdraw, ()), (state.start, ()),
                          (state.counter, ({"amount": "1", "terms": "", "message": ""},)),
                          (state.pay, ({"amount": "1", "paid_on": "2026-01-01", "reference": ""},))]:
        handler(*args)
        assert state.form_error or state.errors
    assert cf.snapshot(session) == before


def test_request_flow_through_the_handlers(session):
    people = cf.cast(session)
    request = cf.send(session, people.sponsor, people.campaign, people.influencer, payment="300")
    creator = logged_in(RequestState, people.influencer)
    creator.request_id = request.id
    creator.counter({"amount": "450", "terms": "", "message": "my rate"})
    assert creator.errors == {} and creator.form_error == ""
    brand = logged_in(RequestState, people.sponsor)
    brand.request_id = request.id
    brand.accept()
    session.expire_all()
    assert session.get(type(request), request.id).status == "accepted"
    assert session.get(type(request), request.id).payment_cents == 45_000


def test_campaign_handlers_refuse_a_foreign_sponsor(session):
    people = cf.cast(session)
    other = factories.sponsor(session, approved=True)
    before = cf.snapshot(session)
    state = logged_in(CampaignState, other)
    state.campaign_id = people.campaign.id  # a forged id
    assert state.save(cf.campaign_form(name="Hijacked")) is None
    state.set_status("archived")
    assert redirect_path(state.delete()) is None
    assert cf.snapshot(session) == before


def test_campaign_save_creates_for_the_sponsor_and_reports_field_errors(session):
    sponsor = factories.sponsor(session, approved=True)
    state = logged_in(CampaignState, sponsor)
    state.load_new()
    assert state.save(cf.campaign_form(budget="-5")) is None
    assert "budget" in state.errors
    result = state.save(cf.campaign_form(name="Good one"))
    assert redirect_path(result[0]).startswith("/sponsor/campaigns/")


def test_campaign_detail_lists_only_its_own_requests(session):
    people = cf.cast(session, others=True)
    cf.send(session, people.sponsor, people.campaign, people.influencer)
    second = cf.campaign(session, people.sponsor)
    cf.send(session, people.sponsor, second, people.other_influencer)
    from brandifiers.services.deals import adrequests
    rows, total = adrequests.list_requests(session, people.sponsor.id, campaign_id=people.campaign.id)
    assert total == 1 and rows[0].campaign_name == people.campaign.name
    # Another sponsor asking for this campaign's requests sees none of them.
    assert adrequests.list_requests(session, people.other_sponsor.id, campaign_id=people.campaign.id) == ([], 0)
    state = logged_in(CampaignState, people.sponsor)
    ok, _ = state._call(state._load_one, people.campaign.id)
    assert ok and len(state.requests) == 1 and state.requests[0]["href"].startswith("/sponsor/requests/")
