"""The Recommended sort (services/discovery/recommend.py): the cheap pre-filters, the campaign's ownership, the
fallback to the fit score with its banner, the ranking by the model's score in one batch call, hostile ids."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from brandifiers.models import AdRequest
from brandifiers.services.common.errors import DomainError, NotFound, PermissionDenied
from brandifiers.services.discovery import fit, recommend, search, search_cache
from brandifiers.services.discovery.search import InfluencerFilters
from brandifiers.services.recommend import scoring
from tests.unit import factories
from tests.unit.test_search import add_campaign, add_influencer, add_sponsor, names, pw  # noqa: F401 (fixture)

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


@pytest.fixture
def world(session, pw):
    """Acme's Food campaign ($10,000, $6,000 of it committed: $4,000 left) and a rival's; Food creators that
    pass the cheap rules and five that each fail one."""
    w = {"sponsor": add_sponsor(session, pw, "Acme Foods"), "rival": add_sponsor(session, pw, "Rival"),
         "admin": factories.admin(session)}
    w["campaign"] = add_campaign(session, w["sponsor"], "Spring bake", niche="Baking", budget=1_000_000)
    w["rival_campaign"] = add_campaign(session, w["rival"], "Rival bake")
    # pass: a niche match with a cheap price (the best fit), a plain one, one without an asking price
    w["bea"] = add_influencer(session, pw, "Bea Baker", niche="Baking", followers=60_000, er=0.06, price=30_000)
    w["cal"] = add_influencer(session, pw, "Cal Cook", niche="Street food", followers=300_000, er=0.01,
                              price=350_000)
    w["dee"] = add_influencer(session, pw, "Dee Dough", niche="Baking", followers=2_000, er=0.03, price=None)
    # fail one rule each
    add_influencer(session, pw, "Gil Gamer", category="Gaming", niche="Baking", price=10_000)
    add_influencer(session, pw, "Ivy Inactive", status="deactivated", price=10_000)
    add_influencer(session, pw, "Pam Pending", status="pending", price=10_000)
    unverified = add_influencer(session, pw, "Uma Unverified", price=10_000)
    unverified.email_verified = False
    add_influencer(session, pw, "Otto Over", followers=500_000, price=450_000)  # within the budget, not what is left
    worker = add_influencer(session, pw, "Wes Working", category="Travel", price=600_000)
    session.add(AdRequest(campaign_id=w["campaign"].id, influencer_id=worker.id, sponsor_id=w["sponsor"].id,
                          initiated_by="sponsor", payment_cents=600_000, status="accepted", accepted_at=NOW))
    session.commit()
    return w


def recommended(session, w, actor="sponsor", campaign="campaign", **filters):
    f = InfluencerFilters(sort="recommended", campaign_id=w[campaign].id, **filters)
    return recommend.recommended(session, w[actor].id, f.campaign_id, f, now=NOW)


def fake_model(calls: list, scores: dict[int, float]):
    """A stand-in for a trained model with fixed scores by user id (the trained one: the tests below)."""
    def predict(session, campaign, influencer_ids, *, now, explain_top=None, explain_from=0):
        calls.append(list(influencer_ids))
        return {i: scoring.Prediction(0.01 * scores[i], 0.008 * scores[i], 0.012 * scores[i], 0.9, scores[i],
                                      (f"reason one of {i}", "reason two", "reason three", "a fourth"))
                for i in influencer_ids if i in scores}
    return predict


def test_only_the_cheap_rules_candidates_are_ranked(session, world):
    page = recommended(session, world)
    assert sorted(names(page)) == ["Bea Baker", "Cal Cook", "Dee Dough"] and page.total == 3
    assert "remaining budget of $4,000.00" in page.note


def test_without_a_model_the_fit_score_ranks_and_the_banner_says_so(session, world):
    page = recommended(session, world)
    assert page.banner == "Not enough past results to learn from yet for Food: ranked by the fit score."
    fits = [c.fit for c in page.rows]
    assert fits == sorted(fits, reverse=True) and names(page)[0] == "Bea Baker"
    for card in page.rows:  # the same figure as the fit score's own explained page
        assert card.fit == fit.fit_for(session, world["sponsor"].id, world["campaign"].id, card.user_id).score
        assert card.predicted is None and card.reasons == []
    # the same ranking as the fit sort over the same creators
    by_fit = search.search_influencers(session, world["sponsor"].id, InfluencerFilters(
        sort="fit", campaign_id=world["campaign"].id, max_followers=300_000, category="Food"))
    assert [n for n in names(by_fit) if n in names(page)] == names(page)


def test_a_model_ranks_by_its_score_in_one_batch_per_page(session, world, monkeypatch):
    calls: list = []
    scores = {world["dee"].id: 9.0, world["cal"].id: 5.0, world["bea"].id: 1.0}
    monkeypatch.setattr(scoring, "predict", fake_model(calls, scores))
    first = recommended(session, world, page_size=2)
    assert names(first) == ["Dee Dough", "Cal Cook"] and first.has_next and first.banner == ""
    second = recommended(session, world, page=1, page_size=2)
    assert names(second) == ["Bea Baker"] and not second.has_next
    assert len(calls) == 2 and all(sorted(c) == sorted(scores) for c in calls)  # every candidate, once a page
    card = first.rows[0]
    assert (card.predicted, card.low, card.high, card.p_complete) == pytest.approx((0.09, 0.072, 0.108, 0.9))
    assert card.reasons == [f"reason one of {world['dee'].id}", "reason two", "reason three"]
    assert card.fit is None


def test_the_forms_other_filters_narrow_the_candidates(session, world, monkeypatch):
    calls: list = []
    monkeypatch.setattr(scoring, "predict", fake_model(calls, {world["bea"].id: 1.0, world["cal"].id: 2.0}))
    page = recommended(session, world, min_followers=50_000, category="Gaming")  # the campaign's category rules
    assert names(page) == ["Cal Cook", "Bea Baker"] and calls == [[world["cal"].id, world["bea"].id]]
    assert names(recommended(session, world, text="bea")) == ["Bea Baker"]


def test_another_sponsors_campaign_is_refused_next_to_the_chooser(session, world):
    with pytest.raises(NotFound) as refused:
        recommended(session, world, campaign="rival_campaign")
    assert refused.value.field == "campaign_id"
    admins = recommended(session, world, actor="admin", campaign="rival_campaign")  # admins see any campaign's
    assert sorted(names(admins)) == ["Bea Baker", "Cal Cook", "Dee Dough", "Otto Over"]  # its whole budget is left
    with pytest.raises(PermissionDenied):
        recommended(session, world, actor="bea")
    with pytest.raises(NotFound):  # the app's cached path checks before it reads the cache
        search_cache.search_influencers(session, world["rival"].id, InfluencerFilters(
            sort="recommended", campaign_id=world["campaign"].id))


@pytest.mark.parametrize("bad", [None, "", 0, -1, 2**31, 2**63, "１２", "a\x00b", "9" * 1000, 1.5, [1], {"a": 1}])
def test_hostile_campaign_ids_are_refused_with_a_message(session, world, bad):
    f = InfluencerFilters(sort="recommended", campaign_id=bad)
    with pytest.raises(DomainError) as refused:
        search_cache.search_influencers(session, world["sponsor"].id, f)
    assert refused.value.field == "campaign_id" and refused.value.message


def test_the_search_entry_sends_the_recommended_sort_here(session, world):
    page = search_cache.search_influencers(session, world["sponsor"].id, InfluencerFilters(
        sort="Recommended", campaign_id=world["campaign"].id))
    assert page.banner.startswith("Not enough past results") and names(page)[0] == "Bea Baker"
    with pytest.raises(DomainError) as refused:
        search.search_influencers(session, world["sponsor"].id, InfluencerFilters(sort="recommended"))
    assert refused.value.field == "campaign_id"


def sponsor_state(session, user):
    from brandifiers.services.accounts import auth
    from brandifiers.state.discovery import DiscoveryState

    token = auth.login(session, user.email, "search-tests-pw").token
    session.commit()
    state = DiscoveryState()
    state.auth_token = token
    DiscoveryState.load_influencers.fn(state)
    return state


def test_the_page_state_shows_the_banner_and_refuses_a_campaign_not_offered(session, world, monkeypatch):
    state = sponsor_state(session, world["sponsor"])
    assert state.my_campaigns == [[str(world["campaign"].id), "Spring bake"]]
    mine = {"sort": "recommended", "campaign_id": str(world["campaign"].id)}
    asyncio.run(state.search_influencers(mine))
    assert state.errors == {} and state.rows[0]["name"] == "Bea Baker" and state.rows[0]["prediction"] == ""
    assert state.result_banner == "Not enough past results to learn from yet for Food: ranked by the fit score."
    for bad in (str(world["rival_campaign"].id), "１", "a\x00b", str(2**63), ["1"]):
        asyncio.run(state.search_influencers({"sort": "recommended", "campaign_id": bad}))
        assert state.errors == {"campaign_id": "Choose one of your campaigns from the list."}, bad
        assert state.rows[0]["name"] == "Bea Baker" and state.filters == mine  # nothing else changed
    calls: list = []
    monkeypatch.setattr(scoring, "predict", fake_model(calls, {world["cal"].id: 0.042 / 0.01}))
    asyncio.run(state.search_influencers({**mine, "text": "cal"}))
    card = state.rows[0]
    assert (card["name"], card["prediction"], card["completes"]) == (
        "Cal Cook", "Expected engagement rate 4.2 % (3.4-5.0 %)", "Completes 90 %")
    assert [card["reason1"], card["reason2"], card["reason3"]] == [
        f"reason one of {world['cal'].id}", "reason two", "reason three"]
    assert state.result_banner == ""


def test_a_page_costs_the_same_statements_for_three_candidates_or_thirty(session, world, pw, monkeypatch):
    from tests.unit.test_search_cache import statements

    calls: list = []
    monkeypatch.setattr(scoring, "predict", lambda s, c, ids, *, now, explain_top=None, explain_from=0: (
        calls.append(ids) or {i: scoring.Prediction(0.03, 0.02, 0.04, 0.8, float(i), ("r",)) for i in ids}))

    def run():
        return statements(session, lambda: recommended(session, world))
    few, few_n = run()
    for n in range(27):
        add_influencer(session, pw, f"Extra {n}", handles=("a", "b"), price=1_000 + n)
    session.commit()
    many, many_n = run()
    assert (len(few.rows), len(many.rows), many.total) == (3, 20, 30) and [len(c) for c in calls] == [3, 30]
    assert many_n == few_n <= 6  # role, campaign, committed spend, candidates, the page's cards and platforms


def test_a_trained_model_ranks_a_seeded_campaign_by_its_score(engine, session, tmp_path, monkeypatch):
    from sqlmodel import select

    from brandifiers.models import Campaign
    from brandifiers.services.recommend import training
    from tests.unit.recommend_world import NOW as TRAINED
    from tests.unit.recommend_world import seed_world, settings

    monkeypatch.setenv("BRANDIFIERS_MODEL_DIR", str(tmp_path))
    seed_world(engine)
    meta = training.retrain(session, now=TRAINED, settings=settings(tmp_path))
    busy = max(meta["category_rows"], key=meta["category_rows"].get)
    campaign = session.exec(select(Campaign).where(Campaign.category == busy).order_by(Campaign.id)).first()
    calls: list = []
    real = scoring.predict
    monkeypatch.setattr(scoring, "predict", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
    f = InfluencerFilters(sort="recommended", campaign_id=campaign.id, page_size=5)
    page = recommend.recommended(session, campaign.sponsor_id, campaign.id, f, now=TRAINED)
    assert page.banner == "" and len(page.rows) == 5 and len(calls) == 1
    scores = real(session, campaign, calls[0], now=TRAINED)
    best = sorted(calls[0], key=lambda i: -scores[i].score)[:5]
    assert [c.user_id for c in page.rows] == best  # (ties aside, which a real model's floats do not have)
    for card in page.rows:
        p = scores[card.user_id]
        assert (card.predicted, card.low, card.high, card.p_complete) == pytest.approx((p.value, p.low, p.high,
                                                                                        p.p_complete))
        assert 1 <= len(card.reasons) <= 3 and card.reasons == list(p.reasons)
