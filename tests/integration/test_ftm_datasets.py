"""One source per OpenSanctions export (issue #13 item 2), on the real samples in
../shared/data/opensanctions_ftm_samples: ``t1/`` (6 eu_fsf targets) and ``zala/`` (a
cluster from many datasets, 14 targets) both stay loaded after ``lists update --mirror``
and ``lists import``; before, the second replaced the first in source ``opensanctions``."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from entityscreen.cli import app
from entityscreen.model import Party
from entityscreen.service import Screener
from entityscreen.settings import Settings
from entityscreen.sources.manifest import Manifest, SourceFile, SourceSpec
from entityscreen.store import SqliteStore

#: A target of each export: t1's (eu_fsf) and zala's.
IN_T1 = ("NK-2GdmHtZTeNXjNVrBGEXZNj", "Inter Tobacco")
IN_ZALA = ("NK-nR5AXM9AVPq4pQaSPSaVam", "JSC Kalashnikov Concern")


@pytest.fixture(scope="module")
def samples(shared_data: Path) -> Path:
    return shared_data / "opensanctions_ftm_samples"


def loaded(s: Screener) -> dict[str, int]:
    return {x.source: x.entry_count for x in s.view().snapshots}


def test_mirror_update_keeps_both_exports(samples: Path, tmp_path: Path) -> None:
    with Screener.open(settings=Settings(home=tmp_path / "home")) as s:
        results = s.update_lists(mirror=samples, sources=["opensanctions"])
        assert [(r.source, r.status) for r in results] == [
            ("opensanctions:eu_fsf", "imported"),
            ("opensanctions:zala", "imported"),
        ]
        assert loaded(s) == {"opensanctions:eu_fsf": 6, "opensanctions:zala": 14}
        for native, name in (IN_T1, IN_ZALA):
            hits = [h.match.entry_id for h in s.screen(Party(name=name)).hits]
            assert any(h.endswith(f":{native}") for h in hits), (name, hits)
        assert s.get_entry(f"opensanctions:eu_fsf:{IN_T1[0]}").source == "opensanctions:eu_fsf"
        again = s.update_lists(mirror=samples, sources=["opensanctions"])
        assert {r.status for r in again} == {"unchanged"}


def test_lists_import_keeps_both_exports(samples: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"ENTITYSCREEN_HOME": str(home), "COLUMNS": "200"}
    runner = CliRunner()
    for folder in ("t1", "zala"):
        result = runner.invoke(
            app, ["lists", "import", str(samples / folder / "entities.ftm.json")], env=env
        )
        assert result.exit_code == 0, result.output
        assert f"imported opensanctions:{'eu_fsf' if folder == 't1' else 'zala'}" in (
            result.output
        )
    with Screener.open(home) as s:
        assert loaded(s) == {"opensanctions:eu_fsf": 6, "opensanctions:zala": 14}


def test_deltas_stay_in_one_source(samples: Path, tmp_path: Path) -> None:
    """Every version of the t2 delta goes to ``opensanctions:t2`` (its folder), whatever
    datasets each names; the DEL-only version removes 1 of 3 entries, which the shrink
    guard refuses unless allowed."""
    versions = sorted((samples / "t2").glob("*/entities.delta.json"))
    assert len(versions) == 4
    with Screener.open(settings=Settings(home=tmp_path / "home")) as s:
        sources, counts, refused = set(), [], []
        for path in versions:
            result = s.import_path(path)
            if result.status == "failed":
                refused.append((path.parent.name, result.message))
                result = s.import_path(path, allow_shrink=True)
            assert result.status == "imported", result.message
            assert result.snapshot is not None
            sources.add(result.source)
            counts.append(result.snapshot.entry_count)
        assert sources == {"opensanctions:t2"}
        assert counts == [2, 3, 2, 3]
        [(version, message)] = refused
        assert version == "20240528074703-npf"  # the DEL-only one
        assert message.startswith("import refused: opensanctions:t2 3 -> 2 entries (-33.3%)")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def served(samples: Path, tmp_path: Path) -> Iterator[str]:
    """zala's file where OpenSanctions publishes the sanctions collection."""
    root = tmp_path / "www"
    (root / "datasets" / "latest" / "sanctions").mkdir(parents=True)
    shutil.copy(
        samples / "zala" / "entities.ftm.json",
        root / "datasets" / "latest" / "sanctions" / "entities.ftm.json",
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_online_update_takes_the_dataset_from_the_url(served: str, tmp_path: Path) -> None:
    url = f"{served}/datasets/latest/sanctions/entities.ftm.json"
    spec = SourceSpec(
        id="opensanctions",
        title="OpenSanctions",
        format="ftm-json",
        files=[SourceFile(name="entities.ftm.json", url=url)],
    )
    settings = Settings(home=tmp_path / "home")
    store = SqliteStore.open(settings.store_path)
    with Screener(store, settings, manifest=Manifest(sources=[spec])) as s:
        [result] = s.update_lists()
        assert result.status == "imported", result.message
        assert result.source == "opensanctions:sanctions"
        assert loaded(s) == {"opensanctions:sanctions": 14}
