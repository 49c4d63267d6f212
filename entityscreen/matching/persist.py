"""Saving and loading a match index: one pickle file of plain lists and numpy arrays.

:func:`save_state` writes the state of a :class:`~entityscreen.matching.MatchIndex`
(protocol 5, atomically: a temporary file, then a rename); :func:`load_state` reads it
back in a fraction of a second. Name analyses are not stored: they are recomputed on first
use and cached (only the ~10 candidates of a query need them; storing them would make the
file several times larger and loading slower than that). Pickle runs code on load: only
load files your own store wrote (the service keeps them in the user's store directory, one
per snapshot hash), never a file from elsewhere.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from ..errors import InputError
from .build import gc_paused

FORMAT = "entityscreen-matchindex"
#: 3: entries of unknown schema say whether their name is an organisation's (0.4.2).
#: 4: the key code's fingerprint is saved and checked on load (matching/keys.py).
FORMAT_VERSION = 4


def save_state(state: dict[str, Any], path: str | Path) -> None:
    """Write an index state (its ``analyses`` left out) to ``path``, atomically."""
    data = {k: v for k, v in state.items() if k != "analyses"}
    data["format"] = FORMAT
    data["version"] = FORMAT_VERSION
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    with open(tmp, "wb") as f:
        pickle.dump(data, f, protocol=5)
    tmp.replace(target)


def load_state(path: str | Path) -> dict[str, Any]:
    """Read an index state written by :func:`save_state`.

    Raises:
        InputError: the file is not an index of this format version.
    """
    with open(path, "rb") as f, gc_paused():
        state = pickle.load(f)
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise InputError(f"{path} is not a match index")
    if state.get("version") != FORMAT_VERSION:
        raise InputError(f"{path} is a match index of another version; rebuild it")
    return state


__all__ = ["FORMAT", "FORMAT_VERSION", "load_state", "save_state"]
