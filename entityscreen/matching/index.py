"""An in-memory index over every listed name: candidates, scoring, persistence.

Build once per snapshot with :meth:`MatchIndex.build`, screen many times:

1. *Candidates.* Each listed name form is filed under keys
   (:mod:`entityscreen.matching.keys`): its tokens, their one-letter deletions (typos),
   transliteration and Metaphone keys, consonant skeletons, joined neighbours and
   initials. Keys are hashed to 64-bit integers (a stable hash of the key's first 32
   bytes) and kept as three numpy arrays: sorted hashes, offsets, posting name ids.
   A query's keys hit names; each query token adds its rarity weight (times the best key
   factor) to the names it hits; names are ranked by that sum. What a distinct query
   token hits (names and best weight) is cached per index, so a recurring token costs
   no lookup; the sum over tokens is one stable sort of the cached hits.
2. *Scoring.* The best-ranked names (at most ``max_scored``, and only those whose hits
   cover ``min_coverage`` of the query's weight) are scored with exactly the scorer of
   :func:`~entityscreen.matching.compare_names` (``schema`` = the entry's schema,
   rarity = the index's), then country and schema evidence applies
   (:mod:`entityscreen.matching.evidence`).
3. *Persistence.* :meth:`MatchIndex.save` writes one pickle file (protocol 5) holding
   plain lists and numpy arrays; :meth:`MatchIndex.load` reads it back in a fraction of a
   second. Name analyses are not stored: they are recomputed on first use and cached
   (only the ~10 candidates of a query need them: a first query after ``load`` costs
   about 30 ms, nearly all of it loading the word lists; storing the analyses would
   make the file several times larger and ``load`` slower than that).
   Pickle runs code on load: only load files your own store wrote (the service keeps them
   in the user's store directory, one per snapshot hash), never a file from elsewhere.

Token rarity is the package's default table (the real lists) plus this index's own
document frequencies.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import pickle
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from ..errors import InputError
from ..model import Entry, NameKind, Party, Schema
from ..names import analyze_name
from ..names.analysis import NameAnalysis
from ..names.tokens import Token, TokenKind
from .calibration import calibrate
from .evidence import apply_evidence, identifier_keys, most_raised
from .explain import explain_comparison
from .features import DEFAULT_THRESHOLD, Context, match_features, score_outcome
from .keys import KEY_FACTORS, form_group_keys, token_keys, token_signature
from .rarity import Rarity, default_rarity
from .scorer import (
    Outcome,
    Part,
    form_parts,
    person_hint,
    score_analyses,
)
from .types import Match

FORMAT = "entityscreen-matchindex"
FORMAT_VERSION = 2
_KEY_BYTES = 32
_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93],
    dtype=np.uint64,
)
#: Keys with more postings than this are too common to find candidates with.
MAX_POSTINGS = 20_000
#: Ranked candidate names looked at per query name, and names scored per entry.
_RANKED_NAMES = 200
_NAMES_PER_ENTRY = 3
_GROUP_WEIGHT_CAP = 12.0
#: Cached token hits (see ``MatchIndex._token_hits``) kept at most, in names (12 bytes
#: each: ~36 MB). 5,000 queries over the real lists cache about 0.8 million.
_MAX_CACHED_HITS = 3_000_000

IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]


class _Scored(NamedTuple):
    """One listed name scored against a party (what :meth:`MatchIndex.scored` yields)."""

    score: float
    name_score: float
    query: _Query
    outcome: Outcome
    values: dict[str, float]
    notes: list[str]
    evidence: dict[str, float | str]


class _Query:
    """A query name, analysed as a person's name or not on demand, with weighed parts."""

    __slots__ = ("_index", "_parts", "_views", "name", "ranked")

    def __init__(
        self, index: MatchIndex, name: str, hint: bool | None, ranked: NameAnalysis
    ) -> None:
        self._index = index
        self.name = name
        self.ranked = ranked
        self._views: dict[bool | None, NameAnalysis] = {hint: ranked}
        self._parts: dict[bool | None, list[list[Part]]] = {}

    def view(self, hint: bool | None) -> tuple[NameAnalysis, list[list[Part]]]:
        """The analysis with this person hint (see ``analyze_name``) and its parts."""
        analysis = self._views.get(hint)
        if analysis is None:
            analysis = self._index._query(self.name, hint)
            self._views[hint] = analysis
        parts = self._parts.get(hint)
        if parts is None:
            parts = [form_parts(f, self._index.rarity) for f in analysis.forms]
            self._parts[hint] = parts
        return analysis, parts


def hash_keys(keys: Sequence[str]) -> npt.NDArray[np.uint64]:
    """Stable 64-bit hashes of candidate keys (same value in every process and run).

    Args:
        keys: ASCII keys.

    Returns:
        One hash per key.
    """
    if not keys:
        return np.zeros(0, dtype=np.uint64)
    raw = np.array(keys, dtype=f"S{_KEY_BYTES}")
    words = raw.view(np.uint64).reshape(len(keys), _KEY_BYTES // 8)
    with np.errstate(over="ignore"):
        mixed = words * _MULTIPLIERS
        h = mixed[:, 0] ^ (mixed[:, 1] >> np.uint64(7)) ^ (mixed[:, 2] << np.uint64(3))
        h ^= mixed[:, 3] >> np.uint64(11)
        h ^= h >> np.uint64(29)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
    out: npt.NDArray[np.uint64] = h.astype(np.uint64, copy=False)
    return out


#: Distinct key factors, best first; a key's level is the index of its factor here.
_LEVEL_FACTORS: tuple[float, ...] = tuple(sorted(set(KEY_FACTORS.values()), reverse=True))
_LEVELS = len(_LEVEL_FACTORS)
_KEY_LEVEL = {
    prefix: _LEVEL_FACTORS.index(KEY_FACTORS[prefix.lower()])
    for prefix in [*KEY_FACTORS, *(p.upper() for p in KEY_FACTORS)]
}
_QUERY_TOKEN_KEYS: dict[tuple[object, ...], tuple[npt.NDArray[np.uint64], IntArray]] = {}


def _query_token_keys(token: Token) -> tuple[npt.NDArray[np.uint64], IntArray]:
    """Hashes and factor levels of a query token's keys, computed once per distinct token."""
    sig = token_signature(token, query=True)
    cached = _QUERY_TOKEN_KEYS.get(sig)
    if cached is None:
        keys = token_keys(token, query=True)
        cached = (hash_keys(keys), np.array([_KEY_LEVEL[k[0]] for k in keys], dtype=np.int64))
        if len(_QUERY_TOKEN_KEYS) >= 200_000:
            _QUERY_TOKEN_KEYS.clear()
        _QUERY_TOKEN_KEYS[sig] = cached
    return cached


_KEY_HASHES: dict[str, int] = {}


def _cached_hashes(keys: list[str]) -> npt.NDArray[np.uint64]:
    """``hash_keys(keys)``, from a cache of single keys (a query's joined words recur)."""
    known = _KEY_HASHES
    if len(known) >= 500_000:
        known.clear()
    missing = [k for k in keys if k not in known]
    if missing:
        known.update(zip(missing, hash_keys(missing).tolist(), strict=True))
    return np.array([known[k] for k in keys], dtype=np.uint64)


def _analyze(value: str, schema: Schema) -> NameAnalysis | None:
    try:
        return analyze_name(value, person=person_hint(schema))
    except InputError:
        return None


def _token_texts(analysis: NameAnalysis) -> set[str]:
    return {
        t.text
        for form in analysis.forms
        for t in form.tokens
        if t.kind in (TokenKind.WORD, TokenKind.LEGAL, TokenKind.INITIAL)
    }


class _Chunk(NamedTuple):
    """Names of a run of entries with their keys (what a build worker sends back)."""

    names: list[str]
    entries: list[int]
    weak: list[bool]
    token_sets: list[set[str]]
    hashes: npt.NDArray[np.uint64]
    ids: npt.NDArray[np.int32]
    analyses: dict[int, NameAnalysis]


class _KeyNumbers:
    """Distinct keys of a build chunk, numbered in order of first use.

    Most tokens recur ("ltd", "mohammad"): each distinct token's keys are made and
    numbered once, and each distinct key string is hashed once, at the end of the chunk.
    """

    __slots__ = ("by_token", "ids")

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.by_token: dict[tuple[object, ...], list[int]] = {}

    def number(self, keys: Iterable[str]) -> list[int]:
        ids = self.ids
        return [ids.setdefault(k, len(ids)) for k in keys]

    def token(self, token: Token) -> list[int]:
        sig = token_signature(token, query=False)
        numbers = self.by_token.get(sig)
        if numbers is None:
            numbers = self.number(token_keys(token, query=False))
            self.by_token[sig] = numbers
        return numbers

    def hashes(self) -> npt.NDArray[np.uint64]:
        return hash_keys(list(self.ids))


def _index_chunk(entries: Sequence[Entry], first: int, keep: bool) -> _Chunk:
    """Analyse and key the names of ``entries`` (numbered from ``first``)."""
    names: list[str] = []
    owners: list[int] = []
    weak: list[bool] = []
    token_sets: list[set[str]] = []
    analyses: dict[int, NameAnalysis] = {}
    numbers = _KeyNumbers()
    key_ids: list[int] = []
    key_counts: list[int] = []
    for offset, entry in enumerate(entries):
        # A name given both as a strong and as a weak alias counts as strong.
        weak_values = {n.value for n in entry.names if n.kind is NameKind.WEAK} - {
            n.value for n in entry.names if n.kind is not NameKind.WEAK
        }
        seen: set[str] = set()
        for name in entry.names:
            if name.value in seen:
                continue
            seen.add(name.value)
            analysis = _analyze(name.value, entry.schema)
            if analysis is None:
                continue
            n = len(names)
            names.append(name.value)
            owners.append(first + offset)
            weak.append(name.value in weak_values)
            if keep:
                analyses[n] = analysis
            token_sets.append(_token_texts(analysis))
            # Keys repeated within a name are removed with the build's global de-duplication.
            before = len(key_ids)
            for form in analysis.forms:
                for token in form.words:
                    key_ids.extend(numbers.token(token))
                for _, group in form_group_keys(form, query=False):
                    key_ids.extend(numbers.number(group))
            key_counts.append(len(key_ids) - before)
    ids = np.repeat(np.arange(len(names), dtype=np.int32), key_counts)
    hashes = numbers.hashes()[np.array(key_ids, dtype=np.int64)]
    return _Chunk(names, owners, weak, token_sets, hashes, ids, analyses)


#: Entries being built, inherited by forked build workers (not pickled to them).
_BUILD_ITEMS: Sequence[Entry] = ()


def _index_range(start: int, stop: int) -> _Chunk:
    with _gc_paused():
        return _index_chunk(_BUILD_ITEMS[start:stop], start, False)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while making many long-lived objects.

    Otherwise full collections walk the growing heap again and again: about a quarter of
    a build's time, and ten times the time of a ``load`` made next to a built index.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class MatchIndex:
    """Listed names, ready to screen parties against.

    Build with :meth:`build` or :meth:`load`; the constructor is internal.
    """

    def __init__(self, state: dict[str, Any]) -> None:
        self.entry_ids: list[str] = state["entry_ids"]
        self.entry_lists: list[str] = state["entry_lists"]
        self.entry_sources: list[str] = state["entry_sources"]
        self.entry_schemas: list[Schema] = [Schema(s) for s in state["entry_schemas"]]
        self.entry_countries: list[tuple[str, ...]] = state["entry_countries"]
        self.entry_primary: list[str] = state["entry_primary"]
        self.entry_birth_dates: list[tuple[str, ...]] = state["entry_birth_dates"]
        self.entry_identifiers: list[frozenset[str]] = state["entry_identifiers"]
        self.name_texts: list[str] = state["name_texts"]
        self.name_entry: npt.NDArray[np.int32] = state["name_entry"]
        #: Whether each name is a weak alias of its entry (see ``features.WEAK_CAP``).
        self.name_weak: list[bool] = state["name_weak"]
        self.key_hashes: npt.NDArray[np.uint64] = state["key_hashes"]
        self.key_offsets: npt.NDArray[np.int64] = state["key_offsets"]
        self.postings: npt.NDArray[np.int32] = state["postings"]
        self.rarity = Rarity(state["rarity_counts"], state["rarity_total"])
        self._analyses: dict[int, NameAnalysis] = state.get("analyses", {})
        self._query_cache: dict[tuple[str, bool | None], NameAnalysis] = {}
        self._parts: dict[int, list[list[Part]]] = {}
        self._hits: dict[tuple[object, ...], tuple[Int32Array, npt.NDArray[np.float64]]] = {}
        self._hits_size = 0
        self.name_lengths: list[int] = [len(text) for text in self.name_texts]

    # ------------------------------------------------------------------ building

    @classmethod
    def build(
        cls,
        entries: Iterable[Entry],
        *,
        rarity: Rarity | None = None,
        keep_analyses: bool = True,
        workers: int = 1,
    ) -> MatchIndex:
        """Index every name of every entry.

        Args:
            entries: The listed entries.
            rarity: Base rarity table; defaults to the package's table of the real lists.
                The index adds its own names' document frequencies to it.
            keep_analyses: Keep the analysed names in memory (faster first queries;
                turn off for very large indexes). Only with ``workers=1``.
            workers: Processes analysing names (forked, POSIX only). With more than one,
                analyses are not kept: each name is analysed again on its first use.

        Returns:
            The index.
        """
        with _gc_paused():
            return cls._build(entries, rarity=rarity, keep_analyses=keep_analyses, workers=workers)

    @classmethod
    def _build(
        cls,
        entries: Iterable[Entry],
        *,
        rarity: Rarity | None,
        keep_analyses: bool,
        workers: int,
    ) -> MatchIndex:
        items = list(entries)
        entry_ids = [e.id for e in items]
        entry_lists = [e.list for e in items]
        entry_sources = [e.source for e in items]
        entry_schemas = [e.schema.value for e in items]
        entry_countries = [tuple(e.countries) for e in items]
        entry_primary = [e.primary_name for e in items]
        entry_birth_dates = [tuple(e.birth_dates) for e in items]
        entry_identifiers = [identifier_keys(i.value for i in e.identifiers) for e in items]
        if workers > 1 and len(items) >= 2000:
            # Forked workers read the entries from this process's memory: only the ranges
            # go to them, only keys and token sets come back.
            global _BUILD_ITEMS
            # Load the word lists here once, so that every worker inherits them.
            _analyze("Warm Up Trading Co., Ltd. 有限公司", Schema.ORGANIZATION)
            size = -(-len(items) // (workers * 4))
            ranges = [(i, min(i + size, len(items))) for i in range(0, len(items), size)]
            _BUILD_ITEMS = items
            try:
                context = multiprocessing.get_context("fork")
                with context.Pool(workers) as pool:
                    parts = pool.starmap(_index_range, ranges, chunksize=1)
            finally:
                _BUILD_ITEMS = ()
        else:
            parts = [_index_chunk(items, 0, keep_analyses)]
        name_texts: list[str] = []
        name_entry: list[int] = []
        name_weak: list[bool] = []
        token_sets: list[set[str]] = []
        hashes: list[npt.NDArray[np.uint64]] = []
        ids: list[npt.NDArray[np.int32]] = []
        analyses: dict[int, NameAnalysis] = {}
        for chunk in parts:
            offset = len(name_texts)
            name_texts.extend(chunk.names)
            name_entry.extend(chunk.entries)
            name_weak.extend(chunk.weak)
            token_sets.extend(chunk.token_sets)
            hashes.append(chunk.hashes)
            ids.append(chunk.ids + np.int32(offset))
            analyses.update({offset + k: v for k, v in chunk.analyses.items()})
        base = rarity or default_rarity()
        own = Rarity.from_token_sets(token_sets)
        combined = base.combined(own.counts, own.total)
        all_hashes = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.uint64)
        all_ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32)
        # Name ids never decrease along the concatenation, so a stable sort by hash alone
        # orders by (hash, name id).
        order = np.argsort(all_hashes, kind="stable")
        all_hashes, all_ids = all_hashes[order], all_ids[order]
        if len(all_hashes):
            keep = np.ones(len(all_hashes), dtype=bool)
            keep[1:] = (all_hashes[1:] != all_hashes[:-1]) | (all_ids[1:] != all_ids[:-1])
            all_hashes, all_ids = all_hashes[keep], all_ids[keep]
        boundary = np.ones(len(all_hashes), dtype=bool)
        boundary[1:] = all_hashes[1:] != all_hashes[:-1]
        starts = np.flatnonzero(boundary)
        unique = all_hashes[starts]
        offsets = np.append(starts, len(all_hashes)).astype(np.int64)
        state: dict[str, Any] = {
            "entry_ids": entry_ids,
            "entry_lists": entry_lists,
            "entry_sources": entry_sources,
            "entry_schemas": entry_schemas,
            "entry_countries": entry_countries,
            "entry_primary": entry_primary,
            "entry_birth_dates": entry_birth_dates,
            "entry_identifiers": entry_identifiers,
            "name_texts": name_texts,
            "name_entry": np.array(name_entry, dtype=np.int32),
            "name_weak": name_weak,
            "key_hashes": unique,
            "key_offsets": offsets,
            "postings": all_ids.astype(np.int32),
            "rarity_counts": combined.counts,
            "rarity_total": combined.total,
            "analyses": analyses,
        }
        return cls(state)

    def __len__(self) -> int:
        return len(self.entry_ids)

    @property
    def name_count(self) -> int:
        """Number of indexed names."""
        return len(self.name_texts)

    # ------------------------------------------------------------------ persistence

    def save(self, path: str | Path) -> None:
        """Write the index to one file (see the module docstring for the format).

        Args:
            path: Destination file; written atomically (temporary file, then rename).
        """
        state = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "entry_ids": self.entry_ids,
            "entry_lists": self.entry_lists,
            "entry_sources": self.entry_sources,
            "entry_schemas": [s.value for s in self.entry_schemas],
            "entry_countries": self.entry_countries,
            "entry_primary": self.entry_primary,
            "entry_birth_dates": self.entry_birth_dates,
            "entry_identifiers": self.entry_identifiers,
            "name_texts": self.name_texts,
            "name_entry": self.name_entry,
            "name_weak": self.name_weak,
            "key_hashes": self.key_hashes,
            "key_offsets": self.key_offsets,
            "postings": self.postings,
            "rarity_counts": self.rarity.counts,
            "rarity_total": self.rarity.total,
        }
        target = Path(path)
        tmp = target.with_name(target.name + ".tmp")
        with open(tmp, "wb") as f:
            pickle.dump(state, f, protocol=5)
        tmp.replace(target)

    @classmethod
    def load(cls, path: str | Path) -> MatchIndex:
        """Read an index written by :meth:`save`.

        Only load files from your own store directory: the format is pickle.

        Args:
            path: The file.

        Returns:
            The index.

        Raises:
            InputError: the file is not an index of this format version.
        """
        with open(path, "rb") as f, _gc_paused():
            state = pickle.load(f)
        if not isinstance(state, dict) or state.get("format") != FORMAT:
            raise InputError(f"{path} is not a match index")
        if state.get("version") != FORMAT_VERSION:
            raise InputError(f"{path} is a match index of another version; rebuild it")
        return cls(state)

    # ------------------------------------------------------------------ analyses

    def analysis(self, name_id: int) -> NameAnalysis:
        """The analysis of an indexed name (computed on first use after :meth:`load`)."""
        cached = self._analyses.get(name_id)
        if cached is None:
            schema = self.entry_schemas[int(self.name_entry[name_id])]
            cached = analyze_name(self.name_texts[name_id], person=person_hint(schema))
            self._analyses[name_id] = cached
        return cached

    def _query(self, name: str, hint: bool | None) -> NameAnalysis:
        key = (name, hint)
        cached = self._query_cache.get(key)
        if cached is None:
            cached = analyze_name(name, person=hint)
            if len(self._query_cache) > 10_000:
                self._query_cache.clear()
            self._query_cache[key] = cached
        return cached

    # ------------------------------------------------------------------ candidates

    def _lookup(self, keys: list[str]) -> tuple[npt.NDArray[np.int32], IntArray]:
        """Posting name ids of each key, concatenated, and the number per key."""
        return self._lookup_hashes(hash_keys(keys))

    def _lookup_hashes(
        self, hashes: npt.NDArray[np.uint64]
    ) -> tuple[npt.NDArray[np.int32], IntArray]:
        """Posting name ids of each key hash, concatenated, and the number per key."""
        n = len(self.key_hashes)
        if n == 0:
            return np.zeros(0, dtype=np.int32), np.zeros(len(hashes), dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.key_hashes, hashes), n - 1)
        found = self.key_hashes[pos] == hashes
        starts = self.key_offsets[pos]
        sizes = np.where(found, self.key_offsets[pos + 1] - starts, 0)
        sizes[sizes > MAX_POSTINGS] = 0
        total = int(sizes.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int32), sizes
        # Gather every posting slice at once: start of its slice plus the rank within it.
        cumulative = np.cumsum(sizes) - sizes
        within = np.arange(total, dtype=np.int64) - np.repeat(cumulative, sizes)
        return self.postings[np.repeat(starts, sizes) + within], sizes

    def _query_names(self, party: Party) -> list[str]:
        names = [party.name, *party.aliases]
        return [n for n in dict.fromkeys(names) if isinstance(n, str) and n.strip()]

    def _token_hits(self, token: Token) -> tuple[Int32Array, npt.NDArray[np.float64]]:
        """The names a query token's keys hit (ascending, once each) and its best weight.

        What a token hits depends only on the index and on what :func:`token_keys` and the
        token's weight read of it, so it is cached per distinct token (bounded).
        """
        sig = token_signature(token, query=True)
        cached = self._hits.get(sig)
        if cached is not None:
            return cached
        weight = self._weight(token)
        hashes, levels = _query_token_keys(token)
        hits, sizes = self._lookup_hashes(hashes)
        # Codes name * _LEVELS + level sort by name, then best key first.
        keyed = hits.astype(np.int64) * _LEVELS + np.repeat(levels, sizes)
        keyed.sort()
        names = keyed // _LEVELS
        first = np.ones(len(keyed), dtype=bool)
        first[1:] = names[1:] != names[:-1]
        table = np.array([weight * factor for factor in _LEVEL_FACTORS])
        cached = (names[first].astype(np.int32), table[keyed[first] % _LEVELS])
        self._hits_size += len(cached[0])
        if self._hits_size > _MAX_CACHED_HITS:
            self._hits.clear()
            self._hits_size = len(cached[0])
        self._hits[sig] = cached
        return cached

    def rank_names(
        self, analyses: Sequence[NameAnalysis], *, top: int = 1000
    ) -> tuple[IntArray, npt.NDArray[np.float64], float]:
        """Candidate names for query analyses, best first.

        Each query token (and each joined-words or acronym key) is a group; a group counts
        once per name it hits, with its best key's weight, and a name's weight is the sum
        over groups (added in group order).

        Args:
            analyses: The analysed query names.
            top: Keep at most this many names.

        Returns:
            Name ids, their candidate weights (descending) and the query's total weight.
        """
        # Groups in order: a token's (names, weights), or the index of a loose key.
        groups: list[tuple[Int32Array, npt.NDArray[np.float64]] | int] = []
        loose_keys: list[str] = []
        loose_weights: list[float] = []
        total = 0.0
        for analysis in analyses:
            for form in analysis.forms:
                form_total = 0.0
                for token in form.words:
                    form_total += self._weight(token)
                    groups.append(self._token_hits(token))
                for _, keys in form_group_keys(form, query=True):
                    # Every loose group has one key, whose postings are unique and sorted.
                    (key,) = keys
                    groups.append(len(loose_keys))
                    loose_keys.append(key)
                    loose_weights.append(_GROUP_WEIGHT_CAP * KEY_FACTORS[key[0].lower()])
                total = max(total, form_total)
        if not groups:
            return np.zeros(0, dtype=np.int64), np.zeros(0), total
        loose: list[tuple[Int32Array, npt.NDArray[np.float64]]] = []
        if loose_keys:
            hits, sizes = self._lookup_hashes(_cached_hashes(loose_keys))
            ends = np.cumsum(sizes).tolist()
            starts = [0, *ends[:-1]]
            for i, (a, b) in enumerate(zip(starts, ends, strict=True)):
                loose.append((hits[a:b], np.full(b - a, loose_weights[i])))
        parts = [loose[g] if isinstance(g, int) else g for g in groups]
        name_ids = np.concatenate([p[0] for p in parts])
        if not len(name_ids):
            return np.zeros(0, dtype=np.int64), np.zeros(0), total
        # A stable sort by name keeps each name's groups in group order for the sum.
        order = np.argsort(name_ids, kind="stable")
        name_ids = name_ids[order]
        weights = np.concatenate([p[1] for p in parts])[order]
        new_name = np.ones(len(name_ids), dtype=bool)
        new_name[1:] = name_ids[1:] != name_ids[:-1]
        unique_names = name_ids[new_name]
        sums: npt.NDArray[np.float64] = np.bincount(
            np.cumsum(new_name) - 1, weights=weights
        ).astype(np.float64)
        if len(sums) > top:
            keep = np.argpartition(-sums, top)[:top]
            unique_names, sums = unique_names[keep], sums[keep]
        ranked = np.argsort(-sums, kind="stable")
        return unique_names[ranked].astype(np.int64), sums[ranked], total

    def _weight(self, token: Token) -> float:
        """A query token's candidate weight (its rarity; fixed for numbers and initials)."""
        if token.kind is TokenKind.NUMBER:
            return 4.0
        if token.kind is TokenKind.INITIAL:
            return 1.0
        return self.rarity.weight(token.text)

    def candidates(self, party: Party, *, limit: int = 50) -> list[str]:
        """Ids of the entries most likely to match ``party``, best first (no scoring).

        Args:
            party: The party to screen.
            limit: At most this many entries.

        Returns:
            Entry ids.
        """
        hint = person_hint(party.schema)
        analyses = []
        for name in self._query_names(party):
            try:
                analyses.append(self._query(name, hint))
            except InputError:
                continue
        name_ids, _, _ = self.rank_names(analyses)
        out: list[str] = []
        seen: set[int] = set()
        for n in name_ids.tolist():
            e = int(self.name_entry[n])
            if e not in seen:
                seen.add(e)
                out.append(self.entry_ids[e])
                if len(out) >= limit:
                    break
        return out

    # ------------------------------------------------------------------ screening

    def _listed_parts(self, name_id: int) -> list[list[Part]]:
        cached = self._parts.get(name_id)
        if cached is None:
            cached = [form_parts(form, self.rarity) for form in self.analysis(name_id).forms]
            self._parts[name_id] = cached
        return cached

    def _score(
        self, party: Party, queries: list[_Query], name_id: int, entry: int, floor: float = 0.0
    ) -> _Scored:
        """Score one listed name of ``entry`` against the party's names (best query).

        ``floor``: a name whose base score cannot reach it, even with the most the party's
        evidence can add, is not run through the model (the model only lowers a score).
        """
        schema = self.entry_schemas[entry]
        hint = person_hint(schema)
        listed = self.analysis(name_id)
        listed_parts = self._listed_parts(name_id)
        best_query, best_outcome = queries[0], None
        for query in queries:
            analysis, parts = query.view(hint)
            outcome = score_analyses(
                analysis,
                listed,
                self.rarity,
                left_parts=parts,
                right_parts=listed_parts,
                vessel=schema is Schema.VESSEL,
            )
            if best_outcome is None or outcome.raw > best_outcome.raw:
                best_query, best_outcome = query, outcome
        assert best_outcome is not None
        ctx = Context(
            party_schema=party.schema,
            entry_schema=schema,
            weak=self.name_weak[name_id],
            rarity=self.rarity,
        )
        values: dict[str, float] = {}
        notes: list[str] = []
        if floor > 0.0 and calibrate(best_outcome.raw, person=schema is Schema.PERSON) < floor:
            name_score = 0.0
        else:
            name_score, values, notes = score_outcome(best_outcome, ctx)
        score, evidence_notes, evidence_features = apply_evidence(
            name_score,
            party=party,
            entry_countries=self.entry_countries[entry],
            entry_birth_dates=self.entry_birth_dates[entry],
            entry_identifiers=self.entry_identifiers[entry],
        )
        return _Scored(
            score,
            name_score,
            best_query,
            best_outcome,
            values,
            [*notes, *evidence_notes],
            evidence_features,
        )

    def scored(
        self,
        party: Party,
        *,
        lists: Collection[str] | None = None,
        max_scored: int = 30,
        min_coverage: float = 0.4,
        min_relative: float = 0.5,
        threshold: float = 0.0,
    ) -> Iterator[tuple[int, int, _Scored]]:
        """Every candidate name scored for ``party``: ``(entry, name id, result)``.

        :meth:`screen` keeps the best name per entry above its threshold; the model fit
        (``bench/fit_model.py``) reads every one. With a ``threshold``, names that cannot
        reach it are scored by their base score only (cheaper; they are below it anyway).
        """
        names = self._query_names(party)
        if not names:
            raise InputError("party has no name")
        hint = person_hint(party.schema)
        queries: list[_Query] = []
        errors: list[InputError] = []
        for name in names:
            try:
                queries.append(_Query(self, name, hint, self._query(name, hint)))
            except InputError as error:
                errors.append(error)
        if not queries:
            raise errors[0]
        # Candidates of each query name, each judged against that name's own weight. The
        # floor is set against the best candidate's weight capped at the query's total:
        # joined-words and acronym keys can add up past it ("Ermias Ghermay, Guro" hits
        # more keys of "Ermias GHERMAY" than the listed "GHERMAY, Ermias" can), and must
        # not lift the floor above names that cover the whole query.
        shares: dict[int, float] = {}
        for query in queries:
            ranked, weights, total = self.rank_names([query.ranked])
            if not len(weights) or total <= 0:
                continue
            floor = max(min_coverage * total, min_relative * min(float(weights[0]), total))
            for name_id, weight in zip(
                ranked[:_RANKED_NAMES].tolist(), weights[:_RANKED_NAMES].tolist(), strict=True
            ):
                if weight < floor:
                    break
                share = weight / total
                if share > shares.get(name_id, 0.0):
                    shares[name_id] = share
        wanted = set(lists) if lists is not None else None
        # The least base score that the party's evidence could still lift to the threshold.
        raised = most_raised(party)
        base_floor = 1.0 - (1.0 - threshold) / raised if threshold > 0 else 0.0
        # The budget is counted in entries, not names: an entry with many aliases, or many
        # sibling entries sharing the query's words (Huawei's dozens of "Huawei
        # Technologies ..." entries), must not crowd out the entry that is the query. Equal
        # shares go to the shorter name first (the head office before its branches).
        per_entry: dict[int, int] = {}
        exact: set[int] = set()
        lengths = self.name_lengths
        for name_id in sorted(shares, key=lambda n: (-round(shares[n], 3), lengths[n], n)):
            e = int(self.name_entry[name_id])
            if e not in per_entry and len(per_entry) >= max_scored:
                break
            if wanted is not None and self.entry_lists[e] not in wanted:
                continue
            if e in exact or per_entry.get(e, 0) >= _NAMES_PER_ENTRY:
                continue
            per_entry[e] = per_entry.get(e, 0) + 1
            result = self._score(party, queries, name_id, e, max(base_floor, 0.0))
            if result.score >= 1.0:
                exact.add(e)
            yield e, name_id, result

    def screen(
        self,
        party: Party,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = 10,
        lists: Collection[str] | None = None,
        max_scored: int = 30,
        min_coverage: float = 0.4,
        min_relative: float = 0.5,
    ) -> list[Match]:
        """Listed entries whose names match the party's, best first.

        Args:
            party: The party to screen.
            threshold: Report matches scoring at least this (after evidence).
            limit: At most this many matches.
            lists: Only entries on these lists (codes such as ``"EL"``, ``"SDN"``).
            max_scored: Names of at most this many candidate entries are scored.
            min_coverage: Candidates whose keys cover less than this share of the query's
                token weight are not scored.
            min_relative: Nor are candidates whose keys weigh less than this share of the
                best candidate's.

        Returns:
            The matches.

        Raises:
            InputError: every name of the party is invalid (empty, too long).
        """
        best: dict[int, tuple[int, _Scored]] = {}
        for e, name_id, result in self.scored(
            party,
            lists=lists,
            max_scored=max_scored,
            min_coverage=min_coverage,
            min_relative=min_relative,
            threshold=threshold,
        ):
            if result.score >= threshold and (e not in best or result.score > best[e][1].score):
                best[e] = (name_id, result)

        # Equal scores: the entry whose own (primary) name is closest to the query first, so
        # that "Huawei Technologies" shows the head office before entries that share one
        # alias with it; then by id, for a stable order.
        def closeness(e: int, result: _Scored) -> float:
            return fuzz.token_sort_ratio(
                result.query.name.casefold(), self.entry_primary[e].casefold()
            )

        ordered = sorted(
            best.items(),
            key=lambda kv: (-kv[1][1].score, -closeness(kv[0], kv[1][1]), self.entry_ids[kv[0]]),
        )
        return [self._match(e, name_id, result) for e, (name_id, result) in ordered[:limit]]

    def _match(self, entry: int, name_id: int, result: _Scored) -> Match:
        schema = self.entry_schemas[entry]
        features = match_features(result.outcome, result.values)
        features["name_score"] = round(result.name_score, 4)
        features.update(result.evidence)
        if self.name_weak[name_id]:
            features["weak_alias"] = 1.0
        explanation = "; ".join([explain_comparison(result.outcome), *result.notes])
        return Match(
            entry_id=self.entry_ids[entry],
            score=round(result.score, 4),
            query_name=result.query.name,
            matched_name=self.name_texts[name_id],
            listed_name=self.entry_primary[entry],
            list=self.entry_lists[entry],
            source=self.entry_sources[entry],
            schema=schema.value,
            countries=self.entry_countries[entry],
            explanation=explanation,
            features=features,
        )

    def screen_many(
        self,
        parties: Iterable[Party],
        *,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = 10,
        lists: Collection[str] | None = None,
        workers: int = 1,
    ) -> list[list[Match]]:
        """Screen many parties; results in input order.

        Args:
            parties: The parties.
            threshold: As for :meth:`screen`.
            limit: As for :meth:`screen`.
            lists: As for :meth:`screen`.
            workers: Worker processes (forked, sharing this index copy-on-write; POSIX
                only). ``1`` screens in this process.

        Returns:
            One list of matches per party. A party with no valid name gets no matches.
        """
        items = list(parties)
        options = {"threshold": threshold, "limit": limit, "lists": lists}
        if workers <= 1 or len(items) < 2 * workers:
            return [_screen_safe(self, p, options) for p in items]
        global _WORKER_INDEX
        _WORKER_INDEX = self
        context = multiprocessing.get_context("fork")
        chunk = max(1, len(items) // (workers * 8))
        # Objects that exist now are never collected in the workers: the garbage collector
        # then does not touch (and so copy) the pages of the shared index.
        gc.freeze()
        try:
            with context.Pool(workers, initializer=worker_gc) as pool:
                return pool.starmap(_screen_worker, [(p, options) for p in items], chunksize=chunk)
        finally:
            gc.unfreeze()


_WORKER_INDEX: MatchIndex | None = None
#: Full collections in a screening worker: after this many collections of the middle
#: generation (the default is 10).
_WORKER_FULL_GC_EVERY = 10_000


def worker_gc() -> None:
    """Garbage collection settings for a forked screening worker (a pool initializer).

    A full collection walks every object that is not frozen, the growing caches of
    analyses and parts included: about half a second each. A worker lives for one batch,
    so it keeps collecting young objects (and their cycles) and skips full collections.
    """
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, _WORKER_FULL_GC_EVERY)


def _screen_safe(index: MatchIndex, party: Party, options: dict[str, Any]) -> list[Match]:
    try:
        return index.screen(party, **options)
    except InputError:
        return []


def _screen_worker(party: Party, options: dict[str, Any]) -> list[Match]:
    assert _WORKER_INDEX is not None
    return _screen_safe(_WORKER_INDEX, party, options)


__all__ = ["FORMAT", "FORMAT_VERSION", "MAX_POSTINGS", "MatchIndex", "hash_keys", "worker_gc"]
