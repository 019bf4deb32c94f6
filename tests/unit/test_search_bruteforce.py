"""Discovery search against a brute-force filter over seeded data: the indexed, full-text and
paged service returns exactly what a plain Python loop over every row would."""

from __future__ import annotations

from sqlmodel import select

from brandifiers.models import Campaign, InfluencerProfile, SocialAccount, User
from brandifiers.seed import Scale, seed
from brandifiers.services.discovery import fulltext, search
from brandifiers.services.discovery.search import CampaignFilters, InfluencerFilters
from tests.unit import factories

SMALL = Scale(sponsors=8, pending=2, influencers=300, campaigns=80, requests=300, max_snapshots=50)


def test_search_agrees_with_brute_force_on_seeded_data(engine, session):
    seed(engine, SMALL, rng_seed=3)
    admin = factories.admin(session)
    sponsor = session.exec(select(User).where(User.role == "sponsor", User.status == "active")).first()
    profiles = session.exec(select(InfluencerProfile, User.status)
                            .join(User, User.id == InfluencerProfile.user_id)).all()
    handles: dict[int, list[str]] = {}
    plats: dict[int, set[str]] = {}
    for a in session.exec(select(SocialAccount)).all():
        handles.setdefault(a.influencer_id, []).append(a.handle)
        plats.setdefault(a.influencer_id, set()).add(a.platform)
    active = [p for p, st in profiles if st == "active"]
    assert len(active) < len(profiles)  # the seed flags some

    def text_of(p):
        return fulltext.words(" ".join([p.display_name, p.bio or "", *handles.get(p.id, [])]))

    def expect(pred):
        rows = sorted((p for p in active if pred(p)), key=lambda p: (-p.total_followers, -p.id))
        return [p.user_id for p in rows]

    def got(**kw):
        out, page = [], 0
        while True:
            res = search.search_influencers(session, sponsor.id, InfluencerFilters(page=page, page_size=50, **kw))
            out += [r.user_id for r in res.rows]
            if not res.has_next:
                return out
            page += 1

    word = next(w for p in active for w in fulltext.words(p.display_name) if len(w) > 3 and w.isascii())
    cases = [
        ({}, lambda p: True),
        ({"category": "Food"}, lambda p: p.category == "Food"),
        ({"platform": "tiktok", "min_followers": 5_000, "max_followers": 200_000},
         lambda p: "tiktok" in plats.get(p.id, ()) and 5_000 <= p.total_followers <= 200_000),
        ({"text": word}, lambda p: any(w.startswith(word) for w in text_of(p))),
        ({"text": "creator"}, lambda p: any(w.startswith("creator") for w in text_of(p))),
    ]
    for kw, pred in cases:
        assert got(**kw) == expect(pred), kw
    assert got(text="creator") and got(text=word)

    open_campaigns = session.exec(
        select(Campaign.id).join(User, User.id == Campaign.sponsor_id).where(
            Campaign.visibility == "public", Campaign.status == "active", Campaign.approved == True,  # noqa: E712
            Campaign.flagged == False, User.status == "active")).all()  # noqa: E712
    found = search.search_campaigns(session, admin.id, CampaignFilters(page_size=50))
    assert found.total == len(open_campaigns) and {c.id for c in found.rows} <= set(open_campaigns)


# ---- what a page says about its results ------------------------------------------------------------
