"""The word caches (names/memo.py): results as the plain function's, emptied past their size."""

from __future__ import annotations

from entityscreen.names import memo as memo_module
from entityscreen.names.memo import TRIM_EVERY, memo, tick, trim
from entityscreen.names.phonetic import translit_key


def test_a_cached_function_returns_what_it_computes_once_per_argument() -> None:
    calls: list[str] = []

    @memo(3)
    def shout(word: str) -> str:
        calls.append(word)
        return word.upper()

    assert [shout(w) for w in ["a", "b", "a", "b"]] == ["A", "B", "A", "B"]
    assert calls == ["a", "b"]


def test_a_cache_past_its_size_is_emptied_by_trim_and_others_are_kept() -> None:
    @memo(2)
    def small(n: int) -> int:
        return n * 2

    @memo(100)
    def large(n: int) -> int:
        return n * 3

    for n in range(5):
        small(n)
        large(n)
    trim()
    assert small.cache_info().currsize == 0  # type: ignore[attr-defined]
    assert large.cache_info().currsize == 5  # type: ignore[attr-defined]
    assert small(4) == 8


def test_every_so_many_ticks_trim_the_caches() -> None:
    @memo(1)
    def one(n: int) -> int:
        return n

    one(1)
    one(2)
    memo_module._calls[0] = 0
    for _ in range(TRIM_EVERY - 1):
        tick()
    assert one.cache_info().currsize == 2  # type: ignore[attr-defined]
    tick()
    assert one.cache_info().currsize == 0  # type: ignore[attr-defined]


def test_the_word_functions_use_these_caches() -> None:
    # A hit of a bounded LRU cache writes to its list's links (a copied page in a forked
    # worker); these caches are functools.cache's, whose info has no size limit.
    assert translit_key("Mohammed") == translit_key("Mohammed")
    assert translit_key.cache_info().maxsize is None  # type: ignore[attr-defined]
