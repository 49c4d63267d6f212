"""Listed names' analyses stored in the index (format 7, :mod:`entityscreen.matching.stored`):
decoded equal to ``analyze_name`` (same classes, same values) for names of every script
and kind; a saved and loaded index screens as the built one; damaged bytes are refused on
load in one line, and bytes the codec cannot read or write fall back to analysing."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from entityscreen.errors import InputError
from entityscreen.matching import MatchIndex, persist
from entityscreen.matching.scorer import person_hint
from entityscreen.matching.stored import StoredAnalyses, decode_analysis, encode_analysis
from entityscreen.model import Entry, Name, NameKind, Party, Schema
from entityscreen.names import analyze_name
from entityscreen.names.analysis import NameAnalysis
from entityscreen.names.tokens import Token, TokenKind


def _entry(n: int, schema: Schema, *names: str | tuple[str, NameKind]) -> Entry:
    made = tuple(Name(v) if isinstance(v, str) else Name(v[0], v[1]) for v in names)
    return Entry(id=f"t:{n}", source="test", list="T", schema=schema, names=made)


P, ORG, V, U = Schema.PERSON, Schema.ORGANIZATION, Schema.VESSEL, Schema.UNKNOWN
ENTRIES = [
    _entry(1, P, "PUTIN, Vladimir Vladimirovich", "Путин Владимир Владимирович", "V. V. Putin"),
    _entry(2, P, "Muhammad bin Abdullah AL-QAHTANI", "محمد بن عبد الله القحطاني"),
    _entry(3, P, "KIM Jong Un", "김정은", "金正恩", ("Kim Jong-un", NameKind.WEAK)),
    _entry(4, P, "習近平", "Xi Jinping", "Jean-Pierre O'Neil Jr."),
    _entry(5, P, "山田 太郎", "やまだ たろう", "ヤマダ タロウ", "Nguyễn Văn Lê Phương"),
    _entry(6, P, "Kyaw Myat Naing", "ကျော်မြတ်နိုင်", "Ümit Özdemir 𝔸", "Pope John XXIII"),
    _entry(
        7,
        ORG,
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
        "杭州海康威视数字技术股份有限公司",
        ("Hik Vision", NameKind.WEAK),
        "Intl Trading Group (Dubai Branch)",
    ),
    _entry(8, ORG, "ООО «Ромашка»", "Romashka LLC", "OAO Gazprom Neft", "Bank Melli Iran PJSC"),
    _entry(9, ORG, "3 Sisters 44 Holdings GmbH & Co. KG", "A.B.C. Mfg. Corp.", "No.3 Factory"),
    _entry(10, ORG, "株式会社トヨタ", "삼성전자 주식회사", "BANK OF KUNLUN CO., LTD. (f.k.a. X)"),
    _entry(11, ORG, "Shahid Bagheri Industries Group, formerly known as SBIG", "S.B.I.G."),
    _entry(12, V, "M/V SEA STAR II", "MT Ocean Glory 7", "ناقلة النفط دارا"),
    _entry(13, U, "Luoyang Institute of Technology", "洛阳理工学院", "SMITH, John"),
    _entry(14, U, "Al-Qaida in the Islamic Maghreb (AQIM)", "Jamaat Nusrat al-Islam wal-Muslimin"),
    _entry(15, P, "with\ud800lone surrogate", "O'Doyle, Seán Ó Briain", "Ig0r Petr0v"),
]

QUERIES = [
    Party(name="Vladimir Putin"),
    Party(name="Путин", schema=P),
    Party(name="Kim Jong Un", schema=P),
    Party(name="Hikvision", schema=ORG),
    Party(name="Hangzhou Hikvision Digital Technology Company Limited"),
    Party(name="Romashka OOO"),
    Party(name="Sea Star 2", schema=V),
    Party(name="Luoyang Institute of Tech"),
    Party(name="Muhammad Abdullah Qahtani"),
    Party(name="Yamada Taro"),
    Party(name="Three Sisters 44 Holdings"),
    Party(name="Bank Kunlun"),
    Party(name="Nguyen Van Le Phuong"),
]


def same_analysis(a: object, b: object, where: str = "analysis") -> None:
    """``a == b`` with the same classes all the way down (a bool is no int)."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} / {type(b).__name__}"
    if dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            same_analysis(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, tuple | list):
        assert len(a) == len(b), where  # type: ignore[arg-type]
        for i, (x, y) in enumerate(zip(a, b, strict=True)):  # type: ignore[call-overload]
            same_analysis(x, y, f"{where}[{i}]")
    elif isinstance(a, frozenset):
        assert a == b and all(type(v) is str for v in a), where
    else:
        assert a == b, where


def _expected(index: MatchIndex, name_id: int) -> NameAnalysis:
    schema = index.entry_schemas[int(index.name_entry[name_id])]
    return analyze_name(index.name_texts[name_id], person=person_hint(schema))


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex.build(ENTRIES, keep_analyses=False)


def test_every_name_decodes_to_its_analysis(index: MatchIndex) -> None:
    assert index.name_count == len(index.stored) > 40
    kinds: set[TokenKind] = set()
    forms = scripts = 0
    for name_id in range(index.name_count):
        expected = _expected(index, name_id)
        start, end = index.stored.buffers()[1][name_id : name_id + 2]
        assert end > start, index.name_texts[name_id]  # every one of them is stored
        same_analysis(index.analysis(name_id), expected)
        kinds |= {t.kind for f in expected.forms for t in f.tokens}
        forms = max(forms, len(expected.forms))
        scripts = max(scripts, len({t.script for f in expected.forms for t in f.tokens}))
    # The fixtures exercise every token kind, several forms and scripts in one name.
    assert kinds == set(TokenKind) and forms >= 3 and scripts >= 2


FLAGS = ("generic", "place", "country", "qualifier", "abbreviated", "initials", "syllable", "cased")


def test_flags_alternatives_and_legal_forms_round_trip() -> None:
    seen: set[str] = set()
    for entry in ENTRIES:
        for name in entry.names:
            analysis = analyze_name(name.value, person=person_hint(entry.schema))
            blob = encode_analysis(analysis)
            same_analysis(decode_analysis(blob, 0, len(blob), name.value), analysis)
            for token in (t for f in analysis.forms for t in f.tokens):
                seen |= {k for k in FLAGS if getattr(token, k)}
                seen |= {"alts"} if token.alts else set()
                seen |= {"legal"} if token.legal is not None else set()
            seen |= {"guess"} if any(f.guess for f in analysis.forms) else set()
            seen |= {"former"} if any(f.former for f in analysis.forms) else set()
    assert seen >= {*FLAGS, "alts", "legal", "guess", "former"}


def test_a_decoded_blob_read_from_the_middle_of_a_buffer() -> None:
    names = ["Bank Melli Iran", "金正恩", "SMITH, John"]
    blobs = [encode_analysis(analyze_name(n, person=None)) for n in names]
    column = StoredAnalyses.of(blobs)
    assert len(column) == 3
    for i, name in enumerate(names):
        same_analysis(column.analysis(i, name, None), analyze_name(name, person=None))


def test_what_cannot_be_written_is_analysed_again() -> None:
    analysis = analyze_name("Intl Trading Group", person=False)
    odd = Token("x", TokenKind.WORD, "x", alts=frozenset({"a\x1fb"}))
    form = dataclasses.replace(analysis.forms[0], tokens=(odd,))
    assert encode_analysis(dataclasses.replace(analysis, forms=(form,))) == b""
    column = StoredAnalyses.of([b""])
    same_analysis(column.analysis(0, "Intl Trading Group", False), analysis)


@pytest.mark.parametrize("cut", [1, 5, -1])
def test_bytes_that_do_not_decode_are_analysed_again(cut: int) -> None:
    blob = encode_analysis(analyze_name("Bank Melli Iran PJSC", person=False))
    for bad in (blob[:cut], blob + b"\x00", b"\xff" * 12, blob[:1] + b"\xff\xfe" + blob[3:]):
        with pytest.raises((ValueError, IndexError)):
            decode_analysis(bad, 0, len(bad), "Bank Melli Iran PJSC")
        column = StoredAnalyses.of([bad])
        same_analysis(
            column.analysis(0, "Bank Melli Iran PJSC", False),
            analyze_name("Bank Melli Iran PJSC", person=False),
        )


def test_offsets_that_do_not_make_a_column_are_refused() -> None:
    from array import array

    with pytest.raises(ValueError):
        StoredAnalyses.from_buffers(b"abc", array("q", [0, 2]))
    with pytest.raises(ValueError):
        StoredAnalyses.from_buffers(b"abc", array("q", [0, 2, 1, 3]))
    with pytest.raises(ValueError):
        StoredAnalyses.from_buffers(b"", array("q"))
    assert len(StoredAnalyses.from_buffers(b"abc", array("q", [0, 1, 3]))) == 2


def test_saved_and_loaded_index_screens_as_the_built_one(tmp_path: Path) -> None:
    built = MatchIndex.build(ENTRIES)  # analyses kept in memory, as the CLI's first build
    built.save(tmp_path / "i.idx")
    loaded = MatchIndex.load(tmp_path / "i.idx")
    assert loaded.stored == built.stored and not loaded._analyses
    for party in QUERIES:
        mine = loaded.screen(party, threshold=0.0)
        assert mine == built.screen(party, threshold=0.0), party.name
        assert mine, party.name
    for name_id in range(loaded.name_count):
        same_analysis(loaded.analysis(name_id), _expected(loaded, name_id))


def _section(path: Path, name: str) -> tuple[int, int]:
    """Where section ``name`` of a saved index is (offset, size)."""
    data = path.read_bytes()
    at = len(persist.MAGIC)
    length = int.from_bytes(data[at : at + 8], "little")
    header = json.loads(data[at + 8 : at + 8 + length])
    offset = at + 8 + length
    for section, _, size in header["sections"]:
        if section == name:
            return offset, size
        offset += size
    raise KeyError(name)


@pytest.mark.parametrize("section", ["name_analyses.data", "name_analyses.starts"])
@pytest.mark.parametrize("where", [0, 0.5, -1])
def test_an_altered_analyses_section_is_refused_in_one_line(
    index: MatchIndex, tmp_path: Path, section: str, where: float
) -> None:
    path = tmp_path / "i.idx"
    index.save(path)
    offset, size = _section(path, section)
    data = bytearray(path.read_bytes())
    at = offset + (size - 1 if where == -1 else int(size * where))
    data[at] ^= 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as caught:
        MatchIndex.load(path)
    assert "\n" not in str(caught.value) and "damaged" in str(caught.value)


def test_analyses_sections_of_the_wrong_kind_are_refused_in_one_line(
    index: MatchIndex, tmp_path: Path
) -> None:
    path = tmp_path / "i.idx"
    index.save(path)
    data = path.read_bytes()
    at = len(persist.MAGIC)
    length = int.from_bytes(data[at : at + 8], "little")
    header = json.loads(data[at + 8 : at + 8 + length])
    for section in header["sections"]:
        if section[0] == "name_analyses.starts":
            section[1] = "bytes"  # the same bytes, read as bytes instead of offsets
    head = json.dumps(header).encode()
    path.write_bytes(data[:at] + len(head).to_bytes(8, "little") + head + data[at + 8 + length :])
    with pytest.raises(InputError) as caught:
        MatchIndex.load(path)
    assert "\n" not in str(caught.value) and "wrong kind" in str(caught.value)
