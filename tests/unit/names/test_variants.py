"""Several names packed in one string: former names, aliases, labels, qualifiers."""

from __future__ import annotations

import pytest

from entityscreen.names import analyze_name
from entityscreen.names.variants import looks_inverted, split_variants, strip_label


def test_former_names() -> None:
    variants = split_variants("mv karachi crescent (ex mandvi bay, ex wanshan pearl)")
    assert [v.main for v in variants] == ["mv karachi crescent", "mandvi bay", "wanshan pearl"]
    assert [v.former for v in variants] == [False, True, True]


def test_former_name_markers() -> None:
    for text in (
        "nordbryggen as (f.k.a. bryggen paint as)",
        "beirut cedar sal, f.k.a. bryggen paint as",
        "olmsbury grain corporation f/k/a bryggen paint as",
        "dalgleish rope works ltd, formerly bryggen paint as",
    ):
        variants = split_variants(text)
        assert variants[-1].main == "bryggen paint as", text
        assert variants[-1].former


def test_year_after_a_former_name_is_dropped() -> None:
    variants = split_variants("theodosia k (ex-lindos harrier until 2019)")
    assert variants[1].main == "lindos harrier"


def test_aliases_are_current_names() -> None:
    variants = split_variants("acme trading a.k.a. acme export")
    assert variants[1].main == "acme export" and not variants[1].former


def test_ex_at_the_start_is_not_a_marker() -> None:
    assert len(split_variants("ex-im bank of china")) == 1


def test_labels() -> None:
    assert strip_label("beneficiary: acme ltd") == "acme ltd"
    assert strip_label("field 59: acme ltd") == "acme ltd"
    assert strip_label("attention span: acme") == "attention span: acme"


def test_qualifiers() -> None:
    variant = split_variants("kisumu motors ltd (kakamega branch)")[0]
    assert variant.qualifiers == ("kakamega branch",)
    variant = split_variants("soja paranaense, santos")[0]
    assert variant.qualifiers == ("santos",)


def test_comma_before_a_legal_form_is_not_a_qualifier() -> None:
    variant = split_variants("bowne of atlanta, inc.")[0]
    assert variant.qualifiers == ()


def test_person_names_with_a_comma_are_inverted() -> None:
    assert looks_inverted("smith, john")
    assert not looks_inverted("acme, trading ltd")
    tokens = [t.text for t in analyze_name("SMITH, John").forms[0].tokens]
    assert tokens == ["john", "smith"]
    # What precedes the comma is a family name: a title or particle there belongs to it.
    kinds = [(t.text, t.kind.value) for t in analyze_name("AL-SHAYKH, Diyab").forms[0].tokens]
    assert kinds == [("diyab", "word"), ("al", "stop"), ("shaykh", "word")]
    assert split_variants("soja paranaense, santos", person=None)[0].qualifiers == ()
    assert split_variants("smith, john", person=True)[0].qualifiers == ()


@pytest.mark.parametrize(
    ("name", "shared"),
    [
        ("Acme Trading Ltd", True),
        ("Rosoboronexport, JSC", True),  # a legal form: no "LAST, First" shape
        ("SMITH, John", False),  # unknown: read as "John SMITH"
        ("Sammy (Ihsan Medhat) Elashi", False),  # the bracket leaves a comma: inverted
    ],
)
def test_unknown_names_share_the_analysis_of_organisations_where_their_variants_agree(
    name: str, shared: bool
) -> None:
    unknown, organisation = analyze_name(name, person=None), analyze_name(name, person=False)
    assert (unknown is organisation) is shared
    assert (unknown.forms[0].text == organisation.forms[0].text) is shared
