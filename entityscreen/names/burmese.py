"""Practical romanisation of Burmese (Myanmar script), syllable by syllable.

anyascii transliterates Burmese letter by letter ("ရွှေ" -> "rvhe"), far from how Burmese
names are written in Latin letters ("Shwe"). This module follows the usual practical
conventions of Myanmar names in English (close to the BGN/PCGN system): a syllable is an
initial consonant or independent vowel, medials (ya ျ ြ -> "y", wa ွ -> "w", ha ှ ->
an "h" before the consonant, "sh" for ရှ and ယှ), vowel signs, a final consonant
killed by asat ် (or stacked with ္, or kinzi င်္), the nasal ံ and tone marks
(dropped). Examples: ကျော်ဇော်ထွန်း -> "kyawzawhtun", လှိုင် -> "hlaing", အောင် -> "aung",
ငြိမ်းချမ်း -> "nyeinchan", ဖြိုးသီရိ -> "phyothiyi".

The result is an approximation: conventions vary ("Oo" or "U" for ဦး, "Myint" for
မြင့်), and the scorer's typo tolerance absorbs a letter or two.
"""

from __future__ import annotations

from anyascii import anyascii

_CONSONANTS = {
    "က": "k", "ခ": "kh", "ဂ": "g", "ဃ": "g", "င": "ng", "စ": "s", "ဆ": "hs", "ဇ": "z",
    "ဈ": "z", "ည": "ny", "ဋ": "t", "ဌ": "ht", "ဍ": "d", "ဎ": "d", "ဏ": "n", "တ": "t",
    "ထ": "ht", "ဒ": "d", "ဓ": "d", "န": "n", "ပ": "p", "ဖ": "ph", "ဗ": "b", "ဘ": "b",
    "မ": "m", "ယ": "y", "ရ": "y", "လ": "l", "ဝ": "w", "သ": "th", "ဟ": "h", "ဠ": "l",
    "အ": "", "ဿ": "th",
}  # fmt: skip
_INDEPENDENT = {
    "ဣ": "i", "ဤ": "i", "ဥ": "u", "ဦ": "u", "ဧ": "e", "ဩ": "aw", "ဪ": "aw", "၏": "i",
}  # fmt: skip
_YA = {"ျ", "ြ"}
_WA = "ွ"
_HA = "ှ"
_ASAT = "်"
_VIRAMA = "္"
_ANUSVARA = "ံ"
_TONES = {"့", "း", "်"}
_VOWEL_SIGNS = {"ါ", "ာ", "ိ", "ီ", "ု", "ူ", "ေ", "ဲ"}

# Open syllables: vowel signs (sorted) -> vowel.
_OPEN = {
    "": "a", "ာ": "a", "ါ": "a", "ိ": "i", "ီ": "i", "ု": "u", "ူ": "u", "ေ": "e",
    "ဲ": "e", "ာေ": "aw", "ါေ": "aw", "ို": "o", "ူိ": "o",
}  # fmt: skip
# Closed syllables: (vowel signs, final consonant) -> rhyme.
_FINAL_PLAIN = {
    "က": "et", "င": "in", "စ": "it", "ည": "i", "ဉ": "in", "တ": "at", "န": "an",
    "ပ": "at", "မ": "an", "ယ": "e", "ဏ": "an", "လ": "an",
}  # fmt: skip
_FINAL_WITH = {
    ("ိ", "န"): "ein", ("ိ", "မ"): "ein", ("ိ", "တ"): "eit", ("ိ", "ပ"): "eit",
    ("ိ", "က"): "eik", ("ု", "က"): "ok", ("ု", "င"): "ong", ("ု", "တ"): "ok",
    ("ု", "န"): "on", ("ု", "ပ"): "ok", ("ု", "မ"): "on", ("ို", "က"): "aik",
    ("ို", "င"): "aing", ("ာေ", "က"): "auk", ("ာေ", "င"): "aung", ("ါေ", "က"): "auk",
    ("ါေ", "င"): "aung", ("ိ", "ဉ"): "ein",
}  # fmt: skip
_WA_FINAL = {"န": "un", "တ": "ut", "မ": "un", "ပ": "ut", "ယ": "e"}


def _is_final(text: str, i: int) -> bool:
    """Whether the consonant at ``i`` closes the syllable before it."""
    j = i + 1
    while j < len(text) and text[j] in ("့", "း"):
        j += 1
    return j < len(text) and text[j] in (_ASAT, _VIRAMA)


def _onset(consonant: str, medials: str) -> str:
    base = _CONSONANTS.get(consonant, "")
    if consonant == "င" and any(m in _YA for m in medials):
        return "ny" + ("w" if _WA in medials else "")
    if _HA in medials and consonant in ("ရ", "ယ"):
        base = "sh"
    elif _HA in medials:
        base = "h" + base
    if any(m in _YA for m in medials):
        if consonant in ("ခ", "ချ"):
            base = "ch"
        elif consonant == "ဂ":
            base = "gy"
        elif base != "sh" and not base.endswith("y"):
            base += "y"
    if _WA in medials and not base.endswith("w"):
        base += "w"
    return base


def _rhyme(signs: str, final: str, nasal: bool, medials: str) -> str:
    key = "".join(sorted(signs))
    if final:
        if not key and _WA in medials and final in _WA_FINAL:
            return _WA_FINAL[final]
        rhyme = _FINAL_WITH.get((key, final)) or _FINAL_PLAIN.get(final, "a")
        return rhyme
    if nasal:
        if key in ("ု", "ူ"):
            return "on"
        if key in ("ိ", "ီ"):
            return "ein"
        return "an"
    return _OPEN.get(key, "a")


def romanize_burmese(text: str, *, syllables: bool = False) -> str:
    """Romanise Burmese text; other characters pass through unchanged.

    Args:
        text: Text in Myanmar script (possibly mixed with spaces and digits).
        syllables: One word per syllable ("kyaw myat naing"), as Latin spellings of
            Burmese names mostly write them, instead of one per Burmese word
            ("kyawmyatnaing").

    Returns:
        Lower-case Latin text.
    """
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char in _INDEPENDENT:
            out.append(_INDEPENDENT[char])
            i += 1
            continue
        if char not in _CONSONANTS:
            if char not in _TONES and char not in _VOWEL_SIGNS and char != _ANUSVARA:
                out.append(char)
            i += 1
            continue
        consonant = char
        i += 1
        medials = ""
        while i < n and text[i] in (*_YA, _WA, _HA):
            medials += text[i]
            i += 1
        signs = ""
        nasal = False
        final = ""
        while i < n:
            c = text[i]
            if c in _VOWEL_SIGNS:
                signs += c
            elif c == _ANUSVARA:
                nasal = True
            elif c in ("့", "း", _ASAT):
                pass
            elif c in _CONSONANTS and _is_final(text, i):
                final = c
                i += 1
                # Kinzi (င်္) and stacked consonants (္) also close this syllable.
                while i < n and text[i] in ("့", "း", _ASAT, _VIRAMA):
                    i += 1
                break
            else:
                break
            i += 1
        onset = _onset(consonant, medials)
        rhyme = _rhyme(signs, final, nasal, medials)
        if rhyme[0] in "uo" and onset.endswith("w") and _WA in medials:
            onset = onset[:-1]  # ထွန်း is "htun", not "htwun"
        out.append(f" {onset}{rhyme} " if syllables else onset + rhyme)
    return " ".join(anyascii("".join(out)).split()) if syllables else anyascii("".join(out))


__all__ = ["romanize_burmese"]
