"""Unit tests of the Federal Register API reader on tests/fixtures/federal_register/
(written by us with the API's documented fields; no real API answer has been read here)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from entityscreen.errors import SourceError
from entityscreen.exportcontrol.federal_register import parse_citations
from entityscreen.exportcontrol.fr_api import (
    document_url,
    merge_rules,
    read_documents,
)
from entityscreen.exportcontrol.fr_rules import FrRule, FrRules, find_rule
from entityscreen.sources.fetch import fetch_documents


@pytest.fixture(scope="module")
def folder(fixtures: Path) -> Path:
    return fixtures / "federal_register"


def test_one_document(folder: Path) -> None:
    [doc], warnings = read_documents(folder / "2019-10616.json")
    assert warnings == []
    assert doc.document_number == "2019-10616"
    assert doc.url.startswith("https://www.federalregister.gov/documents/2019/05/21/2019-10616/")
    rule = doc.rule
    assert rule.label == "84 FR 22961"
    assert (rule.published, rule.effective) == (date(2019, 5, 21), date(2019, 5, 16))
    assert rule.last_page == 22968
    assert rule.verified is True
    assert "2019-10616" in rule.source and rule.title == "Addition of Entities to the Entity List"


def test_search_results(folder: Path) -> None:
    docs, warnings = read_documents(folder / "search_entity_list.json")
    assert [d.rule.label for d in docs] == ["84 FR 54002", "85 FR 44159"]
    no_effective = docs[1].rule
    # effective_on null: taken as publication, not verified
    assert no_effective.effective == no_effective.published == date(2020, 7, 22)
    assert no_effective.verified is False
    assert warnings == ["result 3: skipped: 2020-99999: no publication_date"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"errors": {"document_number": "not found"}}', "answered an error"),
        (
            '{"document_number": "2019-1", "citation": "84 FR x", "publication_date": "2019-5-1"}',
            "is not '<vol> FR <page>'",
        ),
        (
            '{"document_number": "2019-1", "citation": "84 FR 1", "publication_date": "21/5/2019"}',
            "publication_date '21/5/2019' is not a date",
        ),
        ('{"results": {"a": 1}}', "'results' is not a list"),
    ],
)
def test_bad_answers_are_one_line_errors(text: str, message: str) -> None:
    with pytest.raises(SourceError, match=message) as info:
        read_documents(text)
    assert "\n" not in str(info.value)


def test_bad_json_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text('{"document_number": "2019-10616",\n  "citation": }', encoding="utf-8")
    with pytest.raises(SourceError) as info:
        read_documents(path)
    assert str(info.value).startswith(f"{path}:2: invalid JSON")


def test_merge_publisher_wins_and_reports(folder: Path) -> None:
    base = FrRules(
        (
            FrRule(84, 22961, None, "Huawei", date(2019, 5, 21), date(2019, 5, 21), False, "x"),
            FrRule(85, 34495, None, "other", date(2020, 6, 5), date(2020, 6, 5), False, "y"),
        ),
        20,
    )
    api, _ = read_documents(folder / "2019-10616.json")
    more, _ = read_documents(folder / "search_entity_list.json")
    merged, disagreements = merge_rules([*api, *more], base)
    assert [r.label for r in merged.rules] == [
        "84 FR 22961",
        "84 FR 54002",
        "85 FR 34495",
        "85 FR 44159",
    ]
    assert disagreements == [
        "84 FR 22961: effective 2019-05-21 in fr_rules.yml, 2019-05-16 from the Federal "
        "Register API"
    ]
    huawei = find_rule(parse_citations("84 FR 22963, 5/21/19").citations[0], merged)
    assert huawei is not None and huawei.verified and huawei.effective == date(2019, 5, 16)


def test_merge_over_packaged_data_agrees(folder: Path) -> None:
    api, _ = read_documents(folder / "2019-10616.json")
    merged, disagreements = merge_rules(api)
    assert disagreements == []
    assert next(r for r in merged.rules if r.label == "84 FR 22961").verified is True


def test_fetch_from_a_file_url(folder: Path, tmp_path: Path) -> None:
    assert document_url("2019-10616") == (
        "https://www.federalregister.gov/api/v1/documents/2019-10616.json"
    )
    with pytest.raises(ValueError):
        document_url("../etc/passwd")
    api_dir = tmp_path / "api" / "documents"
    api_dir.mkdir(parents=True)
    (api_dir / "2019-10616.json").write_bytes((folder / "2019-10616.json").read_bytes())
    base = (tmp_path / "api").as_uri()
    docs, warnings = fetch_documents(["2019-10616"], tmp_path / "out", base=base)
    assert [d.rule.label for d in docs] == ["84 FR 22961"] and warnings == []
    assert (tmp_path / "out" / "2019-10616.json").is_file()
