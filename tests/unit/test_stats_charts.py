"""The chart rows of the statistics pages (services/stats/charts.py): a day series
runs over the chosen window with zeros for days without figures (never an invented rate), and
the cumulative spend and earnings lines run from the window's start to its end, never past today."""

from __future__ import annotations

import random
from datetime import date, timedelta

from brandifiers.services.stats.charts import MAX_PADDED_DAYS, cumulative_line, day_rows, earnings_line, spend_line

TODAY = date(2026, 3, 12)


def day(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


def figures(d: str, views: int, engagements: int) -> dict:
    return {"day": d, "views": views, "engagements": engagements, "clicks": 1, "revenue_cents": 250,
            "er_views": engagements / views if views else None}


def test_one_day_of_figures_sits_on_the_windows_axis():
    series = [figures(day(-3), 1000, 50)]
    rows = day_rows(series, TODAY - timedelta(days=5), TODAY + timedelta(days=10), today=TODAY)
    assert [r["day"] for r in rows] == [day(n) for n in range(-5, 1)]  # never past today
    assert rows[2] == {"day": day(-3), "views": 1000, "engagements": 50, "clicks": 1, "revenue": 2.5, "er": 5.0}
    assert all(r == {"day": r["day"], "views": 0, "engagements": 0, "clicks": 0, "revenue": 0.0}
               for r in rows if r["day"] != day(-3))  # zero figures, and no rate at all
    assert day_rows(series, today=TODAY) == [rows[2]]  # all time: the days with figures only
    assert day_rows([], TODAY - timedelta(days=5), TODAY, today=TODAY) == []  # nothing: the chart says so


def test_day_rows_against_a_plain_fill():
    rng = random.Random(3)
    for _ in range(200):
        offsets = sorted(rng.sample(range(-30, 1), rng.randint(1, 6)))
        series = [figures(day(o), rng.choice([0, 10, 500]), rng.randint(0, 9)) for o in offsets]
        start = rng.choice([None, TODAY + timedelta(days=min(offsets) - rng.randint(0, 5))])
        end = rng.choice([None, TODAY + timedelta(days=max(offsets) + rng.randint(0, 5))])
        rows = day_rows(series, start, end, today=TODAY)
        first = start.isoformat() if start else series[0]["day"]
        last = min(end, TODAY).isoformat() if end else (day(0) if start else series[-1]["day"])
        n = (date.fromisoformat(last) - date.fromisoformat(first)).days + 1
        assert [r["day"] for r in rows] == [(date.fromisoformat(first) + timedelta(days=i)).isoformat()
                                           for i in range(n)]
        given = {s["day"]: s for s in series}
        for r in rows:
            s = given.get(r["day"])
            assert r["views"] == (s["views"] if s else 0) and r["engagements"] == (s["engagements"] if s else 0)
            assert ("er" in r) == bool(s and s["views"])


def test_a_very_long_window_is_filled_between_the_days_with_figures_only():
    series = [figures(day(-20), 10, 1), figures(day(-10), 10, 1)]
    rows = day_rows(series, TODAY - timedelta(days=MAX_PADDED_DAYS + 50), TODAY, today=TODAY)
    assert [r["day"] for r in rows] == [day(n) for n in range(-20, -9)]


def test_cumulative_line_carries_the_total_to_the_ends():
    points = [{"day": day(-6), "cents": 40000}, {"day": day(-3), "cents": 70000}]
    line = cumulative_line(points, day(-9), day(-1), "spend")
    assert line == [{"day": day(-9), "spend": 0.0}, {"day": day(-6), "spend": 400.0},
                    {"day": day(-3), "spend": 700.0}, {"day": day(-1), "spend": 700.0}]
    # The window's start carries what was accepted before it (the service's first point).
    assert cumulative_line([{"day": day(-5), "cents": 40000}], day(-5), day(-2), "x") == [
        {"day": day(-5), "x": 400.0}, {"day": day(-2), "x": 400.0}]
    assert cumulative_line(points, day(2), day(1), "x") == [{"day": day(-6), "x": 400.0}, {"day": day(-3), "x": 700.0}]


def test_spend_line_runs_over_the_window_or_the_campaign():
    overview = {"budget_cents": 500000, "start": "2026-03-01", "end": "2026-03-31",
                "spend": [{"day": "2026-03-05", "cents": 40000}, {"day": "2026-03-09", "cents": 70000}]}
    line = spend_line(overview, today=TODAY)
    assert [(p["day"], p["spend"]) for p in line] == [("2026-03-01", 0.0), ("2026-03-05", 400.0),
                                                      ("2026-03-09", 700.0), ("2026-03-12", 700.0)]
    assert {p["budget"] for p in line} == {5000.0}
    after_the_end = spend_line({**overview, "spend": []}, today=date(2026, 5, 1))
    assert [(p["day"], p["spend"]) for p in after_the_end] == [("2026-03-01", 0.0), ("2026-03-31", 0.0)]
    # A window: the service's points of that window, drawn from its start to its end.
    windowed = {**overview, "spend": [{"day": "2026-03-07", "cents": 40000}, {"day": "2026-03-09", "cents": 70000}]}
    line = spend_line(windowed, date(2026, 3, 7), date(2026, 3, 10), today=TODAY)
    assert [(p["day"], p["spend"]) for p in line] == [("2026-03-07", 400.0), ("2026-03-09", 700.0),
                                                      ("2026-03-10", 700.0)]
    before = spend_line({**overview, "spend": []}, date(2026, 2, 1), date(2026, 2, 28), today=TODAY)
    assert [(p["day"], p["spend"]) for p in before] == [("2026-02-01", 0.0), ("2026-02-28", 0.0)]


def test_earnings_line_runs_to_today_or_the_windows_end():
    points = [{"day": day(-4), "cents": 12000}]
    assert earnings_line(points, today=TODAY) == [{"day": day(-4), "earned": 120.0}, {"day": day(0), "earned": 120.0}]
    assert earnings_line(points, TODAY - timedelta(days=8), TODAY - timedelta(days=2), today=TODAY) == [
        {"day": day(-8), "earned": 0.0}, {"day": day(-4), "earned": 120.0}, {"day": day(-2), "earned": 120.0}]
    assert earnings_line([], TODAY - timedelta(days=8), today=TODAY) == []
