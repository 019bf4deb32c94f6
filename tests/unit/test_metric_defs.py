"""The metric definitions: written out independently here, zero denominators, formatting, and
spend = the committed figure of the budget panel (never the budget)."""

from __future__ import annotations

import random

import pytest

from brandifiers.services.deals import campaigns
from brandifiers.services.metrics import metric_defs as md
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)
from tests.unit.stats_factories import world


def test_every_definition_has_a_tooltip():
    for key in ("engagements", "er_views", "er_followers", "spend", "cpm", "cpe", "cpc", "roi", "undefined"):
        assert md.DEFINITIONS[key]


def test_random_figures_against_the_written_definitions():
    rng = random.Random(7)
    for _ in range(500):
        f = {k: (0 if rng.random() < 0.2 else rng.randint(1, 10**6)) for k in md.FIGURES}
        spend = 0 if rng.random() < 0.2 else rng.randint(1, 10**7)
        followers = 0 if rng.random() < 0.2 else rng.randint(1, 10**6)
        eng = f["likes"] + f["comments"] + f["shares"] + f["saves"]
        got = md.derived(f, spend_cents=spend, followers=followers)
        assert got["engagements"] == eng
        assert got["er_views"] == (eng / f["views"] if f["views"] else None)
        assert got["er_followers"] == (eng / followers if followers else None)
        assert got["cpm"] == (spend / f["views"] * 1000 if f["views"] else None)
        assert got["cpe"] == (spend / eng if eng else None)
        assert got["cpc"] == (spend / f["clicks"] if f["clicks"] else None)
        assert got["roi"] == ((f["revenue_cents"] - spend) / spend if spend else None)


def test_zero_denominators_are_undefined_not_zero():
    got = md.derived(dict.fromkeys(md.FIGURES, 0), spend_cents=0, followers=0)
    assert got["engagements"] == 0
    assert all(got[k] is None for k in ("er_views", "er_followers", "cpm", "cpe", "cpc", "roi"))
    assert md.roi(500, 0) is None and md.cpm(100, 0) is None and md.safe_div(None, 3) is None


@pytest.mark.parametrize("fmt", [md.format_ratio, md.format_percent, md.format_money])
def test_formatters_show_a_dash_for_undefined(fmt):
    assert fmt(None) == "-"


def test_formatters():
    assert md.format_percent(0.0345) == "3.5%"
    assert md.format_ratio(-0.25) == "-0.25"
    assert md.format_money(1234.6) == "$12.35"
    assert md.format_money(md.cpm(1000, 3)) == "$3,333.33"


def test_spend_is_the_committed_figure_of_the_budget_panel(session):
    w = world(session)
    for c in w.campaigns:
        committed = campaigns.budget_panel(session, c.id)["committed_cents"]
        by_hand = sum(r.payment_cents for r in w.requests
                      if r.campaign_id == c.id and r.status in ("accepted", "in_progress", "submitted", "completed"))
        assert committed == by_hand == md.committed_cents(session, c.id)
        assert by_hand == sum(md.spend_of(r.status, r.payment_cents) for r in w.requests if r.campaign_id == c.id)
        assert committed != c.budget_cents
