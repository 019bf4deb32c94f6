"""Performance statistics: shared shaping (cards with their definitions, chart rows, the date
window), the influencer's Performance page (day form, charts) and the CSV import of figures.

Every figure comes from services.stats.stats (rollups only); every write goes through
services.metrics.metrics / services.metrics.metrics_csv, which check role and ownership. Charts get numbers
(money as floats of currency units, rates as percents); cards get the formatted text, where
an undefined ratio is "-".
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import reflex as rx

from brandifiers.clock import utcnow
from brandifiers.services.metrics import metrics, metrics_csv
from brandifiers.services.stats import stats, stats_views
from brandifiers.services.common.errors import ValidationFailed
from brandifiers.services.metrics.metric_defs import DEFINITIONS, format_money, format_percent, format_ratio
from brandifiers.state.base import RoleState

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
               "likes_over_views": "More likes than views", "before_submission": "Figures before the post"}


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


def units(cents) -> float:
    """Cents as a float of currency units, for charts only."""
    return round(int(cents or 0) / 100, 2)


MAX_PADDED_DAYS = 400


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


def refreshed_text(iso: str | None) -> str:
    return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M UTC") if iso else "never"


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


class WindowState(rx.State, mixin=True):
    """A date window (inclusive, "" = open) applied with a button; the state's `load` reads it."""

    start: str = ""
    end: str = ""
    window_version: int = 0

    @rx.event
    def apply_range(self, form_data: dict):
        self._clear_form()
        start, end = (str(form_data.get(k) or "").strip() for k in ("start", "end"))
        try:
            parse_window(start, end)
        except ValidationFailed as exc:
            self._show_error(exc)
            return None
        self.start, self.end = start, end
        return type(self).load

    @rx.event
    def all_time(self):
        self._clear_form()
        self.start, self.end = "", ""
        self.window_version += 1
        return type(self).load

    def _window(self):
        return parse_window(self.start, self.end)


def _influencer_page(session, actor_id, start, end) -> tuple[dict, list, list]:
    return (stats.influencer_stats(session, actor_id, start, end), stats_views.my_deliverables(session, actor_id),
            stats_views.earnings_timeline(session, actor_id, start, end))


def earnings_line(points: list[dict], start: date | None = None, end: date | None = None,
                  today: date | None = None) -> list[dict]:
    """Cumulative earnings [{"day", "earned"}] from the window's start (or the first acceptance) to
    its end (or today), never past today; nothing earned yet in or before the window: []."""
    if not points:
        return []
    today_iso = (today or utcnow().date()).isoformat()
    return cumulative_line(points, start.isoformat() if start else points[0]["day"],
                           min(end.isoformat(), today_iso) if end else today_iso, "earned")


def deliverable_options(rows: list[dict]) -> list[dict[str, str]]:
    return [{"id": str(d["id"]), "label": f"{d['campaign']} · {d['post_url']}", "campaign": d["campaign"],
             "post_url": d["post_url"], "platform": d["platform"], "influencer": d["influencer"]} for d in rows]


class InfluencerStatsState(WindowState, RoleState):
    deliverables: list[dict[str, str]] = []
    days: list[dict] = []
    earnings: list[dict] = []
    period_cards: list[dict[str, str]] = []
    total_cards: list[dict[str, str]] = []
    refreshed: str = ""
    saved: str = ""
    warnings: list[str] = []
    form_version: int = 0
    # The day form's defaults: today (UTC) and the post last saved, to enter the next day quickly.
    today: str = ""
    last_deliverable: str = ""

    @rx.event
    def load(self):
        start, end = self._window()
        ok, found = self._call(lambda s, a: _influencer_page(s, a, start, end))
        if not ok:
            return
        data, mine, earned = found
        self.deliverables = deliverable_options(mine)
        self.days = day_rows(data["series"], start, end)
        self.earnings = earnings_line(earned, start, end)
        self.period_cards = cards(data["period"], ("views", "engagements", "er_views", "er_followers", "clicks"),
                                  "period")
        earnings = {**cards(data["totals"], ("spend_cents",), "total")[0], "label": "Earnings",
                    "id": "total-earnings", "hint": "Agreed payment of your requests accepted or later."}
        self.total_cards = cards(data["totals"], ("views", "engagements", "er_views", "revenue_cents"),
                                 "total") + [earnings]
        self.refreshed = refreshed_text(data["last_refreshed"])
        self.today = utcnow().date().isoformat()

    @rx.event
    def save_day(self, form_data: dict):
        self._clear_form()
        self.saved, self.warnings = "", []
        raw_id = str(form_data.get("deliverable_id") or "")
        if not raw_id.isdigit():
            self.errors = {"deliverable_id": "Choose one of your posts."}
            return None
        ok, result = self._call(metrics.enter_day, int(raw_id), form_data.get("day"), form_data)
        if not ok:
            return None
        self.warnings = list(result.warnings)
        post = next((d["label"] for d in self.deliverables if d["id"] == raw_id), f"deliverable {raw_id}")
        self.saved = (f"{'Replaced' if result.replaced else 'Saved'} the figures of {result.snapshot.day} for "
                      f"{post}. The charts show them after the next refresh (every few minutes).")
        self.last_deliverable = raw_id
        self.form_version += 1
        return rx.toast.success("Figures saved.")


def _accepted_text(r: dict) -> str:
    f = r["figures"]
    text = (f"Deliverable {r['deliverable_id']}, {r['day']}: {f['views']:,} views, {f['likes']:,} likes, "
            f"{f['clicks']:,} clicks, revenue {format_money(f['revenue_cents'])}")
    return text + ("".join(f" ⚠ {w}" for w in r["warnings"]))


SHOWN_ROWS = 50


class CsvImportState(RoleState):
    """Upload a CSV of daily figures (influencer: its posts; sponsor: its campaigns' posts)."""

    mode: str = "valid_only"
    accepted: list[dict[str, str]] = []
    rejected: list[dict[str, str]] = []
    summary: str = ""
    more: str = ""
    has_result: bool = False
    _all_rejected: list[dict] = []

    @rx.event
    def set_mode(self, mode: str):
        self.mode = mode if mode in metrics_csv.MODES else "valid_only"

    @rx.event
    def clear(self):
        """On page load: no result of another page's import lingers."""
        self.mode = "valid_only"
        self._clear_result()

    @rx.event
    def download_template(self):
        return rx.download(data=metrics_csv.csv_template().decode(), filename="brandifiers-figures-template.csv")

    @rx.event
    def download_rejected(self):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["row", "reason"])
        writer.writerows([r["row"], r["reason"]] for r in self._all_rejected)
        return rx.download(data=out.getvalue(), filename="brandifiers-rejected-rows.csv")

    def _clear_result(self) -> None:
        self.accepted, self.rejected, self._all_rejected = [], [], []
        self.summary, self.more, self.has_result = "", "", False

    @rx.event
    def file_refused(self, rejected: list[dict]):
        self._clear_form()
        self._files_refused("file", rejected, "choose a .csv file (the template is one).")

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):
        self._clear_form()
        self._clear_result()
        if not files:
            self.errors = {"file": "Choose a CSV file first."}
            return None
        content = await files[0].read()
        ok, result = self._call(metrics_csv.import_csv, content, mode=self.mode)
        if not ok:
            return None
        self._show_result(result)
        return rx.toast.success(self.summary) if result.written else rx.toast.warning(self.summary)

    def _show_result(self, result) -> None:
        self._all_rejected = list(result.rejected)
        self.accepted = [{"row": str(r["row"]), "text": _accepted_text(r)} for r in result.accepted[:SHOWN_ROWS]]
        self.rejected = [{"row": str(r["row"]), "reason": r["reason"]} for r in result.rejected[:SHOWN_ROWS]]
        n_ok, n_bad = len(result.accepted), len(result.rejected)
        if result.mode == "all_or_nothing" and n_bad:
            self.summary = (f"Nothing was written: {n_bad:,} row(s) rejected, so none of the {n_ok:,} valid "
                            "row(s) were applied (all or nothing).")
        else:
            self.summary = (f"{result.written:,} row(s) written ({result.replaced:,} replaced earlier figures), "
                            f"{n_bad:,} rejected.")
        hidden = [f"{n - SHOWN_ROWS:,} more {what}" for n, what in ((n_ok, "accepted"), (n_bad, "rejected"))
                  if n > SHOWN_ROWS]
        self.more = ("Showing the first 50 of each list; " + " and ".join(hidden) + " row(s) not listed here"
                     + (": download every rejected row below." if n_bad > SHOWN_ROWS else ".")) if hidden else ""
        self.has_result = True
