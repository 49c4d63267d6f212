"""Merging and aligning parts (steps 2 and 3 of :mod:`entityscreen.matching.scorer`).

:func:`merge_parts` joins adjacent words of one name that the other writes as one word or
as an acronym; :func:`align_parts` pairs the parts of two names one to one, most similar
first. Both read token similarities through one cache keyed by the parts' signatures.
Apart from the scorer because they are the hot path of every screening
(``tests/unit/matching/test_fast_paths.py`` checks them against plain versions).
"""

from __future__ import annotations

import itertools

from ..names.tokens import TokenKind
from ..names.transliterate import SKELETON_SCRIPTS
from .parts import Pair, Part, merged_part
from .similarity import compare_tokens, surely_different, word_similarity

#: Similarity of two parts by ``left.sig << _SIG_BITS | right.sig``.
_SIMILARITY_CACHE: dict[int, tuple[float, str]] = {}
_SIG_BITS = 40
_DIFFERENT = (0.0, "")


def _best_single(part: Part, others: list[Part]) -> float:
    best = 0.0
    cache = _SIMILARITY_CACHE
    high = part.sig << _SIG_BITS
    for other in others:
        cached = cache.get(high | other.sig)
        value = cached[0] if cached is not None else compare_parts(part, other)[0]
        if value > best:
            best = value
    return best


def _run_heads(parts: list[Part]) -> set[str]:
    """First letters of the words followed by a word (where a merged run can start)."""
    word = TokenKind.WORD
    return {
        a.token.text[0]
        for a, b in itertools.pairwise(parts)
        if a.token.kind is word and b.token.kind is word
    }


def merge_parts(
    side: list[Part],
    other: list[Part],
    *,
    targets: list[Part] | None = None,
    person: bool = False,
    acronyms: bool = True,
) -> list[Part]:
    """Merge runs of ``side`` that ``other`` writes as one word or as an acronym.

    Args:
        side: Parts of one name, in order.
        other: Parts of the other name.
        targets: Only these parts of ``other`` are tried (default: all of them).
        person: A person's name is involved: an acronym counts only when written as
            initials ("J.C."). Nobody is called by the initials of their whole name
            spelled as a word, and such coincidences ("Rama" / "RADA, Amer Mohamed
            Akil") were a third of the false alerts on invented customer names.
        acronyms: Runs may merge into an acronym of ``other``. The scorer passes False
            for the query's side: a customer's ordinary words never meet a listed
            acronym by their initials ("Halcyon Telecom Services" is not "HTS"); the
            query written as an acronym may meet the listed words ("PLA").

    Returns:
        ``side`` itself when nothing merges, else a new list with merged runs.
    """
    if len(side) < 2 or not other or (targets is not None and not targets):
        return side
    word = TokenKind.WORD
    # Only words of two letters or more merge (the test below, made before the side's
    # run heads are gathered: most calls have no such target left).
    tried = [
        t
        for t in (other if targets is None else targets)
        if t.token.kind is word and len(t.token.text) >= 2
    ]
    if not tried:
        return side
    result = side  # copied before the first merge
    changed = False
    heads = _run_heads(result)
    abjad_side = any(p.token.script in SKELETON_SCRIPTS for p in result)
    for target in tried:
        token = target.token
        text = token.text
        size = len(text)
        first = text[0]
        # Only a run of two words or more starting with the target's letter can merge
        # (or with its second when the target's first is a vowel an abjad did not write:
        # "bd llh" / "abdullah").
        target_skeleton = token.script in SKELETON_SCRIPTS
        vowelless = abjad_side != target_skeleton
        if not (first in heads or vowelless):
            continue
        best = -1.0
        found: tuple[int, int, str, float, bool] | None = None
        count = len(result)
        for start in range(count):
            head = result[start].token
            if head.kind is not word:
                continue
            skeleton = (head.script in SKELETON_SCRIPTS) != target_skeleton
            if head.text[0] != first and not (
                skeleton and first in "aeiou" and text[1:2] == head.text[0]
            ):
                continue
            joined = head.text
            initials = head.text[0]
            for end in range(start + 1, min(count, start + 5)):
                nxt = result[end].token
                if nxt.kind is not word:
                    break
                joined += nxt.text
                initials += nxt.text[0]
                if len(joined) > size + 2 and len(initials) > size:
                    break
                # The target's best similarity to a single part is read only when a run
                # could beat it (a target as good as 1.0 alone never merges).
                # Two letters written as a word are no acronym: one pair of words in 676
                # has any given initials ("KT" is no evidence of "Kalover Trading").
                # Written as initials ("J.-C.", "U.S.") or standing for place names
                # ("US", "UK") they are.
                if (
                    acronyms
                    and initials == text
                    and text.isalpha()
                    and (not person or token.initials)
                    # "Oak", "Rich": written as words, not as the initials of a name.
                    and not token.cased
                    and (
                        size >= 3
                        or token.initials
                        or all(p.token.place for p in result[start : end + 1])
                    )
                ):
                    if best < 0:
                        best = _best_single(target, result)
                    if best < 0.9:
                        found = (start, end + 1, text, 0.9, True)
                        best = 0.9
                # Lengths more than two apart merge only across scripts, by consonants,
                # when the vowelless side is the shorter one, at least half as long as
                # the Latin spelling ("bd llh" / "abdullah", "ha rakafot" / "hrkfwt").
                loose = abs(len(joined) - size) > 2
                abjad, latin = (
                    (len(joined), size) if head.script in SKELETON_SCRIPTS else (size, len(joined))
                )
                if not loose or (skeleton and abjad < latin <= 2 * abjad):
                    value, _ = word_similarity(joined, text, skeleton and loose)
                    # A vowelless run of other length merges only on an equal skeleton
                    # of three consonants or more.
                    if loose and (value < 0.93 or len(joined) < 4):
                        continue
                    if value >= 0.85 and best < 0:
                        best = _best_single(target, result)
                    if value >= 0.85 and value > best:
                        found = (start, end + 1, joined, value, False)
                        best = value
            if best >= 1.0:
                break
        if found is not None:
            start, end, merged_text, _, acronym = found
            if not changed:
                result = list(side)
            result[start:end] = [merged_part(result[start:end], merged_text, acronym=acronym)]
            changed = True
            heads = _run_heads(result)
            if len(result) < 2:
                break
    return result if changed else side


def compare_parts(left: Part, right: Part) -> tuple[float, str]:
    key = left.sig << _SIG_BITS | right.sig
    cached = _SIMILARITY_CACHE.get(key)
    if cached is not None:
        return cached
    if left.acronym or right.acronym:
        value: tuple[float, str] = (
            (0.9, "acronym") if left.token.text == right.token.text else (0.0, "")
        )
    elif (
        left.plain is not None
        and right.plain is not None
        and surely_different(left.plain, right.plain)
    ):
        value = _DIFFERENT
    else:
        value = compare_tokens(left.token, right.token)
    if len(_SIMILARITY_CACHE) > 2_000_000:
        _SIMILARITY_CACHE.clear()
    _SIMILARITY_CACHE[key] = value
    return value


def align_parts(left: list[Part], right: list[Part]) -> tuple[list[Pair], list[Part], list[Part]]:
    """Align parts one to one, most similar (then heaviest) pairs first.

    Args:
        left: Parts of one name.
        right: Parts of the other.

    Returns:
        The aligned pairs, the unaligned parts of ``left`` and of ``right``.
    """
    # Entries (-similarity, -weight, i, j, rule) sort in the order wanted; (i, j) is
    # unique, so rule is never compared.
    cache = _SIMILARITY_CACHE
    candidates: list[tuple[float, float, int, int, str]] = []
    sigs = [b.sig for b in right]
    for i, a in enumerate(left):
        high = a.sig << _SIG_BITS
        for j, sig in enumerate(sigs):
            cached = cache.get(high | sig)
            value, rule = cached if cached is not None else compare_parts(a, right[j])
            if value > 0.0:
                candidates.append((-value, -(a.weight + right[j].weight), i, j, rule))
    if not candidates:
        return [], list(left), list(right)
    candidates.sort()
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs: list[Pair] = []
    most = min(len(left), len(right))
    for negated, _, i, j, rule in candidates:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        pairs.append(Pair(left[i], right[j], -negated, rule))
        if len(pairs) == most:
            break
    left_only = [p for i, p in enumerate(left) if i not in used_left]
    right_only = [p for j, p in enumerate(right) if j not in used_right]
    return pairs, left_only, right_only


__all__ = ["align_parts", "compare_parts", "merge_parts"]
