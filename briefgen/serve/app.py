"""The workbench's web server: Starlette routes, served by uvicorn on 127.0.0.1 only.

Every request must carry the token printed with the address (in the address, then in a
cookie the first answer sets); any other is refused. Writes must carry it in a header as
well, which a page of another site cannot set, and the Host header must name this
machine, so that a page of another site cannot reach the workbench through a name of its
own that points here. The page's scripts come only from the workbench
(Content-Security-Policy), on top of every store text being escaped.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from ..errors import BriefgenError
from . import pages, writes
from .workbench import Workbench

HOST = "127.0.0.1"
POLL = 0.05  # seconds between looks at the workspace's files (a few stat calls)
KEEP_ALIVE = 15.0  # seconds between comments on a quiet event stream
HEADER = "x-briefgen-token"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGI = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "font-src 'self' data:; img-src 'self' data:; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


class TokenGate:
    """Refuse every request without the workbench's token; remember it in a cookie."""

    def __init__(self, app: ASGI, token: str, cookie: str) -> None:
        self.app, self.token, self.cookie = app, token, cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        in_query = request.query_params.get("token")
        given = in_query or request.cookies.get(self.cookie) or request.headers.get(HEADER)
        refused = not given or not secrets.compare_digest(given, self.token)
        if not refused and request.method not in ("GET", "HEAD"):
            header = request.headers.get(HEADER, "")
            refused = not secrets.compare_digest(header, self.token)
        if refused:
            answer = PlainTextResponse(
                "refused: open the workbench at the address `briefgen serve` printed, with "
                "its token",
                status_code=403,
            )
            await answer(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                if in_query:
                    cookie = f"{self.cookie}={self.token}; Path=/; HttpOnly; SameSite=Strict"
                    headers.append((b"set-cookie", cookie.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Changes:
    """Tells the event streams when the workbench checked the workspace again."""

    def __init__(self) -> None:
        self.event = asyncio.Event()

    def tell(self) -> None:
        """Wake every stream waiting: a new check is in."""
        event, self.event = self.event, asyncio.Event()
        event.set()

    async def wait(self, seconds: float) -> None:
        """Wait for the next check, or `seconds`."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.event.wait(), seconds)


def make_app(bench: Workbench, token: str, port: int, poll: float = POLL) -> Starlette:
    """Return the workbench's application for the workspace `bench` holds."""
    changes: list[Changes] = []
    bench.token = token

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        changes.append(Changes())
        watcher = asyncio.create_task(_watch(bench, changes[0], poll))
        try:
            yield
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            bench.close()

    async def events(request: Request) -> Response:
        return StreamingResponse(
            _stream(bench, changes[0], request), media_type="text/event-stream"
        )

    routes = [
        *pages.routes(bench),
        *writes.routes(bench),
        Route("/events", events),
    ]
    gate: list[Middleware] = [
        Middleware(TrustedHostMiddleware, allowed_hosts=[HOST, "localhost"]),
        Middleware(TokenGate, token=token, cookie=f"briefgen-token-{port}"),
    ]
    return Starlette(routes=routes, middleware=gate, lifespan=lifespan)


async def _watch(bench: Workbench, changes: Changes, poll: float) -> None:
    """Look at the workspace's files every `poll` seconds; after a change, check it again
    and tell the event streams."""
    from starlette.concurrency import run_in_threadpool

    told = bench.current.version
    while True:
        await asyncio.sleep(poll)
        try:
            await run_in_threadpool(bench.poll)
        except (BriefgenError, OSError) as exc:  # a full disk, a file gone mid-read: again
            sys.stderr.write(f"briefgen: error: {exc}\n")
            await asyncio.sleep(1)
        if bench.current.version != told:  # checked here, or after a write (writes.py)
            told = bench.current.version
            changes.tell()


async def _stream(bench: Workbench, changes: Changes, request: Request) -> AsyncIterator[str]:
    """Send the version of each check as it comes in, from the one the page was made of."""
    seen = _int(request.query_params.get("since"), bench.current.version)
    yield "retry: 300\n\n"
    while True:
        version = bench.current.version
        if version != seen:
            seen = version
            yield f"event: change\ndata: {version}\n\n"
        else:
            yield ": quiet\n\n"
        await changes.wait(KEEP_ALIVE)
        if await request.is_disconnected():
            return


def _int(text: str | None, default: int) -> int:
    return int(text) if text and text.isdigit() else default


def serve(root: Path, port: int, say: Callable[[str], None]) -> None:
    """Check the workspace, then serve the workbench on 127.0.0.1:`port` (0: a free one)
    until interrupted, after saying its address with the token."""
    import socket

    import uvicorn

    bench = Workbench(root)
    token = secrets.token_urlsafe(32)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        from ..errors import UsageError

        raise UsageError(f"cannot listen on {HOST}:{port}: {exc.strerror}") from None
    sock.listen(128)  # from here a request waits for the server, which starts below
    port = sock.getsockname()[1]
    app = make_app(bench, token, port)
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    say(f"briefgen workbench for {root}")
    say(f"open http://{HOST}:{port}/?token={token}")
    say("(Ctrl-C stops it)")
    server.run(sockets=[sock])
