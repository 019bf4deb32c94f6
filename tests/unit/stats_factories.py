"""A small world for the statistics tests, made through the real services, plus random raw
snapshots and an independent, straightforward computation of what the rollups must hold."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlmodel import Session, select

from brandifiers.clock import utcnow
from brandifiers.models import AdRequest, Campaign, Deliverable, InfluencerProfile, MetricSnapshot
from brandifiers.services.metrics.metrics import upsert_snapshot
from brandifiers.services.rollups import rollup_read
from tests.unit import factories
from tests.unit.collab_factories import POST, advance, campaign, send, today

FIGS = ("views", "likes", "comments", "shares", "saves", "clicks", "conversions", "revenue_cents")
PRI = {"platform-api": 3, "csv-import": 2, "creator-reported": 1}
SCOPES = ("adrequest", "campaign", "influencer", "sponsor", "category", "platform")
PROVENANCES = tuple(PRI)


def post(n: int) -> dict:
    return {**POST, "post_url": f"https://instagram.com/p/post{n}"}


def world(session: Session) -> SimpleNamespace:
    """2 sponsors, 3 influencers, 3 campaigns (2 categories); requests at several statuses,
    submitted ones with 1 or 2 deliverables."""
    w = SimpleNamespace(admin=factories.admin(session))
    w.sponsors = [factories.sponsor(session, approved=True) for _ in range(2)]
    w.influencers = [factories.influencer(session, followers=str(f)) for f in (12000, 500, 80000)]
    w.campaigns = [campaign(session, w.sponsors[0], category="Food", budget="100,000"),
                   campaign(session, w.sponsors[0], category="Travel", budget="100,000"),
                   campaign(session, w.sponsors[1], category="Food", budget="100,000")]
    w.requests, w.deliverables, n = [], [], 0
    plan = [(0, 0, "submitted", 2), (0, 1, "submitted", 1), (1, 2, "submitted", 1), (2, 0, "submitted", 1),
            (2, 1, "accepted", 0), (1, 0, "pending", 0)]
    for c, i, status, posts in plan:
        camp = w.campaigns[c]
        sponsor = next(s for s in w.sponsors if s.id == camp.sponsor_id)
        r = send(session, sponsor, camp, w.influencers[i], payment=str(100 * (len(w.requests) + 1)))
        people = SimpleNamespace(sponsor=sponsor, influencer=w.influencers[i])
        if status == "submitted":
            advance(session, r, "in_progress", people)
            from brandifiers.services.deals import adrequests
            adrequests.submit_deliverables(session, w.influencers[i].id, r.id, [post(n + k) for k in range(posts)])
            session.commit()
            n += posts
        else:
            advance(session, r, status, people)
        w.requests.append(r)
    w.deliverables = list(session.exec(select(Deliverable).order_by(Deliverable.id)))
    return w


class Clock:
    """Strictly increasing timestamps for updated_at (the watermark orders by them)."""

    def __init__(self):
        self.t = utcnow()

    def __call__(self) -> datetime:
        self.t += timedelta(seconds=1)
        return self.t


def random_snapshots(session: Session, deliverables, rng: random.Random, clock: Clock, *, days=range(-12, 0),
                     p_extra=0.3) -> None:
    """Random figures for each deliverable and day, sometimes zero views/clicks, sometimes a
    second or third provenance for the same day."""
    for d in deliverables:
        for offset in days:
            provs = [rng.choice(PROVENANCES)]
            while rng.random() < p_extra and len(provs) < 3:
                provs.append(rng.choice([p for p in PROVENANCES if p not in provs]))
            for prov in provs:
                views = 0 if rng.random() < 0.15 else rng.randint(1, 5000)
                figures = {"views": views, "likes": rng.randint(0, 300), "comments": rng.randint(0, 40),
                           "shares": rng.randint(0, 20), "saves": rng.randint(0, 20),
                           "clicks": 0 if rng.random() < 0.3 else rng.randint(1, 100),
                           "conversions": rng.randint(0, 5), "revenue_cents": rng.randint(0, 50000)}
                upsert_snapshot(session, None, d.id, today() + timedelta(days=offset), prov, figures, now=clock())
    session.commit()


def expected(session: Session) -> tuple[dict, dict]:
    """({(scope, key, day): Counter}, {(scope, key): Counter}) by plain loops over the raw rows."""
    session.expire_all()
    owner = {d.id: d.ad_request_id for d in session.exec(select(Deliverable))}
    reqs = {r.id: r for r in session.exec(select(AdRequest))}
    cat = {c.id: c.category for c in session.exec(select(Campaign))}
    followers = {p.user_id: p.total_followers for p in session.exec(select(InfluencerProfile))}
    best: dict[tuple, MetricSnapshot] = {}
    for s in session.exec(select(MetricSnapshot)):
        key = (s.deliverable_id, s.day)
        if key not in best or PRI[s.provenance] > PRI[best[key].provenance]:
            best[key] = s
    days: dict[tuple, Counter] = defaultdict(Counter)
    totals: dict[tuple, Counter] = defaultdict(Counter)

    def keys(r):
        return (("adrequest", str(r.id)), ("campaign", str(r.campaign_id)), ("influencer", str(r.influencer_id)),
                ("sponsor", str(r.sponsor_id)), ("category", cat[r.campaign_id]), ("platform", ""))

    for (did, day), s in best.items():
        r = reqs[owner[did]]
        for scope, key in keys(r):
            eng = s.likes + s.comments + s.shares + s.saves
            for f in FIGS:
                totals[(scope, key)][f] += getattr(s, f)
            totals[(scope, key)]["engagements"] += eng
            if scope == "category":  # categories have totals, no day series
                continue
            for f in FIGS:
                days[(scope, key, day.isoformat())][f] += getattr(s, f)
            days[(scope, key, day.isoformat())]["engagements"] += eng
    for r in reqs.values():
        if r.status in ("accepted", "in_progress", "submitted", "completed"):
            for scope, key in keys(r):
                totals[(scope, key)]["spend_cents"] += r.payment_cents
                totals[(scope, key)]["followers"] += followers.get(r.influencer_id, 0)
    return _clean(days), _clean(totals)


def _clean(table: dict) -> dict:
    return {k: {f: v for f, v in c.items() if v} for k, c in table.items() if any(c.values())}


def stored(session: Session) -> tuple[dict, dict]:
    """What the readers (services/rollups/rollup_read.py) give, in the same shape as `expected`: every key
    with a total, its day series and its totals (main + delta, stored or summed from base rows)."""
    days, totals = {}, {}
    for scope in SCOPES:
        keys = rollup_read.total_keys(session, scope)
        for key in keys:
            for day, figures in rollup_read.day_series(session, scope, key, None, None):
                days[(scope, key, day.isoformat())] = Counter(figures)
        for key, values in rollup_read.totals(session, scope, keys).items():
            totals[(scope, key)] = Counter(values)
    session.rollback()
    return _clean(days), _clean(totals)
