import pytest

from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.money import format_cents, parse_cents


@pytest.mark.parametrize(("text", "cents"), [("1500", 150000), ("1,500.5", 150050), ("$12.34", 1234),
                                              ("0", 0), (" 7.05 ", 705)])
def test_parse(text, cents):
    assert parse_cents(text, "amount") == cents


@pytest.mark.parametrize(("text", "fragment"), [("-1", "negative"), ("1.234", "two decimals"),
                                                 ("abc", "number"), ("", "Enter an amount"),
                                                 ("1e30", "too large"), ("nan", "number")])
def test_parse_refuses(text, fragment):
    with pytest.raises(DomainError) as err:
        parse_cents(text, "amount")
    assert fragment in err.value.message and err.value.field == "amount"


def test_optional_empty_is_none():
    assert parse_cents("", "amount", required=False) is None


def test_format():
    assert format_cents(123456789) == "$1,234,567.89"
    assert format_cents(None) == "-"
