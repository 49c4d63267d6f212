"""One listing, several sources: which entries are the same listing, which source speaks
for a list, and how two copies of a listing (or two sources of a whole list) disagree.

The same listed party reaches the store through several sources: an SDN through OFAC's
own files and through trade.gov's Consolidated Screening List (CSL); an Entity List
entry through the CSL and through the eCFR text of Supplement No. 4 to Part 744. These
functions are pure (entries in, values out); the service decides, with the store's
snapshots, which copy a verdict rests on.

Listing keys (two entries are the same listing when they share a key)
    * OFAC lists (SDN and the non-SDN lists): ``"ofac:{ent_num}"``, from OFAC's own
      entries (``us_ofac_sdn:21325``) and from the CSL's Treasury rows, which carry the
      same number (``us_csl:SDN:21325``). OFAC numbers are unique across its lists.
    * Every other list: ``"{list}:{name}|{country}"`` for each of the entry's countries
      (or none), with the name folded by :func:`name_key`. The Federal Register citation
      is *not* part of the key: the eCFR adds a citation each time an entry is amended,
      so an older copy never carries the same set; citations are compared instead, and a
      difference is shown on the hit (:func:`compare_entries`).

Authority
    For each list, the source whose snapshot is newest by its stated publication date
    speaks for it (:func:`choose_authority`); an undated snapshot counts as older than
    any dated one, and on a tie the publisher's own source (:data:`PUBLISHER_SOURCES`)
    wins over a copy such as the CSL.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from ..model import Entry
from .federal_register import Citation
from .fr_rules import find_rule, load_fr_rules

#: OFAC's own sources; their native entry id is OFAC's ent_num.
OFAC_SOURCES = frozenset({"us_ofac_sdn", "us_ofac_cons"})
#: List codes whose entries carry OFAC's ent_num in other sources (the CSL's
#: ``entity_number``).
OFAC_LISTS = frozenset({"SDN", "SSI", "FSE", "PLC", "CAP", "CMIC", "MBS", "NONSDN"})
#: The publisher's own source of a list: preferred over copies when dates tie.
PUBLISHER_SOURCES: dict[str, str] = {
    "SDN": "us_ofac_sdn",
    "SSI": "us_ofac_cons",
    "MBS": "us_ofac_cons",
    "PLC": "us_ofac_cons",
    "CAP": "us_ofac_cons",
    "FSE": "us_ofac_cons",
    "DPL": "us_bis_dpl",
}
#: The CSL republishes other agencies' lists; it loses every tie.
COPY_SOURCES = frozenset({"us_csl"})

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_APOSTROPHES = re.compile(r"['’‘`´?]")
_PARENTHESES = re.compile(r"\([^()]*\)")
_LEADING_AND = re.compile(r"^and\s+")
_CITATION = re.compile(r"(\d{2,3})\s*FR\s*(\d{3,6})", re.IGNORECASE)
#: English legal-form words one source spells out and another abbreviates (OFAC's
#: "NETPOSA TECHNOLOGIES LIMITED", the nsfreg copy's "NetPosa Technologies, Ltd.").
_LEGAL_FORMS = {
    "limited": "ltd",
    "company": "co",
    "corporation": "corp",
    "incorporated": "inc",
}
#: A cross-reference in a license requirement: "(See §§ 734.9(g),3 and 744.21(b) of the
#: EAR.)" or ", see §§ 736.2(b)(3)(vi), and 744.11 of the EAR".
#: A footnote number after it ("... of the EAR) 4") goes with it.
_SEE_REFERENCE = re.compile(
    r"\(?\s*,?\s*\bsee\s+§.*?of\s+the\s+ear\b\.?\)?(?:\s*\d\b)?", re.IGNORECASE
)
_SECTION = re.compile(r"\b(\d{3}\.\d+(?:\([a-z0-9]+\))*)", re.IGNORECASE)

#: Legal fields compared between copies of a listing: (field of LegalFacts, label).
LEGAL_FIELDS: tuple[tuple[str, str], ...] = (
    ("start_date", "start date"),
    ("end_date", "end date"),
    ("license_requirement", "license requirement"),
    ("license_policy", "license policy"),
)


def name_key(name: str) -> str:
    """A listed name folded for comparison across sources: accents, case, apostrophes
    (and the CSL's "?" for them) and punctuation removed ("Xi?an" == "Xi'an" == "xian"),
    and English legal forms abbreviated ("Limited" == "Ltd.")."""
    text = name
    if not text.isascii():  # ASCII has nothing to decompose (most listed names)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text.casefold())
    text = _LEADING_AND.sub("", text.strip())
    words = _NON_ALNUM.sub(" ", text).split()
    return " ".join(_LEGAL_FORMS.get(w, w) for w in words)


def ofac_number(entry: Entry) -> str | None:
    """OFAC's ent_num of an entry, when its source gives it; else None."""
    return ofac_number_of(entry.id, entry.source, entry.list)


def ofac_number_of(entry_id: str, source: str, list_code: str) -> str | None:
    """:func:`ofac_number` from an entry's id, source and list alone (what the store
    indexes: a snapshot's numbered entries are keyed without reading them)."""
    native = entry_id.rsplit(":", 1)[-1]
    if not native.isdigit():
        return None
    if source in OFAC_SOURCES:
        return native
    if source in COPY_SOURCES and list_code in OFAC_LISTS:
        return native
    return None


def name_keys(name: str) -> set[str]:
    """:func:`name_key` of a name, and of the name without its parenthesised parts
    ("Huawei Technologies Co., Ltd. (Huawei)", "LTS Holding Limited (f.k.a. ...)")."""
    return set(_name_keys(name))


# The same listed names are keyed for every hit on them in a batch; a pure function of
# the text, so a bounded cache cannot answer from stale state.
@lru_cache(maxsize=16384)
def _name_keys(name: str) -> frozenset[str]:
    keys = {name_key(name), name_key(_PARENTHESES.sub(" ", name))}
    return frozenset(k for k in keys if k)


def listing_keys(
    entry: Entry, *, all_names: bool = False, any_country: bool = False
) -> frozenset[str]:
    """The keys that identify an entry's listing across sources (see the module docstring).

    Args:
        entry: The entry.
        all_names: Key every name of the entry, not only the primary one (a looser
            match, used by :func:`reconcile_entries` for what the primary names leave).
        any_country: Leave the country out of the keys (looser still: the sources do
            not always file an entry under the same country).
    """
    number = ofac_number(entry)
    if number is not None:
        return frozenset({f"ofac:{number}"})
    return name_listing_keys(entry, all_names=all_names, any_country=any_country)


def numbered_source(source: str, list_code: str) -> bool:
    """True when ``source``'s entries of ``list_code`` carry OFAC's ent_num (so that an
    entry it lacks is known to be gone, not only worded differently)."""
    return source in OFAC_SOURCES or (source in COPY_SOURCES and list_code in OFAC_LISTS)


def name_listing_keys(
    entry: Entry, *, all_names: bool = False, any_country: bool = False
) -> frozenset[str]:
    """The name keys of :func:`listing_keys`, also for an entry known by its OFAC number:
    they find it in a source that copies an OFAC list without the numbers (the nsfreg
    copy of the NS-CMIC list)."""
    names = [n.value for n in entry.names] if all_names else [entry.primary_name]
    if any_country:
        return loose_name_keys(entry.list, names)
    countries = [c.strip().upper() for c in entry.countries] or [""]
    return frozenset(
        f"{entry.list}:{key}|{country}"
        for key in frozenset().union(*(_name_keys(n) for n in names))
        for country in countries
    )


def loose_name_keys(list_code: str, names: Iterable[str]) -> frozenset[str]:
    """The name keys, any country, of an entry of ``list_code`` with these ``names``
    (:func:`name_listing_keys` with ``any_country``), from the names alone: a snapshot's
    entries are keyed from their stored names without building each entry."""
    return frozenset(f"{list_code}:{key}|" for key in frozenset().union(*map(_name_keys, names)))


@dataclass(frozen=True, slots=True)
class SourceState:
    """One source's snapshot as seen for a screening (the current one, or the latest on
    or before an as-of date).

    Attributes:
        source: Source id.
        snapshot_id: The snapshot.
        published: The date the snapshot's file states (or was given), None if undated.
        lists: The list codes the snapshot holds.
    """

    source: str
    snapshot_id: int
    published: date | None
    lists: frozenset[str] = frozenset()

    def label(self) -> str:
        when = self.published.isoformat() if self.published else "undated"
        return f"{self.source} snapshot {self.snapshot_id} ({when})"


def choose_authority(list_code: str, states: Iterable[SourceState]) -> SourceState | None:
    """The source that speaks for ``list_code``: the newest dated snapshot holding the
    list; undated ones count as oldest; ties go to the publisher's own source, then to
    any source that is not a copy. None when no snapshot holds the list."""
    holding = [s for s in states if list_code in s.lists]
    if not holding:
        return None
    publisher = PUBLISHER_SOURCES.get(list_code)

    def rank(state: SourceState) -> tuple[date, bool, bool, str]:
        return (
            state.published or date.min,
            state.source == publisher,
            state.source not in COPY_SOURCES,
            state.source,
        )

    return max(holding, key=rank)


def is_newer(state: SourceState, other: SourceState | None) -> bool:
    """True when ``state`` shows its list as of a later date than ``other`` (an undated or
    missing snapshot is older than any dated one)."""
    if state.published is None:
        return False
    return other is None or other.published is None or state.published > other.published


def citations(text: str | None) -> frozenset[str]:
    """The Federal Register citations in a text, as ``"84 FR 22961"``."""
    return frozenset(f"{m[1]} FR {m[2]}" for m in _CITATION.finditer(text or ""))


def _fold_text(value: str | None) -> str:
    # License texts differ between sources only in spacing, periods and "§ 744" vs
    # "§744"; compared on letters and digits alone, only real differences remain.
    return _NON_ALNUM.sub("", (value or "").casefold())


def _same_requirement(left: str, right: str) -> bool:
    """True when two license requirements say the same: the same words once the EAR
    cross-references ("(See § 744.11 of the EAR)") and a leading "For" are set aside,
    and, when both give cross-references, the same sections. A reference only one side
    prints is no difference ("For all items subject to the EAR" == "All items subject
    to the EAR. (See § 744.11 of the EAR)"); "except for food or medicine" is one."""

    def core(text: str) -> str:
        return re.sub(r"^for", "", _fold_text(_SEE_REFERENCE.sub(" ", text)))

    def sections(text: str) -> set[str]:
        return {s.casefold() for ref in _SEE_REFERENCE.findall(text) for s in _SECTION.findall(ref)}

    if core(left) != core(right):
        return False
    cited_l, cited_r = sections(left), sections(right)
    return not (cited_l and cited_r and cited_l != cited_r)


def _citation_parts(label: str) -> tuple[int, int]:
    volume, _, page = label.partition(" FR ")
    return int(volume), int(page)


def _same_document(a: str, b: str) -> bool:
    """True when two citations ("84 FR 22961", "84 FR 22963") point into one Federal
    Register rule: the same rule of ``fr_rules.yml``, else the same volume within the
    data file's ``max_pages`` (the CSL cites a rule's first page, the eCFR the page
    that names the entry)."""
    if a == b:
        return True
    (vol_a, page_a), (vol_b, page_b) = _citation_parts(a), _citation_parts(b)
    if vol_a != vol_b:
        return False
    rule_a = find_rule(Citation(vol_a, page_a, None, a))
    rule_b = find_rule(Citation(vol_b, page_b, None, b))
    if rule_a is not None and rule_b is not None:
        return rule_a == rule_b
    return abs(page_a - page_b) <= load_fr_rules().max_pages


def _uncited(mine: frozenset[str], theirs: frozenset[str]) -> list[str]:
    """The citations of ``mine`` that point into no rule ``theirs`` cites."""
    return sorted(c for c in mine if not any(_same_document(c, o) for o in theirs))


@dataclass(frozen=True, slots=True)
class Difference:
    """One fact two copies of a listing state differently.

    Attributes:
        field: What differs ("citations", "start date", "license requirement", ...).
        left: The value in the first copy (for citations: those only it cites).
        right: The value in the second copy (for citations: those only it cites).
    """

    field: str
    left: str
    right: str

    def describe(self, left: str, right: str) -> str:
        """One line: ``"citations: only us_csl cites 84 FR 54002; only nsfreg cites
        85 FR 34505"``, ``"start date: us_csl has 2019-10-09; nsfreg has 2020-06-05"``."""
        if self.field == "citations":
            return "citations: " + "; ".join(
                f"only {side} cites {cited}"
                for side, cited in ((left, self.left), (right, self.right))
                if cited
            )
        return f"{self.field}: {left} has {self.left}; {right} has {self.right}"

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "left": self.left, "right": self.right}


def compare_entries(left: Entry, right: Entry) -> list[Difference]:
    """The legal facts two copies of one listing state differently: Federal Register
    citations (each side's own that point into no rule the other cites: a rule's first
    page and a later page of it are one rule), start and end dates, license requirement
    (its words, apart from EAR cross-references only one side prints) and policy
    (compared on letters and digits). A fact one side does not state is no difference."""
    out: list[Difference] = []
    cited_l = citations(left.legal.federal_register)
    cited_r = citations(right.legal.federal_register)
    if cited_l and cited_r:
        only_l, only_r = _uncited(cited_l, cited_r), _uncited(cited_r, cited_l)
        if only_l or only_r:
            out.append(Difference("citations", ", ".join(only_l), ", ".join(only_r)))
    for name, label in LEGAL_FIELDS:
        a, b = getattr(left.legal, name), getattr(right.legal, name)
        if not (a and b):
            continue
        same = (
            _same_requirement(a, b)
            if name == "license_requirement"
            else _fold_text(a) == _fold_text(b)
        )
        if not same:
            out.append(Difference(label, a, b))
    return out


@dataclass(frozen=True)
class Pair:
    """An entry of one source matched to its listing in the other, and how they differ."""

    left: Entry
    right: Entry
    differences: tuple[Difference, ...]


@dataclass(frozen=True)
class Reconciliation:
    """Two sources of one list compared entry by entry.

    Attributes:
        code: The list code.
        left: The older source's snapshot (by date; see :func:`is_newer`).
        right: The newer one.
        only_left: Listings only the older source holds (removed since, or never in the
            newer source).
        only_right: Listings only the newer source holds (added since).
        pairs: Listings both hold; those with differences are :attr:`differing`.
    """

    code: str
    left: SourceState
    right: SourceState
    only_left: list[Entry] = field(default_factory=list)
    only_right: list[Entry] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)

    @property
    def differing(self) -> list[Pair]:
        return [p for p in self.pairs if p.differences]

    def counts(self) -> dict[str, int]:
        return {
            "left": len(self.only_left) + len(self.pairs),
            "right": len(self.only_right) + len(self.pairs),
            "removed": len(self.only_left),
            "added": len(self.only_right),
            "same_listing": len(self.pairs),
            "differing": len(self.differing),
        }


def reconcile_entries(
    list_code: str,
    left: SourceState,
    left_entries: Sequence[Entry],
    right: SourceState,
    right_entries: Sequence[Entry],
) -> Reconciliation:
    """Match two sources' entries of one list listing by listing, then compare each pair.

    Entries are matched on their primary-name keys first; what remains, on the keys of
    all their names (an entry renamed with its old name kept as an alias); what still
    remains, on those keys without the country. Each entry is matched at most once, in
    file order.
    """
    out = Reconciliation(list_code, left, right)
    free_right = dict(enumerate(right_entries))
    matched_left: dict[int, int] = {}
    for loose, anywhere in ((False, False), (True, False), (True, True)):
        by_key: dict[str, int] = {}
        for j, entry in free_right.items():
            for key in listing_keys(entry, all_names=loose, any_country=anywhere):
                by_key.setdefault(key, j)
        for i, entry in enumerate(left_entries):
            if i in matched_left:
                continue
            for key in sorted(listing_keys(entry, all_names=loose, any_country=anywhere)):
                found = by_key.get(key)
                if found is not None and found in free_right:
                    matched_left[i] = found
                    del free_right[found]
                    break
    for i, entry in enumerate(left_entries):
        pick = matched_left.get(i)
        if pick is None:
            out.only_left.append(entry)
        else:
            other = right_entries[pick]
            out.pairs.append(Pair(entry, other, tuple(compare_entries(entry, other))))
    out.only_right.extend(free_right.values())
    return out


__all__ = [
    "COPY_SOURCES",
    "OFAC_LISTS",
    "OFAC_SOURCES",
    "PUBLISHER_SOURCES",
    "Difference",
    "Pair",
    "Reconciliation",
    "SourceState",
    "choose_authority",
    "citations",
    "compare_entries",
    "is_newer",
    "listing_keys",
    "loose_name_keys",
    "name_key",
    "name_keys",
    "name_listing_keys",
    "numbered_source",
    "ofac_number",
    "ofac_number_of",
    "reconcile_entries",
]
