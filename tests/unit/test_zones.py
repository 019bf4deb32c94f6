"""Each person's time zone: chosen and checked, guessed at sign-up, and the local day it makes (a person in
Africa/Lagos, UTC+1 all year, whose day starts at 23:00 UTC: 23:30 UTC is already tomorrow there)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from brandifiers.clock import UTC
from brandifiers.models import AuditEvent, User
from brandifiers.models.jobs import OutboxMessage
from brandifiers.services.accounts import auth, profiles
from brandifiers.services.common import audit, zones
from brandifiers.services.common.errors import DomainError
from brandifiers.services.deals import adrequests
from brandifiers.services.messaging import reminders
from brandifiers.services.records import audit_log
from brandifiers.services.stats import stats_views
from tests.unit import collab_factories as cf
from tests.unit import factories
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)

LAGOS = "Africa/Lagos"
LATE = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 2026-03-02 00:30 in Lagos


def _zone(session, user, name):
    user.time_zone = name
    session.add(user)
    session.commit()


def test_formatting_carries_the_zone_abbreviation():
    assert zones.fmt_time(LATE, "UTC") == "2026-03-01 23:30 UTC"
    assert zones.fmt_time(LATE, "Asia/Tokyo") == "2026-03-02 08:30 JST"
    assert zones.fmt_time(LATE, LAGOS) == "2026-03-02 00:30 WAT"
    assert zones.fmt_time(datetime(2026, 7, 1, 12, 0, tzinfo=UTC), "America/New_York") == "2026-07-01 08:00 EDT"
    assert zones.fmt_time(datetime(2026, 1, 1, 12, 0, tzinfo=UTC), "America/New_York") == "2026-01-01 07:00 EST"
    assert zones.fmt_time(LATE, "Asia/Tokyo", seconds=True) == "2026-03-02 08:30:00 JST"
    assert zones.fmt_time(LATE.replace(tzinfo=None), "Asia/Tokyo") == "2026-03-02 08:30 JST"  # naive = UTC
    assert zones.fmt_time(None, "Asia/Tokyo") == "-"
    assert zones.fmt_date(LATE, LAGOS) == "2026-03-02" and zones.fmt_date(LATE, None) == "2026-03-01"
    assert zones.fmt_time(LATE, "Not/AZone") == "2026-03-01 23:30 UTC"  # a bad stored name never breaks a page
    assert zones.zone_label("Asia/Tokyo") == "Asia/Tokyo (JST)" and zones.zone_label("UTC") == "UTC"


def test_the_day_starts_at_23_utc_in_lagos():
    assert zones.local_today(LAGOS, LATE) == date(2026, 3, 2)
    assert zones.local_today("UTC", LATE) == date(2026, 3, 1)
    start, end = zones.day_window(date(2026, 3, 2), date(2026, 3, 2), LAGOS)
    assert start == datetime(2026, 3, 1, 23, 0, tzinfo=UTC) and end == datetime(2026, 3, 2, 23, 0, tzinfo=UTC)
    assert start <= LATE < end
    assert zones.due_day(LAGOS, LATE, "00:15") == "2026-03-02" and zones.due_day(LAGOS, LATE, "00:45") is None


def test_zone_is_checked_and_only_ones_own(session):
    inf = factories.influencer(session)
    other = factories.influencer(session)
    for bad in ("Mars/Olympus", "", "utc ", 7, None, "../../etc/passwd", "Europe/Paris" * 10):
        with pytest.raises(DomainError) as err:
            profiles.set_time_zone(session, inf.id, {"time_zone": bad})
        assert err.value.field == "time_zone" and "time zone" in err.value.message
    session.rollback()
    assert session.get(User, inf.id).time_zone == "UTC"
    assert profiles.set_time_zone(session, inf.id, {"time_zone": "Asia/Tokyo", "user_id": other.id}) == "Asia/Tokyo"
    session.commit()
    session.expire_all()
    assert session.get(User, inf.id).time_zone == "Asia/Tokyo" and session.get(User, other.id).time_zone == "UTC"
    assert profiles.get_time_zone(session, inf.id) == "Asia/Tokyo"
    assert session.exec(select(AuditEvent.summary).where(AuditEvent.action == "user.time_zone")).all() == [
        "time zone UTC -> Asia/Tokyo"]
    with pytest.raises(DomainError):
        profiles.set_time_zone(session, None, {"time_zone": "Asia/Tokyo"})


def test_sign_up_keeps_the_browsers_zone_when_it_is_known(session):
    def sign_up(zone):
        user = auth.signup_influencer(session, {
            "email": f"z{abs(hash(str(zone))) % 10**8}@example.com", "password": "long enough 1", "display_name": "Zed",
            "category": "Food", "platform": "instagram", "handle": "zed", "followers": "10", "time_zone": zone})
        session.commit()
        return user.time_zone
    assert sign_up("Asia/Tokyo") == "Asia/Tokyo"
    assert sign_up("Nowhere/Land") == "UTC"
    assert sign_up(None) == "UTC"


def test_date_windows_and_todays_follow_the_readers_zone(session):
    p = cf.cast(session, admin=True)
    audit.record(session, p.admin, "user.note", "user", p.influencer.id, "late evening", now=LATE)
    session.commit()

    def found(day):
        rows, _ = audit_log.query(session, p.admin.id, action="user.note", date_from=day, date_to=day)
        return [r.summary for r in rows]
    assert found("2026-03-01") == ["late evening"] and found("2026-03-02") == []
    _zone(session, p.admin, LAGOS)
    assert found("2026-03-01") == [] and found("2026-03-02") == ["late evening"]

    # The earnings line puts a deal accepted at 23:30 UTC on the Lagos influencer's next day.
    request = cf.advance(session, cf.send(session, p.sponsor, p.campaign, p.influencer), "accepted", p)
    request.accepted_at = LATE
    session.add(request)
    session.commit()
    assert [x["day"] for x in stats_views.earnings_timeline(session, p.influencer.id)] == ["2026-03-01"]
    _zone(session, p.influencer, LAGOS)
    assert [x["day"] for x in stats_views.earnings_timeline(session, p.influencer.id)] == ["2026-03-02"]

    # "Today" of the payment form: at 23:30 UTC, 2 March is already today for a sponsor in Lagos...
    form = {"amount": "10", "paid_on": "2026-03-02"}
    with pytest.raises(DomainError) as err:
        adrequests.record_payment(session, p.sponsor.id, request.id, form, now=LATE)
    assert "future" in err.value.message
    session.rollback()
    _zone(session, p.sponsor, LAGOS)
    adrequests.record_payment(session, p.sponsor.id, request.id, form, now=LATE)
    session.commit()
    # ...and its stored time stays UTC.
    assert session.get(User, p.sponsor.id).time_zone == LAGOS


def test_the_reminder_goes_at_each_persons_local_hour(session):
    p = cf.cast(session, others=True)
    cf.send(session, p.sponsor, p.campaign, p.influencer)
    cf.send(session, p.sponsor, p.campaign, p.other_influencer)
    _zone(session, p.influencer, "Asia/Tokyo")  # 18:00 there is 09:00 UTC
    day = datetime(2026, 3, 2, tzinfo=UTC)

    def inapp(now):
        counts = reminders.run_daily_reminders(session, now=now, at="18:00")
        session.commit()
        return counts.get("inapp", 0)

    def periods(user):
        session.expire_all()
        return sorted(m.period for m in session.exec(select(OutboxMessage).where(
            OutboxMessage.channel == "inapp", OutboxMessage.recipient == str(user.id))))

    assert inapp(day + timedelta(hours=8, minutes=59)) == 0  # 17:59 in Tokyo
    assert inapp(day + timedelta(hours=9)) == 1 and periods(p.influencer) == ["2026-03-02"]
    assert inapp(day + timedelta(hours=12)) == 0  # Tokyo done today; 12:00 in UTC: not yet
    assert inapp(day + timedelta(hours=18)) == 1 and periods(p.other_influencer) == ["2026-03-02"]
    assert inapp(day + timedelta(hours=23)) == 0
    # The next Tokyo evening is a new local day (2026-03-03), queued once.
    assert inapp(day + timedelta(days=1, hours=9, minutes=5)) == 1
    assert periods(p.influencer) == ["2026-03-02", "2026-03-03"]
