"""Federal Register citations: every shape found in the real lists, and garbage.

Each literal below is copied from a real file: the CSL of May 2022 and 2023, BIS's
dpl.txt of 2023, or the eCFR text of the Entity List of 2026 (see the module docstring
of entityscreen.exportcontrol.federal_register).
"""

from __future__ import annotations

from datetime import date

import pytest

from entityscreen.exportcontrol.federal_register import (
    Citation,
    parse_citations,
    parse_us_date,
    volume_year,
)


def cites(text: str) -> list[tuple[int, int | None, date | None]]:
    parsed = parse_citations(text)
    assert parsed.complete, parsed.leftovers
    return [(c.volume, c.page, c.date) for c in parsed.citations]


def test_csl_entity_list_semicolons() -> None:
    assert cites("84 FR 54002; 85 FR 44159") == [(84, 54002, None), (85, 44159, None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("84  FR 21233", [(84, 21233, None)]),
        ("80FR 69852", [(80, 69852, None)]),
        ("81 FR 14953; 84 fr 40241", [(81, 14953, None), (84, 40241, None)]),
        ("85 FR 51603;  87 FR 8180", [(85, 51603, None), (87, 8180, None)]),
        ("83 FR 44824;", [(83, 44824, None)]),
        (
            "66 FR 24266 , 77 FR 58006 , 81 FR 64694; 84 FR 40241 ",
            [(66, 24266, None), (77, 58006, None), (81, 64694, None), (84, 40241, None)],
        ),
        (
            "66 FR 24266; 75 FR 78883; 77 FR 58006; 81 FR 64696 and 84 FR 40241",
            [
                (66, 24266, None),
                (75, 78883, None),
                (77, 58006, None),
                (81, 64696, None),
                (84, 40241, None),
            ],
        ),
    ],
)
def test_spacing_case_and_separators(
    text: str, expected: list[tuple[int, int | None, date | None]]
) -> None:
    assert cites(text) == expected


def test_issue_numbers_are_kept_apart_from_pages() -> None:
    parsed = parse_citations("73 FR 54508, 77 FR 58006 (no. 182)")
    assert [(c.volume, c.page, c.issue) for c in parsed.citations] == [
        (73, 54508, None),
        (77, 58006, 182),
    ]
    (single,) = parse_citations("77 FR 61249 No. 195").citations
    assert (single.page, single.issue) == (61249, 195)


def test_issue_and_page_words() -> None:
    parsed = parse_citations("76 FR no. 242 pg. 78146, 77 FR 58006 (no. 182)")
    assert [(c.volume, c.page, c.issue) for c in parsed.citations] == [
        (76, 78146, 242),
        (77, 58006, 182),
    ]


def test_issue_without_page() -> None:
    (c,) = parse_citations("76 FR No. 197 (10/12/2011)").citations
    assert (c.volume, c.page, c.issue, c.date) == (76, None, 197, date(2011, 10, 12))
    assert c.label == "Vol. 76, No. 197"


def test_dates_in_brackets_and_after_commas() -> None:
    assert cites("63 FR 64322 (11/19/98), 65 FR 14444 (03/17/00), 66 FR 50090 (10/01/01)") == [
        (63, 64322, date(1998, 11, 19)),
        (65, 14444, date(2000, 3, 17)),
        (66, 50090, date(2001, 10, 1)),
    ]
    assert cites("79 FR 24566, 5/1/14; 83 FR 3580, 1/26/18 ") == [
        (79, 24566, date(2014, 5, 1)),
        (83, 3580, date(2018, 1, 26)),
    ]
    assert cites("63 FR 64322, 11/19/98, 65 FR 14444, 03/17/00") == [
        (63, 64322, date(1998, 11, 19)),
        (65, 14444, date(2000, 3, 17)),
    ]


def test_unclosed_bracket() -> None:
    parsed = parse_citations("73 FR 54508 (9/22/08), 73 FR 74001 (12/5/08), 74 FR 36516 (2/24/09")
    assert parsed.complete
    assert parsed.citations[-1].date == date(2009, 2, 24)
    assert parsed.citations[-1].text == "74 FR 36516 (2/24/09"


def test_dpl_style_without_separators() -> None:
    assert cites("68 F.R. 38290 6/27/03 71 F.R. 38843 7/10/06 72 F.R. 4236 1/30/07") == [
        (68, 38290, date(2003, 6, 27)),
        (71, 38843, date(2006, 7, 10)),
        (72, 4236, date(2007, 1, 30)),
    ]


def test_dpl_and_separator_and_eighties() -> None:
    assert cites("46 F.R. 46154 9/17/81 and 46 F.R. 19290 3/30/81") == [
        (46, 46154, date(1981, 9, 17)),
        (46, 19290, date(1981, 3, 30)),
    ]


def test_dpl_second_page_is_noted() -> None:
    (c,) = parse_citations("82 F.R. 16788, 16789 4/6/2017").citations
    assert (c.volume, c.page, c.date) == (82, 16788, date(2017, 4, 6))
    assert c.notes == ("second page 16789",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("81.F.R. 22576 4/18/2016", (81, 22576, date(2016, 4, 18))),
        ("83F.R. 65340 12/20/2018", (83, 65340, date(2018, 12, 20))),
        ("80 F.R.44930 7/28/15", (80, 44930, date(2015, 7, 28))),
        ("80 F.R 57572 9/24/15 ", (80, 57572, date(2015, 9, 24))),
        ("86 FR. 66277 11/22/2021", (86, 66277, date(2021, 11, 22))),
        ("84 F.R.  53405 10/7/2019", (84, 53405, date(2019, 10, 7))),
        ("74 F.R. 5812  2/2/09", (74, 5812, date(2009, 2, 2))),
        ("88 F.R.2604 1/17/2023 ", (88, 2604, date(2023, 1, 17))),
    ],
)
def test_dpl_typos(text: str, expected: tuple[int, int, date]) -> None:
    assert cites(text) == [expected]


def test_missing_volume_is_inferred_from_the_date() -> None:
    parsed = parse_citations("82 F.R. 2312 1/9/2017, F.R. 30823 7/3/2017, 82 F.R. 61745 12/29/2017")
    assert parsed.complete
    inferred = parsed.citations[1]
    assert (inferred.volume, inferred.page, inferred.date) == (82, 30823, date(2017, 7, 3))
    assert inferred.notes == ("volume 82 inferred from the date",)


def test_missing_fr_between_volume_and_page() -> None:
    parsed = parse_citations("87 F.R. 68123 11/14/2022, 88 39978 5/10/2023")
    assert parsed.complete
    assert (parsed.citations[1].volume, parsed.citations[1].page) == (88, 39978)
    assert parsed.citations[1].notes == ('"FR" missing between volume and page',)


def test_dpl_page_without_number() -> None:
    parsed = parse_citations("68 F.R. 38290 6/27/03 72 F.R. 1/30/07")
    assert parsed.complete
    assert (parsed.citations[1].volume, parsed.citations[1].page) == (72, None)
    assert parsed.citations[1].date == date(2007, 1, 30)


def test_impossible_and_truncated_dates_are_noted() -> None:
    (bad,) = parse_citations("86 F.R. 66277 11/222/2021").citations
    assert (bad.volume, bad.page, bad.date) == (86, 66277, None)
    assert bad.notes == ("impossible date '11/222/2021'",)
    (short,) = parse_citations("86 F.R. 66277 11/22/201").citations
    assert short.date is None
    assert short.notes == ("truncated year in '11/22/201'",)


def test_date_outside_its_volume_year_is_noted() -> None:
    (c,) = parse_citations("87 F.R. 52740 8/29/2002").citations
    assert c.date == date(2002, 8, 29)
    assert c.notes == ("date 2002-08-29 is not in volume 87 (2022)",)


def test_ecfr_style() -> None:
    assert cites("84 FR 54004, 10/9/19.") == [(84, 54004, date(2019, 10, 9))]
    assert cites("64 FR 28909,\n5/28/99.") == [(64, 28909, date(1999, 5, 28))]
    assert cites("81 FR 61601 preview citation details, 9/7/16") == [(81, 61601, date(2016, 9, 7))]
    assert cites("62 FR 35334, 6/30/97 66 FR 24267, 5/14/01") == [
        (62, 35334, date(1997, 6, 30)),
        (66, 24267, date(2001, 5, 14)),
    ]


def test_isn_volume_style() -> None:
    (c,) = parse_citations("Vol. 88, No. 151, 08/08/2023").citations
    assert (c.volume, c.page, c.issue, c.date) == (88, None, 151, date(2023, 8, 8))
    assert c.text == "Vol. 88, No. 151, 08/08/2023"
    assert cites("Vol. 64, No. 240 12/15/99") == [(64, None, date(1999, 12, 15))]
    assert cites("Vol. 59 No. 244, 12/21/94") == [(59, None, date(1994, 12, 21))]
    assert cites("Vol. 79, No. 184 , 09/23/14") == [(79, None, date(2014, 9, 23))]


def test_isn_public_notice() -> None:
    (c,) = parse_citations("Notice 2061, Vol. 59, No. 165, 8/26/94").citations
    assert (c.volume, c.issue, c.date) == (59, 165, date(1994, 8, 26))
    assert c.notes == ("public notice 2061",)


def test_leftovers_are_reported() -> None:
    parsed = parse_citations("66 FR 24266;70 FR 54629;75 FR 78877; 88 FR")
    assert [c.label for c in parsed.citations] == ["66 FR 24266", "70 FR 54629", "75 FR 78877"]
    assert parsed.leftovers == ("88 FR",)
    parsed = parse_citations("66 F.R. 47630 9/13/01, NEW F.R. NOTICE TO BE PUBLISHED SOON")
    assert len(parsed.citations) == 1
    assert parsed.leftovers == ("NEW F.R. NOTICE TO BE PUBLISHED SOON",)
    parsed = parse_citations("86 F.R. 66277 11/22/2021, 5/18/2022, 87 F.R. 68123 11/14/2022")
    assert parsed.leftovers == ("5/18/2022",)
    assert not parsed.complete


@pytest.mark.parametrize(
    "text", ["see notice", "FR", "Federal Register", "12345", "FRANCE 84", "§ 744.11", "F.R."]
)
def test_garbage_gives_no_citation(text: str) -> None:
    parsed = parse_citations(text)
    assert parsed.citations == ()
    assert parsed.leftovers == (text.strip(" ,;."),)


@pytest.mark.parametrize("text", [None, "", "   ", " ; "])
def test_blank(text: str | None) -> None:
    assert parse_citations(text).citations == ()
    assert parse_citations(text).complete


def test_two_digit_years_take_the_volumes_century() -> None:
    assert parse_us_date("6/30/97", volume=62) == (date(1997, 6, 30), None)
    assert parse_us_date("5/14/01", volume=66) == (date(2001, 5, 14), None)
    assert parse_us_date("5/14/01", volume=None) == (date(2001, 5, 14), None)
    assert parse_us_date("9/17/81", volume=None) == (date(1981, 9, 17), None)
    assert volume_year(84) == 2019


def test_earliest_date_and_dict() -> None:
    parsed = parse_citations("67 F.R. 56530 9/4/02 67 F.R. 10890 3/11/02")
    assert parsed.earliest_date() == date(2002, 3, 11)
    assert parsed.to_dict()["citations"][0] == {
        "volume": 67,
        "page": 56530,
        "date": "2002-09-04",
        "text": "67 F.R. 56530 9/4/02",
    }


def test_sort_key_orders_by_volume_then_page() -> None:
    a = Citation(85, 44159, None, "85 FR 44159")
    b = Citation(84, 54002, None, "84 FR 54002")
    assert min([a, b], key=Citation.sort_key) is b
