"""Stored codes shown as words: the server-side helper and the browser-side one agree."""

from __future__ import annotations

import reflex as rx

from brandifiers.components.cards import status_words
from brandifiers.models import AdRequestStatus, CampaignStatus, UserStatus
from brandifiers.services.common.labels import leading_status_label, status_label


def test_every_status_reads_as_words():
    values = [s.value for enum in (AdRequestStatus, CampaignStatus, UserStatus) for s in enum]
    assert status_label("in_progress") == "in progress"
    assert status_label(AdRequestStatus.IN_PROGRESS) == "in progress"
    assert status_label("budget_cents") == "budget cents" and status_label(None) == ""
    assert all("_" not in status_label(v) for v in values)
    assert [status_label(v) for v in values if "_" not in v] == [v for v in values if "_" not in v]


def test_a_stored_change_reads_its_leading_status_as_words():
    assert leading_status_label("in_progress") == "in progress"
    assert leading_status_label("in_progress, flagged: late_post") == "in progress, flagged: late_post"
    for kept in ("ann_lee@example.com", '{"company_name": "x"}', "flagged: in_progress", "accepted", ""):
        assert leading_status_label(kept) == kept
    assert leading_status_label(None) == ""


def test_the_badge_replaces_every_underscore_in_the_browser():
    js = str(status_words(rx.Var.create("a_b_c")))
    assert "replaceAll" in js and '"_"' in js and '" "' in js
