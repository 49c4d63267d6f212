"""Shared by the property tests that compare a fast scoring path with its reference."""

from __future__ import annotations

from collections.abc import Iterator

from entityscreen.errors import InputError
from entityscreen.matching import default_rarity
from entityscreen.matching.parts import Part, form_parts
from entityscreen.names import analyze_name


def form_part_pairs(a: str, b: str, person: bool | None) -> Iterator[tuple[list[Part], list[Part]]]:
    """The parts of every pair of forms of two names (none when either is no name)."""
    try:
        left, right = analyze_name(a, person=person), analyze_name(b, person=person)
    except InputError:
        return
    rarity = default_rarity()
    for form_left in left.forms:
        for form_right in right.forms:
            yield form_parts(form_left, rarity), form_parts(form_right, rarity)
