"""Who the owners of an ownership file are: every listed entry each one is (issue #12).

An owner node resolves, in this order:

1. **Entry id** -- the node is an entry id of the store: that entry.
2. **Identifier** -- the node is an LEI (20 characters, ISO 17442 check digits) or carries
   a prefix ``lei:``, ``reg:``, ``regno:``, ``tax:``, ``inn:``, ``ogrn:``, ``swift:``,
   ``bic:``, ``imo:`` or ``id:``: every entry whose identifiers hold that value, compared
   on letters and digits only. A bare id of the user's own ("C-17", "10001") never is,
   so a customer number cannot collide with a listed registration number.
3. **Name** -- every entry on every list whose name or alias the owner's name meets at
   the strict owner bar (:func:`strict_owner_match`), with the score and the listed name
   it matched.

Several entries are normal (one company on the Entity List and the NS-CMIC List, or in
two sources of one list); each ownership rule counts the entries on its own lists. When
they are *different* parties (different names on one list, or no country in common) the
resolution is marked ambiguous and all of them count: never one silently picked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..errors import NotFoundError
from ..exportcontrol import listing_codes
from ..exportcontrol.affiliates import OwnerResolution, ResolvedEntry
from ..matching import Match
from ..model import Entry, Party
from .view import ListView

#: Candidates are looked for at this score; the strict bar (:func:`strict_owner_match`)
#: then decides. Above the screening threshold: owners are named in full in KYC exports.
OWNER_MATCH_THRESHOLD = 0.9

#: A name-only owner must score at least this (after the checks below).
OWNER_MIN_SCORE = 0.95

# Word-pair rules that are near-exact: the same word, a standard abbreviation ("Tech" /
# "Technology"), a romanisation or a spelling variant of one word. Typos, consonant
# skeletons, phonetic prefixes, initials and acronyms are weak evidence for an owner.
_STRICT_RULES = frozenset({"exact", "abbreviation", "romanisation", "spelling"})

# Model features that must be silent: each is a kind of weak evidence (an acronym, a
# reading by consonants or across scripts, a distinctive word or number one side lacks,
# different words in place, near words, one word in common, a person against a company).
_MUST_BE_ZERO = (
    "f_acronym",
    "f_skeleton",
    "f_skeleton_short",
    "f_cross_single",
    "f_cross_script",
    "f_conflicts",
    "f_query_only_count",
    "f_listed_only_count",
    "f_lone_fuzzy",
    "f_short_fuzzy",
    "f_single_pair",
    "f_schema_conflict",
    "f_legal_conflict",
    "number_conflict",
    "weak_alias",
)

_PREFIX = re.compile(r"^(lei|reg|regno|tax|inn|ogrn|swift|bic|imo|id)\s*[:=]\s*(.+)$", re.I)
_LEI = re.compile(r"^[0-9A-Z]{18}[0-9]{2}$")


def strict_owner_match(match: Match) -> bool:
    """True when a name match is strong enough to say an owner *is* the listed party.

    The screening threshold (0.70) is tuned to find a listed party behind a customer's
    misspelt or partial name; an owner in a KYC or ERP export is named in full, and a
    false owner turns into a "blocked" finding, so the bar is near-identity: score 0.95
    or more; every aligned word pair exact or near-exact (:data:`_STRICT_RULES`); no
    distinctive word or number on one side only, and no word at all that only the listed
    name has (a place or generic word only the owner's name has is allowed: "Zhejiang
    Dahua Technology Co., Ltd." is the Entity List's "Dahua Technology"); legal forms the
    same or stated on one side only ("Co., Ltd." = "Company Limited"; a JSC is not taken
    for a PJSC); the country agreeing when both sides state one; and at least two agreeing
    words, unless the whole name, legal form included, is the listed name ("PJSC
    Sberbank").
    """
    f = match.features
    if match.score < OWNER_MIN_SCORE:
        return False
    if any(f.get(key) for key in _MUST_BE_ZERO):
        return False
    if f.get("country") == "disagree" or f.get("legal_forms") not in ("same", "absent"):
        return False
    if f.get("listed_only"):
        # Words the listed name has and the owner's full name lacks make it another
        # listing, typically a subsidiary's ("Huawei Technologies (UK) Co., Ltd.").
        return False
    rules = {r for r in str(f.get("rules", "")).split(",") if r}
    if not rules or rules - _STRICT_RULES:
        return False
    aligned = float(f.get("aligned", 0) or 0)
    whole = f.get("raw") == 1.0 and f.get("legal_forms") == "same"
    return aligned >= 2 or whole


def identifier_value(node: str) -> str | None:
    """The identifier an owner id stands for (see the module docstring), compared on
    letters and digits only; None for an id of the user's own."""
    found = _PREFIX.match(node.strip())
    value = found.group(2) if found else node.strip()
    key = re.sub(r"[^0-9A-Za-z]", "", value).upper()
    if found:
        return key if len(key) >= 5 else None
    return key if _LEI.match(key) and _lei_checks(key) else None


def _lei_checks(key: str) -> bool:
    """ISO 17442 / ISO 7064 MOD 97-10: the LEI read as a number (A=10 ... Z=35) is 1 mod 97."""
    digits = "".join(str(int(c, 36)) for c in key)
    return int(digits) % 97 == 1


def _entry_of(
    view: ListView, entry: Entry, basis: str, match: Match | None = None, matched: str | None = None
) -> ResolvedEntry:
    return ResolvedEntry(
        entry_id=entry.id,
        list=entry.list,
        listed_name=entry.primary_name,
        basis=basis,
        score=match.score if match else None,
        matched_name=match.matched_name if match else matched,
        codes=tuple(sorted(listing_codes(entry))),
    )


def _ambiguity(view: ListView, entries: Iterable[ResolvedEntry]) -> str:
    """Why entries resolved by name are different parties, or ``""``."""
    by_list: dict[str, set[str]] = {}
    countries: list[frozenset[str]] = []
    for item in entries:
        by_list.setdefault(item.list, set()).add(" ".join(item.listed_name.casefold().split()))
        found = frozenset(c.upper() for c in view.entry(item.entry_id).countries)
        if found:
            countries.append(found)
    for code, names in sorted(by_list.items()):
        if len(names) > 1:
            return f"{len(names)} different {code} listings match this name; all are counted"
    if countries and not frozenset.intersection(*countries):
        return "the matching listings have no country in common; all are counted"
    return ""


def identifier_map(view: ListView) -> dict[str, list[str]]:
    """Entry ids by identifier (letters and digits, upper case) over the view's index;
    built once per view by :func:`~.ownership.find_listed_owners` when an owner id is an
    identifier."""
    index = view.matcher()
    out: dict[str, list[str]] = {}
    for entry_id, keys in zip(index.entry_ids, index.entry_identifiers, strict=True):
        for key in keys:
            out.setdefault(key, []).append(entry_id)
    return out


def resolve_owner(
    view: ListView,
    node: str,
    name: str | None,
    *,
    identifiers: dict[str, list[str]] | None = None,
    country: str | None = None,
) -> OwnerResolution | None:
    """Every listed entry one owner node is (see the module docstring); None when none.

    Args:
        view: The lists.
        node: The owner's node id.
        name: The owner's name, when the file gives one.
        identifiers: :func:`identifier_map` of ``view`` (built here when needed and not
            given).
        country: The owner's country (ISO code) when the ownership file states it: a
            listing whose country disagrees is not the owner.
    """
    shown = name or node
    try:
        entry = view.entry(node)
        return OwnerResolution(node, shown, (_entry_of(view, entry, "entry id"),))
    except NotFoundError:
        pass
    key = identifier_value(node)
    if key is not None:
        ids = (identifiers if identifiers is not None else identifier_map(view)).get(key, [])
        found = [
            _entry_of(view, view.entry(entry_id), "identifier", matched=key)
            for entry_id in dict.fromkeys(ids)
        ]
        if found:
            return OwnerResolution(node, shown, tuple(found))
    if not name:
        return None
    query = Party(name=name, country=country)
    matches = view.matcher().screen(query, threshold=OWNER_MATCH_THRESHOLD, limit=50)
    entries = tuple(
        _entry_of(view, view.entry(m.entry_id), "name", match=m)
        for m in matches
        if strict_owner_match(m)
    )
    if not entries:
        return None
    note = _ambiguity(view, entries)
    return OwnerResolution(node, shown, entries, ambiguous=bool(note), note=note)


__all__ = [
    "OWNER_MATCH_THRESHOLD",
    "OWNER_MIN_SCORE",
    "identifier_map",
    "identifier_value",
    "resolve_owner",
    "strict_owner_match",
]
