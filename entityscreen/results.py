"""What a screening returns: hits with their export-control meaning, party-level findings.

Plain values, built by :class:`entityscreen.service.Screener` and rendered by the CLI (and
later the API) through :meth:`ScreeningResult.to_dict`: one JSON shape everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .batch.io import InputRow
from .exportcontrol import AsOfStatus, Flag, LegalSummary, OwnershipFinding
from .exportcontrol.freshness import SnapshotAge
from .exportcontrol.verdict import HitFact, PartyVerdict, party_verdict
from .matching import Match
from .model import Party, Schema, Snapshot
from .store.audit import canonical_value, canonical_with


@dataclass(frozen=True, slots=True)
class ListingCopy:
    """Another source's copy of a hit's listing (same OFAC number, or same Entity List
    entry by name and country): merged into the hit rather than shown as a hit of its own.

    Attributes:
        entry_id: The copy's entry.
        source: Its source.
        list: Its list code.
        snapshot: The snapshot it comes from (None when no snapshot is known).
        published: That snapshot's publication date (ISO), None when undated.
        score: The copy's own name score.
        differences: How its legal facts differ from the hit's, one line each.
    """

    entry_id: str
    source: str
    list: str
    snapshot: int | None
    published: str | None
    score: float
    differences: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "entry_id": self.entry_id,
            "source": self.source,
            "list": self.list,
            "snapshot": self.snapshot,
            "published": self.published,
            "score": round(self.score, 4),
            "differences": list(self.differences),
        }


@dataclass(frozen=True, slots=True)
class Hit:
    """A name match and what it means.

    Attributes:
        match: The name match (score, names, explanation).
        legal: The entry's legal facts and verdict.
        listing: With an as-of date: whether the entry was listed on it, and why.
        ownership: Findings of listed parties owning the matched entry (when the store
            holds ownership edges for it).
        snapshot: The snapshot the matched entry comes from, and its date (ISO or None).
        copies: The same listing in other sources (merged into this hit).
        addresses: The listed addresses of the entry.
        delisted: True when the listing is absent from the newest snapshot of the source
            that speaks for its list (``listing`` says which, and why).
        notes: Doubts about the listing an analyst should see (e.g. the newest source
            of its list does not hold it under any of its names).
    """

    match: Match
    legal: LegalSummary
    listing: AsOfStatus | None = None
    ownership: tuple[OwnershipFinding, ...] = ()
    snapshot: tuple[int, str | None] | None = None
    copies: tuple[ListingCopy, ...] = ()
    addresses: tuple[str, ...] = ()
    delisted: bool = False
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = match_to_dict(self.match)
        data["verdict"] = self.legal.verdict
        data["legal"] = self.legal.to_dict()
        if self.listing is not None:
            data["listed_on_date"] = self.listing.to_dict()
        if self.ownership:
            data["ownership"] = [f.to_dict() for f in self.ownership]
        if self.snapshot is not None:
            data["snapshot"] = {"id": self.snapshot[0], "published": self.snapshot[1]}
        data["addresses"] = list(self.addresses)
        data["also_in"] = [c.to_dict() for c in self.copies]
        if self.delisted:
            data["delisted"] = True
        if self.notes:
            data["notes"] = list(self.notes)
        return data

    @property
    def sources_label(self) -> str:
        """``"SDN (us_ofac_sdn; also us_csl SDN, SSI)"``: the hit's list and source, and
        its copies'."""
        m = self.match
        if not self.copies:
            return f"{m.list} ({m.source})"
        also: dict[str, list[str]] = {}
        for c in self.copies:
            also.setdefault(c.source, [])
            if c.list not in also[c.source]:
                also[c.source].append(c.list)
        extra = ", ".join(f"{s} {'/'.join(lists)}" for s, lists in also.items())
        return f"{m.list} ({m.source}; also {extra})"


@dataclass(frozen=True)
class ScreeningResult:
    """A party, its hits, and what is needed to reproduce the answer later.

    Attributes:
        party: What was screened.
        hits: Matches at or above the threshold (listed on ``as_of`` when one is given).
        not_listed: Matches not listed on the date asked about (``as_of``, else today):
            with ``as_of``, entries not yet or no longer listed then; always, listings
            delisted from the newest snapshot of the source that speaks for their list.
        ownership: Findings of listed parties owning the party itself (50% rules).
        flags: Section 889 and embargoed-destination flags of the party.
        as_of: The date asked about, or None for "now".
        snapshots: The snapshots screened against.
        algorithm: The matching algorithm version.
        threshold: The score threshold.
        screened_at: When (UTC, ISO).
        seconds: How long the screening took.
        total: Hits found before ``limit`` cut them (listings, after merging copies);
            None when not counted.
        total_capped: The matcher stopped at its pool of name matches (three times
            ``limit``, at least 30), so ``total`` is a lower bound: there may be more.
        ages: Each snapshot used: its date, how that date was found, its age on the day
            of screening and whether it is older than its lists' age limit.
    """

    party: Party
    hits: list[Hit]
    snapshots: tuple[Snapshot, ...]
    algorithm: str
    threshold: float
    screened_at: str
    seconds: float
    as_of: date | None = None
    not_listed: tuple[Hit, ...] = ()
    ownership: tuple[OwnershipFinding, ...] = ()
    flags: tuple[Flag, ...] = ()
    total: int | None = None
    total_capped: bool = False
    ages: tuple[SnapshotAge, ...] = ()

    @property
    def warnings(self) -> list[str]:
        """One line per list older than its age limit."""
        return [a.warning for a in self.ages if a.warning]

    @property
    def verdict(self) -> PartyVerdict:
        """One verdict for the party from its hits, ownership findings and flags
        (:func:`~entityscreen.exportcontrol.verdict.party_verdict`), for the day asked
        about (``as_of``, else the day screened)."""
        facts = [
            HitFact(h.match.list, h.match.listed_name, h.match.score, h.legal.end_date)
            for h in self.hits
        ]
        day = self.as_of or date.fromisoformat(self.screened_at[:10])
        return party_verdict(facts, self.ownership, self.flags, on=day)

    @property
    def not_shown(self) -> int:
        """How many hits ``limit`` left out (at least that many when ``total_capped``)."""
        return max(0, (self.total or 0) - len(self.hits))

    @property
    def or_more(self) -> str:
        """" or more" after a count when ``total`` is a lower bound, else ""."""
        return " or more" if self.total_capped else ""

    @property
    def matches(self) -> list[Match]:
        """The name matches of :attr:`hits`."""
        return [h.match for h in self.hits]

    @property
    def alerts(self) -> bool:
        """True when anything calls for an analyst: a hit, an ownership finding that
        reaches its threshold or cannot be decided, or a flag that alerts (a Country
        Group membership alone does not)."""
        owned = any(f.reaches_threshold or f.undetermined for f in self.ownership)
        return bool(self.hits or owned or any(f.alerts for f in self.flags))

    def audit_record(self) -> dict[str, Any]:
        """What the audit log keeps of this screening: enough to show later what was
        screened, against which list versions, with which algorithm, and what came out."""
        return {**self._audit_own(), **_audit_lists(self.snapshots, self.ages)}

    def audit_text(self) -> str:
        """The canonical JSON of :meth:`audit_record` (what the log stores and hashes),
        with the part about the lists (the same for every party of a view, ~5 KB)
        rendered once per snapshots and ages instead of once per party."""
        return canonical_with(self._audit_own(), _audit_lists_text(self.snapshots, self.ages))

    def _audit_own(self) -> dict[str, Any]:
        """The audit record but for the lists' part (:func:`_audit_lists`)."""
        return {
            "party": {
                "name": self.party.name,
                "id": self.party.id,
                "schema": self.party.schema.value,
                "country": self.party.country,
                "aliases": list(self.party.aliases),
            },
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "threshold": self.threshold,
            "algorithm": self.algorithm,
            "hits": [_hit_brief(h) for h in self.hits],
            "not_listed_on_date": [_hit_brief(h) for h in self.not_listed],
            "ownership": [
                {"rule": f.rule_id, "total": f.total, "applies": f.applies} for f in self.ownership
            ],
            "flags": [{"code": f.code, "id": f.id} for f in self.flags],
            # The party verdict as it was given: a screening certificate states it.
            "verdict": self.verdict.to_dict(),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": {
                "name": self.party.name,
                "id": self.party.id,
                "schema": self.party.schema.value,
                "country": self.party.country,
                "address": self.party.address,
                "aliases": list(self.party.aliases),
            },
            "as_of": self.as_of.isoformat() if self.as_of else None,
            # First: what a user reads before anything else, with the lists' dates.
            "verdict": {
                **self.verdict.to_dict(),
                "lists": [a.label for a in self.ages],
            },
            "matches": [h.to_dict() for h in self.hits],
            "total_matches": len(self.hits) if self.total is None else self.total,
            "not_shown": self.not_shown,
            # True: the matcher stopped at its pool, the two counts above are lower bounds.
            "total_is_lower_bound": self.total_capped,
            "not_listed_on_date": [h.to_dict() for h in self.not_listed],
            "ownership": [f.to_dict() for f in self.ownership],
            "flags": [f.to_dict() for f in self.flags],
            "snapshots": [
                {"id": s.id, "source": s.source, "sha256": s.sha256, "published": s.published}
                for s in self.snapshots
            ],
            "lists_used": [a.to_dict() for a in self.ages],
            "warnings": self.warnings,
            "algorithm": self.algorithm,
            "threshold": self.threshold,
            "screened_at": self.screened_at,
            "seconds": round(self.seconds, 6),
        }


#: Batch output columns after the stable public ones (``batch.io.OUTPUT_COLUMNS``).
BATCH_EXTRA_COLUMNS = (
    "party_verdict",
    "party_verdict_reason",
    "input_country",
    "explanation",
    "verdict",
    "license_requirement",
    "license_policy",
    "federal_register",
    "first_listed",
    "listed_on_date",
    "listing_evidence",
    "ownership",
    "flags",
    "status",
    "error",
    "list_dates",
    "stale_lists",
)


def _audit_lists(
    snapshots: tuple[Snapshot, ...], ages: tuple[SnapshotAge, ...]
) -> dict[str, Any]:
    """The lists' part of an audit record: their snapshots, dates and which are stale."""
    return {
        "snapshots": {s.source: [s.id, s.sha256] for s in snapshots},
        "snapshot_dates": {
            a.source: {"date": a.date.isoformat(), "basis": a.basis, "age_days": a.age_days}
            for a in ages
        },
        "stale": [a.source for a in ages if a.stale],
    }


#: The last lists' part rendered: (snapshots, ages, canonical text of each key). Held by
#: identity (a view hands every result of a batch the same two tuples), so a new list
#: version, which comes with new tuples, is rendered anew.
_LISTS_TEXT: list[tuple[tuple[Snapshot, ...], tuple[SnapshotAge, ...], dict[str, str]]] = []


def _audit_lists_text(
    snapshots: tuple[Snapshot, ...], ages: tuple[SnapshotAge, ...]
) -> dict[str, str]:
    for snaps, seen, text in _LISTS_TEXT:
        if snaps is snapshots and seen is ages:
            return text
    text = {k: canonical_value(v) for k, v in _audit_lists(snapshots, ages).items()}
    _LISTS_TEXT[:] = [(snapshots, ages, text)]
    return text


def batch_rows(row: InputRow, result: ScreeningResult | None) -> list[dict[str, str]]:
    """The batch output rows of one input row: one per hit, else one that says why not
    (``status`` ``no_match``, ``flagged`` or ``error``). Shared by every executor."""
    base = {
        "row_id": row.row_id,
        "input_name": row.party.name if row.party else "",
        "input_country": (row.party.country or "") if row.party else "",
    }
    if result is None:
        return [{**base, "status": "error", "error": row.error or "bad row"}]
    verdict = result.verdict
    base["party_verdict"] = verdict.label
    base["party_verdict_reason"] = verdict.reason
    base["ownership"] = " | ".join(f.summary for f in result.ownership)
    base["flags"] = " | ".join(f"{f.title}: {f.reason}" for f in result.flags)
    base["list_dates"], base["stale_lists"] = _ages_columns(result.ages)
    if not result.hits:
        return [{**base, "status": "flagged" if result.alerts else "no_match"}]
    return [{**base, **_hit_columns(hit), "status": "match"} for hit in result.hits]


#: The last ages formatted (:func:`_ages_columns`), held by identity like _LISTS_TEXT.
_AGES_TEXT: list[tuple[tuple[SnapshotAge, ...], tuple[str, str]]] = []


def _ages_columns(ages: tuple[SnapshotAge, ...]) -> tuple[str, str]:
    """The ``list_dates`` and ``stale_lists`` columns of a result with these ages: every
    row of a batch has the same tuple (one per view and day), so its ~3 KB of text is
    formatted once, not once per row."""
    for seen, text in _AGES_TEXT:
        if seen is ages:
            return text
    dates = "; ".join(f"{a.label} ({a.basis})" for a in ages)
    stale = "; ".join(
        f"{a.source}: {a.age_days} days old (limit {a.max_age_days})" for a in ages if a.stale
    )
    _AGES_TEXT[:] = [(ages, (dates, stale))]
    return dates, stale


def _hit_columns(hit: Hit) -> dict[str, str]:
    m, legal = hit.match, hit.legal
    listed = ""
    if hit.listing is not None:
        listed = {True: "yes", False: "no", None: "unknown"}[hit.listing.listed]
    return {
        "score": f"{m.score:.4f}",
        "entry_id": m.entry_id,
        "listed_name": m.listed_name,
        "matched_name": m.matched_name,
        "list": m.list,
        "source": ", ".join([m.source, *dict.fromkeys(c.source for c in hit.copies)]),
        "explanation": m.explanation,
        "verdict": legal.verdict,
        "license_requirement": legal.requirement_text or "",
        "license_policy": legal.policy_text or "",
        "federal_register": "; ".join(c.label for c in legal.citations),
        "first_listed": legal.first_listed.date.isoformat() if legal.first_listed else "",
        "listed_on_date": listed,
        "listing_evidence": hit.listing.evidence if hit.listing else "",
    }


def _hit_brief(hit: Hit) -> dict[str, Any]:
    m = hit.match
    return {"entry_id": m.entry_id, "list": m.list, "score": round(m.score, 4)}


def match_to_dict(m: Match) -> dict[str, Any]:
    """A name match as JSON-ready dict."""
    return {
        "entry_id": m.entry_id,
        "score": round(m.score, 4),
        "list": m.list,
        "source": m.source,
        "schema": m.schema.value if isinstance(m.schema, Schema) else m.schema,
        "listed_name": m.listed_name,
        "matched_name": m.matched_name,
        "query_name": m.query_name,
        "countries": list(m.countries),
        "explanation": m.explanation,
        "features": dict(m.features),
    }


__all__ = [
    "BATCH_EXTRA_COLUMNS",
    "Hit",
    "ListingCopy",
    "ScreeningResult",
    "batch_rows",
    "match_to_dict",
]
