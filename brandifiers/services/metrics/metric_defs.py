"""The one home of the metric definitions (ARCHITECTURE.md) and their display: figures, engagements,
ratios (None when undefined, shown as "-") and spend, the same rule as the budget panel's
"committed"; raises nothing. Design: docs/metrics.md."""

from __future__ import annotations

from collections.abc import Mapping

from brandifiers.models import COMMITTED
from brandifiers.services.common.money import format_cents
from brandifiers.services.deals.campaigns import committed_cents

# The raw figures of a metric snapshot, in the order of the CSV template and the rollup tables.
FIGURES = ("views", "likes", "comments", "shares", "saves", "clicks", "conversions", "revenue_cents")
ENGAGEMENT_PARTS = ("likes", "comments", "shares", "saves")

# Short human texts for tooltips next to the figures.
DEFINITIONS: dict[str, str] = {
    "engagements": "Engagements = likes + comments + shares + saves.",
    "er_views": "Engagement rate (by views) = engagements / views.",
    "er_followers": "Engagement rate (by followers) = engagements / followers of the creators "
                    "(summed per ad request).",
    "spend": "Spend = the agreed payment (latest offer) of ad requests that reached accepted or later; "
             "never the campaign budget.",
    "cpm": "CPM = spend / views x 1000 (cost per thousand views).",
    "cpe": "CPE = spend / engagements (cost per engagement).",
    "cpc": "CPC = spend / clicks (cost per click).",
    "roi": "ROI = (revenue - spend) / spend.",
    "undefined": "\"-\" means undefined: the figure it divides by is zero.",
}

__all__ = ["COMMITTED", "DEFINITIONS", "ENGAGEMENT_PARTS", "FIGURES", "committed_cents", "cpc", "cpe", "cpm",
           "derived", "engagement_rate", "engagements", "format_money", "format_percent", "format_ratio", "roi",
           "safe_div", "spend_of"]


def safe_div(numerator: float | int | None, denominator: float | int | None) -> float | None:
    """numerator / denominator, or None when the denominator is zero or missing."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def engagements(likes: int, comments: int, shares: int, saves: int) -> int:
    return int(likes) + int(comments) + int(shares) + int(saves)


def engagement_rate(engagement_count: int, base: int | None) -> float | None:
    """By views or by followers: pass the one you mean as `base`."""
    return safe_div(engagement_count, base)


def spend_of(status: str, payment_cents: int) -> int:
    """What one ad request contributes to spend."""
    return int(payment_cents) if status in COMMITTED else 0


def cpm(spend_cents: int, views: int) -> float | None:
    ratio = safe_div(spend_cents, views)
    return None if ratio is None else ratio * 1000


def cpe(spend_cents: int, engagement_count: int) -> float | None:
    return safe_div(spend_cents, engagement_count)


def cpc(spend_cents: int, clicks: int) -> float | None:
    return safe_div(spend_cents, clicks)


def roi(revenue_cents: int, spend_cents: int) -> float | None:
    return safe_div(revenue_cents - spend_cents, spend_cents)


def derived(figures: Mapping[str, int], *, spend_cents: int | None = None,
            followers: int | None = None) -> dict[str, float | int | None]:
    """engagements and every ratio for one set of summed figures (spend ratios when spend is given)."""
    eng = engagements(*(figures.get(k, 0) for k in ENGAGEMENT_PARTS))
    out: dict[str, float | int | None] = {"engagements": eng, "er_views": engagement_rate(eng, figures.get("views")),
                                          "er_followers": engagement_rate(eng, followers)}
    if spend_cents is not None:
        out.update(spend_cents=spend_cents, cpm=cpm(spend_cents, figures.get("views", 0)),
                   cpe=cpe(spend_cents, eng), cpc=cpc(spend_cents, figures.get("clicks", 0)),
                   roi=roi(figures.get("revenue_cents", 0), spend_cents))
    return out


def format_ratio(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def format_percent(value: float | None, digits: int = 1) -> str:
    """0.0345 -> '3.5%'; None -> '-'."""
    return "-" if value is None else f"{value * 100:,.{digits}f}%"


def format_money(cents: float | None) -> str:
    """Cents (possibly fractional, e.g. a CPE) in the platform currency; None -> '-'."""
    return "-" if cents is None else format_cents(round(cents))
