"""Request bodies the JSON parser accepts but nothing downstream can hold: refused with
422 and a one-line reason before any route runs (issue #13, "no 500s").

Python's ``json`` reads ``NaN``, ``Infinity`` and ``1e999`` as floats and ``"\\ud800"`` as a
string with a lone surrogate: a NaN threshold made the 422 answer itself fail to
serialise, a lone surrogate failed in the audit log's hash (UTF-8 cannot encode it), and
a NUL character is refused by PostgreSQL. One check of the parsed body covers every
route, instead of a validator on every field.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable
from typing import Any


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


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "the request body holds a NUL character (U+0000), which no text may contain"
    for char in text:
        if "\ud800" <= char <= "\udfff":
            return (
                f"the request body holds a lone surrogate (U+{ord(char):04X}): "
                "text must be valid Unicode"
            )
    return None


class JsonGuard:
    """ASGI middleware: reads a JSON request's body, refuses it with 422 when
    :func:`body_problem` says so, and passes it on unchanged otherwise."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not _is_json(scope):
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
        problem = body_problem(body)
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


def _is_json(scope: dict[str, Any]) -> bool:
    headers: dict[bytes, bytes] = dict(scope.get("headers") or [])
    kind = headers.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
    return kind == b"application/json" or kind.endswith(b"+json")


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


__all__ = ["JsonGuard", "body_problem"]
