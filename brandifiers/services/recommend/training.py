"""Training from the platform's history: `train` (a model in memory), `retrain` (train, store, switch the
pointer; TrainingRefused below BRANDIFIERS_RECOMMEND_MIN_ROWS outcomes, the previous model staying in
service) and `retrain_if_due` (the nightly job: only after BRANDIFIERS_RECOMMEND_RETRAIN_NEW new outcomes)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import numpy as np
from sqlmodel import Session

from brandifiers.config import Settings, get_settings
from brandifiers.models import CATEGORIES
from brandifiers.services.common.errors import DomainError
from brandifiers.services.recommend import features, model_store
from brandifiers.services.recommend import model as M


class TrainingRefused(DomainError):
    """Too few outcomes to learn from."""


def category_rows(frame: features.Frame) -> dict[str, int]:
    """Rows with a realised engagement rate per campaign category."""
    has = ~np.isnan(frame.outcome["er"])
    counts = np.bincount(frame.X[has, features.F["category"]].astype(np.int64).clip(0), minlength=len(CATEGORIES))
    return {c: int(counts[k]) for k, c in enumerate(CATEGORIES) if counts[k]}


def train(session: Session, *, now: datetime, until: date | None = None, seed: int = 0,
          settings: Settings | None = None, frame: features.Frame | None = None) -> M.Model:
    """A model from the deals accepted before `until` (default: all), as of `now`. Raises
    TrainingRefused with fewer than recommend_min_rows realised outcomes."""
    settings = settings or get_settings()
    now = now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now
    t0 = time.perf_counter()
    history = features.load_history(session, until=until)
    frame = frame or features.training_frame(session, until=until, history=history)
    er = frame.outcome["er"]
    rows = int((~np.isnan(er)).sum())
    if rows < settings.recommend_min_rows:
        raise TrainingRefused(f"Only {rows} completed deals with results; at least "
                              f"{settings.recommend_min_rows} are needed to train a model.")
    today = features.day_number(now) if until is None else features.day_number(until)
    settled = (frame.outcome["completed"] == 1) | (np.nan_to_num(frame.outcome["due"], nan=today) < today)
    m, metrics = M.fit(frame.X, frame.day, er, settled, frame.outcome["completed"], seed=seed)
    m.history = features.history_snapshot(history, today + 1)
    m.meta = dict(trained_at=now.replace(microsecond=0).isoformat(), rows=rows, settled_rows=int(settled.sum()),
                  outcomes=features.completed_outcomes(session), category_rows=category_rows(frame),
                  metrics={k: (round(v, 6) if isinstance(v, float) else v) for k, v in metrics.items()},
                  features=list(features.FEATURES), seed=seed, seconds=round(time.perf_counter() - t0, 2),
                  until=until.isoformat() if until else None)
    return m


def retrain(session: Session, *, now: datetime, seed: int = 0, settings: Settings | None = None) -> dict:
    """Train on everything, store the new version and switch to it; the sidecar's contents. On any
    failure (TrainingRefused included) nothing is switched: the previous model keeps serving."""
    settings = settings or get_settings()
    m = train(session, now=now, seed=seed, settings=settings)
    model_store.save(m, settings.model_dir)
    return m.meta


def retrain_if_due(session: Session, *, now: datetime, settings: Settings | None = None) -> dict | None:
    """The nightly job: retrain when recommend_retrain_new outcomes were completed since the current
    model (or there is none yet and enough exist); None when not due."""
    settings = settings or get_settings()
    current = model_store.current(settings.model_dir)
    outcomes = features.completed_outcomes(session)
    if current is None:
        if outcomes < settings.recommend_min_rows:
            return None
    elif outcomes - int(current.meta.get("outcomes", 0)) < settings.recommend_retrain_new:
        return None
    meta = retrain(session, now=now, settings=settings)
    return {"version": meta["version"], "rows": meta["rows"], "metrics": meta["metrics"]}
