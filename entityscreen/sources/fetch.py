"""Download a source's files into a folder, refusing anything that is not the list.

The HTTP client is injected (tests pass one pointed at a local server); ``file://`` URLs
are read directly. A download is written to a temporary name and renamed only when it is
complete, so a dropped connection never leaves a half file that looks whole. An HTML page
served in place of a list file (an error or login page with status 200) is refused.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import httpx

from ..errors import FetchError
from ..exportcontrol.fr_api import API_BASE, ApiRule, document_url, read_documents
from .base import MAX_FILE_BYTES
from .manifest import SourceSpec

_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body")


def looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith(_HTML_MARKERS)


def fetch_source(spec: SourceSpec, dest: Path, *, client: httpx.Client | None = None) -> list[Path]:
    """Download every file of ``spec`` into ``dest``; return the paths written."""
    dest.mkdir(parents=True, exist_ok=True)
    own_client = client is None
    http = client or httpx.Client(
        follow_redirects=True,
        timeout=httpx.Timeout(60.0, connect=15.0),
        headers={"User-Agent": "entityscreen (restricted-party screening)"},
    )
    written: list[Path] = []
    try:
        for item in spec.files:
            target = dest / item.name
            try:
                fetch_url(item.url, target, client=http)
            except FetchError:
                if item.required:
                    raise
                continue
            written.append(target)
    finally:
        if own_client:
            http.close()
    return written


def fetch_url(url: str, target: Path, *, client: httpx.Client) -> None:
    """Fetch one URL to ``target`` (atomically: a temp file renamed on success)."""
    partial = target.with_name(target.name + ".part")
    parsed = urlparse(url)
    try:
        if parsed.scheme == "file":
            _copy_local(Path(unquote(parsed.path)), partial, url)
        elif parsed.scheme in ("http", "https"):
            _download(url, partial, client)
        else:
            raise FetchError(f"{url}: unsupported URL scheme {parsed.scheme!r}")
        with partial.open("rb") as fh:
            head = fh.read(512)
        if not head:
            raise FetchError(f"{url}: empty response")
        if looks_like_html(head):
            raise FetchError(f"{url}: the server sent an HTML page, not the list file")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def _copy_local(path: Path, partial: Path, url: str) -> None:
    if not path.is_file():
        raise FetchError(f"{url}: no such file")
    shutil.copyfile(path, partial)


def _download(url: str, partial: Path, client: httpx.Client) -> None:
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise FetchError(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
            ctype = response.headers.get("content-type", "").lower()
            if ctype.startswith("text/html"):
                raise FetchError(f"{url}: the server sent an HTML page, not the list file")
            expected = response.headers.get("content-length")
            received = 0
            with partial.open("wb") as out:
                for chunk in response.iter_bytes():
                    received += len(chunk)
                    if received > MAX_FILE_BYTES:
                        raise FetchError(f"{url}: download larger than {MAX_FILE_BYTES} bytes")
                    out.write(chunk)
            # httpx raises on a short body when it knows the length; check anyway, since
            # a compressed transfer hides the raw length from the decoder.
            plain = "content-encoding" not in response.headers
            if expected is not None and plain and received != int(expected):
                raise FetchError(f"{url}: connection closed after {received} of {expected} bytes")
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: download failed: {type(exc).__name__}: {exc}") from None
    except OSError as exc:
        raise FetchError(f"{url}: cannot write download: {exc.strerror or exc}") from None


def fetch_documents(
    numbers: Iterable[str], dest: Path, *, base: str = API_BASE, client: Any = None
) -> tuple[list[ApiRule], list[str]]:
    """Download Federal Register API documents with :func:`fetch_url` and read them
    (:func:`entityscreen.exportcontrol.fr_api.read_documents`).

    Args:
        numbers: FR document numbers.
        dest: Folder for the downloaded JSON files (``{number}.json``).
        base: API base URL (a ``file://`` folder in tests).
        client: An ``httpx.Client``; one is made when omitted.

    Returns:
        As :func:`~entityscreen.exportcontrol.fr_api.read_documents`, over every document.

    Raises:
        FetchError: A download failed. SourceError: An answer cannot be read.
    """
    dest.mkdir(parents=True, exist_ok=True)
    http = client or httpx.Client(follow_redirects=True, timeout=httpx.Timeout(30.0))
    rules: list[ApiRule] = []
    warnings: list[str] = []
    try:
        for number in numbers:
            target = dest / f"{number}.json"
            fetch_url(document_url(number, base), target, client=http)
            found, notes = read_documents(target)
            rules.extend(found)
            warnings.extend(notes)
    finally:
        if client is None:
            http.close()
    return rules, warnings
