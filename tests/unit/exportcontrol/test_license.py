"""License requirement and review policy normalisation, on real texts.

The literals are copied from the CSL of May 2022 and the eCFR Entity List of 2026,
typos included ("casa-by-case", "semiconducto rs").
"""

from __future__ import annotations

import pytest

from entityscreen.exportcontrol.license import (
    PolicyKind,
    RequirementKind,
    find_eccns,
    find_fdp_markers,
    parse_policy,
    parse_requirement,
)

HIKVISION_POLICY = (
    "Case-by-case review for ECCNs 1A004.c, 1A004.d, 1A995, 1A999.a, 1D003, 2A983, 2D983, "
    "and 2E983, and for EAR99 items described in the Note to ECCN 1A995; case-by-case review "
    "for items necessary to detect, identify and treat infectious disease; and presumption of "
    "denial for all other items subject to the EAR."
)
XINJIANG_2020_POLICY = HIKVISION_POLICY.replace(
    "case-by-case review for items", "casa-by-case review for items"
)
XINJIANG_ECCNS = ("1A004.c", "1A004.d", "1A995", "1A999.a", "1D003", "2A983", "2D983", "2E983")


@pytest.mark.parametrize(
    "text",
    [
        "For all items subject to the EAR.  (See §744.11 of the EAR)",
        "For all items subject to the EAR. (See §744.11 of the EAR).",
        "All items subject to the EAR. (See §744.11 of the EAR)",
        "For all items subject to the EAR",
        "All Items Subject to the EAR",
        "For all items subject to the EAR. (See §744.2 (d) of the EAR)",
    ],
)
def test_all_items(text: str) -> None:
    req = parse_requirement(text)
    assert req is not None
    assert req.kind is RequirementKind.ALL_ITEMS_SUBJECT_TO_EAR
    assert req.exceptions is None
    assert req.text == " ".join(text.split())


def test_all_items_with_exception() -> None:
    req = parse_requirement(
        "All items subject to the EAR except for food or medicine designated as EAR99. "
        "(See §§ 734.9(g),3 746.8(a)(3), and 744.21(b) of the EAR)"
    )
    assert req is not None
    assert req.kind is RequirementKind.ALL_ITEMS_SUBJECT_TO_EAR
    assert req.exceptions == "except for food or medicine designated as EAR99"


def test_all_items_with_condition() -> None:
    req = parse_requirement(
        "For all items subject to the EAR when used in projects specified in §746.5 of the EAR."
    )
    assert req is not None
    assert req.kind is RequirementKind.ALL_ITEMS_SUBJECT_TO_EAR
    assert req.exceptions == "when used in projects specified in §746.5 of the EAR"


def test_huawei_exception_keeps_its_inner_references() -> None:
    req = parse_requirement(
        "For all items subject to the EAR, see §§ 736.2(b)(3)(vi), and 744.11 of the EAR, "
        "EXCEPT for technology subject to the EAR that is designated as EAR99, or controlled "
        "on the Commerce Control List for anti-terrorism reasons only, when released to "
        "members of a “standards organization” (see §772.1) for the purpose of contributing "
        "to the revision or development of a “standard” (see §772.1)."
    )
    assert req is not None
    assert req.exceptions is not None
    assert req.exceptions.startswith("except for technology subject to the EAR")
    assert req.exceptions.endswith("development of a “standard” (see §772.1)")


def test_meu_supplement() -> None:
    req = parse_requirement(
        "For any item subject to the EAR listed in supplement no. 2 to part 744."
    )
    assert req is not None
    assert req.kind is RequirementKind.ITEMS_IN_SUPPLEMENT
    assert req.supplement == "supplement no. 2 to part 744"


def test_ccl_and_supplement_7() -> None:
    req = parse_requirement(
        "For items on the CCL and EAR99 items listed in supplement no. 7 to part 746 of the EAR"
    )
    assert req is not None
    assert req.kind is RequirementKind.ITEMS_IN_SUPPLEMENT
    assert req.supplement == "supplement no. 7 to part 746"


def test_items_by_eccn() -> None:
    req = parse_requirement("For ECCNs 1C350, 2B350 and 0A501.a.1 (See § 744.11 of the EAR)")
    assert req is not None
    assert req.kind is RequirementKind.ITEMS_BY_ECCN
    assert req.eccns == ("1C350", "2B350", "0A501.a.1")


def test_other_and_blank() -> None:
    req = parse_requirement("See § 744.3 of the EAR.")
    assert req is not None
    assert req.kind is RequirementKind.OTHER
    assert parse_requirement(None) is None
    assert parse_requirement("  ") is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Presumption of denial.", PolicyKind.PRESUMPTION_OF_DENIAL),
        ("Presumption of Denial", PolicyKind.PRESUMPTION_OF_DENIAL),
        ("Policy of denial. See §§ 746.8(b) and 744.21(e).", PolicyKind.POLICY_OF_DENIAL),
        ("Case-by-case basis.", PolicyKind.CASE_BY_CASE),
        ("Case-by-case review.", PolicyKind.CASE_BY_CASE),
        (
            "Case-by-Case review for licenses for the safety of civil aviation of aircraft.",
            PolicyKind.CASE_BY_CASE,
        ),
        ("Presumption of approval for EAR99 items", PolicyKind.PRESUMPTION_OF_APPROVAL),
        (HIKVISION_POLICY, PolicyKind.MIXED),
        (XINJIANG_2020_POLICY, PolicyKind.MIXED),
        (
            "Case-by-case for all items listed on the CCL. Presumption of approval for EAR99 items",
            PolicyKind.MIXED,
        ),
        (
            "Policy of denial; Case-by-case basis for U.S. Government supported space programs.",
            PolicyKind.MIXED,
        ),
        (
            "Presumption of denial for items uniquely required for production of semiconducto rs "
            "at advanced technology nodes (10 nanometers and below, including extreme ultraviolet "
            "technology); Case by case for all other items",
            PolicyKind.MIXED,
        ),
        ("See §744.2(d) of the EAR.", PolicyKind.OTHER),
        (
            "The license application procedure and license review policy for entities specified "
            "in supplement no. 2 to part 744 is specified in §744.21(d) and (e).",
            PolicyKind.OTHER,
        ),
    ],
)
def test_policy_kinds(text: str, kind: PolicyKind) -> None:
    policy = parse_policy(text)
    assert policy is not None
    assert policy.kind is kind
    assert policy.text == " ".join(text.split())


def test_hikvision_policy_parts() -> None:
    policy = parse_policy(HIKVISION_POLICY)
    assert policy is not None
    assert [p.kind for p in policy.parts] == [
        PolicyKind.CASE_BY_CASE,
        PolicyKind.CASE_BY_CASE,
        PolicyKind.PRESUMPTION_OF_DENIAL,
    ]
    assert policy.parts[0].eccns == XINJIANG_ECCNS
    assert (
        policy.parts[1].scope
        == "for items necessary to detect, identify and treat infectious disease"
    )
    assert policy.describe() == (
        "mixed — case-by-case for ECCNs 1A004.c, 1A004.d, 1A995, 1A999.a, 1D003, 2A983, "
        "2D983, and 2E983, and for EAR99 items described in the Note to ECCN 1A995; "
        "case-by-case for items necessary to detect, identify and treat infectious disease; "
        "presumption of denial for all other items subject to the EAR"
    )


def test_typo_casa_by_case_reads_as_case_by_case() -> None:
    policy = parse_policy(XINJIANG_2020_POLICY)
    assert policy is not None
    assert policy.describe() == parse_policy(HIKVISION_POLICY).describe()  # type: ignore[union-attr]


def test_us_government_is_not_a_sentence_end() -> None:
    policy = parse_policy(
        "Policy of denial; Case-by-case basis for U.S. Government supported space programs."
    )
    assert policy is not None
    assert policy.describe() == (
        "mixed — policy of denial; case-by-case for U.S. Government supported space programs"
    )


def test_simple_policy_describe() -> None:
    assert parse_policy("Presumption of denial.").describe() == "presumption of denial"  # type: ignore[union-attr]
    assert parse_policy("See §744.2(d) of the EAR.").describe() == "see §744.2(d) of the EAR"  # type: ignore[union-attr]
    assert parse_policy(None) is None


def test_find_eccns() -> None:
    assert find_eccns("ECCN 5A992.c and 5D992.c unless ... EAR99") == ("5A992.c", "5D992.c")
    assert find_eccns(None) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # CSL 2022: the footnote number right after the section
        (
            "For all items subject to the EAR. (See §§734.9(g),3 746.8(a)(3), and 744.21(b) "
            "of the EAR.)",
            [(3, "734.9(g)")],
        ),
        # CSL 2022, Huawei: the pre-2022 section of the footnote 1 rule, number dropped
        (
            "For all items subject to the EAR, see §§ 736.2(b)(3)(vi), and 744.11 of the EAR, "
            "EXCEPT for technology subject to the EAR",
            [(1, "736.2(b)(3)(vi)")],
        ),
        # eCFR 2026, Huawei: footnotes 1 and 2
        (
            "For all items subject to the EAR, see §§ 734.9(e) 1 and 744.11 of the EAR 2",
            [(1, "734.9(e)"), (2, None)],
        ),
        # eCFR 2026: the footnote number at the end
        (
            "For all items subject to the EAR. (See §§ 734.9(e)(2) and 744.11 of the EAR) 4",
            [(4, "734.9(e)(2)")],
        ),
        (
            "For all items subject to the EAR. (See § 734.9(e) and § 744.11 of the EAR)4",
            [(4, "734.9(e)")],
        ),
        (
            "For all items subject to the EAR (See §§ 734.9(g)3, 746.8(a)(3), and 744.2l(b) "
            "of the EAR)",
            [(3, "734.9(g)")],
        ),
        (
            "For all items subject to the EAR (See §§ 734.4(a)(9), 734.9(e)(3), and 744.11 of "
            "the EAR) 5",
            [(5, "734.9(e)(3)")],
        ),
        ("Subject to footnote 1 of supplement no. 4", [(1, "734.9(e)(1)")]),
        ("For all items subject to the EAR. (See §744.11 of the EAR)", []),
        ("All items subject to the EAR. (See § 740.11(b)(2) and (e).", []),
    ],
)
def test_fdp_markers(text: str, expected: list[tuple[int | None, str | None]]) -> None:
    assert [(m.footnote, m.section) for m in find_fdp_markers(text)] == expected


def test_fdp_marker_meaning_comes_from_data() -> None:
    (marker,) = find_fdp_markers("(See §§ 734.9(g),3 746.8(a)(3))")
    assert marker.rule.startswith("Russia/Belarus-Military End User FDP rule")
    assert marker.verified
    assert marker.describe().startswith("footnote 3, § 734.9(g): Russia/Belarus")
    two = find_fdp_markers("see §§ 734.9(e) 1 and 744.11 of the EAR 2")[1]
    assert not two.verified


def test_fdp_bare_mention() -> None:
    (marker,) = find_fdp_markers("subject to the foreign direct product rule")
    assert (marker.footnote, marker.section) == (None, None)
