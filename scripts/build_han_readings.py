"""Write entityscreen/names/data/han_readings.tsv: the pinyin of the Han words of our own
word lists (legal forms, generic words), so that loading the lists needs no pypinyin.

Run again after changing a word list or upgrading pypinyin; a unit test checks that the
file still equals what this script would write.

Usage::

    python scripts/build_han_readings.py
"""

from __future__ import annotations

from pathlib import Path

from entityscreen.names import lexicon

TARGET = Path(lexicon.__file__).parent / "data" / "han_readings.tsv"


def main() -> None:
    text = lexicon.han_readings_table()
    TARGET.write_text(text, encoding="utf-8")
    print(f"{text.count(chr(10)) - 2} readings written to {TARGET}")


if __name__ == "__main__":
    main()
