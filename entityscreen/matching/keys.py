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
============  ======  ======================================================================

The whole form written without spaces (legal form included: "SiemensAG") is filed under
``t:`` too. A query looks two or three adjacent words written as one up one edit away as
well (``d:`` keys, see :func:`_joined_keys`).

A token's best key counts once per candidate (see :meth:`MatchIndex.candidates`).
"""

from __future__ import annotations

import hashlib
import re

from ..names.analysis import NameForm
from ..names.phonetic import metaphone_key, skeleton_keys, translit_key
from ..names.tokens import Token, TokenKind
from ..names.transliterate import SKELETON_SCRIPTS

_DOUBLES = re.compile(r"(.)\1+")

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
        return [f"t:{text}"]
    if token.kind is TokenKind.INITIAL or len(text) < 2:
        return [f"t:{text}"]
    keys = [f"t:{text}", f"d:{text}"]
    if len(text) >= 4:
        keys.extend(f"d:{text[:i]}{text[i + 1 :]}" for i in range(len(text)))
    for alt in token.alts:
        keys.append(f"t:{alt}")
    if len(text) >= 6 and text.isalpha():
        keys.append(f"p:{text[:4]}")
    key = translit_key(text)
    keys.append(f"k:{key}")
    if len(text) >= 4 and text.isalpha():
        code = metaphone_key(text)
        if len(code) >= 2:
            keys.append(f"m:{code}")
    if text.isalpha():
        keys.extend(_skeleton_keys(text, token.script in SKELETON_SCRIPTS, query=query))
    return keys


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


def token_signature(token: Token, *, query: bool) -> tuple[object, ...]:
    """Everything :func:`token_keys` reads of a token: equal signatures, equal keys.

    Lets callers compute (and hash) the keys of a recurring token once.
    """
    return (token.text, token.kind, token.script in SKELETON_SCRIPTS, token.alts, query)


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
        (i, token_keys(t, query=query)) for i, t in enumerate(form.words)
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
    for i in range(len(plain) - 1):
        joined = plain[i].text + plain[i + 1].text
        out.append((-2, _joined_keys(joined, query=query)))
        if plain[i].script in SKELETON_SCRIPTS and joined.isalpha():
            # Two vowelless words that a Latin spelling writes as one ("bd llh" /
            # "Abdullah"); one key a group, like every group here.
            out.extend((-2, [key]) for key in _skeleton_keys(joined, True, query=query))
    for i in range(len(plain) - 2):
        # Three syllables written as one word: Burmese names in Myanmar script
        # ("ကျော်မြတ်နိုင်" is "kyawmyatnaing", "Kyaw Myat Naing" in Latin letters).
        joined = f"{plain[i].text}{plain[i + 1].text}{plain[i + 2].text}"
        out.append((-2, _joined_keys(joined, query=query)))
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


__all__ = ["KEY_FACTORS", "form_group_keys", "form_keys", "token_keys", "token_signature"]


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
    "김정남",
    "Nguyễn Văn An",
    "O'Brien, Christopher",
)


def keys_fingerprint() -> str:
    """A short hash of the keys the key code gives a fixed set of names, as queries and as
    listed names. A saved index records it; one saved by other key code (a change in
    :mod:`entityscreen.names` or here that no version number followed) is rebuilt, never
    searched with keys it was not built with (issue #13: no answer from stale state)."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        from ..names import analyze_name

        digest = hashlib.sha256()
        for text in _PROBES:
            for person in (False, True):
                for form in analyze_name(text, person=person).forms:
                    for query in (False, True):
                        groups = form_group_keys(form, query=query)
                        digest.update(repr([(w, sorted(g)) for w, g in groups]).encode())
        _FINGERPRINT = digest.hexdigest()[:16]
    return _FINGERPRINT


_FINGERPRINT: str | None = None
