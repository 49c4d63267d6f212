"""The shape of the code (issue #11): no module of the package over 500 lines, so that
each stays one job a reader can hold in mind. A module that grows past it is split by job
(as service/lists.py, matching/features.py and sources/base.py were)."""

from __future__ import annotations

from pathlib import Path

import entityscreen

MAX_LINES = 500


def test_no_module_is_over_500_lines() -> None:
    root = Path(entityscreen.__file__).parent
    sizes = {
        str(path.relative_to(root)): len(path.read_text(encoding="utf-8").splitlines())
        for path in root.rglob("*.py")
    }
    assert len(sizes) > 100
    over = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert not over, f"split these by job: {over}"
