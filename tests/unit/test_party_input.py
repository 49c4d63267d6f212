"""The one conversion of user input into a Party (CLI, API, UI, batch rows): birth dates,
identifiers and schemas are checked, and a bad value is a one-line InputError."""

from __future__ import annotations

import pytest

from entityscreen.errors import InputError
from entityscreen.model import (
    MAX_IDENTIFIERS,
    Schema,
    check_birth_date,
    parse_schema,
    party_from_input,
    split_identifiers,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("1970", "1970"),
        ("1970-01", "1970-01"),
        ("1970-01-31", "1970-01-31"),
        (" 1957-03-05 ", "1957-03-05"),
        ("2000-02-29", "2000-02-29"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_birth_dates_accepted(given: str | None, expected: str | None) -> None:
    assert check_birth_date(given) == expected


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("31/01/1970", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("70", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("1970-1-31", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("1970-01-31T00:00", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("circa 1970", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("1970-13", "no such date"),
        ("1970-02-30", "no such date"),
        ("1999-02-29", "no such date"),
        ("1066", "year out of range"),
        ("3000-01-01", "year out of range"),
    ],
)
def test_bad_birth_dates_are_one_line_errors(given: str, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        check_birth_date(given)
    message = str(caught.value)
    assert message.startswith(f"birth date {given!r}: ") and message.endswith(problem)
    assert "\n" not in message


def test_identifiers_split_on_semicolons_stripped_and_deduplicated() -> None:
    assert split_identifiers("AAIN29392; 10978000004482 ;;AAIN29392") == (
        "AAIN29392",
        "10978000004482",
    )
    assert split_identifiers(["OB 0243318", "X1;  Y  2 "]) == ("OB 0243318", "X1", "Y 2")
    assert split_identifiers(None) == () and split_identifiers("  ;  ") == ()


def test_identifiers_have_limits() -> None:
    with pytest.raises(InputError, match="longer than 100 characters"):
        split_identifiers("9" * 101)
    with pytest.raises(InputError, match=f"at most {MAX_IDENTIFIERS}"):
        split_identifiers(";".join(f"ID{n:05}" for n in range(MAX_IDENTIFIERS + 1)))
    with pytest.raises(InputError, match="not text"):
        split_identifiers([12345])  # type: ignore[list-item]


def test_schema_spellings_and_unknown_values() -> None:
    assert parse_schema("company") is Schema.ORGANIZATION
    assert parse_schema("Individual") is Schema.PERSON
    assert parse_schema(Schema.VESSEL) is Schema.VESSEL
    assert parse_schema(None) is Schema.UNKNOWN and parse_schema(" ") is Schema.UNKNOWN
    assert parse_schema("unknown") is Schema.UNKNOWN
    with pytest.raises(InputError, match="unknown schema 'planet'"):
        parse_schema("planet")


def test_party_from_input_builds_the_whole_party() -> None:
    party = party_from_input(
        "  Cranha Danfa ",
        id=" C-1 ",
        schema="person",
        country=" GW ",
        address="",
        aliases=["", " C. Danfa "],
        birth_date="1957-03-05",
        identifiers=["AAIN29392", "AAIN29392;DA0001564"],
    )
    assert party.name == "Cranha Danfa" and party.id == "C-1" and party.country == "GW"
    assert party.schema is Schema.PERSON and party.address is None
    assert party.aliases == ("C. Danfa",)
    assert party.birth_date == "1957-03-05"
    assert party.identifiers == ("AAIN29392", "DA0001564")
    assert party_from_input("Acme").birth_date is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": " "}, "party has no name"),
        ({"name": "A", "birth_date": "yesterday"}, "birth date 'yesterday'"),
        ({"name": "A", "schema": "planet"}, "unknown schema"),
        ({"name": "A", "identifiers": "x" * 500}, "longer than"),
    ],
)
def test_party_from_input_rejects_bad_values(kwargs: dict[str, str], message: str) -> None:
    name = kwargs.pop("name")
    with pytest.raises(InputError, match=message):
        party_from_input(name, **kwargs)


def test_strict_flag_decides_only_what_an_unknown_schema_means() -> None:
    # What a person typed (CLI, API, web form): an unknown schema is an error.
    with pytest.raises(InputError, match="unknown schema 'planet'; use company"):
        party_from_input("Acme", schema="planet")
    # A column of a batch file: read as unknown, like the lists' own spellings.
    assert party_from_input("Acme", schema="planet", strict=False).schema is Schema.UNKNOWN
    assert party_from_input("Acme", schema="Entity", strict=False).schema is Schema.ORGANIZATION
    assert party_from_input("Acme", schema=Schema.VESSEL, strict=False).schema is Schema.VESSEL
    # Every other value is checked alike either way.
    with pytest.raises(InputError, match="birth date"):
        party_from_input("Acme", birth_date="yesterday", strict=False)
