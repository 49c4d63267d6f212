"""`entityscreen --help` and argument parsing load none of the matching core: the service,
numpy, pypinyin and the store are imported by the commands that use them (start-up time,
issue #11). Checked in a fresh interpreter, by module names, never by timing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = (
    "entityscreen.service",
    "entityscreen.matching",
    "entityscreen.names",
    "entityscreen.store",
    "entityscreen.sources",
    "entityscreen.api",
    "numpy",
    "pypinyin",
    "pydantic",
    "fastapi",
)


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_loads_no_heavy_module() -> None:
    loaded = _loaded_after("import entityscreen.cli")
    assert "entityscreen.cli.screen" in loaded  # the commands are registered
    assert sorted(m for m in HEAVY if m in loaded) == []


def test_help_loads_no_heavy_module() -> None:
    code = (
        "import contextlib, io\n"
        "from entityscreen.cli import app\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf), contextlib.suppress(SystemExit):\n"
        "    app(['--help'], prog_name='entityscreen')\n"
        "assert 'Restricted-party screening' in buf.getvalue(), buf.getvalue()\n"
    )
    loaded = _loaded_after(code)
    assert sorted(m for m in HEAVY if m in loaded) == []


def test_help_names_every_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "entityscreen.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )
    for command in ("screen", "compare", "batch", "monitor", "serve", "lists", "audit", "keys"):
        assert f" {command} " in done.stdout
