"""Tokens of a normalised name and the tokenizer that makes them.

A :class:`Token` is one word of a name as matching sees it: its text is letters and digits
only, and it carries a *kind* and flags that decide how much it weighs:

* ``WORD`` -- an ordinary word; ``generic`` ("technology", "group") and ``place``
  ("Hangzhou") words weigh little when the other name lacks them.
* ``NUMBER`` -- digits, number words ("three", "forty-four") and Roman numerals ("II",
  "XV", not in person names) as their decimal value: numbers must match.
* ``INITIAL`` -- a single letter ("J." in "J. Smith").
* ``LEGAL`` -- a legal form ("Co., Ltd.", "GmbH", "ООО", "有限公司") with its
  :class:`~entityscreen.names.lexicon.LegalForm`; compared apart from the words.
* ``STOP`` -- function words, name particles, titles, vessel prefixes: ignored.

:func:`tokenize_segment` applies, in this order: "&" to "and"; apostrophes inside words
removed ("O'Doyle" -> "odoyle"); words split at other punctuation; runs of single letters
joined ("A.B.C.", "N K" -> "abc", "nk"); letters and digits split ("No.3", "AHL1") except
look-alike digits inside a word ("Ig0r" -> "igor"); phrases recognised by the longest run
of tokens whose concatenation is a key of a table of :mod:`entityscreen.names.lexicon`;
numbers; stopwords; repeated words dropped.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum

from . import lexicon
from .lexicon import LegalForm
from .misspelt import mend_legal_words, misspelt_legal
from .transliterate import ABJAD, BRAHMIC, HAN, HANGUL, LATIN

#: Function words in one language that are name syllables in another: Korean "Il", "An",
#: "No", "Na", "Do", Chinese "Lo". In a person's name they are words: "Kim Jong Il" is
#: not "Kim Jong Un" less a particle (both are on sanctions lists).
_NAME_SYLLABLES = frozenset({"il", "an", "no", "na", "do", "lo"})
_SYLLABIC_SCRIPTS = frozenset({HAN, HANGUL, BRAHMIC})


class TokenKind(StrEnum):
    """What a token is, for weighting and comparison."""

    WORD = "word"
    NUMBER = "number"
    INITIAL = "initial"
    LEGAL = "legal"
    STOP = "stop"


_NO_ALTS: frozenset[str] = frozenset()


@dataclass(slots=True)
class Token:
    """One token of a name (treat as immutable; not frozen only because that is slower).

    Attributes:
        text: Letters and digits only; numbers in decimal, generic words canonical.
        kind: See :class:`TokenKind`.
        surface: The token as written (after transliteration), for explanations.
        script: Script class of the source text (see :mod:`entityscreen.names.transliterate`).
        generic: A descriptive word ("technology", "group").
        place: A country, region or city name.
        country: A country name or demonym (also ``place``).
        qualifier: Written in brackets or after a comma (a branch, a port, a country).
        abbreviated: Written with a final dot ("Mfg.") and so possibly cut short.
        initials: Made of joined single letters ("J.P." -> "jp").
        alts: Expansions of an abbreviation ("intl" -> "international").
        legal: The legal form, for ``LEGAL`` tokens.
        syllable: A syllable of a name written with Vietnamese letters: drawn from a
            closed inventory, so a near spelling is another name ("Phương" / "Phong"),
            never a typo.
        cased: Written with a lower-case letter ("Oak"): a word, never an acronym.
    """

    text: str
    kind: TokenKind = TokenKind.WORD
    surface: str = ""
    script: str = LATIN
    generic: bool = False
    place: bool = False
    country: bool = False
    qualifier: bool = False
    abbreviated: bool = False
    initials: bool = False
    alts: frozenset[str] = _NO_ALTS
    legal: LegalForm | None = None
    syllable: bool = False
    cased: bool = False

    @property
    def shown(self) -> str:
        """How to show the token to an analyst."""
        return self.surface or self.text


@dataclass(frozen=True, slots=True)
class Written:
    """How a name was written, before normalisation folded it to lower-case ASCII.

    Attributes:
        accented: Words written with diacritics: never a particle or function word,
            which are written without ("Vân", "Lê" are names, "van", "le" not).
        cased: Words written with a lower-case letter (``Token.cased``).
        syllables: The name is written with Vietnamese letters: its words are syllables
            (``Token.syllable``).
    """

    accented: frozenset[str] = frozenset()
    cased: frozenset[str] = frozenset()
    syllables: bool = False


#: A name written in plain ASCII capitals: nothing to remember.
PLAIN = Written()


_INNER_QUOTES = re.compile(r"(?<=[a-z0-9])['`\"´‘’]+(?=[a-z0-9])")
_WORD = re.compile(r"[a-z0-9]+")
_INITIAL_GAP = re.compile(r"^[\s.\-/]*$")
_MIXED = re.compile(r"[a-z]+|[0-9]+")
_LEET = str.maketrans("0134578", "oieastb")
_ROMAN = re.compile(r"^(?=[ivx])(x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
_MAX_PHRASE_TOKENS = 8


@dataclass(slots=True)
class _Raw:
    text: str
    dot: bool = False
    initials: bool = False
    surface: str = ""


def roman_value(text: str) -> int | None:
    """The value of a Roman numeral made of I, V and X (up to 39), else ``None``.

    Args:
        text: A lower-case token.

    Returns:
        The value, or ``None`` when ``text`` is not a well-formed numeral.
    """
    if not text or not _ROMAN.match(text):
        return None
    total = 0
    prev = 0
    for char in reversed(text):
        value = _ROMAN_VALUES[char]
        total += -value if value < prev else value
        prev = max(prev, value)
    return total


def _split_mixed(word: str) -> list[str]:
    if word.isalpha() or word.isdigit():
        return [word]
    if word in lexicon.number_words():
        return [word]
    parts = _MIXED.findall(word)
    digits = [p for p in parts if p.isdigit()]
    letters = sum(len(p) for p in parts if p.isalpha())
    interior = parts[0].isalpha() and parts[-1].isalpha()
    if interior and letters >= 3 and sum(len(d) for d in digits) <= 2:
        return [word.translate(_LEET)]
    return parts


def clean_quotes(text: str) -> str:
    """Remove apostrophes and quotes inside words and spell "&" as "and".

    Args:
        text: Normalised text.

    Returns:
        The text with "o'doyle" as "odoyle" and "b&b" as "b and b".
    """
    return _INNER_QUOTES.sub("", text.replace("&", " and "))


def _scan(segment: str) -> list[_Raw]:
    text = clean_quotes(segment)
    raws: list[_Raw] = []
    last_end = 0
    prev_single = False
    for match in _WORD.finditer(text):
        word = match.group()
        gap = text[last_end : match.start()]
        dot = text[match.end() : match.end() + 1] == "."
        single = len(word) == 1 and word.isalpha()
        if single and prev_single and raws and _INITIAL_GAP.match(gap):
            raws[-1].text += word
            raws[-1].surface += word
            raws[-1].initials = True
            raws[-1].dot = False
        else:
            for part in _split_mixed(word):
                raws.append(_Raw(part, dot=dot and not part.isdigit(), surface=part))
        prev_single = single
        last_end = match.end()
    return raws


def _legal_length(keys: list[str], start: int, max_len: int) -> int:
    table = lexicon.legal_forms()
    prefixes = lexicon.phrase_prefixes()
    best = 0
    joined = ""
    for end in range(start, min(len(keys), start + _MAX_PHRASE_TOKENS)):
        joined += keys[end]
        if len(joined) > max_len or joined not in prefixes:
            break
        if joined in table:
            best = end - start + 1
    return best


def _phrase(keys: list[str], start: int, table: Collection[str], max_len: int) -> int:
    prefixes = lexicon.phrase_prefixes()
    best = 0
    joined = ""
    for end in range(start, min(len(keys), start + _MAX_PHRASE_TOKENS)):
        joined += keys[end]
        if len(joined) > max_len or joined not in prefixes:
            break
        if joined in table:
            best = end - start + 1
    return best


def tokenize_segment(
    segment: str,
    *,
    scripts: Mapping[str, str] | None = None,
    person: bool = False,
    qualifier: bool = False,
    at_start: bool = True,
    written: Written = PLAIN,
) -> list[Token]:
    """Tokenize one segment of a normalised name (see the module docstring for the steps).

    Args:
        segment: Normalised text (lower-case ASCII with punctuation).
        scripts: Script class of the source of each word (default: all Latin).
        person: The name is a person's: single letters are initials, no Roman numerals.
        qualifier: The segment is a qualifier (in brackets or after a comma).
        at_start: The segment starts the name (titles and vessel prefixes are looked for).
        written: How the name was written (:class:`Written`).

    Returns:
        The tokens, in order.
    """
    raws = _scan(segment)
    keys = [r.text for r in raws]
    if not person:
        keys = mend_legal_words(keys)
    n = len(keys)
    max_len = lexicon.phrase_lengths()
    legal = lexicon.legal_forms()
    tokens: list[Token] = []
    i = 0

    lookup = scripts or {}

    def make(text: str, kind: TokenKind, surface: str, **flags: object) -> Token:
        first = surface.split(" ", 1)[0]
        return Token(
            text=text,
            kind=kind,
            surface=surface,
            script=lookup.get(first, LATIN),
            qualifier=qualifier,
            syllable=written.syllables and kind is TokenKind.WORD and text.isalpha(),
            cased=kind is TokenKind.WORD and text in written.cased,
            **flags,  # type: ignore[arg-type]
        )

    prefixes = lexicon.phrase_prefixes()
    numbers = lexicon.number_words()
    stopwords = lexicon.stopwords()
    generic_table = lexicon.generic_words()

    def surface_of(a: int, b: int) -> str:
        return " ".join(r.surface for r in raws[a:b])

    while i < n:
        word = keys[i]
        # Fast path: an ordinary word (most words are).
        if (
            len(word) > 1
            and word not in prefixes
            and word.isalpha()
            and word not in numbers
            and word not in stopwords
            and (i == 0 or person or roman_value(word) is None)
            and not (i == n - 1 and i > 0 and not person and misspelt_legal(word))
        ):
            raw = raws[i]
            # Hebrew and Arabic write "and" (ו / و, read "w") joined to the next word:
            # "ושיווק" is "and marketing", the generic word behind it.
            joined = generic_table.get(word[1:]) if word[0] == "w" and not person else None
            if joined is not None and lookup.get(word) == ABJAD:
                tokens.append(make(joined, TokenKind.WORD, raw.surface, generic=True))
                i += 1
                continue
            tokens.append(
                make(word, TokenKind.WORD, raw.surface, abbreviated=raw.dot, initials=raw.initials)
            )
            i += 1
            continue
        # Legal forms: long ones anywhere, short ones (<= 3 letters) at an edge or next
        # to another legal form.
        last = i == n - 1 and i > 0 and not person and word.isalpha()
        misspelt = misspelt_legal(word) if last else None
        if misspelt is not None:
            form = legal[misspelt]
            canonical = form.canonical.replace(" ", "")
            tokens.append(make(canonical, TokenKind.LEGAL, surface_of(i, i + 1), legal=form))
            i += 1
            continue
        # A person's name has no legal form: "Chao", "Sa", "Ag" are names there.
        length = 0 if person else _legal_length(keys, i, max_len)
        if length:
            key = "".join(keys[i : i + length])
            short = len(key) <= 3
            edge = i == 0 or i + length == n
            beside = bool(tokens and tokens[-1].kind is TokenKind.LEGAL) or (
                i + length < n and _legal_length(keys, i + length, max_len) > 0
            )
            if not short or edge or beside:
                form = legal[key]
                tokens.append(
                    make(
                        form.canonical.replace(" ", ""),
                        TokenKind.LEGAL,
                        surface_of(i, i + length),
                        legal=form,
                    )
                )
                i += length
                continue
        if at_start and all(t.kind is TokenKind.STOP for t in tokens):
            length = _phrase(keys, i, lexicon.vessel_prefixes(), max_len) if i == 0 else 0
            if not length:
                length = _phrase(keys, i, lexicon.titles(), max_len)
            if length and i + length < n:
                key = "".join(keys[i : i + length])
                tokens.append(make(key, TokenKind.STOP, surface_of(i, i + length)))
                i += length
                continue
        # Numbers: digits, number words (tens + unit add up), Roman numerals.
        if word.isdigit():
            tokens.append(make(str(int(word)), TokenKind.NUMBER, raws[i].surface))
            i += 1
            continue
        if word in numbers:
            value = numbers[word]
            end = i + 1
            if 20 <= value <= 90 and end < n:
                nxt = keys[end]
                unit = numbers.get(nxt) if nxt in numbers else (int(nxt) if nxt.isdigit() else None)
                if unit is not None and 1 <= unit <= 9:
                    value += unit
                    end += 1
            tokens.append(make(str(value), TokenKind.NUMBER, surface_of(i, end)))
            i = end
            continue
        roman = roman_value(word) if i > 0 else None
        if roman is not None and not person and (len(word) > 1 or i == n - 1):
            tokens.append(make(str(roman), TokenKind.NUMBER, raws[i].surface))
            i += 1
            continue
        # Multi-token phrases: places, generic words, abbreviations. A person's name holds
        # no places: "Lima", "Jordan", "Florence" there are family and given names, and
        # count as much as any other.
        length = 0 if person else _phrase(keys, i, lexicon.places(), max_len)
        if length:
            key = "".join(keys[i : i + length])
            tokens.append(
                make(
                    key,
                    TokenKind.WORD,
                    surface_of(i, i + length),
                    place=True,
                    country=key in lexicon.countries(),
                )
            )
            i += length
            continue
        generic = lexicon.generic_words()
        length = _phrase(keys, i, generic, max_len)
        if length:
            key = "".join(keys[i : i + length])
            tokens.append(
                make(generic[key], TokenKind.WORD, surface_of(i, i + length), generic=True)
            )
            i += length
            continue
        abbreviations = lexicon.abbreviations()
        length = _phrase(keys, i, abbreviations, max_len)
        if length and (length > 1 or len(word) > 1):
            key = "".join(keys[i : i + length])
            alts = abbreviations[key]
            tokens.append(
                make(
                    key,
                    TokenKind.WORD,
                    surface_of(i, i + length),
                    alts=alts,
                    abbreviated=True,
                    generic=any(a in generic for a in alts),
                )
            )
            i += length
            continue
        raw = raws[i]
        # A single letter is an initial, unless read from Han or Hangul: 이 "i" and 오 "o"
        # are Korean family names, not initials.
        if len(word) == 1 and word.isalpha() and lookup.get(word, LATIN) not in (HAN, HANGUL):
            inner = 0 < i < n - 1
            kind = (
                TokenKind.STOP
                if not person and inner and word in lexicon.stopwords()
                else TokenKind.INITIAL
            )
            tokens.append(make(word, kind, raw.surface))
        elif (
            word in lexicon.stopwords()
            and not (person and word in _NAME_SYLLABLES)
            # A particle leads a name ("bin Laden", "van Gogh", "le Pen"); the last word
            # of a person's name is a name itself ("Mai Lê", "Wei Bin").
            and not (person and i == n - 1 and i > 0)
            # A syllable romanised from Chinese, Korean or Burmese ("de" 德, "na" န) is
            # no function word of a European language.
            and lookup.get(word, LATIN) not in _SYLLABIC_SCRIPTS
            and word not in written.accented
        ):
            tokens.append(make(word, TokenKind.STOP, raw.surface))
        else:
            tokens.append(
                make(
                    word,
                    TokenKind.WORD,
                    raw.surface,
                    abbreviated=raw.dot and len(word) > 1,
                    initials=raw.initials,
                )
            )
        i += 1
    return tokens


def finish_tokens(tokens: list[Token]) -> tuple[Token, ...]:
    """Final clean-up of a name's tokens: drop repeated words; keep names of stopwords only.

    Args:
        tokens: All tokens of one name variant, in order.

    Returns:
        The tokens to match on.
    """
    content = [t for t in tokens if t.kind not in (TokenKind.STOP, TokenKind.LEGAL)]
    if not content:
        # "The The", "Al", "Company Limited": the only words there are must count.
        tokens = [
            Token(
                text=t.text,
                kind=TokenKind.WORD,
                surface=t.surface,
                script=t.script,
                generic=t.kind is TokenKind.LEGAL,
                qualifier=t.qualifier,
            )
            if t.kind in (TokenKind.STOP, TokenKind.LEGAL)
            else t
            for t in tokens
        ]
    seen: set[tuple[str, TokenKind]] = set()
    out: list[Token] = []
    for token in tokens:
        key = (token.text, token.kind)
        if key in seen and token.kind in (TokenKind.WORD, TokenKind.LEGAL, TokenKind.STOP):
            continue
        seen.add(key)
        out.append(token)
    return tuple(out)


__all__ = [
    "Token",
    "TokenKind",
    "Written",
    "clean_quotes",
    "finish_tokens",
    "roman_value",
    "tokenize_segment",
]
