"""The HTTP API (FastAPI): ``create_app(settings)``; run with ``entityscreen serve``."""

from .app import create_app

__all__ = ["create_app"]
