"""One name, analysed once: normalised text, variants and their tokens.

:func:`analyze_name` is what matching calls for every listed name at index time and for
every query name at query time. It runs, in order:

1. :func:`~entityscreen.names.normalize.normalize_runs` (Unicode, case, transliteration);
2. :func:`~entityscreen.names.variants.split_variants` (former names, labels, qualifiers);
3. :func:`~entityscreen.names.tokens.tokenize_segment` on each part, then
   :func:`~entityscreen.names.tokens.finish_tokens`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from ..errors import InputError
from .japanese import japanese_reading
from .korean import korean_reading, list_spelling
from .memo import memo, tick
from .normalize import normalize_runs
from .tokens import PLAIN, Token, TokenKind, Written, clean_quotes, finish_tokens, tokenize_segment
from .transliterate import HANGUL, KANA, classify_char
from .variants import split_variants

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class NameForm:
    """One variant of a name, tokenized.

    Attributes:
        text: The variant's normalised text.
        tokens: Its tokens (stopwords included, kind ``STOP``).
        former: A former name (matched only against current names).
        guess: A reading the name may not have: kanji without kana read as Japanese, or
            hanja read as Korean (the characters may as well be a Chinese name's). Such
            a form meets only a name of two words or more (see ``matching.scorer.score_analyses``).
        words: The tokens that identify: words, numbers and initials (derived).
        legal_forms: The legal-form tokens (derived).
        letters: The texts of all tokens joined (derived): equal letters, equal names.
    """

    text: str
    tokens: tuple[Token, ...]
    former: bool = False
    guess: bool = False
    words: tuple[Token, ...] = field(init=False, repr=False, compare=False)
    legal_forms: tuple[Token, ...] = field(init=False, repr=False, compare=False)
    letters: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The tokens that identify (words, numbers, initials), and the legal forms.
        words = tuple(t for t in self.tokens if t.kind not in (TokenKind.STOP, TokenKind.LEGAL))
        object.__setattr__(self, "words", words)
        legal = tuple(t for t in self.tokens if t.kind is TokenKind.LEGAL)
        object.__setattr__(self, "legal_forms", legal)
        object.__setattr__(self, "letters", "".join(t.text for t in self.tokens))


@dataclass(frozen=True, slots=True)
class NameAnalysis:
    """A name ready for matching.

    Attributes:
        original: The name as given.
        normalized: Its normalised text.
        person: Analysed as a person's name.
        forms: The current name first, then aliases and former names written in it.
    """

    original: str
    normalized: str
    person: bool
    forms: tuple[NameForm, ...]

    @property
    def has_legal_form(self) -> bool:
        """Whether any form carries a legal form (the name is an organisation's)."""
        return any(t.kind is TokenKind.LEGAL for form in self.forms for t in form.tokens)


#: Letters only Vietnamese writes among the Latin alphabets of names: horn letters, hook
#: above, dot below on a/i/u/y, tilde on i/u/y, stacked marks. Not ă (Romanian) or đ
#: (Croatian, Serbian), whose names keep the typo rules.
_VIETNAMESE = re.compile(
    "[ắằẳẵặơớờởỡợưứừửữựƠƯảẻỉỏủỷạịụỵĩũỹấầẩẫậếềểễệốồổỗộẮẰẲẴẶỚỜỞỠỢỨỪỬỮỰẢẺỈỎỦỶẠỊỤỴĨŨỸẤẦẨẪẬẾỀỂỄỆỐỒỔỖỘ]"
)


_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _normalized_words(word: str) -> list[str]:
    """One word as written, as the words it normalises to ("Vân" -> ["van"])."""
    if word.isascii():
        return [word.lower()]
    return _WORD.findall(" ".join(part for part, _ in normalize_runs(word)))


def cased_words(name: str) -> frozenset[str]:
    """The words of ``name`` written with a lower-case letter, as normalised ("Oak PLC"
    -> {"oak"}): written as words, they are no acronyms ("Oak" is not OAK, the United
    Aircraft Corporation's Russian initials); words in capitals may be."""
    if not any(c.islower() for c in name):
        return frozenset()  # a name in capitals (most lists): no word says it is one
    return frozenset(
        normal
        for word in _LETTER_RUN.findall(name)
        if any(c.islower() for c in word)
        for normal in _normalized_words(word)
    )


def accented_words(name: str) -> frozenset[str]:
    """The words of ``name`` written in Latin letters with diacritics, as normalised
    ("Vân Vũ" -> {"van", "vu"}): a particle of a European language is written without
    them, so "Vân", "Lê" and "Đà" (Vietnamese names) are no "van", "le", "da"."""
    found: set[str] = set()
    for word in name.split():
        if word.isascii():
            continue
        letters = [c for c in unicodedata.normalize("NFC", word) if c.isalpha()]
        # Two letters at least: the French "à" is a function word with its accent.
        if len(letters) >= 2 and all(
            c.isascii() or "LATIN" in unicodedata.name(c, "") for c in letters
        ):
            found.update(_normalized_words(word))
    return frozenset(found)


def written_as(name: str) -> Written:
    """What normalisation folds away from ``name`` and tokenizing needs (:class:`Written`)."""
    if name.isascii():
        return Written(cased=cased_words(name))
    return Written(
        accented=accented_words(name),
        cased=cased_words(name),
        syllables=_VIETNAMESE.search(name) is not None,
    )


def _forms(
    runs: list[tuple[str, str]], person: bool | None, written: Written = PLAIN
) -> list[NameForm]:
    """The forms of one normalised name: its variants, tokenized with their scripts."""
    normalized = " ".join(part for part, _ in runs)
    scripts: dict[str, str] = {}
    for part, script in runs:
        for word in _WORD.findall(clean_quotes(part)):
            if scripts.get(word, "latin") == "latin":
                scripts[word] = script
    forms: list[NameForm] = []
    is_person = person is True
    for variant in split_variants(normalized, person=person):
        tokens = tokenize_segment(variant.main, scripts=scripts, person=is_person, written=written)
        for qualifier in variant.qualifiers:
            tokens.extend(
                tokenize_segment(
                    qualifier,
                    scripts=scripts,
                    person=is_person,
                    qualifier=True,
                    at_start=False,
                    written=written,
                )
            )
        finished = finish_tokens(tokens)
        if finished:
            forms.append(NameForm(text=variant.main, tokens=finished, former=variant.former))
    return forms


@memo(4096)
def analyze_name(name: str, *, person: bool | None = None) -> NameAnalysis:
    """Normalise, split and tokenize a name.

    Args:
        name: A name as written by a list or a user.
        person: ``True``: a person's name (commas invert, single letters are initials,
            no Roman numerals); ``False``: an organisation's, a vessel's...; ``None``:
            unknown (a comma inverts when the name looks like "LAST, First").

    Returns:
        The analysis.

    Raises:
        InputError: the name is empty, not a string, or too long.
    """
    tick()  # the word caches are trimmed every so many names analysed (names/memo.py)
    runs = normalize_runs(name)
    normalized = " ".join(part for part, _ in runs)
    if (
        person is None
        and name.isascii()
        and split_variants(normalized, person=None) == split_variants(normalized, person=False)
    ):
        # "Unknown" tokenizes as "not a person's" and differs only where its variants do
        # (a comma may invert it): with equal variants, the same analysis, made once for
        # both (matching analyses a query under each listed name's hint).
        return analyze_name(name, person=False)
    is_person = person is True
    forms = _forms(runs, person, written_as(name))
    if forms and not name.isascii():
        # Other romanisations of the same name, as more forms (the first ones stay first):
        # Burmese one word per syllable, as Latin spellings mostly write it ("Kyaw Myat
        # Naing"; per word, a descriptive word translated on the other side is one
        # leftover, not three syllables); kanji read as Japanese (see
        # :mod:`entityscreen.names.japanese`).
        others: list[NameForm] = []
        if any("\u1000" <= char <= "\u109f" for char in name):
            others += _forms(normalize_runs(name, burmese_syllables=True), person)
        reading = japanese_reading(name)
        if reading is not None:
            guess = not any(classify_char(char) == KANA for char in name)
            others += [
                replace(f, guess=guess) for f in _forms([(reading, KANA)], person) if not f.former
            ][:1]
        # And hanja of Korean shape read as Korean (see :mod:`entityscreen.names.korean`),
        # a guess too: "金正恩" may be a Chinese name.
        hangul = korean_reading(name)
        if hangul is not None:
            others += [
                replace(f, guess=True)
                for f in _forms(
                    [
                        (" ".join(map(list_spelling, text.split())), HANGUL)
                        for text, _ in normalize_runs(hangul)
                    ],
                    person,
                )
                if not f.former
            ][:1]
        texts = {form.text for form in forms}
        forms.extend(form for form in others if form.text not in texts)
    if not forms:
        words = _WORD.findall(normalized)
        if not words:
            raise InputError("name has no letters or digits")
        forms.append(
            NameForm(text=normalized, tokens=tuple(Token(text=w, surface=w) for w in words))
        )
    return NameAnalysis(original=name, normalized=normalized, person=is_person, forms=tuple(forms))


def identity_words(name: str) -> str:
    """A name's identifying words as written, case folded, its legal forms and stopwords
    aside ("Huawei Technologies Co., Ltd." -> "huawei technologies"); the name case folded
    when it has none or is not a name."""
    try:
        words = [t.shown.casefold() for t in analyze_name(name).forms[0].words]
    except InputError:
        words = []
    return " ".join(words) if words else name.casefold()


__all__ = ["NameAnalysis", "NameForm", "analyze_name", "identity_words"]
