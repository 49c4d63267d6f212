"""Every CLI command is documented in the README and has help text (sqlite-utils style)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from entityscreen.cli import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def commands() -> list[tuple[str, Any]]:
    # typer ships its own click: groups are told apart by their ``commands`` mapping.
    root: Any = typer.main.get_command(app)
    found = []
    for name, command in root.commands.items():
        found.append((name, command))
        for sub, child in getattr(command, "commands", {}).items():
            found.append((f"{name} {sub}", child))
    return found


def test_every_command_is_in_the_readme_with_help() -> None:
    missing = [name for name, _ in commands() if f"entityscreen {name}" not in README]
    assert not missing, f"commands not in README.md: {missing}"
    without_help = [name for name, c in commands() if not (c.help or "").strip()]
    assert not without_help, f"commands without help: {without_help}"
    assert len(commands()) >= 20
