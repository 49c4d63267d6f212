"""``/docs``: Swagger UI served from this server, for sites with no internet (issue #14).

FastAPI's own ``/docs`` page loads Swagger UI from a CDN and starts it with an inline
script: blank on an air-gapped site, and a Content-Security-Policy that must allow the
CDN and ``'unsafe-inline'``. Here the page loads the files the ``swagger-ui-bundle-v2``
wheel ships (Swagger UI 5, which reads the OpenAPI 3.1 that FastAPI writes) and a start
script of ours, all from ``/docs/assets/``, so that its policy is ``'self'`` only
(:data:`entityscreen.api.headers.DOCS_CSP`). Redoc has no such wheel: ``/redoc`` is off.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse
from starlette.exceptions import HTTPException
from swagger_ui_bundle import swagger_ui_path

HERE = Path(__file__).resolve().parent
#: The files the page may load: from the wheel, and our start script (no directory walk).
ASSETS: dict[str, tuple[Path, str]] = {
    "swagger-ui.css": (Path(str(swagger_ui_path)) / "swagger-ui.css", "text/css"),
    "swagger-ui-bundle.js": (
        Path(str(swagger_ui_path)) / "swagger-ui-bundle.js",
        "text/javascript",
    ),
    "favicon-32x32.png": (Path(str(swagger_ui_path)) / "favicon-32x32.png", "image/png"),
    "start.js": (HERE / "static" / "docs-start.js", "text/javascript"),
}

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} - API documentation</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-spec="{spec}"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/start.js"></script>
</body>
</html>
"""


def docs_router(title: str, spec_url: str) -> APIRouter:
    """The ``/docs`` page and its assets, for an app titled ``title`` whose OpenAPI spec
    is at ``spec_url``."""
    router = APIRouter(include_in_schema=False)

    @router.get("/docs", response_class=HTMLResponse)
    async def docs() -> HTMLResponse:
        return HTMLResponse(PAGE.format(title=title, spec=spec_url))

    @router.get("/docs/assets/{name}")
    async def asset(name: str) -> FileResponse:
        if name not in ASSETS:
            raise HTTPException(404, f"no asset {name!r}")
        path, media_type = ASSETS[name]
        return FileResponse(path, media_type=media_type)

    return router


__all__ = ["ASSETS", "docs_router"]
