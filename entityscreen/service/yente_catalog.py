"""yente's ``/catalog`` and ``/search/{dataset}`` over the Screener (issue #14).

``/catalog``: one dataset per source in the current view (named as
:mod:`entityscreen.service.yente` maps them), each with its snapshot as ``version``, and
the ``default`` collection holding them all. ``/search``: yente's simple text search,
answered with our matcher (a name query, every listed name scored) rather than
Elasticsearch's query-string syntax (docs/api.md, "yente compatibility").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..model import Entry
from .view import ListView
from .yente import (
    FTM_SCHEMATA,
    FTM_SOURCE,
    OUR_SCHEMA_TO_FTM,
    Seen,
    dataset_name,
    entity_dict,
    entry_datasets,
    entry_properties,
    entry_topics,
    is_ftm_source,
    party_from_example,
    yente_id,
)
from .yente_match import (
    Scope,
    changed_since,
    dataset_scope,
    entry_seen,
    find_entry,
    ftm_index,
)

if TYPE_CHECKING:
    from . import Screener

#: yente's limits on a search page.
MAX_SEARCH_LIMIT = 500
MAX_SEARCH_OFFSET = 9499
#: Lowest name score a search result needs (a search lists candidates, not matches).
SEARCH_THRESHOLD = 0.5
#: Most entries an empty query reads (its total is then "gte": at least that many).
MAX_SCAN = 10_000
#: The dataset of ownership edges shown as FtM Ownership entities (our ownership imports).
OWNERSHIP_DATASET = "entityscreen_ownership"
#: yente's default facets.
DEFAULT_FACETS = ("countries", "topics", "datasets")
#: The fields ``sort`` takes: the entity's date fields and caption, and ``_score`` (the
#: matcher's order; an empty query's is store order).
SORT_FIELDS = ("_score", "caption", "first_seen", "last_seen", "last_change")


def _version(published: str | None, fetched_at: str) -> str:
    """A snapshot's date as yente writes dataset versions (``20240527194702``)."""
    text = (published or fetched_at)[:19]
    digits = "".join(c for c in text if c.isdigit())
    return digits.ljust(14, "0")[:14]


def catalog_dict(screener: Screener) -> dict[str, Any]:
    """yente's DataCatalogModel of what is loaded."""
    view = screener.view()
    try:
        titles = {s.id: s.title for s in screener.manifest.sources}
    except Exception:
        titles = {}
    datasets: list[dict[str, Any]] = []
    children: list[str] = []
    for snap in sorted(view.snapshots, key=lambda s: dataset_name(s.source)):
        name = dataset_name(snap.source)
        version = _version(snap.published, snap.fetched_at)
        children.append(name)
        datasets.append({
            "name": name,
            "title": titles.get(snap.source, snap.source),
            "summary": f"entityscreen source {snap.source}, snapshot {snap.id}",
            "url": snap.origin if snap.origin and snap.origin.startswith("http") else None,
            "load": True,
            "entities_url": None,
            "version": version,
            "updated_at": (snap.published or snap.fetched_at)[:19],
            "entity_count": snap.entry_count,
            "index_version": version,
            "index_current": True,
            "children": [],
        })
    # The datasets OpenSanctions entities name are the children of their file's dataset,
    # and datasets of their own (each a /match and /search path).
    ftm = ftm_index(screener, view).datasets
    exports = {dataset_name(s.source) for s in view.snapshots if is_ftm_source(s.source)}
    for parent in [d for d in datasets if d["name"] in exports]:
        parent["children"] = sorted(ftm)
        for name in sorted(ftm - {d["name"] for d in datasets}):
            children.append(name)
            datasets.append(parent | {
                "name": name, "title": name, "summary": f"named by entities of {FTM_SOURCE}",
                "url": None, "load": False, "entity_count": None, "children": [],
            })
    newest = max((d["version"] for d in datasets), default="00000000000000")
    datasets.append({
        "name": "default",
        "title": "Every list loaded",
        "summary": "The collection of every dataset (also 'all' and 'sanctions').",
        "url": None,
        "load": False,
        "entities_url": None,
        "version": newest,
        "updated_at": None,
        "entity_count": sum(s.entry_count for s in view.snapshots),
        "index_version": newest,
        "index_current": True,
        "children": children,
    })
    return {
        "datasets": datasets,
        "current": [d["name"] for d in datasets],
        "outdated": [],
        "index_stale": False,
    }


@dataclass(frozen=True)
class SearchOptions:
    """yente's query parameters of ``/search``."""

    q: str = ""
    schema: str = "Thing"
    countries: Sequence[str] = ()
    topics: Sequence[str] = ()
    datasets: Sequence[str] = ()
    exclude_dataset: Sequence[str] = ()
    include_dataset: Sequence[str] = ()
    limit: int = 10
    offset: int = 0
    facets: Sequence[str] = DEFAULT_FACETS
    #: Lowest name score of a result.
    threshold: float = SEARCH_THRESHOLD
    exclude_schema: Sequence[str] = ()
    #: Only entities whose current version appeared at or after this ISO date(-time).
    changed_since: str | None = None
    #: yente's ``filter``: ``prop:value`` (or ``properties.prop:value``), all must hold.
    filter: Sequence[str] = ()
    #: yente's ``sort``: ``field`` or ``field:asc|desc``, first the most significant.
    sort: Sequence[str] = ()
    #: yente's ``target``: every listed entry is a target, so False finds nothing.
    target: bool | None = None


def parse_filters(given: Sequence[str]) -> list[tuple[str, str]]:
    """``prop:value`` filters as (FtM property, value folded for comparison).

    Raises:
        InputError: a filter without ``:`` or without a property (400).
    """
    out = []
    for text in given:
        prop, sep, value = text.partition(":")
        prop = prop.strip().removeprefix("properties.")
        if not sep or not prop:
            raise InputError(f"Invalid filter {text[:60]!r}: expected property:value")
        out.append((prop, value.strip().casefold()))
    return out


def parse_sorts(given: Sequence[str]) -> list[tuple[str, bool]]:
    """``field[:asc|desc]`` sorts as (field, descending); ``_score`` alone is best first.

    Raises:
        InputError: an unknown field or order (400).
    """
    out = []
    for text in given:
        field, sep, order = text.partition(":")
        order = order.strip().lower() if sep else ("desc" if field == "_score" else "asc")
        if field not in SORT_FIELDS or order not in ("asc", "desc"):
            raise InputError(
                f"Invalid sort {text[:60]!r}: expected one of {', '.join(SORT_FIELDS)}, "
                "optionally :asc or :desc"
            )
        out.append((field, order == "desc"))
    return out


def _sorted(
    found: list[Entry], seen: dict[str, Seen], sorts: list[tuple[str, bool]]
) -> list[Entry]:
    """``found`` (best first) ordered by ``sorts``, missing values last, ties kept in the
    matcher's order: stable sorts applied from the least significant key."""
    rank = {entry.id: i for i, entry in enumerate(found)}
    out = list(found)
    for field, descending in reversed(sorts):
        if field == "_score":
            out.sort(key=lambda e: rank[e.id], reverse=not descending)
            continue
        values = {e.id: _sort_value(e, field, seen) for e in out}
        present = [e for e in out if values[e.id] is not None]
        present.sort(key=lambda e: values[e.id] or "", reverse=descending)
        out = present + [e for e in out if values[e.id] is None]
    return out


def _sort_value(entry: Entry, field: str, seen: dict[str, Seen]) -> str | None:
    if field == "caption":
        return entry.primary_name.casefold()
    value: str | None = getattr(seen[entry.id], field)
    return value


@dataclass(frozen=True, slots=True)
class Facts:
    """What the filters and facets of a search read of an entry (cheaper than its whole
    FtM entity, which only the page's results need)."""

    datasets: list[str]
    schema: str
    countries: list[str]
    topics: list[str]


def facts_of(entry: Entry) -> Facts:
    return Facts(
        entry_datasets(entry),
        OUR_SCHEMA_TO_FTM.get(entry.schema, "LegalEntity"),
        [c.lower() for c in entry.countries],
        entry_topics(entry),
    )


def in_scope(entry: Entry, facts: Facts, scope: Scope, opts: SearchOptions) -> bool:
    """Whether ``entry`` is in a search's dataset scope and passes its filters."""
    datasets = set(facts.datasets)
    if scope.dataset and scope.dataset not in datasets:
        return False
    if scope.source and entry.source != scope.source:
        return False
    if scope.lists and entry.list.upper() not in scope.lists:
        return False
    if opts.schema not in ("Thing", "LegalEntity") and facts.schema != opts.schema:
        return False
    if facts.schema in opts.exclude_schema or opts.target is False:
        return False
    if opts.countries and not set(facts.countries) & {c.lower() for c in opts.countries}:
        return False
    if opts.topics and not set(facts.topics) & set(opts.topics):
        return False
    for wanted in (opts.datasets, opts.include_dataset):
        if wanted and not datasets & set(wanted):
            return False
    return not datasets & set(opts.exclude_dataset)


def search_dict(screener: Screener, dataset: str, opts: SearchOptions) -> dict[str, Any]:
    """yente's SearchResponse for a text query (an empty one lists the dataset's entries
    in store order).

    Raises:
        InputError: unknown schema (400).
        NotFoundError: unknown dataset (404).
    """
    if opts.schema not in FTM_SCHEMATA:
        raise InputError(f"Invalid schema {opts.schema[:40]!r}")
    filters, sorts = parse_filters(opts.filter), parse_sorts(opts.sort)
    view = screener.view()
    scope = dataset_scope(screener, view, dataset)
    entries = _candidates(screener, view, opts)
    found: list[Entry] = []
    # The seen dates read each entry's history from the store: only when asked for.
    dated = opts.changed_since or any(f not in ("_score", "caption") for f, _ in sorts)
    seen: dict[str, Seen] = {}
    facets: dict[str, Counter[str]] = {f: Counter() for f in opts.facets}
    for entry in entries:
        facts = facts_of(entry)
        if not in_scope(entry, facts, scope, opts) or not _has(entry, filters):
            continue
        if dated:
            seen[entry.id] = entry_seen(screener, view, entry.id)
            if opts.changed_since and not changed_since(seen[entry.id], opts.changed_since):
                continue
        found.append(entry)
        values = {"countries": facts.countries, "topics": facts.topics,
                  "datasets": facts.datasets, "schema": [facts.schema]}
        for facet in facets:
            facets[facet].update(values.get(facet, []))
    if sorts:
        found = _sorted(found, seen, sorts)
    page = [
        entity_dict(entry, seen=seen.get(entry.id) or entry_seen(screener, view, entry.id))
        for entry in found[opts.offset: opts.offset + opts.limit]
    ]
    labels = {"countries": "Countries", "topics": "Topics", "datasets": "Data sources",
              "schema": "Entity types"}
    return {
        "limit": opts.limit,
        "offset": opts.offset,
        "total": {"value": len(found),
                  "relation": "gte" if len(entries) >= MAX_SCAN else "eq"},
        "results": page,
        "facets": {
            name: {
                "label": labels.get(name, name),
                "values": [{"name": k, "label": k, "count": n}
                           for k, n in counts.most_common(50)],
            }
            for name, counts in facets.items()
        },
    }


def _has(entry: Entry, filters: list[tuple[str, str]]) -> bool:
    """Whether the entry's FtM properties hold every ``(property, value)`` filter (values
    compared case-folded, whole: yente's keyword match)."""
    if not filters:
        return True
    props = entry_properties(entry)
    return all(
        any(v.casefold() == value for v in props.get(prop, ())) for prop, value in filters
    )


def _candidates(screener: Screener, view: ListView, opts: SearchOptions) -> list[Entry]:
    """The entries a query finds, best first: screened by name, or every entry (up to the
    page's end) for an empty query."""
    if opts.q.strip():
        schema = opts.schema if opts.schema in FTM_SCHEMATA else "Thing"
        party = party_from_example(schema, {"name": [opts.q.strip()]}, None)
        [result] = screener.screen_many(
            [party], threshold=opts.threshold, limit=100, view=view
        )
        out: list[Entry] = []
        for hit in result.hits:
            out.append(view.entry(hit.match.entry_id))
        return out
    out = []
    for snap in view.snapshots:
        for entry in screener.store.iter_entries(snap.id):
            out.append(entry)
            if len(out) >= MAX_SCAN:
                return out
    return out


__all__ = [
    "Facts",
    "SearchOptions",
    "adjacent_dict",
    "catalog_dict",
    "facts_of",
    "in_scope",
    "parse_filters",
    "parse_sorts",
    "search_dict",
]


def _ownership_dict(owner: str, owned: str, share: float | None, since: str | None
                    ) -> dict[str, Any]:
    """An ownership edge as an FtM ``Ownership`` entity (owner and asset by id)."""
    props: dict[str, list[str]] = {"owner": [yente_id(owner)], "asset": [yente_id(owned)]}
    if share is not None:
        props["percentage"] = [f"{share:g}"]
    if since:
        props["startDate"] = [since]
    return {
        "id": f"ownership:{yente_id(owner)}>{yente_id(owned)}",
        "caption": "Ownership",
        "schema": "Ownership",
        "properties": props,
        "datasets": [OWNERSHIP_DATASET],
        "referents": [],
        "target": False,
        "first_seen": None,
        "last_seen": None,
        "last_change": None,
    }


def adjacent_dict(
    screener: Screener, entry_id: str, limit: int, offset: int
) -> dict[str, Any]:
    """yente's EntityAdjacentResponse: the entity and its ownerships, as owner
    (``ownershipOwner``) and as asset (``ownershipAsset``), from the ownership graph.

    Raises:
        NotFoundError: no such entity (404).
    """
    view = screener.view()
    entry = find_entry(view, entry_id)
    graph = view.graph
    as_asset = graph.owners_of(entry.id)
    as_owner = [e for e in graph.edges if e.owner_id == entry.id]
    adjacent: dict[str, Any] = {}
    for prop, edges in (("ownershipOwner", as_owner), ("ownershipAsset", as_asset)):
        results = [
            _ownership_dict(e.owner_id, e.owned_id, e.share,
                            e.date.isoformat() if e.date else None)
            for e in edges
        ]
        adjacent[prop] = {
            "limit": limit,
            "offset": offset,
            "total": {"value": len(results), "relation": "eq"},
            "results": results[offset: offset + limit],
        }
    seen = entry_seen(screener, view, entry.id)
    return {"entity": entity_dict(entry, seen=seen), "adjacent": adjacent}
