"""Settings from environment variables with one prefix, read once into a typed object.

Core functions take their configuration as arguments; only the service and the CLI read
settings, and tests pass a :class:`Settings` instead of patching globals.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

PREFIX = "ENTITYSCREEN_"


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(PREFIX + name)
    return value if value not in (None, "") else default


@dataclass(frozen=True)
class Settings:
    """Where the store lives and where lists come from."""

    home: Path
    manifest: Path | None = None
    #: ``postgresql://...`` to keep the store on a PostgreSQL server (index files, locks
    #: and batch jobs stay in ``home``); None for the embedded SQLite file in ``home``.
    store_url: str | None = None

    @property
    def store_path(self) -> Path:
        return self.home / "store.sqlite"

    @classmethod
    def from_env(cls, home: Path | str | None = None) -> Settings:
        chosen = home or env_str("HOME") or platformdirs.user_data_dir("entityscreen")
        manifest = env_str("MANIFEST")
        return cls(
            home=Path(chosen).expanduser(),
            manifest=Path(manifest).expanduser() if manifest else None,
            store_url=env_str("STORE"),
        )
