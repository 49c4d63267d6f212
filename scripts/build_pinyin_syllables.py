"""Write entityscreen/names/data/pinyin_syllables.txt from pypinyin's dictionary.

The common toneless pinyin syllables (readings of at least ``MIN_CHARACTERS`` characters),
one per line, sorted. Run again after upgrading pypinyin; a unit test checks that the file
still equals what pypinyin yields.

Usage::

    python scripts/build_pinyin_syllables.py
"""

from __future__ import annotations

from pathlib import Path

from entityscreen.names import syllables

TARGET = Path(syllables.__file__).parent / "data" / "pinyin_syllables.txt"


def main() -> None:
    found = sorted(syllables.syllables_from_pypinyin())
    TARGET.write_text("\n".join(found) + "\n", encoding="utf-8")
    print(f"{len(found)} syllables written to {TARGET}")


if __name__ == "__main__":
    main()
