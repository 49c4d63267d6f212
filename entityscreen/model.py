"""The nouns of restricted-party screening, as plain values with no I/O.

Entries are what the lists publish; parties are what users screen. Both are frozen
dataclasses with ``__slots__``: they sit on the hot path (millions are built during an
import or a batch run), so they stay cheap; pydantic is used only at the API edge.

An :class:`Entry` round-trips through :meth:`Entry.to_dict` / :meth:`Entry.from_dict`;
the store keeps that dict as JSON and versions entries by :meth:`Entry.content_hash`.

This module is the one import path of the model (the lowest layer of the import
contracts) and holds no code of its own; the nouns live in three modules, of which only
the input checks import another (the parties), and none imports this one:

* :mod:`entityscreen.model_parties`: :class:`Entry` and its parts, :class:`Party`,
  :class:`Schema`;
* :mod:`entityscreen.model_input`: :func:`party_from_input` and the checks of user input;
* :mod:`entityscreen.model_records`: snapshots, ownership edges, alerts and decisions.
"""

from __future__ import annotations

from .model_input import (
    MAX_IDENTIFIER_CHARS,
    MAX_IDENTIFIERS,
    check_birth_date,
    parse_schema,
    party_from_input,
    split_identifiers,
)
from .model_parties import (
    Address,
    Entry,
    Identifier,
    LegalFacts,
    Name,
    NameKind,
    Party,
    Schema,
)
from .model_records import (
    Actor,
    Alert,
    AlertStatus,
    Decision,
    Ownership,
    Snapshot,
    Verdict,
    ownership_key,
)

__all__ = [
    "MAX_IDENTIFIERS",
    "MAX_IDENTIFIER_CHARS",
    "Actor",
    "Address",
    "Alert",
    "AlertStatus",
    "Decision",
    "Entry",
    "Identifier",
    "LegalFacts",
    "Name",
    "NameKind",
    "Ownership",
    "Party",
    "Schema",
    "Snapshot",
    "Verdict",
    "check_birth_date",
    "ownership_key",
    "parse_schema",
    "party_from_input",
    "split_identifiers",
]
