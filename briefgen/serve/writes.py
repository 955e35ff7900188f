"""The workbench's writes: a claim saved from the source reader, a draft accepted (as
edited), edited and kept in the queue, or discarded.

Each write holds the workbench's write lock, reads the claims file again from disk (so a
save from another tab, or an editor, since the page was made is kept), and validates the
file as it would be written as `check` does (its records, then each claim's own checks:
sources, quotes, characters, wording) before writing it atomically; a refused write
leaves the file as it was and answers with check's messages.

Putting a claim into a claims file (its comments kept), checking it, and finding a
quote's locator are `briefgen claim add`'s and `briefgen import`'s (briefgen/capture/):
the workbench calls them. Accepting or discarding a draft replaces its own lines alone.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import BriefgenError, Problems, WorkspaceError
from ..readers.yamlio import line_of
from .workbench import Workbench

NEW_FILE = "new.yaml"  # the claims file of a store that has none yet, as `claim add`'s
FIELDS = ("id", "text", "origin", "date", "topics", "confidence", "marking")


def routes(bench: Workbench) -> list[Route]:
    """Return the routes of the writes (POST, token in a header: see app.TokenGate)."""

    async def add(request: Request) -> Response:
        body = await _body(request)
        record = claim_record(body)
        record["sources"] = [_cited(body)]
        file = str(body.get("file") or NEW_FILE)
        return await run_in_threadpool(
            _answer, bench, lambda: add_claim(bench, file, record), record.get("id")
        )

    async def accept(request: Request) -> Response:
        ident = request.path_params["ident"]
        body = await _body(request)
        changes = claim_record({**body, "id": ident})
        return await run_in_threadpool(
            _answer, bench, lambda: accept_draft(bench, ident, changes), ident
        )

    async def save(request: Request) -> Response:
        ident = request.path_params["ident"]
        body = await _body(request)
        changes = claim_record({**body, "id": ident})
        return await run_in_threadpool(
            _answer, bench, lambda: accept_draft(bench, ident, changes, keep=True), ident
        )

    async def discard(request: Request) -> Response:
        ident = request.path_params["ident"]
        return await run_in_threadpool(_answer, bench, lambda: discard_draft(bench, ident), ident)

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
        return JSONResponse({"locator": found})

    return [
        Route("/api/claims", add, methods=["POST"]),
        Route("/api/drafts/{ident}/accept", accept, methods=["POST"]),
        Route("/api/drafts/{ident}/save", save, methods=["POST"]),
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
    """Run `write` under the write lock (in a worker thread: the event streams go on
    meanwhile); answer with the claim, or check's messages."""
    try:
        with bench.writing:
            ident = write() or ident
            bench.poll()  # the next write, and the pages that follow, see this one
    except WorkspaceError as exc:
        problems = [str(p) for p in exc.problems.sorted() if p.severity == "error"]
        return JSONResponse({"ok": False, "problems": problems}, status_code=422)
    except BriefgenError as exc:
        return JSONResponse({"ok": False, "problems": [str(exc)]}, status_code=422)
    return JSONResponse({"ok": True, "id": ident})


def add_claim(bench: Workbench, file: str, record: dict[str, Any]) -> str:
    """Add the claim `record` to the claims file `file` of store/claims/, checked as
    `check` checks a claim, by `claim add`'s own function; return its id (made from its
    text when the form gave none)."""
    from ..capture.claims import add_claim as add

    cited = record["sources"][0]
    if not cited.get("quote") or not cited.get("source"):
        problems = Problems()
        problems.add(file, 0, "sources[0].quote", "select a passage of the source to quote")
        raise WorkspaceError(problems)
    ident = record.pop("id", None)
    return add(
        bench.current.checked.ws, record, bench.root / "store" / "claims" / file, ident
    ).ident


def accept_draft(bench: Workbench, ident: str, changes: dict[str, Any], keep: bool = False) -> None:
    """Take the draft `ident` out of the queue with the form's fields: its text and
    controls as edited (a field left empty is removed), `draft` gone (unless `keep`:
    edited, still to review), sources kept."""

    def accepted(record: dict[str, Any]) -> dict[str, Any] | None:
        kept = {k: v for k, v in record.items() if k not in FIELDS and k != "draft"}
        given = dict(changes)
        if str(given.get("date", "")).startswith("c. ") and "date" in record:
            given["date"] = record["date"]  # a conjectured date, shown as such, left as it is
        edited = {"id": ident, **{k: v for k, v in given.items() if k != "id"}, **kept}
        return {**edited, "draft": True} if keep else edited

    _rewrite(bench, ident, accepted)


def discard_draft(bench: Workbench, ident: str) -> None:
    """Remove the draft `ident` from its claims file (a claim that is not a draft stays)."""
    _rewrite(bench, ident, lambda record: None)


def _rewrite(bench: Workbench, ident: str, change: Any) -> None:
    """Replace the lines of the draft `ident` in its file, read again from disk now, with
    `change(record)` (None: remove them), every other line as it was; the new record is
    checked as `check` checks a claim first, and the file replaced atomically."""
    from ..capture.claimfile import _dumped
    from ..capture.claims import checked_claim
    from ..readers.files import read_inside, write_atomic
    from ..readers.yamlio import MAX_FILE_BYTES, load_text

    ws = bench.current.checked.ws
    where = ws.where.get(("claim", ident))
    problems = Problems()
    if where is None:
        problems.add("store/claims", 0, "id", f"no claim {ident!r} in the store")
        raise WorkspaceError(problems)
    path = where.path
    text = read_inside(path, ws.root, MAX_FILE_BYTES).decode("utf-8")
    data = load_text(text, path, problems)
    problems.raise_if_errors()
    items = [i for i, item in enumerate(data or []) if isinstance(item, dict)]
    found = [i for i in items if data[i].get("id") == ident]
    if not found or data[found[0]].get("draft") is not True:
        problems.add(path, 0, "id", f"claim {ident!r} is no draft in {path.name} now")
        raise WorkspaceError(problems)
    at = found[0]
    record = change(_plain(data[at]))
    lines = text.splitlines(keepends=True)
    first = line_of(data, at) - 1
    last = _end(lines, line_of(data, at + 1) - 1 if at + 1 < len(data) else len(lines))
    new = ""
    if record is not None:
        if not checked_claim(ws, record, path, problems):
            raise WorkspaceError(problems)
        new = _dumped(text, record)
    write_atomic(
        path, "".join(lines[:first]).encode() + new.encode() + "".join(lines[last:]).encode()
    )


def _end(lines: list[str], before: int) -> int:
    """Return where a record that runs up to line index `before` ends: the blank and
    comment lines before the next record are the next one's."""
    while before > 0 and (
        not lines[before - 1].strip() or lines[before - 1].lstrip().startswith("#")
    ):
        before -= 1
    return before


def _plain(value: Any) -> Any:
    """Return YAML data as plain dicts, lists and scalars."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def find_locator(text: Any, quote: str, prefix: str, suffix: str) -> str | None:
    """Return the locator of `quote` in a captured text, placed by the text before and
    after it where it stands in several places (`claim add`'s and `import`'s finder)."""
    from ..capture.passages import find_passage

    found = find_passage(text, quote, prefix, suffix)
    return found.locator if found else None
