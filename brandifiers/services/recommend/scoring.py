"""Scores (campaign, influencer) pairs with the current learned model, in one batch; None when there is
no usable model for the campaign's category (too few outcomes in it: the caller falls back to the
rule fit score). Design: docs/recommendations.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlmodel import Session

from brandifiers.config import get_settings
from brandifiers.services.recommend import features, model_store, reasons

target_label = "Expected engagement rate"


@dataclass(frozen=True)
class Prediction:
    value: float  # the predicted engagement rate, a fraction (0.034 = 3.4 %)
    low: float  # the range's lower and upper ends, same unit
    high: float
    p_complete: float  # probability the deal is completed, 0..1
    score: float  # what the Recommended sort orders by (descending): value x p_complete
    reasons: tuple[str, ...]  # up to three, in words, strongest first


def usable(campaign, settings=None):
    """The current model if it learned from enough outcomes in the campaign's category, else None."""
    settings = settings or get_settings()
    m = model_store.current(settings.model_dir)
    if m is None or m.meta.get("category_rows", {}).get(campaign.category, 0) < settings.recommend_min_category_rows:
        return None
    return m


def predict(session: Session, campaign, influencer_ids: list[int], *, now: datetime,
            explain_top: int | None = None, explain_from: int = 0) -> dict[int, Prediction] | None:
    """Predictions for these influencers on this campaign, or None without a usable model for its
    category. Reasons only for the best-scored candidates ranked explain_from..explain_top-1 (a page of
    them; the others get none), to keep a large batch fast; explain_top None explains every one."""
    m = usable(campaign)
    if m is None:
        return None
    if not influencer_ids:
        return {}
    frame = features.scoring_frame(session, campaign, influencer_ids, now=now,
                                   history_lookup=lambda ids, cat: features.lookup_history(m.history, ids, cat))
    value, low, high, p = m.predict(frame.X)
    score = value * p
    explained = (np.arange(len(score)) if explain_top is None
                 else np.argsort(-score, kind="stable")[explain_from:explain_top])
    words: dict[int, tuple[str, ...]] = {}
    if len(explained):
        rows = frame.X[explained]
        for k, why in zip(explained, reasons.explain(m.contributions(rows), rows, m.medians)):
            words[int(k)] = why
    return {int(uid): Prediction(float(value[k]), float(low[k]), float(high[k]), float(p[k]), float(score[k]),
                                 words.get(k, ()))
            for k, uid in enumerate(frame.influencer)}


def status() -> dict:
    """The current model's version, training date, row count and metrics ({} when there is none)."""
    m = model_store.current()
    return dict(m.meta) if m is not None else {}
