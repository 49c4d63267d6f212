"""Unicode normalisation: the pipeline of entityscreen.names.normalize."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entityscreen.errors import InputError
from entityscreen.names import MAX_NAME_LENGTH, normalize_text
from entityscreen.names.normalize import MAX_INPUT_LENGTH, normalize_runs

names = st.text(min_size=1, max_size=60).filter(lambda s: any(c.isalnum() for c in s))


@settings(max_examples=200, deadline=None)
@given(names)
def test_normalising_twice_equals_once(name: str) -> None:
    """Idempotence: normalize_text(normalize_text(x)) == normalize_text(x)."""
    try:
        once = normalize_text(name)
    except InputError:
        return
    assert normalize_text(once) == once


@settings(max_examples=100, deadline=None)
@given(names)
def test_result_is_lower_case_ascii_with_single_spaces(name: str) -> None:
    try:
        out = normalize_text(name)
    except InputError:
        return
    assert out.isascii()
    assert out == out.lower()
    assert "  " not in out
    assert out == out.strip()


def test_case_and_whitespace_do_not_matter() -> None:
    assert normalize_text("  ACME\t Trading\n") == normalize_text("acme trading")


def test_control_and_format_characters_are_removed() -> None:
    assert normalize_text("AC\u0000ME\u200b Co\x07rp") == "acme corp"


def test_compatibility_forms_fold() -> None:
    assert normalize_text("Ｈｉｋｖｉｓｉｏｎ ﬁrm") == "hikvision firm"


def test_han_becomes_pinyin_syllables() -> None:
    assert normalize_text("华为技术") == "hua wei ji shu"


def test_scripts_are_transliterated() -> None:
    assert normalize_text("Сбербанк") == "sberbank"
    assert normalize_text("Νικόλαος") == "nikolaos"
    assert normalize_text("Straße") == "strasse"


def test_script_class_is_kept_per_run() -> None:
    runs = normalize_runs("محمد Ali")
    assert runs[0][1] == "abjad"


@pytest.mark.parametrize("bad", ["", "   ", "\u200b\u0000"])
def test_empty_names_are_refused(bad: str) -> None:
    with pytest.raises(InputError):
        normalize_text(bad)


def test_huge_names_are_refused_fast() -> None:
    with pytest.raises(InputError):
        normalize_text("a" * 10_000_000)


def test_names_too_long_after_normalisation_are_refused() -> None:
    with pytest.raises(InputError):
        normalize_text("ab " * (MAX_NAME_LENGTH // 2))
    assert MAX_INPUT_LENGTH > MAX_NAME_LENGTH


def test_input_error_is_a_value_error_subclass_of_our_tree() -> None:
    with pytest.raises(InputError) as info:
        normalize_text(123)  # type: ignore[arg-type]
    assert "string" in str(info.value)
