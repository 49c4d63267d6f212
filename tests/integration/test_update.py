"""`lists update` end to end: online through a real HTTP server on 127.0.0.1, and from a mirror.

The server serves the real DPL file, a copy that drops the connection midway and an HTML
error page with status 200; the two bad ones must leave the store exactly as it was.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from entityscreen.service import Screener
from entityscreen.settings import Settings
from entityscreen.sources.manifest import Manifest, SourceFile, SourceSpec
from entityscreen.sources.nsfreg import LISTS as NSFREG_LISTS


def _handler(payload: bytes) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:
            if self.path == "/good/dpl.txt":
                self._send(200, "text/plain", payload)
            elif self.path == "/drop/dpl.txt":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload[: len(payload) // 2])
                self.wfile.flush()
                self.close_connection = True
            elif self.path == "/html/dpl.txt":
                page = b"<!DOCTYPE html><html><body>Maintenance</body></html>"
                self._send(200, "text/html", page)
            elif self.path == "/html-octet/dpl.txt":
                self._send(200, "application/octet-stream", b"<html><body>Login</body></html>")
            else:
                self._send(404, "text/plain", b"not found")

        def _send(self, status: int, ctype: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture(scope="module")
def server(shared_data: Path) -> Iterator[str]:
    payload = (shared_data / "bis_dpl_2023-11" / "dpl.txt").read_bytes()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(payload))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _manifest(base: str, kind: str) -> Manifest:
    return Manifest(
        sources=[
            SourceSpec(
                id="us_bis_dpl",
                title="DPL",
                format="dpl-txt",
                files=[SourceFile(name="dpl.txt", url=f"{base}/{kind}/dpl.txt")],
            )
        ]
    )


def _screener(home: Path, manifest: Manifest) -> Screener:
    from entityscreen.store import SqliteStore

    settings = Settings(home=home)
    return Screener(SqliteStore.open(settings.store_path), settings, manifest=manifest)


def test_online_update_then_bad_downloads_change_nothing(server: str, tmp_path: Path) -> None:
    with _screener(tmp_path, _manifest(server, "good")) as s:
        [first] = s.update_lists()
        assert first.status == "imported", first.message
        before = [(x.id, x.sha256) for x in s.snapshots()]
        [again] = s.update_lists()
        assert again.status == "unchanged"
        assert "identical" in again.message
    for kind, expected in (
        ("drop", "connection closed|incomplete|peer closed|RemoteProtocolError"),
        ("html", "HTML page"),
        ("html-octet", "HTML page"),
        ("missing", "HTTP 404"),
    ):
        with _screener(tmp_path, _manifest(server, kind)) as s:
            [result] = s.update_lists()
            assert result.status == "failed"
            assert "\n" not in result.message
            assert re.search(expected, result.message), result.message
            assert [(x.id, x.sha256) for x in s.snapshots()] == before
            assert s.store.integrity_check() == "ok"


def test_mirror_update_loads_every_source(shared_data: Path, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    with Screener.open(settings=settings) as s:
        results = s.update_lists(mirror=shared_data)
        failed = [r.message for r in results if not r.ok]
        assert not failed
        # The eCFR XML is for online updates; a mirror without it skips it, and says so.
        skipped = {r.source: r.message for r in results if r.status == "skipped"}
        assert set(skipped) == {"us_ecfr_el"}
        assert "title-15-part-744" in skipped["us_ecfr_el"]
        status = {(r.source, r.list): r.entries for r in s.list_status()}
        sources = {src for src, _ in status}
        assert sources == {
            "us_csl",
            "us_ofac_sdn",
            "us_ofac_cons",
            "us_bis_dpl",
            "un_sc",
            *(spec.source for spec in NSFREG_LISTS.values()),
            "uk_sanctions",
            "eu_journal",
            # one source per OpenSanctions export (issue #13): t1/ is eu_fsf, zala/ names many
            "opensanctions:eu_fsf",
            "opensanctions:zala",
        }
        # The mirror holds two dated SDN copies: both become snapshots, the newer current.
        sdn = s.snapshots("us_ofac_sdn")
        assert len(sdn) == 2
        assert "2024-05-03" in (sdn[-1].origin or "")
        assert status[("us_ofac_sdn", "SDN")] == 14965
        # Updating again from the same mirror is a no-op for every source.
        again = s.update_lists(mirror=shared_data)
        assert {r.status for r in again if r.source != "us_ecfr_el"} == {"unchanged"}
        assert len(s.snapshots("us_ofac_sdn")) == 2
