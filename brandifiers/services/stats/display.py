"""Figures as the statistics pages show them: stat cards with their definitions (an undefined ratio
is "-") and the rows of the tables (categories, months, ranked requests, campaigns, anomaly flags).
Takes what services/stats/stats.py, stats_views.py and anomalies.py return; raises nothing."""

from __future__ import annotations

from datetime import date, datetime

from brandifiers.services.common import zones
from brandifiers.services.metrics.metric_defs import DEFINITIONS, format_money, format_percent, format_ratio, roi
from brandifiers.services.stats.anomalies import RULES
from brandifiers.services.stats.charts import units

# key -> (label, kind, definition); kind: count | money | percent | ratio
CARD_SPECS: dict[str, tuple[str, str, str]] = {
    "views": ("Views", "count", "Views of the posts, summed over the days with figures."),
    "engagements": ("Engagements", "count", DEFINITIONS["engagements"]),
    "er_views": ("Engagement rate (views)", "percent", DEFINITIONS["er_views"]),
    "er_followers": ("Engagement rate (followers)", "percent", DEFINITIONS["er_followers"]),
    "clicks": ("Clicks", "count", "Link clicks reported for the posts."),
    "conversions": ("Conversions", "count", "Conversions reported for the posts."),
    "revenue_cents": ("Revenue", "money", "Revenue reported for the posts."),
    "spend_cents": ("Spend", "money", DEFINITIONS["spend"]),
    "roi": ("ROI", "percent", DEFINITIONS["roi"]),
    "cpm": ("CPM", "money", DEFINITIONS["cpm"]),
    "cpe": ("CPE", "money", DEFINITIONS["cpe"]),
    "cpc": ("CPC", "money", DEFINITIONS["cpc"]),
}
RULE_LABELS = {"er_category": "Engagement rate far above its category", "views_jump": "Sudden jump in views",
               "engagements_over_views": "Engagements above views", "likes_over_views": "More likes than views",
               "before_submission": "Figures before the post"}
SHOWN_FLAGS = 50


def show(kind: str, value) -> str:
    if kind == "count":
        return "-" if value is None else f"{int(value):,}"
    if kind == "money":
        return format_money(value)
    if kind == "percent":
        return format_percent(value)
    return format_ratio(value)


def cards(figures: dict, keys: tuple[str, ...], prefix: str = "card") -> list[dict[str, str]]:
    """Stat cards {label, value, hint, id}; the hint is the definition (plus what "-" means)."""
    out = []
    for key in keys:
        label, kind, hint = CARD_SPECS[key]
        value = show(kind, figures.get(key))
        out.append({"label": label, "value": value, "id": f"{prefix}-{key.replace('_cents', '')}",
                    "hint": hint + (" " + DEFINITIONS["undefined"] if value == "-" else "")})
    return out


def refreshed_text(iso: str | None, zone) -> str:
    return zones.fmt_time(datetime.fromisoformat(iso), zone) if iso else "never"


def deliverable_options(rows: list[dict]) -> list[dict[str, str]]:
    """stats_views.my_deliverables as choices of the day form and rows of the deliverable-ID table."""
    return [{"id": str(d["id"]), "label": f"{d['campaign']} · {d['post_url']}", "campaign": d["campaign"],
             "post_url": d["post_url"], "platform": d["platform"], "influencer": d["influencer"]} for d in rows]


def category_rows(rows: list[dict]) -> list[dict]:
    """The platform's categories: numbers for the chart, texts for the table."""
    return [{"category": r["category"], "views": int(r["views"]), "engagements": int(r["engagements"]),
             "spend": units(r["spend_cents"]), "followers": f"{r['followers']:,}",
             "views_text": f"{r['views']:,}", "engagements_text": f"{r['engagements']:,}",
             "spend_text": format_money(r["spend_cents"]), "revenue_text": format_money(r["revenue_cents"]),
             "roi_text": format_percent(r["roi"])} for r in rows]


def month_rows(months: list[dict], spend: dict[str, int]) -> list[dict]:
    """The months with figures or spend: spend counts in the month its request was accepted."""
    by_month = {m["month"]: m for m in months}
    out = []
    for month in sorted(set(by_month) | set(spend)):
        m = by_month.get(month, {"views": 0, "engagements": 0, "revenue_cents": 0, "er_views": None})
        cents = spend.get(month, 0)
        out.append({"month": month, "views": int(m["views"]), "engagements": int(m["engagements"]),
                    "spend": units(cents), "views_text": f"{m['views']:,}",
                    "engagements_text": f"{m['engagements']:,}", "er_text": format_percent(m["er_views"]),
                    "spend_text": format_money(cents), "revenue_text": format_money(m["revenue_cents"]),
                    "roi_text": format_percent(roi(m["revenue_cents"], cents))})
    return out


def ranked_requests(requests: list[dict], names: dict) -> list[dict[str, str]]:
    """A campaign's ad requests, best ROI first; an undefined ROI (no spend) last."""
    ordered = sorted(requests, key=lambda r: (r["roi"] is None, -(r["roi"] or 0), -r["views"], r["ad_request_id"]))
    return [{"rank": str(i), "influencer": names.get(r["ad_request_id"], {}).get("influencer", "-"),
             "status": names.get(r["ad_request_id"], {}).get("status", ""), "views": f"{r['views']:,}",
             "engagements": f"{r['engagements']:,}", "spend": format_money(r["spend_cents"]),
             "revenue": format_money(r["revenue_cents"]), "roi": format_percent(r["roi"]),
             "cpe": format_money(r["cpe"]), "id": str(r["ad_request_id"])}
            for i, r in enumerate(ordered, start=1)]


def rule_text(flag: dict) -> str:
    """The rule behind a flag, as a person reads it ("Rule: ...")."""
    rule = "engagements_over_views" if flag["rule"] == "likes_over_views" else flag["rule"]  # stored before
    return "Rule: " + RULES.get(rule, rule)


def campaign_flags(flags: list[dict], names: dict) -> list[dict[str, str]]:
    """A campaign's anomaly flags (the first 50), each naming its influencer."""
    return [{"rule": RULE_LABELS.get(f["rule"], f["rule"]), "reason": f["reason"], "rule_text": rule_text(f),
             "influencer": names.get(f["ad_request_id"], {}).get("influencer", f"request {f['ad_request_id']}"),
             "day": f["day"] or ""} for f in flags[:SHOWN_FLAGS]]


def platform_flags(flags: list[dict]) -> list[dict[str, str]]:
    """The platform's anomaly flags (the first 50), each naming its ad request."""
    return [{"rule": RULE_LABELS.get(f["rule"], f["rule"]), "reason": f["reason"], "rule_text": rule_text(f),
             "request": f"Request {f['ad_request_id']}", "day": f["day"] or ""} for f in flags[:SHOWN_FLAGS]]


def campaign_rows(rows: list[dict]) -> list[dict[str, str]]:
    """A sponsor's campaigns in the portfolio table."""
    return [{"id": str(r["campaign_id"]), "name": r["name"], "views": f"{r['views']:,}",
             "engagements": f"{r['engagements']:,}", "spend": format_money(r["spend_cents"]),
             "revenue": format_money(r["revenue_cents"]), "roi": format_percent(r["roi"]),
             "cpm": format_money(r["cpm"])} for r in rows]


DAY_TABLE_ROWS = 50


def shown_from(series: list[dict], start: date | None) -> date | None:
    """The first day day_table shows (the window's start when it shows every day): the sources are
    read from there on only."""
    days = sorted(d["day"] for d in series)[-DAY_TABLE_ROWS:]
    first = date.fromisoformat(days[0]) if days else None
    return max(filter(None, (start, first)), default=None)


def day_table(series: list[dict], sources: dict[str, str]) -> list[dict[str, str]]:
    """The rows behind a day chart: each day with figures in the window (the latest 50, newest first),
    its figures as texts and where they came from (services/metrics/sources)."""
    return [{"day": d["day"], "views": f"{d['views']:,}", "engagements": f"{d['engagements']:,}",
             "clicks": f"{d['clicks']:,}", "conversions": f"{d['conversions']:,}",
             "revenue": format_money(d["revenue_cents"]), "source": sources.get(d["day"], "-")}
            for d in sorted(series, key=lambda d: d["day"], reverse=True)[:DAY_TABLE_ROWS]]
