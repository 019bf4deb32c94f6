"""What the people with a request on a flagged campaign, a frozen request or a flagged sponsor are told and
may still read: who is notified (flag and lift), who may open the campaign and request pages, which actions
wait and why; and the influencer's own application in words on the campaign page."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlmodel import select

from brandifiers.models import Notification
from brandifiers.services.common.errors import DomainError, NotFound
from brandifiers.services.deals import adrequests, campaign_view, moderation
from tests.unit import collab_factories as cf
from tests.unit import factories
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)

REASON = "Misleading health claims in the brief"
PAUSED = (f"An admin paused this campaign: {REASON}. You can read your history; new offers, counters and "
          "submissions wait until the flag is lifted.")


@pytest.fixture
def world(session):
    """A campaign with an influencer paid and done, one with a pending offer, one who never applied."""
    w = cf.cast(session, others=True, admin=True)
    w.paid = cf.advance(session, cf.send(session, w.sponsor, w.campaign, w.influencer), "completed", w)
    adrequests.record_payment(session, w.sponsor.id, w.paid.id, {**cf.PAY, "amount": "300", "paid_on": cf.today()})
    w.pending = cf.send(session, w.sponsor, w.campaign, w.other_influencer)
    w.stranger = factories.influencer(session)
    session.commit()
    return w


def _notes(session, user, kind):
    return list(session.exec(select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)))


def test_flagging_a_campaign_tells_and_explains_it_to_everyone_with_a_request(session, world):
    moderation.flag_campaign(session, world.admin.id, world.campaign.id, REASON)
    session.commit()
    for influencer in (world.influencer, world.other_influencer):
        [note] = _notes(session, influencer, "campaign.flag")
        assert note.title == f"{world.campaign.name} was paused by an administrator"
        assert note.body == PAUSED and note.link == f"/influencer/campaigns/{world.campaign.id}"
        page = campaign_view.campaign_page(session, influencer.id, world.campaign.id)  # still opens
        assert page.holds == [PAUSED] and page.brief["name"] == world.campaign.name
        assert page.own_request is not None and not page.can_apply
    assert _notes(session, world.stranger, "campaign.flag") == []
    with pytest.raises(NotFound):  # nobody else learns it exists
        campaign_view.campaign_page(session, world.stranger.id, world.campaign.id)

    paid = adrequests.get_request(session, world.influencer.id, world.paid.id)  # the history stays readable
    assert [h.text for h in paid.holds] == [PAUSED] and paid.paid_cents == 30_000 and paid.actions == set()
    pending = adrequests.get_request(session, world.other_influencer.id, world.pending.id)
    assert pending.actions == {"reject"}  # leaving stays possible
    assert pending.held == {"accept": PAUSED, "counter": PAUSED}  # shown as waiting, with the reason
    with pytest.raises(DomainError) as refused:  # the refusal says the same, reason included
        adrequests.accept_offer(session, world.other_influencer.id, world.pending.id)
    assert refused.value.message == PAUSED
    session.rollback()


def test_lifting_the_flag_tells_them_and_the_holds_go(session, world):
    moderation.flag_campaign(session, world.admin.id, world.campaign.id, REASON)
    session.commit()
    moderation.unflag_campaign(session, world.admin.id, world.campaign.id, "Claims removed")
    session.commit()
    for influencer in (world.influencer, world.other_influencer):
        [note] = _notes(session, influencer, "campaign.unflag")
        assert note.title == f"The flag on {world.campaign.name} was lifted"
        assert note.body == "Claims removed. New offers, counters and submissions can go on."
        assert campaign_view.campaign_page(session, influencer.id, world.campaign.id).holds == []
    pending = adrequests.get_request(session, world.other_influencer.id, world.pending.id)
    assert pending.held == {} and pending.actions == {"accept", "counter", "reject"}
    assert _notes(session, world.stranger, "campaign.unflag") == []


def test_work_waits_on_a_paused_campaign_and_payments_go_on(session, world):
    accepted = cf.advance(session, world.pending, "accepted", SimpleNamespace(
        sponsor=world.sponsor, influencer=world.other_influencer))
    moderation.flag_campaign(session, world.admin.id, world.campaign.id, REASON)
    session.commit()
    view = adrequests.get_request(session, world.other_influencer.id, accepted.id)
    assert view.actions == set() and view.held == {"start": PAUSED}
    with pytest.raises(DomainError) as err:
        adrequests.start_work(session, world.other_influencer.id, accepted.id)
    assert err.value.message == PAUSED
    session.rollback()
    sponsor_view = adrequests.get_request(session, world.sponsor.id, accepted.id)
    # paused: paying and cancelling the deal go on
    assert sponsor_view.actions == {"pay", "cancel"} and [h.kind for h in sponsor_view.holds] == ["campaign"]
    adrequests.record_payment(session, world.sponsor.id, accepted.id, {**cf.PAY, "paid_on": cf.today()})
    session.commit()


def test_a_frozen_request_holds_every_step_and_says_why(session, world):
    moderation.flag_request(session, world.admin.id, world.pending.id, "Off-platform payment asked")
    session.commit()
    view = adrequests.get_request(session, world.other_influencer.id, world.pending.id)
    frozen = ("An admin froze this request: Off-platform payment asked. You can read its history; every step "
              "waits until the freeze is lifted.")
    assert [h.text for h in view.holds] == [frozen]
    assert view.actions == set() and view.held == {"accept": frozen, "counter": frozen, "reject": frozen}
    # the campaign itself is not paused: the influencer's campaign page shows only what concerns it
    assert campaign_view.campaign_page(session, world.other_influencer.id, world.campaign.id).holds == [frozen]
    assert campaign_view.campaign_page(session, world.influencer.id, world.campaign.id).holds == []


def test_a_flagged_sponsor_is_explained_to_influencers_with_running_deals(session, world):
    moderation.flag_user(session, world.admin.id, world.sponsor.id, "Invoices unpaid")
    session.commit()
    [note] = _notes(session, world.other_influencer, "account.flagged")  # an open request: told
    assert note.title.endswith("'s account was put on hold by an administrator")
    assert "Invoices unpaid" in note.body and note.link == "/influencer/requests"
    assert _notes(session, world.influencer, "account.flagged") == []  # done and paid: nothing changes for them
    view = adrequests.get_request(session, world.other_influencer.id, world.pending.id)
    [hold] = view.holds
    assert hold.kind == "account" and "Invoices unpaid" in hold.text and view.held.keys() == {"accept", "counter"}
    page = campaign_view.campaign_page(session, world.influencer.id, world.campaign.id)  # unlisted, still readable
    assert page.brief["name"] == world.campaign.name and not page.can_apply
    moderation.unflag_user(session, world.admin.id, world.sponsor.id, "Paid up")
    session.commit()
    assert len(_notes(session, world.other_influencer, "account.unflagged")) == 1
    assert adrequests.get_request(session, world.other_influencer.id, world.pending.id).holds == []


def test_the_campaign_page_names_the_brand_and_the_application(session, world):
    fresh = factories.influencer(session)
    page = campaign_view.campaign_page(session, fresh.id, world.campaign.id)
    assert page.sponsor_name and page.can_apply and page.own_status == ""
    request = cf.apply(session, fresh, world.campaign)
    page = campaign_view.campaign_page(session, fresh.id, world.campaign.id)
    assert page.own_status == f"You applied on {request.created_at:%Y-%m-%d} — awaiting {page.sponsor_name}."
    assert not page.can_apply
    offer = campaign_view.campaign_page(session, world.other_influencer.id, world.campaign.id)
    assert offer.own_status.startswith(f"{page.sponsor_name} sent you an offer on ")
    assert offer.own_status.endswith(" — awaiting your answer.")
    done = campaign_view.campaign_page(session, world.influencer.id, world.campaign.id)
    assert done.own_status.startswith("Your collaboration was completed on ") and done.can_apply
