"""Stored codes shown to people as words: status_label("in_progress") -> "in progress"."""

from __future__ import annotations

import re

# A code at the start of a stored text, ended by the text's end, a comma or a colon.
_LEADING_CODE = re.compile(r"^[a-z]+(?:_[a-z]+)+(?=$|[,:])")


def status_label(value) -> str:
    """A status (or any stored code) as words; the browser side is components.cards.status_words."""
    return "" if value is None else str(value).replace("_", " ")


def leading_status_label(text) -> str:
    """A stored text whose first word may be a status, with that status as words:
    "in_progress, flagged: late" -> "in progress, flagged: late". E-mails, JSON and free text stay as they are."""
    text = "" if text is None else str(text)
    return _LEADING_CODE.sub(lambda m: status_label(m.group()), text, count=1)
