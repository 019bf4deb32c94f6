"""CSV injection (OWASP): every text cell a spreadsheet would read as a formula gets a leading ',
whatever invisible characters come first; numbers stay numbers."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from brandifiers.services.common.csv_safe import neutralise, safe_cell

RISKY = ["=1+1", "+1", "-5", "@SUM(A1)", "\t=1", "\r=1", "\n=1", " =1", "  +1", "\x00=1", "\u200b=1",
         "\u200b\u200b@x", "\ufeff=1", "\u00a0-1", "\u202e=1", "＝1+1", "＋1", "－1", "＠x", " ＝1",
         '=HYPERLINK("http://evil","x")']
SAFE = ["plain", "a=b", "5", "1-2", "", " leading space only", "'=already quoted text is still text",
        "e-mail@example.com", "\u200bword"]


@pytest.mark.parametrize("text", RISKY)
def test_a_formula_behind_anything_invisible_is_quoted(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", SAFE)
def test_ordinary_text_is_left_as_it_is(text):
    assert safe_cell(text) == text


def test_numbers_stay_numbers_and_text_numbers_are_quoted():
    frame = pd.DataFrame({"amount": [-5, 3], "ratio": [-0.5, 1.0], "note": ["-5", "ok"],
                          "mixed": pd.Series([-7, " =1"], dtype=object)})
    out = neutralise(frame)
    assert list(out["amount"]) == [-5, 3] and out["amount"].dtype.kind == "i"
    assert list(out["ratio"]) == [-0.5, 1.0]
    assert list(out["note"]) == ["'-5", "ok"]
    assert list(out["mixed"]) == [-7, "' =1"]  # a number inside a text column is still a number
    written = out.to_csv(index=False)
    back = pd.read_csv(io.StringIO(written), dtype=str, keep_default_na=False)
    assert list(back["amount"]) == ["-5", "3"] and list(back["note"]) == ["'-5", "ok"]


def test_every_risky_cell_is_quoted_in_a_frame():
    out = neutralise(pd.DataFrame({"name": RISKY + SAFE}))
    assert list(out["name"]) == ["'" + t for t in RISKY] + SAFE
