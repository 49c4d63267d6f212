"""Request input the parsers accept but nothing downstream can hold: refused with 422 and
a one-line reason before any route runs (issue #13, "no 500s"). JSON bodies, the web UI's
form posts, the query string and the path are all checked.

Python's ``json`` reads ``NaN``, ``Infinity`` and ``1e999`` as floats and ``"\\ud800"`` as a
string with a lone surrogate: a NaN threshold made the 422 answer itself fail to
serialise, a lone surrogate failed in the audit log's hash (UTF-8 cannot encode it), and
a NUL character is refused by PostgreSQL. One check of the parsed body covers every
route, instead of a validator on every field. Query strings, paths and form fields are
percent-encoded: their bytes are decoded with ``surrogateescape``, so that bytes that are
not UTF-8 (which the parsers would silently turn into U+FFFD) show up as lone surrogates
and are refused as such.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes


class _NonFinite(ValueError):
    pass


def _reject_constant(name: str) -> float:
    raise _NonFinite(name)


def body_problem(body: bytes) -> str | None:
    """Why a JSON request body cannot be accepted, or None (also for a body that is not
    JSON at all: FastAPI answers that one itself).

    Args:
        body: The raw request body.

    Returns:
        A one-line reason, or None.
    """
    if not body:
        return None
    try:
        value = json.loads(body, parse_constant=_reject_constant)
    except _NonFinite as exc:
        return f"the request body holds {exc}: numbers must be finite"
    except (ValueError, UnicodeDecodeError):
        return None
    return _value_problem(value)


def form_problem(body: bytes) -> str | None:
    """Why a form post (``application/x-www-form-urlencoded``) cannot be accepted, or None.

    Args:
        body: The raw request body.

    Returns:
        A one-line reason naming the field, or None.
    """
    return _pairs_problem(body.decode("latin-1"), "form field")


def url_problem(raw_path: bytes, query: bytes) -> str | None:
    """Why a request's path or query string cannot be accepted (a NUL character, or bytes
    that are not UTF-8), or None.

    Args:
        raw_path: The path as sent (percent-encoded).
        query: The query string as sent.

    Returns:
        A one-line reason, or None.
    """
    path = unquote_to_bytes(raw_path).decode("utf-8", "surrogateescape")
    problem = _text_problem(path, "path")
    return problem or _pairs_problem(query.decode("latin-1"), "query parameter")


def _pairs_problem(encoded: str, what: str) -> str | None:
    pairs = parse_qsl(encoded, keep_blank_values=True, errors="surrogateescape")
    for name, value in pairs:
        problem = _text_problem(name, what) or _text_problem(value, f"{what} {name!r}")
        if problem:
            return problem
    return None


def _value_problem(value: Any) -> str | None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return "the request body holds a number too large to be finite"
        if isinstance(item, str):
            problem = _text_problem(item)
            if problem:
                return problem
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _text_problem(text: str, where: str = "request body") -> str | None:
    if "\x00" in text:
        return f"the {where} holds a NUL character (U+0000), which no text may contain"
    for char in text:
        if "\ud800" <= char <= "\udfff":
            return (
                f"the {where} holds a lone surrogate (U+{ord(char):04X}) or bytes that are "
                "not UTF-8: text must be valid Unicode"
            )
    return None


class JsonGuard:
    """ASGI middleware: refuses with 422 a request whose path or query string
    :func:`url_problem` objects to, or whose JSON or form body :func:`body_problem` or
    :func:`form_problem` does; passes the body on unchanged otherwise."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw_path = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "replace")
        problem = url_problem(raw_path, scope.get("query_string") or b"")
        if problem is not None:
            await _refuse(send, problem)
            return
        check = _body_check(scope)
        if check is None:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        problem = check(body)
        if problem is not None:
            await _refuse(send, problem)
            return
        replayed = False

        async def replay() -> Any:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _body_check(scope: dict[str, Any]) -> Callable[[bytes], str | None] | None:
    headers: dict[bytes, bytes] = dict(scope.get("headers") or [])
    kind = headers.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
    if kind == b"application/json" or kind.endswith(b"+json"):
        return body_problem
    if kind == b"application/x-www-form-urlencoded":
        return form_problem
    if kind == b"multipart/form-data":
        # No route takes a file upload (/batch reads its raw body), so a multipart post
        # holds form fields only: the whole body is checked as text.
        return _multipart_problem
    return None


def _multipart_problem(body: bytes) -> str | None:
    return _text_problem(body.decode("utf-8", "surrogateescape"), "form")


async def _refuse(send: Any, problem: str) -> None:
    body = json.dumps({"detail": problem}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 422,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


__all__ = ["JsonGuard", "body_problem", "form_problem", "url_problem"]
