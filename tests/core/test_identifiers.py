import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from chuangfu.core.identifiers import (
    birth_date_from_id,
    compose_id_number,
    compose_uscc,
    gender_from_id,
    organisation_code_is_valid,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)


@pytest.mark.parametrize(
    "value", ["11010519491231002X", "440524188001010014", "11010519491231002x", " 11010519491231002X "]
)
def test_published_id_samples_pass_including_abolished_area_codes(value):
    assert validate_id_number(value) == value.strip().upper()


def test_full_width_and_separators_are_normalised():
    assert validate_id_number("１１０１０５ １９４９１２３１ ００２Ｘ") == "11010519491231002X"


@pytest.mark.parametrize(
    "value, code, fragment",
    [
        ("110105194912310021", "check", "校验位"),
        ("1101051949123100", "length", "18 位"),
        ("110105491231002", "obsolete", "15 位"),
        ("11010519490230002X", "date", "出生日期"),
        ("1101051949123A002X", "character", "数字"),
        ("", "empty", "不能为空"),
    ],
)
def test_wrong_id_numbers_say_what_is_wrong(value, code, fragment):
    with pytest.raises(ValidationError) as err:
        validate_id_number(value)
    assert err.value.code == code
    assert fragment in err.value.messages[0]


def test_check_error_names_the_expected_character():
    with pytest.raises(ValidationError) as err:
        validate_id_number("110105194912310021")
    assert "应为 X" in err.value.messages[0]


@given(
    st.dates(min_value=datetime.date(1930, 1, 1), max_value=datetime.date(2010, 12, 31)),
    st.integers(0, 999),
    st.sampled_from(["310115", "440524", "810000", "820000", "830000", "999999"]),
)
def test_every_composed_id_number_validates_and_yields_its_birth_date_and_gender(birth, seq, area):
    value = compose_id_number(area, birth, seq)
    assert validate_id_number(value) == value
    assert birth_date_from_id(value) == birth
    assert gender_from_id(value) == ("M" if seq % 2 else "F")


@given(
    st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2005, 1, 1)),
    st.integers(0, 999),
    st.integers(0, 16),
    st.sampled_from("0123456789X"),
)
def test_changing_any_one_digit_is_caught(birth, seq, position, replacement):
    value = compose_id_number("310115", birth, seq)
    if value[position] == replacement or replacement == "X":
        return
    mutated = value[:position] + replacement + value[position + 1 :]
    with pytest.raises(ValidationError):
        validate_id_number(mutated)


@pytest.mark.parametrize("value", ["91350100M000100Y43", "91350100m000100y43"])
def test_published_uscc_sample_passes(value):
    assert validate_uscc(value) == "91350100M000100Y43"


@pytest.mark.parametrize(
    "value, code",
    [
        ("91350100M000100Y44", "check"),
        ("91350100M000100Y4", "length"),
        ("91350100M00O100Y43", "character"),
        ("9135010IM000100Y43", "character"),
        ("", "empty"),
    ],
)
def test_wrong_usccs_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as err:
        validate_uscc(value)
    assert err.value.code == code


@given(st.sampled_from(["91", "92", "93", "52", "Y1", "N2", "A1"]), st.integers(0, 99_999_999))
def test_composed_usccs_validate_also_with_letter_prefixes(prefix, number):
    value = compose_uscc(prefix, "310115", number)
    assert validate_uscc(value) == value
    assert organisation_code_is_valid(value[8:17])


@pytest.mark.parametrize("value", ["13812345678", "+86 138-1234-5678", "008613812345678", "１３８１２３４５６７８"])
def test_mobiles_are_normalised(value):
    assert validate_mobile(value) == "13812345678"


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "138123456789", "abc", ""])
def test_bad_mobiles_are_refused(value):
    with pytest.raises(ValidationError):
        validate_mobile(value)
