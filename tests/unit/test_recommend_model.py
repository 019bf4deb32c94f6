"""The recommendation model: the same seed trains the same model; it ranks the seeded hold-out better
than the rule fit score; versions are stored with their sidecar, a refused training keeps the previous
model, a category with too few outcomes falls back; the nightly job retrains only after new outcomes."""

from __future__ import annotations

import json
from datetime import timedelta

import numpy as np
import pytest
from sqlmodel import select

from bench.recommend_eval import evaluate
from brandifiers.jobs.scheduler import nightly_recommend
from brandifiers.models import AdRequest, Campaign, InfluencerProfile
from brandifiers.services.recommend import features, model_store, scoring, training
from tests.unit.recommend_world import NOW, seed_world, settings


def test_training_is_reproducible_and_beats_the_rule_fit_score(engine, session, tmp_path):
    seed_world(engine)
    s = settings(tmp_path)
    frame = features.training_frame(session)
    a = training.train(session, now=NOW, seed=3, settings=s, frame=frame)
    b = training.train(session, now=NOW, seed=3, settings=s, frame=frame)
    pa, pb = a.predict(frame.X), b.predict(frame.X)
    for x, y in zip(pa, pb):
        np.testing.assert_array_equal(x, y)
    assert a.meta["metrics"]["er_mae"] < a.meta["metrics"]["er_mae_mean"]  # better than the training mean

    r = evaluate(session, split_share=0.25, seed=0, max_campaigns=200)
    assert r["campaigns"] >= 20
    model_ndcg, fit_ndcg = r["ranking"]["model"][0], r["ranking"]["fit score"][0]
    assert model_ndcg > fit_ndcg + 0.05, r["ranking"]
    assert r["mae"]["model"] < r["mae"]["reported"]


def _campaign_and_candidates(session, category=None):
    campaign = session.exec(select(Campaign).where(*([Campaign.category == category] if category else []))
                            .order_by(Campaign.id)).first()
    ids = session.exec(select(InfluencerProfile.user_id).where(InfluencerProfile.category == campaign.category)
                       .order_by(InfluencerProfile.user_id)).all()
    return campaign, list(ids)


def test_store_versions_refusal_and_fallback(engine, session, tmp_path, monkeypatch):
    monkeypatch.setenv("BRANDIFIERS_MODEL_DIR", str(tmp_path))
    seed_world(engine)
    campaign, ids = _campaign_and_candidates(session)
    assert scoring.predict(session, campaign, ids, now=NOW) is None and scoring.status() == {}

    meta = training.retrain(session, now=NOW, settings=settings(tmp_path))
    assert meta["version"] == "v000001" and model_store.current_version(tmp_path) == "v000001"
    side = json.loads((tmp_path / "v000001.json").read_text())
    assert side["trained_at"] == "2026-12-01T12:00:00" and side["rows"] >= 200
    assert set(side["metrics"]) >= {"er_mae", "range_coverage"} and side["features"] == list(features.FEATURES)
    assert scoring.status()["version"] == "v000001"

    busy = max(side["category_rows"], key=side["category_rows"].get)
    campaign, ids = _campaign_and_candidates(session, busy)
    got = scoring.predict(session, campaign, ids, now=NOW)
    assert set(got) == set(ids)
    for p in got.values():
        assert 0 <= p.low <= p.value <= p.high and 0 < p.p_complete < 1 and p.score == pytest.approx(
            p.value * p.p_complete)
        assert 1 <= len(p.reasons) <= 3 and all(isinstance(r, str) and r for r in p.reasons)
    assert any("Past engagement" in r for p in got.values() for r in p.reasons)
    top = scoring.predict(session, campaign, ids, now=NOW, explain_top=5)
    assert sum(1 for p in top.values() if p.reasons) == 5
    ranked = sorted(top, key=lambda i: -top[i].score)
    assert all(top[i].reasons for i in ranked[:5]) and not any(top[i].reasons for i in ranked[5:])
    page = scoring.predict(session, campaign, ids, now=NOW, explain_top=5, explain_from=3)  # ranks 3 and 4 only
    assert [bool(page[i].reasons) for i in ranked[:6]] == [False, False, False, True, True, False]
    assert page[ranked[3]].reasons == got[ranked[3]].reasons
    # a category with fewer outcomes than the minimum falls back (None), the others keep their model
    monkeypatch.setenv("BRANDIFIERS_RECOMMEND_MIN_CATEGORY_ROWS", str(side["category_rows"][busy] + 1))
    assert scoring.predict(session, campaign, ids, now=NOW) is None
    monkeypatch.delenv("BRANDIFIERS_RECOMMEND_MIN_CATEGORY_ROWS")

    # a second training is a new version; the process switches to it, the old file stays
    later = NOW + timedelta(days=1)
    assert training.retrain(session, now=later, settings=settings(tmp_path))["version"] == "v000002"
    assert scoring.status()["version"] == "v000002" and (tmp_path / "v000001.npz").exists()
    # too few outcomes: refused, nothing written, the previous model keeps serving
    with pytest.raises(training.TrainingRefused):
        training.retrain(session, now=later, settings=settings(tmp_path, recommend_min_rows=10**6))
    assert model_store.versions(tmp_path) == ["v000001", "v000002"]
    assert scoring.status()["version"] == "v000002"
    assert scoring.predict(session, campaign, ids, now=NOW) is not None


def test_the_nightly_job_retrains_only_after_enough_new_outcomes(engine, session, tmp_path):
    seed_world(engine)
    s = settings(tmp_path, compact_time="03:00")
    night = NOW.replace(hour=3, minute=30)
    assert nightly_recommend(engine, night, s)["version"] == "v000001"  # no model yet: trains
    assert nightly_recommend(engine, night + timedelta(hours=1), s) is None  # done today
    assert nightly_recommend(engine, night + timedelta(days=1), s) == {"retrained": False}  # nothing new
    open_deals = session.exec(select(AdRequest).where(AdRequest.status == "submitted")).all()
    assert len(open_deals) >= 50
    for deal in open_deals[:50]:
        deal.status, deal.completed_at = "completed", NOW + timedelta(days=1)
        session.add(deal)
    session.commit()
    assert nightly_recommend(engine, night + timedelta(days=2), s)["version"] == "v000002"
    # a failing training is logged and the day counts as done; the previous model stays
    broken = settings(tmp_path, compact_time="03:00", recommend_retrain_new=0, recommend_min_rows=10**6)
    result = nightly_recommend(engine, night + timedelta(days=3), broken)
    assert result["retrained"] is False and "at least" in result["error"]
    assert model_store.current_version(tmp_path) == "v000002"
