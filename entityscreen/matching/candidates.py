"""Candidate names of a query: the first stage of screening.

Each listed name form is filed under keys (:mod:`entityscreen.matching.keys`, built by
:mod:`entityscreen.matching.build`): its tokens, their one-letter deletions (typos),
transliteration and Metaphone keys, consonant skeletons, joined neighbours and initials.
A query's keys hit names; each query token adds its rarity weight (times the best key
factor) to the names it hits; names are ranked by that sum. What a distinct query token
hits (names and best weight) is cached per index, so a recurring token costs no lookup;
the sum over tokens is one stable sort of the cached hits.

:class:`CandidateIndex` holds this stage's methods; :class:`~entityscreen.matching.MatchIndex`
adds scoring to it and owns the state they read.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ..errors import InputError
from ..model import Party, Schema
from ..names import analyze_name
from ..names.analysis import NameAnalysis
from ..names.tokens import Token, TokenKind
from .build import hash_keys
from .columns import Strings
from .keycache import KEY_LEVEL as _KEY_LEVEL
from .keycache import LEVEL_FACTORS as _LEVEL_FACTORS
from .keycache import QUERY_TOKEN_KEYS as _QUERY_TOKEN_KEYS
from .keycache import cached_hashes as _cached_hashes
from .keycache import near as _near
from .keycache import query_token_keys as _query_token_keys
from .keycache import remember_keys as _remember_keys
from .keys import form_group_keys, query_words, token_keys, token_signature
from .rarity import Rarity
from .scorer import person_hint
from .stored import StoredAnalyses

IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]

#: Keys with more postings than this are too common to find candidates with.
MAX_POSTINGS = 20_000
_GROUP_WEIGHT_CAP = 12.0
#: Cached token hits kept at most, in names (12 bytes each: ~36 MB; 5,000 queries: 0.8M).
_MAX_CACHED_HITS = 3_000_000
_LEVELS = len(_LEVEL_FACTORS)
#: A loose group's weight by its best key's level.
_GROUP_TABLE = np.array([_GROUP_WEIGHT_CAP * f for f in _LEVEL_FACTORS])
#: Query words this long or longer that no listed name holds are cut in two (``_piece_hits``).
_PIECES_MIN = 8

# The ufuncs' own reductions and array methods, not numpy's module-level functions: those
# wrap the same C code in Python calls that cost as much as the work on a query's arrays.
_SUM = np.add.reduce
_LEVEL_ARRAY = np.array(_LEVEL_FACTORS)


_Hits = tuple[Int32Array, npt.NDArray[np.float64]]
_Floor = tuple[float, float]
#: Cuts of a long query word tried at most (see ``CandidateIndex._piece_hits``).
_PIECE_CUTS = 3
_NO_HITS: _Hits = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64))
#: First item of a loose group's key in ``_hits`` (a token's, its text, is never empty).
_LOOSE = ""
class CandidateIndex:
    """The candidate stage of a match index (see the module docstring).

    Attributes are the index's state, set by :class:`~entityscreen.matching.MatchIndex`.
    """

    entry_ids: Strings
    entry_schemas: list[Schema]
    name_texts: Strings
    name_entry: npt.NDArray[np.int32]
    key_hashes: npt.NDArray[np.uint64]
    key_offsets: npt.NDArray[np.int64]
    postings: npt.NDArray[np.int32]
    rarity: Rarity
    _analyses: dict[int, NameAnalysis]
    #: Every name's analysis, encoded (:mod:`.stored`): decoded on first use.
    stored: StoredAnalyses
    _query_cache: dict[tuple[str, bool | None], NameAnalysis]
    _hits: dict[tuple[object, ...], tuple[Int32Array, npt.NDArray[np.float64]]]
    _hits_size: int
    name_lengths: list[int]
    name_word_lengths: npt.NDArray[np.int32]
    _lengths: Int32Array | None = None
    _name_buffers: tuple[bytes, Sequence[int]] | None = None
    #: What long query words hit as two words (see ``_piece_hits``), made on first use.
    _splits: dict[str, tuple[_Hits, ...]] | None = None
    #: The OFAC-style screen's names by first letter (``ofac_screen``), made on first use;
    #: kept here, not in a WeakKeyDictionary: a mypyc-compiled index takes no weakref.
    ofac_letters: dict[str, tuple[list[int], list[str]]] | None = None

    # ------------------------------------------------------------------ analyses

    def analysis(self, name_id: int) -> NameAnalysis:
        """The analysis of an indexed name (decoded from ``stored`` on first use)."""
        cached = self._analyses.get(name_id)
        if cached is None:
            schema = self.entry_schemas[int(self.name_entry[name_id])]
            cached = self.stored.analysis(name_id, self.name_text(name_id), person_hint(schema))
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
        pos = np.minimum(self.key_hashes.searchsorted(hashes), n - 1)
        found = self.key_hashes[pos] == hashes
        starts = self.key_offsets[pos]
        sizes = np.where(found, self.key_offsets[pos + 1] - starts, 0)
        sizes[sizes > MAX_POSTINGS] = 0
        total = int(_SUM(sizes))
        if total == 0:
            return np.zeros(0, dtype=np.int32), sizes
        # Gather every posting slice at once: start of its slice plus the rank within it.
        within = np.arange(total, dtype=np.int64) + (starts - sizes.cumsum() + sizes).repeat(sizes)
        return self.postings[within], sizes

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
        keyed = hits.astype(np.int64) * _LEVELS + levels.repeat(sizes)
        keyed.sort()
        names = keyed // _LEVELS
        first = np.ones(len(keyed), dtype=bool)
        first[1:] = names[1:] != names[:-1]
        table = weight * _LEVEL_ARRAY  # float64 products, as Python's floats
        cached = (names[first].astype(np.int32), table[keyed[first] % _LEVELS])
        self._keep_hits(sig, cached)
        return cached

    def rank_names(
        self, analyses: Sequence[NameAnalysis], *, top: int = 1000, floor: _Floor = (0, 0)
    ) -> tuple[IntArray, npt.NDArray[np.float64], float]:
        """Candidate names for query analyses, best first.

        Each query token (and each joined-words or acronym key) is a group; a group counts
        once per name it hits, with its best key's weight, and a name's weight is the sum
        over groups (added in group order).

        Args:
            analyses: The analysed query names.
            top: Keep at most this many names.
            floor: Drop names under these shares (coverage, relative) as ``scored`` does.

        Returns:
            Name ids, their candidate weights (descending) and the query's total weight.
        """
        # Groups in order: a token's (names, weights), or the number of a loose group.
        groups: list[tuple[Int32Array, npt.NDArray[np.float64]] | int] = []
        loose_groups: list[tuple[int, tuple[str, ...]]] = []
        total = 0.0
        forms = [form for analysis in analyses for form in analysis.forms]
        form_words = [query_words(form) for form in forms]
        form_groups = [[tuple(k) for _, k in form_group_keys(f, query=True)] for f in forms]
        self._prefetch(
            [t for words in form_words for t in words], [k for ks in form_groups for k in ks]
        )
        for words, group_keys in zip(form_words, form_groups, strict=True):
            form_total = 0.0
            for token in words:
                weight = self._weight(token)
                form_total += weight
                hits = self._token_hits(token)
                groups.append(hits)
                if len(token.text) >= _PIECES_MIN and not _near(hits[1], weight):
                    groups.extend(self._piece_hits(token, weight))
            for keys in group_keys:
                loose_groups.append((len(groups), keys))
                groups.append(len(groups))
            total = max(total, form_total)
        if not groups:
            return np.zeros(0, dtype=np.int64), np.zeros(0), total
        loose = self._loose_hits(loose_groups)
        parts = [loose.get(g, _NO_HITS) if isinstance(g, int) else g for g in groups]
        name_ids = np.concatenate([p[0] for p in parts])
        if not len(name_ids):
            return np.zeros(0, dtype=np.int64), np.zeros(0), total
        # A stable sort by name keeps each name's groups in group order for the sum.
        order = name_ids.argsort(kind="stable")
        name_ids = name_ids[order]
        weights = np.concatenate([p[1] for p in parts])[order]
        new_name = np.ones(len(name_ids), dtype=bool)
        new_name[1:] = name_ids[1:] != name_ids[:-1]
        unique_names = name_ids[new_name]
        sums = np.bincount(new_name.cumsum() - 1, weights=weights).astype(np.float64)
        if floor[0] or floor[1]:
            least = max(floor[0] * total, floor[1] * min(float(sums.max()), total))
            unique_names, sums = unique_names[sums >= least], sums[sums >= least]
        # Equal weights go first to the names with the fewest letters in their words, as
        # screen's budget takes them: the query covers more of them ("MIEC" hits "MITEC"
        # and "Bank of Industry and Mine" alike, through one key each); then the nearest
        # the query's length: "Sa'id SA'ID" and dozens of listed "SAID"s are all "said",
        # and "SA'ID, Sa'id" is the one the query writes (by length alone, the shortest
        # "SAID"s filled the budget; nearest alone lost "STEKLOVOLOKNO" to longer
        # namesakes). One integer key: word letters, then nearness (< 2**16 letters).
        near = len(analyses[0].original) if analyses else 0
        ties = self.name_word_lengths[unique_names].astype(np.int64) << 16
        ties += abs(self._length_array()[unique_names] - near)
        if len(sums) > top:
            kth = np.partition(sums, len(sums) - top)[len(sums) - top]
            above = (sums > kth).nonzero()[0]
            tied = (sums == kth).nonzero()[0]
            tied = tied[ties[tied].argsort(kind="stable")[: top - len(above)]]
            keep = np.concatenate([above, tied])
            keep.sort()
            unique_names, sums, ties = unique_names[keep], sums[keep], ties[keep]
        ranked = np.lexsort((ties, -sums))
        return unique_names[ranked].astype(np.int64), sums[ranked], total

    def name_text(self, name_id: int) -> str:
        """``name_texts[name_id]``, read from the column's buffers (see ``Strings.view``)."""
        if self._name_buffers is None:
            self._name_buffers = self.name_texts.view()
        data, starts = self._name_buffers
        return data[starts[name_id] : starts[name_id + 1] - 1].decode("utf-8", "surrogatepass")

    def _length_array(self) -> Int32Array:
        """``name_lengths`` as an array (made on first use)."""
        if self._lengths is None or len(self._lengths) != len(self.name_lengths):
            self._lengths = np.array(self.name_lengths, dtype=np.int32)
        return self._lengths

    def _loose_hits(self, groups: list[tuple[int, tuple[str, ...]]]) -> dict[int, _Hits]:
        """The names each loose group (joined words, acronyms) hits, by group number (see
        ``_group_hits``). What a group hits depends only on its keys and the index, so it
        is cached by its keys (in ``_hits``, bounded with the tokens' hits); the groups
        not seen before, each distinct one once, are looked up together."""
        out: dict[int, _Hits] = {}
        new: dict[tuple[str, ...], list[int]] = {}
        for number, keys in groups:
            cached = self._hits.get((_LOOSE, *keys))
            if cached is not None:
                out[number] = cached
            else:
                new.setdefault(keys, []).append(number)
        if not new:
            return out
        found = self._group_hits(
            [k for keys in new for k in keys],
            [j for j, keys in enumerate(new) for _ in keys],
        )
        for j, (keys, numbers) in enumerate(new.items()):
            hits = found.get(j, _NO_HITS)
            self._keep_hits((_LOOSE, *keys), hits)
            for number in numbers:
                out[number] = hits
        return out

    def _group_hits(
        self, keys: list[str], numbers: list[int]
    ) -> dict[int, tuple[Int32Array, npt.NDArray[np.float64]]]:
        """The names each loose group (joined words, acronyms) hits, once each, with the
        group's weight times its best key's factor; by group number. One lookup for all."""
        if not keys:
            return {}
        hits, sizes = self._lookup_hashes(_cached_hashes(keys))
        if not len(hits):
            return {}
        levels = np.array([_KEY_LEVEL[k[0]] for k in keys], dtype=np.int64)
        group_of = np.array(numbers, dtype=np.int64).repeat(sizes)
        # Codes (group, name, level) sort by group, then name, then best key first.
        keyed = (group_of * len(self.name_entry) + hits) * _LEVELS + levels.repeat(sizes)
        keyed.sort()
        pairs = keyed // _LEVELS
        first = np.ones(len(keyed), dtype=bool)
        first[1:] = pairs[1:] != pairs[:-1]
        keyed, pairs = keyed[first], pairs[first]
        weights = _GROUP_TABLE[keyed % _LEVELS]
        group_of = pairs // len(self.name_entry)
        names = (pairs % len(self.name_entry)).astype(np.int32)
        bounds = (group_of[1:] != group_of[:-1]).nonzero()[0] + 1
        starts = [0, *bounds.tolist()]
        ends = [*bounds.tolist(), len(pairs)]
        return {
            int(group_of[a]): (names[a:b], weights[a:b]) for a, b in zip(starts, ends, strict=True)
        }

    def _prefetch(self, tokens: list[Token], groups: list[tuple[str, ...]]) -> None:
        """Fill the caches that ``_token_hits`` and ``_loose_hits`` read, for the tokens and
        loose groups of a query not seen before, with one hashing and one lookup for all:
        each hashing and lookup costs some 20 numpy calls, whatever its size. (The same
        hits as theirs: names ascending, once each, at their best key's weight.)"""
        new: dict[tuple[object, ...], Token] = {}
        for token in tokens:
            sig = token_signature(token, query=True)
            if sig not in self._hits:
                new.setdefault(sig, token)
        loose = [keys for keys in dict.fromkeys(groups) if (_LOOSE, *keys) not in self._hits]
        count = len(self.name_entry)
        if len(new) + bool(loose) < 2 or not count:
            return  # one lookup at most: theirs
        sigs = list(new)
        lists = [None if s in _QUERY_TOKEN_KEYS else token_keys(new[s], query=True) for s in sigs]
        lists.extend(list(keys) for keys in loose)
        fresh = hash_keys([k for keys in lists if keys is not None for k in keys])
        hashes: list[npt.NDArray[np.uint64]] = []
        levels: list[IntArray] = []
        at = 0
        for j, keys in enumerate(lists):
            if keys is None:
                h, level = _QUERY_TOKEN_KEYS[sigs[j]]
            else:
                h, at = fresh[at : at + len(keys)], at + len(keys)
                level = np.array([_KEY_LEVEL[k[0]] for k in keys], dtype=np.int64)
                if j < len(sigs):
                    _remember_keys(sigs[j], (h, level))
            hashes.append(h)
            levels.append(level)
        hits, sizes = self._lookup_hashes(np.concatenate(hashes))
        group_of = np.arange(len(lists), dtype=np.int64).repeat([len(h) for h in hashes])
        # Codes (group, name, level) sort by group, then name, then best key first.
        keyed = (group_of.repeat(sizes) * count + hits) * _LEVELS
        keyed += np.concatenate(levels).repeat(sizes)
        keyed.sort()
        pairs = keyed // _LEVELS
        first = np.ones(len(keyed), dtype=bool)
        first[1:] = pairs[1:] != pairs[:-1]
        best, pairs = keyed[first] % _LEVELS, pairs[first]
        names = (pairs % count).astype(np.int32)
        bounds = (pairs // count).searchsorted(np.arange(len(lists) + 1)).tolist()
        for j, sig in enumerate([*sigs, *((_LOOSE, *keys) for keys in loose)]):
            a, b = bounds[j], bounds[j + 1]
            table = self._weight(new[sig]) * _LEVEL_ARRAY if j < len(sigs) else _GROUP_TABLE
            self._keep_hits(sig, (names[a:b], table[best[a:b]]))

    def prefetch_parties(self, parties: Sequence[Party]) -> None:
        """``_prefetch`` for every name of a chunk of parties at once (``screen_many``): a
        fresh query's tokens are mostly new, and each lookup has a fixed cost."""
        tokens: list[Token] = []
        groups: list[tuple[str, ...]] = []
        for party in parties:
            hint = person_hint(party.schema)
            for name in self._query_names(party):
                try:
                    forms = self._query(name, hint).forms
                except InputError:
                    continue
                for form in forms:
                    tokens.extend(query_words(form))
                    groups.extend(tuple(k) for _, k in form_group_keys(form, query=True))
        self._prefetch(tokens, groups)

    def _keep_hits(self, sig: tuple[object, ...], hits: _Hits) -> None:
        """Cache what a token or loose group hits (bounded: all is dropped when full)."""
        self._hits_size += len(hits[0])
        if self._hits_size > _MAX_CACHED_HITS:
            self._hits.clear()
            self._hits_size = len(hits[0])
        self._hits[sig] = hits

    def _piece_hits(self, token: Token, weight: float) -> tuple[_Hits, ...]:
        """What a long query word hits as two words written as one ("FridrichBuchenberg").

        Only for a word that no listed name holds within one edit (the caller checks that
        its keys hit no name so). Cuts that leave a listed word of 4+ letters on one side
        are tried, the longest such side first (both sides listed first), at most
        ``_PIECE_CUTS``; the first whose two sides hit a name in common (the other side
        may hold a typo) counts, for those names only: one side alone hits names that
        share a piece of the word by chance ("INaERNACIONAL" / "nacional"). The two sides
        weigh no more than the word. Cached per word (bounded).
        """
        text = token.text
        if token.kind is not TokenKind.WORD or not text.isalpha():
            return ()
        cache = self._splits
        if cache is None:
            cache = self._splits = {}
        cached = cache.get(text)
        if cached is not None:
            return cached
        out: tuple[_Hits, ...] = ()
        for cut in self._cuts(text):
            pieces = [Token(p, TokenKind.WORD, p, token.script) for p in (text[:cut], text[cut:])]
            (left, left_w), (right, right_w) = (self._token_hits(p) for p in pieces)
            common = np.intersect1d(left, right, assume_unique=True)
            if not len(common):
                continue
            in_left = np.isin(left, common, assume_unique=True)
            in_right = np.isin(right, common, assume_unique=True)
            parts_weight = self._weight(pieces[0]) + self._weight(pieces[1])
            scale = weight / parts_weight if parts_weight > weight else 1.0
            out = (
                (left[in_left], left_w[in_left] * scale),
                (right[in_right], right_w[in_right] * scale),
            )
            break
        if len(cache) >= 100_000:
            cache.clear()
        cache[text] = out
        return out

    def _cuts(self, text: str) -> list[int]:
        """Where ``_piece_hits`` tries to cut ``text``, best first (see there)."""
        cuts = range(3, len(text) - 2)
        keys = [f"t:{text}", *(f"t:{text[:i]}" for i in cuts), *(f"t:{text[i:]}" for i in cuts)]
        known = self._known(hash_keys(keys)).tolist()
        if known[0]:
            return []
        ranked: list[tuple[bool, int, int]] = []
        for j, cut in enumerate(cuts):
            sides = ((known[1 + j], cut), (known[1 + len(cuts) + j], len(text) - cut))
            longest = max((size for ok, size in sides if ok and size >= 4), default=0)
            if longest:
                ranked.append((not all(ok for ok, _ in sides), -longest, cut))
        return [cut for _, _, cut in sorted(ranked)[:_PIECE_CUTS]]

    def _known(self, hashes: npt.NDArray[np.uint64]) -> npt.NDArray[np.bool_]:
        """Whether each key hash is filed at all (however many postings)."""
        n = len(self.key_hashes)
        if n == 0:
            return np.zeros(len(hashes), dtype=bool)
        pos = np.minimum(self.key_hashes.searchsorted(hashes), n - 1)
        found: npt.NDArray[np.bool_] = self.key_hashes[pos] == hashes
        return found

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


__all__ = ["MAX_POSTINGS", "CandidateIndex", "Int32Array", "IntArray"]
