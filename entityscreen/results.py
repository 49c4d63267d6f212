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
from .matching import Match
from .model import Party, Schema, Snapshot


@dataclass(frozen=True, slots=True)
class Hit:
    """A name match and what it means.

    Attributes:
        match: The name match (score, names, explanation).
        legal: The entry's legal facts and verdict.
        listing: With an as-of date: whether the entry was listed on it, and why.
        ownership: Findings of listed parties owning the matched entry (when the store
            holds ownership edges for it).
    """

    match: Match
    legal: LegalSummary
    listing: AsOfStatus | None = None
    ownership: tuple[OwnershipFinding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = match_to_dict(self.match)
        data["verdict"] = self.legal.verdict
        data["legal"] = self.legal.to_dict()
        if self.listing is not None:
            data["listed_on_date"] = self.listing.to_dict()
        if self.ownership:
            data["ownership"] = [f.to_dict() for f in self.ownership]
        return data


@dataclass(frozen=True)
class ScreeningResult:
    """A party, its hits, and what is needed to reproduce the answer later.

    Attributes:
        party: What was screened.
        hits: Matches at or above the threshold (listed on ``as_of`` when one is given).
        not_listed: With ``as_of``: matches whose entry was not listed on that date.
        ownership: Findings of listed parties owning the party itself (50% rules).
        flags: Section 889 and embargoed-destination flags of the party.
        as_of: The date asked about, or None for "now".
        snapshots: The snapshots screened against.
        algorithm: The matching algorithm version.
        threshold: The score threshold.
        screened_at: When (UTC, ISO).
        seconds: How long the screening took.
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

    @property
    def matches(self) -> list[Match]:
        """The name matches of :attr:`hits`."""
        return [h.match for h in self.hits]

    @property
    def alerts(self) -> bool:
        """True when anything calls for an analyst: a hit, an ownership finding that
        reaches its threshold or cannot be decided, or a flag."""
        owned = any(f.reaches_threshold or f.undetermined for f in self.ownership)
        return bool(self.hits or owned or self.flags)

    def audit_record(self) -> dict[str, Any]:
        """What the audit log keeps of this screening: enough to show later what was
        screened, against which list versions, with which algorithm, and what came out."""
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
            "snapshots": {s.source: [s.id, s.sha256] for s in self.snapshots},
            "hits": [_hit_brief(h) for h in self.hits],
            "not_listed_on_date": [_hit_brief(h) for h in self.not_listed],
            "ownership": [
                {"rule": f.rule_id, "total": f.total, "applies": f.applies} for f in self.ownership
            ],
            "flags": [{"code": f.code, "id": f.id} for f in self.flags],
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
            "matches": [h.to_dict() for h in self.hits],
            "not_listed_on_date": [h.to_dict() for h in self.not_listed],
            "ownership": [f.to_dict() for f in self.ownership],
            "flags": [f.to_dict() for f in self.flags],
            "snapshots": [
                {"id": s.id, "source": s.source, "sha256": s.sha256, "published": s.published}
                for s in self.snapshots
            ],
            "algorithm": self.algorithm,
            "threshold": self.threshold,
            "screened_at": self.screened_at,
            "seconds": round(self.seconds, 6),
        }


#: Batch output columns after the stable public ones (``batch.io.OUTPUT_COLUMNS``).
BATCH_EXTRA_COLUMNS = (
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
)


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
    base["ownership"] = " | ".join(f.summary for f in result.ownership)
    base["flags"] = " | ".join(f"{f.title}: {f.reason}" for f in result.flags)
    if not result.hits:
        return [{**base, "status": "flagged" if result.alerts else "no_match"}]
    return [{**base, **_hit_columns(hit), "status": "match"} for hit in result.hits]


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
        "source": m.source,
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


__all__ = ["BATCH_EXTRA_COLUMNS", "Hit", "ScreeningResult", "batch_rows", "match_to_dict"]
