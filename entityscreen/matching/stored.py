"""Listed names' analyses, stored encoded in a match index and decoded on first use.

A saved index used to hold no analyses: every process that screened against it analysed
each listed name it met again (~75 us a name; in a forked batch, every worker). The build
now encodes each name's :class:`~entityscreen.names.analysis.NameAnalysis` into a few
dozen bytes (:func:`encode_analysis`), kept in a :class:`StoredAnalyses` column (one
buffer and the offsets of each name's bytes) that :mod:`.persist` writes and reads as
they are; :meth:`StoredAnalyses.analysis` decodes one name when it is first scored, into
an analysis equal to ``analyze_name(text, person=hint)`` (same classes, same values).

One name's bytes, numbers as unsigned LEB128 varints:

* the byte length of the name's distinct strings written out, then their UTF-8
  (``surrogatepass``), concatenated: the normalised text first, form texts, token texts and
  surfaces, scripts, and each token's alternatives and legal form written as one string
  (below), except those found in the normalised text;
* the number of strings, then per string its length in characters times two, or, for a
  string found in the normalised text (most token texts), its place there times two plus
  one and its length (a few bytes, not the string's letters again);
* the normalised text (a string number), ``person`` (0/1) and the number of forms;
* per form: its text, its flags (1 former, 2 guess) and its number of tokens;
* per token: its text, surface and script, its bits (kind in the three low bits, then
  the flags in ``_FLAGS``' order, then "has alternatives", "has a legal form"), then the
  alternatives' string (sorted, joined by ``\\x1f``) and the legal form's (canonical,
  classes and jurisdictions, ``\\x1e`` between them, each set sorted and joined by
  ``\\x1f``) when it has them.

An analysis that cannot be written so (a separator inside a value) is stored as no bytes,
and that name is analysed again on first use, as are the names of a column that does not
decode (the file checks its bytes on load: that is a bug, not damage). Pure: no I/O.
"""

from __future__ import annotations

import sys
from array import array

from ..names import analyze_name
from ..names.analysis import NameAnalysis, NameForm
from ..names.lexicon import LegalForm
from ..names.tokens import Token, TokenKind

_ENCODING = "utf-8"
_ERRORS = "surrogatepass"
_KINDS = (TokenKind.WORD, TokenKind.NUMBER, TokenKind.INITIAL, TokenKind.LEGAL, TokenKind.STOP)
_KIND_CODES = {kind: code for code, kind in enumerate(_KINDS)}
#: The token flags in bit order after the kind (the most frequent first: one byte).
_FLAGS = ("cased", "generic", "place", "qualifier", "country", "abbreviated", "initials")
_SYLLABLE = 1 << 10
_HAS_ALTS = 1 << 11
_HAS_LEGAL = 1 << 12
_ITEM = "\x1f"
_PART = "\x1e"
_NO_ALTS: frozenset[str] = frozenset()

# Values decoded once per process and shared by every token that has them.
_ALTS: dict[str, frozenset[str]] = {}
_LEGAL: dict[str, LegalForm] = {}


def _put(out: bytearray, value: int) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def _joined(values: frozenset[str]) -> str | None:
    """``values`` sorted and joined by ``_ITEM``; None when one holds a separator or is
    empty (an empty set is written as no string)."""
    if any(not v or _ITEM in v or _PART in v for v in values):
        return None
    return _ITEM.join(sorted(values))


def _legal_text(legal: LegalForm) -> str | None:
    classes, places = _joined(legal.classes), _joined(legal.jurisdictions)
    if classes is None or places is None or _ITEM in legal.canonical or _PART in legal.canonical:
        return None
    return _PART.join((legal.canonical, classes, places))


def _token_bits(token: Token) -> int:
    bits = _KIND_CODES[token.kind]
    flags = (
        token.cased,
        token.generic,
        token.place,
        token.qualifier,
        token.country,
        token.abbreviated,
        token.initials,
    )
    for shift, flag in enumerate(flags):
        if flag:
            bits |= 1 << (3 + shift)
    if token.syllable:
        bits |= _SYLLABLE
    if token.alts:
        bits |= _HAS_ALTS
    if token.legal is not None:
        bits |= _HAS_LEGAL
    return bits


def encode_analysis(analysis: NameAnalysis) -> bytes:
    """One name's analysis as bytes (see the module docstring); ``b""`` when it cannot be
    written so (the name is then analysed again on first use)."""
    strings: dict[str, int] = {}
    numbers: list[int] = [
        strings.setdefault(analysis.normalized, len(strings)),
        1 if analysis.person else 0,
        len(analysis.forms),
    ]
    for form in analysis.forms:
        numbers.append(strings.setdefault(form.text, len(strings)))
        numbers.append((1 if form.former else 0) | (2 if form.guess else 0))
        numbers.append(len(form.tokens))
        for token in form.tokens:
            numbers.append(strings.setdefault(token.text, len(strings)))
            numbers.append(strings.setdefault(token.surface, len(strings)))
            numbers.append(strings.setdefault(token.script, len(strings)))
            numbers.append(_token_bits(token))
            if token.alts:
                alts = _joined(token.alts)
                if alts is None:
                    return b""
                numbers.append(strings.setdefault(alts, len(strings)))
            if token.legal is not None:
                legal = _legal_text(token.legal)
                if legal is None:
                    return b""
                numbers.append(strings.setdefault(legal, len(strings)))
    table = bytearray()
    written: list[str] = []
    normalized = analysis.normalized
    for value in strings:
        at = normalized.find(value) if value and written else -1
        if at < 0:
            written.append(value)
            _put(table, len(value) << 1)
        else:
            _put(table, (at << 1) | 1)
            _put(table, len(value))
    text = "".join(written).encode(_ENCODING, _ERRORS)
    out = bytearray()
    _put(out, len(text))
    out += text
    _put(out, len(strings))
    out += table
    for number in numbers:
        _put(out, number)
    return bytes(out)


class _Reader:
    """Varints read from one name's bytes."""

    def __init__(self, data: bytes, pos: int, end: int) -> None:
        self.data = data
        self.pos = pos
        self.end = end

    def next(self) -> int:
        data, pos = self.data, self.pos
        if pos >= self.end:
            raise ValueError("a stored analysis ends early")
        byte = data[pos]
        pos += 1
        value = byte & 0x7F
        shift = 7
        while byte & 0x80:
            if pos >= self.end:
                raise ValueError("a stored analysis ends early")
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
        self.pos = pos
        return value


def _alts(text: str) -> frozenset[str]:
    found = _ALTS.get(text)
    if found is None:
        found = _ALTS[text] = frozenset(text.split(_ITEM))
    return found


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split(_ITEM)) if text else _NO_ALTS


def _legal(text: str) -> LegalForm:
    found = _LEGAL.get(text)
    if found is None:
        canonical, classes, places = text.split(_PART)
        found = _LEGAL[text] = LegalForm(canonical, _set(classes), _set(places))
    return found


def decode_analysis(data: bytes, start: int, end: int, original: str) -> NameAnalysis:
    """The analysis encoded in ``data[start:end]`` by :func:`encode_analysis`, of the name
    ``original``. Raises ``ValueError`` or ``IndexError`` on bytes it did not write."""
    reader = _Reader(data, start, end)
    size = reader.next()
    at = reader.pos
    if at + size > end:
        raise ValueError("a stored analysis ends early")
    text = data[at : at + size].decode(_ENCODING, _ERRORS)
    reader.pos = at + size
    strings: list[str] = []
    pos = 0
    for _ in range(reader.next()):
        code = reader.next()
        if code & 1:
            if not strings:
                raise ValueError("a stored analysis's text is not written out")
            at = code >> 1
            length = reader.next()
            if at + length > len(strings[0]):
                raise ValueError("a stored analysis's string is out of its text")
            strings.append(strings[0][at : at + length])
        else:
            length = code >> 1
            strings.append(text[pos : pos + length])
            pos += length
    if pos != len(text):
        raise ValueError("a stored analysis's strings do not add up")
    normalized = strings[reader.next()]
    person = reader.next() == 1
    forms: list[NameForm] = []
    for _ in range(reader.next()):
        form_text = strings[reader.next()]
        form_flags = reader.next()
        tokens: list[Token] = []
        for _ in range(reader.next()):
            token_text = strings[reader.next()]
            surface = strings[reader.next()]
            script = sys.intern(strings[reader.next()])
            bits = reader.next()
            alts = _alts(strings[reader.next()]) if bits & _HAS_ALTS else _NO_ALTS
            legal = _legal(strings[reader.next()]) if bits & _HAS_LEGAL else None
            tokens.append(
                Token(
                    token_text,
                    _KINDS[bits & 7],
                    surface,
                    script,
                    bits & 0x10 != 0,
                    bits & 0x20 != 0,
                    bits & 0x80 != 0,
                    bits & 0x40 != 0,
                    bits & 0x100 != 0,
                    bits & 0x200 != 0,
                    alts,
                    legal,
                    bits & _SYLLABLE != 0,
                    bits & 0x08 != 0,
                )
            )
        forms.append(NameForm(form_text, tuple(tokens), form_flags & 1 != 0, form_flags & 2 != 0))
    if reader.pos != end:
        raise ValueError("a stored analysis has bytes left over")
    return NameAnalysis(original, normalized, person, tuple(forms))


class StoredAnalyses:
    """The encoded analyses of an index's names: one buffer, and where each name's bytes
    start (``starts[i]`` to ``starts[i + 1]``; empty: not stored)."""

    def __init__(self, data: bytes, starts: array[int]) -> None:
        self._data = data
        self._starts = starts

    @classmethod
    def of(cls, blobs: list[bytes]) -> StoredAnalyses:
        """A column of names' encoded analyses (:func:`encode_analysis`), in order."""
        starts = array("q", [0])
        total = 0
        for blob in blobs:
            total += len(blob)
            starts.append(total)
        return cls(b"".join(blobs), starts)

    @classmethod
    def from_buffers(cls, data: bytes, starts: array[int]) -> StoredAnalyses:
        """The column of :meth:`buffers`; ``ValueError`` when they do not make one."""
        if len(starts) < 1 or starts[0] != 0 or starts[len(starts) - 1] != len(data):
            raise ValueError("analysis offsets do not match their bytes")
        previous = 0
        for start in starts:
            if start < previous:
                raise ValueError("analysis offsets are not ascending")
            previous = start
        return cls(data, starts)

    def buffers(self) -> tuple[bytes, array[int]]:
        """The buffer and the offsets, as :meth:`from_buffers` takes them back."""
        return self._data, self._starts

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StoredAnalyses):
            return NotImplemented
        return self._data == other._data and self._starts == other._starts

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"StoredAnalyses({len(self)} names, {len(self._data):,} bytes)"

    def analysis(self, name_id: int, text: str, person: bool | None) -> NameAnalysis:
        """The analysis of name ``name_id`` (its text ``text``): decoded, or made with
        ``analyze_name(text, person=person)`` when it is not stored."""
        start, end = self._starts[name_id], self._starts[name_id + 1]
        if start < end:
            try:
                return decode_analysis(self._data, start, end, text)
            except (ValueError, IndexError):
                pass  # not bytes encode_analysis wrote: analysed instead
        return analyze_name(text, person=person)


__all__ = ["StoredAnalyses", "decode_analysis", "encode_analysis"]
