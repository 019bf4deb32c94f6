"""The top three reasons of a prediction in words: the features with the largest contributions
(LightGBM's pred_contrib, SHAP values) that differ between creators, each with its value and how it
compares with the training rows' median, e.g. "Past engagement in Fashion 5.1 % (above the median)"."""

from __future__ import annotations

import math

import numpy as np

from brandifiers.models import CATEGORIES
from brandifiers.services.common.money import format_cents
from brandifiers.services.recommend.features import FEATURES, F

# The same for every creator of one campaign: they never explain a ranking.
CAMPAIGN_ONLY = frozenset({"category", "log_budget", "duration_days", "has_targets"})
TOP = 3
_PLATFORM_NAMES = {"x": "X", "youtube": "YouTube", "tiktok": "TikTok", "linkedin": "LinkedIn"}


def _pct(x: float) -> str:
    return f"{x * 100:.1f} %"


def _vs(x: float, median: float) -> str:
    if median is None or math.isnan(median) or math.isclose(x, median, rel_tol=0.02, abs_tol=1e-9):
        return " (about the median)"
    return " (above the median)" if x > median else " (below the median)"


def _count(x: float, word: str, tail: str = "") -> str:
    return f"{x:.0f} {word}{'s' if x != 1 else ''}{tail}"


def _money(x: float) -> str:
    return format_cents(round(x * 100))


# name -> (words when unknown, words for a value x with the median m in category c)
_WORDS = {
    "past_er_cat": ("No past results in {c} yet", lambda x, m, c: f"Past engagement in {c} {_pct(x)}{_vs(x, m)}"),
    "past_er": ("No past results yet", lambda x, m, c: f"Past engagement {_pct(x)}{_vs(x, m)}"),
    "past_cpe_cat": ("No past cost per engagement in {c} yet",
                     lambda x, m, c: f"Past cost per engagement in {c} {_money(x)}{_vs(x, m)}"),
    "past_completion_rate": ("No past collaborations", lambda x, m, c: f"Completed {x:.0%} of past collaborations"),
    "reported_er": ("No reported engagement", lambda x, m, c: f"Reported engagement {_pct(x)}{_vs(x, m)}"),
    "log_followers": ("Followers unknown", lambda x, m, c: f"{math.expm1(x):,.0f} followers{_vs(x, m)}"),
    "log_price": ("No asking price", lambda x, m, c: f"Asking price {_money(math.expm1(x))}{_vs(x, m)}"),
    "price_share": ("No asking price", lambda x, m, c: f"Price {x:.0%} of the budget"),
    "same_category": ("", lambda x, m, c: "Same category as the campaign" if x else "Another category"),
    "same_niche": ("", lambda x, m, c: "Same niche as the campaign" if x else "Another niche"),
    "platforms": ("", lambda x, m, c: "On " + _count(x, "platform")),
    "past_accepted": ("", lambda x, m, c: _count(x, "past collaboration")),
    "past_completed": ("", lambda x, m, c: _count(x, "completed collaboration")),
    "past_completed_cat": ("", lambda x, m, c: _count(x, "completed collaboration", f" in {c}")),
    "log_past_views": ("", lambda x, m, c: f"Past posts seen {math.expm1(x):,.0f} times{_vs(x, m)}"),
}


def describe(name: str, x: float, median: float, category: str) -> str:
    """One feature's value in words."""
    missing = x is None or math.isnan(x)
    if name.startswith("er_"):
        label = _PLATFORM_NAMES.get(name[3:], name[3:].capitalize())
        return f"Not on {label}" if missing else f"Reported engagement on {label} {_pct(x)}{_vs(x, median)}"
    unknown, words = _WORDS.get(name, ("", lambda x, m, c: f"{name.replace('_', ' ').capitalize()} {x:g}"))
    if missing:
        return unknown.format(c=category) or f"{name.replace('_', ' ').capitalize()} unknown"
    return words(x, median, category)


_ALLOWED = np.array([name not in CAMPAIGN_ONLY for name in FEATURES])


def explain(contrib: np.ndarray, X: np.ndarray, medians: np.ndarray) -> list[tuple[str, ...]]:
    """Per row: up to TOP reasons, the strongest contribution first (ties: the feature order)."""
    strength = np.where(_ALLOWED[None, :], np.abs(contrib), -1.0)
    top = np.argsort(-strength, axis=1, kind="stable")[:, :TOP]
    out = []
    for r, cols in enumerate(top):
        cat_code = X[r, F["category"]]
        category = CATEGORIES[int(cat_code)] if 0 <= cat_code < len(CATEGORIES) else "this category"
        out.append(tuple(describe(FEATURES[c], float(X[r, c]), float(medians[c]), category)
                         for c in cols if strength[r, c] > 0))
    return out


