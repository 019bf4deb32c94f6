"""Moving a campaign's dates so that they leave days of figures or accepted deals outside warns next to
the dates and saves nothing until the person confirms those very dates."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import select

from brandifiers.models import AdRequest, Campaign, Deliverable
from brandifiers.services.common.errors import ValidationFailed
from brandifiers.services.deals import adrequests, campaign_dates, campaigns
from brandifiers.services.metrics.metrics import upsert_snapshot
from tests.unit import factories
from tests.unit.collab_factories import POST, advance, campaign, campaign_form, cheap_passwords, send, today  # noqa: F401


@pytest.fixture
def live(session):
    """A live campaign (today-30 .. today+30) with 2 deals accepted on days -20 and -15, one pending
    request, and figures on days -10, -9 and -8 (day -10 from two sources)."""
    sponsor = factories.sponsor(session, approved=True)
    start = today() - timedelta(days=30)
    c = campaign(session, sponsor, start_date=start.isoformat(), end_date=(start + timedelta(days=60)).isoformat())
    deals = []
    for accepted_day in (-20, -15):
        infl = factories.influencer(session)
        r = send(session, sponsor, c, infl, payment="200")
        advance(session, r, "in_progress", SimpleNamespace(sponsor=sponsor, influencer=infl))
        r = session.get(AdRequest, r.id)
        r.accepted_at = datetime.combine(today() + timedelta(days=accepted_day), time(12), tzinfo=UTC)
        session.add(r)
        session.commit()
        deals.append((r, infl))
    send(session, sponsor, c, factories.influencer(session), payment="50")  # pending: no deal
    r, infl = deals[0]
    adrequests.submit_deliverables(session, infl.id, r.id, [POST])
    session.commit()
    deliverable = session.exec(select(Deliverable).where(Deliverable.ad_request_id == r.id)).one()
    figures = {"views": 100, "likes": 5, "comments": 1, "shares": 0, "saves": 0, "clicks": 1, "conversions": 0,
               "revenue_cents": 0}
    for offset, source in ((-10, "creator-reported"), (-10, "csv-import"), (-9, "creator-reported"),
                           (-8, "creator-reported")):
        upsert_snapshot(session, infl, deliverable.id, today() + timedelta(days=offset), source, figures,
                        now=datetime.now(UTC))
    session.commit()
    return SimpleNamespace(sponsor=sponsor, campaign=c)


def _form(c: Campaign, start, end, **extra) -> dict:
    return campaign_form(name=c.name, start_date=start.isoformat(), end_date=end.isoformat(), **extra)


def test_counts_what_the_new_dates_leave_outside(session, live):
    c = live.campaign
    assert campaign_dates.left_outside(session, c, today() - timedelta(days=7), c.end_date) == (3, 2)
    assert campaign_dates.left_outside(session, c, today() - timedelta(days=16), c.end_date) == (0, 1)
    assert campaign_dates.left_outside(session, c, c.start_date, today() - timedelta(days=9)) == (1, 0)
    assert campaign_dates.left_outside(session, c, c.start_date - timedelta(days=5), c.end_date) == (0, 0)


def test_the_warning_in_words():
    assert campaign_dates.warning(3, 2).startswith("3 days of figures and 2 accepted deals fall outside the new dates.")
    assert campaign_dates.warning(1, 0).startswith("1 day of figures falls outside")
    assert campaign_dates.warning(0, 1).startswith("1 accepted deal falls outside")
    assert campaign_dates.warning(0, 2).startswith("2 accepted deals fall outside")
    assert campaign_dates.warning(0, 0) == ""


def test_saving_waits_for_the_confirmation_of_these_dates(session, live):
    c = live.campaign
    old = (c.start_date, c.end_date)
    new_start = today() - timedelta(days=7)
    with pytest.raises(ValidationFailed) as refused:
        campaigns.update_campaign(session, live.sponsor.id, c.id, _form(c, new_start, c.end_date))
    assert refused.value.errors["dates"].startswith("3 days of figures and 2 accepted deals fall outside")
    session.rollback()
    assert (session.get(Campaign, c.id).start_date, c.end_date) == old  # nothing saved
    # a confirmation of other dates does not confirm these
    other = campaign_dates.confirmation(new_start - timedelta(days=1), c.end_date)
    with pytest.raises(ValidationFailed):
        campaigns.update_campaign(session, live.sponsor.id, c.id,
                                  _form(c, new_start, c.end_date, confirm_dates=other))
    session.rollback()
    ok = campaign_dates.confirmation(new_start, c.end_date)
    campaigns.update_campaign(session, live.sponsor.id, c.id, _form(c, new_start, c.end_date, confirm_dates=ok))
    session.commit()
    assert session.get(Campaign, c.id).start_date == new_start


def test_no_warning_when_nothing_is_left_outside_or_the_dates_stay(session, live):
    c = live.campaign
    campaigns.update_campaign(session, live.sponsor.id, c.id,
                              _form(c, c.start_date, c.end_date + timedelta(days=10), budget="2,000.00"))
    session.commit()
    c = session.get(Campaign, c.id)
    campaigns.update_campaign(session, live.sponsor.id, c.id, _form(c, c.start_date, c.end_date, budget="2,500.00"))
    session.commit()
    assert session.get(Campaign, c.id).budget_cents == 250_000
