"""The Typer app and what the commands of every subject share: the consoles, the common
options, opening the Screener and printing JSON."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from ..errors import InputError

if TYPE_CHECKING:
    # Imported where a command opens it: `entityscreen --help` needs none of the matching
    # core (numpy, pypinyin, the index) that the service brings.
    from ..service import Screener

app = typer.Typer(
    name="entityscreen",
    help="Restricted-party screening against the Entity List, SDN and their peers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


out = Console(highlight=False, soft_wrap=True)


err = Console(stderr=True, highlight=False, soft_wrap=True)


HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home",
        help="Store folder (default: $ENTITYSCREEN_HOME or the user data dir).",
        envvar="ENTITYSCREEN_HOME",
        show_envvar=False,
    ),
]


def open_screener(home: Path | None, *, create: bool = False) -> Screener:
    """The service over the store in ``home``.

    Args:
        home: The store folder (None: $ENTITYSCREEN_HOME or the user data dir).
        create: True for the commands that load data (``lists import``/``update``,
            ``parties import``, ``ownership import``, ``keys create``): they may create
            a store where there is none. Every other command refuses a folder that does
            not exist, so that a typo (``--home /typo``) is an error, not a new empty
            store that answers "no match".
    """
    from ..service import Screener
    from ..settings import Settings

    settings = Settings.from_env(home)
    # A PostgreSQL store lives in its server; the folder then holds only index files.
    if not create and settings.store_url is None and not settings.home.is_dir():
        raise InputError(
            f"no store at {settings.home}: check --home / ENTITYSCREEN_HOME, or load lists"
            " first with `entityscreen lists update` or `lists import`"
        )
    return Screener.open(settings=settings)


def build_view(screener: Screener) -> None:
    """Build and persist the match index of the lists as they now are, in the process that
    changed them: the next ``screen`` and a running ``serve`` (which sees the change on
    its next request) then load it in milliseconds instead of building it for seconds.
    The index is built to be saved: name analyses, which the command exits without using,
    are not kept."""
    screener.keep_analyses = False
    screener.view()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Answer for a past date (YYYY-MM-DD): was the party listed then?",
        metavar="DATE",
    ),
]


def parse_day(value: str | None, *, option: str = "--as-of") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{option} takes a date as YYYY-MM-DD, got {value!r}") from None


ThresholdOption = Annotated[
    float | None,
    typer.Option("--threshold", "-t", help="Minimum score 0..1 (default: the calibrated one)."),
]


ListsOption = Annotated[
    str | None, typer.Option("--lists", help="Only these lists, comma-separated: EL,SDN,...")
]


SchemaOption = Annotated[
    str | None, typer.Option("--schema", help="company|organization|person|vessel|aircraft")
]


def split_lists(value: str | None) -> list[str] | None:
    return [x for x in (v.strip() for v in value.split(",")) if x] if value else None


def short(value: Any, width: int = 70) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= width else text[: width - 1] + "…"
