"""The lists an entry can be on: their names, authorities and what a listing means.

Read from ``data/lists.yml``; an unknown list code gets a generic description (its code
as its name) rather than an error, so a new source never breaks a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from ._data import DataFileError, load_data, read_mapping


class ListKind(StrEnum):
    """Which kind of verdict a list's entries get."""

    BIS_END_USER = "bis_end_user"
    BIS_UVL = "bis_uvl"
    BIS_DPL = "bis_dpl"
    OFAC_BLOCKING = "ofac_blocking"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class ListInfo:
    """One list.

    Attributes:
        code: The list code (:attr:`entityscreen.model.Entry.list`).
        name: Full name ("Entity List").
        authority: Who publishes it ("BIS", "OFAC").
        kind: Which verdict applies.
        short: Short name for verdicts ("OFAC SDN"); the name when not given.
        citation: Where the list is in the regulations, if recorded.
        consequence: What a listing means, for lists whose entries state no requirement.
        parties: How owners on this list are named in ownership findings.
        max_age_days: Age limit of a copy of the list before answers warn that it is
            stale; None for the default (settings).
    """

    code: str
    name: str
    authority: str | None
    kind: ListKind
    short: str
    citation: str | None = None
    consequence: str | None = None
    parties: str = ""
    max_age_days: int | None = None

    def __post_init__(self) -> None:
        if not self.parties:
            object.__setattr__(self, "parties", f"parties on the {self.name}")


@cache
def load_lists() -> dict[str, ListInfo]:
    """Every list described in ``data/lists.yml``, by code.

    Raises:
        DataFileError: When the file is malformed.
    """
    out: dict[str, ListInfo] = {}
    for code, raw in read_mapping(load_data("lists.yml"), where="lists.yml").items():
        item = read_mapping(raw, where=f"lists.yml {code}")
        try:
            kind = ListKind(item.get("kind", "other"))
        except ValueError as exc:
            raise DataFileError(f"lists.yml {code}: unknown kind {item.get('kind')!r}") from exc
        name = str(item["name"])
        max_age = item.get("max_age_days")
        if max_age is not None and (not isinstance(max_age, int) or max_age < 0):
            raise DataFileError(f"lists.yml {code}: max_age_days must be a whole number of days")
        out[code] = ListInfo(
            code=code,
            name=name,
            authority=item.get("authority"),
            kind=kind,
            short=str(item.get("short") or name),
            citation=item.get("citation"),
            consequence=item.get("consequence"),
            parties=str(item.get("parties") or ""),
            max_age_days=max_age,
        )
    return out


def get_list(code: str) -> ListInfo:
    """The description of list ``code``; a generic one for a code not in the data file."""
    return load_lists().get(code) or ListInfo(code, code, None, ListKind.OTHER, code)


__all__ = ["ListInfo", "ListKind", "get_list", "load_lists"]
