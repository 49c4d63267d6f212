"""How rare a token is among listed names, as an IDF-like weight.

A rare token ("hikvision") identifies; a common one ("technology", "mohammad") does not.
:class:`Rarity` holds document frequencies (how many distinct listed names contain the
token) and turns them into weights::

    weight(token) = ln((N + 1) / (df(token) + 1)), at least MIN_WEIGHT

``default_rarity()`` loads the table shipped in ``entityscreen/names/data/
token_frequencies.tsv`` (built from the real lists by ``bench/build_token_frequencies.py``);
:meth:`Rarity.combined` adds an index's own counts to it, so a small index still knows that
"ltd" is common and a large one reflects its own lists.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources

#: Smallest weight of any token: even the most common word says something.
MIN_WEIGHT = 1.0


class Rarity:
    """Document frequencies of tokens and the weights derived from them.

    Args:
        counts: Token -> number of distinct names containing it.
        total: Number of distinct names counted.
    """

    __slots__ = ("_cache", "counts", "max_weight", "total")

    def __init__(self, counts: Mapping[str, int], total: int) -> None:
        self.counts: dict[str, int] = dict(counts)
        self.total = max(total, 1)
        self.max_weight = math.log(self.total + 1)
        self._cache: dict[str, float] = {}

    def weight(self, token: str) -> float:
        """The rarity weight of ``token`` (unknown tokens are the rarest).

        Args:
            token: A token text.

        Returns:
            ``ln((N + 1) / (df + 1))``, at least ``MIN_WEIGHT``.
        """
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        df = self.counts.get(token, 0)
        value = max(MIN_WEIGHT, math.log((self.total + 1) / (df + 1)))
        if len(self._cache) < 500_000:
            self._cache[token] = value
        return value

    def frequency(self, token: str) -> int:
        """How many counted names contain ``token``."""
        return self.counts.get(token, 0)

    def combined(self, counts: Mapping[str, int], total: int) -> Rarity:
        """A new table adding ``counts`` over ``total`` more names to this one.

        Args:
            counts: Token -> document frequency among the added names.
            total: Number of added names.

        Returns:
            The combined table.
        """
        merged = dict(self.counts)
        for token, n in counts.items():
            merged[token] = merged.get(token, 0) + n
        return Rarity(merged, self.total + total)

    @classmethod
    def from_token_sets(cls, token_sets: Iterable[Iterable[str]]) -> Rarity:
        """Count document frequencies over names given as token collections.

        Args:
            token_sets: One collection of tokens per distinct name.

        Returns:
            The table.
        """
        counts: dict[str, int] = {}
        total = 0
        for tokens in token_sets:
            total += 1
            for token in set(tokens):
                counts[token] = counts.get(token, 0) + 1
        return cls(counts, total)


@cache
def default_rarity() -> Rarity:
    """The table shipped with the package (token frequencies of the real lists).

    Returns:
        The shared default :class:`Rarity`.
    """
    text = (
        resources.files("entityscreen.names")
        .joinpath("data", "token_frequencies.tsv")
        .read_text("utf-8")
    )
    counts: dict[str, int] = {}
    total = 1
    for line in text.splitlines():
        if line.startswith("#"):
            parts = line[1:].split("\t")
            if len(parts) == 2 and parts[1].strip().isdigit():
                total = int(parts[1])
            continue
        token, _, n = line.partition("\t")
        if n.strip().isdigit():
            counts[token] = int(n)
    return Rarity(counts, total)


__all__ = ["MIN_WEIGHT", "Rarity", "default_rarity"]
