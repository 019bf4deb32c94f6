"""The fit score: exact scores for hand-made pairs, bounds, monotone parts, and fit_for's access rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from brandifiers.models import CATEGORIES, AdRequest, Campaign, CategoryMedian, InfluencerProfile, SocialAccount, User
from brandifiers.services.accounts.passwords import hash_password
from brandifiers.services.common.errors import NotFound, PermissionDenied
from brandifiers.services.discovery import fit, medians
from brandifiers.services.discovery.fit import FitCampaign, FitInfluencer, fit_score
from tests.unit import factories

CAMPAIGN = FitCampaign("Food", "Baking", 1_000_000)  # $10,000


def _inf(**kw) -> FitInfluencer:
    base = dict(category="Food", niche="baking", total_followers=100_000, engagement_rate=0.04,
                asking_price_cents=50_000)
    base.update(kw)
    return FitInfluencer(**base)


def test_weights_sum_to_100_and_parts_follow_them():
    assert sum(fit.WEIGHTS.values()) == 100
    r = fit_score(CAMPAIGN, _inf(), category_median_er=0.04, completion_rate=None)
    assert [p.key for p in r.parts] == list(fit.WEIGHTS)
    assert all(p.weight == fit.WEIGHTS[p.key] and p.explanation and p.label for p in r.parts)


def test_exact_scores_of_hand_made_pairs():
    # perfect: niche match, 10 followers per budget dollar, 2x median ER, all completed, price 5% of budget
    perfect = fit_score(CAMPAIGN, _inf(), category_median_er=0.02, completion_rate=1.0)
    assert perfect.score == 100 and all(p.value == 1.0 for p in perfect.parts)

    # category only (0.7*30=21) + audience in band (20) + ER at median (0.5*20=10)
    # + no history (0.5*15=7.5) + unknown price (0.5*15=7.5) = 66
    r = fit_score(CAMPAIGN, _inf(niche="Vegan recipes", asking_price_cents=None), category_median_er=0.04,
                  completion_rate=None)
    assert r.score == 66
    # 7.5 + 7.5 shown as 8 + 8 made the table add up to 67 beside a badge of 66: one half goes up
    assert {p.key: p.points for p in r.parts} == {"category": 21, "audience": 20, "engagement": 10,
                                                  "completion": 8, "price": 7}
    assert sum(p.points for p in r.parts) == r.score

    # other category (0) + 1 follower per $ -> 1 - log10(5)/2 = 0.6505 (13.01) + ER 0.01/0.04 -> 0.125 (2.5)
    # + half completed (7.5) + price 55% of budget -> 0.5 (7.5) = 30.51 -> 31
    r = fit_score(CAMPAIGN, _inf(category="Gaming", total_followers=10_000, engagement_rate=0.01,
                                 asking_price_cents=550_000), category_median_er=0.04, completion_rate=0.5)
    assert r.score == 31
    assert [p.value for p in r.parts] == [0.0, 0.6505, 0.125, 0.5, 0.5]  # shown to 4 places

    # too big for the budget: 200 followers per $ -> 0; price at the budget -> 0; median 0 -> neutral
    r = fit_score(CAMPAIGN, _inf(total_followers=2_000_000, asking_price_cents=1_000_000), category_median_er=0.0,
                  completion_rate=0.0)
    assert r.score == 30 + 0 + 10 + 0 + 0


def test_zero_budget_and_zero_followers_score_nothing_for_audience_and_price():
    r = fit_score(FitCampaign("Food", None, 0), _inf(total_followers=0), category_median_er=0.04,
                  completion_rate=None)
    parts = {p.key: p for p in r.parts}
    assert parts["audience"].value == 0 and parts["price"].value == 0
    assert parts["category"].value == 0.7  # the campaign has no niche: category alone
    assert 0 <= r.score <= 100


@pytest.mark.parametrize("seed", range(200))
def test_score_is_bounded_and_equals_the_rounded_sum_of_points(seed):
    import random
    rnd = random.Random(seed)
    c = FitCampaign(rnd.choice(["Food", "Gaming"]), rnd.choice([None, "Baking", "vegan baking"]),
                    rnd.choice([0, 1, 10**6, 10**9, 333_333]))
    i = _inf(category=rnd.choice(["Food", "Gaming"]),
             niche=rnd.choice([None, "baking", "x", "baking tips", "vegan cooking"]),
             total_followers=rnd.choice([0, 1, 5_000, 10**8]), engagement_rate=rnd.random() * 0.3,
             asking_price_cents=rnd.choice([None, 0, 100, 10**7]))
    median, rate = rnd.choice([None, 0.0, 0.03]), rnd.choice([None, 0, 0.37, 1])
    r = fit_score(c, i, category_median_er=median, completion_rate=rate)
    assert 0 <= r.score <= 100
    # the unexplained fast paths give the same number
    assert fit.fit_points(c, i, category_median_er=median, completion_rate=rate) == r.score
    counts = (0, 0) if rate is None else (100, round(rate * 100))  # (accepted or later, completed)
    row = (7, i.category, i.niche, i.total_followers, i.engagement_rate, i.asking_price_cents, *counts)
    assert fit.rank_points(c, [row], {i.category: median}) == {7: r.score}
    assert all(0 <= p.value <= 1 and isinstance(p.points, int) and 0 <= p.points <= p.weight for p in r.parts)
    assert all(abs(p.points - p.weight * p.value) < 1 for p in r.parts)
    assert sum(p.points for p in r.parts) == r.score  # the table adds up to the badge


def test_niche_words_in_common_earn_part_of_the_niche_credit():
    """Same category: 0.7 for the category, the rest (0.3) by the share of niche words in common."""
    def category(c_niche, i_niche):
        r = fit_score(FitCampaign("Food", c_niche, 1_000_000), _inf(niche=i_niche), category_median_er=0.04,
                      completion_rate=None)
        return _value(r, "category"), next(p.explanation for p in r.parts if p.key == "category")

    assert category("Vegan snacks", "vegan snacks")[0] == 1.0
    assert category("Vegan snacks", "snacks, vegan")[0] == 1.0  # word order and punctuation aside
    assert category("Vegan snacks", "Coffee")[0] == 0.7
    shared, why = category("Vegan snacks", "vegan cooking")
    assert shared == 0.85 and "vegan" in why  # one word of two on each side: half the niche credit
    assert category("Vegan snack", "Vegan snacks")[0] == 1.0  # a plural is the same word
    assert category("Food and drink", "Arts and crafts")[0] == 0.7  # "and" is no common interest
    assert category("Vegan snacks", None)[0] == 0.7
    # the search's ranking gives the same numbers
    c = FitCampaign("Food", "Vegan snacks", 1_000_000)
    i = _inf(niche="vegan cooking")
    row = (1, i.category, i.niche, i.total_followers, i.engagement_rate, i.asking_price_cents, 0, 0)
    assert fit.rank_points(c, [row], {"Food": 0.04}) == {
        1: fit_score(c, i, category_median_er=0.04, completion_rate=None).score}


def _value(result, key):
    return next(p.value for p in result.parts if p.key == key)


def test_parts_are_monotone():
    followers = [1_000, 10_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000]
    aud = [_value(fit_score(CAMPAIGN, _inf(total_followers=n), category_median_er=0.04, completion_rate=None),
                  "audience") for n in followers]
    peak = aud.index(1.0)
    assert aud[:peak + 1] == sorted(aud[:peak + 1]) and aud[peak:] == sorted(aud[peak:], reverse=True)
    assert aud[0] > 0 and aud[-1] == 0

    ers = [_value(fit_score(CAMPAIGN, _inf(engagement_rate=e), category_median_er=0.03, completion_rate=None),
                  "engagement") for e in (0, 0.01, 0.03, 0.05, 0.06, 0.2)]
    assert ers == sorted(ers) and ers[2] == 0.5 and ers[-1] == ers[-2] == 1.0

    prices = [_value(fit_score(CAMPAIGN, _inf(asking_price_cents=p), category_median_er=0.03, completion_rate=None),
                     "price") for p in (0, 100_000, 200_000, 550_000, 1_000_000, 5_000_000)]
    assert prices == sorted(prices, reverse=True) and prices[1] == 1.0 and prices[-2] == 0.0

    rates = [fit_score(CAMPAIGN, _inf(), category_median_er=0.03, completion_rate=x).score for x in (0, .3, .6, 1)]
    assert rates == sorted(rates)


# ---- fit_for: inputs from the database and access rules ------------------------------------------

def _influencer(session, pw, n, *, category="Food", niche="Baking", followers=100_000, er=0.04, price=50_000,
                status="active") -> User:
    u = User(email=f"fit{n}@example.com", password_hash=pw, role="influencer", status=status)
    session.add(u)
    session.flush()
    p = InfluencerProfile(user_id=u.id, display_name=f"Fit {n}", category=category, niche=niche,
                          total_followers=followers, avg_engagement_rate=er, asking_price_cents=price)
    session.add(p)
    session.flush()
    session.add(SocialAccount(influencer_id=p.id, platform="instagram", handle=f"fit{n}", followers=followers,
                              avg_engagement_rate=er))
    return u


def _campaign(session, sponsor, **kw) -> Campaign:
    data = dict(sponsor_id=sponsor.id, name="Bake-off", category="Food", niche="Baking", start_date=date.today(),
                end_date=date.today() + timedelta(days=30), budget_cents=1_000_000, visibility="public",
                status="active")
    data.update(kw)
    c = Campaign(**data)
    session.add(c)
    session.flush()
    return c


def test_fit_for_loads_median_and_completion_and_checks_ownership(session):
    sponsor, other = factories.sponsor(session, approved=True), factories.sponsor(session, approved=True)
    admin = factories.admin(session)
    pw = hash_password("x" * 12)
    target = _influencer(session, pw, 1, er=0.06)
    for n, er in ((2, 0.02), (3, 0.03)):  # active Food peers; the median of 0.02, 0.03, 0.06 is 0.03
        _influencer(session, pw, n, er=er)
    _influencer(session, pw, 4, er=0.5, status="flagged")  # not counted in the median
    camp = _campaign(session, sponsor)
    other_camp = _campaign(session, other)
    for st in ("completed", "completed", "in_progress", "accepted", "rejected", "pending"):
        session.add(AdRequest(campaign_id=other_camp.id, influencer_id=target.id, sponsor_id=other.id,
                              initiated_by="sponsor", payment_cents=1000, status=st))
    # one request per campaign/influencer is not enforced here; the record counts every row
    session.commit()

    r = fit.fit_for(session, sponsor.id, camp.id, target.id)
    parts = {p.key: p for p in r.parts}
    assert parts["engagement"].value == 1.0  # 0.06 / 0.03 = 2x the median
    assert parts["completion"].value == 0.5  # 2 completed of 4 accepted-or-later
    assert r.score == 93  # 30 + 20 + 20 + 7.5 + 15 = 92.5, rounded half up
    assert fit.fit_for(session, admin.id, camp.id, target.id).score == r.score

    with pytest.raises(NotFound):
        fit.fit_for(session, other.id, camp.id, target.id)  # not the owner: same answer as a missing id
    with pytest.raises(NotFound):
        fit.fit_for(session, sponsor.id, 999_999, target.id)
    with pytest.raises(PermissionDenied):
        fit.fit_for(session, target.id, camp.id, target.id)  # influencers do not see fit scores
    flagged = session.exec(select(User).where(User.email == "fit4@example.com")).one()
    with pytest.raises(NotFound):
        fit.fit_for(session, sponsor.id, camp.id, flagged.id)
    assert fit.fit_for(session, admin.id, camp.id, flagged.id).score >= 0  # admins see everyone


def test_category_median_is_cached_with_expiry(session, monkeypatch):
    pw = hash_password("x" * 12)
    _influencer(session, pw, 11, er=0.02)
    _influencer(session, pw, 12, er=0.04)
    session.commit()
    assert medians.category_median_er(session, "Food") == pytest.approx(0.03)
    assert medians.category_median_er(session, "Travel") is None
    _influencer(session, pw, 13, er=0.10)
    session.commit()
    assert medians.category_median_er(session, "Food") == pytest.approx(0.03)  # cached
    now = medians._monotonic()
    monkeypatch.setattr(medians, "_monotonic", lambda: now + medians.MEDIAN_TTL_SECONDS + 1)
    refreshes = []
    monkeypatch.setattr(medians, "_in_background", refreshes.append)  # held back: the search must not wait
    assert medians.category_median_er(session, "Food") == pytest.approx(0.03)  # expired: served while refreshed
    assert medians.category_median_er(session, "Food") == pytest.approx(0.03)  # one refresh at a time
    assert len(refreshes) == 1
    refreshes[0]()  # the background refresh finishes
    assert medians.category_median_er(session, "Food") == pytest.approx(0.04)


def test_warm_computes_every_category_in_the_background(session, monkeypatch):
    pw = hash_password("x" * 12)
    _influencer(session, pw, 21, er=0.02)
    _influencer(session, pw, 22, category="Travel", er=0.05)
    session.commit()
    later = []
    monkeypatch.setattr(medians, "_in_background", later.append)
    medians.warm(session.get_bind())
    medians.warm(session.get_bind())  # already on its way: nothing more
    assert len(later) == 1
    later[0]()
    monkeypatch.setattr(medians, "_compute_medians", None)  # from now on only the cache answers
    got = medians.category_medians(session, list(CATEGORIES))
    assert got["Food"] == pytest.approx(0.02) and got["Travel"] == pytest.approx(0.05) and got["Pets"] is None


def test_category_medians_skip_inactive_profiles_around_the_middle(session):
    """The batched medians read a window around the middle of each category's (rate, id) order:
    they must equal the plain median of the active profiles however many non-active ones sit
    below, inside or above that window, with ties, odd and even counts."""
    import random
    import statistics

    rnd = random.Random(7)
    pw = hash_password("x" * 12)
    statuses = ["active"] * 6 + ["flagged", "deactivated", "pending"]
    expected: dict[str, list[float]] = {}
    n = 100
    for cat, size in (("Food", 41), ("Travel", 24), ("Beauty", 9), ("Gaming", 1), ("Music", 2)):
        for _ in range(size):
            n += 1
            er = rnd.choice([0.01, 0.02, 0.02, 0.03, 0.05, 0.08, rnd.random() / 10])  # many ties
            status = rnd.choice(statuses) if cat not in ("Gaming", "Music") else "active"
            _influencer(session, pw, n, category=cat, er=er, status=status)
            if status == "active":
                expected.setdefault(cat, []).append(er)
    for er in (0.0001, 0.0002, 0.9, 0.95):  # non-active ones at both ends of Food's order
        n += 1
        _influencer(session, pw, n, category="Food", er=er, status="flagged")
    n += 1
    _influencer(session, pw, n, category="Pets", er=0.07, status="deactivated")  # no active one
    session.commit()

    cats = ["Food", "Travel", "Beauty", "Gaming", "Music", "Pets", "Fashion"]
    got = medians.category_medians(session, cats)
    for cat in cats:
        want = statistics.median(expected[cat]) if cat in expected else None
        assert got[cat] == (pytest.approx(want) if want is not None else None), cat
        assert medians.category_median_er(session, cat) == got[cat]  # the single lookup agrees (cached)


def test_a_process_without_medians_reads_the_stored_ones(session, monkeypatch):
    pw = hash_password("x" * 12)
    _influencer(session, pw, 31, er=0.02)
    _influencer(session, pw, 32, er=0.06)
    session.commit()
    assert medians.category_medians(session, ["Food", "Pets"]) == {"Food": pytest.approx(0.04), "Pets": None}
    stored = {m.category: m.median_er for m in session.exec(select(CategoryMedian)).all()}
    assert stored == {"Food": pytest.approx(0.04), "Pets": None}  # stored for the other processes

    medians.clear_median_cache()  # another process (or a restart): the table answers, nothing is computed
    real = medians._compute_medians
    monkeypatch.setattr(medians, "_compute_medians", None)
    assert medians.category_medians(session, ["Food", "Pets"]) == {"Food": pytest.approx(0.04), "Pets": None}

    # a stored value older than the TTL is served once more while it is recomputed and stored again
    old = session.get(CategoryMedian, "Food")
    old.median_er, old.computed_at = 0.5, medians._now() - timedelta(seconds=medians.MEDIAN_TTL_SECONDS + 1)
    session.add(old)
    session.commit()
    medians.clear_median_cache()
    monkeypatch.setattr(medians, "_compute_medians", real)
    refreshes = []
    monkeypatch.setattr(medians, "_in_background", refreshes.append)
    assert medians.category_median_er(session, "Food") == 0.5
    assert len(refreshes) == 1
    refreshes[0]()
    assert medians.category_median_er(session, "Food") == pytest.approx(0.04)
    session.expire_all()
    assert session.get(CategoryMedian, "Food").median_er == pytest.approx(0.04)


def test_two_workers_storing_the_medians_at_once_keep_the_first(engine, monkeypatch):
    """Every web worker warms the medians at start-up: when another inserts a row between this one's
    read and its insert (merge reads the next row first, which flushes the previous insert), the
    clash is dropped instead of raised in the background thread."""
    from sqlmodel import Session

    at = medians._now()
    real_merge = Session.merge

    def merge_then_the_other_worker_commits(self, obj, *args, **kwargs):
        merged = real_merge(self, obj, *args, **kwargs)
        with Session(engine) as other:
            if other.get(CategoryMedian, obj.category) is None:
                other.add(CategoryMedian(category=obj.category, median_er=0.5, computed_at=at))
                other.commit()
        return merged

    monkeypatch.setattr(Session, "merge", merge_then_the_other_worker_commits)
    medians._save(engine, {"Food": 0.02, "Travel": 0.03}, at)  # raised IntegrityError before
    monkeypatch.setattr(Session, "merge", real_merge)
    with Session(engine) as s:
        assert s.get(CategoryMedian, "Food").median_er == 0.5  # the other worker's, equally new


def test_search_card_and_profile_show_one_score_with_partial_niche_credit(session):
    """The card (search, ranked by fit) and the profile (fit_for) give the same number for every
    pair, the profile's parts add up to it, and a shared niche word ranks above no shared word."""
    from brandifiers.services.discovery import search

    sponsor = factories.sponsor(session, approved=True)
    pw = hash_password("x" * 12)
    # Coffee has the larger reach: on reach alone it would come before "vegan cooking".
    people = {niche: _influencer(session, pw, n, niche=niche, followers=followers, price=price).id
              for n, (niche, followers, price) in enumerate([("Vegan snacks", 90_000, 60_000),
                                                             ("vegan cooking", 80_000, 75_000),
                                                             ("Coffee", 95_000, 75_000)], start=1)}
    camp = _campaign(session, sponsor, niche="Vegan snacks", budget_cents=1_000_000)
    session.commit()
    page = search.search_influencers(session, sponsor.id, search.InfluencerFilters(
        sort="fit", campaign_id=camp.id, category="Food"))
    cards = {c.user_id: c.fit for c in page.rows}
    assert [c.niche for c in page.rows] == ["Vegan snacks", "vegan cooking", "Coffee"]
    for user_id in people.values():
        profile = fit.fit_for(session, sponsor.id, camp.id, user_id)
        assert cards[user_id] == profile.score
        assert sum(p.points for p in profile.parts) == profile.score
    by_reach = search.search_influencers(session, sponsor.id, search.InfluencerFilters(campaign_id=camp.id))
    assert {c.user_id: c.fit for c in by_reach.rows} == cards
