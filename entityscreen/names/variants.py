"""Name variants written inside one name string: former names, aliases, labels, qualifiers.

Lists and users often pack several names into one string:

* former names: "Ocean Pioneer (ex-Cape Diamond)", "X f.k.a. Y", "X, formerly Y",
  "X (formerly known as Y)", "X ex Y, ex Z"; a year after a former name ("ex Warri
  Osprey, 2020", "until 2019") is dropped;
* aliases: "X a.k.a. Y", "X n.k.a. Y" (both current);
* a message label before the name: "BENEFICIARY: ...", "FIELD 59: ...";
* a party in care of whom the name is written: "X c/o Y" (Y is a qualifier);
* qualifiers: text in brackets that is not a former name ("(Kakamega Branch)", "(UK)")
  and, for organisations, text after a comma that is not a legal form ("..., Santos",
  "..., 12250 Brevard Ln"). Qualifier words weigh little when the other name lacks them.

:func:`split_variants` works on normalised text (see :mod:`entityscreen.names.normalize`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon

_MARKER = re.compile(
    r"(?:(?<=[\s(\[,;])|^)"
    r"(?P<marker>ex|f\s*/?\s*\.?\s*k\s*/?\s*\.?\s*a|n\s*/?\s*\.?\s*k\s*/?\s*\.?\s*a"
    r"|a\s*/?\s*\.?\s*k\s*/?\s*\.?\s*a|formerly(?:\s+known\s+as|\s+called)?"
    r"|previously(?:\s+known\s+as|\s+called)?|also\s+known\s+as|now\s+known\s+as"
    r"|renamed\s+from)"
    r"\.?(?=[\s\-:.]|$)[\s\-:.]*"
)
_ALIAS_MARKERS = ("a", "n", "also", "now")
_YEAR_TAIL = re.compile(r"[\s,;]*(?:(?:until|till|since|from|to|in)\s+)?(?:19|20)\d\d\s*$")
_CARE_OF = re.compile(r"\s(?:c\s*/\s*o|care\s+of)\s")
_LABEL = re.compile(r"^\s*([a-z0-9 .]{1,40}?)\s*:\s*(?=\S)")
_BRACKETS = re.compile(r"\(([^()]*)\)?|\[([^\[\]]*)\]?")
_TRIM = " ,;:-()[]{}"


@dataclass(frozen=True, slots=True)
class Variant:
    """One name found in a name string.

    Attributes:
        main: The name itself, without brackets.
        qualifiers: Bracketed or comma-separated additions to it.
        former: A former name ("ex", "f.k.a.", "formerly").
    """

    main: str
    qualifiers: tuple[str, ...]
    former: bool


def strip_label(text: str) -> str:
    """Drop a leading message label such as ``beneficiary:`` or ``field 59:``.

    Args:
        text: Normalised text.

    Returns:
        ``text`` without the label, or ``text`` unchanged.
    """
    match = _LABEL.match(text)
    if not match:
        return text
    words = re.findall(r"[a-z0-9]+", match.group(1))
    labels = lexicon.party_labels()
    if words and all(w in labels or w.isdigit() for w in words) and any(w in labels for w in words):
        return text[match.end() :]
    return text


def _split_brackets(text: str) -> tuple[str, list[str], list[str]]:
    """Main text, bracketed qualifiers, and bracketed former-name groups."""
    qualifiers: list[str] = []
    formers: list[str] = []

    def keep(match: re.Match[str]) -> str:
        inner = (match.group(1) if match.group(1) is not None else match.group(2)) or ""
        inner = inner.strip()
        if not inner:
            return " "
        if _MARKER.match(inner):
            formers.append(inner)
        elif re.sub(r"[^a-z0-9]", "", inner) in lexicon.legal_forms():
            return f" {inner} "
        else:
            qualifiers.append(inner)
        return " , "

    main = _BRACKETS.sub(keep, text)
    return main, qualifiers, formers


def _split_markers(text: str) -> tuple[str, list[tuple[str, bool]]]:
    """The text before the first marker, and each later piece with its former flag."""
    matches = list(_MARKER.finditer(text))
    matches = [m for m in matches if text[: m.start()].strip(_TRIM) or m.start() > 0]
    if not matches:
        return text, []
    head = text[: matches[0].start()]
    if not head.strip(_TRIM):
        return text, []
    pieces: list[tuple[str, bool]] = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        piece = text[match.end() : end]
        marker = match.group("marker").replace(" ", "")
        former = not marker.startswith(_ALIAS_MARKERS)
        if former:
            piece = _YEAR_TAIL.sub("", piece.strip(_TRIM))
        if piece.strip(_TRIM):
            pieces.append((piece.strip(_TRIM), former))
    return head, pieces


def _split_commas(text: str, *, person: bool) -> tuple[str, list[str]]:
    parts = [p.strip() for p in re.split(r"[,;]", text)]
    parts = [p for p in parts if p]
    if not parts:
        return "", []
    if len(parts) == 1:
        return parts[0], []
    if person:
        # "LAST, First" read as "First LAST": what precedes the comma is a family name,
        # so a title or particle there is part of it ("AL-SHAYKH, Diyab" is Diyab
        # al-Shaykh, not Diyab titled Shaykh; "LE, Van Thanh" ends with the name Le).
        return " ".join([*parts[1:], parts[0]]), []
    legal = lexicon.legal_forms()
    main = [parts[0]]
    rest: list[str] = []
    for part in parts[1:]:
        if not rest and re.sub(r"[^a-z0-9]", "", part) in legal:
            main.append(part)
        else:
            rest.append(part)
    return " ".join(main), rest


def looks_inverted(text: str) -> bool:
    """Whether ``text`` reads like a person's "LAST, First" name.

    One comma, a few words on each side, and no legal form anywhere.

    Args:
        text: Normalised text.

    Returns:
        ``True`` for "smith, john" and "al ben ali, isa ben tarif".
    """
    if text.count(",") != 1:
        return False
    left, right = (p.strip() for p in text.split(","))
    left_words, right_words = left.split(), right.split()
    if not (1 <= len(left_words) <= 3 and 1 <= len(right_words) <= 4):
        return False
    legal = lexicon.legal_forms()
    words = re.findall(r"[a-z0-9]+", text)
    return not any(w in legal and len(w) > 1 for w in words) and not any(
        ch.isdigit() for ch in text
    )


def split_variants(text: str, *, person: bool | None = False) -> list[Variant]:
    """The names packed into one normalised name string.

    Args:
        text: Normalised text (see :func:`entityscreen.names.normalize.normalize_text`).
        person: ``True``: a person's name, commas invert it ("SMITH, John");
            ``False``: not a person's, text after a comma is a qualifier; ``None``:
            unknown, a comma inverts when the name :func:`looks_inverted`.

    Returns:
        The current name first, then aliases and former names; never empty.
    """
    text = strip_label(text)
    care_of: list[str] = []
    found = _CARE_OF.search(text)
    if found and found.start() > 0:
        # "X c/o Y": Y is who receives the mail for X, another party.
        care_of.append(text[found.end() :].strip())
        text = text[: found.start()]
    main, qualifiers, former_groups = _split_brackets(text)
    qualifiers.extend(care_of)
    head, pieces = _split_markers(main)
    for group in former_groups:
        _, inner = _split_markers("x " + group)
        pieces.extend(inner)
    inverted = person is True or (person is None and looks_inverted(head))
    head_main, comma_quals = _split_commas(head, person=inverted)
    variants = [Variant(head_main or text, tuple(qualifiers + comma_quals), False)]
    for piece, former in pieces:
        piece_main, piece_quals = _split_commas(piece, person=inverted)
        if piece_main:
            variants.append(Variant(piece_main, tuple(piece_quals), former))
    return variants


__all__ = ["Variant", "looks_inverted", "split_variants", "strip_label"]
