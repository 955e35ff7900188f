"""The workbench's writes: a claim saved from the source reader, a draft accepted (as
edited) or discarded.

Each write holds the workbench's write lock, reads the claims file again from disk (so a
save from another tab, or an editor, since the page was made is kept), and validates the
file as it would be written as `check` does (its records, then each claim's own checks:
sources, quotes, characters, wording) before writing it atomically; a refused write
leaves the file as it was and answers with check's messages.

Putting a claim into a claims file (its comments kept) and finding a quote's locator are
`briefgen claim add`'s and `briefgen import`'s (`CAPTURE` below names them): the
workbench calls them and writes nothing of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import BriefgenError, Problems, WorkspaceError
from .workbench import Workbench

NEW_FILE = "inbox.yaml"  # the claims file of a store that has none yet
FIELDS = ("id", "text", "origin", "date", "topics", "confidence", "marking")


def routes(bench: Workbench) -> list[Route]:
    """Return the routes of the writes (POST, token in a header: see app.TokenGate)."""

    async def add(request: Request) -> Response:
        body = await _body(request)
        record = claim_record(body)
        record["sources"] = [_cited(body)]
        file = str(body.get("file") or NEW_FILE)
        return _answer(bench, lambda: add_claim(bench, file, record), record.get("id"))

    async def accept(request: Request) -> Response:
        ident = request.path_params["ident"]
        body = await _body(request)
        changes = claim_record({**body, "id": ident})
        return _answer(bench, lambda: accept_draft(bench, ident, changes), ident)

    async def discard(request: Request) -> Response:
        ident = request.path_params["ident"]
        return _answer(bench, lambda: discard_draft(bench, ident), ident)

    def locate(request: Request) -> Response:
        query = request.query_params
        ident = query.get("source", "")
        text = bench.current.checked.ws.texts.get(ident)
        quote = query.get("quote", "")
        found = (
            find_locator(text, quote, query.get("prefix", ""), query.get("suffix", ""))
            if text is not None
            else None
        )
        return JSONResponse({"locator": found, "id": _new_id(bench, ident)})

    return [
        Route("/api/claims", add, methods=["POST"]),
        Route("/api/drafts/{ident}/accept", accept, methods=["POST"]),
        Route("/api/drafts/{ident}/discard", discard, methods=["POST"]),
        Route("/api/locate", locate),
    ]


async def _body(request: Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def claim_record(body: dict[str, Any]) -> dict[str, Any]:
    """Return a claim's keys from a form's fields: empty fields left out, topics split."""
    record: dict[str, Any] = {}
    for key in FIELDS:
        value = body.get(key)
        if isinstance(value, str):
            value = value.strip()
        if not value:
            continue
        if key == "topics" and isinstance(value, str):
            value = [t.strip() for t in value.split(",") if t.strip()]
        record[key] = value
    return record


def _cited(body: dict[str, Any]) -> dict[str, Any]:
    cited = {"source": str(body.get("source", "")).strip()}
    for key in ("quote", "locator"):
        value = str(body.get(key) or "").strip()
        if value:
            cited[key] = value
    return cited


def _answer(bench: Workbench, write: Any, ident: object) -> Response:
    """Run `write` under the write lock; answer with the claim, or check's messages."""
    try:
        with bench.writing:
            write()
    except WorkspaceError as exc:
        problems = [str(p) for p in exc.problems.sorted() if p.severity == "error"]
        return JSONResponse({"ok": False, "problems": problems}, status_code=422)
    except BriefgenError as exc:
        return JSONResponse({"ok": False, "problems": [str(exc)]}, status_code=422)
    bench.poll()  # the pages that follow show the store as written
    return JSONResponse({"ok": True, "id": ident})


def _new_id(bench: Workbench, source: str) -> str:
    """Return an id for a new claim from `source` that no claim has yet."""
    claims = bench.current.checked.ws.claims
    n = 1
    while f"{source}-{n}" in claims:
        n += 1
    return f"{source}-{n}"


def _claims_file(bench: Workbench, name: str) -> Path:
    """Return the claims file `name` names, inside store/claims/ (or refuse it)."""
    from ..readers.files import inside

    folder = bench.root / "store" / "claims"
    path = inside(folder, name)
    if path is None or path.parent != folder.resolve() or path.suffix != ".yaml":
        problems = Problems()
        problems.add(folder, 0, "file", f"{name!r} is not a claims file of store/claims/")
        raise WorkspaceError(problems)
    return path


# --- the seam: capture's functions ----------------------------------------------------


def add_claim(bench: Workbench, file: str, record: dict[str, Any]) -> None:
    """Add the claim `record` to the claims file `file`, validated as check validates it."""
    raise BriefgenError(_AWAITING)


def accept_draft(bench: Workbench, ident: str, changes: dict[str, Any]) -> None:
    """Take the draft `ident` out of the queue with `changes` (the form's fields)."""
    raise BriefgenError(_AWAITING)


def discard_draft(bench: Workbench, ident: str) -> None:
    """Remove the draft `ident` from its claims file."""
    raise BriefgenError(_AWAITING)


def find_locator(text: Any, quote: str, prefix: str, suffix: str) -> str | None:
    """Return the locator of `quote` in a captured text, placed by what stands before
    and after it."""
    places = text.places(quote)
    return places[0] if places else None


_AWAITING = "saving claims from the workbench awaits `briefgen claim add`'s writer"
