"""Export-control meaning of real Entity List entries (CSL of May 2022, shared/data).

The entries checked field by field were added by the two Xinjiang-related rules: 84 FR
54002 (2019-10-09: the XUAR public security bureaus and eight surveillance companies,
among them Hikvision, Dahua, iFlytek, Megvii, SenseTime, Yitu, Meiya Pico and Yixin) and
85 FR 44159 (2020-07-22: Nanchang O-Film, KTK Group, Hefei Bitland, Tanyuan, Changji
Esquel and others). 85 FR 44159 also revised the 2019 entries' review policy (an
infectious-disease carve-out) and 85 FR 34505 (2020-06-05) revised SenseTime's; the
2020 rows spell it "casa-by-case". All values are as the CSL file of May 2022 has them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from entityscreen.exportcontrol import (
    PolicyKind,
    RequirementKind,
    legal_facts,
    listing_status,
    parse_citations,
)
from entityscreen.model import Entry
from entityscreen.sources.base import Parsed
from entityscreen.sources.csl import CSL_CSV
from entityscreen.sources.dpl import DPL_TXT

XINJIANG_ECCNS = ("1A004.c", "1A004.d", "1A995", "1A999.a", "1D003", "2A983", "2D983", "2E983")

#: (name as published, citations, first listed) of entries added by 84 FR 54002.
OCTOBER_2019 = [
    ("Hangzhou Hikvision Digital Technology Co., Ltd.", ["84 FR 54002", "85 FR 44159"]),
    ("Dahua Technology", ["84 FR 54002", "85 FR 44159"]),
    ("IFLYTEK", ["84 FR 54002", "85 FR 44159"]),
    ("Megvii Technology", ["84 FR 54002", "85 FR 44159"]),
    (
        "Beijing Sensetime Technology Development Co., Ltd.",
        ["84 FR 54002", "85 FR 34505", "85 FR 44159"],
    ),
    ("Yitu Technologies", ["84 FR 54002", "85 FR 44159"]),
    ("Xiamen Meiya Pico Information Co. Ltd.", ["84 FR 54002", "85 FR 44159"]),
    ("Yixin Science and Technology Co. Ltd.", ["84 FR 54002", "85 FR 44159"]),
    (
        # the CSL prints "People?s"; the possessive is repaired (issue #10)
        "Xinjiang Uighur Autonomous Region (XUAR) People's Government Public Security Bureau",
        ["84 FR 54002", "85 FR 44159"],
    ),
    ("Aksu District Public Security Bureau", ["84 FR 54002", "85 FR 44159"]),
    ("Altay Municipality Public Security Bureau", ["84 FR 54002", "85 FR 44159"]),
]

#: Entries added by 85 FR 44159.
JULY_2020 = [
    "Nanchang O-Film Tech",
    "KTK Group",
    "Hefei Bitland Information Technology Co. Ltd.",
    "Tanyuan Technology Co. Ltd.",
    "Changji Esquel Textile Co. Ltd",
]

VERDICT_POLICY = (
    "review policy: mixed — case-by-case for ECCNs 1A004.c, 1A004.d, 1A995, 1A999.a, 1D003, "
    "2A983, 2D983, and 2E983, and for EAR99 items described in the Note to ECCN 1A995; "
    "case-by-case for items necessary to detect, identify and treat infectious disease; "
    "presumption of denial for all other items subject to the EAR."
)


@pytest.fixture(scope="module")
def parsed(shared_data: Path) -> Parsed:
    return CSL_CSV.parse(shared_data / "us_csl_2022-05" / "consolidated.csv.gz")


@pytest.fixture(scope="module")
def el_by_name(parsed: Parsed) -> dict[str, Entry]:
    return {e.primary_name: e for e in parsed.entries if e.list == "EL"}


@pytest.mark.parametrize(("name", "citations"), OCTOBER_2019)
def test_october_2019_entries(
    el_by_name: dict[str, Entry], name: str, citations: list[str]
) -> None:
    summary = legal_facts(el_by_name[name])
    assert summary.list_code == "EL"
    assert summary.requirement_text == (
        "For all items subject to the EAR. (See §744.11 of the EAR)"
    )
    assert summary.requirement_kind is RequirementKind.ALL_ITEMS_SUBJECT_TO_EAR
    assert summary.requirement is not None and summary.requirement.exceptions is None
    assert summary.policy_kind is PolicyKind.MIXED
    assert summary.policy is not None
    assert [p.kind for p in summary.policy.parts] == [
        PolicyKind.CASE_BY_CASE,
        PolicyKind.CASE_BY_CASE,
        PolicyKind.PRESUMPTION_OF_DENIAL,
    ]
    assert summary.eccns == XINJIANG_ECCNS
    assert summary.fdp_markers == ()
    assert [c.label for c in summary.citations] == citations
    assert all(c.date is None for c in summary.citations)  # the CSL prints no FR dates
    assert summary.citation_leftovers == ()
    assert summary.first_listed is not None
    assert summary.first_listed.date == date(2019, 10, 9)
    assert summary.first_listed.basis == "start date"
    assert summary.end_date is None
    assert summary.verdict == (
        "Entity List since 2019-10-09 (84 FR 54002): a license is required for all items "
        f"subject to the EAR; {VERDICT_POLICY}"
    )


@pytest.mark.parametrize("name", JULY_2020)
def test_july_2020_entries(el_by_name: dict[str, Entry], name: str) -> None:
    summary = legal_facts(el_by_name[name])
    assert summary.requirement_text == (
        "For all items subject to the EAR. (See §744.11 of the EAR)."
    )
    assert summary.requirement_kind is RequirementKind.ALL_ITEMS_SUBJECT_TO_EAR
    assert summary.policy_text is not None
    assert "casa-by-case review for items necessary" in summary.policy_text  # as published
    assert summary.policy_kind is PolicyKind.MIXED
    assert summary.eccns == XINJIANG_ECCNS
    assert [(c.volume, c.page) for c in summary.citations] == [(85, 44159)]
    assert summary.first_listed is not None
    assert summary.first_listed.date == date(2020, 7, 22)
    assert summary.verdict == (
        "Entity List since 2020-07-22 (85 FR 44159): a license is required for all items "
        f"subject to the EAR; {VERDICT_POLICY}"
    )


def test_hikvision_as_of(el_by_name: dict[str, Entry]) -> None:
    hikvision = el_by_name["Hangzhou Hikvision Digital Technology Co., Ltd."]
    assert listing_status(hikvision, date(2019, 10, 8)).listed is False
    on_day = listing_status(hikvision, date(2019, 10, 9))
    assert on_day.listed is True
    assert on_day.evidence == "entry's own start date 2019-10-09 (84 FR 54002)"


def test_huawei_foreign_direct_product_marker(el_by_name: dict[str, Entry]) -> None:
    summary = legal_facts(el_by_name["Huawei Technologies Co., Ltd. (Huawei)"])
    assert [(m.footnote, m.section) for m in summary.fdp_markers] == [(1, "736.2(b)(3)(vi)")]
    assert summary.requirement is not None
    assert summary.requirement.exceptions is not None
    assert summary.requirement.exceptions.startswith("except for technology subject to the EAR")
    assert summary.first_listed is not None
    # The CSL's start_date 2019-05-21 is the rule's publication; it took effect 2019-05-16.
    assert summary.first_listed.date == date(2019, 5, 16)
    assert summary.first_listed.published == date(2019, 5, 21)
    assert summary.verdict.startswith(
        "Entity List since 2019-05-16 (84 FR 22961: published 2019-05-21, effective "
        "2019-05-16): a license is required for all items "
        "subject to the EAR, with exceptions stated in the requirement; review policy: "
        "presumption of denial. Foreign Direct Product rules: footnote 1, § 736.2(b)(3)(vi)"
    )


def test_every_entry_gets_a_verdict(parsed: Parsed) -> None:
    summaries = [legal_facts(e) for e in parsed.entries]
    assert all(s.verdict for s in summaries)
    el = [s for s in summaries if s.list_code == "EL"]
    assert all(s.requirement_kind is not None for s in el)
    kinds = {s.policy_kind for s in el}
    assert {
        PolicyKind.PRESUMPTION_OF_DENIAL,
        PolicyKind.MIXED,
        PolicyKind.POLICY_OF_DENIAL,
    } <= kinds


def test_federal_register_figures_csl_2022(parsed: Parsed) -> None:
    """Every citation of the file parses except two truncated or placeholder values."""
    values = [e.legal.federal_register for e in parsed.entries if e.legal.federal_register]
    results = [parse_citations(v) for v in values]
    leftovers = sorted(left for r in results for left in r.leftovers)
    assert leftovers == ["77 FR", "NEW F.R. NOTICE TO BE PUBLISHED SOON"]
    assert sum(r.complete for r in results) == len(values) - 2
    assert sum(len(r.citations) for r in results) == 4461


def test_federal_register_figures_dpl_2023(shared_data: Path) -> None:
    dpl = DPL_TXT.parse(shared_data / "bis_dpl_2023-11" / "dpl.txt")
    results = [parse_citations(e.legal.federal_register) for e in dpl.entries]
    leftovers = sorted(left for r in results for left in r.leftovers)
    assert leftovers == ["5/18/2022", "NEW F.R. NOTICE TO BE PUBLISHED SOON"]
    undated = sorted({c.text: c.notes for r in results for c in r.citations if not c.date}.items())
    assert undated == [
        ("66 F.R. 47630 9/13/0", ("truncated year in '9/13/0'",)),
        ("86 F.R. 66277 11/22/201", ("truncated year in '11/22/201'",)),
        ("86 F.R. 66277 11/222/2021", ("impossible date '11/222/2021'",)),
        ("88 F.R. 30078 5/10/203", ("truncated year in '5/10/203'",)),
    ]
    assert sum(len(r.citations) for r in results) == 1164
