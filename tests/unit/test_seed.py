"""The demo/benchmark generator writes consistent data, on every backend, through the real schema."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import func, select

from brandifiers.models import AdRequest, AdRequestStatus, InfluencerProfile, MetricSnapshot, User
from brandifiers.seed import DEMO_PASSWORD, Scale, is_empty, seed
from brandifiers.services.accounts import auth
from brandifiers.services.deals import dashboards
from tests.unit import factories

SMALL = Scale(sponsors=6, pending=2, influencers=40, campaigns=12, requests=120, max_snapshots=None)


def test_seed_small_scale_is_consistent(engine, session):
    assert is_empty(session)
    result = seed(engine, SMALL, rng_seed=7)
    assert not is_empty(session)
    counts = result["counts"]
    assert counts["adrequest"] == 120 and counts["influencerprofile"] == 40 and counts["metricsnapshot"] > 0

    statuses = set(session.exec(select(AdRequest.status).distinct()))
    assert statuses == {s.value for s in AdRequestStatus}

    with engine.connect() as conn:
        over_budget = conn.execute(sa.text(
            "SELECT c.id FROM campaign c JOIN adrequest r ON r.campaign_id = c.id "
            "WHERE r.status IN ('accepted','in_progress','submitted','completed') "
            "GROUP BY c.id, c.budget_cents HAVING SUM(r.payment_cents) > c.budget_cents")).all()
        reach_mismatch = conn.execute(sa.text(
            "SELECT p.id FROM influencerprofile p JOIN socialaccount s ON s.influencer_id = p.id "
            "GROUP BY p.id, p.total_followers HAVING SUM(s.followers) != p.total_followers")).all()
        wrong_sponsor = conn.execute(sa.text(
            "SELECT r.id FROM adrequest r JOIN campaign c ON c.id = r.campaign_id "
            "WHERE r.sponsor_id != c.sponsor_id")).all()
        latest_offer_mismatch = conn.execute(sa.text(
            "SELECT r.id FROM adrequest r JOIN offer o ON o.ad_request_id = r.id "
            "WHERE o.id = (SELECT MAX(o2.id) FROM offer o2 WHERE o2.ad_request_id = r.id) "
            "AND o.amount_cents != r.payment_cents")).all()
        answers = conn.execute(sa.text(
            "SELECT p.state, p.dispute_reason IS NOT NULL, p.answered_by_id = r.influencer_id, COUNT(*) "
            "FROM payment p JOIN adrequest r ON r.id = p.ad_request_id "
            "GROUP BY p.state, p.dispute_reason IS NOT NULL, p.answered_by_id = r.influencer_id")).all()
    assert over_budget == [] and reach_mismatch == [] and wrong_sponsor == [] and latest_offer_mismatch == []
    # Payment answers: confirmed (by the request's influencer), recorded, and exactly two open disputes.
    answers = {(state, bool(reason), answered): n for state, reason, answered, n in answers}
    assert set(answers) == {("confirmed", False, True), ("recorded", False, None), ("disputed", True, True)}
    assert answers[("disputed", True, True)] == 2

    emails = session.exec(select(User.email)).all()
    assert len(emails) == len(set(emails)) and all(e == e.lower() for e in emails)
    assert session.exec(select(func.count()).select_from(InfluencerProfile)).one() == 40
    assert session.exec(select(func.count()).select_from(MetricSnapshot).where(
        MetricSnapshot.likes > MetricSnapshot.views)).one() == 0

    # The printed demo logins work, and the seeded data reads through the services.
    email, role, status, _name = next(row for row in result["logins"] if row[1] == "sponsor" and row[2] == "active")
    user = auth.login(session, email, DEMO_PASSWORD).user
    assert user.role == role == "sponsor"
    assert dashboards.sponsor_overview(session, user.id)["campaigns_total"] >= 1
    # After seeding, new rows still get fresh ids (sequences moved past the explicit ids on PostgreSQL).
    highest = session.exec(select(func.max(User.id))).one()
    assert factories.influencer(session).id > highest
