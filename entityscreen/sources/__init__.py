"""Source adapters: one module per list format, each exposing ``FORMATS``.

``detect_format`` sniffs a file; ``parse_file`` parses it with the named or detected
format. Order in ``_MODULES`` matters for sniffing: more specific formats first.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path

from ..errors import UnknownFormatError
from .base import Format, Parsed, head_bytes
from .textio import text_head

_MODULES = ("csl", "ofac", "dpl", "un", "ecfr", "nsfreg", "ftm", "uk", "eu_journal", "custom")


def all_formats() -> dict[str, Format]:
    """Every known format by name, in sniffing order."""
    out: dict[str, Format] = {}
    for mod_name in _MODULES:
        module = importlib.import_module(f"{__name__}.{mod_name}")
        for fmt in module.FORMATS:
            out[fmt.name] = fmt
    return out


def get_format(name: str) -> Format:
    formats = all_formats()
    if name not in formats:
        known = ", ".join(formats)
        raise UnknownFormatError(name, f"unknown format; known formats: {known}")
    return formats[name]


def detect_format(path: Path) -> Format:
    """The format of ``path`` judged from its first bytes (and name, for multi-file sets)."""
    target = path
    if path.is_dir():
        for fmt in all_formats().values():
            if fmt.sniff(path, b""):
                return fmt
        raise UnknownFormatError(path, "no known list file in this directory")
    # UTF-16 text is sniffed as UTF-8: a UN list or a CSV saved as UTF-16 is still known.
    head = text_head(head_bytes(target))
    if not head:
        raise UnknownFormatError(path, "file is empty or unreadable")
    for fmt in all_formats().values():
        if fmt.sniff(path, head):
            return fmt
    raise UnknownFormatError(path, "format not recognised; pass --format")


def parse_file(
    path: Path, *, format: str | None = None, options: Mapping[str, str] | None = None
) -> Parsed:
    fmt = get_format(format) if format else detect_format(path)
    return fmt.parse(path, options)


__all__ = ["Format", "Parsed", "all_formats", "detect_format", "get_format", "parse_file"]
