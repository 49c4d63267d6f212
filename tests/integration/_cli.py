"""Running the CLI in process from the integration tests (one place instead of a copy per
test file)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from entityscreen.cli import app
from entityscreen.errors import EntityScreenError


def run(home: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    """Invoke the app in process; an error we raise on purpose comes back as ``main()``
    prints it (one line, exit 1), anything else fails the test."""
    result = CliRunner().invoke(app, list(args), env={"ENTITYSCREEN_HOME": str(home)}, input=stdin)
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        assert isinstance(exc, EntityScreenError), f"unexpected {type(exc).__name__}: {exc}"
        return 1, result.output + f"error: {exc}\n"
    return result.exit_code, result.output


def run_raising(home: Path, *args: str) -> tuple[int, str]:
    """Invoke the app in process; any exception it raises is raised here (for tests that
    expect a refusal with ``pytest.raises``)."""
    result = CliRunner().invoke(app, list(args), env={"ENTITYSCREEN_HOME": str(home)})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output
