"""Settings from environment variables with one prefix, read once into a typed object.

Core functions take their configuration as arguments; only the service and the CLI read
settings, and tests pass a :class:`Settings` instead of patching globals.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs

from .errors import InputError

PREFIX = "ENTITYSCREEN_"


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(PREFIX + name)
    return value if value not in (None, "") else default


#: Age limit of a list, in days, when neither settings nor ``lists.yml`` give one.
DEFAULT_MAX_AGE_DAYS = 7
#: Largest list file (or multi-file set) an import reads, in MB (issue #13): ten times
#: OFAC's SDN XML, the biggest official file (~100 MB). A streamed custom or CSL CSV of
#: that size peaks near 3 GB with its match index; past it, split the list.
DEFAULT_MAX_IMPORT_MB = 1024


def parse_max_import_mb(text: str) -> int:
    """``ENTITYSCREEN_MAX_IMPORT_MB``: a whole number of megabytes (1 MB = 2**20 bytes).

    Raises:
        InputError: For anything else (one line, naming the variable).
    """
    if not text.strip():
        return DEFAULT_MAX_IMPORT_MB
    if not text.strip().isdigit() or int(text) < 1:
        raise InputError(f"{PREFIX}MAX_IMPORT_MB: expected megabytes, e.g. '1024', got {text!r}")
    return int(text)


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


#: How long a web UI sign-in lasts when ``ENTITYSCREEN_SESSION_HOURS`` is not set.
DEFAULT_SESSION_HOURS = 12.0


def parse_session_hours(text: str) -> float:
    """``ENTITYSCREEN_SESSION_HOURS``: a positive number of hours, e.g. ``"8"`` or ``"0.5"``.

    Raises:
        InputError: For anything else (one line, naming the variable).
    """
    try:
        hours = float(text)
    except ValueError:
        hours = -1.0
    if not 0 < hours <= 24 * 366:  # also refuses NaN and infinity
        raise InputError(f"{PREFIX}SESSION_HOURS: expected hours, e.g. '12', got {text!r}")
    return hours


#: The largest share of a list an import may remove, and of the alert queue one monitor
#: run may mark delisted, without ``--allow-shrink`` (issue #13).
DEFAULT_MAX_SHRINK = 0.2


def parse_percent(text: str, *, name: str) -> float:
    """A share given in percent, ``"20"`` or ``"20%"``, as 0..1.

    Raises:
        InputError: For anything else (one line, naming the variable or option).
    """
    raw = text.strip().removesuffix("%").strip()
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 100.0:  # NaN fails this too
        raise InputError(f"{name}: expected a percentage from 0 to 100, e.g. '20', got {text!r}")
    return value / 100.0


@dataclass(frozen=True, slots=True)
class StoreUrl:
    """Where a store is, parsed from ``postgresql://...`` or ``sqlite:///PATH``."""

    url: str
    #: The SQLite path (a store file or a store folder); None for PostgreSQL.
    path: Path | None

    @property
    def postgres(self) -> bool:
        return self.path is None


def parse_store_url(url: str) -> StoreUrl:
    """The one reading of a store URL (``ENTITYSCREEN_STORE``, ``serve --store``).

    Raises:
        InputError: Anything but ``postgresql://``, ``postgres://`` or ``sqlite:///``.
    """
    if url.startswith(("postgresql://", "postgres://")):
        return StoreUrl(url, None)
    if url.startswith("sqlite:///"):
        return StoreUrl(url, Path(url.removeprefix("sqlite:///")))
    raise InputError(f"unknown store {url!r}; use sqlite:///PATH or postgresql://USER@HOST/DB")


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
    #: How long a web UI sign-in lasts, in hours (``ENTITYSCREEN_SESSION_HOURS``).
    session_hours: float = DEFAULT_SESSION_HOURS
    #: An import that removes more than this share (0..1) of a list's entries is refused
    #: without ``--allow-shrink`` (so is one that empties it or drops a sub-list).
    max_shrink: float = DEFAULT_MAX_SHRINK
    #: A monitor run that would mark more than this share (0..1) of the alerts not yet
    #: delisted as delisted is refused without ``--allow-shrink``.
    max_delisted: float = DEFAULT_MAX_SHRINK
    #: An import of a larger file is refused before it is read (``ENTITYSCREEN_MAX_IMPORT_MB``).
    max_import_mb: int = DEFAULT_MAX_IMPORT_MB

    @property
    def store_path(self) -> Path:
        return self.home / "store.sqlite"

    def with_store(self, url: str | None) -> Settings:
        """These settings with the store at ``url`` (``serve --store``): a PostgreSQL URL
        keeps the store on that server; ``sqlite:///PATH``, a store folder or its
        ``store.sqlite``, makes that folder the home. None changes nothing."""
        if url is None:
            return self
        store = parse_store_url(url)
        if store.path is None:
            return replace(self, store_url=store.url)
        home = store.path.parent if store.path.suffix == ".sqlite" else store.path
        return replace(self, home=home.expanduser(), store_url=None)

    @classmethod
    def from_env(cls, home: Path | str | None = None) -> Settings:
        chosen = home or env_str("HOME") or platformdirs.user_data_dir("entityscreen")
        manifest = env_str("MANIFEST")
        max_age, by_list = parse_max_age(env_str("MAX_AGE_DAYS") or "")
        share = {
            name: parse_percent(value, name=PREFIX + name) if value else DEFAULT_MAX_SHRINK
            for name in ("MAX_SHRINK", "MAX_DELISTED")
            for value in [env_str(name)]
        }
        return cls(
            home=Path(chosen).expanduser(),
            manifest=Path(manifest).expanduser() if manifest else None,
            store_url=env_str("STORE"),
            max_age_days=max_age,
            max_age_by_list=by_list,
            session_hours=parse_session_hours(env_str("SESSION_HOURS") or "12"),
            max_shrink=share["MAX_SHRINK"],
            max_delisted=share["MAX_DELISTED"],
            max_import_mb=parse_max_import_mb(env_str("MAX_IMPORT_MB") or ""),
        )
