"""``entityscreen keys`` and ``serve``: the HTTP API, the web UI and their keys."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ..errors import InputError
from .app import HomeOption, err, open_screener, out

keys_app = typer.Typer(help="API keys of the HTTP API (stored hashed).")


@keys_app.callback(invoke_without_command=True)
def keys_show(ctx: typer.Context, home: HomeOption = None) -> None:
    """List the API keys (never the keys themselves)."""
    if ctx.invoked_subcommand is not None:
        return
    with open_screener(home) as screener:
        keys = screener.keys()
    for k in keys:
        state = f"revoked {k.revoked_at}" if k.revoked_at else "active"
        out.print(f"{k.id}\t{k.role}\t{k.name}\tcreated {k.created_at}\t{state}", markup=False)
    if not keys:
        out.print("No API keys; create one with 'entityscreen keys create --name N --role R'.")


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="Who or what uses the key.")],
    role: Annotated[str, typer.Option(help="screener or analyst.")] = "screener",
    home: HomeOption = None,
) -> None:
    """Create an API key; it is printed once and stored only as a hash."""
    with open_screener(home, create=True) as screener:
        record, key = screener.create_key(name, role, actor=screener.operator)
    err.print(
        f"key {record.id} ({record.role}, {record.name}); keep it now, it is not shown again:"
    )
    sys.stdout.write(key + "\n")


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[int, typer.Argument(help="The key's id (see 'entityscreen keys').")],
    home: HomeOption = None,
) -> None:
    """Revoke an API key."""
    with open_screener(home) as screener:
        record = screener.revoke_key(key_id, actor=screener.operator)
    out.print(f"key {record.id} ({record.name}) revoked at {record.revoked_at}", markup=False)


def serve(
    home: HomeOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes.")] = 1,
    store: Annotated[
        str | None,
        typer.Option(
            help="sqlite:///PATH (a store folder or its store.sqlite) or postgresql://USER:"
            "PASSWORD@HOST/DB (also $ENTITYSCREEN_STORE); default: the SQLite store in --home."
        ),
    ] = None,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the analyst web UI (/ui)."""
    from functools import partial

    import uvicorn

    from ..api.app import create_app
    from ..service import Screener
    from ..settings import Settings

    if workers < 1:
        raise InputError("--workers must be at least 1")
    settings = Settings.from_env(home).with_store(store)
    with Screener.open(settings=settings) as screener:  # fail here, in one line, if unusable
        screener.matcher()
    # The app gets its settings as an argument, not through os.environ: a picklable
    # factory, so that uvicorn's --workers processes (spawned) rebuild it with them.
    config = uvicorn.Config(
        partial(create_app, settings),
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    if workers == 1:
        server.run()
        return
    # uvicorn's own supervisor, with a listening socket we bind ourselves: the one it binds
    # for --workers N has proto 0, so asyncio leaves Nagle on for accepted connections and
    # every keep-alive request waits ~40 ms for a delayed ACK (uvicorn issue #3149).
    import socket

    from uvicorn.supervisors import Multiprocess

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    Multiprocess(config, sockets=[sock]).run()
