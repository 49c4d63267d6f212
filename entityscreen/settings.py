"""Settings from environment variables with one prefix, read once into a typed object.

Core functions take their configuration as arguments; only the service and the CLI read
settings, and tests pass a :class:`Settings` instead of patching globals.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from .errors import InputError

PREFIX = "ENTITYSCREEN_"


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(PREFIX + name)
    return value if value not in (None, "") else default


#: Age limit of a list, in days, when neither settings nor ``lists.yml`` give one.
DEFAULT_MAX_AGE_DAYS = 7


def parse_max_age(text: str) -> tuple[int, dict[str, int]]:
    """``ENTITYSCREEN_MAX_AGE_DAYS``: a default and per-list limits, ``"7"`` or
    ``"7,UN=30,DPL=14"`` (list codes as in ``entityscreen lists``).

    Raises:
        InputError: For anything else (one line, naming the variable).
    """
    default = DEFAULT_MAX_AGE_DAYS
    by_list: dict[str, int] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        code, sep, days = part.rpartition("=") if "=" in part else ("", "", part)
        if not days.strip().isdigit() or (sep and not code.strip()):
            raise InputError(
                f"{PREFIX}MAX_AGE_DAYS: expected days, e.g. '7' or '7,UN=30', got {text!r}"
            )
        if sep:
            by_list[code.strip().upper()] = int(days)
        else:
            default = int(days)
    return default, by_list


@dataclass(frozen=True)
class Settings:
    """Where the store lives and where lists come from."""

    home: Path
    manifest: Path | None = None
    #: ``postgresql://...`` to keep the store on a PostgreSQL server (index files, locks
    #: and batch jobs stay in ``home``); None for the embedded SQLite file in ``home``.
    store_url: str | None = None
    #: A list older than this many days is stale: every answer that uses it warns.
    max_age_days: int = DEFAULT_MAX_AGE_DAYS
    #: Age limits of particular lists (by list code), over ``lists.yml``'s and the default.
    max_age_by_list: Mapping[str, int] = field(default_factory=dict)

    @property
    def store_path(self) -> Path:
        return self.home / "store.sqlite"

    @classmethod
    def from_env(cls, home: Path | str | None = None) -> Settings:
        chosen = home or env_str("HOME") or platformdirs.user_data_dir("entityscreen")
        manifest = env_str("MANIFEST")
        max_age, by_list = parse_max_age(env_str("MAX_AGE_DAYS") or "")
        return cls(
            home=Path(chosen).expanduser(),
            manifest=Path(manifest).expanduser() if manifest else None,
            store_url=env_str("STORE"),
            max_age_days=max_age,
            max_age_by_list=by_list,
        )
