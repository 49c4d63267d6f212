"""Loading the packaged data files of :mod:`entityscreen.exportcontrol`.

The legal facts this package applies (rule windows, covered companies, embargoed
destinations, Foreign Direct Product footnotes, list names) live in YAML files under
``entityscreen/exportcontrol/data/`` so that a new suspension window or a new covered
region is a data change, not a code change. This is the package's only I/O, and it reads
files shipped inside the package, never the network or the clock.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

DATA_PACKAGE = "entityscreen.exportcontrol"


class DataFileError(ValueError):
    """A packaged data file is malformed (a bug in the package, caught by its tests)."""


@cache
def load_data(name: str) -> Any:
    """The parsed content of a packaged YAML data file (cached: read once per process).

    Args:
        name: File name under ``data/``, e.g. ``"rules.yml"``.

    Returns:
        Whatever the YAML holds (a mapping for every file of this package).

    Raises:
        DataFileError: When the file is missing or is not valid YAML.
    """
    try:
        text = (
            resources.files(DATA_PACKAGE)
            .joinpath("data")
            .joinpath(name)
            .read_text(encoding="utf-8")
        )
        # libyaml's C loader parses these files ~10x faster (60 ms -> 6 ms of CLI start-up);
        # the pure-Python safe loader is the fallback where PyYAML was built without it.
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"data/{name}: {exc}") from exc


def read_date(value: Any, *, where: str) -> date | None:
    """A date from a data file (YAML gives ``date`` for ISO dates; strings are accepted).

    Args:
        value: The raw value; None or ``""`` mean "no date".
        where: Where the value is, for the error message.

    Returns:
        The date, or None.

    Raises:
        DataFileError: For anything that is not an ISO date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise DataFileError(f"{where}: not an ISO date: {value!r}") from exc


def read_mapping(value: Any, *, where: str) -> dict[str, Any]:
    """``value`` as a mapping with string keys, or a :class:`DataFileError`."""
    if not isinstance(value, dict):
        raise DataFileError(f"{where}: expected a mapping, got {type(value).__name__}")
    return {str(k): v for k, v in value.items()}


def read_strings(value: Any, *, where: str) -> tuple[str, ...]:
    """``value`` as a tuple of strings (None is empty), or a :class:`DataFileError`."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise DataFileError(f"{where}: expected a list of strings")
    return tuple(str(v) for v in value)
