"""Similarity of two tokens, in [0, 1], with the rule that produced it.

Rules, best first (the highest value wins):

=================  ======  ============================================================
rule               value   when
=================  ======  ============================================================
``exact``          1.0     same text
``abbreviation``   0.95    one is a listed abbreviation of the other ("intl" /
                           "international"), or both abbreviate the same word
``spelling``       0.95    same :func:`~entityscreen.names.phonetic.translit_key`
                           ("zavyalov" / "zavjalov")
``prefix``         0.9     a word written with a final dot is the start of the other
                           ("ind." / "industria")
``consonants``     0.93    same consonant skeleton, when one side was written in an
                           abjad or a Brahmic script ("mhmd" / "mohamed")
``romanisation``   0.92    a Hangul-written token and a Latin one with the same
                           :func:`~entityscreen.names.phonetic.korean_key`
                           ("jeong" / "jong", "bak" / "park")
``initial``        0.9     a single letter and a word starting with it ("j" / "john")
``contraction``    0.85    a word without vowels is a subsequence of the other
                           ("mgmt" / "management")
``typo``           < 1     edit distance (transpositions count once), scaled so that
                           short words need to be closer: ``1 - (d / L) * (1 + 2 / L)``
                           for ``L`` the longer length; 0 for words of 3 letters or less
                           that differ
=================  ======  ============================================================

Numbers are equal or not (1.0 or 0.0). Every similarity below ``MIN_SIMILARITY`` is 0:
the two tokens are different words.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA

from ..names import lexicon
from ..names.memo import memo
from ..names.phonetic import korean_key, skeleton_gaps, skeleton_keys, translit_key
from ..names.syllables import is_syllabic
from ..names.tokens import Token, TokenKind
from ..names.transliterate import ABJAD, BRAHMIC, HAN, HANGUL, KANA, LATIN, SKELETON_SCRIPTS

#: Similarity of a Hangul-written token and a Latin one with the same Korean key
#: (:func:`~entityscreen.names.phonetic.korean_key`: "gim" / "Kim", "jeong" / "Jong").
ROMANISATION = 0.92
#: Extra cost of a typo in a word's first letter: people misspell the first letter of a
#: name far less often than the rest ("Rikor" is rarely a typo of "Vikor"), as
#: Jaro-Winkler's prefix bonus also says. Spelling variants of a first letter
#: ("Khaled" / "Chaled", "Carl" / "Karl") go through translit_key, not through this.
FIRST_LETTER_COST = 0.1
#: Below this, two tokens are different words.
MIN_SIMILARITY = 0.5
#: A consonant reading whose written long vowels the other word lacks keeps this share of
#: its value (see :func:`vowels_agree`).
VOWEL_DISAGREEMENT = 0.75
#: Scripts read by a dictionary, a syllable per sign: a sign read otherwise is another
#: name, never a typo (霧雨 "kirisame" / 春雨 "harusame", 김정남 / 김영남).
_SYLLABIC_SCRIPTS = frozenset({HAN, HANGUL, KANA})
#: What a long vowel written in an abjad (waw "u", yod/ya "i", alef "a") may be spelt as.
_LONG_VOWELS = {"u": frozenset("ou"), "i": frozenset("ie"), "a": frozenset("aeo")}
#: Letters an abjad word ends with when its last sound is a vowel (he/ta marbuta as "h",
#: waw, yod/ya, alef, ayin), as the transliteration writes them.
_FINAL_MATERS = frozenset("hwya'`")
_VOWELS = frozenset("aeiouy")
#: Burmese names in Latin letters mark a long final "a" with an "r" that is not said
#: ("Yadanar", "Kyar", "Zeyar" for ရတနာ, ကြာ, ဇေယျာ); a reading of the script has none.
_SILENT_R = re.compile(r"(?<=a)r(?![aeiouy])")


def typo_similarity(a: str, b: str) -> float:
    """Edit similarity of two words, stricter for short words (see module table).

    Args:
        a: A word.
        b: Another word.

    Returns:
        A value in [0, 1].
    """
    length = max(len(a), len(b))
    if length == 0:
        return 1.0
    distance = OSA.distance(a, b)
    if distance == 0:
        return 1.0
    if length <= 3:
        return 0.0
    value = 1.0 - (distance / length) * (1.0 + 2.0 / length)
    if value <= 0.0:
        return 0.0  # (what the first letter's cost would leave too)
    if _first_letter_replaced(a, b):
        value -= FIRST_LETTER_COST
    return max(0.0, value)


_SOFT_ONSETS = frozenset({frozenset("ck"), frozenset("kq"), frozenset("vw"), frozenset("jg")})


def _first_letter_replaced(a: str, b: str) -> bool:
    """Whether one consonant replaced another at the start ("rikor" / "vikor"), not a
    letter added or dropped there ("rost" / "troost"), a vowel or "y" ("usama" / "osama",
    "yong" / "jong") or a romanisation pair ("cabul" / "kabul")."""
    x, y = a[0], b[0]
    if x == y or x in _VOWELS or y in _VOWELS or not (x.isalpha() and y.isalpha()):
        return False
    if x in b[:2] or y in a[:2]:
        return False
    return frozenset((x, y)) not in _SOFT_ONSETS


def _consonant_readings(word: str, other: str) -> tuple[str, ...]:
    """The skeletons of ``word``; a "w" (Hebrew vav, Arabic waw: a vowel or the consonant
    "v"/"w") is also read as "v" when the other word has a "v" (דוד "dwd" / "David"), and
    "kh" also as "k"."""
    keys = skeleton_keys(word)
    if "w" in word and "v" in other:
        keys = keys + tuple(k for k in skeleton_keys(word.replace("w", "v")) if k not in keys)
    if "kh" in word:
        # "kh" is read h (خالد "khld" / "Khaled"), and may be a k: a Hebrew kaf inside a
        # word is "kh" letter for letter, k or ch in Latin (זכאי "Zakai", מיכאל "Michael").
        keys = keys + tuple(k for k in skeleton_keys(word.replace("kh", "k")) if k not in keys)
    return keys


@memo(200_000)
def vowels_agree(abjad: str, latin: str) -> bool:
    """Whether a Latin word has a vowel wherever the abjad word writes a long one.

    Arabic and Hebrew leave short vowels unwritten but write long ones with waw, yod/ya
    and alef; a Latin spelling of the same name has a matching vowel there: מוחמד
    "mwhmd" / "Mohamed" agree, מאור "m'wr" / "Maria" do not (the vav stands for o/u,
    "Maria" has "a"), nor ביטון "bytwn" / "Putina". An initial alef may be any vowel.
    Words whose skeletons differ in length are not judged (True).
    """
    if not abjad or not latin:
        return True
    # A final long vowel is written: i with yod/ya, o/u with waw (a final "a" too, with
    # alef or he, but the transliteration drops alef: رضا is "rd"). A Latin name ending in
    # i, o or u meets an abjad word ending in such a letter, and an abjad word ending in
    # yod/waw a Latin one ending in a vowel (קאסם "q'sm" / "Kazemi" do not).
    if latin[-1] in "iou" and abjad[-1] not in _FINAL_MATERS:
        return False
    if abjad[-1] in "wy" and latin[-1] not in "aeiouyw":
        return False
    gaps_a, gaps_l = skeleton_gaps(abjad), skeleton_gaps(latin)
    if len(gaps_a) != len(gaps_l):
        return True
    for k, (written, spelt) in enumerate(zip(gaps_a, gaps_l, strict=True)):
        for letter, vowels in _LONG_VOWELS.items():
            if letter in written and not (k == 0 and letter == "a") and not vowels & set(spelt):
                return False
    return True


#: Letter groups that mark a word as pinyin rather than a name of another language that
#: happens to split into pinyin syllables ("Danfa", "Anna", "Chen" / "Chan").
_PINYIN_MARK = re.compile(r"zh|x|q|ng|ao|ui|iu|ie|uo|ia|ua")


def _syllable_swap(a: str, b: str) -> bool:
    """Two different words each made of pinyin syllables, one at least marked as pinyin:
    "Jianming" / "Jianping", "Zheng" / "Zhang", "Xiang" / "Qiang", "Zhicheng" /
    "Jicheng" (one spelling key, but zhi and ji are two syllables of pinyin) are other
    names drawn from a closed inventory, not typos or spellings of each other.
    Unmarked look-alikes ("Danfa" / "Dunfa", "Anna" / "Anne") keep the typo rule."""
    marked_a, syllabic_a = _pinyin_word(a)
    if not syllabic_a:
        return False
    marked_b, syllabic_b = _pinyin_word(b)
    return syllabic_b and (marked_a or marked_b)


@memo(200_000)
def _pinyin_word(word: str) -> tuple[bool, bool]:
    """Whether a word is marked as pinyin, and whether it is three letters or more made
    of pinyin syllables (what :func:`_syllable_swap` reads of each word, once a word)."""
    return _PINYIN_MARK.search(word) is not None, len(word) >= 3 and is_syllabic(word)


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(char in it for char in short)


@memo(1_000_000)
def word_similarity(a: str, b: str, skeleton: bool = False) -> tuple[float, str]:
    """Similarity of two words by the rules of the module table (token flags aside).

    Args:
        a: A word (letters and digits).
        b: Another word.
        skeleton: Also compare consonant skeletons (one side from an abjad or Brahmic
            script).

    Returns:
        ``(similarity, rule)``; similarity 0.0 and rule ``""`` when they differ.
    """
    if a == b:
        return 1.0, "exact"
    abbreviations = lexicon.abbreviations()
    alts_a = abbreviations.get(a)
    alts_b = abbreviations.get(b)
    if (alts_a and (b in alts_a or (alts_b and alts_a & alts_b))) or (alts_b and a in alts_b):
        return 0.95, "abbreviation"
    best, rule = typo_similarity(a, b), "typo"
    key_a, key_b = translit_key(a), translit_key(b)
    if key_a == key_b:
        if best < 0.95:
            best, rule = 0.95, "spelling"
    else:
        keyed = typo_similarity(key_a, key_b) * 0.97
        if keyed > best:
            best, rule = keyed, "spelling"
    if skeleton:
        keys_a, keys_b = _consonant_readings(a, b), _consonant_readings(b, a)
        for skel_a in keys_a:
            for skel_b in keys_b:
                if not (skel_a and skel_b):
                    continue
                if skel_a == skel_b:
                    value = 0.93
                else:
                    length = max(len(skel_a), len(skel_b))
                    value = 0.88 * max(0.0, 1.0 - OSA.distance(skel_a, skel_b) / length)
                if value > best:
                    best, rule = value, "consonants"
    for short, long in ((a, b), (b, a)):
        if (
            len(short) >= 3
            and len(long) > len(short) + 1
            and short[0] == long[0]
            and short.isalpha()
            and not (_VOWELS & set(short[1:]))
            and _is_subsequence(short, long)
            and best < 0.85
        ):
            best, rule = 0.85, "contraction"
    if best < MIN_SIMILARITY:
        return 0.0, ""
    return best, rule


@memo(200_000)
def _plain_key(text: str) -> str | None:
    """The :func:`translit_key` of a word that only the typo and spelling rules can meet
    (no abbreviation, no vowelless contraction), else None."""
    if text in lexicon.abbreviations():
        return None
    if len(text) >= 3 and text.isalpha() and not (_VOWELS & set(text[1:])):
        return None
    return translit_key(text)


def plain_word(token: Token) -> tuple[str, str] | None:
    """``(text, translit key)`` of a token that :func:`surely_different` may judge: a
    Latin word, not cut short, whose surface form adds no comparison, and which only the
    typo and spelling rules can meet; else None (see :func:`compare_tokens`)."""
    if token.kind is not TokenKind.WORD or token.script != LATIN or token.abbreviated:
        return None
    surface = token.surface.lower()
    if surface != token.text and surface.isalnum():
        return None
    key = _plain_key(token.text)
    return None if key is None else (token.text, key)


def surely_different(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Whether two :func:`plain_word` tokens are provably different words: True only when
    :func:`compare_tokens` returns ``(0.0, "")`` for them.

    Most pairs a query meets are different words; two edit distances with a cut-off
    (rapidfuzz stops counting there) prove it without the rules' Python-level work.
    Between two plain Latin words only the typo rule on the words and on their keys can
    reach ``MIN_SIMILARITY``, and neither does at these distances (exact integer bounds:
    the first-letter cost only lowers a value).
    """
    text_a, key_a = a
    text_b, key_b = b
    if key_a == key_b:
        return False
    # typo_similarity < 0.5 <=> 1 - (d / L) * (1 + 2 / L) < 0.5 <=> 2d(L + 2) > L^2.
    length = max(len(text_a), len(text_b))
    if length > 3:
        most = length * length // (2 * (length + 2))
        if OSA.distance(text_a, text_b, score_cutoff=most) <= most:
            return False
    # Spelling: 0.97 * typo_similarity(keys) < 0.5 <=> 97d(L + 2) > 47L^2.
    length = max(len(key_a), len(key_b))
    if length > 3:
        most = 47 * length * length // (97 * (length + 2))
        if OSA.distance(key_a, key_b, score_cutoff=most) <= most:
            return False
    return True


def _korean_spelling(a: Token, b: Token) -> bool:
    """A Hangul-read token and a Latin one with the same :func:`korean_key`."""
    return (
        (a.script == HANGUL) != (b.script == HANGUL)
        and LATIN in (a.script, b.script)
        and korean_key(a.text) == korean_key(b.text)
    )


def compare_tokens(a: Token, b: Token) -> tuple[float, str]:
    """Similarity of two tokens, taking their kinds and flags into account.

    Args:
        a: A token of one name.
        b: A token of the other name.

    Returns:
        ``(similarity, rule)`` as in the module table; ``(0.0, "")`` for different words.
    """
    kind_a, kind_b = a.kind, b.kind
    if a.text == b.text and kind_a is kind_b:
        return 1.0, "exact"
    if kind_a is TokenKind.NUMBER or kind_b is TokenKind.NUMBER:
        if kind_a is kind_b and a.text == b.text:
            return 1.0, "exact"
        return 0.0, ""
    if kind_a is TokenKind.INITIAL or kind_b is TokenKind.INITIAL:
        if a.text == b.text:
            return 1.0, "exact"
        initial, word = (a, b) if kind_a is TokenKind.INITIAL else (b, a)
        if word.kind is TokenKind.INITIAL:
            return 0.0, ""
        if word.text.startswith(initial.text):
            return 0.9, "initial"
        return 0.0, ""
    if a.script in _SYLLABIC_SCRIPTS and b.script in _SYLLABIC_SCRIPTS:
        # Both read from Han, Hangul or kana by a dictionary: a different reading is a
        # different word (霧雨 "kirisame" / 春雨 "harusame"), never a typo of it.
        same = translit_key(a.text) == translit_key(b.text)
        return (0.95, "spelling") if same else (0.0, "")
    if _syllable_swap(a.text, b.text) and not _korean_spelling(a, b):
        # (A Hangul syllable's Revised spelling may look like pinyin: 희 "hui" / "Hee".)
        return 0.0, ""
    if a.syllable or b.syllable:
        # A name written with Vietnamese letters is made of syllables of a closed
        # inventory: another spelling is another name ("Phương" / "Phong", "Vũ" / "Wu",
        # "Hải" / "Chai"). The letters agree, or the words differ.
        return 0.0, ""
    skeleton = (a.script in SKELETON_SCRIPTS) != (b.script in SKELETON_SCRIPTS)
    value, rule = word_similarity(a.text, b.text, skeleton)
    if rule == "consonants" and ABJAD in (a.script, b.script):
        abjad, latin = (a, b) if a.script == ABJAD else (b, a)
        if not vowels_agree(abjad.text, latin.text):
            value *= VOWEL_DISAGREEMENT
    if skeleton and value < 0.9:
        # Arabic and Hebrew write the article and "and" as a prefix of the word (السلام
        # "lslm", הגליל "hglyl", ובניו "wbnyw"); Latin spellings often leave them out.
        for x, y in ((a, b), (b, a)):
            if x.script in SKELETON_SCRIPTS and len(x.text) >= 4 and x.text[0] in "lhw":
                alt_value, alt_rule = word_similarity(x.text[1:], y.text, True)
                abjad_side = x.script == ABJAD
                if alt_rule == "consonants" and abjad_side and not vowels_agree(x.text[1:], y.text):
                    alt_value *= VOWEL_DISAGREEMENT
                if alt_value * 0.97 > value:
                    value, rule = alt_value * 0.97, alt_rule
    if value < 0.9 and (a.surface != a.text or b.surface != b.text):
        # A word the lexicon rewrote to its canonical form ("stroy" -> "construction",
        # "comercio" -> "commerce"; שחר "shr" read as סחר, "trading") is also compared as
        # written: "Stroy" / "Stroi", "Comercio" / "Comercioo", "shr" / "Shachar".
        surface_a, surface_b = a.surface.lower(), b.surface.lower()
        if surface_a.isalnum() and surface_b.isalnum():
            alt = word_similarity(surface_a, surface_b, skeleton)
            if alt[0] > value:
                value, rule = alt
    if (
        rule in ("typo", "spelling")
        and (a.script in _SYLLABIC_SCRIPTS) != (b.script in _SYLLABIC_SCRIPTS)
        and LATIN in (a.script, b.script)
        and translit_key(a.text) != translit_key(b.text)
    ):
        # A Han, Hangul or kana sign is read from a dictionary, without typos: a Latin
        # word near its reading is another syllable ("mijeong" / 영 "yeong", "qiang" / 想
        # "xiang"), unless a romanisation system joins them (below).
        value, rule = 0.0, ""
    if value < ROMANISATION and {a.script, b.script} == {BRAHMIC, LATIN}:
        latin, read = (a, b) if a.script == LATIN else (b, a)
        bare = _SILENT_R.sub("", latin.text)
        if bare == read.text:
            return ROMANISATION, "romanisation"
        if bare != latin.text:
            alt = word_similarity(bare, read.text, skeleton)
            if alt[0] > value:
                value, rule = alt
    if value < ROMANISATION and _korean_spelling(a, b):
        return ROMANISATION, "romanisation"
    if value < 0.9:
        for short, long in ((a, b), (b, a)):
            if short.abbreviated and len(short.text) >= 3 and long.text.startswith(short.text):
                return 0.9, "prefix"
    return value, rule


__all__ = [
    "MIN_SIMILARITY",
    "compare_tokens",
    "plain_word",
    "surely_different",
    "typo_similarity",
    "vowels_agree",
    "word_similarity",
]
