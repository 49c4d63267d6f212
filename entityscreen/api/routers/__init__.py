"""The HTTP API's routes by subject; :func:`entityscreen.api.app.create_app` mounts them."""

from . import alerts, audit, batch, health, lists, match, reconcile, screen, yente

#: Every router, in the order the OpenAPI page lists them.
ROUTERS = (
    health.router,
    screen.router,
    match.router,
    yente.router,
    reconcile.router,
    lists.router,
    batch.router,
    alerts.router,
    audit.router,
)

__all__ = ["ROUTERS"]
