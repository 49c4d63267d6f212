"""One exception tree for the whole package.

    EntityScreenError             every error we raise on purpose; its str() is one line
    ├── SourceError               a list file is malformed, unreadable or of the wrong format
    │   └── UnknownFormatError    no parser recognises the file
    ├── FetchError                a download failed or returned something that is not the list
    ├── StoreError                the store is missing, locked, corrupt or of a newer schema
    │   └── NotFoundError         a snapshot / entry / source that does not exist
    └── InputError                a user's argument or input row is invalid

Each carries an HTTP status so the API turns it into a response with one handler;
the CLI prints ``str(error)`` on one line and exits non-zero.
"""

from __future__ import annotations

from pathlib import Path


class EntityScreenError(Exception):
    status_code = 500

    def __init__(self, message: str) -> None:
        # Keep it one line: CLI output and audit records rely on that.
        super().__init__(" ".join(str(message).split()))


class SourceError(EntityScreenError):
    """A malformed list file; the message names the file and, when known, the line."""

    status_code = 422

    def __init__(self, path: str | Path, message: str, *, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class UnknownFormatError(SourceError):
    pass


class FetchError(EntityScreenError):
    status_code = 502


class StoreError(EntityScreenError):
    status_code = 500


class NotFoundError(StoreError):
    status_code = 404


class InputError(EntityScreenError):
    status_code = 400


__all__ = [
    "EntityScreenError",
    "FetchError",
    "InputError",
    "NotFoundError",
    "SourceError",
    "StoreError",
    "UnknownFormatError",
]
