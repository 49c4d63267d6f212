"""The match index: candidates, screening, evidence, persistence."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entityscreen.errors import InputError
from entityscreen.matching import DEFAULT_THRESHOLD, MatchIndex, compare_names
from entityscreen.model import Entry, Name, NameKind, Party, Schema

#: Known regression of matching 0.4 (issue #9's closing note): an organisation's name whose
#: descriptive word is translated in the other script ("Bakeries" / "מאפיות", "Shipyard" /
#: Burmese, "Rossii" / "of Russia") now scores below the threshold, because the fitted
#: penalties for words left over on both sides do not know a translation. Strict: when it
#: is mended, these tests fail until the mark is removed.
TRANSLATED_WORD_REGRESSION = pytest.mark.xfail(
    strict=True, reason="matching 0.4: translated descriptive words of organisations"
)

ENTRIES = [
    Entry(
        id="el:1",
        source="csl",
        list="EL",
        schema=Schema.ORGANIZATION,
        names=(
            Name("Hangzhou Hikvision Digital Technology Co., Ltd."),
            Name("Hikvision", NameKind.AKA),
        ),
        countries=("CN",),
    ),
    Entry(
        id="el:2",
        source="csl",
        list="EL",
        schema=Schema.ORGANIZATION,
        names=(Name("Guangzhou Haige Communication Group Co., Ltd."),),
        countries=("CN",),
    ),
    Entry(
        id="sdn:3",
        source="ofac",
        list="SDN",
        schema=Schema.PERSON,
        names=(Name("PUTIN, Vladimir Vladimirovich"),),
        countries=("RU",),
    ),
    Entry(
        id="sdn:4",
        source="ofac",
        list="SDN",
        schema=Schema.ORGANIZATION,
        names=(Name("Sberbank of Russia"), Name("ПАО Сбербанк", NameKind.ORIGINAL_SCRIPT)),
        countries=("RU",),
    ),
    Entry(
        id="sdn:5",
        source="ofac",
        list="SDN",
        schema=Schema.VESSEL,
        names=(Name("Hoshikaze Maru No. 8"),),
    ),
    Entry(
        id="dpl:6", source="bis", list="DPL", schema=Schema.UNKNOWN, names=(Name("11420 Corp."),)
    ),
]


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex.build(ENTRIES)


def test_screen_finds_brand_and_abbreviations(index: MatchIndex) -> None:
    assert index.screen(Party(name="HIKVISION"))[0].entry_id == "el:1"
    match = index.screen(Party(name="GUANGZHOU HAIGE COMM GRP"))[0]
    assert match.entry_id == "el:2"
    assert match.list == "EL" and match.source == "csl" and match.countries == ("CN",)
    assert match.listed_name == "Guangzhou Haige Communication Group Co., Ltd."
    assert "'haige' = 'haige'" in match.explanation


def test_screen_person_order_and_script(index: MatchIndex) -> None:
    match = index.screen(Party(name="Vladimir Putin", schema=Schema.PERSON))[0]
    assert match.entry_id == "sdn:3"


def test_screen_company_in_another_script(index: MatchIndex) -> None:
    matches = index.screen(Party(name="Сбербанк России"))
    assert matches and matches[0].entry_id == "sdn:4"


def test_numbers_must_match(index: MatchIndex) -> None:
    assert index.screen(Party(name="Hoshikaze Maru No. 6")) == []
    assert index.screen(Party(name="Belletech Corp")) == []


def test_lists_filter(index: MatchIndex) -> None:
    assert index.screen(Party(name="Hikvision"), lists={"SDN"}) == []
    assert index.screen(Party(name="Hikvision"), lists={"EL"})


def test_country_and_schema_evidence(index: MatchIndex) -> None:
    plain = index.screen(Party(name="Hangzhou Hikvision Digital"))[0].score
    agree = index.screen(Party(name="Hangzhou Hikvision Digital", country="cn"))[0].score
    disagree = index.screen(Party(name="Hangzhou Hikvision Digital", country="FR"))[0].score
    assert agree > plain > disagree
    exact = index.screen(Party(name="Hoshikaze Maru No. 8", country="FR"))[0]
    assert exact.score >= DEFAULT_THRESHOLD
    person = index.screen(
        Party(name="Hangzhou Hikvision Digital", schema=Schema.PERSON), threshold=0.0
    )[0]
    assert person.score < plain
    assert person.features["f_schema_conflict"] == 1.0


def test_screen_agrees_with_compare_names(index: MatchIndex) -> None:
    match = index.screen(Party(name="Guangzhou Haige Comm Group"))[0]
    direct = compare_names(
        "Guangzhou Haige Comm Group",
        match.matched_name,
        schema=Schema(match.schema),
        rarity=index.rarity,
    )
    assert match.score == direct.score


def test_aliases_of_the_party_are_screened(index: MatchIndex) -> None:
    party = Party(name="Unknown Widget Makers", aliases=("Hikvision",))
    match = index.screen(party)[0]
    assert match.query_name == "Hikvision"


def test_candidates_and_limits(index: MatchIndex) -> None:
    assert index.candidates(Party(name="Hikvision"), limit=1) == ["el:1"]
    assert len(index.screen(Party(name="Co Ltd"), threshold=0.0, limit=1)) <= 1


def test_bad_party_names(index: MatchIndex) -> None:
    with pytest.raises(InputError):
        index.screen(Party(name=""))
    assert index.screen_many([Party(name=""), Party(name="Hikvision")])[0] == []


def test_screen_many_matches_screen(index: MatchIndex) -> None:
    parties = [Party(name=n) for n in ("Hikvision", "Sberbank", "Haige", "Nobody Here")]
    assert index.screen_many(parties) == [index.screen(p) for p in parties]
    assert index.screen_many(parties * 3, workers=2) == [index.screen(p) for p in parties * 3]


def test_save_and_load(index: MatchIndex, tmp_path: Path) -> None:
    path = tmp_path / "index.pickle"
    index.save(path)
    loaded = MatchIndex.load(path)
    party = Party(name="GUANGZHOU HAIGE COMM GRP")
    assert loaded.screen(party) == index.screen(party)
    assert len(loaded) == len(index)


def test_load_refuses_other_files(tmp_path: Path) -> None:
    path = tmp_path / "other.pickle"
    import pickle

    path.write_bytes(pickle.dumps({"format": "something else"}))
    with pytest.raises(InputError):
        MatchIndex.load(path)


def test_an_index_saved_with_other_name_keys_is_rebuilt(
    index: MatchIndex, tmp_path: Path
) -> None:
    """Issue #13 (no answer from stale state): the name keys changed once without a
    version bump, and a saved index then answered with keys it was not built with. The
    key code's fingerprint is saved; an index of other keys is refused and rebuilt."""
    from entityscreen.matching.persist import load_state, save_state
    from entityscreen.service.view import cached_index

    path = tmp_path / "lists-k.idx"
    index.save(path)
    state = load_state(path)
    assert state["keys"]
    state["keys"] = "built-by-other-key-code"
    save_state(state, path)
    with pytest.raises(InputError, match="other name keys"):
        MatchIndex.load(path)
    built: list[int] = []

    def entries() -> list[Entry]:
        built.append(1)
        return [
            Entry(id="x1", source="t", list="T", schema=Schema.ORGANIZATION,
                  names=(Name("Zorgon Trading Ltd"),))
        ]

    rebuilt = cached_index(tmp_path, "lists", "k", entries)
    assert built == [1] and len(rebuilt) == 1
    assert MatchIndex.load(path).screen(Party(name="Zorgon Trading Ltd"))


def test_parallel_build_gives_the_same_index() -> None:
    many = [
        Entry(
            id=f"e{i}",
            source="t",
            list="T",
            schema=Schema.ORGANIZATION,
            names=(Name(f"Company Number {i} Zorgon{i % 97} Ltd"),),
        )
        for i in range(2500)
    ]
    one = MatchIndex.build(many)
    two = MatchIndex.build(many, workers=2)
    assert (one.key_hashes == two.key_hashes).all()
    assert (one.postings == two.postings).all()


listed_names = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9), min_size=1, max_size=4
).map(lambda ws: " ".join(ws).title())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(listed_names, min_size=1, max_size=8, unique=True), st.data())
def test_a_listed_name_finds_its_entry_at_one(names: list[str], data: st.DataObject) -> None:
    entries = [
        Entry(id=f"e{i}", source="t", list="T", schema=Schema.ORGANIZATION, names=(Name(n),))
        for i, n in enumerate(names)
    ]
    index = MatchIndex.build(entries)
    i = data.draw(st.integers(0, len(names) - 1))
    try:
        matches = index.screen(Party(name=names[i]), limit=len(names))
    except InputError:
        return
    found = {m.entry_id: m.score for m in matches}
    assert found.get(f"e{i}") == 1.0


_OTHER_SCRIPTS = [
    Entry(
        id="x:mm",
        source="own",
        list="OWN",
        schema=Schema.ORGANIZATION,
        names=(Name("ကျော်ဇော်မင်း သင်္ဘောကျင်း ကုမ္ပဏီလီမိတက်"),),
    ),
    Entry(id="x:jp", source="own", list="OWN", schema=Schema.PERSON, names=(Name("佐藤健二"),)),
    Entry(id="x:kr", source="own", list="OWN", schema=Schema.PERSON, names=(Name("박민수"),)),
]


@pytest.mark.parametrize(
    ("query", "schema", "wanted"),
    [
        pytest.param(
            "Kyaw Zaw Min Shipyard Co., Ltd.",
            Schema.ORGANIZATION,
            "x:mm",
            marks=TRANSLATED_WORD_REGRESSION,
        ),
        ("Sato Kenji", Schema.PERSON, "x:jp"),
        ("Park Min Su", Schema.PERSON, "x:kr"),
    ],
)
def test_names_in_other_scripts_are_found_from_their_latin_spellings(
    query: str, schema: Schema, wanted: str
) -> None:
    # Listed in Myanmar script (one word a name, syllables joined), Japanese kanji and
    # Hangul; screened as Latin spellings. Each must come back as a candidate and a match.
    index = MatchIndex.build([*_OTHER_SCRIPTS, *ENTRIES])
    party = Party(name=query, schema=schema)
    assert wanted in index.candidates(party, limit=25), query
    matches = index.screen(party)
    assert matches and matches[0].entry_id == wanted, query


def test_an_entry_of_unknown_schema_with_an_organisations_name_is_no_person(
    tmp_path: Path,
) -> None:
    # The Entity List does not say what a party is; "... Institute of Technology" is an
    # organisation, and a person's name does not alert on it, while it still matches
    # a query of unknown schema, and a person-like name of unknown schema a person.
    entries = [
        Entry(id="el:9", source="el", list="EL", schema=Schema.UNKNOWN,
              names=(Name("Luoyang Institute of Technology"),)),
        Entry(id="el:10", source="el", list="EL", schema=Schema.UNKNOWN,
              names=(Name("Luo Yang"),)),
    ]
    index = MatchIndex.build(entries)
    assert index.entry_named_orgs == [True, False]
    person = index.screen(Party(name="Luoyang Institute of Technology", schema=Schema.PERSON))
    assert "el:9" not in [m.entry_id for m in person]
    unknown = index.screen(Party(name="Luoyang Institute of Technology"))
    assert [m.entry_id for m in unknown][:1] == ["el:9"]
    assert unknown[0].schema == "unknown"
    assert [m.entry_id for m in index.screen(Party(name="Luo Yang", schema=Schema.PERSON))] == [
        "el:10"
    ]
    index.save(tmp_path / "i.idx")
    assert MatchIndex.load(tmp_path / "i.idx").entry_named_orgs == [True, False]
