"""Chart rows of the statistics pages, as plain numbers: the date window (`parse_window`, which
raises ValidationFailed next to the date inputs), day series over a window (`day_rows`) and the
cumulative spend and earnings lines. Takes what services/stats/stats.py and stats_views.py return."""

from __future__ import annotations

from datetime import date, timedelta

from brandifiers.clock import utcnow
from brandifiers.services.common.errors import ValidationFailed

MAX_PADDED_DAYS = 400


def units(cents) -> float:
    """Cents as a float of currency units, for charts only."""
    return round(int(cents or 0) / 100, 2)


def parse_window(start: str, end: str) -> tuple[date | None, date | None]:
    """Two optional ISO dates; ValidationFailed next to the date inputs otherwise."""
    errors, out = {}, {}
    for name, raw in (("start", start), ("end", end)):
        try:
            out[name] = date.fromisoformat(raw) if raw else None
        except ValueError:
            errors[name] = "Enter the date as YYYY-MM-DD."
    if not errors and out["start"] and out["end"] and out["start"] > out["end"]:
        errors["end"] = "The end date is before the start date."
    if errors:
        raise ValidationFailed(errors)
    return out["start"], out["end"]


def _span(first: str, last: str) -> int:
    return (date.fromisoformat(last) - date.fromisoformat(first)).days


def _day_range(first: str, last: str) -> list[str]:
    one, day, out = timedelta(days=1), date.fromisoformat(first), []
    while day.isoformat() <= last:
        out.append(day.isoformat())
        day += one
    return out


def day_rows(series: list[dict], start: date | None = None, end: date | None = None,
             today: date | None = None) -> list[dict]:
    """services.stats.stats series -> chart rows (numbers only), one per day: with a window, from its start
    (or the first day with figures) to its end (or today), never past today; all time, from the
    first to the last day with figures. So one day of figures sits on the window's axis. A day without
    figures has 0 views, engagements, clicks and revenue (nothing was reported) and no engagement
    rate: a rate is never invented, its day is a gap. Longer windows than MAX_PADDED_DAYS are only
    filled between the first and last days with figures."""
    rows = {}
    for d in series:
        row = {"day": d["day"], "views": int(d["views"]), "engagements": int(d["engagements"]),
               "clicks": int(d["clicks"]), "revenue": units(d["revenue_cents"])}
        if d.get("er_views") is not None:
            row["er"] = round(d["er_views"] * 100, 2)
        rows[row["day"]] = row
    if not rows:
        return []
    first, last = min(rows), max(rows)
    if start or end:
        today_iso = (today or utcnow().date()).isoformat()
        window = (min(start.isoformat(), first) if start else first,
                  max(min(end.isoformat() if end else today_iso, today_iso), last))
        if _span(*window) < MAX_PADDED_DAYS:
            first, last = window
    if _span(first, last) >= MAX_PADDED_DAYS:
        return [rows[day] for day in sorted(rows)]
    zero = {"views": 0, "engagements": 0, "clicks": 0, "revenue": 0.0}
    return [rows.get(day) or {"day": day, **zero} for day in _day_range(first, last)]


def cumulative_line(points: list[dict], first: str, last: str, key: str) -> list[dict]:
    """Running totals [{"day", "cents"}] (services.stats.stats_views timelines) -> [{"day", key}] in
    currency units, drawn from `first` to `last`: an end that is not a point gets the total as of
    that day (the latest point before it, else 0), so one acceptance still draws a line."""
    line = {p["day"]: units(p["cents"]) for p in points}
    if first <= last:
        for day in (first, last):
            if day not in line:
                before = [v for d, v in sorted(line.items()) if d < day]
                line[day] = before[-1] if before else 0.0
    return [{"day": day, key: value} for day, value in sorted(line.items())]


def earnings_line(points: list[dict], start: date | None = None, end: date | None = None,
                  today: date | None = None) -> list[dict]:
    """Cumulative earnings [{"day", "earned"}] from the window's start (or the first acceptance) to
    its end (or today), never past today; nothing earned yet in or before the window: []."""
    if not points:
        return []
    today_iso = (today or utcnow().date()).isoformat()
    return cumulative_line(points, start.isoformat() if start else points[0]["day"],
                           min(end.isoformat(), today_iso) if end else today_iso, "earned")


def spend_line(overview: dict, start: date | None = None, end: date | None = None,
               today: date | None = None) -> list[dict]:
    """Cumulative spend and the budget [{"day", "spend", "budget"}] in currency units, from the
    window's start (or the campaign's) to its end (or the campaign's), never past today."""
    today_iso = (today or utcnow().date()).isoformat()
    first = start.isoformat() if start else overview["start"]
    last = min(end.isoformat() if end else overview["end"], today_iso)
    budget = units(overview["budget_cents"])
    return [{**p, "budget": budget} for p in cumulative_line(overview["spend"], first, last, "spend")]
