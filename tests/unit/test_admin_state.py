"""The admin console's state handlers, called as a browser would: a non-admin (even one whose
browser claims the admin role) is refused by every handler and nothing changes; an admin's
calls reach the services."""

from __future__ import annotations

import asyncio
import inspect

import pytest

from brandifiers.models import AnalyticsSnapshot
from brandifiers.state.admin_campaigns import AdminCampaignState
from brandifiers.state.analytics import AnalyticsState
from brandifiers.state.base import RoleState
from brandifiers.state.moderation import ModerationState
from tests.unit import collab_factories as cf
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)
from tests.unit.test_state_handlers import logged_in


@pytest.fixture
def people(session):
    p = cf.cast(session, others=True, admin=True)
    p.request = cf.send(session, p.sponsor, p.campaign, p.influencer)
    return p


@pytest.fixture(autouse=True)
def on_campaign_page(monkeypatch, people):
    """Every state sits on /admin/campaigns/<the campaign's id> (the route argument a browser sends)."""
    monkeypatch.setattr(RoleState, "_route_id", lambda self, name: people.campaign.id)


def with_route(state, _campaign_id: int):
    return state


def calls(people):
    """(state class, handler name, args) for every admin handler that reads or changes data."""
    c, r, u = people.campaign.id, people.request.id, people.influencer.id
    return [
        (AnalyticsState, "load", ()), (AnalyticsState, "refresh", ()),
        (AdminCampaignState, "load_list", ()), (AdminCampaignState, "load_detail", ()),
        (AdminCampaignState, "set_status", ("paused",)),
        (AdminCampaignState, "assign", ({"influencer_email": people.other_influencer.email, "payment": "10"},)),
        *[(ModerationState, "submit_reason", ({"reason": "because"},), action, target)
          for action, target in (("flag_user", u), ("flag_campaign", c), ("flag_request", r),
                                 ("reject_campaign", c))],
    ]


@pytest.mark.parametrize("who", ["sponsor", "influencer"])
def test_every_admin_handler_refuses_non_admins(session, people, who):
    actor = getattr(people, who)
    before = cf.snapshot(session)
    for cls, name, args, *dialog in calls(people):
        state = with_route(logged_in(cls, actor), people.campaign.id)
        state.user_role = "admin"  # forged by the browser: ignored
        if dialog:
            state.reason_action, state.reason_target = dialog
        result = getattr(state, name)(*args)
        if inspect.iscoroutine(result):
            asyncio.run(result)
        assert "not allowed" in state.form_error, (name, dialog)
        assert getattr(state, "rows", []) == [] and getattr(state, "cards", []) == []
        assert getattr(state, "campaign", {}) == {}
    assert cf.snapshot(session) == before
    assert session.get(AnalyticsSnapshot, "admin.platform") is None


def test_admin_handlers_work_for_admins(session, people):
    state = with_route(logged_in(AdminCampaignState, people.admin), people.campaign.id)
    state.load_list()
    assert [r["name"] for r in state.rows] == [people.campaign.name]
    state.load_detail()
    assert state.campaign["company"] and [r["id"] for r in state.requests] == [str(people.request.id)]
    state.assign({"influencer_email": "nobody@example.com", "payment": "10"})
    assert "No influencer" in state.errors["influencer_email"]
    state.assign({"influencer_email": people.other_influencer.email, "payment": "-5"})
    assert "payment" in state.errors
    state.assign({"influencer_email": people.other_influencer.email, "payment": "250"})
    assert state.errors == {}
    state.load_detail()  # what the handler asks the browser to run next
    assert len(state.requests) == 2 and state.requests[0]["by"] == "admin for sponsor"

    mod = with_route(logged_in(ModerationState, people.admin), people.campaign.id)
    mod.open_reason("flag_campaign", people.campaign.id, "Flag it")
    mod.submit_reason({"reason": ""})
    assert "reason" in mod.errors and mod.reason_action == "flag_campaign"  # the dialog stays open
    mod.submit_reason({"reason": "Spam"})
    assert mod.errors == {} and mod.reason_action == ""
    session.refresh(people.campaign)
    assert people.campaign.flagged and people.campaign.flag_reason == "Spam"

    home = logged_in(AnalyticsState, people.admin)
    asyncio.run(home.load())
    assert home.cards and [f["count"] for f in home.flags] == [0, 1, 0] and home.computed_at.endswith("UTC")


def test_the_admin_home_labels_statuses_as_words(session, people):
    cf.advance(session, people.request, "in_progress", people)
    home = logged_in(AnalyticsState, people.admin)
    asyncio.run(home.load())
    assert {"status": "in progress", "count": 1} in home.statuses
    assert all("_" not in row["status"] for row in home.statuses + home.campaigns)


def test_the_platform_chat_webhook_setting(session, people, monkeypatch):
    from brandifiers.services.common import outbound
    from brandifiers.services.common import platform_settings as ps
    from brandifiers.state.admin import AdminState

    key, url = ps.CHAT_WEBHOOK_URL, "https://chat.googleapis.com/v1/spaces/X/messages"
    monkeypatch.setattr(outbound, "resolve_host", lambda host, port: ["142.250.80.10"])
    sponsor_state = logged_in(AdminState, people.sponsor)
    sponsor_state.save_text_setting({"key": key, "value": url})
    assert "not allowed" in sponsor_state.form_error and ps.get_text(session, key) == ""
    admin = logged_in(AdminState, people.admin)
    for bad in ("ftp://nope", "http://169.254.169.254/", "https://chat.example.com/x"):
        admin.save_text_setting({"key": key, "value": bad})
        assert "https://chat.googleapis.com" in admin.errors[key] and ps.get_text(session, key) == ""
    admin.save_text_setting({"key": key, "value": url})
    session.expire_all()
    assert admin.errors == {} and ps.get_text(session, key) == url
    admin.load()
    assert [t["value"] for t in admin.text_settings] == [url, ""]
