"""Screening at the real base rate: false alerts per 1,000 ordinary parties, beside recall.

The release figure for matching (ARCHITECTURE.md, "Judge it at the base rate"). Each query
meets every listed name and almost no customer is listed, so a rule that rescues one
labelled pair can alert for thousands of innocent customers. This benchmark screens, in one
run and against every list of ../shared/data:

* **negatives**: invented persons and companies from many locales, in their own scripts
  and spelling habits (Faker's locales; for Han, Hangul, kana/kanji and Cyrillic names
  also the Latin spelling a Western customer file holds), none of them listed: a name
  whose letters equal a listed name's is dropped and counted, and one that alerts on a
  listed name with exactly its words in another script or legal form (Faker's Russian
  company list holds real companies: "Русснефть" / "PJSC Russneft") is counted apart,
  as a listed name or its exact namesake. Every other one that raises an
  alert at the default threshold is a false alert; the report gives the rate per 1,000
  queries by kind and locale, and the feature that carried each false alert;
* **positives**: listed names changed as real customer files change them (a typo, person
  names reordered or written "LAST, First", the legal form abbreviated or dropped,
  transliterated from their original script, an acronym-free short form) and the
  original-script names of the UN list; recall is the share whose entry is found at the
  default threshold (and, apart, among the candidates at all).

Nothing is fitted on these figures' data: the generators use a fixed seed and the lists.

Usage::

    python bench/base_rate.py [--data ../shared/data] [--persons 20000] [--companies 10000]
        [--positives 750] [--seed 7] [--examples 6] [--json out.json] [--classic-lists]

Needs ``faker`` (a dev dependency: ``pip install -e '.[dev]'``).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_DATA
from anyascii import anyascii
from faker import Faker
from speed import load_entries

from entityscreen.matching import DEFAULT_THRESHOLD, MatchIndex
from entityscreen.matching.types import Match
from entityscreen.model import Entry, NameKind, Party, Schema
from entityscreen.names import analyze_name
from entityscreen.names.tokens import TokenKind

#: Locales and how their names are written in a customer file: "native" only, or also
#: "latin" (the spelling a Western bank's file holds beside, or instead of, the native one).
LOCALES: dict[str, str] = {
    "ar_SA": "native",
    "fa_IR": "native",
    "he_IL": "native",
    "zh_CN": "latin",
    "zh_TW": "latin",
    "ja_JP": "latin",
    "ko_KR": "latin",
    "ru_RU": "latin",
    "uk_UA": "latin",
    "th_TH": "native",
    "hi_IN": "native",
    "bn_BD": "native",
    "el_GR": "latin",
    "tr_TR": "native",
    "az_AZ": "native",
    "es_ES": "native",
    "es_MX": "native",
    "pt_BR": "native",
    "it_IT": "native",
    "de_DE": "native",
    "fr_FR": "native",
    "pl_PL": "native",
    "en_US": "native",
    "en_GB": "native",
    "en_IN": "native",
    "id_ID": "native",
    "vi_VN": "native",
    "yo_NG": "native",
    "sw": "native",
}
#: Thresholds at which the trade-off is also reported.
CURVE = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9)
_HONORIFICS = re.compile(
    r"^(?:mr|mrs|ms|miss|dr|prof|sr|sra|srta|herr|frau|m|mme|mlle|sig|cô|quý ông|bà|ông|anh"
    r"|chị)\.?\s+",
    re.IGNORECASE,
)


def _letters(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if c.isalnum())


def _latin_person(fake: Faker, locale: str, native: str) -> str:
    """How a Western customer file spells a person's native-script name."""
    if locale.startswith("zh"):
        from pypinyin import lazy_pinyin

        family, given = native[:1], native[1:]
        return f"{''.join(lazy_pinyin(family)).title()} {''.join(lazy_pinyin(given)).title()}"
    if locale == "ja_JP":
        romanized = getattr(fake, "romanized_name", None)
        return str(romanized()) if romanized else anyascii(native)
    if locale == "ko_KR":
        family, given = native[:1], native[1:]
        return f"{anyascii(family).title()} {anyascii(given).title()}"
    return anyascii(native)


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    schema: Schema
    locale: str
    script: str  # "native" or "latin"


def negatives(persons: int, companies: int, seed: int) -> Iterator[Query]:
    """Invented parties, evenly over the locales (persons then companies)."""
    fakers = {}
    for i, locale in enumerate(LOCALES):
        fake = Faker(locale)
        fake.seed_instance(seed * 1000 + i)
        fakers[locale] = fake
    rng = random.Random(seed)
    locales = list(LOCALES)
    for n, kind in ((persons, Schema.PERSON), (companies, Schema.ORGANIZATION)):
        for k in range(n):
            locale = locales[k % len(locales)]
            fake = fakers[locale]
            name = fake.name() if kind is Schema.PERSON else fake.company()
            if kind is Schema.PERSON and rng.random() < 0.5:
                name = _HONORIFICS.sub("", name)
            script = "native"
            if LOCALES[locale] == "latin" and rng.random() < 0.5:
                name = (
                    _latin_person(fake, locale, name) if kind is Schema.PERSON else anyascii(name)
                )
                script = "latin"
            yield Query(name.strip(), kind, locale, script)


# --- positives ---------------------------------------------------------------------------

_LEGAL_ABBREVIATIONS = [
    (r"\bcompany\b", "Co"),
    (r"\blimited\b", "Ltd"),
    (r"\bcorporation\b", "Corp"),
    (r"\bincorporated\b", "Inc"),
    (r"\bincorporated\b", "Inc"),
    (r"\binternational\b", "Intl"),
    (r"\btechnology\b", "Tech"),
    (r"\bgroup\b", "Grp"),
]
_LEGAL_TAIL = re.compile(
    r"[,\s]+(?:co\.?,?\s*ltd\.?|ltd\.?|llc|l\.l\.c\.|inc\.?|corp\.?|gmbh|s\.a\.|sa|jsc|ooo|"
    r"pjsc|limited|company|corporation)\s*$",
    re.IGNORECASE,
)


def _typo(rng: random.Random, name: str) -> str | None:
    words = [w for w in name.split() if len(w) >= 5 and w.isalpha()]
    if not words:
        return None
    word = rng.choice(words)
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(("swap", "drop", "double", "replace"))
    if op == "swap":
        new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif op == "drop":
        new = word[:i] + word[i + 1 :]
    elif op == "double":
        new = word[:i] + word[i] + word[i:]
    else:
        new = word[:i] + rng.choice("aeiou") + word[i + 1 :]
    return name.replace(word, new, 1) if new != word else None


def _reordered(name: str) -> str | None:
    words = name.replace(",", " ").split()
    if len(words) < 2:
        return None
    if "," in name:  # "LAST, First" -> "First LAST"
        last, _, first = name.partition(",")
        return f"{first.strip()} {last.strip()}"
    return f"{words[-1]}, {' '.join(words[:-1])}"


def _abbreviated(name: str) -> str | None:
    for pattern, short in _LEGAL_ABBREVIATIONS:
        if re.search(pattern, name, re.IGNORECASE):
            return re.sub(pattern, short, name, count=1, flags=re.IGNORECASE)
    stripped = _LEGAL_TAIL.sub("", name)
    return stripped if stripped != name and len(stripped.split()) >= 2 else None


def _transliterated(name: str) -> str | None:
    """A non-Latin listed name as a customer file writes it in Latin letters: pinyin by
    syllable for Han, the common romanisation for Cyrillic, Greek and Hangul. Abjads and
    Brahmic scripts are left to the "original script" positives: their machine
    romanisations (vowelless) are not what a customer file holds."""
    if _is_latin(name):
        return None
    if any("\u4e00" <= c <= "\u9fff" for c in name):
        from pypinyin import lazy_pinyin

        return " ".join(s.title() for s in lazy_pinyin(name) if s.strip())
    if any("\u0600" <= c <= "\u08ff" or "\u0590" <= c <= "\u05ff" for c in name):
        return None
    if any("\u0900" <= c <= "\u0dff" or "\u1000" <= c <= "\u109f" for c in name):
        return None
    if any("\uac00" <= c <= "\ud7a3" for c in name):
        return " ".join(anyascii(c).title() for c in name if c.strip())
    return anyascii(name)


def _is_latin(text: str) -> bool:
    return all(ord(c) < 0x250 for c in text if c.isalpha())


@dataclass(frozen=True, slots=True)
class Positive:
    name: str
    schema: Schema
    entry_id: str
    how: str


def positives(entries: list[Entry], n: int, seed: int) -> list[Positive]:
    """Listed names changed as customer files change them; ``n`` per kind of change."""
    rng = random.Random(seed)
    usable = [e for e in entries if e.names and e.schema in (Schema.PERSON, Schema.ORGANIZATION)]
    out: list[Positive] = []
    makers = {
        "typo": lambda name: _typo(rng, name),
        "reordered": _reordered,
        "abbreviated": _abbreviated,
        "transliterated": _transliterated,
    }
    for how, make in makers.items():
        made = 0
        tries = 0
        while made < n and tries < 50 * n:
            tries += 1
            entry = rng.choice(usable)
            if how == "reordered" and entry.schema is not Schema.PERSON:
                continue
            if how == "abbreviated" and entry.schema is Schema.PERSON:
                continue
            names = [nm for nm in entry.names if nm.kind is not NameKind.WEAK]
            if how == "transliterated":
                names = [nm for nm in names if not _is_latin(nm.value)]
            if not names:
                continue
            base = rng.choice(names).value
            if len(_letters(base)) < 4:
                continue
            # A person's one-word name alerts only as the exact name (matching 0.4's rule
            # for nicknames and single given names): no typo'd or reordered variant of it
            # is a positive.
            if entry.schema is Schema.PERSON and len(base.split()) < 2 and how != "transliterated":
                continue
            changed = make(base)
            if not changed or _letters(changed) == "":
                continue
            out.append(Positive(changed, entry.schema, entry.id, how))
            made += 1
    # The UN list's names in their original script, as written there.
    originals = [
        (e, nm.value)
        for e in entries
        if e.source == "un_sc"
        for nm in e.names
        if nm.kind is NameKind.ORIGINAL_SCRIPT
    ]
    for entry, value in rng.sample(originals, min(n, len(originals))):
        out.append(Positive(value, entry.schema, entry.id, "original script"))
    return out


# --- what carried an alert -----------------------------------------------------------------


_WORDS = (TokenKind.WORD, TokenKind.NUMBER, TokenKind.INITIAL)


def _words(name: str, person: bool) -> list[str] | None:
    """The words of a name as matching reads them, legal forms and particles aside."""
    try:
        form = analyze_name(name, person=person).forms[0]
    except Exception:  # a name the analyser refuses is never "the same words"
        return None
    return sorted(t.text for t in form.tokens if t.kind in _WORDS)


def same_words(query: str, entry: Entry, person: bool) -> bool:
    """Whether the query has exactly the words of one of the entry's names, in another
    script or with another legal form ("Русснефть" / "PJSC Russneft", "Benson PLC" /
    "Benson"): a listed name, or its exact namesake, that no name matcher may stay
    silent on. Such a generated name is counted apart, not as a false alert."""
    words = _words(query, person)
    if not words:
        return False
    return any(_words(nm.value, person) == words for nm in entry.names)


def cause(match: Match) -> str:
    """The feature that carried a (false) alert, from the match's features."""
    f = match.features
    named = f.get("top_feature")
    if isinstance(named, str) and named:
        return named
    rules = str(f.get("rules", ""))
    if "acronym" in rules:
        return "acronym"
    if "consonants" in rules or "skeleton" in rules:
        return "consonant skeleton"
    if "typo" in rules or "spelling" in rules:
        return "typo similarity"
    if float(f.get("listed_only", 0)) == 0 and float(f.get("query_only", 0)) > 0:
        return "listed name inside query"
    return "token agreement"


def run(args: argparse.Namespace) -> dict[str, object]:
    t0 = time.perf_counter()
    entries, described = load_entries(args.data, every_list=not args.classic_lists)
    index = MatchIndex.build(entries)
    build_s = time.perf_counter() - t0
    # A generated name that is a listed name, in its script or spelled in Latin letters, is
    # no invented party: it is dropped (and counted), not scored as a false alert.
    listed_letters = {_letters(nm.value) for e in entries for nm in e.names}
    listed_letters |= {_letters(anyascii(nm.value)) for e in entries for nm in e.names}
    by_id = {e.id: e for e in entries}

    total: Counter[tuple[str, str]] = Counter()
    alerted: Counter[tuple[str, str]] = Counter()
    causes: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    top_scores: dict[str, list[float]] = defaultdict(list)
    dropped = 0
    same_named: Counter[str] = Counter()
    t1 = time.perf_counter()
    for query in negatives(args.persons, args.companies, args.seed):
        spellings = {_letters(query.name), _letters(anyascii(query.name))}
        if not query.name or spellings & listed_letters:
            dropped += 1
            continue
        kind = query.schema.value
        total[(kind, query.locale)] += 1
        matches = index.screen(
            Party(name=query.name, schema=query.schema), limit=1, threshold=min(CURVE)
        )
        top = matches[0].score if matches else 0.0
        if top >= DEFAULT_THRESHOLD and same_words(
            query.name, by_id[matches[0].entry_id], query.schema is Schema.PERSON
        ):
            total[(kind, query.locale)] -= 1
            same_named[kind] += 1
            continue
        top_scores[kind].append(top)
        if top >= DEFAULT_THRESHOLD:
            best = matches[0]
            alerted[(kind, query.locale)] += 1
            why = cause(best)
            causes[why] += 1
            if len(examples[why]) < args.examples:
                examples[why].append(
                    f"    {best.score:.2f} {query.name!r} ({query.locale}) -> "
                    f"{best.matched_name!r} [{best.list}]"
                )
    negatives_s = time.perf_counter() - t1

    pos = positives(entries, args.positives, args.seed + 1)
    found: Counter[str] = Counter()
    candidate_found: Counter[str] = Counter()
    pos_total: Counter[str] = Counter()
    misses: dict[str, list[str]] = defaultdict(list)
    candidate_misses: list[str] = []
    target_scores: list[float] = []
    for p in pos:
        pos_total[p.how] += 1
        party = Party(name=p.name, schema=p.schema)
        hits = index.screen(party, limit=50, threshold=min(CURVE))
        target = max((m.score for m in hits if m.entry_id == p.entry_id), default=0.0)
        target_scores.append(target)
        if target >= DEFAULT_THRESHOLD:
            found[p.how] += 1
        elif len(misses[p.how]) < 8:
            listed = by_id[p.entry_id].primary_name
            misses[p.how].append(f"    {p.name!r} -> {listed!r}")
        if p.entry_id in index.candidates(party, limit=50):
            candidate_found[p.how] += 1
        else:
            listed = by_id[p.entry_id].primary_name
            candidate_misses.append(f"    {p.how}: {p.name!r} -> {listed!r}")

    kinds = sorted({k for k, _ in total})
    curve = {
        f"{t:.2f}": {
            **{
                kind: round(1000 * sum(x >= t for x in top_scores[kind]) / len(top_scores[kind]), 2)
                for kind in kinds
            },
            "recall": round(sum(x >= t for x in target_scores) / len(target_scores), 4),
        }
        for t in CURVE
    }
    report: dict[str, object] = {
        "lists": described,
        "entries": len(entries),
        "names": index.name_count,
        "threshold": DEFAULT_THRESHOLD,
        "build_s": round(build_s, 2),
        "negatives_s": round(negatives_s, 2),
        "dropped_listed": dropped,
        "same_words_as_listed": dict(same_named),
        "false_alerts": {
            kind: {
                "queries": sum(v for (k, _), v in total.items() if k == kind),
                "alerts": sum(v for (k, _), v in alerted.items() if k == kind),
            }
            for kind in kinds
        },
        "by_locale": {
            f"{kind}/{loc}": [alerted[(kind, loc)], total[(kind, loc)]]
            for kind in kinds
            for loc in LOCALES
            if total[(kind, loc)]
        },
        "causes": dict(causes.most_common()),
        "curve": curve,
        "recall": {how: [found[how], pos_total[how]] for how in pos_total},
        "candidate_recall": {how: [candidate_found[how], pos_total[how]] for how in pos_total},
    }
    print(f"lists: {described}; {len(entries)} entries, {index.name_count} names")
    print(f"threshold {DEFAULT_THRESHOLD}; {dropped} generated names equal a listed name (dropped)")
    print(
        "generated names with exactly the words of a listed name, in another script or with "
        f"another legal form (alert, counted apart): {dict(same_named)}"
    )
    print("\nFalse alerts (at least one match), per 1,000 queries:")
    for kind in kinds:
        fa = report["false_alerts"][kind]  # type: ignore[index]
        print(
            f"  {kind:13s} {fa['alerts']:5d} / {fa['queries']:6d} = "
            f"{1000 * fa['alerts'] / fa['queries']:.1f} per 1,000"
        )
    print("\nBy locale (per 1,000):")
    for kind in kinds:
        cells = [
            f"{loc} {1000 * alerted[(kind, loc)] / total[(kind, loc)]:.0f}"
            for loc in LOCALES
            if total[(kind, loc)]
        ]
        print(f"  {kind}: " + ", ".join(cells))
    print("\nWhat carried the false alerts:")
    for why, count in causes.most_common():
        print(f"  {count:5d} {why}")
        print("\n".join(examples[why][: args.examples]))
    print("\nRecall on generated positives (found at the threshold / candidates):")
    all_found = sum(found.values())
    all_total = sum(pos_total.values())
    for how in pos_total:
        print(
            f"  {how:16s} {found[how] / pos_total[how]:.3f} ({found[how]}/{pos_total[how]}); "
            f"candidates {candidate_found[how] / pos_total[how]:.3f}"
        )
        if misses[how] and args.examples:
            print("\n".join(misses[how]))
    print(f"  all              {all_found / all_total:.3f} ({all_found}/{all_total})")
    if candidate_misses:
        print("Generated positives not among the candidates (limit 50):")
        print("\n".join(candidate_misses))
    print("\nAt other thresholds (false alerts per 1,000 by kind; recall on all positives):")
    for t, row in curve.items():
        cells = ", ".join(f"{k} {v}" for k, v in row.items())
        print(f"  {t}: {cells}")
    print(f"\nindex build {build_s:.1f} s; negatives screened in {negatives_s:.1f} s")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--positives", type=int, default=750, help="per kind of change")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--examples", type=int, default=6)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--classic-lists",
        action="store_true",
        help="only the lists matching 0.3 read (to compare with its figures)",
    )
    args = parser.parse_args()
    report = run(args)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
