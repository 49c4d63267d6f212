"""Compile entityscreen/sources/data/country_names.json from countrynames' alias data.

    pip download --no-deps --only-binary :all: -d /tmp/cn countrynames==1.17.0
    python scripts/build_country_names.py /tmp/cn/countrynames-1.17.0-py3-none-any.whl

Reads the wheel as a zip (no install, so no PyICU), normalizes every alias with
entityscreen.sources.countries.normalize (and native_key) and writes normalized name -> code. As in
countrynames, a later alias wins over an earlier one with the same normalized form (but
one written in Latin letters over one transliterated from another script), and
names marked FAIL ("Africa", "unknown") map to nothing.
"""

from __future__ import annotations

import json
import sys
import unicodedata
import zipfile
from pathlib import Path

from entityscreen.sources.countries import native_key, normalize

OUT = Path(__file__).resolve().parents[1] / "entityscreen/sources/data/country_names.json"


def _is_latin(text: str) -> bool:
    return all("LATIN" in unicodedata.name(c, "") for c in text if c.isalpha())


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as zf:
        version = next(
            n.split("/")[0].removesuffix(".dist-info").split("-")[1]
            for n in zf.namelist()
            if n.endswith(".dist-info/METADATA")
        )
        source = zf.read("countrynames/data.py").decode("utf-8")
        license_text = next(
            zf.read(n).decode("utf-8") for n in zf.namelist() if "/licenses/" in n
        )
    scope: dict[str, object] = {}
    exec(compile(source, "countrynames/data.py", "exec"), scope)  # the wheel's literal table
    data: dict[str, list[str]] = scope["DATA"]  # type: ignore[assignment]
    names: dict[str, str] = {}
    # Two passes: a name in another script, once transliterated, may read like a Latin
    # one ("हिंद" and Honduras' "HND"); the name written in Latin letters wins.
    for latin_pass in (False, True):
        for code, aliases in data.items():
            code = code.strip().upper()
            for alias in [code, *aliases]:
                if _is_latin(alias) == latin_pass and (key := normalize(alias)):
                    names[key] = code
                if not latin_pass and (native := native_key(alias)):
                    names[native] = code
    codes = sorted(set(names.values()) - {"FAIL"})
    table = {
        "source": f"countrynames {version} (https://github.com/opensanctions/countrynames)",
        "license": license_text.strip(),
        "codes": codes,
        "names": {k: v for k, v in sorted(names.items()) if v != "FAIL"},
    }
    text = json.dumps(table, ensure_ascii=False, indent=0, sort_keys=False)
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"{OUT}: {len(table['names'])} names, {len(codes)} codes, countrynames {version}")


if __name__ == "__main__":
    main(sys.argv[1])
