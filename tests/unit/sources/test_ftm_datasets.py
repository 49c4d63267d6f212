"""Which dataset an OpenSanctions FtM export holds, and the source id it is stored under
(issue #13 item 2: one source per dataset, so two exports never replace each other)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from entityscreen.service.datasets import dataset_source
from entityscreen.sources.ftm import FTM_DELTA, FTM_JSON, dataset_in_path, export_dataset


def write_lines(path: Path, *objects: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(o) + "\n" for o in objects), encoding="utf-8")
    return path


def target(entity_id: str, *datasets: str) -> dict[str, Any]:
    return {
        "id": entity_id,
        "schema": "Company",
        "properties": {"name": [f"{entity_id} Trading"]},
        "datasets": list(datasets),
        "target": True,
    }


def test_export_dataset_is_the_one_list_dataset_of_every_target() -> None:
    assert export_dataset([["eu_fsf"], ["eu_fsf", "ext_ru_egrul"], ["ann_graph_topics"]]) == (
        "eu_fsf"
    )
    assert export_dataset([["eu_fsf"], ["us_ofac_sdn"]]) == ""  # a collection
    assert export_dataset([]) == ""


def test_dataset_in_path_skips_versions_and_latest() -> None:
    assert dataset_in_path("/m/opensanctions_ftm_samples/t1/entities.ftm.json") == "t1"
    assert dataset_in_path("/m/t2/20240528074703-npf/entities.delta.json") == "t2"
    url = "https://data.opensanctions.org/datasets/latest/sanctions/entities.ftm.json"
    assert dataset_in_path(url) == "sanctions"
    assert dataset_in_path("/data/EU FSF (2024)/entities.ftm.json") == "eu_fsf_2024"
    assert dataset_in_path("entities.ftm.json") == ""


def test_the_file_names_its_dataset_else_its_folder(fixtures: Path, tmp_path: Path) -> None:
    single = write_lines(
        tmp_path / "x" / "entities.ftm.json", target("a", "eu_fsf"), target("b", "eu_fsf")
    )
    parsed = FTM_JSON.parse(single)
    assert parsed.dataset == "eu_fsf"
    assert dataset_source(parsed, None, str(single)) == "opensanctions:eu_fsf"
    assert dataset_source(parsed, "opensanctions", str(single)) == "opensanctions:eu_fsf"
    # a collection (the fixture's targets are in eu_fsf/gb_hmt and us_trade_csl): the folder
    collection = FTM_JSON.parse(fixtures / "ftm" / "entities.ftm.json")
    assert collection.dataset == ""
    assert dataset_source(collection, None, "/mirror/zala/entities.ftm.json") == (
        "opensanctions:zala"
    )
    # a source given with a colon is the user's choice, taken as it is
    assert dataset_source(collection, "opensanctions:mine", "/m/zala/x.json") == (
        "opensanctions:mine"
    )
    # nowhere to tell: the family alone
    assert dataset_source(collection, None, "entities.ftm.json") == "opensanctions"


def test_a_delta_takes_its_folder_whatever_it_holds(fixtures: Path) -> None:
    delta = FTM_DELTA.parse(fixtures / "ftm" / "20240527194702-wnk" / "entities.delta.json")
    assert delta.dataset == ""
    location = "/mirror/eu_fsf/20240527194702-wnk/entities.delta.json"
    assert dataset_source(delta, "opensanctions", location) == "opensanctions:eu_fsf"
