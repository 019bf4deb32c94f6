"""The learned model: a LightGBM regressor of the realised engagement rate, a LightGBM classifier of
completion, the range from the regressor's hold-out residual quantiles. Why LightGBM:
docs/recommendations.md, "The model"."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from brandifiers.services.recommend.features import CATEGORICAL, FEATURES

if TYPE_CHECKING:
    import lightgbm as lgb


def _lgb():
    """lightgbm on first use: a web worker that never ranks by the model does not carry it."""
    import lightgbm

    return lightgbm

ER_PARAMS = dict(objective="regression", learning_rate=0.05, num_leaves=31, min_data_in_leaf=20,
                 feature_fraction=0.9, bagging_fraction=0.8, bagging_freq=1, lambda_l2=1.0, max_bin=63)
COMPLETE_PARAMS = dict(objective="binary", learning_rate=0.05, num_leaves=15, min_data_in_leaf=40,
                       feature_fraction=0.9, bagging_fraction=0.8, bagging_freq=1, lambda_l2=1.0, max_bin=63)
MAX_ROUNDS, EARLY_STOP = 400, 30
HOLDOUT_SHARE = 0.2  # the latest deals (by acceptance day): early stopping, metrics, the range's quantiles
RANGE_QUANTILES = (0.1, 0.9)


@dataclass
class Model:
    er: lgb.Booster
    complete: lgb.Booster | None  # None: too few settled deals of either kind; base_complete is used
    base_complete: float
    low_high: tuple[float, float]  # residual quantiles added to the predicted value
    medians: np.ndarray  # per feature, over the training rows (the reasons' yardstick)
    history: dict[str, np.ndarray]  # features.history_snapshot as of the training day
    meta: dict = field(default_factory=dict)

    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(value, low, high, p_complete) per row."""
        value = np.maximum(self.er.predict(X, num_threads=1), 0.0)
        lo, hi = self.low_high
        p = (self.complete.predict(X, num_threads=1) if self.complete is not None
             else np.full(len(X), self.base_complete))
        return value, np.maximum(value + lo, 0.0), np.maximum(value + hi, value), p

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """Each feature's share of each row's predicted value (LightGBM's own SHAP values), bias dropped."""
        return self.er.predict(X, pred_contrib=True, num_threads=1)[:, :len(FEATURES)]


def _params(base: dict, seed: int, threads: int) -> dict:
    return {**base, "seed": seed, "deterministic": True, "force_row_wise": True, "num_threads": threads,
            "verbose": -1}


def _dataset(X, y, reference=None):
    return _lgb().Dataset(X, y, feature_name=list(FEATURES), categorical_feature=list(CATEGORICAL),
                       reference=reference, free_raw_data=True)


def _fit(params: dict, X: np.ndarray, y: np.ndarray, split: int) -> tuple[lgb.Booster, lgb.Booster]:
    """Early stopping on the rows after `split` (the latest), then a refit on every row: (final, probe)."""
    train = _dataset(X[:split], y[:split])
    valid = _dataset(X[split:], y[split:], reference=train)
    probe = _lgb().train(params, train, MAX_ROUNDS, valid_sets=[valid],
                         callbacks=[_lgb().early_stopping(EARLY_STOP, verbose=False)])
    rounds = max(probe.best_iteration, 10)
    return _lgb().train(params, _dataset(X, y), rounds), probe


def auc(y: np.ndarray, p: np.ndarray) -> float | None:
    pos, neg = y == 1, y == 0
    if not pos.any() or not neg.any():
        return None
    ranks = np.argsort(np.argsort(p, kind="stable"), kind="stable") + 1.0
    return float((ranks[pos].sum() - pos.sum() * (pos.sum() + 1) / 2) / (pos.sum() * neg.sum()))


def fit(X: np.ndarray, day: np.ndarray, er: np.ndarray, settled: np.ndarray, completed: np.ndarray, *,
        seed: int = 0, threads: int = 2) -> tuple[Model, dict]:
    """Train on the rows with a realised engagement rate (value) and the settled rows (completion);
    rows are ordered by acceptance day first. Returns the model (history and meta left empty) and
    its hold-out metrics."""
    order = np.argsort(day, kind="stable")
    X, er, settled, completed = X[order], er[order], settled[order], completed[order]
    has = ~np.isnan(er)
    Xe, ye = X[has], er[has].astype(np.float64)
    split = int(len(ye) * (1 - HOLDOUT_SHARE))
    booster, probe = _fit(_params(ER_PARAMS, seed, threads), Xe, ye, split)
    held = probe.predict(Xe[split:], num_threads=threads)
    resid = ye[split:] - held
    lo, hi = (float(q) for q in np.quantile(resid, RANGE_QUANTILES))
    inside = float(np.mean((resid >= lo) & (resid <= hi)))
    metrics = dict(er_mae=float(np.mean(np.abs(resid))), er_mae_mean=float(np.mean(np.abs(ye[split:] - ye[:split]
                                                                                             .mean()))),
                   range_coverage=round(inside, 3), holdout_rows=int(len(ye) - split))
    Xc, yc = X[settled], completed[settled].astype(np.float64)
    base = float(yc.mean()) if len(yc) else 0.5
    complete = None
    if len(yc) >= 50 and 0 < yc.sum() < len(yc):
        csplit = int(len(yc) * (1 - HOLDOUT_SHARE))
        if 0 < yc[csplit:].sum() < len(yc) - csplit and 0 < yc[:csplit].sum() < csplit:
            complete, cprobe = _fit(_params(COMPLETE_PARAMS, seed, threads), Xc, yc, csplit)
            metrics["complete_auc"] = auc(yc[csplit:], cprobe.predict(Xc[csplit:], num_threads=threads))
    with warnings.catch_warnings():  # a column with no known value has no median (NaN)
        warnings.simplefilter("ignore", RuntimeWarning)
        medians = np.nanmedian(Xe, axis=0)
    return Model(booster, complete, base, (lo, hi), medians.astype(np.float64), {}), metrics


def to_strings(m: Model) -> tuple[str, str]:
    return m.er.model_to_string(), m.complete.model_to_string() if m.complete is not None else ""


def from_strings(er: str, complete: str) -> tuple[lgb.Booster, lgb.Booster | None]:
    return _lgb().Booster(model_str=er), (_lgb().Booster(model_str=complete) if complete else None)
