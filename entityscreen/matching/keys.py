"""Candidate keys: the strings under which a name is filed in the index.

A query finds a listed name when they share a key. Each identifying token of a name form
gives several keys, from strict to loose, each with a factor of the token's rarity weight:

============  ======  ======================================================================
prefix        factor  key
============  ======  ======================================================================
``t:``        1.0     the token itself; also two or three adjacent tokens written as
                      one ("vladimir putin" is filed under ``t:vladimirputin``)
``d:``        0.9     the token and each of its one-letter deletions (tokens of 4+
                      letters): two words one edit apart always share one
``k:``        0.9     :func:`~entityscreen.names.phonetic.translit_key`
``m:``        0.7     Metaphone code (4+ letters)
``s:``        0.7     consonant skeletons (2+ consonants; every reading of
                      :func:`~entityscreen.names.phonetic.skeleton_keys`), for names in
                      abjads; also of two adjacent abjad words joined
``a:``        0.9     initials of a name of 2 to 6 words (acronyms: "PLA")
``p:``        0.5     the first four letters of a word of 6+ letters (two typos late in a
                      word: "Stellaris" / "Stellantis")
``d:``        0.9     also the stem of a Russian or Ukrainian adjective of place ("Muromskiy"
                      -> "murom", "muromsk"): a translation writes the noun ("JSC Murom")
``t:``        1.0     a query word (or two adjacent ones) in Wade-Giles also looks up its
                      pinyin readings ("Hsi Chin-ping" -> "xi", "jinping")
``d:``        0.9     the words of a number written in words ("sixty three", 63), as a
                      word's ``t:`` and ``d:`` keys
``d:``        0.9     a Latin query word of 5+ letters also looks itself up written
                      backwards ("rimaldiV nituP")
``K:``        0.9     :func:`~entityscreen.names.phonetic.korean_key` of a word written in
                      Hangul (also of two adjacent ones joined: "jeong eun" / "Jongun");
                      a Latin query word of Korean shape looks it up
============  ======  ======================================================================

A word written in Hangul is also filed (and looked up) under ``t:`` keys of the Latin
spellings lists use for it (:func:`~entityscreen.names.korean.latin_spellings`: 김 "gim"
as "kim", 이 "i" as "lee", "ri", "yi"...).

The whole form written without spaces (legal form included: "SiemensAG") is filed under
``t:`` too. A query looks two or three adjacent words written as one up one edit away as
well (``d:`` keys, see :func:`_joined_keys`).

A token's best key counts once per candidate (see :meth:`MatchIndex.candidates`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import replace

from ..names.analysis import NameForm
from ..names.korean import given_name_spellings, korean_shaped, latin_spellings
from ..names.phonetic import korean_key, metaphone_key, skeleton_keys, translit_key
from ..names.tokens import Token, TokenKind
from ..names.transliterate import HANGUL, LATIN, SKELETON_SCRIPTS
from ..names.wadegiles import joined_readings, pinyin_readings
from .stored import encode_analysis

_DOUBLES = re.compile(r"(.)\1+")
#: An adjective of place in -skiy/-skaya/-skoe... as Russian and Ukrainian write them,
#: romanised: "muromskiy" (Муромский, of Murom), "kiivskiy", "minskiy" (of Minsk).
_ADJECTIVE = re.compile(
    r"([a-z]{3,}?)(t?sk|ck)(?:iy|ii|ij|yi|yy|iye|ie|aya|aia|aja|ay|oe|oye|ogo|oi|oj|oy|ikh)"
)

KEY_FACTORS = {"t": 1.0, "d": 0.9, "k": 0.9, "m": 0.7, "s": 0.7, "a": 0.9, "p": 0.5}


def token_keys(token: Token, *, query: bool) -> list[str]:
    """The keys of one token.

    Args:
        token: An identifying token (word, number or initial).
        query: Keys for looking up (``True``) or for filing (``False``). They differ only
            for skeletons: listed tokens of any script are filed under ``s:``; a query
            token looks its skeleton up only when it was written in an abjad, and Latin
            query tokens look up ``S:`` (skeletons of listed abjad tokens).

    Returns:
        The keys, prefixed by their kind.
    """
    text = token.text
    if token.kind is TokenKind.NUMBER:
        # A number written in words ("sixty three" is 63) is filed under its words too,
        # within one edit: a typo in one of them ("sixty trhee") leaves the query another
        # number (60) and a word.
        spelled = [w for w in token.surface.split() if len(w) >= 3 and w.isalpha()]
        return [f"t:{text}", *(k for w in spelled for k in _word_keys(w))]
    if token.kind is TokenKind.INITIAL or len(text) < 2:
        return [f"t:{text}"]
    keys = _word_keys(text)
    for alt in token.alts:
        keys.append(f"t:{alt}")
    if len(text) >= 6 and text.isalpha():
        keys.append(f"p:{text[:4]}")
        if token.script == LATIN and (adjective := _ADJECTIVE.fullmatch(text)):
            # The noun may end in -sk itself (Minsk, Omsk): both stems, 4+ letters.
            stem, sk = adjective.groups()
            keys.extend(f"d:{w}" for w in (stem, stem + sk) if len(w) >= 4)
    key = translit_key(text)
    keys.append(f"k:{key}")
    if len(text) >= 4 and text.isalpha():
        code = metaphone_key(text)
        if len(code) >= 2:
            keys.append(f"m:{code}")
    if text.isalpha():
        keys.extend(_skeleton_keys(text, token.script in SKELETON_SCRIPTS, query=query))
        keys.extend(_korean_keys(text, token.script, query=query))
    return keys


def _word_keys(text: str) -> list[str]:
    """A word's ``t:`` and ``d:`` keys (its one-letter deletions from 4 letters)."""
    keys = [f"t:{text}", f"d:{text}"]
    if len(text) >= 4:
        keys.extend(f"d:{text[:i]}{text[i + 1 :]}" for i in range(len(text)))
    return keys


def _korean_keys(text: str, script: str, *, query: bool) -> list[str]:
    # A Hangul word is filed under the Latin spellings lists use for it, and under its
    # Korean key. Latin listed words file no Korean key (most words are of Korean
    # shape, the index would grow by a key a word); a Latin query word looks it up.
    if script == HANGUL:
        spellings = [f"t:{w}" for w in latin_spellings(text)[1:]]
        return [*spellings, f"K:{korean_key(text)}"]
    if query and script == LATIN:
        # A Wade-Giles syllable looks its pinyin readings up (listed names are pinyin);
        # a word of 5+ letters looks itself up written backwards ("nituP"), as ``d:``.
        keys = [f"t:{w}" for w in pinyin_readings(text)]
        if len(text) >= 5 and (backwards := text[::-1]) != text:
            keys.append(f"d:{backwards}")
        if korean_shaped(text):
            keys.append(f"K:{korean_key(text)}")
        return keys
    return []


def _skeleton_keys(text: str, abjad: bool, *, query: bool) -> list[str]:
    # Every skeleton reading of the word (digraphs folded, or letter by letter: see
    # skeleton_keys), as the scorer compares them.
    out: list[str] = []
    skeletons = list(skeleton_keys(text))
    if not abjad:
        # A vowelless spelling writes the two d's of "Haddad" side by side ("hdd"), and
        # the skeleton then folds them ("hd"); a Latin word's skeleton keeps them apart
        # ("hdd"). Latin words are filed (and look up) the folded skeleton too.
        skeletons.extend(
            folded for sk in skeletons if (folded := _DOUBLES.sub(r"\1", sk)) != sk
        )
    for skeleton in dict.fromkeys(skeletons):
        if len(skeleton) < 2:
            continue
        if query:
            out.append(f"s:{skeleton}" if abjad else f"S:{skeleton}")
        else:
            out.append(f"s:{skeleton}")
            if abjad:
                out.append(f"S:{skeleton}")
    return out


#: Adjacent query words written as one are looked up one edit away only up to this
#: length: each letter costs a key looked up, and a word split in two is mostly short.
_JOINED_EDIT_MAX = 12


def _joined_keys(joined: str, *, query: bool) -> list[str]:
    """Keys of adjacent words written as one: ``t:`` when filed; a query also looks them up
    one edit away (``d:`` keys, as a token's), so that a listed word split in two with a
    typo ("Andrang Heta" / "'Ndrangheta") or whose last letter a transcription dropped
    (Burmese "ni la" / "Nilar") is still found. Listed names file only the ``t:`` key:
    every adjacent pair of every name would cost a key per letter."""
    if not query or not 4 <= len(joined) <= _JOINED_EDIT_MAX:
        return [f"t:{joined}"]
    keys = [f"t:{joined}", f"d:{joined}"]
    if len(joined) >= 5:  # deletions of 4+ letters, as a token's
        keys.extend(f"d:{joined[:i]}{joined[i + 1 :]}" for i in range(len(joined)))
    return keys


#: The script a query's syllable of a Korean name written in Hangul is keyed as (see
#: :func:`query_words`): its own keys, no Latin spellings of the syllable alone.
_NAME_SYLLABLE = "hangul name syllable"


def query_words(form: NameForm) -> tuple[Token, ...]:
    """The identifying tokens of a query form, as :func:`token_keys` should key them.

    A Korean name written in Hangul ("김성민": surname 김, given name 성민) is cut into
    syllables by the analysis. Its given name is one unit: a listed "KIM, Song" holds
    only words of the query, yet it is another name. So the syllables of a name of 3+
    syllables look up no Latin spelling one by one; the given name looks its spellings
    up joined, and the whole name too (surname spellings + given name, see
    :func:`form_group_keys`).
    """
    words = form.words
    runs = _korean_names(words)
    if not runs:
        return words
    inside = {i for start, stop in runs for i in range(start, stop)}
    return tuple(
        replace(t, script=_NAME_SYLLABLE) if i in inside else t for i, t in enumerate(words)
    )


def _korean_names(words: Sequence[Token]) -> list[tuple[int, int]]:
    """``(start, stop)`` of each run of 3+ words written in Hangul (a Korean name)."""
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(len(words) + 1):
        if i == len(words) or words[i].script != HANGUL:
            if i - start >= 3:
                out.append((start, i))
            start = i + 1
    return out


def _korean_name_keys(words: Sequence[Token], start: int, stop: int) -> list[str]:
    """A query's Korean name's whole-name keys: each surname spelling followed by the
    given name written as one word ("kimjongun", "leemyungbak": the whole form of a
    listed Latin name is filed so)."""
    surname, given = words[start].text, [t.text for t in words[start + 1 : stop]]
    return [
        f"t:{s}{g}"
        for s in latin_spellings(surname)
        for g in given_name_spellings(given)
        if len(s) + len(g) <= 30
    ]


def token_signature(token: Token, *, query: bool) -> tuple[object, ...]:
    """Everything :func:`token_keys` reads of a token: equal signatures, equal keys.

    Lets callers compute (and hash) the keys of a recurring token once.
    """
    return (
        token.text,
        token.kind,
        token.surface if token.kind is TokenKind.NUMBER else "",
        token.script in SKELETON_SCRIPTS,
        token.script == HANGUL,
        token.script == LATIN,
        token.alts,
        query,
    )


def form_keys(form: NameForm, *, query: bool) -> list[tuple[int, list[str]]]:
    """The keys of a name form, grouped by the token (index into ``form.words``) they serve.

    Two adjacent tokens written as one are grouped under position ``-2`` and acronyms
    under ``-1``; each such group counts on its own.

    Args:
        form: A name form.
        query: See :func:`token_keys`.

    Returns:
        ``(token position, keys)`` pairs.
    """
    out: list[tuple[int, list[str]]] = [
        (i, token_keys(t, query=query))
        for i, t in enumerate(query_words(form) if query else form.words)
    ]
    out.extend(form_group_keys(form, query=query))
    return out


def form_group_keys(form: NameForm, *, query: bool) -> list[tuple[int, list[str]]]:
    """The groups of :func:`form_keys` that serve no single token (positions < 0).

    Args:
        form: A name form.
        query: See :func:`token_keys`.

    Returns:
        ``(position, keys)`` pairs, position ``-2`` (joined words) or ``-1`` (acronyms).
    """
    words = form.words
    out: list[tuple[int, list[str]]] = []
    plain = [t for t in words if t.kind is TokenKind.WORD]
    names = _korean_names(plain) if query else []
    for i in range(len(plain) - 1):
        joined = plain[i].text + plain[i + 1].text
        keys = _joined_keys(joined, query=query)
        hangul = plain[i].script == HANGUL == plain[i + 1].script and joined.isalpha()
        if hangul and not any(i == start for start, _ in names):
            # Two syllables of a given name that Latin spellings write as one ("Jongun");
            # not a query's surname and the given name's first syllable (see query_words).
            a, b = plain[i].text, plain[i + 1].text
            keys.extend(f"t:{w}" for w in given_name_spellings((a, b)))
            keys.append(f"K:{korean_key(a)}{korean_key(b)}")
            keys = list(dict.fromkeys(keys))
        elif query and plain[i].script == LATIN == plain[i + 1].script:
            keys.extend(f"t:{w}" for w in joined_readings(plain[i].text, plain[i + 1].text))
        out.append((-2, keys))
        if plain[i].script in SKELETON_SCRIPTS and joined.isalpha():
            # Two vowelless words that a Latin spelling writes as one ("bd llh" /
            # "Abdullah"); one key a group, like every group here.
            out.extend((-2, [key]) for key in _skeleton_keys(joined, True, query=query))
    for i in range(len(plain) - 2):
        # Three syllables written as one word: Burmese names in Myanmar script
        # ("ကျော်မြတ်နိုင်" is "kyawmyatnaing", "Kyaw Myat Naing" in Latin letters).
        joined = f"{plain[i].text}{plain[i + 1].text}{plain[i + 2].text}"
        out.append((-2, _joined_keys(joined, query=query)))
    out.extend((-2, _korean_name_keys(plain, start, stop)) for start, stop in names)
    joined_all = "".join(t.text for t in form.tokens)
    if len(form.tokens) > 1 and len(joined_all) >= 4:
        out.append((-2, [f"t:{joined_all}"]))
    initials = "".join(t.text[0] for t in plain) if 2 <= len(plain) <= 6 else ""
    if query:
        # A query written in full finds a listed acronym, and a query acronym finds a
        # listed name written in full.
        if initials:
            out.append((-1, [f"t:{initials}"]))
        out.extend((-1, [f"a:{t.text}"]) for t in plain if 2 <= len(t.text) <= 6)
    elif initials:
        out.append((-1, [f"a:{initials}"]))
    return out


__all__ = [
    "KEY_FACTORS",
    "form_group_keys",
    "form_keys",
    "query_words",
    "token_keys",
    "token_signature",
]


# --- the key code's fingerprint ---------------------------------------------------------

#: Names in the scripts the key code treats differently (Latin with legal forms and
#: particles, Cyrillic, Arabic, Hebrew, Hangul, Vietnamese). Han and kana are left out:
#: reading them loads pypinyin and cutlet, which `screen` of a Latin name must not import.
_PROBES = (
    "Hangzhou Hikvision Digital Technology Co., Ltd.",
    "JOINT STOOCK COMPANY MIKRON",
    "Bashir-ud-Din Mahmood",
    "Vladimir Vladimirovich PUTIN",
    "Владимир Путин",
    "الشيخ محمد بن راشد",
    "משה כהן",
    "שמחה מלכה",
    "גורביץ' חלקים",
    "김정남",
    "Hsi Chin-ping",
    "Уладзімір Жаўнерчык",
    "Муромский завод",
    "rimaldiV nituP",
    "Nguyễn Văn An",
    "O'Brien, Christopher",
    "Intl Trading Group (Dubai Branch), formerly M/V Sea Star II",
)


def keys_fingerprint() -> str:
    """A short hash of the keys the key code gives a fixed set of names, as queries and as
    listed names, and of their analyses as the index stores them (:mod:`.stored`). A saved
    index records it; one saved by other key or analysis code (a change in
    :mod:`entityscreen.names` or here that no version number followed) is rebuilt, never
    searched with keys or analyses it was not built with (issue #13: no answer from stale
    state)."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        from ..names import analyze_name

        digest = hashlib.sha256()
        for text in _PROBES:
            for person in (False, True):
                analysis = analyze_name(text, person=person)
                digest.update(encode_analysis(analysis))
                for form in analysis.forms:
                    for query in (False, True):
                        groups = form_group_keys(form, query=query)
                        digest.update(repr([(w, sorted(g)) for w, g in groups]).encode())
        _FINGERPRINT = digest.hexdigest()[:16]
    return _FINGERPRINT


_FINGERPRINT: str | None = None
