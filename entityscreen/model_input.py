"""User input to a :class:`~entityscreen.model.Party`: the checks of every front end.

:func:`party_from_input` is the one conversion of what a user gives (CLI options, API
fields, the web form, batch and registry rows) into a party, with the checks of birth
dates, identifiers and schemas, each failure a one-line
:class:`~entityscreen.errors.InputError`. Kept apart from the values themselves
(:mod:`entityscreen.model_parties`), which lists and the store build without these
checks. Re-exported by :mod:`entityscreen.model`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from .errors import InputError
from .model_parties import Party, Schema

_BIRTH_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
#: Most identifiers one party may give, and the longest one (a 10 kB "passport" is an error).
MAX_IDENTIFIERS = 20
MAX_IDENTIFIER_CHARS = 100


def check_birth_date(value: str | None) -> str | None:
    """A birth date as given by a user: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, a real
    date between 1800 and next year; None when blank.

    Raises:
        InputError: Anything else (one line, naming the value).
    """
    text = (value or "").strip()
    if not text:
        return None
    match = _BIRTH_DATE.fullmatch(text)
    problem = "use YYYY, YYYY-MM or YYYY-MM-DD"
    if match:
        year = int(match.group(1))
        try:
            date(year, int(match.group(2) or 1), int(match.group(3) or 1))
        except ValueError:
            problem = "no such date"
        else:
            if 1800 <= year <= date.today().year + 1:
                return text
            problem = "year out of range"
    raise InputError(f"birth date {text[:40]!r}: {problem}")


def split_identifiers(values: str | Iterable[str] | None) -> tuple[str, ...]:
    """Identifiers as given by a user: one string with ``;`` between numbers, or several
    strings (each may hold ``;``); stripped, blanks and repeats dropped, order kept.

    Raises:
        InputError: More than :data:`MAX_IDENTIFIERS`, or one longer than
            :data:`MAX_IDENTIFIER_CHARS`.
    """
    if values is None:
        return ()
    items = [values] if isinstance(values, str) else list(values)
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise InputError(f"identifier {item!r}: not text")
        for part in item.split(";"):
            value = " ".join(part.split())
            if len(value) > MAX_IDENTIFIER_CHARS:
                raise InputError(
                    f"identifier {value[:20]!r}...: longer than {MAX_IDENTIFIER_CHARS} characters"
                )
            if value and value not in out:
                out.append(value)
    if len(out) > MAX_IDENTIFIERS:
        raise InputError(f"{len(out)} identifiers; at most {MAX_IDENTIFIERS}")
    return tuple(out)


def parse_schema(value: str | Schema | None) -> Schema:
    """A schema as given by a user; blank is unknown.

    Raises:
        InputError: A value that names no schema.
    """
    if isinstance(value, Schema):
        return value
    if value is None or not value.strip():
        return Schema.UNKNOWN
    schema = Schema.parse(value)
    if schema is Schema.UNKNOWN and value.strip().lower() != "unknown":
        raise InputError(
            f"unknown schema {value[:40]!r}; use company, organization, person, vessel or aircraft"
        )
    return schema


def party_from_input(
    name: str,
    *,
    id: str | None = None,
    schema: str | Schema | None = None,
    country: str | None = None,
    address: str | None = None,
    aliases: Iterable[str] = (),
    birth_date: str | None = None,
    identifiers: str | Iterable[str] | None = None,
    strict: bool = True,
) -> Party:
    """The one conversion of user input (CLI options, API fields, UI form, batch rows, yente
    queries) into a :class:`Party`: values stripped, blanks to None, schema, birth date and
    identifiers checked (:func:`parse_schema`, :func:`check_birth_date`,
    :func:`split_identifiers`).

    Args:
        strict: True (what a person typed: CLI, API, the web form): a schema that names no
            kind of party is an error. False (a column of a batch or registry file, where
            other tools write kinds of their own): it is read as unknown, as
            :meth:`Schema.parse` reads the lists' own spellings.

    Raises:
        InputError: The first invalid value, in one line.
    """
    if not name or not name.strip():
        raise InputError("party has no name")

    def text(value: str | None) -> str | None:
        return value.strip() or None if value else None

    return Party(
        name=name.strip(),
        id=text(id),
        schema=parse_schema(schema) if strict else _lenient_schema(schema),
        country=text(country),
        address=text(address),
        aliases=tuple(a.strip() for a in aliases if a and a.strip()),
        birth_date=check_birth_date(birth_date),
        identifiers=split_identifiers(identifiers),
    )


def _lenient_schema(value: str | Schema | None) -> Schema:
    return value if isinstance(value, Schema) else Schema.parse(value)


__all__ = [
    "MAX_IDENTIFIERS",
    "MAX_IDENTIFIER_CHARS",
    "check_birth_date",
    "parse_schema",
    "party_from_input",
    "split_identifiers",
]
