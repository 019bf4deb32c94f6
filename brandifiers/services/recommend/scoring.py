"""Scores (campaign, influencer) pairs with the current learned model; None when there is none.
(The model lands with issue 21; until then every campaign falls back to the rule fit score.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

target_label = "Expected engagement rate"


@dataclass(frozen=True)
class Prediction:
    value: float  # the predicted engagement rate, a fraction (0.034 = 3.4 %)
    low: float  # the range's lower and upper ends, same unit
    high: float
    p_complete: float  # probability the deal is completed, 0..1
    score: float  # what the Recommended sort orders by (descending)
    reasons: tuple[str, ...]  # up to three, in words, strongest first


def predict(session: Session, campaign, influencer_ids: list[int], *, now: datetime) -> dict[int, Prediction] | None:
    """Predictions for these influencers on this campaign, or None without a usable model for its category."""
    return None


def status() -> dict:
    """The current model's version, training date, row count and metrics ({} when there is none)."""
    return {}
