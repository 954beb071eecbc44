"""USCC check digits (GB 32100-2015 annex B) and periods."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nengtan.identifiers import IdentifierError, make_uscc, parse_period, uscc_check_char, validate_uscc


def test_published_example_validates() -> None:
    # the example code printed in many explanations of GB 32100-2015
    assert validate_uscc("91350100M000100Y43") == "91350100M000100Y43"


def test_check_digit_by_hand() -> None:
    # 91350100M000100Y4: values 9,1,3,5,0,1,0,0,M=21,0,0,0,1,0,0,Y=30,4
    # weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28
    total = 9 * 1 + 1 * 3 + 3 * 9 + 5 * 27 + 0 * 19 + 1 * 26 + 0 * 16 + 0 * 17 + 21 * 20 + 0 * 29 + 0 * 25 + 0 * 13 \
        + 1 * 8 + 0 * 24 + 0 * 10 + 30 * 30 + 4 * 28
    assert total == 1640
    assert 31 - total % 31 == 3  # 1640 mod 31 = 28 → 31 − 28 = 3
    assert uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(("code", "message"), [
    ("91350100M000100Y44", "check digit '4'"),
    ("91350100M000100Y4", "17 characters"),
    ("91350100M000100YI3", "contains 'I'"),
])
def test_bad_codes(code: str, message: str) -> None:
    with pytest.raises(IdentifierError, match=message):
        validate_uscc(code)


@given(st.integers(min_value=0, max_value=99_999_999))
def test_generated_codes_validate_and_any_change_is_caught(serial: int) -> None:
    code = make_uscc("320115", serial)
    assert validate_uscc(code) == code
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(IdentifierError):
        validate_uscc(wrong)


def test_periods() -> None:
    assert str(parse_period("2025-3")) == "2025-03"
    assert str(parse_period("2025/12")) == "2025-12"
    assert str(parse_period("2025-03-01 00:00")) == "2025-03"
    assert parse_period("2025-05").quarter == 2
    for bad in ("2025-13", "25-01", "March", ""):
        with pytest.raises(IdentifierError):
            parse_period(bad)
