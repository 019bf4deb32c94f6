"""The daily reminder selects exactly the right people (answers pending on their side,
inactive influencers; not opted out, not flagged, not frozen requests) and queues each
message once per day, whatever the number of runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from brandifiers.clock import utcnow
from brandifiers.models import InfluencerProfile
from brandifiers.models.jobs import OutboxMessage
from brandifiers.services.accounts import preferences
from brandifiers.services.common import outbound, platform_settings
from brandifiers.services.common.errors import DomainError
from brandifiers.services.deals import adrequests, moderation
from brandifiers.services.messaging import reminders
from tests.unit import collab_factories as cf
from tests.unit import factories
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)


def queued(session, channel=None):
    session.expire_all()
    stmt = select(OutboxMessage).where(OutboxMessage.kind == reminders.KIND)
    if channel:
        stmt = stmt.where(OutboxMessage.channel == channel)
    return {(m.channel, m.recipient) for m in session.exec(stmt)}


def test_who_is_reminded(session):
    p = cf.cast(session, others=True, admin=True)
    now = utcnow()
    waiting_on_influencer = cf.send(session, p.sponsor, p.campaign, p.influencer)
    countered = cf.send(session, p.sponsor, p.campaign, p.other_influencer)
    adrequests.counter_offer(session, p.other_influencer.id, countered.id, {"amount": "350"})
    session.commit()
    quiet = factories.influencer(session)  # no request, but away for a week
    quiet.last_seen_at = now - timedelta(days=7)
    recent = factories.influencer(session)  # no request, seen yesterday: nothing to say
    recent.last_seen_at = now - timedelta(days=1)
    session.add_all([quiet, recent])
    session.commit()
    got = {w.user_id: w for w in reminders.who_is_waiting(session, now, 3)}
    assert set(got) == {p.influencer.id, p.sponsor.id, quiet.id}
    assert got[p.influencer.id].items and p.campaign.name in got[p.influencer.id].items[0]
    name = session.exec(select(InfluencerProfile.display_name)
                        .where(InfluencerProfile.user_id == p.other_influencer.id)).one()
    assert got[p.sponsor.id].items == [f"{name} on {p.campaign.name}: $350.00"]
    assert got[quiet.id].inactive_days == 3 and got[quiet.id].items == []
    # A frozen request and a flagged influencer wait for nobody.
    moderation.flag_request(session, p.admin.id, waiting_on_influencer.id, "Under review")
    moderation.flag_user(session, p.admin.id, quiet.id, "Spam")
    session.commit()
    assert {w.user_id for w in reminders.who_is_waiting(session, now, 3)} == {p.sponsor.id}


def test_channels_opt_outs_and_once_per_day(session, monkeypatch,
                                            webhook_url="https://chat.googleapis.com/v1/spaces/A/messages"):
    monkeypatch.setattr(outbound, "resolve_host", lambda host, port: ["142.250.80.10"])
    p = cf.cast(session, admin=True)
    cf.send(session, p.sponsor, p.campaign, p.influencer)
    preferences.save_mine(session, p.influencer.id, {"email_opt_out": "on", "chat_webhook_url": webhook_url})
    platform_settings.set_text(session, p.admin.id, platform_settings.CHAT_WEBHOOK_URL, "https://chat.googleapis.com/v1/spaces/OPS/messages")
    session.commit()
    now = utcnow()
    counts = reminders.run_daily_reminders(session, now=now)
    session.commit()
    assert counts == {"inapp": 1, "chat": 1, "digest": 1}
    assert queued(session) == {("inapp", str(p.influencer.id)), ("chat", webhook_url)}
    assert reminders.run_daily_reminders(session, now=now + timedelta(hours=1)) == {}  # the job ran twice
    session.commit()
    preferences.save_mine(session, p.influencer.id, {"chat_opt_out": "on", "chat_webhook_url": webhook_url})
    session.commit()
    assert reminders.run_daily_reminders(session, now=now + timedelta(days=1)) == {"inapp": 1, "email": 1,
                                                                                    "digest": 1}


def test_preferences_are_validated_and_only_ones_own(session):
    p = cf.cast(session)
    with pytest.raises(DomainError) as err:
        preferences.save_mine(session, p.influencer.id, {"chat_webhook_url": "javascript:alert(1)"})
    assert err.value.field == "chat_webhook_url"
    session.rollback()
    preferences.save_mine(session, p.influencer.id, {"email_opt_out": "on", "user_id": p.sponsor.id})
    session.commit()
    assert preferences.for_user(session, p.influencer.id).email_opt_out is True
    assert preferences.for_user(session, p.sponsor.id).email_opt_out is False
