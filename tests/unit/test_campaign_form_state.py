"""The campaign form remembers what it edits: a refused load (someone else's campaign id) never turns
into "create a new campaign" on Save, and a Save with nothing loaded is refused."""

from __future__ import annotations

import pytest

from brandifiers.models import Campaign
from brandifiers.state.base import RoleState
from brandifiers.state.campaigns import CampaignState
from tests.unit import collab_factories as cf
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)
from tests.unit.test_state_handlers import logged_in, redirect_path


def _on_route(monkeypatch, campaign_id: int) -> None:
    monkeypatch.setattr(RoleState, "_route_id", lambda self, name: campaign_id)


@pytest.mark.parametrize("who", ["other_sponsor", "influencer"])
def test_save_after_a_refused_load_writes_nothing(session, monkeypatch, who):
    people = cf.cast(session, others=True)
    _on_route(monkeypatch, people.campaign.id)  # /sponsor/campaigns/<someone else's id>/edit
    state = logged_in(CampaignState, getattr(people, who))
    state.load_detail()
    assert state.campaign == {} and state.campaign_id == 0
    before = cf.snapshot(session)
    assert state.save(cf.campaign_form(name="Not mine")) is None
    assert "could not be loaded" in state.form_error
    assert cf.snapshot(session) == before


def test_save_with_nothing_loaded_is_refused(session):
    people = cf.cast(session)
    before = cf.snapshot(session)
    state = logged_in(CampaignState, people.sponsor)
    assert state.save(cf.campaign_form(name="From nowhere")) is None
    assert state.form_error and cf.snapshot(session) == before


def test_the_form_saves_what_it_loaded_and_new_creates(session, monkeypatch):
    people = cf.cast(session)
    _on_route(monkeypatch, people.campaign.id)
    state = logged_in(CampaignState, people.sponsor)
    state.load_detail()
    result = state.save(cf.campaign_form(name="Renamed"))
    assert redirect_path(result[0]) == f"/sponsor/campaigns/{people.campaign.id}"
    session.expire_all()
    assert session.get(Campaign, people.campaign.id).name == "Renamed"
    state.load_new()
    result = state.save(cf.campaign_form(name="Brand new"))
    assert redirect_path(result[0]) != f"/sponsor/campaigns/{people.campaign.id}"
    assert len(session.exec(Campaign.__table__.select()).all()) == 2
