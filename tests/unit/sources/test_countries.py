"""Country names to codes without countrynames/PyICU: the compiled table resolves what
lists write (English, native scripts, demonyms, codes) and no more than it should."""

from __future__ import annotations

import pytest

from entityscreen.sources.base import country_code
from entityscreen.sources.countries import native_key, normalize, to_code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Korea, North", "KP"),
        ("DPRK", "KP"),
        ("조선민주주의인민공화국", "KP"),
        ("Burma", "MM"),
        ("Iran (Islamic Republic of)", "IR"),
        ("ایران", "IR"),
        ("Russian Federation", "RU"),
        ("Россия", "RU"),
        ("Russian", "RU"),
        ("中华人民共和国", "CN"),
        ("Chinese", "CN"),
        ("Côte d’Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("Syrian Arab Republic", "SY"),
        ("Virgin Islands, British", "VG"),
        ("Deutschland", "DE"),
        ("Türkiye", "TR"),
        ("United Arab Emirates", "AE"),
        ("عمان", "OM"),  # Oman: transliterated it would read as Mongolia's code "MN"
        ("HND", "HN"),  # Honduras' alpha-3, not a transliterated Hindi name of India
        ("cn", "CN"),
        ("Beijing", "CN"),  # a subdivision keeps its country
        ("Crimea region of Ukraine", "UA"),
        ("Kosovo", "XK"),
    ],
)
def test_names_lists_write_resolve_to_their_country(name: str, code: str) -> None:
    assert country_code(name) == code


@pytest.mark.parametrize("name", ["Africa", "unknown", "stateless", "N/A", "", "  ", None])
def test_regions_and_placeholders_name_no_country(name: str | None) -> None:
    assert country_code(name) is None


def test_the_table_keeps_subdivisions_and_former_countries() -> None:
    assert to_code("Beijing") == "CN-BJ"
    assert to_code("Soviet Union") == "SUHH"
    assert to_code("Yugoslavia") == "YUCS"


def test_normal_forms() -> None:
    assert normalize("  Côte d’Ivoire ") == "cote d ivoire"
    assert normalize("Россия") == "rossiya"
    assert native_key("Россия") == "россия"
    assert native_key("Côte d’Ivoire") is None  # Latin letters: the transliteration decides
    assert native_key("टोगो") == "टोगो"  # vowel signs (marks) are kept
