"""A small seeded world with enough history for the recommendation model (dense: ~10 requests per
influencer), and the settings that let it train."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from brandifiers.config import get_settings
from brandifiers.seed import Scale, seed

WORLD = Scale(sponsors=30, pending=1, influencers=300, campaigns=240, requests=3000, max_snapshots=None)
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def seed_world(engine, rng_seed: int = 7) -> None:
    seed(engine, WORLD, rng_seed=rng_seed, now=NOW)


def settings(model_dir, **overrides):
    base = dict(model_dir=str(model_dir), recommend_min_rows=200, recommend_min_category_rows=20,
                recommend_retrain_new=50)
    return dataclasses.replace(get_settings(), **{**base, **overrides})
