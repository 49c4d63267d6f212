"""Issue #14 item 5 over HTTP: ``GET /audit/certificate/{target}`` (analyst keys; JSON or
``?format=pdf``) and the web UI's certificate links, all the service's one certificate."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from entityscreen.api import create_app
from entityscreen.service import Screener
from entityscreen.service.certificate import check_certificate
from entityscreen.service.certificate_pdf import json_from_pdf


@pytest.fixture(scope="module")
def setup(
    tmp_path_factory: pytest.TempPathFactory, fixtures: Path
) -> Iterator[tuple[TestClient, dict[str, str]]]:
    home = tmp_path_factory.mktemp("api-cert") / "home"
    with Screener.open(home) as s:
        assert s.import_path(fixtures / "csl" / "consolidated.csv").ok
        parties = home.parent / "parties.csv"
        parties.write_text("id,name\nC1,Oriental Engineers\n", encoding="utf-8")
        s.import_parties(parties)
        s.monitor()
        keys = {
            "analyst": s.create_key("ann", "analyst", actor=s.operator)[1],
            "screener": s.create_key("sam", "screener", actor=s.operator)[1],
        }
    with TestClient(create_app(home)) as client:
        yield client, keys


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def pdf_certificate(body: bytes) -> dict[str, object]:
    import json

    return dict(json.loads(json_from_pdf(body, Path("response.pdf"))))


def test_api_certificate_json_and_pdf(setup: tuple[TestClient, dict[str, str]]) -> None:
    client, keys = setup
    assert client.get("/audit/certificate/party:C1").status_code == 401
    denied = client.get("/audit/certificate/party:C1", headers=auth(keys["screener"]))
    assert denied.status_code == 403
    response = client.get("/audit/certificate/party:C1", headers=auth(keys["analyst"]))
    assert response.status_code == 200, response.text
    cert = response.json()
    assert cert["party"]["id"] == "C1" and len(cert["alerts"]) == 1
    assert check_certificate(cert).ok
    pdf = client.get(
        "/audit/certificate/party:C1", params={"format": "pdf"}, headers=auth(keys["analyst"])
    )
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    attached = pdf_certificate(pdf.content)
    assert attached["record"] == cert["record"] and check_certificate(attached).ok


def test_api_bad_targets_are_one_line_4xx(setup: tuple[TestClient, dict[str, str]]) -> None:
    client, keys = setup
    h = auth(keys["analyst"])
    missing = client.get("/audit/certificate/party:NOPE", headers=h)
    assert missing.status_code == 404
    assert missing.json() == {"detail": "no screening of party 'NOPE' in the audit log"}
    not_screening = client.get("/audit/certificate/1", headers=h)
    assert not_screening.status_code == 400
    assert not_screening.json()["detail"] == "audit record 1 is not a screening (kind 'import')"
    bad_format = client.get("/audit/certificate/1", params={"format": "doc"}, headers=h)
    assert bad_format.status_code == 422


def login(client: TestClient, key: str) -> None:
    client.cookies.clear()
    response = client.post("/ui/login", data={"key": key}, follow_redirects=False)
    assert response.status_code == 303


def test_ui_links_a_certificate_for_analysts(setup: tuple[TestClient, dict[str, str]]) -> None:
    client, keys = setup
    login(client, keys["analyst"])
    page = client.get("/ui/", params={"name": "Zzyzx Quiet Bakery Supplies"}).text
    link = re.search(r'href="(/ui/certificate/record:(\d+))"', page)
    assert link is not None, page
    pdf = client.get(link.group(1))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    cert = pdf_certificate(pdf.content)
    assert check_certificate(cert).summary.startswith("CLEAR: Zzyzx Quiet Bakery Supplies")
    assert cert["record"]["seq"] == int(link.group(2))  # type: ignore[index]
    alerts = client.get("/ui/alerts").text
    assert 'href="/ui/certificate/party:C1"' in alerts
    as_json = client.get("/ui/certificate/party:C1", params={"format": "json"})
    assert as_json.status_code == 200 and as_json.json()["party"]["id"] == "C1"
    missing = client.get("/ui/certificate/party:NOPE")
    assert missing.status_code == 404 and "no screening of party" in missing.text


def test_ui_screener_gets_no_certificate(setup: tuple[TestClient, dict[str, str]]) -> None:
    client, keys = setup
    login(client, keys["screener"])
    page = client.get("/ui/", params={"name": "Zzyzx Quiet Bakery Supplies"}).text
    assert "CLEAR" in page and "/ui/certificate/" not in page
    assert client.get("/ui/certificate/party:C1").status_code == 403


def test_pdf_reader_refuses_what_is_not_a_certificate() -> None:
    from entityscreen.errors import InputError

    with pytest.raises(InputError, match="not a readable PDF certificate"):
        json_from_pdf(b"%PDF-1.4 garbage", Path("x.pdf"))
    from fpdf import FPDF

    plain = FPDF()
    plain.add_page()
    buffer = io.BytesIO(bytes(plain.output()))
    with pytest.raises(InputError, match=r"the PDF has no certificate\.json attached"):
        json_from_pdf(buffer.getvalue(), Path("plain.pdf"))
