"""OpenRefine's reconciliation API as yente serves it (``/reconcile/{dataset}``; issue #14):
the service manifest, batches of queries scored by :func:`match_examples`, and the
suggest services for entities, properties and types (docs/api.md, "yente compatibility").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .yente import entity_dict
from .yente_catalog import SearchOptions, facts_of, in_scope
from .yente_match import MatchOptions, dataset_scope, match_examples

if TYPE_CHECKING:
    from . import Screener

#: The types (FtM schemata) a reconciliation may ask for: (id, plural, description).
TYPES = (
    ("Person", "People", "A natural person"),
    ("Organization", "Organizations", "Any type of incorporated entity"),
    ("Company", "Companies", "A corporation, usually for profit"),
    ("PublicBody", "Public bodies", "A public body, such as a ministry or agency"),
    ("Vessel", "Vessels", "A boat or ship"),
    ("Airplane", "Airplanes", "An airplane or helicopter"),
    ("LegalEntity", "Legal entities", "Any party to legal proceedings"),
)
#: The properties a query may give, by qualified name, with their labels.
PROPERTIES = (
    ("Thing:name", "Name"),
    ("Thing:alias", "Other name"),
    ("Thing:previousName", "Previous name"),
    ("Thing:country", "Country"),
    ("Thing:address", "Address"),
    ("LegalEntity:mainCountry", "Country of origin"),
    ("LegalEntity:jurisdiction", "Jurisdiction"),
    ("LegalEntity:idNumber", "ID Number"),
    ("LegalEntity:registrationNumber", "Registration number"),
    ("LegalEntity:taxNumber", "Tax Number"),
    ("LegalEntity:leiCode", "LEI"),
    ("LegalEntity:swiftBic", "SWIFT/BIC"),
    ("Person:birthDate", "Birth date"),
    ("Person:nationality", "Nationality"),
    ("Person:citizenship", "Citizenship"),
    ("Person:passportNumber", "Passport number"),
    ("Vessel:imoNumber", "IMO Number"),
    ("Vessel:mmsi", "MMSI"),
    ("Vessel:callSign", "Call sign"),
)
#: yente's page of reconciliation candidates and of property suggestions.
DEFAULT_LIMIT = 5
#: Lowest score of a reconciliation candidate.
CANDIDATE_CUTOFF = 0.5


@dataclass(frozen=True)
class ReconQuery:
    """One OpenRefine query: text, type(s), limit and ``(pid, value)`` properties."""

    query: str | None = None
    type: str | list[str] | None = None
    limit: int = DEFAULT_LIMIT
    properties: Sequence[tuple[str, str]] = field(default_factory=tuple)


def _type(schema: str) -> dict[str, Any]:
    for id_, plural, description in TYPES:
        if id_ == schema:
            return {"id": id_, "name": plural, "description": description}
    return {"id": schema, "name": schema, "description": None}


def manifest_dict(
    screener: Screener, dataset: str, base_url: str, query_string: str
) -> dict[str, Any]:
    """The service manifest OpenRefine reads first (yente's FreebaseManifest).

    Raises:
        NotFoundError: an unknown dataset (404).
    """
    dataset_scope(screener, screener.view(), dataset)
    root = base_url.rstrip("/")
    service = f"{root}/reconcile/{dataset}"
    suffix = f"?{query_string}" if query_string else ""
    return {
        "versions": ["0.2"],
        "name": f"{dataset} (entityscreen)",
        # Our ids (GET /entities/{id}); the types are FollowTheMoney's schemata.
        "identifierSpace": f"{root}/entities/",
        "schemaSpace": "https://followthemoney.tech/explorer/schemata/",
        "view": {"url": f"{root}/ui/entities/{{{{id}}}}"},
        "preview": {"url": f"{root}/ui/entities/{{{{id}}}}", "width": 430, "height": 600},
        "suggest": {
            kind: {"service_url": service, "service_path": f"/suggest/{kind}{suffix}"}
            for kind in ("entity", "type", "property")
        },
        "defaultTypes": [_type(t[0]) for t in TYPES],
    }


def reconcile_dict(
    screener: Screener, dataset: str, queries: Mapping[str, ReconQuery], algorithm: str | None
) -> dict[str, Any]:
    """Each query's candidates, best first: ``{name: {"result": [...]}}``.

    Raises:
        InputError: as :func:`match_examples` (400).
        NotFoundError: an unknown dataset (404).
    """
    out: dict[str, Any] = {}
    for name, q in queries.items():
        kind = q.type[0] if isinstance(q.type, list) and q.type else q.type
        props: dict[str, list[str]] = {}
        if q.query:
            props["name"] = [q.query]
        for pid, value in q.properties:
            props.setdefault(pid.rsplit(":", 1)[-1], []).append(value)
        # Candidates below the threshold too (match: false), as OpenRefine shows them.
        opts = MatchOptions(limit=q.limit, algorithm=algorithm, cutoff=CANDIDATE_CUTOFF)
        answer = match_examples(
            screener, dataset, {name: (None, str(kind or "Thing"), props)}, opts
        )
        out[name] = {
            "result": [
                {
                    "id": r["id"],
                    "name": r["caption"],
                    "description": r["schema"],
                    "type": [_type(r["schema"])],
                    "score": r["score"],
                    "match": r["match"],
                }
                for r in answer["responses"][name]["results"]
            ]
        }
    return out


def _suggest(prefix: str, result: list[dict[str, Any]]) -> dict[str, Any]:
    return {"code": "/api/status/ok", "status": "200 OK", "prefix": prefix, "result": result}


def suggest_entity(screener: Screener, dataset: str, prefix: str, limit: int) -> dict[str, Any]:
    """Entities whose names match ``prefix`` (none for an empty prefix)."""
    if not prefix.strip():
        dataset_scope(screener, screener.view(), dataset)
        return _suggest(prefix, [])
    # A prefix is part of a name, which the matcher (whole names) does not retrieve: one
    # pass over the index's names, keeping entries where every word typed begins a word.
    view = screener.view()
    scope = dataset_scope(screener, view, dataset)
    index = view.matcher()
    typed = prefix.casefold().split()
    found: dict[str, dict[str, Any]] = {}
    for position, text in enumerate(index.name_texts):
        if len(found) >= limit:
            break
        folded = text.casefold()
        # A substring test first: most names hold none of the words typed.
        if not all(t in folded for t in typed) or not _starts(typed, folded):
            continue
        entry_id = index.entry_ids[int(index.name_entry[position])]
        if entry_id not in found:
            entry = view.entry(entry_id)
            if in_scope(entry, facts_of(entry), scope, SearchOptions()):
                found[entry_id] = entity_dict(entry)
    return _suggest(prefix, [
        {"id": d["id"], "name": d["caption"], "description": d["schema"],
         "type": [_type(d["schema"])]}
        for d in found.values()
    ])


def _starts(typed: Sequence[str], folded: str) -> bool:
    """Whether every word typed begins a word of the (case-folded) name."""
    words = folded.replace(",", " ").split()
    return all(any(w.startswith(t) for w in words) for t in typed)


def _matches(prefix: str, *texts: str) -> bool:
    wanted = prefix.strip().lower()
    return bool(wanted) and any(wanted in t.lower() for t in texts)


def suggest_property(screener: Screener, dataset: str, prefix: str) -> dict[str, Any]:
    """The query properties whose name or label holds ``prefix``."""
    dataset_scope(screener, screener.view(), dataset)
    return _suggest(prefix, [
        {"id": qname, "name": label, "description": None}
        for qname, label in PROPERTIES
        if _matches(prefix, qname.split(":")[1], label)
    ][:DEFAULT_LIMIT])


def suggest_type(screener: Screener, dataset: str, prefix: str) -> dict[str, Any]:
    """The types whose name or plural starts with ``prefix``."""
    dataset_scope(screener, screener.view(), dataset)
    wanted = prefix.strip().lower()
    return _suggest(prefix, [
        _type(id_) for id_, plural, _ in TYPES
        if wanted and (id_.lower().startswith(wanted) or plural.lower().startswith(wanted))
    ])


__all__ = [
    "ReconQuery",
    "manifest_dict",
    "reconcile_dict",
    "suggest_entity",
    "suggest_property",
    "suggest_type",
]
