"""What every flag is (:class:`Flag`) and the small word normalisation flags match with.

Names are matched with this normalisation (NFKD, accents and punctuation removed,
casefold, split into words), not with :mod:`entityscreen.names`: this layer depends on
the model only, and flags must not move when the matcher's normalisation is tuned.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

_WORD = re.compile(r"\w+")
_APOSTROPHES = re.compile(r"['’ʼ`´]")


@dataclass(frozen=True, slots=True)
class Flag:
    """A statutory or country flag on a party.

    Attributes:
        code: ``"NDAA889"`` or ``"EMBARGO"``.
        id: What was found: a company key (``"huawei"``) or a destination (``"crimea"``).
        title: What it means, in words.
        reason: The evidence ("name 'Huawei Device Co.' contains 'huawei'", "address
            mentions 'Sevastopol'", "owned 60% by ...").
        citations: The legal basis.
        basis: ``"name"``, ``"ownership"``, ``"country"``, ``"address"`` or
            ``"listed address"`` (an address of a listed entry the party matches).
        applies: What the flag means for an export, one line each with its citation
            (license requirement, review policy, license exceptions).
        verified: False when a citation, date or membership the flag rests on was not
            checked against the published text (see the data files): verify it.
        alerts: False for a flag that informs without calling for an analyst on its
            own (a Country Group membership: D:5 holds China, and most exports there
            need no license for it).
    """

    code: str
    id: str
    title: str
    reason: str
    citations: tuple[str, ...]
    basis: str
    applies: tuple[str, ...] = ()
    verified: bool = True
    alerts: bool = True

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "code": self.code,
            "id": self.id,
            "title": self.title,
            "reason": self.reason,
            "citations": list(self.citations),
            "basis": self.basis,
            "applies": list(self.applies),
            "verified": self.verified,
            "alerts": self.alerts,
        }


def normalize_words(text: str) -> list[str]:
    """``text`` as casefolded words without accents or punctuation ("Hik-Vision" ->
    ``["hik", "vision"]``; "Luhans'k" -> ``["luhansk"]``)."""
    decomposed = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(stripped.casefold().replace("_", " "))


__all__ = ["Flag", "normalize_words"]
