"""The saved index format (format 5, issue #13 item 6): string columns as buffers, raw
arrays and a JSON header, no pickle. Round trips exactly; an older (pickled) index, a
truncated or damaged file are refused with one line and rebuilt by the service."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from entityscreen.errors import InputError
from entityscreen.matching import MatchIndex, persist
from entityscreen.matching.columns import Strings, StringsBuilder
from entityscreen.matching.persist import ENTRY_COLUMNS, NAME_COLUMNS
from entityscreen.model import Entry, Identifier, Name, NameKind, Party, Schema
from entityscreen.service.view import cached_index

ENTRIES = [
    Entry(
        id="el:1",
        source="csl",
        list="EL",
        schema=Schema.ORGANIZATION,
        names=(
            Name("Hangzhou Hikvision Digital Technology Co., Ltd."),
            Name("Hikvision", NameKind.AKA),
            Name("Hik Vision", NameKind.WEAK),
        ),
        countries=("CN", "HK"),
        identifiers=(Identifier(type="Registration", value="91330000733796106P"),),
    ),
    Entry(
        id="sdn:3",
        source="ofac",
        list="SDN",
        schema=Schema.PERSON,
        names=(Name("PUTIN, Vladimir Vladimirovich"), Name("Путин Владимир")),
        countries=("RU",),
        birth_dates=("1952-10-07", "1952"),
    ),
    Entry(
        id="el:9",
        source="csl",
        list="EL",
        schema=Schema.UNKNOWN,
        names=(Name("Luoyang Institute of Technology"), Name("洛阳理工学院")),
    ),
    Entry(id="x:4", source="own", list="CUSTOM", schema=Schema.VESSEL, names=(Name("Ümit 𝔸"),)),
]

# name_lengths is derived on load, not saved: compared as well.
COLUMNS = (*ENTRY_COLUMNS, *NAME_COLUMNS, "name_lengths")


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex.build(ENTRIES)


def _plain(value: object) -> object:
    return value.tolist() if isinstance(value, np.ndarray) else list(value)  # type: ignore[call-overload]


def test_save_then_load_gives_every_field_back_exactly(index: MatchIndex, tmp_path: Path) -> None:
    index.save(tmp_path / "i.idx")
    loaded = MatchIndex.load(tmp_path / "i.idx")
    for name in COLUMNS:
        assert _plain(getattr(loaded, name)) == _plain(getattr(index, name)), name
    for name in ("name_entry", "name_word_lengths", "key_hashes", "key_offsets", "postings"):
        mine, theirs = getattr(index, name), getattr(loaded, name)
        assert theirs.dtype == mine.dtype and (theirs == mine).all(), name
    assert loaded.rarity.counts == index.rarity.counts
    assert loaded.rarity.total == index.rarity.total
    assert loaded.entry_identifiers[0] == frozenset({"91330000733796106P"})
    assert loaded.entry_countries[0] == ("CN", "HK")
    assert loaded.entry_birth_dates[1] == ("1952-10-07", "1952")
    assert loaded.entry_birth_dates[0] == ()
    assert loaded.name_weak == [False, False, True, False, False, False, False, False]
    for party in (Party(name="Hikvision"), Party(name="Putin Vladimir"), Party(name="Umit")):
        assert loaded.screen(party, threshold=0.0) == index.screen(party, threshold=0.0)


def test_the_file_holds_no_pickle(index: MatchIndex, tmp_path: Path) -> None:
    index.save(tmp_path / "i.idx")
    data = (tmp_path / "i.idx").read_bytes()
    assert data.startswith(persist.MAGIC)
    with pytest.raises(pickle.UnpicklingError):
        pickle.loads(data)


def test_strings_keep_any_value() -> None:
    values = ["", "a", "Ümit", "洛阳", "with\0nul", "\ud800 lone surrogate", "𝔸", ""]
    column = Strings.of(values)
    assert list(column) == values
    assert [column[i] for i in range(len(values))] == values
    assert column[-1] == values[-1] and column[1:3] == values[1:3]
    assert column.char_lengths().tolist() == [len(v) for v in values]
    with pytest.raises(IndexError):
        column[len(values)]
    data, starts = column.buffers()
    assert Strings.from_buffers(data, starts) == column == values
    builder = StringsBuilder()
    builder.extend(["x", "y"])
    assert len(builder) == 2 and builder.finish() == ["x", "y"]


def test_an_index_of_the_pickle_format_is_refused_and_rebuilt(tmp_path: Path) -> None:
    # Format 4 was one pickle of the state: refused by its first bytes, never unpickled.
    path = tmp_path / "lists-k.idx"
    path.write_bytes(pickle.dumps({"format": persist.FORMAT, "version": 4}, protocol=5))
    with pytest.raises(InputError, match="not a match index of this version"):
        MatchIndex.load(path)
    built: list[int] = []

    def entries() -> list[Entry]:
        built.append(1)
        return ENTRIES

    rebuilt = cached_index(tmp_path, "lists", "k", entries)
    assert built == [1] and len(rebuilt) == len(ENTRIES)
    assert len(MatchIndex.load(path)) == len(ENTRIES)


@pytest.mark.parametrize("version", [6, 9])
def test_another_format_version_is_refused(index: MatchIndex, tmp_path: Path, version: int) -> None:
    # 6: an index saved before the analyses were stored (format 7); 9: a newer one.
    assert persist.FORMAT_VERSION == 7
    path = tmp_path / "i.idx"
    index.save(path)
    data = path.read_bytes().replace(
        f'"version": {persist.FORMAT_VERSION}'.encode(), f'"version": {version}'.encode()
    )
    path.write_bytes(data)
    with pytest.raises(InputError, match="another version; rebuild it") as caught:
        MatchIndex.load(path)
    assert "\n" not in str(caught.value)


def _one_line_refusal(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        MatchIndex.load(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


@pytest.mark.parametrize("keep", [0, 10, 30, 200, 0.5, 0.9, -1])
def test_a_truncated_index_is_refused_in_one_line_and_rebuilt(
    index: MatchIndex, tmp_path: Path, keep: float
) -> None:
    path = tmp_path / "lists-k.idx"
    index.save(path)
    data = path.read_bytes()
    cut = int(len(data) * keep) if isinstance(keep, float) else keep
    path.write_bytes(data[:cut])
    _one_line_refusal(path)
    rebuilt = cached_index(tmp_path, "lists", "k", lambda: ENTRIES)
    assert rebuilt.screen(Party(name="Hikvision"))[0].entry_id == "el:1"
    assert len(MatchIndex.load(path)) == len(ENTRIES)


def test_damaged_sections_are_refused_in_one_line(index: MatchIndex, tmp_path: Path) -> None:
    path = tmp_path / "i.idx"
    index.save(path)
    state = persist.load_state(path)
    damaged = [
        {**state, "postings": state["postings"] + np.int32(len(index.name_texts))},
        {**state, "name_entry": state["name_entry"][:-1]},
        {**state, "key_offsets": state["key_offsets"][::-1].copy()},
        {**state, "entry_ids": Strings.of(["only one"])},
        {**state, "entry_schemas": ["martian"] * len(index)},
        {k: v for k, v in state.items() if k != "postings"},
    ]
    for bad in damaged:
        persist.save_state(bad, path)
        _one_line_refusal(path)
    # Bytes overwritten in the header, in a string buffer, in offsets.
    index.save(path)
    saved = path.read_bytes()
    head = len(persist.MAGIC) + 8
    path.write_bytes(saved[:head] + b"#" + saved[head + 1 :])
    _one_line_refusal(path)
    for section, value in (
        ("entry_primary.data", b"\xff"),
        ("name_texts.data", b"\xc3"),
        ("name_texts.starts", b"\x7f"),
        ("entry_countries.starts", b"\x7f"),
        ("entry_schemas", b"\x7f"),
    ):
        start = _section_start(saved, section) + 3
        path.write_bytes(saved[:start] + value + saved[start + len(value) :])
        assert "damaged" in _one_line_refusal(path), section


def _section_start(data: bytes, name: str) -> int:
    """Where a section's bytes begin in a saved index."""
    head = len(persist.MAGIC) + 8
    length = int.from_bytes(data[len(persist.MAGIC) : head], "little")
    header = json.loads(data[head : head + length])
    at = head + length
    for section, _, size in header["sections"]:
        if section == name:
            return at
        at += size
    raise KeyError(name)


def test_offsets_widen_past_their_4_byte_range(monkeypatch: pytest.MonkeyPatch) -> None:
    from entityscreen.matching import columns

    monkeypatch.setattr(columns, "_SMALL_MAX", 10)
    values = ["abc", "defgh", "Ümit", "", "x"]
    column = Strings.of(values)
    data, starts = column.buffers()
    assert starts.dtype == np.int64 and list(column) == values
    assert Strings.from_buffers(data, starts) == values
    assert column.char_lengths().tolist() == [3, 5, 4, 0, 1]
