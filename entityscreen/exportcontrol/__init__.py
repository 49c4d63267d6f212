"""What a hit means: legal facts, as-of-date listing, ownership rules, statutory flags.

A pure layer on :mod:`entityscreen.model`: no store, no network and no clock (dates are
arguments); its only I/O is reading its own packaged data files (``data/*.yml``: rule
windows, covered companies, embargoed destinations, FDP footnotes, list names).

* :func:`legal_facts` -- license requirement and review policy (published and
  normalised), Foreign Direct Product markers, Federal Register citations, date first
  listed, programs and a plain-language verdict for one entry.
* :func:`parse_citations` -- every Federal Register citation shape the lists print.
* :func:`listing_status` -- was an entry listed on a date, and on what evidence.
* :func:`aggregate_ownership` -- OFAC's 50 Percent Rule and BIS's Affiliates rule over
  an :class:`OwnershipGraph`, applied by date.
* :func:`section889_flags`, :func:`embargo_flags` -- Section 889 covered companies and
  their affiliates; embargoed countries and regions.

The rules, their citations and their limits are documented in ``docs/exportcontrol.md``.
"""

from .asof import AsOfStatus, Basis, listing_status
from .federal_register import Citation, ParsedCitations, parse_citations
from .flags import (
    Flag,
    embargo_flags,
    match_covered_company,
    section889_flags,
)
from .legal import FirstListed, LegalSummary, legal_facts
from .license import (
    FdpMarker,
    LicenseRequirement,
    PolicyKind,
    PolicyPart,
    RequirementKind,
    ReviewPolicy,
    find_fdp_markers,
    parse_policy,
    parse_requirement,
)
from .ownership import (
    OwnershipEdge,
    OwnershipFinding,
    OwnershipGraph,
    OwnershipPath,
    aggregate_ownership,
    listing_codes,
)
from .rules import Rule, RuleStatus, Suspension, get_rule, load_rules

__all__ = [
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
