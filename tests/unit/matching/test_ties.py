"""Equal scores: which entry a screening shows first (``MatchIndex.screen``)."""

from __future__ import annotations

from entityscreen.matching import MatchIndex
from entityscreen.model import Entry, Name, NameKind, Party, Schema
from entityscreen.names.analysis import identity_words


def _entry(id_: str, name: str, *aliases: str, country: str) -> Entry:
    names = (Name(name), *(Name(a, NameKind.AKA) for a in aliases))
    return Entry(
        id=id_, source="test", list="EL", schema=Schema.ORGANIZATION, names=names,
        countries=(country,),
    )  # fmt: skip


def test_identity_words_leave_out_legal_forms_and_stopwords() -> None:
    assert identity_words("Huawei Technologies Co., Ltd.") == "huawei technologies"
    assert identity_words("HUAWEI TECHNOLOGIES (UK) CO., LTD.") == "huawei technologies uk"
    assert identity_words("Bank of China") == "bank china"
    assert identity_words("") == ""


def test_of_equal_scores_the_entry_named_as_the_query_goes_first() -> None:
    # The Entity List's head office and two affiliates its entries name "Huawei
    # Technology": all three are the query at 1.0 (the head office through its alias).
    # The head office's name is the query's words with a legal form; it goes first,
    # whatever the ids' order.
    head_office = _entry(
        "el:9", "Huawei Technologies Co., Ltd.", "Huawei Technology",
        "Shenzhen Huawei Technologies", country="CN",
    )  # fmt: skip
    index = MatchIndex.build(
        [
            _entry("el:1", "Huawei Technology", country="EG"),
            _entry("el:2", "Huawei Technology Co. Ltd.", country="VN"),
            head_office,
        ]
    )
    matches = index.screen(Party(name="Huawei Technologies"))
    assert [m.score for m in matches] == [1.0, 1.0, 1.0]
    assert matches[0].entry_id == "el:9"
    assert [m.entry_id for m in matches[1:]] == ["el:1", "el:2"]
