"""The public surface of entityscreen.exportcontrol is pinned here."""

from __future__ import annotations

from pathlib import Path

import entityscreen.exportcontrol as exportcontrol
from entityscreen.exportcontrol._data import load_data

PUBLIC = [
    "AsOfStatus",
    "Basis",
    "Citation",
    "FdpMarker",
    "FirstListed",
    "Flag",
    "LegalSummary",
    "LicenseRequirement",
    "OwnershipEdge",
    "OwnershipFinding",
    "OwnershipGraph",
    "OwnershipPath",
    "ParsedCitations",
    "PolicyKind",
    "PolicyPart",
    "RequirementKind",
    "ReviewPolicy",
    "Rule",
    "RuleStatus",
    "Suspension",
    "aggregate_ownership",
    "embargo_flags",
    "find_fdp_markers",
    "get_rule",
    "legal_facts",
    "listing_codes",
    "listing_status",
    "load_rules",
    "match_covered_company",
    "parse_citations",
    "parse_policy",
    "parse_requirement",
    "section889_flags",
]


def test_all_is_pinned() -> None:
    assert exportcontrol.__all__ == PUBLIC
    for name in PUBLIC:
        assert getattr(exportcontrol, name) is not None


def test_data_files_are_packaged_and_parse() -> None:
    data_dir = Path(exportcontrol.__file__).parent / "data"
    names = sorted(p.name for p in data_dir.glob("*.yml"))
    assert names == [
        "affiliates.yml",
        "country_controls.yml",
        "embargoes.yml",
        "fdp.yml",
        "fr_rules.yml",
        "lists.yml",
        "rules.yml",
        "section889.yml",
    ]
    for name in names:
        assert isinstance(load_data(name), dict)
