"""Screening with the OFAC-style score (:mod:`.ofac_score`) over our match index.

Candidates come from two places, then every one gets the OFAC-style score:

* our index: the names its keys rank first for each of the party's names (tokens, typo
  and phonetic keys; :meth:`CandidateIndex.rank_names`), many more than our scorer looks
  at, since SLS lists names our scorer would never raise ("VLADIMIR BILIY" for "VLADIMIR
  PUTIN": one shared first name); they find what the name-parts technique scores;
* every listed name that begins with the query's first character and whose whole string
  could reach the threshold (Jaro in C++ over that letter's names, bounded by the most
  the prefix bonus can add): what the whole-name technique scores ("OBAID" for "OBAMA"
  shares no key with it).

The score is name-only, as OFAC's is (FAQ 251): country, birth date and identifiers change
nothing. SLS compares the query with every listed name; a name that neither shares a key
with the query nor begins with its letter is not found here, even where SLS would list it.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Jaro

from ..errors import InputError
from ..model import Party
from .index import MatchIndex
from .ofac_score import (
    OFAC_DEFAULT_THRESHOLD,
    OfacScore,
    explain_ofac,
    normalize_ofac,
    ofac_score,
)
from .scorer import person_hint
from .types import Comparison, Match

#: Candidate names scored per query name: SLS lists every name over its threshold, so the
#: net is wide; scoring a name costs microseconds.
OFAC_CANDIDATES = 1000
#: The most Jaro-Winkler's prefix bonus adds: 4 letters x 0.1 of what Jaro left, so a
#: whole string can reach ``t`` only when its Jaro is at least ``(t - 0.4) / 0.6``.
_MOST_BONUS = 0.4

def _by_letter(index: MatchIndex) -> dict[str, tuple[list[int], list[str]]]:
    """Each index's listed names as SLS compares them, by first character (built on first
    use, kept on the index)."""
    table = index.ofac_letters
    if table is None:
        table = {}
        for name_id, text in enumerate(index.name_texts):
            try:
                form = normalize_ofac(text)
            except InputError:
                continue
            ids, texts = table.setdefault(form[0], ([], []))
            ids.append(name_id)
            texts.append(form)
        index.ofac_letters = table
    return table


def _whole_name_candidates(index: MatchIndex, name: str, threshold: float, most: int) -> list[int]:
    """Names whose whole-string Jaro-Winkler against ``name`` could reach ``threshold``,
    best Jaro first (at most ``most``)."""
    query = normalize_ofac(name)
    group = _by_letter(index).get(query[0])
    if group is None:
        return []
    ids, texts = group
    floor = max(0.0, (threshold - _MOST_BONUS) / (1.0 - _MOST_BONUS))
    jaro = process.cdist([query], texts, scorer=Jaro.similarity, score_cutoff=floor)[0]
    hits = np.flatnonzero(jaro >= max(floor, 1e-9))
    best = hits[np.argsort(-jaro[hits], kind="stable")[:most]]
    return [ids[i] for i in best.tolist()]


def compare_ofac(name1: str, name2: str) -> Comparison:
    """Compare a query name with a listed name with the OFAC-style score.

    Returns:
        The comparison: ``score`` is the OFAC score as a share (92 -> 0.92), so that
        thresholds mean the same in both algorithms' answers.

    Raises:
        InputError: a name is not text, too long, or has no letters or digits.
    """
    result = ofac_score(name1, name2)
    return Comparison(
        score=result.score / 100,
        explanation=explain_ofac(result),
        features=_features(result),
    )


def _features(result: OfacScore) -> dict[str, float | str]:
    return {
        "ofac_score": float(result.score),
        "whole_name": round(result.whole, 4),
        "name_parts": round(result.parts, 4),
    }


def screen_ofac(
    index: MatchIndex,
    party: Party,
    *,
    threshold: float = OFAC_DEFAULT_THRESHOLD,
    limit: int = 10,
    lists: Collection[str] | None = None,
    candidates: int = OFAC_CANDIDATES,
) -> list[Match]:
    """Listed entries whose names reach ``threshold`` with the OFAC-style score, best
    first; one match per entry (its best name against the party's best name).

    Args:
        index: The match index (its candidates and names).
        party: The party; its name and aliases are queries, as typed.
        threshold: Lowest score reported, as a share (0.80 = SLS's slider at 80).
        limit: At most this many matches.
        lists: Only entries on these lists.
        candidates: Candidate names scored per query name.

    Raises:
        InputError: every name of the party is invalid.
    """
    names = index._query_names(party)
    if not names:
        raise InputError("party has no name")
    hint = person_hint(party.schema)
    wanted = set(lists) if lists is not None else None
    best: dict[int, tuple[OfacScore, str, int]] = {}
    errors: list[InputError] = []
    for name in names:
        try:
            analysis = index._query(name, hint)
            ofac_score(name, name)  # refuses names SLS could not take, before the search
        except InputError as error:
            errors.append(error)
            continue
        ranked, _, _ = index.rank_names([analysis], top=candidates)
        whole = _whole_name_candidates(index, name, threshold, candidates)
        for name_id in dict.fromkeys([*ranked.tolist(), *whole]):
            entry = int(index.name_entry[name_id])
            if wanted is not None and index.entry_lists[entry] not in wanted:
                continue
            try:
                result = ofac_score(name, index.name_texts[name_id])
            except InputError:
                continue  # a listed name of punctuation only: nothing to compare
            if result.score / 100 < threshold:
                continue
            held = best.get(entry)
            if held is None or result.score > held[0].score:
                best[entry] = (result, name, name_id)
    if errors and len(errors) == len(names):
        raise errors[0]
    ordered = sorted(best.items(), key=lambda kv: (-kv[1][0].score, index.entry_ids[kv[0]]))
    return [_match(index, e, *held) for e, held in ordered[:limit]]


def _match(index: MatchIndex, entry: int, result: OfacScore, query: str, name_id: int) -> Match:
    return Match(
        entry_id=index.entry_ids[entry],
        score=result.score / 100,
        query_name=query,
        matched_name=index.name_texts[name_id],
        listed_name=index.entry_primary[entry],
        list=index.entry_lists[entry],
        source=index.entry_sources[entry],
        schema=index.entry_schemas[entry].value,
        countries=index.entry_countries[entry],
        explanation=explain_ofac(result),
        features=_features(result),
    )


__all__ = ["OFAC_CANDIDATES", "compare_ofac", "screen_ofac"]
