"""Caches of the candidate stage's key work, shared by every index in a process: a query
token's key hashes and factor levels, and single keys' hashes (see :mod:`.candidates`).

Module-level, not per index: the keys of a token do not depend on the lists, and a
service rebuilding its index after an import keeps the warm cache.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..names.tokens import Token
from .build import hash_keys
from .keys import KEY_FACTORS, token_keys, token_signature

IntArray = npt.NDArray[np.int64]

#: Distinct key factors, best first; a key's level is the index of its factor here.
LEVEL_FACTORS: tuple[float, ...] = tuple(sorted(set(KEY_FACTORS.values()), reverse=True))
KEY_LEVEL = {
    prefix: LEVEL_FACTORS.index(KEY_FACTORS[prefix.lower()])
    for prefix in [*KEY_FACTORS, *(p.upper() for p in KEY_FACTORS)]
}
#: The factor of the keys that find a word within one edit (``t:``, ``d:``, ``k:``).
NEAR_FACTOR = 0.9
_MAX = np.maximum.reduce  # the ufunc's own reduction: np.max wraps it in Python calls
QUERY_TOKEN_KEYS: dict[tuple[object, ...], tuple[npt.NDArray[np.uint64], IntArray]] = {}


def query_token_keys(token: Token) -> tuple[npt.NDArray[np.uint64], IntArray]:
    """Hashes and factor levels of a query token's keys, computed once per distinct token."""
    sig = token_signature(token, query=True)
    cached = QUERY_TOKEN_KEYS.get(sig)
    if cached is None:
        keys = token_keys(token, query=True)
        cached = (hash_keys(keys), np.array([KEY_LEVEL[k[0]] for k in keys], dtype=np.int64))
        remember_keys(sig, cached)
    return cached


def remember_keys(sig: tuple[object, ...], keys: tuple[npt.NDArray[np.uint64], IntArray]) -> None:
    if len(QUERY_TOKEN_KEYS) >= 200_000:
        QUERY_TOKEN_KEYS.clear()
    QUERY_TOKEN_KEYS[sig] = keys


KEY_HASHES: dict[str, int] = {}


def cached_hashes(keys: list[str]) -> npt.NDArray[np.uint64]:
    """``hash_keys(keys)``, from a cache of single keys (a query's joined words recur)."""
    known = KEY_HASHES
    if len(known) >= 500_000:
        known.clear()
    missing = [k for k in keys if k not in known]
    if missing:
        known.update(zip(missing, hash_keys(missing).tolist(), strict=True))
    return np.array([known[k] for k in keys], dtype=np.uint64)


def near(weights: npt.NDArray[np.float64], weight: float) -> bool:
    """Whether a query token of weight ``weight`` hit a name within one edit (weights as
    ``CandidateIndex._token_hits`` gives them)."""
    return bool(len(weights)) and float(_MAX(weights)) >= weight * NEAR_FACTOR
