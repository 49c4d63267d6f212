"""Parts: the tokens of a name form, weighed for the scorer (step 1 of
:mod:`entityscreen.matching.scorer`), and the records the scorer fills (pairs, outcome).

Apart from the scorer because three modules read them (the scorer, merging and aligning,
the features) and none of them should need the others' code to do so.
"""

from __future__ import annotations

import itertools
import operator
import re
from dataclasses import dataclass, field, fields

from ..names.analysis import NameForm
from ..names.tokens import Token, TokenKind
from .rarity import Rarity
from .similarity import plain_word

#: Share of their weight that generic words, places and qualifiers keep as extras.
CHEAP_EXTRA = 0.3
#: East Slavic patronymics, as transliterated ("viktorovich", "ivanovna").
_PATRONYMIC = re.compile(r"[a-z]{3,}(?:ovich|evich|ovych|evych|ovna|evna|ivna|ichna)")
#: Weights of a number token: when matched and when only one name has it.
NUMBER_WEIGHTS = (6.0, 4.0)
#: Weights of an initial: when matched and when only one name has it.
INITIAL_WEIGHTS = (1.5, 1.0)


@dataclass(slots=True)
class Part:
    """A token, or adjacent tokens merged, with its weights (internal to scoring)."""

    token: Token
    tokens: tuple[Token, ...]
    weight: float
    extra: float
    role: str
    acronym: bool = False
    #: Number of everything token comparison reads (see :func:`_signature_id`).
    sig: int = 0
    #: The token as :func:`~.similarity.surely_different` reads it, when it may.
    plain: tuple[str, str] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        t = self.token
        # Everything compare_tokens reads: the script itself (Han, Hangul and kana tokens
        # compare by reading only; abjad ones by written vowels) and the surface form.
        self.sig = _signature_id(
            (t.kind, t.text, t.script, t.surface, t.abbreviated, t.syllable, t.cased, self.acronym)
        )
        self.plain = None if self.acronym else plain_word(t)


_SIGNATURES: dict[tuple[object, ...], int] = {}
_SIGNATURE_COUNTER = itertools.count()
_MAX_SIGNATURES = 1_000_000


def _signature_id(sig: tuple[object, ...]) -> int:
    """A number for a part signature; equal signatures get equal numbers.

    Similarities are cached under two such numbers (an int, cheap to hash) rather than
    two tuples. Numbers are never reused, so clearing the table only costs cache misses.
    """
    number = _SIGNATURES.get(sig)
    if number is None:
        if len(_SIGNATURES) >= _MAX_SIGNATURES:
            _SIGNATURES.clear()
        number = next(_SIGNATURE_COUNTER)
        _SIGNATURES[sig] = number
    return number


@dataclass(slots=True)
class Pair:
    """Two aligned parts and their similarity."""

    left: Part
    right: Part
    similarity: float
    rule: str


@dataclass(slots=True)
class Outcome:
    """Everything the scorer found for one pair of forms."""

    raw: float
    pairs: list[Pair] = field(default_factory=list)
    left_only: list[Part] = field(default_factory=list)
    right_only: list[Part] = field(default_factory=list)
    matched: float = 0.0
    conflict: float = 0.0
    extra: float = 0.0
    legal: str = "absent"
    legal_left: tuple[Token, ...] = ()
    legal_right: tuple[Token, ...] = ()
    same_letters: bool = False
    pairs_left_tokens: tuple[Token, ...] = ()
    former: str = ""


def make_part(token: Token, rarity: Rarity) -> Part:
    """Weigh one token.

    Args:
        token: An identifying token.
        rarity: The rarity table.

    Returns:
        The token as a :class:`Part`.
    """
    if token.kind is TokenKind.NUMBER:
        weight, extra = NUMBER_WEIGHTS
        role = "number"
    elif token.kind is TokenKind.INITIAL:
        weight, extra = INITIAL_WEIGHTS
        role = "initial"
    else:
        weight = rarity.weight(token.text)
        if token.generic:
            extra, role = weight * CHEAP_EXTRA, "generic"
        elif token.country:
            extra, role = weight * CHEAP_EXTRA, "country"
        elif token.place:
            extra, role = weight * CHEAP_EXTRA, "place"
        elif _PATRONYMIC.fullmatch(token.text):
            # East Slavic patronymics ("Viktorovich", "Ivanovna") are left out of most
            # spellings of a name: missing on one side they weigh little, like a middle
            # name; a different patronymic still conflicts in full.
            extra, role = weight * CHEAP_EXTRA, "distinctive"
        else:
            extra, role = weight, "distinctive"
    if token.qualifier and role != "country":
        extra = min(extra, weight * CHEAP_EXTRA)
        role = role if role != "distinctive" else "qualifier"
    return Part(token, (token,), weight, extra, role)


def merged_part(run: list[Part], text: str, *, acronym: bool = False) -> Part:
    first = run[0].token
    token = Token(
        text=text,
        kind=TokenKind.WORD,
        surface=" ".join(p.token.shown for p in run),
        script=first.script,
        generic=all(p.token.generic for p in run),
        qualifier=all(p.token.qualifier for p in run),
        syllable=any(p.token.syllable for p in run),
    )
    return Part(
        token=token,
        tokens=tuple(t for p in run for t in p.tokens),
        weight=sum(p.weight for p in run),
        extra=sum(p.extra for p in run),
        role="distinctive" if any(p.role == "distinctive" for p in run) else run[0].role,
        acronym=acronym,
    )


def form_parts(form: NameForm, rarity: Rarity) -> list[Part]:
    """The weighed parts of a form's identifying tokens (step 1).

    Args:
        form: A name form.
        rarity: The rarity table.

    Returns:
        One part per token, in order.
    """
    return [make_part(t, rarity) for t in form.words]


#: Every field of a token, read at once: two tokens equal in all of them are the same
#: value (the dataclass's ``==``), so the part of one serves for the other.
_TOKEN_VALUE = operator.attrgetter(*(f.name for f in fields(Token)))
_MAX_CACHED_PARTS = 200_000


class PartCache:
    """:func:`form_parts` for one rarity table, each distinct token weighed once.

    Listed names are analysed separately, so their tokens are separate objects; but most
    words recur across names ("trading", "ali"), and weighing one (rarity, role rules,
    signature) costs more than finding it by value. Parts are never modified, so two
    names may hold the same one.
    """

    __slots__ = ("_parts", "rarity")

    def __init__(self, rarity: Rarity) -> None:
        self.rarity = rarity
        self._parts: dict[tuple[object, ...], Part] = {}

    def form_parts(self, form: NameForm) -> list[Part]:
        """Equal to ``form_parts(form, self.rarity)``."""
        cache = self._parts
        out: list[Part] = []
        for token in form.words:
            key = _TOKEN_VALUE(token)
            part = cache.get(key)
            if part is None:
                part = make_part(token, self.rarity)
                if len(cache) >= _MAX_CACHED_PARTS:
                    cache.clear()
                cache[key] = part
            out.append(part)
        return out


__all__ = [
    "CHEAP_EXTRA",
    "INITIAL_WEIGHTS",
    "NUMBER_WEIGHTS",
    "Outcome",
    "Pair",
    "Part",
    "PartCache",
    "form_parts",
    "make_part",
    "merged_part",
]
