"""What the store keeps beside the lists: snapshots, ownership edges, alerts, decisions.

:class:`Snapshot` is one import of one source; :class:`Ownership` one owner -> owned
edge; :class:`Alert`, :class:`Decision`, :class:`AlertStatus` and :class:`Verdict` the
monitoring workflow's records; :class:`Actor` who made a change. Plain frozen values like
the parties of :mod:`entityscreen.model_parties`, kept apart from them: they are the
store's and the service's records, not what is matched. Re-exported by :mod:`entityscreen.model`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


@dataclass(frozen=True, slots=True)
class Actor:
    """Who made a change, as the front end authenticated them (issue #13).

    ``kind`` "key": an API key (HTTP API, web UI) with its ``id``, ``name`` and ``role``;
    "local": the command line, which runs with file access to the store, so all that can
    be said of it is the operating-system user (``name``; ``id`` and ``role`` None).
    """

    kind: str
    name: str
    id: int | None = None
    role: str | None = None

    @classmethod
    def key(cls, key_id: int, name: str, role: str) -> Actor:
        return cls("key", name, key_id, role)

    @classmethod
    def local(cls, user: str) -> Actor:
        return cls("local", user or "unknown")

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "name": self.name, "role": self.role}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Actor:
        return cls(str(data["kind"]), str(data["name"]), data.get("id"), data.get("role"))

    @property
    def label(self) -> str:
        """One line for people: "key 3 (alice, analyst)" or "local user bob"."""
        if self.kind == "key":
            return f"key {self.id} ({self.name}, {self.role})"
        return f"{self.kind} user {self.name}"


class AlertStatus(StrEnum):
    """Where an alert stands: open, or the verdict of its latest decision."""

    OPEN = "open"
    FALSE_POSITIVE = "false-positive"
    TRUE_MATCH = "true-match"
    ESCALATED = "escalated"
    #: The entry left its list (a removal in a newer snapshot): no longer a listed party;
    #: kept, with its decisions, for the record. Re-opened if the entry is listed again.
    DELISTED = "delisted"


class Verdict(StrEnum):
    """An analyst's decision on an alert."""

    FALSE_POSITIVE = "false-positive"
    TRUE_MATCH = "true-match"
    ESCALATE = "escalate"

    @property
    def status(self) -> AlertStatus:
        return {
            Verdict.FALSE_POSITIVE: AlertStatus.FALSE_POSITIVE,
            Verdict.TRUE_MATCH: AlertStatus.TRUE_MATCH,
            Verdict.ESCALATE: AlertStatus.ESCALATED,
        }[self]


@dataclass(frozen=True, slots=True)
class Alert:
    """A (party, entry) match that calls for an analyst; one per pair, ever.

    ``party_hash`` and ``entry_hash`` are the content hashes of the party record and of
    the entry version it was raised (or last re-opened) on: a decision holds until either
    changes. ``reason`` says why it is open ("new match", "re-opened because: ...").
    """

    id: int
    party_id: str
    entry_id: str
    status: AlertStatus
    score: float
    list: str
    listed_name: str
    matched_name: str
    explanation: str
    verdict: str
    party_hash: str
    entry_hash: str
    reason: str
    created_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class Decision:
    """An analyst's verdict on an alert: who, when, why, on which versions. Never deleted.

    ``actor`` is who was authenticated when it was made (None: decided before issue #13
    recorded it); ``decided_by`` is only a note beside it (by default the actor's name).
    """

    id: int
    alert_id: int
    verdict: Verdict
    reason: str
    decided_by: str
    at: str
    party_hash: str
    entry_hash: str
    actor: Actor | None = None


@dataclass(frozen=True, slots=True)
class Ownership:
    """``owner_id`` holds ``share`` percent (0-100) of ``owned_id``.

    Ids are entry ids ("us_ofac_sdn:12345", "opensanctions:NK-...") or any id the user's
    file gives; names are for display and for resolving an owner to a listed entry.
    ``share`` is None when unknown; ``since`` is an ISO date or None; ``source`` names the
    import the edge came from; ``owner_country`` is the owner's country, if stated.
    """

    owner_id: str
    owned_id: str
    share: float | None
    owner_name: str | None = None
    owned_name: str | None = None
    since: str | None = None
    source: str | None = None
    #: The owner's country (ISO code) when the file states it: an owner resolved by name
    #: must then agree with the listed entry's country (issue #12).
    owner_country: str | None = None


def ownership_key(name: str) -> str:
    """The ownership node id of a party known only by name: ``"name:acme holdings ltd"``."""
    return "name:" + " ".join(name.casefold().split())


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One import of one source."""

    id: int
    source: str
    fetched_at: str
    sha256: str
    entry_count: int
    published: str | None = None
    origin: str | None = None
    format: str | None = None
    #: How ``published`` was found when the file does not state it (inferred from the
    #: data, given by the user, read from the file name); None when the file states it.
    published_basis: str | None = None


__all__ = [
    "Alert",
    "AlertStatus",
    "Decision",
    "Ownership",
    "Snapshot",
    "Verdict",
    "ownership_key",
]
