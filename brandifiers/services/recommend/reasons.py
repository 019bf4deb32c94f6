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


def describe(name: str, x: float, median: float, category: str) -> str:
    """One feature's value in words."""
    missing = x is None or math.isnan(x)
    if name.startswith("er_"):
        plat = name[3:]
        label = _PLATFORM_NAMES.get(plat, plat.capitalize())
        return f"Not on {label}" if missing else f"Reported engagement on {label} {_pct(x)}{_vs(x, median)}"
    if name == "past_er_cat":
        return (f"No past results in {category} yet" if missing
                else f"Past engagement in {category} {_pct(x)}{_vs(x, median)}")
    if name == "past_er":
        return "No past results yet" if missing else f"Past engagement {_pct(x)}{_vs(x, median)}"
    if name == "past_cpe_cat":
        return (f"No past cost per engagement in {category} yet" if missing else
                f"Past cost per engagement in {category} {format_cents(round(x * 100))}{_vs(x, median)}")
    if name == "past_completion_rate":
        return "No past collaborations" if missing else f"Completed {x * 100:.0f} % of past collaborations"
    if missing:
        return f"{name.replace('_', ' ').capitalize()} unknown"
    if name == "reported_er":
        return f"Reported engagement {_pct(x)}{_vs(x, median)}"
    if name == "log_followers":
        return f"{math.expm1(x):,.0f} followers{_vs(x, median)}"
    if name == "log_price":
        return f"Asking price {format_cents(round(math.expm1(x) * 100))}{_vs(x, median)}"
    if name == "price_share":
        return f"Price {x * 100:.0f} % of the budget"
    if name == "same_category":
        return "Same category as the campaign" if x else "Another category than the campaign"
    if name == "same_niche":
        return "Same niche as the campaign" if x else "Another niche than the campaign"
    if name == "platforms":
        return f"On {x:.0f} platform{'s' if x != 1 else ''}"
    if name == "past_accepted":
        return f"{x:.0f} past collaboration{'s' if x != 1 else ''}"
    if name == "past_completed":
        return f"{x:.0f} completed collaboration{'s' if x != 1 else ''}"
    if name == "past_completed_cat":
        return f"{x:.0f} completed collaboration{'s' if x != 1 else ''} in {category}"
    if name == "log_past_views":
        return f"Past posts seen {math.expm1(x):,.0f} times{_vs(x, median)}"
    return f"{name.replace('_', ' ').capitalize()} {x:g}"


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


