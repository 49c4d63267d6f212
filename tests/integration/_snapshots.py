"""Small list files that change from one snapshot to the next, in the real layout of the
Consolidated Screening List CSV (``tests/fixtures/csl/consolidated.csv``), and ownership
files: the data of the tests of a Screener that follows the store (issue #11)."""

from __future__ import annotations

import csv
from pathlib import Path

#: The CSL CSV header, as the trade.gov download has it.
CSL_COLUMNS = [
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
]

SDN_SOURCE = "Specially Designated Nationals (SDN) - Treasury Department"
EL_SOURCE = "Entity List (EL) - Bureau of Industry and Security"

#: An SDN entity whose programs change between snapshots.
ZENITH = "ZENITH MARITIME HOLDINGS LTD"
ZENITH_ID = "us_csl:SDN:90001"
#: An Entity List entry that the second snapshot removes (and the third restores).
BOREALIS = "Borealis Optics Co., Ltd."
#: An SDN entity that only the second snapshot onwards holds.
QUILLFEATHER = "QUILLFEATHER TRADING LLC"
QUILLFEATHER_ID = "us_csl:SDN:90002"
#: Not listed; owned by Zenith in the ownership files.
HARBOURLINE = "Harbourline Logistics Ltd"


def sdn(number: str, name: str, programs: str) -> dict[str, str]:
    return {
        "_id": number,
        "source": SDN_SOURCE,
        "entity_number": number,
        "type": "Entity",
        "programs": programs,
        "name": name,
        "addresses": "Port Said Street 4, Dubai, AE",
        "source_list_url": "https://sanctionslist.ofac.treas.gov/Home/SdnList",
    }


def el(uid: str, name: str) -> dict[str, str]:
    return {
        "_id": uid,
        "source": EL_SOURCE,
        "name": name,
        "addresses": "No. 8 Guangming Road, Harbin, 150001, CN",
        "federal_register_notice": "86 FR 17025",
        "start_date": "2021-04-01",
        "license_requirement": "For all items subject to the EAR.  (See §744.11 of the EAR)",
        "license_policy": "Presumption of denial.",
        "source_list_url": "http://bit.ly/1L47xrV",
    }


BOREALIS_ROW = el("5b1c0d7e9a2f4e3b8c6d1a0f9e8d7c6b5a4f3e2d", BOREALIS)

#: Three snapshots of one source: Zenith's programs change, Borealis goes and comes back,
#: Quillfeather is added.
FIRST = (sdn("90001", ZENITH, "IRAN"), BOREALIS_ROW)
SECOND = (sdn("90001", ZENITH, "IRAN; SDGT"), sdn("90002", QUILLFEATHER, "RUSSIA-EO14024"))
THIRD = (sdn("90001", ZENITH, "SDGT"), sdn("90002", QUILLFEATHER, "RUSSIA-EO14024"), BOREALIS_ROW)


def write_csl(folder: Path, rows: tuple[dict[str, str], ...]) -> Path:
    """``folder/consolidated.csv`` holding ``rows`` (every other column empty)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "consolidated.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSL_COLUMNS, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in CSL_COLUMNS})
    return path


def write_ownership(path: Path, share: float) -> Path:
    """An ownership CSV: Zenith (an SDN entry) holds ``share`` percent of Harbourline."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "owner_id,owner_name,owned_id,owned_name,share,since\n"
        f"{ZENITH_ID},{ZENITH},HL-1,{HARBOURLINE},{share:g},2020-01-01\n",
        encoding="utf-8",
    )
    return path
