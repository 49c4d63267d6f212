"""A screening's hits grouped by listed party (issue #14, item 1: "hits grouped by
listing"): copies of one listing in several sources are already one hit
(:meth:`Screener.merge_listings`); here the listings of one party on several lists (one
company on the Entity List, NS-CMIC and the 1260H list) come under one heading, so that
ten rows of the same party read as one party listed ten times.

Two hits are the same party when their listed names share a name key
(:func:`~entityscreen.exportcontrol.listings.name_keys`: case, punctuation and
parenthesised parts aside), the key the merging of copies uses without its list and
country, here also without the legal-form words it ends with ("... Co., Ltd." on the
Entity List is "... Company" on the FCC list). Only trailing legal forms go: "Dahua
Technology" and "Zhejiang Dahua Technology Co., Ltd." stay two parties, since a name
that is longer may be another company. The CLI table and the web UI's search page both
read :func:`group_hits`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..exportcontrol.listings import name_keys
from ..results import Hit

#: Legal-form words (as :func:`name_key` folds them) dropped from the end of a name key.
LEGAL_ENDINGS = frozenset(
    {
        *("co", "ltd", "corp", "inc", "llc", "plc", "lp", "llp", "jsc", "ojsc", "pjsc"),
        *("cjsc", "oao", "ooo", "zao", "sa", "ag", "gmbh", "bv", "nv", "pte", "pvt"),
        *("sarl", "srl", "spa", "kg", "oy", "ab", "as", "sdn", "bhd"),
    }
)


def _party_keys(name: str) -> set[str]:
    keys = set()
    for key in name_keys(name):
        words = key.split()
        while len(words) > 1 and words[-1] in LEGAL_ENDINGS:
            words.pop()
        keys.add(" ".join(words))
    return keys


@dataclass(frozen=True, slots=True)
class HitGroup:
    """One listed party's hits, best score first.

    Attributes:
        name: The listed name of its best hit.
        hits: Its hits (one per listing).
    """

    name: str
    hits: tuple[Hit, ...]

    @property
    def lists(self) -> tuple[str, ...]:
        """The lists it is on, in the order of its hits, each once."""
        return tuple(dict.fromkeys(h.match.list for h in self.hits))


def group_hits(hits: Sequence[Hit]) -> list[HitGroup]:
    """``hits`` (best first) in groups of one listed party each, the group of the best
    hit first; within a group the hits keep their order."""
    owner: dict[str, int] = {}  # name key -> group number
    members: list[list[Hit]] = []
    for hit in hits:
        keys = _party_keys(hit.match.listed_name) or {f"entry:{hit.match.entry_id}"}
        found = sorted({owner[k] for k in keys if k in owner})
        if not found:
            number = len(members)
            members.append([hit])
        else:
            number = found[0]
            members[number].append(hit)
            for other in found[1:]:  # the hit joins two groups: one party after all
                members[number].extend(members[other])
                for key, value in owner.items():
                    if value == other:
                        owner[key] = number
                members[other] = []
        for key in keys:
            owner[key] = number
    order = {id(h): i for i, h in enumerate(hits)}
    groups = []
    for group in members:
        if group:
            group.sort(key=lambda h: order[id(h)])
            groups.append(HitGroup(group[0].match.listed_name, tuple(group)))
    groups.sort(key=lambda g: order[id(g.hits[0])])
    return groups


__all__ = ["LEGAL_ENDINGS", "HitGroup", "group_hits"]
