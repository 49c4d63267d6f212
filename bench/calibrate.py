"""Fit the score calibration and the default threshold on pairs generated from the lists.

No evaluation set is read here. Labelled pairs are *generated* from the OFAC SDN list
(2023-12-28: ``sdn.csv`` with its aliases ``alt.csv``) and the UK sanctions list
(``subject_names.csv``), both in the shared data folder:

Positives (a listed name against a variant of itself)
    * the name with one or two random edits of these kinds: a typo in a word of 5+ letters
      (substitution, deletion, insertion, transposition), a legal form dropped or written
      another way (Ltd/Limited, Co./Company, LLC/Limited Liability Company, ...), a word
      abbreviated (from the abbreviation table), words joined or hyphenated, punctuation
      and accents removed, upper/lower case; for persons also "LAST, First" order, a middle
      name dropped, a given name reduced to its initial, a title added;
    * an alias of the same entry that is a spelling variant of the name (token sort ratio
      at least 70: real transliteration and order variants published by OFAC/UK).

Negatives (a listed name against something else)
    * another entry's name of the same kind that shares a token with it (the hard
      negatives a screening tool meets: same given name, same "Trading Company");
    * the name with one identifying word replaced by another listed word of similar
      length, or a number changed (a sister company, a sister ship, a namesake).

Then, separately for persons and for everything else, a logistic regression of the label
on ``logit(raw score)`` gives the Platt slope ``a``; the intercept ``b`` is then set so that
the raw threshold with the best F1 for that kind maps to the calibrated score 0.70, which
is the default threshold. The threshold thus means the same thing for persons and for
organisations: the F1-best boundary on generated data of that kind. Use ``--write`` to
store the result in ``entityscreen/matching/calibration.py``.

Usage::

    python bench/calibrate.py [--data ../shared/data] [--pairs 6000] [--seed 7] [--write]
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_DATA, best_threshold, metrics_at

from entityscreen.errors import InputError
from entityscreen.matching import calibration
from entityscreen.matching.rarity import default_rarity
from entityscreen.matching.scorer import score_analyses
from entityscreen.names import analyze_name, lexicon

CALIBRATION_FILE = Path(calibration.__file__)

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
#: The calibrated score that each kind's F1-best raw threshold is mapped to.
TARGET_THRESHOLD = 0.7


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


def perturb(name: str, person: bool, rng: random.Random) -> str:
    """A realistic variant of ``name`` (one or two edits, see module docstring)."""
    words = name.replace(",", " , ").split()
    ops = ["typo", "case", "punct", "accents", "join"]
    ops += ["order", "drop_middle", "initial", "title"] if person else ["legal", "abbrev"]
    for op in rng.sample(ops, k=rng.choice([1, 1, 2])):
        plain = [i for i, w in enumerate(words) if w.isalpha() and len(w) >= 5]
        if op == "typo" and plain:
            i = rng.choice(plain)
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


def generate(data: Path, n: int, seed: int) -> list[tuple[str, str, bool, bool]]:
    """``(name1, name2, person, is_match)`` pairs, positives and negatives 1:1 per kind."""
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
                variant = perturb(primary, person, rng)
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


def raw_scores(pairs: list[tuple[str, str, bool, bool]]) -> list[float]:
    rarity = default_rarity()
    out: list[float] = []
    for a, b, person, _ in pairs:
        try:
            outcome = score_analyses(
                analyze_name(a, person=person), analyze_name(b, person=person), rarity
            )
            out.append(outcome.raw)
        except InputError:
            out.append(0.0)
    return out


def fit_platt(raws: list[float], labels: list[bool]) -> tuple[float, float]:
    """Logistic regression of the label on logit(raw), by damped Newton steps.

    A light ridge penalty pulls ``(a, b)`` towards the identity ``(1, 0)`` and keeps the
    fit finite when the generated pairs are nearly separable.
    """
    eps = 1e-4
    xs = [math.log(min(max(r, eps), 1 - eps) / (1 - min(max(r, eps), 1 - eps))) for r in raws]
    ys = [1.0 if y else 0.0 for y in labels]
    ridge = 1.0

    def sigmoid(z: float) -> float:
        z = max(-35.0, min(35.0, z))
        return 1.0 / (1.0 + math.exp(-z))

    def loss(a: float, b: float) -> float:
        total = 0.5 * ridge * ((a - 1.0) ** 2 + b**2)
        for x, y in zip(xs, ys, strict=True):
            p = min(max(sigmoid(a * x + b), 1e-12), 1 - 1e-12)
            total -= y * math.log(p) + (1 - y) * math.log(1 - p)
        return total

    a, b = 1.0, 0.0
    current = loss(a, b)
    for _ in range(100):
        ga, gb = ridge * (a - 1.0), ridge * b
        haa, hab, hbb = ridge, 0.0, ridge
        for x, y in zip(xs, ys, strict=True):
            p = sigmoid(a * x + b)
            w = p * (1 - p)
            ga += (p - y) * x
            gb += p - y
            haa += w * x * x
            hab += w * x
            hbb += w
        det = haa * hbb - hab * hab
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        step = 1.0
        while step > 1e-6:
            na, nb = a - step * da, b - step * db
            new = loss(na, nb)
            if new <= current:
                break
            step /= 2
        if step <= 1e-6 or current - new < 1e-9:
            break
        a, b, current = na, nb, new
    return max(a, 0.05), b


def write_constants(
    person: tuple[float, float], other: tuple[float, float], threshold: float
) -> None:
    text = CALIBRATION_FILE.read_text(encoding="utf-8")
    text = re.sub(
        r"PERSON_CALIBRATION = \(.*?\)",
        f"PERSON_CALIBRATION = ({person[0]:.4f}, {person[1]:.4f})",
        text,
    )
    text = re.sub(
        r"OTHER_CALIBRATION = \(.*?\)",
        f"OTHER_CALIBRATION = ({other[0]:.4f}, {other[1]:.4f})",
        text,
    )
    text = re.sub(r"DEFAULT_THRESHOLD = [0-9.]+", f"DEFAULT_THRESHOLD = {threshold:.2f}", text)
    CALIBRATION_FILE.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pairs", type=int, default=8000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write", action="store_true", help="update calibration.py")
    parser.add_argument("--show", type=int, default=0, help="print N misclassified pairs")
    args = parser.parse_args()
    pairs = generate(args.data, args.pairs, args.seed)
    raws = raw_scores(pairs)
    params: dict[bool, tuple[float, float]] = {}
    target = TARGET_THRESHOLD
    for person in (True, False):
        idx = [i for i, p in enumerate(pairs) if p[2] is person]
        slope, intercept = fit_platt([raws[i] for i in idx], [pairs[i][3] for i in idx])
        m = best_threshold([raws[i] for i in idx], [pairs[i][3] for i in idx])
        # Keep the fitted slope; shift so that this kind's best raw threshold lands on the
        # common target: the default threshold then means the same for both kinds.
        t = min(max(m.threshold - 1e-6, 1e-6), 1 - 1e-6)
        shifted = math.log(target / (1 - target)) - slope * math.log(t / (1 - t))
        params[person] = (slope, shifted)
        kind = "persons" if person else "others"
        print(
            f"{kind}: {len(idx)} pairs, Platt a={slope:.4f} b={intercept:.4f}; raw best "
            f"threshold {m.threshold:.3f} (F1 {m.f1:.3f}) -> b={shifted:.4f}"
        )
    calibrated = []
    for (_, _, person, _), raw in zip(pairs, raws, strict=True):
        a, b = params[person]
        r = min(max(raw, 1e-9), 1 - 1e-9)
        z = max(-35.0, min(35.0, a * math.log(r / (1 - r)) + b))
        calibrated.append(1.0 if raw >= 1.0 else 1 / (1 + math.exp(-z)))
    labels = [p[3] for p in pairs]
    threshold = target
    m = metrics_at(calibrated, labels, threshold)
    print(
        f"pooled at DEFAULT_THRESHOLD {threshold:.2f}: "
        f"P {m.precision:.3f} R {m.recall:.3f} F1 {m.f1:.3f}"
    )
    for person in (True, False):
        idx = [i for i, p in enumerate(pairs) if p[2] is person]
        mm = metrics_at([calibrated[i] for i in idx], [labels[i] for i in idx], threshold)
        print(
            f"  {'persons' if person else 'others'} at {threshold:.2f}: "
            f"P {mm.precision:.3f} R {mm.recall:.3f} F1 {mm.f1:.3f}"
        )
    if args.show:
        shown = 0
        for (a, b, person, y), s in zip(pairs, calibrated, strict=True):
            if (s >= threshold) != y and shown < args.show:
                print(f"  {'FN' if y else 'FP'} {s:.3f} {'P' if person else 'O'} {a!r} vs {b!r}")
                shown += 1
    if args.write:
        write_constants(params[True], params[False], threshold)
        print(f"written to {CALIBRATION_FILE}")


if __name__ == "__main__":
    main()
