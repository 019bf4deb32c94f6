"""The recommendation features are as of each deal's acceptance day: a deal (or a post's figures)
after that day changes nothing, while the same deal before it does (so the check can fail)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
from sqlmodel import select

from brandifiers.models import AdRequest, Campaign, Deliverable, MetricSnapshot
from brandifiers.services.recommend import features as fe
from tests.unit.recommend_world import seed_world


def _row(session, deal_id: int) -> np.ndarray:
    frame = fe.training_frame(session)
    return frame.X[np.nonzero(frame.outcome["deal"] == deal_id)[0][0]]


def _deal_with_posts(session, target: AdRequest, accepted: datetime, views: int, likes: int) -> None:
    """A completed deal of the same influencer in another campaign of the same category, one post
    and five days of figures from its acceptance on."""
    category = session.get(Campaign, target.campaign_id).category
    taken = select(AdRequest.campaign_id).where(AdRequest.influencer_id == target.influencer_id)
    other = session.exec(select(Campaign).where(Campaign.category == category, Campaign.id.not_in(taken))).first()
    deal = AdRequest(campaign_id=other.id, influencer_id=target.influencer_id, sponsor_id=other.sponsor_id,
                     initiated_by="sponsor", payment_cents=50_000, status="completed", accepted_at=accepted,
                     completed_at=accepted + timedelta(days=6), due_date=(accepted + timedelta(days=10)).date(),
                     created_at=accepted - timedelta(days=1))
    session.add(deal)
    session.flush()
    post = Deliverable(ad_request_id=deal.id, platform="instagram", post_url="https://instagram.com/p/x",
                       submitted_at=accepted)
    session.add(post)
    session.flush()
    for k in range(5):
        session.add(MetricSnapshot(deliverable_id=post.id, day=accepted.date() + timedelta(days=k),
                                   provenance="creator-reported", views=views, likes=likes))
    session.commit()


def test_a_deal_after_the_acceptance_day_does_not_change_the_features(engine, session):
    seed_world(engine)
    frame = fe.training_frame(session)
    # a deal whose influencer already has results in the campaign's category
    k = int(np.nonzero(~np.isnan(frame.X[:, fe.F["past_er_cat"]]))[0][-1])
    target = session.get(AdRequest, int(frame.outcome["deal"][k]))
    before = frame.X[k].copy()
    accepted_day = date(1970, 1, 1) + timedelta(days=int(frame.day[k]))
    assert accepted_day == target.accepted_at.date()

    _deal_with_posts(session, target, target.accepted_at + timedelta(hours=1), views=1_000, likes=900)
    _deal_with_posts(session, target, target.accepted_at + timedelta(days=20), views=1_000, likes=900)
    after = _row(session, target.id)
    np.testing.assert_array_equal(after, before)  # NaN == NaN here

    _deal_with_posts(session, target, target.accepted_at - timedelta(days=40), views=1_000, likes=900)
    earlier = _row(session, target.id)
    for name in ("past_accepted", "past_completed", "past_er", "past_er_cat", "past_completed_cat"):
        assert earlier[fe.F[name]] != before[fe.F[name]], name
    assert earlier[fe.F["past_er_cat"]] > before[fe.F["past_er_cat"]]  # 90 % engagement pulled it up


def test_as_of_sums_counts_only_strictly_earlier_events():
    got = fe.as_of_sums(np.array([1, 1, 1, 2]), np.array([10, 20, 30, 5]), np.array([[1.0], [2.0], [4.0], [8.0]]),
                        np.array([1, 1, 1, 2, 3]), np.array([10, 21, 99, 6, 50]))
    assert got[:, 0].tolist() == [0.0, 3.0, 7.0, 8.0, 0.0]
