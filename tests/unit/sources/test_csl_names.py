"""CSL name repairs: certain apostrophes, "Affiliated Entity" rows, places in names."""

from __future__ import annotations

from pathlib import Path

from entityscreen.model import Address
from entityscreen.sources.csl import CSL_CSV, clean_name

HEADER = (
    "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
    "start_date,end_date,standard_order,license_requirement,license_policy,call_sign,"
    "vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,"
    "source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,"
    "source_information_url,ids"
)
EL = "Entity List (EL) - Bureau of Industry and Security"


def test_question_mark_repaired_only_where_it_is_an_apostrophe() -> None:
    assert clean_name("Donetsk People?s Republic").name == "Donetsk People's Republic"
    assert clean_name("China Academy of Engineering Physics (CAEP)?s 902 Institute").name == (
        "China Academy of Engineering Physics (CAEP)'s 902 Institute"
    )
    assert clean_name("Xi?an Research Institute").name == "Xi'an Research Institute"
    # quotes and lost letters: not certain, kept as published
    assert clean_name("OOO ?Gazprom?").name == "OOO ?Gazprom?"
    assert clean_name("Sociedad An?nima").name == "Sociedad An?nima"


def test_affiliated_entity_split_into_name_and_parent() -> None:
    cleaned = clean_name(
        "Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Hangzhou Huawei Enterprises"
    )
    assert cleaned.name == "Hangzhou Huawei Enterprises"
    assert cleaned.parent == "Huawei Technologies Co., Ltd. (Huawei)"


def test_place_moved_out_of_the_name_only_when_the_address_names_it() -> None:
    home = [Address(full="Xi'an, CN", country="CN")]
    cleaned = clean_name("Xi?an Huawei Technologies Co., Ltd., Xi?an, Shaanxi", home)
    assert (cleaned.name, cleaned.place) == (
        "Xi'an Huawei Technologies Co., Ltd.",
        "Xi'an, Shaanxi",
    )
    kept = clean_name(
        "Huawei Technologies Co., Ltd., Beijing Research Institute",
        [Address(full="No. 18, Muhe Rd., Beijing, CN")],
    )
    assert kept.name == "Huawei Technologies Co., Ltd., Beijing Research Institute"
    assert kept.place is None


def test_parsed_entry_carries_clean_name_parent_and_place(tmp_path: Path) -> None:
    rows = [
        f'a1,{EL},,,,"Xi?an Huawei Technologies Co., Ltd., Xi?an, Shaanxi",,"Xi\'an, CN",'
        '"84 FR 22961",2019-05-21,,,For all items subject to the EAR.,,,,,,,,,,,,,,,,',
        f'a2,{EL},,,,"Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Huawei '
        'Marine Networks Co., Ltd.",,"Building R4, Dongguan, CN","84 FR 22961",2019-05-21,,,'
        "For all items subject to the EAR.,,,,,,,,,,,,,,,,",
    ]
    path = tmp_path / "consolidated.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    xian, marine = CSL_CSV.parse(path).entries
    assert xian.primary_name == "Xi'an Huawei Technologies Co., Ltd."
    assert [a.full for a in xian.addresses] == ["Xi'an, CN", "Xi'an, Shaanxi, CN"]
    assert xian.properties["published_name"] == (
        "Xi?an Huawei Technologies Co., Ltd., Xi?an, Shaanxi",
    )
    assert marine.primary_name == "Huawei Marine Networks Co., Ltd."
    assert marine.properties["parent"] == ("Huawei Technologies Co., Ltd. (Huawei)",)
    assert "Huawei Technologies Co., Ltd. (Huawei)" not in {n.value for n in marine.names}
