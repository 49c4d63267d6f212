"""Shared test fixtures.

Fixture policy: unit tests use the smallest fixture that works, written by us in the real
format (tests/fixtures/), and build special cases inline. Integration tests read the real
public list files in ../shared/data by path (never copied into the repository) and are
skipped, loudly, when that folder is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real list data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty ENTITYSCREEN_HOME for one test."""
    path = tmp_path / "home"
    monkeypatch.setenv("ENTITYSCREEN_HOME", str(path))
    return path
