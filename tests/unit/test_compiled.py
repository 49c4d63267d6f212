"""The mypyc-compiled matching core (setup.py): the build under test is the one meant.

An extension module beside its ``.py`` file is imported instead of it, so a checkout whose
``.py`` changed after the build (a merge, an edit) would test old code: that fails here.
CI (``.ci/run``) sets ``ENTITYSCREEN_EXPECT_COMPILED=1``: its tests must run compiled.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import os
from pathlib import Path

import pytest

import entityscreen

ROOT = Path(entityscreen.__file__).parent
#: Modules setup.py compiles whatever else it does: the hot path of every query.
HOT = [
    "entityscreen.matching.align",
    "entityscreen.matching.candidates",
    "entityscreen.matching.features",
    "entityscreen.matching.index",
    "entityscreen.matching.scorer",
    "entityscreen.matching.similarity",
    "entityscreen.names.analysis",
    "entityscreen.names.tokens",
]


def _extensions() -> set[Path]:
    return {
        path
        for suffix in importlib.machinery.EXTENSION_SUFFIXES
        for path in ROOT.rglob(f"*{suffix}")
    }


def test_no_compiled_module_is_older_than_its_source() -> None:
    stale = []
    for ext in _extensions():
        source = ext.with_name(ext.name.split(".")[0] + ".py")
        assert source.exists(), f"{ext} has no .py beside it"
        if source.stat().st_mtime > ext.stat().st_mtime:
            stale.append(str(source.relative_to(ROOT)))
    assert not stale, f"changed after the build, rebuild (pip install -e .): {stale}"


def test_the_hot_modules_are_compiled_where_expected() -> None:
    if os.environ.get("ENTITYSCREEN_EXPECT_COMPILED", "") in ("", "0"):
        pytest.skip("ENTITYSCREEN_EXPECT_COMPILED is not set: a pure-Python build is as valid")
    loaded = {name: type(importlib.import_module(name).__loader__).__name__ for name in HOT}
    pure = [name for name, loader in loaded.items() if loader != "ExtensionFileLoader"]
    assert not pure, f"imported as Python, not compiled: {pure}"
