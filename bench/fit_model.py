"""Fit the match model's feature weights on pairs generated at the real base rate.

The score of a match is a logistic model of named features
(:mod:`entityscreen.matching.features`). This script fits its weights and writes them to
``entityscreen/matching/data/model.json`` (with ``--write``). The training data are made
here, with seeds of their own, never read from the labelled evaluation sets:

* **negatives**: invented customers (Faker's locales, seed ``--seed``, which differs from
  ``bench/base_rate.py``'s; and names made of syllables, ``bench/parties.py``) screened
  against every list: every candidate the index scores for them is a negative, exactly as
  a screening run meets them;
* **positives**: listed names changed as customer files change them
  (``generate_pairs.perturb``: typos, order, dropped middle names, initials, legal forms,
  abbreviations, joins, case, accents), listed names written in Latin letters from their
  script, and published aliases; the outcome against the listed entry they came from is a
  positive.

Positives and negatives get equal total weight (``--positive-share``), so the score reads
as the probability that a candidate is the party, with even prior odds: the prior of a
real screening run is far lower, and the default threshold (0.70) is where that balanced
probability sits. The fit is an L2-regularised logistic regression (scikit-learn, a bench
dependency only); it prints the weights, and the recall and false-candidate rate on its
own training data.

Usage::

    python bench/fit_model.py [--data ../shared/data] [--negatives 12000] [--positives 6000]
        [--seed 1001] [--min-scale S] [--misspell] [--only FEATURE,...] [--cache F] [--write]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from _common import DEFAULT_DATA
from anyascii import anyascii
from base_rate import negatives as faker_negatives
from generate_pairs import generate, perturb
from parties import invented_party
from scipy.optimize import minimize
from speed import load_entries

from entityscreen.errors import InputError
from entityscreen.matching import MatchIndex
from entityscreen.matching import features as F
from entityscreen.matching.calibration import calibrate
from entityscreen.matching.scorer import score_analyses
from entityscreen.model import Entry, NameKind, Party, Schema
from entityscreen.names import analyze_name

#: Marks a positive whose match must be another name of the entry than the query itself.
CROSS = "cross:"
MODEL_FILE = Path(F.__file__).parent / "data" / "model.json"


def _is_latin(text: str) -> bool:
    return all(ord(c) < 0x250 for c in text if c.isalpha())


def positive_queries(
    entries: list[Entry], n: int, rng: random.Random, *, misspell: bool = False
) -> list[tuple[Party, str]]:
    usable = [e for e in entries if e.schema in (Schema.PERSON, Schema.ORGANIZATION)]
    out: list[tuple[Party, str]] = []
    # Names in their own script (UN, EU, UK lists), as the query against the entry's other
    # names: the cross-script positives (a tenth of the positives).
    scripted = [
        (e, nm.value)
        for e in usable
        for nm in e.names
        if not _is_latin(nm.value) and any(_is_latin(o.value) for o in e.names)
    ]
    for entry, value in rng.sample(scripted, min(len(scripted), n // 10)):
        out.append((Party(name=value, schema=entry.schema), f"{CROSS}{entry.id}"))
    while len(out) < n:
        entry = rng.choice(usable)
        names = [nm.value for nm in entry.names if nm.kind is not NameKind.WEAK]
        if not names:
            continue
        name = rng.choice(names)
        person = entry.schema is Schema.PERSON
        roll = rng.random()
        if roll < 0.15 and not _is_latin(name):
            query = anyascii(name)
        elif roll < 0.25:
            query = name
        else:
            query = perturb(name, person, rng, misspell=misspell)
        schema = entry.schema if rng.random() < 0.8 else Schema.UNKNOWN
        out.append((Party(name=query, schema=schema), entry.id))
    return out


def negative_queries(n: int, seed: int) -> list[Party]:
    rng = random.Random(seed)
    out: list[Party] = []
    faker_n = int(n * 0.8)
    for q in faker_negatives(faker_n * 2 // 3, faker_n // 3, seed):
        schema = q.schema if rng.random() < 0.8 else Schema.UNKNOWN
        out.append(Party(name=q.name, schema=schema))
    while len(out) < n:
        name, schema = invented_party(rng)
        out.append(Party(name=name, schema=Schema(schema)))
    return out


def _base_logit(raw: float, schema: Schema) -> float:
    return F.base_logit(calibrate(raw, person=schema is Schema.PERSON))


def fit_penalties(
    offset: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray,
    l2: float,
    person: np.ndarray,
    min_scale: float,
    held: dict[int, float] | None = None,
    held_start: tuple[float, float, float] | None = None,
) -> tuple[float, float, float, np.ndarray]:
    """Weighted logistic regression with an offset, every coefficient and the bias held
    at or below zero (the model only lowers the base score), L2-regularised; a positive
    offset (the base logit) is scaled by a fitted factor in [min_scale, 1], one for
    persons and one for everything else (``Model.base_scale``).

    ``held``: coefficients (by column) kept at the given values, with the bias and both
    scales at ``held_start``; only the other coefficients are fitted (``--only``)."""
    positive = offset > 0

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        s_other, s_person = params[1], params[2]
        scale = np.where(person > 0, s_person, s_other)
        base = np.where(positive, offset * scale, offset)
        z = base + params[0] + x @ params[3:]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))
        eps = 1e-12
        value = -np.sum(weights * (y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)))
        value += l2 * np.sum(params[3:] ** 2)
        residual = weights * (p - y)
        scaled = np.where(positive, offset, 0.0) * residual
        grad = np.concatenate(
            [
                [residual.sum()],
                [scaled[person == 0].sum(), scaled[person > 0].sum()],
                x.T @ residual + 2 * l2 * params[3:],
            ]
        )
        return float(value), grad

    start = np.zeros(x.shape[1] + 3)
    start[1:3] = 1.0
    bounds: list[tuple[float | None, float | None]] = [
        (None, 0.0),
        (min_scale, 1.0),
        (min_scale, 1.0),
    ] + [(None, 0.0)] * x.shape[1]
    if held is not None and held_start is not None:
        for i, value in enumerate(held_start):
            start[i] = value
            bounds[i] = (value, value)
        for column, value in held.items():
            start[3 + column] = value
            bounds[3 + column] = (value, value)
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds)
    return float(result.x[0]), float(result.x[1]), float(result.x[2]), result.x[3:]


def collect(
    index: MatchIndex, parties: list[tuple[Party, str | None]], listed: set[str], hard: int
) -> tuple[list[list[float]], list[int]]:
    rows: list[list[float]] = []
    labels: list[int] = []
    keys = list(F.FEATURES)
    for party, target in parties:
        if target is None and party.name.casefold() in listed:
            continue
        try:
            results = list(index.scored(party))
        except InputError:
            continue
        if target is None:
            # The candidates that decide whether an innocent party alerts are its best
            # ones: the hardest few per query, not every weak candidate, are the negatives.
            ranked = sorted(
                ((e, r) for e, _, r in results if r.outcome.raw > 0 and r.values),
                key=lambda er: -er[1].outcome.raw,
            )
            for e, result in ranked[:hard]:
                rows.append(
                    [_base_logit(result.outcome.raw, index.entry_schemas[e])]
                    + [result.values[k] for k in keys]
                )
                labels.append(0)
            continue
        best = None
        best_entry = 0
        other_name = target.startswith(CROSS)
        target = target.removeprefix(CROSS)
        for e, name_id, result in results:
            if other_name and index.name_texts[name_id] == party.name:
                continue
            better = best is None or result.outcome.raw > best.outcome.raw
            if index.entry_ids[e] == target and result.outcome.raw > 0 and better:
                best, best_entry = result, e
        if best is not None and best.values:
            rows.append(
                [_base_logit(best.outcome.raw, index.entry_schemas[best_entry])]
                + [best.values[k] for k in keys]
            )
            labels.append(1)
    return rows, labels


def pair_rows(
    index: MatchIndex, data: Path, n: int, seed: int, *, misspell: bool = False
) -> tuple[list[list[float]], list[int]]:
    """Labelled name pairs generated from the lists (``generate_pairs.generate``): a
    listed name against its variants, and against the near names that are *other*
    parties (namesakes, sister companies, one word or number changed)."""
    rows: list[list[float]] = []
    labels: list[int] = []
    keys = list(F.FEATURES)
    for name1, name2, person, label in generate(data, n, seed, misspell=misspell):
        schema = Schema.PERSON if person else Schema.ORGANIZATION
        try:
            left = analyze_name(name1, person=person)
            right = analyze_name(name2, person=person)
        except InputError:
            continue
        outcome = score_analyses(left, right, index.rarity)
        if outcome.raw <= 0:
            continue
        values, _ = F.extract(
            outcome, F.Context(party_schema=schema, entry_schema=schema, rarity=index.rarity)
        )
        rows.append([_base_logit(outcome.raw, schema)] + [values[k] for k in keys])
        labels.append(int(label))
    return rows, labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--negatives", type=int, default=12000)
    parser.add_argument("--positives", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=1001)
    parser.add_argument("--positive-share", type=float, default=0.5)
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty on the weights")
    parser.add_argument("--hard", type=int, default=5, help="negatives kept per query")
    parser.add_argument(
        "--pairs", type=int, default=8000, help="labelled pairs from generate_pairs"
    )
    parser.add_argument(
        "--min-scale",
        type=float,
        default=1.0,
        help="lowest factor the fit may put on a positive base logit (1: none)",
    )
    parser.add_argument(
        "--cache", type=Path, help="save the training rows here, or read them if there"
    )
    parser.add_argument(
        "--misspell",
        action="store_true",
        help="positives also misspell words of four letters or more (vowels, doubles, "
        "letters alike: generate_pairs._misspell), as customer files spell names",
    )
    parser.add_argument(
        "--only",
        help="comma-separated features whose weights are fitted; the rest, the bias and "
        "the scales are held at the shipped model's",
    )
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if args.cache and args.cache.is_file():
        saved = np.load(args.cache)
        data, y = saved["data"], saved["y"]
        described = str(saved["described"])
    else:
        entries, described = load_entries(args.data, every_list=True)
        index = MatchIndex.build(entries)
        listed = {nm.value.casefold() for e in entries for nm in e.names}
        rng = random.Random(args.seed)
        pos = positive_queries(entries, args.positives, rng, misspell=args.misspell)
        neg = negative_queries(args.negatives, args.seed)
        items: list[tuple[Party, str | None]] = [(p, t) for p, t in pos]
        items += [(p, None) for p in neg]
        rows, labels = collect(index, items, listed, args.hard)
        if args.pairs:
            more_rows, more_labels = pair_rows(
                index, args.data, args.pairs, args.seed, misspell=args.misspell
            )
            rows += more_rows
            labels += more_labels
        data = np.array(rows)
        y = np.array(labels, dtype=float)
        if args.cache:
            np.savez(args.cache, data=data, y=y, described=described)
    offset, x = data[:, 0], data[:, 1:]
    n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
    share = args.positive_share
    weights = np.where(y == 1, share / n_pos, (1 - share) / n_neg) * len(y)
    keys = list(F.FEATURES)
    person = x[:, keys.index("person")]
    held: dict[int, float] | None = None
    held_start: tuple[float, float, float] | None = None
    if args.only:
        # Fit only the named features' weights, every other weight, the bias and the
        # scales held at the shipped model's: a new feature is weighed without moving
        # what the base rate was measured on.
        only = set(args.only.split(","))
        unknown = only - set(keys)
        if unknown:
            parser.error(f"unknown features: {sorted(unknown)}")
        shipped = F.default_model()
        held = {i: shipped.weights.get(k, 0.0) for i, k in enumerate(keys) if k not in only}
        held_start = (shipped.bias, shipped.base_scale, shipped.person_base_scale)
    bias_fit, s_other, s_person, coef = fit_penalties(
        offset, x, y, weights, args.l2, person, args.min_scale, held, held_start
    )
    fitted = {k: round(float(w), 4) for k, w in zip(keys, coef, strict=True)}
    bias = round(bias_fit, 4)
    s_other, s_person = round(s_other, 4), round(s_person, 4)
    scale = np.where(person > 0, s_person, s_other)
    z = np.where(offset > 0, offset * scale, offset) + bias_fit + x @ coef
    prob = 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))
    base_prob = 1.0 / (1.0 + np.exp(-np.clip(offset, -40, 40)))
    at = prob >= F.DEFAULT_THRESHOLD
    base_at = base_prob >= F.DEFAULT_THRESHOLD
    print(f"lists: {described}; training rows: {n_pos} positive, {n_neg} negative")
    print(f"bias {bias}; base scale {s_other} (persons {s_person})")
    for k, w in fitted.items():
        print(f"  {k:16s} {w:+.3f}")
    print(
        f"on its training rows at {F.DEFAULT_THRESHOLD}: recall {at[y == 1].mean():.3f} "
        f"(base score alone {base_at[y == 1].mean():.3f}), negative rows above "
        f"{at[y == 0].mean():.4f} (base score alone {base_at[y == 0].mean():.4f})"
    )
    if args.write:
        data = {
            "version": "0.4",
            "fitted_by": "bench/fit_model.py",
            "seed": args.seed,
            "training_rows": {"positive": n_pos, "negative": n_neg},
            "positive_share": share,
            "l2": args.l2,
            "hard_negatives_per_query": args.hard,
            "generated_pairs": args.pairs,
            "misspellings": args.misspell,
            "fitted_only": sorted(args.only.split(",")) if args.only else "all",
            "bias": bias,
            "base_scale": s_other,
            "person_base_scale": s_person,
            "weights": fitted,
        }
        MODEL_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"written to {MODEL_FILE}")


if __name__ == "__main__":
    main()
