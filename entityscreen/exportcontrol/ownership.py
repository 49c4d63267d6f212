"""Ownership by listed parties, aggregated under the 50 percent rules.

An :class:`OwnershipGraph` holds owner -> owned edges with a share in percent (or None
when unknown), where the edge came from and since when. :func:`aggregate_ownership`
answers, for one target and one :class:`~entityscreen.exportcontrol.rules.Rule`: how
much of the target do parties covered by the rule own, through which paths, and does the
rule apply on the as-of date?

Aggregation (OFAC's guidance, which the BIS Affiliates rule follows)
    1. A party *counts* when its listing codes (:func:`listing_codes`) meet the rule's
       ``owner_lists`` (the SDN List for OFAC; the Entity List, the MEU List and SDNs
       under 15 CFR 744.8 programs for BIS).
    2. A party owned, directly or indirectly, individually or in aggregate, at or above
       the threshold (50%) by parties that count, counts itself, and its own holdings
       count **in full** (OFAC FAQ 401: "entities owned 50 percent or more by a blocked
       person are themselves blocked").
    3. Ownership is never multiplied through a party that does not count: a listed party
       owning 40% of B, which owns all of C, gives C nothing (noted, not counted).
    The target's total is the sum of the known shares held by parties that count.

Problems are reported, never hidden
    * Cycles (B owns C owns B, or a party owning itself): detected and reported; the
      computation is a fixed point over the owners, so it never loops.
    * Unknown shares: excluded from the total, reported as "share unknown"; when a party
      that counts holds an unknown share, the finding is *undetermined* below the
      threshold (BIS calls this a red flag: find out the share).
    * Shares adding up to more than 100% (conflicting or double-counted data): reported,
      the total capped at 100%.
    * Edges dated after the as-of date are ignored; several edges for one owner and owned
      party keep the latest (reported when their shares differ).

Where things are
    The graph (:class:`OwnershipEdge`, :class:`OwnershipGraph`, :func:`find_cycles`) is
    in :mod:`.ownership_graph`, the findings (:class:`OwnershipFinding`,
    :class:`OwnershipPath`, :func:`format_percent`) in :mod:`.ownership_findings`; this
    module applies the rules, and re-exports both.

Limits
    Control without ownership (board seats, voting agreements) is outside both rules
    and outside this module. The result is as good as the ownership data passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field, replace
from datetime import date

from ..model import Entry
from .affiliates import rule_window
from .lists import get_list
from .ownership_findings import EPSILON, OwnershipFinding, OwnershipPath, format_percent
from .ownership_graph import OwnershipEdge, OwnershipGraph, find_cycles, read_edge
from .rules import Rule, load_program_codes


def listing_codes(entry: Entry) -> frozenset[str]:
    """The codes an entry counts under in ownership rules: its list code, plus the
    program codes of ``data/rules.yml`` its programs give it (``"SDN-744.8"`` for an SDN
    with program NPWMD)."""
    codes = {entry.list}
    programs = set(entry.programs)
    for item in load_program_codes():
        if entry.list == item.list and programs & item.programs:
            codes.add(item.code)
    return frozenset(codes)


@dataclass
class _Edges:
    """The edges in force on the as-of date, by owned party, and what was set aside."""

    owners: dict[str, dict[str, OwnershipEdge]] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)


def _select_edges(graph: OwnershipGraph, as_of: date, nodes: Iterable[str]) -> _Edges:
    """One edge per (owner, owned) for each of ``nodes``: the latest on or before
    ``as_of``; undated edges count as oldest."""
    out = _Edges()
    for owned in nodes:
        chosen: dict[str, OwnershipEdge] = {}
        notes: list[str] = []
        by_owner: dict[str, list[OwnershipEdge]] = {}
        for edge in graph.owners_of(owned):
            if edge.date is not None and edge.date > as_of:
                notes.append(
                    f"{graph.name(edge.owner_id)} -> {graph.name(owned)} dated "
                    f"{edge.date.isoformat()}, after {as_of.isoformat()}: ignored"
                )
                continue
            by_owner.setdefault(edge.owner_id, []).append(edge)
        for owner, edges in by_owner.items():
            latest = max(enumerate(edges), key=lambda item: (item[1].date or date.min, item[0]))
            chosen[owner] = latest[1]
            shares = {e.share for e in edges}
            if len(shares) > 1:
                listed = ", ".join(
                    f"{'unknown' if e.share is None else format_percent(e.share)}"
                    f"{' from ' + e.source if e.source else ''}"
                    f"{' of ' + e.date.isoformat() if e.date else ''}"
                    for e in edges
                )
                notes.append(
                    f"{len(edges)} edges for {graph.name(owner)} -> {graph.name(owned)} "
                    f"({listed}): the latest was used"
                )
        out.owners[owned] = chosen
        if notes:
            out.problems[owned] = notes
    return out


def _find_ancestors(graph: OwnershipGraph, target_id: str, as_of: date) -> set[str]:
    seen: set[str] = set()
    stack = [target_id]
    while stack:
        node = stack.pop()
        for edge in graph.owners_of(node):
            if edge.date is not None and edge.date > as_of:
                continue
            if edge.owner_id not in seen:
                seen.add(edge.owner_id)
                stack.append(edge.owner_id)
    return seen


def _counting_parties(
    owners: Mapping[str, Mapping[str, OwnershipEdge]],
    nodes: Set[str],
    directly: Set[str],
    threshold: float,
) -> set[str]:
    """The fixed point: parties listed under the rule plus those owned at or above the
    threshold by parties already counted (monotone, so it ends even with cycles)."""
    counted = set(directly)
    changed = True
    while changed:
        changed = False
        for node in nodes - counted:
            held = sum(
                e.share
                for o, e in owners.get(node, {}).items()
                if o in counted and o != node and e.share
            )
            if held + EPSILON >= threshold:
                counted.add(node)
                changed = True
    return counted


def _build_path(
    graph: OwnershipGraph,
    owners: Mapping[str, Mapping[str, OwnershipEdge]],
    counted: Set[str],
    listed: Mapping[str, Set[str]],
    rule: Rule,
    owner_id: str,
    share: float,
    visiting: frozenset[str],
) -> OwnershipPath:
    codes = tuple(sorted(set(listed.get(owner_id, ())) & rule.owner_lists))
    if codes:
        return OwnershipPath(owner_id, graph.name(owner_id), share, codes)
    via = tuple(
        _build_path(graph, owners, counted, listed, rule, o, e.share, visiting | {owner_id})
        for o, e in owners.get(owner_id, {}).items()
        if o in counted and e.share and o not in visiting
    )
    total = min(sum(p.share for p in via), 100.0)
    return OwnershipPath(owner_id, graph.name(owner_id), share, (), via, total)


def _collect_codes(paths: Iterable[OwnershipPath]) -> set[str]:
    codes: set[str] = set()
    for path in paths:
        codes.update(path.listed)
        codes.update(_collect_codes(path.via))
    return codes


def _describe_parties(codes: Set[str], rule: Rule) -> str:
    if not codes:
        return rule.listed_as
    names = [get_list(code).parties for code in sorted(codes)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def aggregate_ownership(
    graph: OwnershipGraph,
    target_id: str,
    *,
    listed: Mapping[str, Set[str]],
    rule: Rule,
    as_of: date,
) -> OwnershipFinding | None:
    """Aggregate the direct and indirect ownership of ``target_id`` by listed parties.

    Args:
        graph: The ownership edges.
        target_id: The party examined.
        listed: Listing codes by party id (:func:`listing_codes` of each party's entries;
            a party on several lists has several codes).
        rule: The rule (``get_rule("ofac_50")``, ``get_rule("bis_affiliates")``, ...).
        as_of: The date: edges dated later are ignored, and the rule's windows decide
            whether it is in force.

    Returns:
        The finding, or None when no party the rule counts is among the target's direct
        or indirect owners.
    """
    ancestors = _find_ancestors(graph, target_id, as_of)
    directly = {n for n in ancestors if set(listed.get(n, ())) & rule.owner_lists}
    if not directly:
        return None
    selected = _select_edges(graph, as_of, ancestors | {target_id})
    owners = selected.owners
    counted = _counting_parties(owners, ancestors, directly, rule.threshold)
    paths: list[OwnershipPath] = []
    unknown: list[str] = []
    problems: list[str] = []
    for owner, edge in owners.get(target_id, {}).items():
        if owner not in counted or owner == target_id:
            continue  # own shares held: reported as a cycle, never counted
        if edge.share is None:
            unknown.append(owner)
            continue
        visiting = frozenset({target_id})
        paths.append(_build_path(graph, owners, counted, listed, rule, owner, edge.share, visiting))
    raw_total = sum(p.share for p in paths)
    total = min(raw_total, 100.0)
    problems.extend(_describe_problems(graph, owners, counted, target_id, ancestors))
    for edge_notes in selected.problems.values():
        problems.extend(edge_notes)
    if raw_total > 100.0 + EPSILON:
        problems.append(
            f"listed ownership of {graph.name(target_id)} adds up to "
            f"{format_percent(raw_total)}: capped at 100%"
        )
    notes = [
        f"{graph.name(n)} ({', '.join(sorted(set(listed[n]) & rule.owner_lists))}) is an "
        "indirect owner only through parties it does not own at or above "
        f"{format_percent(rule.threshold)} in aggregate with other listed parties: not counted"
        for n in sorted(directly)
        if not _reaches(owners, counted, n, target_id)
    ]
    status = rule.status(as_of)
    codes = _collect_codes(paths)
    for owner in unknown:
        codes.update(set(listed.get(owner, ())) & rule.owner_lists)
    finding = OwnershipFinding(
        target_id=target_id,
        target_name=graph.name(target_id),
        rule_id=rule.id,
        rule_title=rule.title,
        citation=rule.citation,
        as_of=as_of,
        in_force=status.in_force,
        rule_status=status.reason,
        threshold=rule.threshold,
        total=total,
        paths=tuple(paths),
        listed_codes=frozenset(codes),
        unknown_shares=tuple(unknown),
        summary="",
        problems=tuple(dict.fromkeys(problems)),
        notes=tuple(notes),
        window=rule_window(rule, as_of),
    )
    return _with_summary(finding, graph, rule)


def _reaches(
    owners: Mapping[str, Mapping[str, OwnershipEdge]],
    counted: Set[str],
    source: str,
    target_id: str,
) -> bool:
    """True when ``source`` contributes to the target through counted parties only."""
    stack = [owner for owner in owners.get(target_id, {}) if owner in counted]
    seen: set[str] = set()
    while stack:
        node = stack.pop()
        if node == source:
            return True
        if node in seen:
            continue
        seen.add(node)
        stack.extend(o for o in owners.get(node, {}) if o in counted)
    return False


def _describe_problems(
    graph: OwnershipGraph,
    owners: Mapping[str, Mapping[str, OwnershipEdge]],
    counted: Set[str],
    target_id: str,
    ancestors: Set[str],
) -> list[str]:
    problems: list[str] = []
    for cycle in find_cycles(owners, target_id):
        names = " -> ".join(graph.name(n) for n in reversed(cycle))
        problems.append(f"ownership cycle: {names} (each party counted once)")
    for node in sorted(ancestors | {target_id}):
        edges = owners.get(node, {})
        for owner, edge in edges.items():
            if edge.share is None and owner in counted:
                problems.append(
                    f"share unknown: {graph.name(owner)} owns an unknown share of "
                    f"{graph.name(node)}; excluded from the total"
                )
        known = sum(e.share for e in edges.values() if e.share is not None)
        if known > 100.0 + EPSILON:
            problems.append(
                f"shares in {graph.name(node)} add up to {format_percent(known)} "
                "(more than 100%: conflicting or double-counted data)"
            )
    return problems


def _with_summary(finding: OwnershipFinding, graph: OwnershipGraph, rule: Rule) -> OwnershipFinding:
    parties = _describe_parties(finding.listed_codes, rule)
    single_list = len(finding.listed_codes) <= 1
    via = " + ".join(p.describe(show_lists=not single_list) for p in finding.paths)
    owned = f"owned {format_percent(finding.total)}"
    if via:
        owned += f" (via {via})"
    text = f"{finding.target_name}: {owned} by {parties}"
    if finding.unknown_shares:
        names = ", ".join(graph.name(o) for o in finding.unknown_shares)
        text += f", plus share unknown held by {names}"
    if finding.applies:
        # Said in the sentence itself: a finding that rests on a suspension having ended
        # is only as good as that assumption, and the analyst reads the summary first.
        assumed = finding.window.describe() if finding.window else ""
        text += (
            f": at or above {format_percent(finding.threshold)}, {rule.title} applies "
            f"({finding.rule_status}{'; ' + assumed if assumed else ''})"
        )
    elif finding.reaches_threshold:
        text += (
            f": at or above {format_percent(finding.threshold)}, but {rule.title} does not "
            f"apply on {finding.as_of.isoformat()} ({finding.rule_status})"
        )
    elif finding.undetermined:
        text += (
            f": below {format_percent(finding.threshold)} on known shares; undetermined "
            "until the unknown shares are known"
        )
    else:
        text += f": below {format_percent(finding.threshold)}, {rule.title} does not apply"
    return replace(finding, summary=text + ".")


__all__ = [
    "EPSILON",
    "OwnershipEdge",
    "OwnershipFinding",
    "OwnershipGraph",
    "OwnershipPath",
    "aggregate_ownership",
    "find_cycles",
    "format_percent",
    "listing_codes",
    "read_edge",
]
