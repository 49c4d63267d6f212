"""Small checks the parts of the service share."""

from __future__ import annotations

import getpass

from ..errors import InputError
from ..model import Actor


def check_threshold(value: float) -> None:
    """Refuse a score threshold outside [0, 1] with a clear message."""
    if not 0.0 <= value <= 1.0:
        raise InputError(f"threshold must be between 0 and 1, got {value}")


def local_actor() -> Actor:
    """The operator of a local process (the CLI, ``serve``'s own work): the OS user. The CLI
    runs with file access to the store, so nothing stronger can be said of who it is."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        user = "unknown"
    return Actor.local(user)


def pool_size(limit: int) -> int:
    """How many name matches to fetch for ``limit`` hits: copies of one listing in several
    sources are merged into one hit after matching, so more are fetched than shown."""
    return max(limit * 3, 30)
