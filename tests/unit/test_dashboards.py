"""Role dashboards: each overview refuses every other role and counts only the caller's data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from brandifiers.models import AdRequest, Campaign, Payment
from brandifiers.services.common.errors import PermissionDenied
from brandifiers.services.deals import adrequests, dashboards
from tests.unit import factories


def _campaign(session, sponsor, budget):
    c = Campaign(sponsor_id=sponsor.id, name="Spring", category="Food", start_date=date.today(),
                 end_date=date.today() + timedelta(days=30), budget_cents=budget, visibility="public",
                 status="active")
    session.add(c)
    session.flush()
    return c


def _request(session, campaign, influencer, status, cents):
    r = AdRequest(campaign_id=campaign.id, influencer_id=influencer.id, sponsor_id=campaign.sponsor_id,
                  initiated_by="sponsor", payment_cents=cents, status=status)
    session.add(r)
    session.flush()
    return r


def test_overviews_count_only_own_data(session):
    s1, s2 = factories.sponsor(session, approved=True), factories.sponsor(session, approved=True)
    inf = factories.influencer(session)
    c1, c2 = _campaign(session, s1, 100_000), _campaign(session, s2, 999_999)
    accepted = _request(session, c1, inf, "accepted", 30_000)
    _request(session, c1, inf, "negotiating", 5_000)
    _request(session, c1, inf, "rejected", 7_000)
    _request(session, c2, inf, "completed", 11_000)
    session.add(Payment(ad_request_id=accepted.id, amount_cents=10_000, paid_on=date.today()))
    session.commit()

    o = dashboards.sponsor_overview(session, s1.id)
    assert (o["campaigns_total"], o["requests_open"], o["requests_running"]) == (1, 1, 1)
    assert (o["budget_cents"], o["committed_cents"], o["paid_cents"]) == (100_000, 30_000, 10_000)

    i = dashboards.influencer_overview(session, inf.id)
    e = adrequests.earnings(session, inf.id)
    assert (e["agreed_cents"], e["paid_cents"], e["outstanding_cents"]) == (41_000, 10_000, 31_000)
    assert i["requests_open"] == 1 and i["total_followers"] == 12_000


def test_running_collaborations_are_accepted_in_progress_or_submitted_only(session):
    """Completed (and paid), rejected, withdrawn and open requests are not running."""
    sponsor, inf = factories.sponsor(session, approved=True), factories.influencer(session)
    c = _campaign(session, sponsor, 100_000)
    for status in ("pending", "negotiating", "accepted", "in_progress", "submitted", "completed", "rejected",
                   "withdrawn"):
        _request(session, c, inf, status, 1_000)
    paid = _request(session, c, inf, "completed", 2_000)
    session.add(Payment(ad_request_id=paid.id, amount_cents=2_000, paid_on=date.today()))
    session.commit()
    assert dashboards.sponsor_overview(session, sponsor.id)["requests_running"] == 3
    assert dashboards.influencer_overview(session, inf.id)["requests_running"] == 3


@pytest.mark.parametrize(("fn", "allowed"), [(dashboards.sponsor_overview, "sponsor"),
                                             (dashboards.influencer_overview, "influencer")])
def test_overviews_refuse_other_roles(session, fn, allowed):
    people = {"sponsor": factories.sponsor(session, approved=True), "influencer": factories.influencer(session),
              "admin": factories.admin(session), "pending": factories.sponsor(session)}
    for role, user in people.items():
        if role == allowed:
            assert fn(session, user.id)
        else:
            with pytest.raises(PermissionDenied):
                fn(session, user.id)
    with pytest.raises(PermissionDenied):
        fn(session, None)


def test_active_campaign_budgets_show_committed_of_budget(session):
    sponsor, other = factories.sponsor(session, approved=True), factories.sponsor(session, approved=True)
    inf = factories.influencer(session)
    mine = _campaign(session, sponsor, 100_000)
    _request(session, mine, inf, "accepted", 30_000)
    _request(session, mine, inf, "negotiating", 5_000)  # not committed
    _request(session, _campaign(session, other, 50_000), inf, "completed", 11_000)
    free = _campaign(session, sponsor, 0)
    session.commit()

    rows = dashboards.active_campaign_budgets(session, sponsor.id)
    assert sorted(rows, key=lambda r: r["campaign_id"]) == [
        {"campaign_id": mine.id, "name": "Spring", "spend": "$300.00 of $1,000.00", "pct": 30},
        {"campaign_id": free.id, "name": "Spring", "spend": "$0.00 of $0.00", "pct": 0}]
    for user in (inf, factories.admin(session)):
        with pytest.raises(PermissionDenied):
            dashboards.active_campaign_budgets(session, user.id)


def test_the_budget_bar_value_reaches_the_browser_as_a_number(session):
    """A text value leaves the progress bar indeterminate (an animation that looks nearly full)."""
    import asyncio
    import json

    from reflex.utils.format import json_dumps

    from brandifiers.db import session_scope
    from brandifiers.services.accounts import auth
    from brandifiers.state.dashboards import DashboardState

    sponsor, inf = factories.sponsor(session, approved=True), factories.influencer(session)
    _request(session, _campaign(session, sponsor, 2_050_000), inf, "accepted", 410_000)
    session.commit()
    with session_scope() as s:
        token = auth.login(s, sponsor.email, factories.PASSWORD).token
    state = DashboardState()
    state.auth_token = token
    asyncio.run(state.load_sponsor())
    sent = json.loads(json_dumps(state.active_campaigns))  # as the state is sent to the browser
    assert sent == [{"name": "Spring", "href": sent[0]["href"], "spend": "$4,100.00 of $20,500.00", "pct": 20}]
