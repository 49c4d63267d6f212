"""Building a match index: every listed name analysed and filed under its candidate keys.

Names are analysed (:func:`~entityscreen.names.analyze_name`) and keyed
(:mod:`entityscreen.matching.keys`) in chunks, in forked worker processes for large lists;
keys are hashed to 64-bit integers (:func:`hash_keys`: a stable hash of the key's first 32
bytes, the same in every process and run) and kept as three numpy arrays: sorted hashes,
offsets, posting name ids. :func:`build_state` returns the plain state a
:class:`~entityscreen.matching.MatchIndex` is made from (and that
:mod:`entityscreen.matching.persist` writes).
"""

from __future__ import annotations

import array
import contextlib
import gc
import itertools
import multiprocessing
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ..errors import InputError
from ..model import Entry, NameKind, Schema
from ..names import analyze_name
from ..names.analysis import NameAnalysis
from ..names.tokens import Token, TokenKind
from .columns import GroupsBuilder, StringsBuilder, sets, tuples
from .evidence import identifier_keys
from .keys import form_group_keys, token_keys, token_signature
from .postings import SpilledPairs
from .rarity import Rarity, default_rarity
from .scorer import person_hint
from .stored import StoredAnalyses, encode_analysis

_KEY_BYTES = 32
_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93],
    dtype=np.uint64,
)
_S3, _S7, _S11, _S29, _S32 = (np.uint64(k) for k in (3, 7, 11, 29, 32))
_MIX = np.uint64(0xBF58476D1CE4E5B9)


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
    # Arrays only (numpy checks overflow on scalars, never on integer arrays: no errstate
    # needed), in place, the constants made once: a query hashes a few keys at a time,
    # and each step's fixed cost was most of it.
    mixed = words * _MULTIPLIERS
    h: npt.NDArray[np.uint64] = mixed[:, 1] >> _S7
    h ^= mixed[:, 0]
    h ^= mixed[:, 2] << _S3
    h ^= mixed[:, 3] >> _S11
    h ^= h >> _S29
    h *= _MIX
    h ^= h >> _S32
    return h


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
    word_lengths: list[int]
    token_sets: list[set[str]]
    hashes: npt.NDArray[np.uint64]
    ids: npt.NDArray[np.int32]
    analyses: dict[int, NameAnalysis]
    #: Each name's analysis encoded (:func:`~.stored.encode_analysis`), saved with the index.
    encoded: list[bytes]


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
    word_lengths: list[int] = []
    token_sets: list[set[str]] = []
    analyses: dict[int, NameAnalysis] = {}
    encoded: list[bytes] = []
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
            encoded.append(encode_analysis(analysis))
            token_sets.append(_token_texts(analysis))
            word_lengths.append(sum(len(t.text) for t in analysis.forms[0].words))
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
    return _Chunk(names, owners, weak, word_lengths, token_sets, hashes, ids, analyses, encoded)


#: Entries being built, inherited by forked build workers (not pickled to them).
_BUILD_ITEMS: Sequence[Entry] = ()


def _index_range(start: int, stop: int) -> _Chunk:
    with gc_paused():
        return _index_chunk(_BUILD_ITEMS[start:stop], start, False)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
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


def build_state(
    entries: Iterable[Entry],
    *,
    rarity: Rarity | None = None,
    keep_analyses: bool = True,
    workers: int = 1,
) -> dict[str, Any]:
    """The state of an index of every name of every entry (see ``MatchIndex.build``)."""
    with gc_paused():
        return _build_state(entries, rarity=rarity, keep_analyses=keep_analyses, workers=workers)


#: Entries analysed at a time by a one-process build; an entry is dropped once its chunk
#: is indexed (issue #13: a 40 MB list held every entry and every name analysis).
BUILD_CHUNK = 2000
#: Name analyses kept for the first queries (the rest decoded on first use, as with
#: ``keep_analyses=False``): every name of the real lists (~100k), not a huge own list's.
MAX_KEPT_ANALYSES = 100_000


class _Columns:
    """The per-entry columns of the state, filled chunk by chunk.

    Strings go into compact buffers (:mod:`.columns`), not Python objects: kept among the
    build's short-lived objects, those held memory the build could not give back."""

    def __init__(self) -> None:
        self.ids = StringsBuilder()
        self.primary = StringsBuilder()
        self.countries = GroupsBuilder()
        self.birth_dates = GroupsBuilder()
        self.identifiers = GroupsBuilder()
        self.values: dict[str, list[Any]] = {
            key: [] for key in ("entry_lists", "entry_sources", "entry_schemas", "entry_named_orgs")
        }

    def add(self, items: Sequence[Entry]) -> None:
        v = self.values
        for e in items:
            self.ids.append(e.id)
            self.primary.append(e.primary_name)
            self.countries.append(e.countries)
            self.birth_dates.append(e.birth_dates)
            self.identifiers.append(
                identifier_keys(i.value for i in e.identifiers) if e.identifiers else ()
            )
        # One string object per list code and source, not one per entry.
        v["entry_lists"].extend(sys.intern(e.list) for e in items)
        v["entry_sources"].extend(sys.intern(e.source) for e in items)
        v["entry_schemas"].extend(e.schema.value for e in items)
        v["entry_named_orgs"].extend(
            e.schema is Schema.UNKNOWN and named_org(e.primary_name) for e in items
        )

    def state(self) -> dict[str, Any]:
        return {
            "entry_ids": self.ids.finish(),
            **self.values,
            "entry_countries": tuples(*self.countries.parts()),
            "entry_primary": self.primary.finish(),
            "entry_birth_dates": tuples(*self.birth_dates.parts()),
            "entry_identifiers": sets(*self.identifiers.parts()),
        }


def _count_tokens(chunk: _Chunk, counts: dict[str, int]) -> None:
    """Add the chunk's names to document frequencies (as ``Rarity.from_token_sets``) and
    drop its token sets, which are needed for nothing else."""
    for tokens in chunk.token_sets:
        for token in tokens:
            counts[token] = counts.get(token, 0) + 1
    chunk.token_sets.clear()


class _Names:
    """The per-name columns of the state, and the names' token counts, chunk by chunk."""

    def __init__(self) -> None:
        self.texts = StringsBuilder()
        # Entry numbers as a C array: 4 bytes a name, not a Python int's 36.
        self.entries = array.array("i")
        self.weak: list[bool] = []
        self.word_lengths = array.array("i")
        self.analyses: dict[int, NameAnalysis] = {}
        # The encoded analyses as one buffer and each name's end in it (StoredAnalyses),
        # appended chunk by chunk: a list of every name's bytes (StoredAnalyses.of) held
        # ~6 MB more at the peak than test_build_stream allows.
        self.encoded = bytearray()
        self.encoded_ends = array.array("q", [0])
        self.token_counts: dict[str, int] = {}
        self.token_total = 0

    def add(self, chunk: _Chunk, pairs: SpilledPairs) -> None:
        """File a keyed chunk: its names here, its key pairs in ``pairs``."""
        offset = len(self.texts)
        self.texts.extend(chunk.names)
        self.entries.extend(chunk.entries)
        self.weak.extend(chunk.weak)
        self.word_lengths.extend(chunk.word_lengths)
        self.token_total += len(chunk.names)  # one token set per name
        _count_tokens(chunk, self.token_counts)
        pairs.add(chunk.hashes, chunk.ids + np.int32(offset))
        self.analyses.update({offset + k: v for k, v in chunk.analyses.items()})
        for blob in chunk.encoded:
            self.encoded += blob
            self.encoded_ends.append(len(self.encoded))
        chunk.encoded.clear()

    def stored(self) -> StoredAnalyses:
        return StoredAnalyses(bytes(self.encoded), self.encoded_ends)


def _build_state(
    entries: Iterable[Entry],
    *,
    rarity: Rarity | None,
    keep_analyses: bool,
    workers: int,
) -> dict[str, Any]:
    columns = _Columns()
    names = _Names()
    # The key pairs go to temporary files as each chunk is keyed, not held until the
    # sort: they were most of the peak of a large list's build (issue #13, item 6).
    with SpilledPairs() as pairs:
        if workers > 1:
            items = entries if isinstance(entries, list) else list(entries)
            columns.add(items)
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
                while parts:  # each part dropped once its pairs are filed
                    names.add(parts.pop(0), pairs)
            finally:
                _BUILD_ITEMS = ()
        elif workers > 1:
            names.add(_index_chunk(items, 0, keep_analyses), pairs)
        else:
            # One process: the entries are read a chunk at a time and not kept.
            stream = iter(entries)
            first = 0
            while chunk := list(itertools.islice(stream, BUILD_CHUNK)):
                columns.add(chunk)
                kept = keep_analyses and len(names.texts) < MAX_KEPT_ANALYSES
                names.add(_index_chunk(chunk, first, kept), pairs)
                first += len(chunk)
        unique, offsets, postings = pairs.postings()
    base = rarity or default_rarity()
    combined = base.combined(names.token_counts, names.token_total)
    state: dict[str, Any] = {
        **columns.state(),
        "name_texts": names.texts.finish(),
        "name_entry": np.array(names.entries, dtype=np.int32),
        "name_weak": names.weak,
        "name_word_lengths": np.array(names.word_lengths, dtype=np.int32),
        "name_analyses": names.stored(),
        "key_hashes": unique,
        "key_offsets": offsets,
        "postings": postings,
        "rarity_counts": combined.counts,
        "rarity_total": combined.total,
        "analyses": names.analyses,
    }
    return state


def named_org(name: str) -> bool:
    """Whether a name of a party whose list says not what it is (the Entity List, the
    DPL, the ISN list) is an organisation's: it has a legal form or a descriptive word
    ("Luoyang Institute of Technology", "Shiraz Electronic Industries Co."). Such an
    entry is scored as an organisation (a person never alerts on it, see
    ``features.schema_conflict``); its schema stays unknown in the results."""
    try:
        analysis = analyze_name(name)
    except InputError:
        return False
    form = analysis.forms[0]
    return analysis.has_legal_form or any(t.generic for t in form.tokens)


__all__ = ["build_state", "gc_paused", "hash_keys", "named_org"]
