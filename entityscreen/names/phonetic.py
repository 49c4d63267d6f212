"""Phonetic keys: spellings that sound alike, across transliteration conventions.

Three keys, from strict to loose:

* :func:`translit_key` folds the differences between romanisation systems (German, French,
  English, scholarly): "j" between a consonant and a vowel -> "i", "kh"/"ch" -> "h",
  "zh"/"dzh"/"dj" -> "j", "ts"/"tz" and a soft "c" -> "c", a hard "c"/"q" -> "k",
  "w" -> "v", "y" -> "i", "ou"/"oo" -> "u", "ph" -> "f", "th" -> "t", "x" -> "ks",
  double letters single. "Werchnjaja"/"Verkhnyaya",
  "Khotintsev"/"Hotincev", "Qureshi"/"Kureshi" get close or equal keys.
* :func:`skeleton_key` keeps consonant classes only (vowels, "w", "y", apostrophes
  dropped; k/q/c/h, b/f/p/v and s/z/ts each one class): how Arabic, Hebrew, Thai, Khmer
  or Burmese names written without vowels meet their Latin spellings ("mhmd" ~
  "Mohamed").
* :func:`metaphone_key` is jellyfish's Metaphone, used to find candidates.
"""

from __future__ import annotations

import re

import jellyfish

from .memo import memo

_SEQUENCE: tuple[tuple[str, str], ...] = (
    ("tsch", "ch"),
    ("sch", "sh"),
    ("x", "ks"),
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("ch", "h"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("gh", "g"),
    ("ck", "k"),
)
_AFFRICATES: tuple[tuple[str, str], ...] = (("tz", "c"), ("ts", "c"))
_HARD_C = re.compile(r"c(?![eiy])")
_GLIDE_J = re.compile(r"(?<=[bcdfghklmnpqrstvwxz])j(?=[aeiou])")
_DOUBLES = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiouyw'`]")
# "h" is a class of its own: Arabic ح, ه and خ (Latin "kh", read "h" by translit_key)
# and Hebrew ח are never written with k, q or c in Latin, and a class of k and h made
# חיים "Chaim" meet "Kim" and כהן "Cohen" meet "Khan", "Kony" and "Hany".
_CLASSES = str.maketrans("qcxfpvzc", "kkkbbbss")
#: A final "h" is dropped (ه, ة: "Abdullah" / "Abdulla"), but not one that stands for a
#: consonant written with two letters: الشيخ "shykh" keeps its kh, "Sheikh" its h.
_HARD_FINAL_H = ("kh", "ch", "gh")


@memo(200_000)
def translit_key(word: str) -> str:
    """Fold transliteration variants of a word (see module docstring).

    Args:
        word: A lower-case ASCII token.

    Returns:
        The key; equal keys mean "the same word in another romanisation".
    """
    key = _GLIDE_J.sub("i", word) if "j" in word else word
    for old, new in _SEQUENCE:
        if old in key:
            key = key.replace(old, new)
    key = _HARD_C.sub("k", key)
    for old, new in _AFFRICATES:
        if old in key:
            key = key.replace(old, new)
    key = key.replace("q", "k").replace("w", "v").replace("y", "i")
    key = key.replace("ou", "u").replace("oo", "u").replace("ee", "i")
    key = _DOUBLES.sub(r"\1", key)
    return key.replace("ij", "i")


@memo(200_000)
def skeleton_key(word: str) -> str:
    """The consonant skeleton of a word.

    Args:
        word: A lower-case ASCII token.

    Returns:
        Its consonants after :func:`translit_key`: a final "h" and the letters that
        write vowels in Arabic and Hebrew ("w", "y") dropped; classes k = k/q/c/x,
        b = b/f/p/v, s = s/z/c(ts) and "sh"; doubles single.
    """
    vowel_h = word.endswith("hh")
    if vowel_h:
        # A final ه/ة/ה after a consonant written "h" (מלכה "mlkhh", שמחה "smhh"): the
        # last "h" is the vowel, dropped as written. Dropped from the folded key instead,
        # it took the consonant ("ml" met "Maalla", "sm" met "Issam").
        word = word[:-1]
    key = translit_key(word.replace("w", "u")).replace("sh", "s")
    if not vowel_h and len(key) >= 2 and key.endswith("h") and not word.endswith(_HARD_FINAL_H):
        key = key[:-1]
    # Doubles are single only where they touch: the two l of "Khalil" (kh-l-y-l), with a
    # written vowel between them, are two consonants ("kll"), not one ("Chawla" "kl").
    key = _DOUBLES.sub(r"\1", key.translate(_CLASSES))
    return _VOWELS.sub("", key)


@memo(200_000)
def skeleton_gaps(word: str) -> tuple[str, ...]:
    """The vowel letters around and between the consonants of :func:`skeleton_key`.

    Gap ``k`` holds what is written between consonant ``k`` and ``k + 1`` (gap 0 before
    the first, the last after the last), after the same folding: "w" is read "u" and
    "y" "i". Abjads write long vowels with these letters (waw, yod/ya, alef) and leave
    short ones out, so where the abjad side writes one, the Latin side must have a
    vowel that letter can stand for (see ``matching.similarity.vowels_agree``).

    Args:
        word: A lower-case ASCII token.

    Returns:
        ``len(skeleton_key(word)) + 1`` strings.
    """
    vowel_h = word.endswith("hh")
    if vowel_h:
        # As in skeleton_key.
        word = word[:-1]
    key = translit_key(word.replace("w", "u")).replace("sh", "s")
    if not vowel_h and len(key) >= 2 and key.endswith("h") and not word.endswith(_HARD_FINAL_H):
        key = key[:-1]
    gaps = [""]
    last = ""
    for char in key:
        if _VOWELS.fullmatch(char):
            gaps[-1] += char
            continue
        cls = char.translate(_CLASSES)
        if cls == last and not gaps[-1]:
            continue
        last = cls
        gaps.append("")
    return tuple(gaps)


# Korean surnames whose usual Latin spellings no letter rule joins: each spelling -> one.
_KOREAN_SURNAMES = {
    **dict.fromkeys(("lee", "yi", "rhee", "ri", "rhie", "li", "i"), "i"),
    **dict.fromkeys(("park", "pak", "bak", "bahk"), "pak"),
    **dict.fromkeys(("choi", "choe", "chwe", "choy"), "je"),
    **dict.fromkeys(("lim", "im", "rim", "yim"), "im"),
    **dict.fromkeys(("oh", "o"), "u"),
    **dict.fromkeys(("suh", "seo", "so", "sur"), "su"),
    **dict.fromkeys(("ahn", "an"), "an"),
    **dict.fromkeys(("yu", "yoo", "ryu", "rhyu", "you"), "yu"),
    **dict.fromkeys(("roh", "noh", "no", "ro"), "nu"),
    **dict.fromkeys(("heo", "hur", "huh", "ho"), "hu"),
    **dict.fromkeys(("paek", "baek", "paik", "baik"), "pek"),
    **dict.fromkeys(("woo", "wu", "u"), "u"),
}
#: The usual spellings of each Korean surname key above ("i" -> "lee", "yi", "rhee"...).
KOREAN_SURNAME_SPELLINGS: dict[str, tuple[str, ...]] = {}
for _spelling, _key in _KOREAN_SURNAMES.items():
    KOREAN_SURNAME_SPELLINGS[_key] = (*KOREAN_SURNAME_SPELLINGS.get(_key, ()), _spelling)
_KOREAN_SEQUENCE: tuple[tuple[str, str], ...] = (
    ("eo", "o"),
    ("eu", "u"),
    ("oo", "u"),
    ("ee", "i"),
    # 의 / 희: Revised "ui", "hui"; usual spellings "ee", "hee" ("Park Chung Hee").
    ("ui", "i"),
    ("ae", "e"),
    ("oe", "e"),
    ("ch", "j"),
    ("sh", "s"),
    ("kh", "k"),
    ("th", "t"),
    ("ph", "p"),
)
_KOREAN_LETTERS = str.maketrans("gdblo", "ktpru")


@memo(200_000)
def korean_key(word: str) -> str:
    """Fold the romanisations of a Korean syllable or name part to one key.

    Revised Romanisation (South Korea since 2000: "gim jeong eun"), McCune-Reischauer
    (North Korea and most sanctions lists: "Kim Jong Un") and the spellings people use
    ("Park", "Lee", "Choi", "Jung") differ in voicing (g/k, d/t, b/p, j/ch), in vowels
    (eo/o/u, eu/u, ae/e) and in a few surnames; the key drops those differences. It is
    only used between a Hangul-written token and a Latin one.

    Args:
        word: A lower-case ASCII token.

    Returns:
        The key ("gim" and "kim" -> "kim"; "jeong", "jong", "chung" -> "jung").
    """
    surname = _KOREAN_SURNAMES.get(word)
    if surname is not None:
        return surname
    key = word
    for old, new in _KOREAN_SEQUENCE:
        if old in key:
            key = key.replace(old, new)
    key = key.translate(_KOREAN_LETTERS)
    return _DOUBLES.sub(r"\1", key)


@memo(200_000)
def skeleton_keys(word: str) -> tuple[str, ...]:
    """The consonant skeletons a word may have: :func:`skeleton_key` and
    :func:`letter_skeleton` (see there why both).

    Args:
        word: A lower-case ASCII token.

    Returns:
        One or two skeletons, the plain one first.
    """
    plain = skeleton_key(word)
    letters = letter_skeleton(word)
    # The second reading loosens the key: only with three consonants or more, where two
    # words sharing one by chance are few. (Dropping a Latin "v" to meet a vav, as in
    # דוד / "David", made invented names meet listed Arabic ones: not done.)
    if letters != plain and len(letters) >= 3:
        return (plain, letters)
    return (plain,)


_LETTER_CLASSES_KEEP = str.maketrans("qcxfpvz", "kkkbbbs")
_DROP_VOWELS = str.maketrans("", "", "aeiouyw'`")


@memo(200_000)
def letter_skeleton(word: str) -> str:
    """The consonant skeleton of a word read letter by letter, no digraphs.

    An abjad romanised letter by letter writes two letters where Latin spellings write a
    digraph: שחר is "shr" (s + h), not "sh" + "r"; הזהב is "hzhb", not "h" + "zh" + "b".
    Reading both sides letter by letter (vowels, "w", "y" dropped; k/q/c/x, b/f/p/v
    and s/z each one class; doubles single) makes "shr" meet "Shachar" (whose plain
    skeleton is "shr").

    Args:
        word: A lower-case ASCII token.

    Returns:
        The skeleton.
    """
    return _DOUBLES.sub(r"\1", word.translate(_LETTER_CLASSES_KEEP)).translate(_DROP_VOWELS)


@memo(200_000)
def metaphone_key(word: str) -> str:
    """Metaphone code of a word (empty for digits).

    Args:
        word: A lower-case ASCII token.

    Returns:
        The Metaphone code.
    """
    if not word.isalpha():
        return ""
    return str(jellyfish.metaphone(word)).lower()


__all__ = [
    "KOREAN_SURNAME_SPELLINGS",
    "korean_key",
    "letter_skeleton",
    "metaphone_key",
    "skeleton_gaps",
    "skeleton_key",
    "skeleton_keys",
    "translit_key",
]
