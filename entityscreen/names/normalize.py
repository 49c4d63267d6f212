"""Unicode normalisation of a name: the first step of matching, done once per name.

:func:`normalize_runs` is the single entry point; :func:`normalize_text` joins its runs.
Matching normalises listed names at index time and query names at query time with the
same function, so both sides always agree.

Pipeline order
--------------
The steps always run in this order:

    1. CHECK        reject ``None``/non-strings and inputs longer than
                    ``MAX_INPUT_LENGTH`` characters (:class:`~entityscreen.errors.InputError`)
    2. NFKC         compatibility composition: full-width letters, ligatures ("ﬁ"),
                    half-width katakana and superscripts become plain characters
    3. CLEANUP      control, format, private-use and surrogate characters (Unicode
                    categories Cc, Cf, Co, Cs) are deleted; every kind of space or line
                    break (Zs, Zl, Zp, tabs, newlines) becomes one ASCII space
    4. CASEFOLD     Unicode full case folding ("ß" -> "ss", "İ" -> "i̇")
    5. TRANSLIT     every script to lower-case ASCII, run by run
                    (:mod:`entityscreen.names.transliterate`): Han to pinyin syllables,
                    Hangul to syllables, the rest with anyascii
    6. SQUASH       runs of spaces collapse to one; ends are trimmed
    7. CAP          an empty result raises ``InputError`` (nothing to match on); a result
                    longer than ``MAX_NAME_LENGTH`` (1,000) characters raises ``InputError``

Punctuation is kept: the tokenizer (:mod:`entityscreen.names.tokens`) needs dots to tell
initials ("J.P.") and abbreviations ("Mfg.") from words, commas and brackets to find
qualifiers, and "ex"/"f.k.a." markers to find former names.

The function is idempotent: normalising its own output returns the same text.
"""

from __future__ import annotations

import unicodedata

from ..errors import InputError
from .transliterate import transliterate_runs

#: Longest accepted raw input, checked before any work (a 10 MB "name" is refused at once).
MAX_INPUT_LENGTH = 10_000
#: Longest accepted name after normalisation, in characters.
MAX_NAME_LENGTH = 1_000

_DELETE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
_SPACE_CATEGORIES = frozenset({"Zs", "Zl", "Zp"})
_SPACE_CONTROLS = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85")


def clean_characters(text: str) -> str:
    """Delete control/format characters and turn every space-like character into ``" "``.

    Args:
        text: Unicode text.

    Returns:
        The cleaned text (not yet squashed).
    """
    if text.isascii() and text.isprintable():
        return text
    out: list[str] = []
    for char in text:
        if char in _SPACE_CONTROLS:
            out.append(" ")
            continue
        category = unicodedata.category(char)
        if category in _SPACE_CATEGORIES:
            out.append(" ")
        elif category not in _DELETE_CATEGORIES:
            out.append(char)
    return "".join(out)


def check_input(text: object) -> str:
    """Step 1 of the pipeline: the value must be a string of reasonable length.

    Args:
        text: The raw value given as a name.

    Returns:
        ``text`` itself.

    Raises:
        InputError: ``text`` is not a string or is longer than ``MAX_INPUT_LENGTH``.
    """
    if not isinstance(text, str):
        raise InputError(f"a name must be a string, not {type(text).__name__}")
    if len(text) > MAX_INPUT_LENGTH:
        raise InputError(
            f"name is {len(text):,} characters long; at most {MAX_INPUT_LENGTH:,} are accepted"
        )
    return text


def normalize_runs(text: object, *, burmese_syllables: bool = False) -> list[tuple[str, str]]:
    """Run the whole pipeline and keep the script class of each run.

    Args:
        text: A name as written by a list or a user.
        burmese_syllables: Romanise Burmese one word per syllable (see
            :func:`~entityscreen.names.burmese.romanize_burmese`).

    Returns:
        ``(ascii_text, script_class)`` pairs, each squashed, none empty.

    Raises:
        InputError: the name is not a string, is empty after normalisation, or is too long.
    """
    # ``object``, not ``str``: compiled by mypyc (setup.py), a ``str`` parameter would
    # raise TypeError on a non-string before check_input could raise InputError.
    folded = clean_characters(unicodedata.normalize("NFKC", check_input(text))).casefold()
    runs: list[tuple[str, str]] = []
    total = 0
    for part, script in transliterate_runs(folded, burmese_syllables=burmese_syllables):
        squashed = " ".join(part.split())
        if squashed:
            runs.append((squashed, script))
            total += len(squashed) + 1
    if not runs:
        raise InputError("name is empty")
    if total - 1 > MAX_NAME_LENGTH:
        raise InputError(
            f"name is {total - 1:,} characters long after normalisation; "
            f"at most {MAX_NAME_LENGTH:,} are accepted"
        )
    return runs


def normalize_text(text: object) -> str:
    """Normalise a name to lower-case ASCII with single spaces (pipeline in module docs).

    Args:
        text: A name as written by a list or a user.

    Returns:
        The normalised name; ``normalize_text(normalize_text(x)) == normalize_text(x)``.

    Raises:
        InputError: the name is not a string, is empty after normalisation, or is too long.
    """
    return " ".join(part for part, _ in normalize_runs(text))


__all__ = [
    "MAX_INPUT_LENGTH",
    "MAX_NAME_LENGTH",
    "check_input",
    "clean_characters",
    "normalize_runs",
    "normalize_text",
]
