"""Stored codes shown to people as words: status_label("in_progress") -> "in progress"."""

from __future__ import annotations


def status_label(value) -> str:
    """A status (or any stored code) as words; the browser side is components.cards.status_words."""
    return "" if value is None else str(value).replace("_", " ")
