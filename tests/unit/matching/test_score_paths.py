"""Fast paths of candidate scoring agree exactly with the rules they skip."""

from __future__ import annotations

import random
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from entityscreen.matching import align
from entityscreen.matching.similarity import compare_tokens, plain_word, surely_different
from entityscreen.names.tokens import Token, TokenKind

from ._forms import form_part_pairs

#: Letters that transliteration keys fold together, so that keys meet where words do not.
LETTERS = "aeioubcdfghjklmnpqrstvwxyz" + "kkhhyyww"
words = st.text(alphabet=LETTERS, min_size=1, max_size=14)


def _edited(word: str, edits: int, rng: random.Random) -> str:
    out = list(word)
    for _ in range(edits):
        op = rng.randrange(4)
        pos = rng.randrange(len(out) + 1)
        if op == 0 or not out:
            out.insert(pos, rng.choice(LETTERS))
        elif op == 1:
            del out[min(pos, len(out) - 1)]
        elif op == 2:
            out[min(pos, len(out) - 1)] = rng.choice(LETTERS)
        elif len(out) >= 2:
            i = min(pos, len(out) - 2)
            out[i], out[i + 1] = out[i + 1], out[i]
    return "".join(out) or "a"


def _check(a: Token, b: Token) -> bool:
    """Whether the fast test judged the pair; when it did, the rules agree."""
    pa, pb = plain_word(a), plain_word(b)
    if pa is None or pb is None or not surely_different(pa, pb):
        return False
    assert compare_tokens(a, b) == (0.0, ""), (a, b)
    assert compare_tokens(b, a) == (0.0, ""), (a, b)
    return True


@settings(max_examples=400, deadline=None)
@given(words, st.integers(0, 8), st.integers(0, 2**32))
def test_words_judged_different_are_different_by_every_rule(
    word: str, edits: int, seed: int
) -> None:
    # Near variants, around the distances where the typo bounds cut.
    other = _edited(word, edits, random.Random(seed))
    _check(Token(text=word, surface=word.title()), Token(text=other, surface=other))


def test_the_bounds_hold_at_every_length_and_distance() -> None:
    rng = random.Random(7)
    judged = 0
    for length in range(1, 26):
        for edits in range(length + 3):
            for _ in range(6):
                word = "".join(rng.choice(string.ascii_lowercase) for _ in range(length))
                judged += _check(Token(text=word), Token(text=_edited(word, edits, rng)))
    assert judged > 500  # the fast test does judge far-apart pairs


def test_only_plain_latin_words_are_judged() -> None:
    assert plain_word(Token(text="trading", surface="Trading")) == ("trading", "trading")
    # An abbreviation, a vowelless contraction, a word cut short, another script, a
    # surface form compared too, a number: the full rules decide.
    assert plain_word(Token(text="intl")) is None
    assert plain_word(Token(text="mgmt")) is None
    assert plain_word(Token(text="ind", abbreviated=True)) is None
    assert plain_word(Token(text="mhmd", script="abjad")) is None
    assert plain_word(Token(text="commerce", surface="Comercio")) is None
    assert plain_word(Token(text="12", kind=TokenKind.NUMBER)) is None
    trading, mohammed = Token(text="trading"), Token(text="mohammed")
    assert surely_different(plain_word(trading), plain_word(mohammed))  # type: ignore[arg-type]
    near = (plain_word(Token(text="mohamed")), plain_word(mohammed))
    assert not surely_different(*near)  # type: ignore[arg-type]


names = st.lists(
    st.sampled_from(
        [
            "Mohammed", "Mohamed", "Muhammad", "Ali", "Alee", "Trading", "Traiding", "Intl",
            "International", "Mgmt", "Management", "Ind.", "Industria", "Grupo", "Group",
            "Zavyalov", "Zavjalov", "Petrov", "Petrova", "J.", "John", "No. 8", "8", "PLA",
            "Yun", "Tian", "Yuntian", "Kim", "Jong", "Un", "Khaled", "Chaled", "Stroy", "Stroi",
            "محمد", "김정은", "Ιωάννης", "Zheng", "Zhang", "Phương", "Phong", "Co.", "Ltd",
        ]
    ),
    min_size=1,
    max_size=4,
).map(" ".join)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(names, names, st.sampled_from([None, True, False]))
def test_parts_compare_as_their_tokens_do(a: str, b: str, person: bool | None) -> None:
    for left, right in form_part_pairs(a, b, person):
        for x in left:
            for y in right:
                align._SIMILARITY_CACHE.clear()
                assert align.compare_parts(x, y) == compare_tokens(x.token, y.token)
