"""Pinyin readings of Chinese syllables spelled in Wade-Giles.

Older and Taiwanese sources spell Chinese names in Wade-Giles ("Hsi Chin-p'ing",
"Mao Tse-tung", "Chiang Kai-shek"); the lists mostly carry pinyin ("Xi Jinping"). The two
systems differ in spelling, not in sound: "hs" is pinyin "x", "ch" before "i" is "j" or
"q", "ts"/"tz" is "z" or "c", "k", "t", "p" are "g"/"k", "d"/"t", "b"/"p" (Wade-Giles marks
the aspirated one with an apostrophe, which names mostly lose), "j" is "r", "-ih" is
"-i", "-ien" "-ian", "-ung" "-ong". :func:`pinyin_readings` gives the pinyin syllables a
Wade-Giles syllable may stand for; only syllables that are not pinyin already get any
("hsi", "chin"; "ping" is read as itself).
"""

from __future__ import annotations

import itertools

from .memo import memo
from .syllables import pinyin_syllables

#: Wade-Giles initials (longest first) and the pinyin initials each may stand for.
_INITIALS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("hs", ("x",)),
    ("ch", ("zh", "ch", "j", "q")),
    ("ts", ("z", "c")),
    ("tz", ("z", "c")),
    ("sh", ("sh",)),
    ("k", ("g", "k")),
    ("t", ("d", "t")),
    ("p", ("b", "p")),
    ("j", ("r",)),
)
#: Wade-Giles finals and their pinyin spelling (applied in this order).
_FINALS: tuple[tuple[str, str], ...] = (
    ("ih", "i"),
    ("ieh", "ie"),
    ("ueh", "ue"),
    ("ien", "ian"),
    ("iung", "iong"),
    ("ung", "ong"),
    ("erh", "er"),
    ("eh", "e"),
)


@memo(65536)
def pinyin_readings(syllable: str) -> tuple[str, ...]:
    """The pinyin syllables a Wade-Giles syllable (apostrophes dropped) may stand for.

    Args:
        syllable: A lower-case ASCII word.

    Returns:
        Pinyin syllables, none when ``syllable`` is pinyin already or no Wade-Giles one
        ("hsi" -> ("xi",); "chin" -> ("jin", "qin"); "tzu" -> ("zi", "ci"); "ping" -> ()).
    """
    known = pinyin_syllables()
    if not syllable.isalpha() or len(syllable) > 6 or syllable in known:
        return ()
    initial = ""
    options: tuple[str, ...] = ("",)
    for written, initials in _INITIALS:
        if syllable.startswith(written):
            initial, options = written, initials
            break
    rest = syllable[len(initial) :]
    if rest in ("u", "ih") and initial in ("ts", "tz"):
        rest = "i"  # "tzu" / "tsu" is pinyin "zi" / "ci"
    for written, final in _FINALS:
        if rest.endswith(written):
            rest = rest[: -len(written)] + final
            break
    if rest == "o" and initial in ("k", "h", ""):
        rest = "e"  # "ko", "ho", "o": pinyin "ge", "he", "e"
    if syllable in ("ssu", "szu", "sze"):
        return ("si",)
    out = [f"{p}{rest}" for p in options]
    return tuple(w for w in dict.fromkeys(out) if w in known and w != syllable)


def joined_readings(first: str, second: str, most: int = 4) -> tuple[str, ...]:
    """Pinyin readings of two syllables written as one word ("chin", "ping" ->
    "jinping", "qinping"...): a given name Wade-Giles hyphenates and pinyin joins.

    Only when one of them is Wade-Giles (see :func:`pinyin_readings`); at most ``most``.
    """
    a, b = pinyin_readings(first), pinyin_readings(second)
    if not a and not b:
        return ()
    pairs = itertools.product(a or (first,), b or (second,))
    return tuple(x + y for x, y in itertools.islice(pairs, most))


__all__ = ["joined_readings", "pinyin_readings"]
