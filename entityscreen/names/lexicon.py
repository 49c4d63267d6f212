"""The word lists of name matching, loaded once from ``entityscreen/names/data``.

Every table is plain text (one entry a line, ``#`` comments, tab-separated columns) so that
a linguist can review it without reading code:

=====================  ===================================================================
file                   content
=====================  ===================================================================
legal_forms.tsv        legal forms in many languages with class and jurisdictions
abbreviations.tsv      abbreviations of organisation words and their expansions
generic_words.tsv      descriptive words ("technology", "group") and their canonical form
places.txt             countries, demonyms, regions, large cities
countries.txt          the countries and demonyms among them
stopwords.txt          function words and name particles ("of", "bin", "van")
titles.txt             honorifics written before a person's name ("Mr", "Sheikh")
party_labels.txt       labels of payment messages ("BENEFICIARY:")
vessel_prefixes.txt    ship prefixes ("MV", "M/T")
number_words.tsv       English number words and ordinals
=====================  ===================================================================

Entries are turned into *keys* with :func:`make_key`: the entry is normalised like a name
and everything but letters and digits is dropped, so "Sp. z o.o.", "sp z oo" and "SP.Z O.O."
share the key ``spzoo``. The tokenizer recognises a phrase when the concatenation of
consecutive tokens equals a key, which makes recognition independent of spacing and
punctuation (and lets Chinese syllables "you xian gong si" meet "Youxian Gongsi").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .normalize import normalize_text

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def make_key(text: str) -> str:
    """The lookup key of a table entry or of a run of tokens.

    Args:
        text: A word or phrase in any script.

    Returns:
        Lower-case ASCII letters and digits only ("&" counts as "and").
    """
    return _NON_ALNUM.sub("", normalize_text(text).replace("&", " and "))


@dataclass(frozen=True, slots=True)
class LegalForm:
    """A legal form: canonical short form, classes and the jurisdictions that use it.

    ``jurisdictions`` is empty when the form is international (or an English translation
    used for any country): such a form never conflicts on jurisdiction.
    """

    canonical: str
    classes: frozenset[str]
    jurisdictions: frozenset[str]


def _read_lines(filename: str) -> list[list[str]]:
    text = resources.files("entityscreen.names").joinpath("data", filename).read_text("utf-8")
    rows: list[list[str]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append([col.strip() for col in line.split("\t")])
    return rows


def _read_keys(filename: str) -> frozenset[str]:
    return frozenset(key for row in _read_lines(filename) if (key := make_key(row[0])))


@cache
def legal_form_rows() -> tuple[str, ...]:
    """The legal forms as the table writes them ("Limited Liability Company")."""
    return tuple(row[0] for row in _read_lines("legal_forms.tsv"))


@cache
def legal_forms() -> dict[str, LegalForm]:
    """Legal forms by key; rows sharing a key are merged (classes and jurisdictions unite)."""
    merged: dict[str, LegalForm] = {}
    for row in _read_lines("legal_forms.tsv"):
        form, canonical, classes, jurisdictions = ([*row, "", "", "", "*"])[:4]
        key = make_key(form)
        if not key:
            continue
        juris = frozenset(j for j in jurisdictions.split("|") if j and j != "*")
        international = "*" in jurisdictions.split("|")
        entry = LegalForm(
            canonical=canonical or key,
            classes=frozenset(c for c in classes.split("|") if c),
            jurisdictions=frozenset() if international else juris,
        )
        if key in merged:
            old = merged[key]
            entry = LegalForm(
                canonical=old.canonical,
                classes=old.classes | entry.classes,
                jurisdictions=(
                    frozenset()
                    if not old.jurisdictions or not entry.jurisdictions
                    else old.jurisdictions | entry.jurisdictions
                ),
            )
        merged[key] = entry
    # A multi-word form is also written with its words abbreviated ("Joint Stock Co",
    # "Private Ltd Company"): every such spelling is the same form, unless the table says
    # otherwise.
    for row in _read_lines("legal_forms.tsv"):
        words = normalize_text(row[0]).split()
        found = merged.get(make_key(row[0]))
        if len(words) < 2 or found is None:
            continue
        entry = found
        for i, word in enumerate(words):
            short = _FORM_WORD_ABBREVIATIONS.get(word)
            if short is not None:
                variant = make_key(" ".join([*words[:i], short, *words[i + 1 :]]))
                merged.setdefault(variant, entry)
    return merged


#: Words of legal forms and how they are abbreviated inside a longer form.
_FORM_WORD_ABBREVIATIONS = {
    "company": "co",
    "corporation": "corp",
    "limited": "ltd",
    "incorporated": "inc",
    "private": "pvt",
    "public": "pub",
}


@cache
def abbreviations() -> dict[str, frozenset[str]]:
    """Abbreviation key -> keys of its expansions (canonicalised like generic words)."""
    generic = generic_words()
    out: dict[str, frozenset[str]] = {}
    for row in _read_lines("abbreviations.tsv"):
        key = make_key(row[0])
        if not key or len(row) < 2:
            continue
        expansions = {make_key(e) for e in row[1].split("|")}
        expansions |= {generic[e] for e in expansions if e in generic}
        out[key] = out.get(key, frozenset()) | frozenset(e for e in expansions if e)
    return out


@cache
def generic_words() -> dict[str, str]:
    """Generic word key -> canonical key (plural and spelling variants share one)."""
    out: dict[str, str] = {}
    for row in _read_lines("generic_words.tsv"):
        key = make_key(row[0])
        if key:
            out[key] = make_key(row[1]) if len(row) > 1 and row[1] else key
    return out


@cache
def places() -> frozenset[str]:
    """Keys of place names."""
    return _read_keys("places.txt")


@cache
def countries() -> frozenset[str]:
    """Keys of country names and demonyms (a subset of the places)."""
    return _read_keys("countries.txt")


@cache
def stopwords() -> frozenset[str]:
    """Keys of function words and name particles."""
    return _read_keys("stopwords.txt")


@cache
def titles() -> frozenset[str]:
    """Keys of honorifics written before a person's name."""
    return _read_keys("titles.txt")


@cache
def party_labels() -> frozenset[str]:
    """Keys of labels written before a party's name in payment messages."""
    return _read_keys("party_labels.txt")


@cache
def vessel_prefixes() -> frozenset[str]:
    """Keys of vessel prefixes."""
    return _read_keys("vessel_prefixes.txt")


@cache
def number_words() -> dict[str, int]:
    """Number word key -> value."""
    return {make_key(row[0]): int(row[1]) for row in _read_lines("number_words.tsv")}


def _phrase_keys() -> list[str]:
    keys: list[str] = []
    keys.extend(legal_forms())
    keys.extend(abbreviations())
    keys.extend(generic_words())
    keys.extend(places())
    keys.extend(titles())
    keys.extend(vessel_prefixes())
    return keys


@cache
def phrase_lengths() -> int:
    """The longest key of any phrase table, in characters (bounds phrase look-ups)."""
    return max(len(key) for key in _phrase_keys())


@cache
def phrase_prefixes() -> frozenset[str]:
    """Every prefix of every phrase key: a look-up stops when its text is none of them."""
    return frozenset(key[:i] for key in _phrase_keys() for i in range(1, len(key) + 1))


#: Word lists without Han words to read (frequencies and generated tables).
_NOT_WORD_LISTS = frozenset({"token_frequencies.tsv", "pinyin_syllables.txt", "han_readings.tsv"})


def han_readings_table() -> str:
    """``data/han_readings.tsv`` as it should be: every Han run of the word lists, read
    by pypinyin (``scripts/build_han_readings.py`` writes it; a unit test compares)."""
    from .normalize import clean_characters
    from .transliterate import HAN, romanize_han_pypinyin, split_script_runs

    runs: set[str] = set()
    for entry in sorted(
        resources.files("entityscreen.names").joinpath("data").iterdir(), key=lambda e: e.name
    ):
        if entry.name in _NOT_WORD_LISTS or not entry.name.endswith((".tsv", ".txt")):
            continue
        for row in _read_lines(entry.name):
            for column in row:
                folded = clean_characters(unicodedata.normalize("NFKC", column)).casefold()
                runs.update(run for run, cls in split_script_runs(folded) if cls == HAN)
    lines = [f"{run}\t{romanize_han_pypinyin(run)}" for run in sorted(runs)]
    header = (
        "# Pinyin of the Han words of entityscreen/names/data's word lists.\n"
        "# Written by scripts/build_han_readings.py from pypinyin; do not edit.\n"
    )
    return header + "\n".join(lines) + "\n"


__all__ = [
    "LegalForm",
    "abbreviations",
    "countries",
    "generic_words",
    "han_readings_table",
    "legal_form_rows",
    "legal_forms",
    "make_key",
    "number_words",
    "party_labels",
    "phrase_lengths",
    "phrase_prefixes",
    "places",
    "stopwords",
    "titles",
    "vessel_prefixes",
]
