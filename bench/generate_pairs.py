"""Labelled pairs and customer-file variants generated from the lists themselves.

No evaluation set is read here. Pairs are *generated* from the OFAC SDN list (2023-12-28:
``sdn.csv`` with its aliases ``alt.csv``) and the UK sanctions list (``subject_names.csv``):

Positives (a listed name against a variant of itself)
    * the name with one or two random edits of these kinds: a typo in a word of 5+ letters
      (substitution, deletion, insertion, transposition), a legal form dropped or written
      another way (Ltd/Limited, Co./Company, LLC/Limited Liability Company, ...), a word
      abbreviated (from the abbreviation table), words joined or hyphenated, punctuation
      and accents removed, upper/lower case; for persons also "LAST, First" order, a middle
      name dropped, a given name reduced to its initial, a title added (:func:`perturb`);
      with ``misspell`` (the match model's fit, ``bench/fit_model.py --misspell``) a typo
      in a person's name may also be a misspelling of a word of four letters or more
      (:func:`_misspell`: a vowel changed, a letter doubled or undoubled, a letter
      swapped for one that sounds alike);
    * an alias of the same entry that is a spelling variant of the name (token sort ratio
      at least 70: real transliteration and order variants published by OFAC/UK).

Negatives (a listed name against something else)
    * another entry's name of the same kind that shares a token with it (the hard
      negatives a screening tool meets: same given name, same "Trading Company");
    * the name with one identifying word replaced by another listed word of similar
      length, or a number changed (a sister company, a sister ship, a namesake).

Used by ``bench/fit_model.py`` (the match model's training data), ``bench/speed.py``
(queries) and ``bench/accuracy.py`` (the generated-pairs figure).
"""

from __future__ import annotations

import csv
import random
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from entityscreen.names import lexicon

LEGAL_SWAPS = [
    ("ltd", "limited"),
    ("co", "company"),
    ("corp", "corporation"),
    ("inc", "incorporated"),
    ("llc", "limited liability company"),
    ("jsc", "joint stock company"),
    ("co ltd", "company limited"),
    ("gmbh", "gesellschaft mit beschrankter haftung"),
    ("ooo", "obshchestvo s ogranichennoy otvetstvennostyu"),
    ("plc", "public limited company"),
    ("s.a.", "sa"),
    ("l.l.c.", "llc"),
    ("co., ltd.", "co ltd"),
]
TITLES = ["Mr.", "Mrs.", "Dr.", "Sheikh", "Haji"]


@dataclass(frozen=True, slots=True)
class Listed:
    """An entry of a list: its names and whether it is a person."""

    names: tuple[str, ...]
    person: bool
    source: str


def read_entries(data: Path) -> list[Listed]:
    """OFAC SDN entries (primary + aliases) and UK subjects (all names)."""
    entries: list[Listed] = []
    names: dict[str, list[str]] = defaultdict(list)
    people: set[str] = set()
    folder = data / "ofac_sdn_2023-12-28"
    with open(folder / "sdn.csv", encoding="latin-1") as f:
        for row in csv.reader(f):
            if len(row) >= 3:
                names[row[0]].append(row[1])
                if row[2].strip().lower() == "individual":
                    people.add(row[0])
    with open(folder / "alt.csv", encoding="latin-1") as f:
        for row in csv.reader(f):
            if len(row) >= 4 and row[0] in names:
                names[row[0]].append(row[3])
    entries.extend(Listed(tuple(v), k in people, "ofac") for k, v in names.items())
    uk: dict[str, list[str]] = defaultdict(list)
    uk_people: set[str] = set()
    path = data / "uk_sanctions_list_2026-05_transformed" / "subject_names.csv"
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            uk[row["unique_id"]].append(row["full_name"])
            if row.get("name_1"):
                uk_people.add(row["unique_id"])
    entries.extend(Listed(tuple(v), k in uk_people, "uk") for k, v in uk.items())
    return [e for e in entries if e.names and e.names[0].strip()]


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(["sub", "del", "ins", "swap"])
    letters = "abcdefghiklmnoprstuvy"
    if op == "sub":
        return word[:i] + rng.choice(letters) + word[i + 1 :]
    if op == "del":
        return word[:i] + word[i + 1 :]
    if op == "ins":
        return word[:i] + rng.choice(letters) + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


VOWELS = "aeiou"


def _misspell(word: str, rng: random.Random) -> str:
    """A misspelling as people write a name they heard or copied, in a word of 4+ letters:
    a vowel changed ("Musk" / "Mosk", "Osama" / "Usama"), a letter doubled ("Jong" /
    "Joong") or a double made single ("Gaddafi" / "Gadafi"), a letter swapped for one that
    sounds alike ("Sechin" / "Sechyn", "Qasim" / "Kasim")."""
    if len(word) < 4:
        return word
    low = word.lower()
    op = rng.choice(["vowel", "vowel", "double", "sound"])
    vowels = [i for i, c in enumerate(low) if c in VOWELS]
    doubles = [i for i in range(1, len(low)) if low[i] == low[i - 1]]
    if doubles and rng.random() < 0.3:
        i = rng.choice(doubles)
        return word[:i] + word[i + 1 :]
    if op == "vowel" and vowels:
        i = rng.choice(vowels)
        new = rng.choice([v for v in VOWELS if v != low[i]])
        return word[:i] + (new.upper() if word[i].isupper() else new) + word[i + 1 :]
    if op == "double":
        i = rng.randrange(1, len(word))
        return word[:i] + word[i] + word[i:]
    alike = {"c": "k", "k": "c", "q": "k", "s": "z", "z": "s", "i": "y", "y": "i",
             "f": "v", "v": "f", "g": "k", "d": "t", "t": "d", "b": "p", "p": "b"}
    options = [i for i, c in enumerate(low) if c in alike]
    if not options:
        return word
    i = rng.choice(options)
    new = alike[low[i]]
    return word[:i] + (new.upper() if word[i].isupper() else new) + word[i + 1 :]


def perturb(name: str, person: bool, rng: random.Random, *, misspell: bool = False) -> str:
    """A realistic variant of ``name`` (one or two edits, see module docstring).

    ``misspell``: a typo in a person's name may also be a misspelling of a word of four
    letters or more (:func:`_misspell`), as the match model's training data has it: people's
    names are written down as heard, companies' copied from documents. The default keeps
    the queries of ``bench/speed.py`` as they were, so its runs stay comparable."""
    words = name.replace(",", " , ").split()
    ops = ["typo", "case", "punct", "accents", "join"]
    ops += ["order", "drop_middle", "initial", "title"] if person else ["legal", "abbrev"]
    for op in rng.sample(ops, k=rng.choice([1, 1, 2])):
        shortest = 4 if misspell and person else 5
        plain = [i for i, w in enumerate(words) if w.isalpha() and len(w) >= shortest]
        if op == "typo" and plain:
            i = rng.choice(plain)
            if misspell and person and (len(words[i]) < 5 or rng.random() < 0.5):
                words[i] = _misspell(words[i], rng)
            else:
                words[i] = _typo(words[i], rng)
        elif op == "case":
            words = [w.upper() if rng.random() < 0.5 else w.title() for w in words]
        elif op == "punct":
            words = [re.sub(r"[.,'\-]", "", w) for w in words if re.sub(r"[.,'\-]", "", w)]
        elif op == "accents":
            words = [_strip_accents(w) for w in words]
        elif op == "join" and len(words) >= 3:
            i = rng.randrange(len(words) - 1)
            if words[i] != "," and words[i + 1] != ",":
                words[i : i + 2] = [words[i] + rng.choice(["", "-"]) + words[i + 1]]
        elif op == "order" and "," not in words and len(words) >= 2:
            words = [words[-1].upper(), ",", *words[:-1]]
        elif op == "drop_middle":
            content = [i for i, w in enumerate(words) if w != ","]
            if len(content) >= 3:
                del words[rng.choice(content[1:-1])]
        elif op == "initial":
            content = [i for i, w in enumerate(words) if w.isalpha() and len(w) > 2]
            if len(content) >= 2:
                i = content[0]
                words[i] = words[i][0] + "."
        elif op == "title":
            words = [rng.choice(TITLES), *words]
        elif op == "legal":
            low = " ".join(words).lower()
            for a, b in LEGAL_SWAPS:
                for x, y in ((a, b), (b, a)):
                    if re.search(rf"(^|\s){re.escape(x)}$", low):
                        low = re.sub(rf"{re.escape(x)}$", y if rng.random() < 0.7 else "", low)
                        words = low.split()
                        break
                else:
                    continue
                break
        elif op == "abbrev":
            reverse: dict[str, str] = {}
            for abbr, expansions in lexicon.abbreviations().items():
                for e in expansions:
                    if len(abbr) >= 3:
                        reverse.setdefault(e, abbr)
            options = [i for i, w in enumerate(words) if w.lower() in reverse]
            if options:
                i = rng.choice(options)
                words[i] = reverse[words[i].lower()].title() + "."
    out = " ".join(words).replace(" , ", ", ").strip(" ,")
    return out or name


def generate(
    data: Path, n: int, seed: int, *, misspell: bool = False
) -> list[tuple[str, str, bool, bool]]:
    """``(name1, name2, person, is_match)`` pairs, positives and negatives 1:1 per kind
    (``misspell``: see :func:`perturb`)."""
    rng = random.Random(seed)
    entries = read_entries(data)
    rng.shuffle(entries)
    by_token: dict[tuple[bool, str], list[int]] = defaultdict(list)
    for idx, entry in enumerate(entries):
        for token in set(re.findall(r"[a-z]{4,}", entry.names[0].lower())):
            by_token[(entry.person, token)].append(idx)
    vocabulary = sorted({t for (_, t) in by_token})
    by_length: dict[int, list[str]] = defaultdict(list)
    for t in vocabulary:
        by_length[len(t)].append(t)
    pairs: list[tuple[str, str, bool, bool]] = []
    per_kind = n // 4
    for person in (True, False):
        pool = [i for i, e in enumerate(entries) if e.person is person]
        positives: list[tuple[str, str, bool, bool]] = []
        negatives: list[tuple[str, str, bool, bool]] = []
        while len(positives) < per_kind:
            entry = entries[rng.choice(pool)]
            primary = entry.names[0]
            variants = [
                a
                for a in entry.names[1:]
                if fuzz.token_sort_ratio(a.lower(), primary.lower()) >= 70 and a != primary
            ]
            if variants and rng.random() < 0.35:
                positives.append((rng.choice(variants), primary, person, True))
            else:
                variant = perturb(primary, person, rng, misspell=misspell)
                if variant != primary:
                    positives.append((variant, primary, person, True))
        while len(negatives) < per_kind:
            idx = rng.choice(pool)
            primary = entries[idx].names[0]
            tokens = re.findall(r"[a-z]{4,}", primary.lower())
            if not tokens:
                continue
            if rng.random() < 0.6:
                token = rng.choice(tokens)
                source = entries[idx].source
                # Same list only: the OFAC and UK lists share many people.
                others = [
                    j for j in by_token[(person, token)] if j != idx and entries[j].source == source
                ]
                if not others:
                    continue
                other = entries[rng.choice(others)].names[0]
                if other.lower() == primary.lower():
                    continue
                negatives.append((other, primary, person, False))
            else:
                numbers = re.findall(r"\d+", primary)
                if numbers and rng.random() < 0.3:
                    num = rng.choice(numbers)
                    changed = primary.replace(num, str(int(num) + rng.randint(1, 9)), 1)
                    negatives.append((changed, primary, person, False))
                    continue
                token = rng.choice(tokens)
                choices = by_length.get(len(token), [])
                if not choices:
                    continue
                new = rng.choice(choices)
                if new == token:
                    continue
                changed = re.sub(token, new, primary, count=1, flags=re.IGNORECASE)
                negatives.append((changed, primary, person, False))
        pairs.extend(positives + negatives)
    return pairs
