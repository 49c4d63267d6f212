"""``entityscreen screen`` and ``compare``: one party, or one pair of names."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import InputError
from ..model import Schema, parse_schema, party_from_input
from .app import (
    AsOfOption,
    HomeOption,
    ListsOption,
    SchemaOption,
    ThresholdOption,
    err,
    open_screener,
    out,
    parse_day,
    print_json,
    split_lists,
)

AlgorithmOption = Annotated[
    str | None,
    typer.Option(
        "--algorithm",
        help="entityscreen (default) or ofac: the score of OFAC's Sanctions List Search "
        "(threshold 0.80 unless given; docs/matching.md).",
    ),
]


def screen(
    name: Annotated[str, typer.Argument(help="The name to screen.")],
    home: HomeOption = None,
    country: Annotated[str | None, typer.Option(help="Party's country (ISO code or name).")] = None,
    address: Annotated[
        str | None, typer.Option(help="Party's address (for embargo flags).")
    ] = None,
    party_id: Annotated[
        str | None, typer.Option("--id", help="Party's own id (links it to ownership edges).")
    ] = None,
    birth_date: Annotated[
        str | None,
        typer.Option("--birth-date", help="Party's birth date: YYYY, YYYY-MM or YYYY-MM-DD."),
    ] = None,
    id_numbers: Annotated[
        list[str] | None,
        typer.Option(
            "--id-number", help="Passport, national id, registration or IMO number (repeatable)."
        ),
    ] = None,
    schema: SchemaOption = None,
    lists: ListsOption = None,
    threshold: ThresholdOption = None,
    as_of: AsOfOption = None,
    limit: Annotated[int, typer.Option(help="Most matches shown.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")] = False,
    algorithm: AlgorithmOption = None,
) -> None:
    """Screen one name against every loaded list, with what each hit means.

    A birth date and identifiers, when given, are evidence: agreement with the listed
    entry raises the score, a birth year more than a year apart lowers it.
    """
    party = party_from_input(
        name,
        id=party_id,
        country=country,
        address=address,
        schema=schema,
        birth_date=birth_date,
        identifiers=id_numbers,
    )
    day = parse_day(as_of)
    with open_screener(home) as screener:
        result = screener.screen(
            party,
            threshold=threshold,
            limit=limit,
            lists=split_lists(lists),
            as_of=day,
            algorithm=algorithm,
        )
    if as_json:
        from ..service.serialize import result_to_dict

        print_json(result_to_dict(result))
        return
    on = f" on {day.isoformat()}" if day else ""
    verdict = result.verdict
    out.print(f"[bold]{verdict.label}[/bold] {name}{on}: ", end="")
    out.print(verdict.reason, markup=False)
    if result.ages:
        # Every list's date is printed at the end (and in --json); here, how old the
        # oldest list behind this verdict is.
        oldest = max(result.ages, key=lambda a: a.age_days)
        out.print(
            f"against {len(result.ages)} list snapshot(s); the oldest: {oldest.label},"
            f" {oldest.age_days:,} days old",
            markup=False,
        )
    if result.hits:
        from ..service.hit_groups import group_hits

        # Rows of one listed party (on EL, CMIC and 1260H) together, a line between
        # parties; the title says how many were found, not only how many are shown.
        groups = group_hits(result.hits)
        ordered = [hit for group in groups for hit in group.hits]
        found = f"{len(result.hits)}" + (
            f" of {result.total}{result.or_more}" if result.not_shown else ""
        )
        parties = f"{len(groups)} listed part{'y' if len(groups) == 1 else 'ies'}"
        table = Table(title=f"{found} match(es) for {name!r}{on}: {parties}")
        for col in ("#", "score", "list", "listed name", "matched name", "why"):
            table.add_column(col, overflow="fold")
        number = 0
        for group in groups:
            for hit in group.hits:
                number += 1
                m = hit.match
                table.add_row(
                    str(number),
                    f"{m.score:.2f}",
                    hit.sources_label,
                    m.listed_name,
                    m.matched_name,
                    m.explanation,
                    end_section=hit is group.hits[-1],
                )
        out.print(table)
        if result.not_shown:
            out.print(
                f"{len(result.hits)} of {result.total}{result.or_more} matches shown; "
                f"{result.not_shown}{result.or_more} not shown (raise --limit to see them)."
            )
        out.print("[bold]What each match means[/bold]")
        for number, hit in enumerate(ordered, start=1):
            out.print(f"{number}. {hit.legal.verdict}", markup=False)
            if hit.addresses:
                out.print(f"   address: {' | '.join(hit.addresses[:3])}", markup=False)
            for copy in hit.copies:
                for line in copy.differences:
                    out.print(f"   sources disagree: {line}", markup=False)
            for note in hit.notes:
                out.print(f"   note: {note}", markup=False)
            if hit.listing is not None:
                state = {True: "listed", None: "cannot tell"}.get(hit.listing.listed, "")
                out.print(f"   {state}{on}: {hit.listing.evidence}", markup=False)
            for finding in hit.ownership:
                out.print(f"   ownership: {finding.summary}", markup=False)
    else:
        out.print(f"No name match for {name!r}{on} at threshold {result.threshold:.2f}.")
    if result.not_listed:
        out.print(f"[bold]Found, but not listed{on}[/bold]")
        for hit in result.not_listed:
            evidence = hit.listing.evidence if hit.listing else ""
            m = hit.match
            out.print(f"- {m.score:.2f} {m.list} {m.listed_name}: {evidence}", markup=False)
    for finding in result.ownership:
        out.print(f"[bold]OWNERSHIP[/bold] {finding.rule_title}: ", end="")
        out.print(finding.summary, markup=False)
        for problem in finding.problems:
            out.print(f"  note: {problem}", markup=False)
        for owner in finding.owners:
            out.print(f"  owner: {owner.describe()}", markup=False)
        for line in finding.inherits.lines() if finding.inherits else ():
            out.print(f"  {line}", markup=False)
    for flag in result.flags:
        out.print(f"[bold]FLAG[/bold] {flag.title}: ", end="")
        unverified = "" if flag.verified else " [unverified: check the cited text]"
        out.print(f"{flag.reason} ({'; '.join(flag.citations)}){unverified}", markup=False)
        for line in flag.applies:
            out.print(f"  {line}", markup=False)
    for age in result.ages:
        out.print(f"list {age.label}, {age.basis}; {age.age_days:,} days old", markup=False)
    for warning in result.warnings:
        out.print("[bold]STALE[/bold] ", end="")
        out.print(warning, markup=False)


def compare(
    name1: Annotated[str | None, typer.Argument(help="First name.")] = None,
    name2: Annotated[str | None, typer.Argument(help="Second name.")] = None,
    schema: SchemaOption = None,
    pairs: Annotated[
        Path | None, typer.Option(help="CSV with columns name1,name2[,schema] to score.")
    ] = None,
    out_path: Annotated[
        Path | None, typer.Option("--out", help="Where to write scores (CSV; default stdout).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    algorithm: AlgorithmOption = None,
) -> None:
    """Score one pair of names (or every pair in --pairs) with the screening scorer."""
    from ..service.algorithms import check_algorithm, compare_with, default_threshold
    from ..service.serialize import comparison_to_dict

    chosen = check_algorithm(algorithm)
    if pairs is not None:
        _compare_pairs(pairs, out_path, default_schema=parse_schema(schema), algorithm=chosen)
        return
    if name1 is None or name2 is None:
        raise InputError("give two names, or --pairs FILE")
    result = compare_with(name1, name2, schema=parse_schema(schema), algorithm=chosen)
    cutoff = default_threshold(chosen)
    matched = result.score >= cutoff
    if as_json:
        print_json(comparison_to_dict(name1, name2, result, threshold=cutoff))
        return
    verdict = "MATCH" if matched else "no match"
    out.print(f"{result.score:.3f} {verdict} (threshold {cutoff:.2f})")
    out.print(result.explanation)


def _compare_pairs(
    path: Path, out_path: Path | None, *, default_schema: Schema, algorithm: str
) -> None:
    import csv

    from ..service.algorithms import compare_with, default_threshold

    cutoff = default_threshold(algorithm)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        if "name1" not in header or "name2" not in header:
            raise InputError(f"{path}: needs columns name1,name2 (found: {', '.join(header)})")
        rows = list(reader)
    sink = out_path.open("w", encoding="utf-8", newline="") if out_path else sys.stdout
    try:
        writer = csv.DictWriter(sink, fieldnames=[*header, "score", "match", "error"])
        writer.writeheader()
        for number, row in enumerate(rows, start=1):
            schema = parse_schema(row.get("schema")) if row.get("schema") else default_schema
            try:
                result = compare_with(
                    row["name1"] or "", row["name2"] or "", schema=schema, algorithm=algorithm
                )
            except InputError as exc:
                err.print(f"row {number}: {exc}", markup=False)
                writer.writerow({**row, "error": str(exc)})
                continue
            writer.writerow(
                {**row, "score": f"{result.score:.4f}", "match": result.score >= cutoff}
            )
    finally:
        if out_path:
            sink.close()
