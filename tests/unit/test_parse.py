"""The one parsing layer: what a browser sends becomes a value or a DomainError on its field, never a
ValueError, OverflowError or a NUL handed to the database."""

from __future__ import annotations

from datetime import date

import pytest

from brandifiers.services.common import parse
from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.money import parse_cents
from brandifiers.services.common.validation import CollabForm


@pytest.mark.parametrize("value, expected", [("12", 12), (" 7 ", 7), ("1,200", 1200), (5, 5), (3.0, 3), ("-4", -4),
                                             (str(2**63 - 1), 2**63 - 1), ("000000000000000000000042", 42)])
def test_integers(value, expected):
    assert parse.integer(value, "n") == expected


@pytest.mark.parametrize("value, words", [
    ("１２", "digits 0-9"), ("²", "whole number"), ("٣", "digits 0-9"), ("9" * 100_000, "too large"),
    (2**63, "too large"), (str(2**63), "too large"), (-(10**30), "too small"), ("1.5", "whole number"),
    (1.5, "whole number"), (float("nan"), "whole number"), ([1], "text"), ({"a": 1}, "text"), (True, "text"),
    ("a\x00b", "NUL"), ("\ud800", "not valid text"), ("", "required"), (None, "required"), ("1-2", "whole number"),
])
def test_integer_refusals_are_messages_on_the_field(value, words):
    with pytest.raises(DomainError) as err:
        parse.integer(value, "n", "Followers")
    assert err.value.field == "n" and words in err.value.message


def test_minimum_and_maximum():
    with pytest.raises(DomainError, match="cannot be negative"):
        parse.integer("-1", "n", minimum=0)
    with pytest.raises(DomainError, match="too large"):
        parse.integer("11", "n", maximum=10)


@pytest.mark.parametrize("value, expected", [("5", 5), (5, 5), ("0", 0), (-1, 0), (2**63, 0), (str(2**63), 0),
                                             (2**31 - 1, 2**31 - 1), (2**31, 0), ("3000000000", 0),
                                             ("１", 0), (None, 0), ("x", 0), ({"a": 1}, 0), ("a\x00", 0)])
def test_record_ids_that_cannot_exist_are_zero(value, expected):
    assert parse.record_id(value) == expected


@pytest.mark.parametrize("value, words", [("9999-12-31", "between"), ("1999-12-31", "between"),
                                          ("0000-00-00", "YYYY-MM-DD"), ("2025-02-30", "YYYY-MM-DD"),
                                          ("２０２５-01-01", "YYYY-MM-DD"), ("2025-1-1", "YYYY-MM-DD"),
                                          ("2025-01-01\x00", "NUL"), ([], "text")])
def test_date_refusals(value, words):
    with pytest.raises(DomainError) as err:
        parse.day(value, "d")
    assert err.value.field == "d" and words in err.value.message


def test_dates_and_months_accepted():
    assert parse.day(" 2025-03-31 ") == date(2025, 3, 31)
    assert parse.day("", required=False) is None and parse.day(date(2030, 1, 1)) == date(2030, 1, 1)
    assert parse.month("2025-03") == "2025-03"
    for bad in ("9999-12", "2025-13", "2025-00", "２０２５-01", "2025-3"):
        with pytest.raises(DomainError):
            parse.month(bad, "month")


def test_text_takes_scalars_and_refuses_the_rest():
    assert parse.text(None) == "" and parse.text(12) == "12" and parse.text("héllo ‮") == "héllo ‮"
    for bad in ([], {}, True, "a\x00", "\udc80"):
        with pytest.raises(DomainError):
            parse.text(bad, "f")


def test_forms_put_hostile_values_next_to_their_fields():
    form = CollabForm({"name": "a\x00b", "count": "9" * 5000, "when": "9999-12-31", "amount": 5, "pick": ["x"],
                       "password": 12345678})
    form.text("name", "Name", max_len=50)
    form.count("count", "Count")
    form.date("when", "Start")
    form.choice("pick", "Status", ["x"])
    assert form.amount("amount") == 500
    assert form.password("password") == "12345678"  # a number sent for a password is its text
    assert set(form.errors) == {"name", "count", "when", "pick"}


@pytest.mark.parametrize("value", ["１２", "1" + "0" * 5000, "²", ["1"], "1\x00"])
def test_amounts_are_ascii_numbers(value):
    with pytest.raises(DomainError):
        parse_cents(value, "amount")
