"""Fast paths of the index agree exactly with the plain reference implementations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entityscreen.errors import InputError
from entityscreen.matching import MatchIndex, align, parts
from entityscreen.matching.build import hash_keys
from entityscreen.matching.keys import KEY_FACTORS, form_keys, token_keys
from entityscreen.matching.scorer import Pair, Part, align_parts, merge_parts
from entityscreen.matching.similarity import word_similarity
from entityscreen.model import Entry, Name, Party, Schema
from entityscreen.names import analyze_name
from entityscreen.names.analysis import NameAnalysis
from entityscreen.names.tokens import Token, TokenKind
from entityscreen.names.transliterate import SKELETON_SCRIPTS

from ._forms import form_part_pairs

WORDS = [
    "hikvision", "haige", "zorgon", "petrov", "mohammad", "mohamed", "muhammad", "alexei",
    "trading", "group", "international", "shipping", "global", "bank", "sberbank", "volga",
    "north", "star", "stars", "lixin", "lixing", "yuntian", "yun", "tian", "stellaris",
    "stellantis", "technology", "digital", "hangzhou", "guangzhou", "petro", "ivanov",
]  # fmt: skip
FORMS = ["", "Ltd", "Co., Ltd.", "LLC", "JSC", "GmbH", "OOO", "No. 8", "II"]


def reference_rank_names(
    index: MatchIndex, analyses: list[NameAnalysis], top: int = 1000
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], float]:
    """``MatchIndex.rank_names`` as first written: string keys, one lexsort."""
    groups: list[tuple[float, str, int]] = []
    #: Group ids that count only for some names (the pieces of a word cut in two).
    only: dict[int, set[int]] = {}
    total = 0.0
    group_id = 0
    for analysis in analyses:
        for form in analysis.forms:
            words = form.words
            form_total = 0.0
            for position, keys in form_keys(form, query=True):
                if position >= 0:
                    token = words[position]
                    weight = index.rarity.weight(token.text)
                    if token.kind is TokenKind.NUMBER:
                        weight = 4.0
                    elif token.kind is TokenKind.INITIAL:
                        weight = 1.0
                    form_total += weight
                else:
                    weight = 12.0
                for key in keys:
                    groups.append((weight * KEY_FACTORS[key[0].lower()], key, group_id))
                group_id += 1
                if position >= 0:
                    group_id = _reference_pieces(
                        index, words[position], weight, groups, group_id, only
                    )
            total = max(total, form_total)
    if not groups:
        return np.zeros(0, dtype=np.int64), np.zeros(0), total
    hits, sizes = index._lookup([g[1] for g in groups])
    if not len(hits):
        return np.zeros(0, dtype=np.int64), np.zeros(0), total
    name_ids = hits.astype(np.int64)
    weights = np.repeat(np.array([g[0] for g in groups]), sizes)
    group_ids = np.repeat(np.array([g[2] for g in groups], dtype=np.int64), sizes)
    pairs = zip(group_ids.tolist(), name_ids.tolist(), strict=True)
    keep = np.array([g not in only or n in only[g] for g, n in pairs], dtype=bool)
    name_ids, weights, group_ids = name_ids[keep], weights[keep], group_ids[keep]
    if not len(name_ids):
        return np.zeros(0, dtype=np.int64), np.zeros(0), total
    combo = group_ids * (len(index.name_texts) + 1) + name_ids
    order = np.lexsort((-weights, combo))
    combo, weights, name_ids = combo[order], weights[order], name_ids[order]
    first = np.ones(len(combo), dtype=bool)
    first[1:] = combo[1:] != combo[:-1]
    unique_names, inverse = np.unique(name_ids[first], return_inverse=True)
    sums = np.bincount(inverse, weights=weights[first]).astype(np.float64)
    # Best weight first, then the fewest letters in the name's words, then the nearest the
    # query's length, then the lower name number.
    lengths = np.array([len(index.name_texts[n]) for n in unique_names])
    nearness = np.abs(lengths - len(analyses[0].original))
    ranked = np.lexsort((nearness, index.name_word_lengths[unique_names], -sums))[:top]
    return unique_names[ranked], sums[ranked], total


def assert_ranks_as_reference(
    index: MatchIndex, analyses: list[NameAnalysis], *, top: int = 1000
) -> None:
    """``index.rank_names`` gives the reference's names, weights and total."""
    ids, sums, total = index.rank_names(analyses, top=top)
    ref_ids, ref_sums, ref_total = reference_rank_names(index, analyses, top=top)
    assert total == ref_total
    assert ids.tolist() == ref_ids.tolist()
    assert sums.tolist() == ref_sums.tolist()


def _reference_pieces(
    index: MatchIndex,
    token: Token,
    weight: float,
    groups: list[tuple[float, str, int]],
    group_id: int,
    only: dict[int, set[int]],
) -> int:
    """The groups of the two pieces of a long query word no listed name holds within one
    edit: cuts leaving a listed word of 4+ letters on a side, both sides listed first, then
    the longest listed side, at most 3 tried; the first whose sides hit a name in common
    counts, for those names only."""
    text = token.text
    if token.kind is not TokenKind.WORD or len(text) < 8 or not text.isalpha():
        return group_id

    def listed(word: str) -> bool:
        return bool(index._known(hash_keys([f"t:{word}"]))[0])

    def hit(word: str) -> set[int]:
        return set(index._lookup(token_keys(Token(word), query=True))[0].tolist())

    near = [k for k in token_keys(token, query=True) if KEY_FACTORS[k[0].lower()] >= 0.9]
    if listed(text) or index._lookup(near)[1].sum() > 0:
        return group_id
    ranked = []
    for cut in range(3, len(text) - 2):
        left, right = listed(text[:cut]), listed(text[cut:])
        sizes = [size for ok, size in ((left, cut), (right, len(text) - cut)) if ok and size >= 4]
        if sizes:
            ranked.append((not (left and right), -max(sizes), cut))
    for _, _, cut in sorted(ranked)[:3]:
        pieces = [Token(text[:cut]), Token(text[cut:])]
        common = hit(pieces[0].text) & hit(pieces[1].text)
        if not common:
            continue
        piece_weights = [index.rarity.weight(p.text) for p in pieces]
        scale = min(1.0, weight / sum(piece_weights))
        for piece, piece_weight in zip(pieces, piece_weights, strict=True):
            for key in token_keys(piece, query=True):
                factor = piece_weight * KEY_FACTORS[key[0].lower()]
                groups.append((factor * scale if scale < 1.0 else factor, key, group_id))
            only[group_id] = common
            group_id += 1
        break
    return group_id


def _entries(count: int = 400) -> list[Entry]:
    out = []
    for i in range(count):
        a, b, c = WORDS[i % 32], WORDS[(i * 7) % 32], WORDS[(i * 13 + 5) % 32]
        person = i % 3 == 0
        name = f"{a.upper()}, {b.title()} {c.title()}" if person else f"{a} {b} {FORMS[i % 9]}"
        out.append(
            Entry(
                id=f"e{i}",
                source="t",
                list="T",
                schema=Schema.PERSON if person else Schema.ORGANIZATION,
                names=(Name(name.strip()), Name(f"{c} {a}")),
            )
        )
    return out


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex.build(_entries())


queries = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.sampled_from(FORMS),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10),
    ),
    min_size=1,
    max_size=6,
).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(queries, min_size=1, max_size=2), st.sampled_from([None, True, False]))
def test_rank_names_agrees_with_reference(
    index: MatchIndex, names: list[str], person: bool | None
) -> None:
    try:
        analyses = [analyze_name(n, person=person) for n in names]
    except InputError:
        return
    for top in (1000, 3):
        assert_ranks_as_reference(index, analyses, top=top)
    # With a floor, the names of the whole ranking at or above it, in the same order.
    ids, sums, total = index.rank_names(analyses)
    for cut in ((0.4, 0.5), (0.0, 0.9), (0.7, 0.0)):
        least = max(cut[0] * total, cut[1] * min(float(sums[0]), total)) if len(sums) else 0
        kept_ids, kept_sums, kept_total = index.rank_names(analyses, floor=cut)
        assert kept_total == total
        assert kept_ids.tolist() == ids[sums >= least].tolist()
        assert kept_sums.tolist() == sums[sums >= least].tolist()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(queries, min_size=1, max_size=2), st.booleans())
def test_rank_names_agrees_with_reference_from_cold_caches(
    index: MatchIndex, names: list[str], keys_known: bool
) -> None:
    # Every token and loose group new: all are looked up together (``_prefetch``), with
    # the tokens' keys hashed then too, or (``keys_known``) taken from their cache.
    import entityscreen.matching.keycache as keycache

    try:
        analyses = [analyze_name(n) for n in names]
    except InputError:
        return
    index._hits.clear()
    if not keys_known:
        keycache.QUERY_TOKEN_KEYS.clear()
    assert_ranks_as_reference(index, analyses)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(queries, min_size=1, max_size=6), st.sampled_from(list(Schema)))
def test_rank_names_agrees_with_reference_after_a_batch_prefetch(
    index: MatchIndex, names: list[str], schema: Schema
) -> None:
    # screen_many looks up the new keys of a chunk of parties together
    # (``prefetch_parties``); each party's ranking then reads what that lookup cached.
    from entityscreen.matching.scorer import person_hint

    index._hits.clear()
    index.prefetch_parties([Party(name=n, schema=schema) for n in names])
    for name in names:
        try:
            analyses = [analyze_name(name, person=person_hint(schema))]
        except InputError:
            continue
        assert_ranks_as_reference(index, analyses)


def test_rank_names_agrees_when_the_hits_cache_overflows(
    index: MatchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    import entityscreen.matching.candidates as index_module

    monkeypatch.setattr(index_module, "_MAX_CACHED_HITS", 5)
    for name in ["hikvision digital", "mohammad petrov", "star trading ltd", "Yun Tian II"]:
        analyses = [analyze_name(name)]
        for _ in range(2):
            assert_ranks_as_reference(index, analyses)


def test_build_files_every_key_as_the_reference_does(index: MatchIndex) -> None:
    from entityscreen.matching.index import hash_keys
    from entityscreen.matching.scorer import person_hint

    hashes: list[int] = []
    ids: list[int] = []
    for n, text in enumerate(index.name_texts):
        schema = index.entry_schemas[int(index.name_entry[n])]
        keys: set[str] = set()
        for form in analyze_name(text, person=person_hint(schema)).forms:
            for _, group in form_keys(form, query=False):
                keys.update(group)
        hashes.extend(hash_keys(sorted(keys)).tolist())
        ids.extend([n] * len(keys))
    all_hashes = np.array(hashes, dtype=np.uint64)
    all_ids = np.array(ids, dtype=np.int32)
    order = np.lexsort((all_ids, all_hashes))
    unique, starts = np.unique(all_hashes[order], return_index=True)
    assert index.key_hashes.tolist() == unique.tolist()
    assert index.key_offsets.tolist() == [*starts.tolist(), len(all_hashes)]
    assert index.postings.tolist() == all_ids[order].tolist()


def test_parallel_build_files_the_same_keys() -> None:
    entries = _entries(2100)
    one, two = MatchIndex.build(entries), MatchIndex.build(entries, workers=2)
    assert two.key_hashes.tolist() == one.key_hashes.tolist()
    assert two.key_offsets.tolist() == one.key_offsets.tolist()
    assert two.postings.tolist() == one.postings.tolist()
    assert two.rarity.counts == one.rarity.counts


def reference_merge_parts(side: list[Part], other: list[Part], targets: list[Part]) -> list[Part]:
    """``merge_parts`` as first written (every target tried at every start)."""
    if len(side) < 2 or not other:
        return side
    result = list(side)
    changed = False
    for target in targets:
        token = target.token
        text = token.text
        size = len(text)
        if token.kind is not TokenKind.WORD or size < 2:
            continue
        best = -1.0
        found: tuple[int, int, str, float, bool] | None = None
        count = len(result)
        for start in range(count):
            head = result[start].token
            skeleton = (head.script in SKELETON_SCRIPTS) != (token.script in SKELETON_SCRIPTS)
            vowel_dropped = skeleton and text[0] in "aeiou" and text[1:2] == head.text[0]
            if head.kind is not TokenKind.WORD or (head.text[0] != text[0] and not vowel_dropped):
                continue
            joined = head.text
            initials = head.text[0]
            for end in range(start + 1, min(count, start + 5)):
                nxt = result[end].token
                if nxt.kind is not TokenKind.WORD:
                    break
                joined += nxt.text
                initials += nxt.text[0]
                if len(joined) > size + 2 and len(initials) > size:
                    break
                if best < 0:
                    best = max([align.compare_parts(target, o)[0] for o in result] + [0.0])
                    if best >= 1.0:
                        break
                two_ok = size >= 3 or token.initials
                two_ok = two_ok or all(p.token.place for p in result[start : end + 1])
                acronym_ok = two_ok and not token.cased
                if initials == text and text.isalpha() and best < 0.9 and acronym_ok:
                    found = (start, end + 1, text, 0.9, True)
                    best = 0.9
                loose = abs(len(joined) - size) > 2
                abjad = joined if head.script in SKELETON_SCRIPTS else text
                latin = text if abjad is joined else joined
                abjad_short = len(abjad) < len(latin) <= 2 * len(abjad)
                if not loose or (skeleton and abjad_short):
                    value, _ = word_similarity(joined, text, skeleton and loose)
                    if loose and (value < 0.93 or len(joined) < 4):
                        continue
                    if value >= 0.85 and value > best:
                        found = (start, end + 1, joined, value, False)
                        best = value
            if best >= 1.0:
                break
        if found is not None:
            start, end, merged_text, _, acronym = found
            result[start:end] = [parts.merged_part(result[start:end], merged_text, acronym=acronym)]
            changed = True
            if len(result) < 2:
                break
    return result if changed else side


def reference_align_parts(
    left: list[Part], right: list[Part]
) -> tuple[list[Pair], list[Part], list[Part]]:
    """``align_parts`` as first written (sort with a key function, no early stop)."""
    candidates = []
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            value, rule = align.compare_parts(a, b)
            if value > 0.0:
                candidates.append((value, a.weight + b.weight, i, j, rule))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs = []
    for value, _, i, j, rule in candidates:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        pairs.append(Pair(left[i], right[j], value, rule))
    left_only = [p for i, p in enumerate(left) if i not in used_left]
    right_only = [p for j, p in enumerate(right) if j not in used_right]
    return pairs, left_only, right_only


@settings(max_examples=300, deadline=None)
@given(queries, queries, st.sampled_from([None, True, False]))
def test_merge_and_align_agree_with_reference(a: str, b: str, person: bool | None) -> None:
    for pl, pr in form_part_pairs(a, b, person):
        assert align_parts(pl, pr) == reference_align_parts(pl, pr)
        for targets in (pr, pr[::2]):
            assert merge_parts(pl, pr, targets=targets) == reference_merge_parts(pl, pr, targets)


def test_build_and_load_restore_the_garbage_collector(tmp_path: Path) -> None:
    import gc

    assert gc.isenabled()
    built = MatchIndex.build(_entries(20))
    assert gc.isenabled()
    built.save(tmp_path / "index")
    MatchIndex.load(tmp_path / "index")
    assert gc.isenabled()
    gc.disable()
    try:
        MatchIndex.build(_entries(20))
        MatchIndex.load(tmp_path / "index")
        assert not gc.isenabled()
    finally:
        gc.enable()
