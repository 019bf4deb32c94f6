"""Admin moderation: flags with reasons on users, campaigns and requests, their effects (hidden,
frozen, notice) and their undoing; the campaign approval hold. Wrong roles and bad input change
nothing."""

from __future__ import annotations

import pytest
from sqlmodel import select

from brandifiers.models import AuditEvent, Notification, User, UserStatus
from brandifiers.services.common import platform_settings
from brandifiers.services.common.errors import DomainError, NotFound, PermissionDenied
from brandifiers.services.common.rbac import require_role, status_notice
from brandifiers.services.deals import adrequests, moderation
from brandifiers.services.discovery import search
from tests.unit import collab_factories as cf
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)


@pytest.fixture
def people(session):
    return cf.cast(session, others=True, admin=True)


def _everything(session):
    snap = cf.snapshot(session)
    snap["User"] = [(u.id, u.status, u.status_reason) for u in session.exec(select(User).order_by(User.id))]
    return snap


def _campaign_ids(session, influencer):
    page = search.search_campaigns(session, influencer.id, search.CampaignFilters())
    return {c.id for c in page.rows}


def _influencer_ids(session, sponsor):
    page = search.search_influencers(session, sponsor.id, search.InfluencerFilters())
    return {c.user_id for c in page.rows}


def test_flagged_campaign_is_hidden_and_closed_then_restored(session, people):
    infl = people.influencer
    assert people.campaign.id in _campaign_ids(session, infl)
    moderation.flag_campaign(session, people.admin.id, people.campaign.id, "Misleading health claims")
    session.commit()
    assert people.campaign.id not in _campaign_ids(session, infl)
    with pytest.raises(NotFound):  # hidden from influencers
        adrequests.apply_to_campaign(session, infl.id, people.campaign.id, {"payment": "100"})
    session.rollback()
    with pytest.raises(DomainError, match="paused this campaign: Misleading health claims"):  # no new deals
        adrequests.send_request(session, people.sponsor.id, people.campaign.id, infl.id, cf.request_form())
    session.rollback()
    note = session.exec(select(Notification).where(Notification.user_id == people.sponsor.id)
                        .order_by(Notification.id.desc())).first()
    assert note.kind == "campaign.flag" and note.body == "Misleading health claims"
    moderation.unflag_campaign(session, people.admin.id, people.campaign.id, "Claims removed")
    session.commit()
    assert people.campaign.id in _campaign_ids(session, infl)
    cf.apply(session, infl, people.campaign)  # takes requests again
    actions = [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.target_type == "campaign"))]
    assert actions[-2:] == ["campaign.flag", "campaign.unflag"]


def test_flagged_user_sees_a_notice_and_leaves_discovery(session, people):
    infl = people.influencer
    assert infl.id in _influencer_ids(session, people.sponsor)
    moderation.flag_user(session, people.admin.id, infl.id, "Bought followers")
    session.commit()
    assert infl.id not in _influencer_ids(session, people.sponsor)
    with pytest.raises(PermissionDenied, match="Bought followers"):
        require_role(session, infl.id)
    session.refresh(infl)
    assert "Bought followers" in status_notice(infl)
    moderation.unflag_user(session, people.admin.id, infl.id, "Audit cleared them")
    session.commit()
    session.refresh(infl)
    assert infl.status == UserStatus.ACTIVE.value and infl.status_reason is None
    assert infl.id in _influencer_ids(session, people.sponsor)


def test_flagged_request_is_frozen_for_both_sides_until_unflagged(session, people):
    r = cf.send(session, people.sponsor, people.campaign, people.influencer)
    moderation.flag_request(session, people.admin.id, r.id, "Off-platform payment asked")
    session.commit()
    before = _everything(session)
    for actor, call in [(people.influencer, adrequests.accept_offer), (people.sponsor, adrequests.withdraw_request)]:
        with pytest.raises(DomainError, match="frozen"):
            call(session, actor.id, r.id)
        session.rollback()
    assert _everything(session) == before
    kinds = {n.kind for n in session.exec(select(Notification).where(Notification.kind == "adrequest.flag"))}
    assert kinds == {"adrequest.flag"}
    moderation.unflag_request(session, people.admin.id, r.id, "Sorted out")
    session.commit()
    adrequests.accept_offer(session, people.influencer.id, r.id)
    session.commit()
    session.refresh(r)
    assert r.status == "accepted" and not r.flagged


def _targets(session, people) -> dict:
    """Every admin moderation call, bound to a real target."""
    r = cf.send(session, people.sponsor, people.campaign, people.influencer)
    c, u = people.campaign.id, people.influencer.id
    return {
        "flag_user": lambda a, why: moderation.flag_user(session, a, u, why),
        "unflag_user": lambda a, why: moderation.unflag_user(session, a, u, why),
        "flag_campaign": lambda a, why: moderation.flag_campaign(session, a, c, why),
        "unflag_campaign": lambda a, why: moderation.unflag_campaign(session, a, c, why),
        "flag_request": lambda a, why: moderation.flag_request(session, a, r.id, why),
        "unflag_request": lambda a, why: moderation.unflag_request(session, a, r.id, why),
        "approve_campaign": lambda a, why: moderation.approve_campaign(session, a, c),
        "reject_campaign": lambda a, why: moderation.reject_campaign(session, a, c, why),
        "held_campaigns": lambda a, why: moderation.held_campaigns(session, a),
    }


CALLS = ["flag_user", "unflag_user", "flag_campaign", "unflag_campaign", "flag_request", "unflag_request",
         "approve_campaign", "reject_campaign", "held_campaigns"]


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("who", ["sponsor", "influencer", None])
def test_non_admins_are_refused_and_nothing_changes(session, people, call, who):
    actor_id = getattr(people, who).id if who else None
    fn = _targets(session, people)[call]
    before = _everything(session)
    with pytest.raises(PermissionDenied):
        fn(actor_id, "reason")
    session.rollback()
    assert _everything(session) == before


@pytest.mark.parametrize("call", ["flag_user", "flag_campaign", "flag_request"])
@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_flag_needs_a_reason(session, people, call, reason):
    fn = _targets(session, people)[call]
    before = _everything(session)
    with pytest.raises(DomainError) as err:
        fn(people.admin.id, reason)
    assert err.value.field == "reason"
    session.rollback()
    assert _everything(session) == before


def test_unknown_ids_and_already_handled_items(session, people):
    admin = people.admin.id
    for fn in (moderation.flag_user, moderation.flag_campaign, moderation.flag_request):
        with pytest.raises(NotFound):
            fn(session, admin, 999_999, "reason")
        session.rollback()
    moderation.flag_campaign(session, admin, people.campaign.id, "first")
    session.commit()
    before = _everything(session)
    with pytest.raises(DomainError, match="already flagged"):
        moderation.flag_campaign(session, admin, people.campaign.id, "second click")
    session.rollback()
    with pytest.raises(DomainError, match="not flagged"):
        moderation.unflag_user(session, admin, people.influencer.id, "nothing to lift")
    session.rollback()
    with pytest.raises(DomainError, match="cannot be flagged"):
        moderation.flag_user(session, admin, admin, "self")
    session.rollback()
    assert _everything(session) == before


def test_held_public_campaigns_wait_for_approval(session, people):
    admin, infl = people.admin.id, people.influencer
    platform_settings.set_flag(session, admin, platform_settings.HOLD_PUBLIC_CAMPAIGNS, True)
    session.commit()
    held = cf.campaign(session, people.sponsor, name="Held launch")
    private = cf.campaign(session, people.sponsor, name="Quiet one", visibility="private")
    assert not held.approved and private.approved
    assert held.id not in _campaign_ids(session, infl)
    rows, total = moderation.held_campaigns(session, admin)
    assert total == 1 and rows[0].name == "Held launch"
    moderation.approve_campaign(session, admin, held.id)
    session.commit()
    assert held.id in _campaign_ids(session, infl)
    with pytest.raises(DomainError, match="already handled"):
        moderation.approve_campaign(session, admin, held.id)
    session.rollback()


def test_a_rejected_campaign_shows_the_reason_and_unflagging_requeues_it(session, people):
    admin = people.admin.id
    platform_settings.set_flag(session, admin, platform_settings.HOLD_PUBLIC_CAMPAIGNS, True)
    held = cf.campaign(session, people.sponsor)
    with pytest.raises(DomainError) as err:
        moderation.reject_campaign(session, admin, held.id, " ")
    assert err.value.field == "reason"
    session.rollback()
    moderation.reject_campaign(session, admin, held.id, "Alcohol ads need an age gate")
    session.commit()
    session.refresh(held)
    assert held.flagged and held.flag_reason == "Not approved: Alcohol ads need an age gate"
    assert moderation.held_campaigns(session, admin)[1] == 0
    moderation.unflag_campaign(session, admin, held.id, "Age gate added")
    session.commit()
    assert moderation.held_campaigns(session, admin)[1] == 1  # back in the queue, as it was


def test_settings_are_admin_only_and_audited(session, people):
    key = platform_settings.HOLD_PUBLIC_CAMPAIGNS
    assert platform_settings.get_flag(session, key) is False
    with pytest.raises(PermissionDenied):
        platform_settings.set_flag(session, people.sponsor.id, key, True)
    session.rollback()
    assert platform_settings.get_flag(session, key) is False
    platform_settings.set_flag(session, people.admin.id, key, True)
    session.commit()
    assert platform_settings.get_flag(session, key) is True
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "setting.change")).one()
    assert (event.before, event.after) == ("off", "on")
    # An admin's own campaigns are never held.
    c = cf.campaign(session, people.sponsor)
    assert not c.approved


@pytest.mark.parametrize("url", ["http://[::1", "ftp://chat.example.com/x", "https://", "https://chat example.com"])
def test_a_malformed_webhook_url_gets_a_message_not_a_crash(session, people, url):
    with pytest.raises(DomainError) as err:
        platform_settings.set_text(session, people.admin.id, platform_settings.CHAT_WEBHOOK_URL, url)
    assert err.value.field == platform_settings.CHAT_WEBHOOK_URL
    session.rollback()
    assert platform_settings.get_text(session, platform_settings.CHAT_WEBHOOK_URL) == ""
