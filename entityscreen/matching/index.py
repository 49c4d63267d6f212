"""The match index: candidates, scoring, persistence of every listed name.

Build once per snapshot with :meth:`MatchIndex.build`, screen many times:

1. *Candidates* (:mod:`.candidates`, keys built by :mod:`.build`): the names whose keys the
   query's keys hit, ranked by the rarity weight of what they share.
2. *Scoring.* The best-ranked names (at most ``max_scored`` entries, and only names whose
   hits cover ``min_coverage`` of the query's weight) are scored with exactly the scorer of
   :func:`~entityscreen.matching.compare_names` (``schema`` = the entry's schema, rarity =
   the index's), then country, birth date and identifier evidence applies
   (:mod:`entityscreen.matching.evidence`).
3. *Persistence* (:mod:`.persist`): :meth:`MatchIndex.save` and :meth:`MatchIndex.load`,
   one file of numpy arrays and string buffers with a JSON header (no pickle).

Many parties at once: :meth:`MatchIndex.screen_many` (forked workers, :mod:`.pool`).
Token rarity is the package's default table (the real lists) plus this index's own
document frequencies.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from ..errors import InputError
from ..model import Entry, Party, Schema
from ..names.analysis import NameAnalysis, identity_words
from .build import build_state, hash_keys
from .calibration import calibrate
from .candidates import MAX_POSTINGS, CandidateIndex, Int32Array, IntArray
from .columns import Groups, Strings
from .evidence import apply_evidence, most_raised
from .explain import explain_comparison
from .features import DEFAULT_THRESHOLD, Context, match_features, score_outcome
from .keys import keys_fingerprint
from .parts import PartCache
from .persist import FORMAT, FORMAT_VERSION, load_state, save_state
from .pool import screen_in_workers, worker_gc
from .rarity import Rarity
from .scorer import Outcome, Part, person_hint, score_analyses
from .stored import StoredAnalyses
from .types import Match

#: Ranked candidate names looked at per query name, and names scored per entry.
_RANKED_NAMES = 200
_NAMES_PER_ENTRY = 3


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
            parts = [self._index.part_cache.form_parts(f) for f in analysis.forms]
            self._parts[hint] = parts
        return analysis, parts


# After _Query: compiled by mypyc, a NamedTuple's field class must be defined before it.
class _Scored(NamedTuple):
    """One listed name scored against a party (what :meth:`MatchIndex.scored` yields)."""

    score: float
    name_score: float
    query: _Query
    outcome: Outcome
    values: dict[str, float]
    notes: list[str]
    evidence: dict[str, float | str]


class MatchIndex(CandidateIndex):
    """Listed names, ready to screen parties against.

    Build with :meth:`build` or :meth:`load`; the constructor is internal.
    """

    def __init__(self, state: dict[str, Any]) -> None:
        # Strings as compact columns (:mod:`.columns`): a value is decoded when read.
        self.entry_ids: Strings = state["entry_ids"]
        self.entry_lists: list[str] = state["entry_lists"]
        self.entry_sources: list[str] = state["entry_sources"]
        # Through a dict: calling the enum 50,000 times took 50 ms of every start-up.
        schemas = {s.value: s for s in Schema}
        self.entry_schemas: list[Schema] = [schemas[s] for s in state["entry_schemas"]]
        #: Whether an entry of unknown schema has an organisation's name (``named_org``).
        self.entry_named_orgs: list[bool] = state["entry_named_orgs"]
        self.entry_countries: Groups[tuple[str, ...]] = state["entry_countries"]
        self.entry_primary: Strings = state["entry_primary"]
        self.entry_birth_dates: Groups[tuple[str, ...]] = state["entry_birth_dates"]
        self.entry_identifiers: Groups[frozenset[str]] = state["entry_identifiers"]
        self.name_texts: Strings = state["name_texts"]
        self.name_entry: npt.NDArray[np.int32] = state["name_entry"]
        #: Whether each name is a weak alias of its entry (see ``features.WEAK_CAP``).
        self.name_weak: list[bool] = state["name_weak"]
        self.key_hashes: npt.NDArray[np.uint64] = state["key_hashes"]
        self.key_offsets: npt.NDArray[np.int64] = state["key_offsets"]
        self.postings: npt.NDArray[np.int32] = state["postings"]
        self.rarity = Rarity(state["rarity_counts"], state["rarity_total"])
        self._analyses: dict[int, NameAnalysis] = state.get("analyses", {})
        self.stored: StoredAnalyses = state["name_analyses"]
        self._query_cache: dict[tuple[str, bool | None], NameAnalysis] = {}
        self._parts: dict[int, list[list[Part]]] = {}
        self.part_cache = PartCache(self.rarity)
        self._hits: dict[tuple[object, ...], tuple[Int32Array, npt.NDArray[np.float64]]] = {}
        self._hits_size = 0
        self.name_lengths: list[int] = self.name_texts.char_lengths().tolist()
        #: Letters of each name's identifying words (first form): ties go to the fewest.
        self.name_word_lengths: npt.NDArray[np.int32] = state["name_word_lengths"]

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
                analyses are not kept: each name's stored one is decoded on first use.

        Returns:
            The index.
        """
        return cls(
            build_state(entries, rarity=rarity, keep_analyses=keep_analyses, workers=workers)
        )

    def __len__(self) -> int:
        return len(self.entry_ids)

    @property
    def name_count(self) -> int:
        """Number of indexed names."""
        return len(self.name_texts)

    # ------------------------------------------------------------------ persistence

    def save(self, path: str | Path) -> None:
        """Write the index to one file (:mod:`.persist`), atomically."""
        save_state(
            {
                "entry_ids": self.entry_ids,
                "entry_lists": self.entry_lists,
                "entry_sources": self.entry_sources,
                "entry_schemas": [s.value for s in self.entry_schemas],
                "entry_named_orgs": self.entry_named_orgs,
                "entry_countries": self.entry_countries,
                "entry_primary": self.entry_primary,
                "entry_birth_dates": self.entry_birth_dates,
                "entry_identifiers": self.entry_identifiers,
                "name_texts": self.name_texts,
                "name_entry": self.name_entry,
                "name_weak": self.name_weak,
                "name_word_lengths": self.name_word_lengths,
                "name_analyses": self.stored,
                "key_hashes": self.key_hashes,
                "key_offsets": self.key_offsets,
                "postings": self.postings,
                "rarity_counts": self.rarity.counts,
                "rarity_total": self.rarity.total,
                "keys": keys_fingerprint(),
            },
            path,
        )

    @classmethod
    def load(cls, path: str | Path) -> MatchIndex:
        """Read an index written by :meth:`save` (only from your own store directory).

        Raises:
            InputError: the file is not an index of this format version, or was built
                with other name keys (:func:`~.keys.keys_fingerprint`): rebuild it.
        """
        state = load_state(path)
        if state.get("keys") != keys_fingerprint():
            raise InputError(f"{path} was built with other name keys; rebuild it")
        return cls(state)

    # ------------------------------------------------------------------ screening

    def _listed_parts(self, name_id: int) -> list[list[Part]]:
        cached = self._parts.get(name_id)
        if cached is None:
            cached = [self.part_cache.form_parts(form) for form in self.analysis(name_id).forms]
            self._parts[name_id] = cached
        return cached

    def _score(
        self,
        party: Party,
        queries: list[_Query],
        name_id: int,
        entry: int,
        floor: float = 0.0,
        seen: dict[tuple[str, bool | None, bool], tuple[_Query, Outcome]] | None = None,
    ) -> _Scored:
        """Score one listed name of ``entry`` against the party's names (best query).

        ``floor``: a name whose base score cannot reach it, even with the most the party's
        evidence can add, is not run through the model (the model only lowers a score).
        ``seen``: alignments already made for these queries, by listed name text and how
        it is analysed; the lists repeat names (the CSL holds the SDN entries), and an
        alignment depends on nothing else. (Outcomes are never modified once made.)
        """
        schema = self.entry_schemas[entry]
        hint = person_hint(schema)
        vessel = schema is Schema.VESSEL
        key = (self.name_text(name_id), hint, vessel)
        found = seen.get(key) if seen is not None else None
        if found is None:
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
                    vessel=vessel,
                )
                if best_outcome is None or outcome.raw > best_outcome.raw:
                    best_query, best_outcome = query, outcome
            assert best_outcome is not None
            found = (best_query, best_outcome)
            if seen is not None:
                seen[key] = found
        best_query, best_outcome = found
        values: dict[str, float] = {}
        notes: list[str] = []
        if floor > 0.0 and calibrate(best_outcome.raw, person=schema is Schema.PERSON) < floor:
            name_score = 0.0
        else:
            ctx = Context(
                party_schema=party.schema,
                entry_schema=Schema.ORGANIZATION if self.entry_named_orgs[entry] else schema,
                weak=self.name_weak[name_id],
                rarity=self.rarity,
            )
            name_score, values, notes = score_outcome(best_outcome, ctx)
        # An entry's evidence is decoded from its column only when the party has some to
        # weigh it against (apply_evidence reads nothing else): most parties give a name.
        score, evidence_notes, evidence_features = apply_evidence(
            name_score,
            party=party,
            entry_countries=self.entry_countries[entry] if party.country else (),
            entry_birth_dates=self.entry_birth_dates[entry] if party.birth_date else (),
            entry_identifiers=(
                self.entry_identifiers[entry] if party.identifiers else frozenset()
            ),
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
        # Candidates of each query name, each judged against that name's own weight; the
        # floor against the best candidate's weight capped at the query's total: joined-
        # words and acronym keys can add up past it ("Ermias Ghermay, Guro" hits more keys
        # of "Ermias GHERMAY" than the listed "GHERMAY, Ermias" can), and must not lift the
        # floor above names that cover the whole query. (rank_names drops those under it.)
        shares: dict[int, float] = {}
        cut = (min_coverage, min_relative)
        for query in queries:
            ranked, weights, total = self.rank_names([query.ranked], top=_RANKED_NAMES, floor=cut)
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
        # shares go as in rank_names: the fewest letters in the name's words first (the
        # head office before its branches), then the nearest the query's length.
        per_entry: dict[int, int] = {}
        exact: set[int] = set()
        seen: dict[tuple[str, bool | None, bool], tuple[_Query, Outcome]] = {}
        ids = np.fromiter(shares, dtype=np.int64, count=len(shares))
        rounded = np.round(np.fromiter(shares.values(), dtype=np.float64, count=len(ids)), 3)
        nearness = np.abs(self._length_array()[ids] - len(names[0]))
        order = np.lexsort((ids, nearness, self.name_word_lengths[ids], -rounded))
        for name_id in ids[order].tolist():
            e = int(self.name_entry[name_id])
            if e not in per_entry and len(per_entry) >= max_scored:
                break
            if wanted is not None and self.entry_lists[e] not in wanted:
                continue
            if e in exact or per_entry.get(e, 0) >= _NAMES_PER_ENTRY:
                continue
            per_entry[e] = per_entry.get(e, 0) + 1
            result = self._score(party, queries, name_id, e, max(base_floor, 0.0), seen)
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
        lengths = self.name_lengths
        for e, name_id, result in self.scored(
            party,
            lists=lists,
            max_scored=max_scored,
            min_coverage=min_coverage,
            min_relative=min_relative,
            threshold=threshold,
        ):
            if result.score < threshold:
                continue
            # Equal scores: the entry's shortest name is reported (names are scored in
            # candidate order, which puts the nearest the query's length first).
            held = best.get(e)
            mine = (result.score, -lengths[name_id])
            if held is None or mine > (held[1].score, -lengths[held[0]]):
                best[e] = (name_id, result)

        # Equal scores: the entry whose own (primary) name's identifying words, legal form
        # aside, are closest to the query's first, so that "Huawei Technologies" shows the
        # head office ("Huawei Technologies Co., Ltd.") before its affiliates named
        # "Huawei Technology"; then by id (only a score two entries share needs this).
        shared = Counter(result.score for _, result in best.values())

        def closeness(e: int, result: _Scored) -> float:
            if shared[result.score] < 2:
                return 0.0
            words = identity_words(self.entry_primary[e])
            return fuzz.token_sort_ratio(identity_words(result.query.name), words)

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
        return screen_in_workers(self, items, options, workers)


__all__ = [
    "FORMAT", "FORMAT_VERSION", "MAX_POSTINGS", "Int32Array", "IntArray", "MatchIndex",
    "hash_keys", "worker_gc",
]  # fmt: skip
