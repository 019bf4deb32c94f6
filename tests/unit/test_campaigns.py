"""Campaigns: validation, status changes, delete vs archive, ownership and the budget panel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from brandifiers.models import AdRequest, AuditEvent, Campaign, Notification, Offer, Payment, UserStatus
from brandifiers.services.common.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from brandifiers.services.deals import adrequests, campaigns
from tests.unit import factories
from tests.unit.collab_factories import (  # noqa: F401  (cheap_passwords is an autouse fixture)
    advance,
    campaign,
    campaign_form,
    cast,
    cheap_passwords,
    send,
    snapshot,
    today,
)

STATUSES = ("draft", "active", "paused", "completed", "archived")
LEGAL = {("draft", "active"), ("active", "paused"), ("paused", "active"), ("active", "completed"),
         ("paused", "completed")} | {(s, "archived") for s in STATUSES if s != "archived"}


def test_create_stores_every_field_and_audits(session):
    sponsor = factories.sponsor(session, approved=True)
    c = campaigns.create_campaign(session, sponsor.id, campaign_form(
        name="  Summer  ", target_engagements="5000", niche="", status="", budget="$2,500.50"))
    session.commit()
    c = session.get(Campaign, c.id)
    assert (c.name, c.status, c.budget_cents, c.niche, c.sponsor_id, c.created_by_id) == (
        "Summer", "draft", 250050, None, sponsor.id, sponsor.id)
    assert (c.target_views, c.target_engagements, c.target_conversions) == (100000, 5000, None)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "campaign.create")).one()
    assert (event.actor_id, event.target_id, event.after) == (sponsor.id, c.id, "draft")


def test_bad_input_reports_every_field_and_writes_nothing(session):
    sponsor = factories.sponsor(session, approved=True)
    before = snapshot(session)
    bad = campaign_form(name="", description="d" * 4001, category="Cars", niche="n" * 81, goals="g" * 2001,
                        target_views="-5", target_engagements="lots", start_date="2025/01/01",
                        end_date="2025-02-30", budget="0", visibility="secret", status="paused")
    with pytest.raises(ValidationFailed) as err:
        campaigns.create_campaign(session, sponsor.id, bad)
    assert set(err.value.errors) == {"name", "description", "category", "niche", "goals", "target_views",
                                     "target_engagements", "start_date", "end_date", "budget", "visibility",
                                     "status"}
    assert "YYYY-MM-DD" in err.value.errors["start_date"]
    session.rollback()
    assert snapshot(session) == before


FIELD_ERRORS = [
    ({"end_date": (today() - timedelta(days=1)).isoformat()}, "end_date", "before the start"),
    ({"budget": "-10"}, "budget", "negative"),
    ({"budget": "abc"}, "budget", "number"),
    ({"budget": ""}, "budget", "Enter an amount"),
    ({"budget": "10.001"}, "budget", "two decimals"),
    ({"name": "x" * 121}, "name", "at most 120"),
    ({"start_date": "31-12-2025"}, "start_date", "YYYY-MM-DD"),
    ({"start_date": "2025-1-5"}, "start_date", "YYYY-MM-DD"),
    ({"start_date": ""}, "start_date", "required"),
]


def test_field_errors(session, subtests):
    sponsor = factories.sponsor(session, approved=True)
    for overrides, field, fragment in FIELD_ERRORS:
        with subtests.test(field=field, overrides=overrides):
            with pytest.raises(ValidationFailed) as err:
                campaigns.create_campaign(session, sponsor.id, campaign_form(**overrides))
            assert fragment in err.value.errors[field]


def test_only_active_sponsors_and_admins_create(session):
    pending, influencer = factories.sponsor(session), factories.influencer(session)
    for user in (pending, influencer):
        with pytest.raises(PermissionDenied):
            campaigns.create_campaign(session, user.id, campaign_form())
    with pytest.raises(PermissionDenied):
        campaigns.create_campaign(session, None, campaign_form())


def test_admin_creates_for_an_active_sponsor_only(session):
    admin, sponsor, pending = factories.admin(session), factories.sponsor(session, approved=True), \
        factories.sponsor(session)
    for sponsor_id in ("", "abc", str(pending.id), str(admin.id), "999999", "\u00b2", str(2**70)):
        with pytest.raises(ValidationFailed) as err:
            campaigns.create_campaign(session, admin.id, campaign_form(sponsor_id=sponsor_id))
        assert "sponsor_id" in err.value.errors
    c = campaigns.create_campaign(session, admin.id, campaign_form(sponsor_id=str(sponsor.id)))
    session.commit()
    assert (c.sponsor_id, c.created_by_id) == (sponsor.id, admin.id)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "campaign.create")).one()
    assert event.on_behalf_of_id == sponsor.id
    assert session.exec(select(Notification).where(Notification.user_id == sponsor.id)).one()


def test_update_validates_and_keeps_budget_above_committed(session):
    p = cast(session)
    r = send(session, p.sponsor, p.campaign, p.influencer, payment="400")
    advance(session, r, "accepted", p)
    with pytest.raises(ValidationFailed) as err:
        campaigns.update_campaign(session, p.sponsor.id, p.campaign.id, campaign_form(name="", budget="399.99"))
    assert "$400.00" in err.value.errors["budget"] and "name" in err.value.errors
    session.rollback()
    c = campaigns.update_campaign(session, p.sponsor.id, p.campaign.id,
                                  campaign_form(name="Renamed", budget="400", status="archived"))
    session.commit()
    c = session.get(Campaign, c.id)
    assert (c.name, c.budget_cents, c.status) == ("Renamed", 40000, "active")  # status only via set_status
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "campaign.update")).one()
    assert "budget_cents" in event.summary and "100000" in event.before and "40000" in event.after


def test_archived_campaigns_cannot_be_edited(session):
    p = cast(session)
    campaigns.set_campaign_status(session, p.sponsor.id, p.campaign.id, "archived")
    session.commit()
    before = snapshot(session)
    with pytest.raises(DomainError, match="Archived"):
        campaigns.update_campaign(session, p.sponsor.id, p.campaign.id, campaign_form())
    session.rollback()
    assert snapshot(session) == before


@pytest.mark.parametrize("old", STATUSES)
def test_status_transitions(session, subtests, old):
    sponsor = factories.sponsor(session, approved=True)
    path = {"draft": [], "active": ["active"], "paused": ["active", "paused"],
            "completed": ["active", "completed"], "archived": ["archived"]}[old]
    for new in STATUSES + ("bogus", ""):
        with subtests.test(new=new):
            session.rollback()
            c = campaign(session, sponsor, status="draft")
            for step in path:
                campaigns.set_campaign_status(session, sponsor.id, c.id, step)
            session.commit()
            before = snapshot(session)
            if (old, new) in LEGAL:
                campaigns.set_campaign_status(session, sponsor.id, c.id, new)
                session.commit()
                assert session.get(Campaign, c.id).status == new
                event = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
                assert (event.action, event.target_id, event.before, event.after) == ("campaign.status", c.id, old,
                                                                                      new)
                continue
            with pytest.raises(DomainError) as err:
                campaigns.set_campaign_status(session, sponsor.id, c.id, new)
            assert err.value.message == f"Cannot move this campaign from {old} to {new or 'nothing'}."
            session.rollback()
            assert snapshot(session) == before


def test_status_change_notifies_influencers_with_live_requests(session):
    p = cast(session)
    send(session, p.sponsor, p.campaign, p.influencer)
    campaigns.set_campaign_status(session, p.sponsor.id, p.campaign.id, "paused")
    session.commit()
    titles = session.exec(select(Notification.title).where(Notification.user_id == p.influencer.id)).all()
    assert any("paused" in t for t in titles)


def test_delete_removes_requests_and_offers_while_nothing_was_accepted(session):
    p = cast(session, others=True)
    first = send(session, p.sponsor, p.campaign, p.influencer)
    advance(session, first, "rejected", p)
    send(session, p.sponsor, p.campaign, p.other_influencer)
    campaigns.delete_campaign(session, p.sponsor.id, p.campaign.id)
    session.commit()
    session.expire_all()
    assert session.get(Campaign, p.campaign.id) is None
    assert session.exec(select(AdRequest)).all() == [] and session.exec(select(Offer)).all() == []
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "campaign.delete")).one()
    assert (event.target_id, event.before, event.after) == (p.campaign.id, "active", "deleted")
    notes = session.exec(select(Notification).where(Notification.user_id == p.other_influencer.id,
                                                    Notification.kind == "campaign.deleted")).all()
    assert len(notes) == 1


@pytest.mark.parametrize("status", ["accepted", "completed"])
def test_delete_is_refused_once_a_request_was_accepted(session, status):
    p = cast(session)
    r = send(session, p.sponsor, p.campaign, p.influencer)
    advance(session, r, status, p)
    if status == "completed":
        adrequests.record_payment(session, p.sponsor.id, r.id, {"amount": "300", "paid_on": today().isoformat()})
        session.commit()
    before = snapshot(session)
    with pytest.raises(DomainError, match="archive it instead"):
        campaigns.delete_campaign(session, p.sponsor.id, p.campaign.id)
    session.rollback()
    assert snapshot(session) == before
    campaigns.set_campaign_status(session, p.sponsor.id, p.campaign.id, "archived")
    session.commit()
    assert session.get(Campaign, p.campaign.id).status == "archived"


def test_foreign_and_unknown_campaigns_are_refused_and_nothing_changes(session):
    p = cast(session, others=True, visibility="private")  # a public active one is readable by influencers
    mine = p.campaign.id
    send(session, p.sponsor, p.campaign, p.influencer)
    before = snapshot(session)
    calls = [
        lambda a, cid: campaigns.update_campaign(session, a, cid, campaign_form(name="Hijacked")),
        lambda a, cid: campaigns.set_campaign_status(session, a, cid, "archived"),
        lambda a, cid: campaigns.delete_campaign(session, a, cid),
        lambda a, cid: campaigns.get_campaign(session, a, cid),
    ]
    for call in calls:
        for actor, cid in ((p.other_sponsor.id, mine), (p.sponsor.id, 999_999)):
            with pytest.raises(NotFound) as err:
                call(actor, cid)
            assert err.value.message == "That campaign does not exist."
        with pytest.raises((PermissionDenied, NotFound)):
            call(p.other_influencer.id, mine)
    session.rollback()
    assert snapshot(session) == before


def test_flagged_or_pending_accounts_cannot_touch_their_campaigns(session):
    p = cast(session)
    p.sponsor.status = UserStatus.FLAGGED.value
    session.add(p.sponsor)
    session.commit()
    with pytest.raises(PermissionDenied):
        campaigns.set_campaign_status(session, p.sponsor.id, p.campaign.id, "paused")


def test_influencers_read_public_active_campaigns_or_those_addressed_to_them(session):
    p = cast(session, others=True)
    private = campaign(session, p.sponsor, visibility="private")
    draft = campaign(session, p.sponsor, status="draft")
    assert campaigns.get_campaign(session, p.influencer.id, p.campaign.id).id == p.campaign.id
    for hidden in (private, draft):
        with pytest.raises(NotFound):
            campaigns.get_campaign(session, p.influencer.id, hidden.id)
    send(session, p.sponsor, private, p.influencer)
    assert campaigns.get_campaign(session, p.influencer.id, private.id).id == private.id
    with pytest.raises(NotFound):
        campaigns.get_campaign(session, p.other_influencer.id, private.id)
    p.campaign.flagged = True
    session.add(p.campaign)
    session.commit()
    with pytest.raises(NotFound):
        campaigns.get_campaign(session, p.influencer.id, p.campaign.id)
    assert campaigns.get_campaign(session, p.sponsor.id, p.campaign.id).flagged


def test_list_is_own_newest_first_filtered_and_capped(session):
    p = cast(session, others=True)
    campaign(session, p.other_sponsor)
    for i in range(54):
        campaigns.create_campaign(session, p.sponsor.id, campaign_form(name=f"C{i:02d}", status="draft"))
    session.commit()
    rows, total = campaigns.list_campaigns(session, p.sponsor.id, page_size=500)
    assert total == 55 and len(rows) == 50 and {c.sponsor_id for c in rows} == {p.sponsor.id}
    assert [c.id for c in rows] == sorted((c.id for c in rows), reverse=True)
    drafts, n = campaigns.list_campaigns(session, p.sponsor.id, status="draft", page=2, page_size=20)
    assert n == 54 and len(drafts) == 14 and drafts[-1].name == "C00"
    with pytest.raises(DomainError):
        campaigns.list_campaigns(session, p.sponsor.id, status="bogus")
    with pytest.raises(PermissionDenied):
        campaigns.list_campaigns(session, p.influencer.id)


def test_budget_panel(session):
    p = cast(session, others=True)
    accepted = send(session, p.sponsor, p.campaign, p.influencer, payment="300")
    advance(session, accepted, "in_progress", p)
    send(session, p.sponsor, p.campaign, p.other_influencer, payment="500")  # open: not committed
    adrequests.record_payment(session, p.sponsor.id, accepted.id, {"amount": "120.50", "paid_on": today()})
    session.commit()
    assert campaigns.budget_panel(session, p.campaign.id) == {
        "budget_cents": 100000, "committed_cents": 30000, "paid_cents": 12050, "remaining_cents": 70000}
    with pytest.raises(NotFound):
        campaigns.budget_panel(session, 999_999)
    assert session.exec(select(Payment)).one().amount_cents == 12050
