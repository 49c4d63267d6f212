"""yente's query by example (``POST /match/{dataset}``) over the Screener (issue #14).

The route hands over the request as parsed; this module checks it as yente does (dataset,
schema, algorithm, config), screens every example in one view of the lists, filters the
merged hits by yente's dataset, topic, schema and id options, and returns the answer as
yente's ``EntityMatchResponse`` dict (docs/api.md, "yente compatibility").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import InputError, NotFoundError
from ..model import Entry
from ..results import Hit
from .algorithms import algorithm_version, check_algorithm, default_threshold
from .view import ListView, shown_on
from .yente import (
    ALL_DATASETS,
    Seen,
    candidate_ids,
    dataset_name,
    entity_dict,
    entry_topics,
    ftm_schema,
    ftm_time,
    is_ftm_source,
    normalise_example,
    party_from_example,
    yente_id,
)

if TYPE_CHECKING:
    from . import Screener

#: Most queries in one /match request (yente's MAX_BATCH is 100; ours was 1,000 before).
MAX_QUERIES = 1000
#: Candidates screened per query when results are filtered after matching (by dataset,
#: topic, schema or id), so that the filter does not empty a short list of hits.
FILTER_POOL = 100


@dataclass(frozen=True)
class MatchOptions:
    """yente's query parameters of ``/match``."""

    limit: int = 5
    threshold: float | None = None
    cutoff: float | None = None
    algorithm: str | None = None
    include_dataset: Sequence[str] = ()
    exclude_dataset: Sequence[str] = ()
    topics: Sequence[str] = ()
    exclude_schema: Sequence[str] = ()
    exclude_entity_ids: Sequence[str] = ()
    config: Mapping[str, Any] = field(default_factory=dict)
    #: ISO date or time: only entities whose current version appeared since then.
    changed_since: str | None = None


@dataclass(frozen=True)
class Scope:
    """What a dataset path selects: every entry, one list code, or one dataset name."""

    lists: list[str] | None = None
    dataset: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class FtmIndex:
    """What OpenSanctions entities carry beyond our entries: their referents (merged-in
    ids -> entry id) and the datasets named on them."""

    referents: dict[str, str]
    datasets: frozenset[str]


#: The FtM index of the latest view's snapshots (``ListView.index_key`` -> index): one
#: pass over the OpenSanctions entries per data version, not per request.
_FTM_INDEX: dict[str, FtmIndex] = {}


def ftm_index(screener: Screener, view: ListView) -> FtmIndex:
    """The :class:`FtmIndex` of ``view`` (cached for its snapshots)."""
    found = _FTM_INDEX.get(view.index_key)
    if found is None:
        referents: dict[str, str] = {}
        datasets: set[str] = set()
        for snap in view.snapshots:
            if not is_ftm_source(snap.source):
                continue
            for entry in screener.store.iter_entries(snap.id):
                datasets.update(entry.properties.get("datasets", ()))
                for referent in entry.properties.get("referents", ()):
                    referents.setdefault(referent, entry.id)
        found = FtmIndex(referents, frozenset(datasets))
        _FTM_INDEX.clear()
        _FTM_INDEX[view.index_key] = found
    return found


def known_datasets(screener: Screener, view: ListView) -> set[str]:
    """Dataset names the view holds: its sources' and those OpenSanctions entities name."""
    return {dataset_name(s.source) for s in view.snapshots} | ftm_index(screener, view).datasets


def referent_of(screener: Screener, view: ListView, given: str) -> str | None:
    """The entry an OpenSanctions referent id was merged into (yente redirects to it)."""
    return ftm_index(screener, view).referents.get(given)


def dataset_scope(screener: Screener, view: ListView, dataset: str) -> Scope:
    """The scope of a ``/match/{dataset}`` path: a collection (everything), a dataset name,
    or (kept from before issue #14) a list code or one of our source ids.

    Raises:
        NotFoundError: None of these (yente's 404), naming the datasets there are.
    """
    if dataset.lower() in ALL_DATASETS:
        return Scope()
    names = known_datasets(screener, view)
    if dataset in names:
        return Scope(dataset=dataset)
    codes = {c.upper() for s in view.snapshots for c in screener.store.list_counts(s.id)}
    if dataset.upper() in codes:
        return Scope(lists=[dataset.upper()])
    if dataset in {s.source for s in view.snapshots}:
        return Scope(source=dataset)
    known = ", ".join(sorted({*ALL_DATASETS, *names}))
    raise NotFoundError(f"dataset {dataset!r} not found; known: {known}")


#: yente's names for "the server's default / best algorithm", which its clients send.
DEFAULT_ALIASES = ("best", "default")


def match_algorithm(name: str | None) -> str:
    """The algorithm a yente ``algorithm=`` names: ours, or ``best``/``default`` for our
    default; yente's own (``logic-v2``, ``name-based``, ...) are not ours: 400.

    Raises:
        InputError: an unknown algorithm, naming ours.
    """
    if name is not None and name.strip().lower() in DEFAULT_ALIASES:
        return check_algorithm(None)
    return check_algorithm(name)


def check_config(algorithm: str, config: Mapping[str, Any]) -> None:
    """Our algorithms take no configuration: any key is yente's 400."""
    for key in config:
        raise InputError(f"Invalid configuration parameter: {key} for algorithm {algorithm}")


def entry_seen(screener: Screener, view: ListView, entry_id: str) -> Seen:
    """First and last snapshot date holding the entry (up to the view), and the date its
    current version first appeared."""
    history = screener.history(entry_id)
    held = sorted(
        (shown_on(s), version)
        for s, version in history.timeline
        if version is not None and s.id <= view.upto
    )
    if not held:
        return Seen()
    current = held[-1][1]
    changed = held[-1][0]
    for day, version in reversed(held):
        if version != current:
            break
        changed = day
    return Seen(ftm_time(held[0][0]), ftm_time(held[-1][0]), ftm_time(changed))


def find_entry(view: ListView, given: str) -> Entry:
    """The entry a yente id names: our own id (``us_ofac_sdn:12345``) or an OpenSanctions
    entity's id without our prefix (``NK-...``, ``Q7747``).

    Raises:
        NotFoundError: No entry has that id (404).
    """
    ftm = [s.source for s in view.snapshots if is_ftm_source(s.source)]
    for entry_id in candidate_ids(given, ftm):
        try:
            return view.entry(entry_id)
        except NotFoundError:
            continue
    raise NotFoundError(f"No such entity: {given[:200]!r}")


def _explanations(hit: Hit) -> dict[str, dict[str, Any]]:
    """yente's FtResult per feature: ``score`` and ``detail`` (and which query and listed
    value matched), plus our legal verdict as a feature of its own."""
    m = hit.match
    out: dict[str, dict[str, Any]] = {
        "name": {
            "score": round(m.score, 4),
            "detail": m.explanation,
            "query": m.query_name,
            "candidate": m.matched_name,
        }
    }
    for name, value in m.features.items():
        if isinstance(value, int | float) and not isinstance(value, bool) and name != "name":
            out[name] = {"score": float(value), "detail": None, "query": None, "candidate": None}
    # The verdict is what an export-control user acts on; as a feature it keeps yente's
    # shape (score 1.0: the entry is listed with that legal effect).
    out["legal"] = {"score": 1.0, "detail": hit.legal.verdict, "query": None,
                    "candidate": None}
    return out


def _keep(
    data: dict[str, Any], topics: list[str], hit: Hit, scope: Scope, opts: MatchOptions
) -> bool:
    datasets = set(data["datasets"])
    if scope.dataset and scope.dataset not in datasets:
        return False
    if scope.source and scope.source not in {hit.match.source, *(c.source for c in hit.copies)}:
        return False
    if opts.include_dataset and not datasets & set(opts.include_dataset):
        return False
    if datasets & set(opts.exclude_dataset):
        return False
    if opts.topics and not set(topics) & set(opts.topics):
        return False
    if data["schema"] in opts.exclude_schema:
        return False
    ids = {data["id"], *data["referents"]}
    return not ids & set(opts.exclude_entity_ids)


def _filtering(scope: Scope, opts: MatchOptions) -> bool:
    return bool(
        scope.dataset or scope.source or opts.include_dataset or opts.exclude_dataset
        or opts.topics or opts.exclude_schema or opts.exclude_entity_ids or opts.changed_since
    )


def match_examples(
    screener: Screener,
    dataset: str,
    queries: Mapping[str, tuple[str | None, str, Mapping[str, Any]]],
    opts: MatchOptions,
) -> dict[str, Any]:
    """yente's ``/match`` answer for ``queries`` (name -> (id, schema, properties)).

    Raises:
        InputError: unknown algorithm, config key or schema; a query with no name or a
            country that is none (400).
        NotFoundError: unknown dataset (404).
    """
    chosen = match_algorithm(opts.algorithm)
    check_config(chosen, opts.config)
    threshold = default_threshold(chosen) if opts.threshold is None else opts.threshold
    # yente returns results down to the (deprecated) cutoff, and marks those at or over
    # the threshold as matches.
    floor = threshold if opts.cutoff is None else min(opts.cutoff, threshold)
    view = screener.view()
    scope = dataset_scope(screener, view, dataset)
    if not queries:
        raise InputError("No queries provided.")
    if len(queries) > MAX_QUERIES:
        raise InputError(f"Too many queries in one batch (limit: {MAX_QUERIES})")
    echoes: dict[str, dict[str, Any]] = {}
    parties = []
    for name, (qid, schema, properties) in queries.items():
        spelled = ftm_schema(schema)
        props = normalise_example(spelled, properties)
        echoes[name] = {"id": qid, "schema": spelled, "properties": props}
        parties.append(party_from_example(spelled, props, qid))
    filtering = _filtering(scope, opts)
    pool = FILTER_POOL if filtering else opts.limit
    results = screener.screen_many(
        parties, threshold=floor, limit=pool, lists=scope.lists, view=view, algorithm=chosen
    )
    responses: dict[str, Any] = {}
    for name, result in zip(queries, results, strict=True):
        scored: list[tuple[str, dict[str, Any]]] = []
        for hit in result.hits:
            data = scored_entity(view, hit, threshold)
            entry = view.entry(hit.match.entry_id)
            topics = sorted({t for e in _with_copies(view, entry, hit) for t in entry_topics(e)})
            if _keep(data, topics, hit, scope, opts):
                scored.append((entry.id, data))
        if opts.changed_since:
            scored = [
                (entry_id, data | _seen_fields(seen))
                for entry_id, data in scored
                if changed_since(seen := entry_seen(screener, view, entry_id), opts.changed_since)
            ]
        # The dates read the store's history: only for the results answered (all of them,
        # above, when they filter).
        page = [
            data if opts.changed_since else data | _seen_fields(entry_seen(screener, view, i))
            for i, data in scored[: opts.limit]
        ]
        # Unfiltered, the screening counted its hits before the limit; filtered, the pool
        # left after the filters is the count.
        total = result.total if not filtering and result.total is not None else len(scored)
        relation = "gte" if result.total_capped else "eq"
        responses[name] = {
            "status": 200,
            "results": page,
            "total": {"value": total, "relation": relation},
            "query": echoes[name],
        }
    return {
        "responses": responses,
        "matcher": matcher_docs(chosen),
        "limit": opts.limit,
    }


def _with_copies(view: ListView, entry: Entry, hit: Hit) -> list[Entry]:
    return [entry, *(view.entry(c.entry_id) for c in hit.copies)]


def changed_since(seen: Seen, since: str) -> bool:
    """Whether the entity's current version appeared at or after ``since`` (ISO text; our
    dates are snapshot dates, so a time of day on ``since`` compares with midnight)."""
    return seen.last_change is not None and seen.last_change >= since[:19]


def _seen_fields(seen: Seen) -> dict[str, str | None]:
    return {"first_seen": seen.first_seen, "last_seen": seen.last_seen,
            "last_change": seen.last_change}


def scored_entity(view: ListView, hit: Hit, threshold: float) -> dict[str, Any]:
    """yente's ScoredEntityResponse of a hit: the merged entity, score, match, features and
    explanations (the seen dates left None: see :func:`entry_seen`)."""
    m = hit.match
    entry = view.entry(m.entry_id)
    copies = [view.entry(c.entry_id) for c in hit.copies]
    data = entity_dict(entry, copies=copies)
    explanations = _explanations(hit)
    data.update(
        score=round(m.score, 4),
        match=m.score >= threshold,
        features={k: v["score"] for k, v in explanations.items()},
        explanations=explanations,
    )
    return data


#: What each algorithm is, for ``/algorithms`` and ``matcher``.
ALGORITHM_DESCRIPTIONS = {
    "entityscreen": "entityscreen's matcher: names across scripts and transliterations, "
    "with country, birth date, identifier and schema evidence (docs/matching.md).",
    "ofac": "The score of OFAC's Sanctions List Search, reproduced (docs/matching.md).",
}
#: The features an answer's ``explanations`` may hold, per algorithm.
FEATURE_DESCRIPTIONS = {
    "name": "The best name score of the query against the entry's names, with its reason.",
    "legal": "The entry's legal effect (the export-control verdict), in 'detail'.",
}


def matcher_docs(algorithm: str) -> dict[str, dict[str, Any]]:
    """yente's FeatureDocs of an algorithm (``matcher`` of a match answer)."""
    return {
        name: {"description": text, "coefficient": 1.0, "url": "docs/api.md#yente-compatibility"}
        for name, text in FEATURE_DESCRIPTIONS.items()
    }


def algorithm_header(algorithm: str) -> str:
    """The ``X-Algorithm`` header of a match answer: name and version (yente's body has no
    place for them)."""
    return f"{algorithm} {algorithm_version(algorithm)}"


def algorithms_dict(names: Collection[str], default: str) -> dict[str, Any]:
    """yente's ``/algorithms`` answer."""
    out = []
    for name in names:
        features = matcher_docs(name)
        out.append({
            "name": name,
            "description": ALGORITHM_DESCRIPTIONS.get(name),
            "features": features,
            "docs": {
                "name": name,
                "description": ALGORITHM_DESCRIPTIONS.get(name),
                "config": {},
                "features": features,
            },
        })
    return {"algorithms": out, "default": default, "best": default}


__all__ = [
    "MAX_QUERIES",
    "MatchOptions",
    "Scope",
    "algorithm_header",
    "algorithms_dict",
    "changed_since",
    "dataset_scope",
    "entry_seen",
    "find_entry",
    "ftm_index",
    "known_datasets",
    "match_algorithm",
    "match_examples",
    "matcher_docs",
    "referent_of",
    "scored_entity",
    "yente_id",
]
