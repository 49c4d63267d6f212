"""The JSON body guard of the API (api/guards.py): what it refuses and what it lets by."""

from __future__ import annotations

from entityscreen.api.guards import body_problem


def test_ordinary_bodies_pass() -> None:
    assert body_problem(b'{"party": {"name": "Hikvision"}, "threshold": 0.8}') is None
    # A surrogate pair is one character (U+1F600), not a lone surrogate.
    assert body_problem(b'{"name": "Smile \\ud83d\\ude00"}') is None
    # Not JSON at all: FastAPI answers that one itself.
    assert body_problem(b"{not json") is None
    assert body_problem(b"") is None


def test_what_nothing_downstream_can_hold_is_named() -> None:
    assert "NaN" in (body_problem(b'{"threshold": NaN}') or "")
    assert "finite" in (body_problem(b'{"threshold": 1e999}') or "")
    assert "U+D800" in (body_problem(b'{"name": "\\ud800"}') or "")
    assert "NUL" in (body_problem(b'{"\\u0000key": 1}') or "")


def test_query_strings_paths_and_forms_are_checked_as_decoded_text() -> None:
    from entityscreen.api.guards import form_problem, url_problem

    assert url_problem(b"/ui/", b"name=Hikvision&country=CN") is None
    assert url_problem(b"/entities/us_csl:EL:1", b"") is None
    assert url_problem(b"/ui/", b"name=Fran%C3%A7ois+Smile+%F0%9F%98%80") is None
    assert "query parameter 'name' holds a NUL" in (url_problem(b"/ui/", b"name=a%00") or "")
    assert "not UTF-8" in (url_problem(b"/ui/", b"name=%ED%A0%80") or "")
    assert "path holds a NUL" in (url_problem(b"/entities/a%00", b"") or "")
    assert "U+DCFF" in (url_problem(b"/entities/%FF", b"") or "")
    assert form_problem(b"verdict=true-match&reason=same+company") is None
    assert "form field 'reason'" in (form_problem(b"verdict=x&reason=a%00b") or "")
