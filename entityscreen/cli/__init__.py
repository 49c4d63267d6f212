"""The ``entityscreen`` command line: a thin Typer layer over :mod:`entityscreen.service`,
its commands by subject (one module each).

Errors the package raises on purpose print as one line on stderr with a non-zero exit
code; nothing prints a traceback unless ENTITYSCREEN_DEBUG=1.
"""

from __future__ import annotations

import os
import sys

from ..errors import EntityScreenError
from . import (
    audit,
    batch,
    changes,  # noqa: F401  (adds diff, reconcile and history to the lists group)
    lists,
    monitor,
    screen,
    serve,
)
from .app import app, err

# Registered here, in the order of ``entityscreen --help`` (commands first, then groups).
for command, name in (
    (screen.screen, "screen"),
    (screen.compare, "compare"),
    (batch.batch, "batch"),
    (monitor.monitor, "monitor"),
    (serve.serve, "serve"),
):
    app.command(name)(command)
for group, name in (
    (lists.lists_app, "lists"),
    (monitor.ownership_app, "ownership"),
    (monitor.parties_app, "parties"),
    (monitor.alerts_app, "alerts"),
    (serve.keys_app, "keys"),
    (audit.audit_app, "audit"),
):
    app.add_typer(group, name=name)


def main() -> None:
    """Console entry point: run the app, turning our errors into one-line messages."""
    # Typer handles usage errors itself (standalone mode) and lets everything else through.
    try:
        app()
    except EntityScreenError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # last resort: one line, never a traceback for users
        if os.environ.get("ENTITYSCREEN_DEBUG"):
            raise
        err.print(f"internal error: {type(exc).__name__}: {exc}", markup=False)
        sys.exit(2)


__all__ = ["app", "main"]
