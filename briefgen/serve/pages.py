"""The workbench's pages: the store, the sources and their reader, the drafts, the memos'
previews and check's problems.

Pages are Jinja2 templates with autoescaping on, so every text of the store (a claim's
text, a quote, a title) reaches the browser as text: a claim reading `<script>` shows
those characters and runs nothing. Paths a request names are taken only inside the
workspace.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ..check.store import drafts as store_drafts
from ..dates import PartialDate
from ..errors import BriefgenError
from ..readers.records import Claim
from ..words import plural
from . import writes
from .workbench import Filters, Workbench, is_draft

HERE = Path(__file__).parent
SHOWN = 500  # claims listed on one page of the store; the rest are counted
STATIC = {
    "workbench.js": "text/javascript",
    "workbench.css": "text/css",
    "live.js": "text/javascript",
}


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["plural"] = plural
    env.filters["date"] = shown_date
    return env


def shown_date(date: PartialDate | None) -> str:
    """Return a date as the store writes it: 2024, 2024-06, 2024-06-14, c. 2023-03, or a
    range of two with a slash."""
    if date is None:
        return ""
    parts = [f"{date.year:04d}"] + [f"{n:02d}" for n in (date.month, date.day) if n]
    text = "-".join(parts)
    if date.until is not None:
        text += "/" + shown_date(date.until)
    return f"c. {text}" if date.circa else text


def page(bench: Workbench, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    """Return the page of template `name`, with the counts every page's menu shows."""
    now = bench.current
    ws = now.checked.ws
    drafts = len(store_drafts(ws))
    problems = now.checked.ws.problems

    def locator(claim: Claim, i: int) -> str:
        """Return where a claim's `i`th source has its quote: as written, or derived."""
        return claim.sources[i].locator or ws.locators.get((claim.id, i), "")

    html = (
        _environment()
        .get_template(name)
        .render(
            locator=locator,
            version=now.version,
            drafts=drafts,
            errors=len(problems.errors),
            warnings=len(problems.warnings),
            root=str(bench.root),
            token=bench.token,
            **values,
        )
    )
    return HTMLResponse(html, status_code=status)


def routes(bench: Workbench) -> list[Route]:
    """Return the routes of the pages, each reading `bench`."""

    def store(request: Request) -> Response:
        query = request.query_params
        filters = Filters(
            **{k: query.get(k, "") for k in ("q", "topic", "source", "confidence", "marking")},
            draft=query.get("draft", ""),
            since=query.get("since", ""),
            until=query.get("until", ""),
            unused=query.get("unused") == "1",
        )
        ws = bench.current.checked.ws
        claims = list(bench.claims(filters))
        return page(
            bench,
            "store.html",
            filters=filters,
            claims=claims[:SHOWN],
            total=len(claims),
            uses=bench.uses(),
            topics=sorted(ws.topic_index()),
            sources=sorted(ws.sources),
            markings=[m.name for m in ws.settings.markings],
            lowest=ws.lowest_marking(),
            is_draft=is_draft,
            dated=lambda c: ws.select_facts().get(c.id, (None, False, None))[2],
        )

    def claim(request: Request) -> Response:
        ident = request.path_params["ident"]
        ws = bench.current.checked.ws
        if ident not in ws.claims:
            return page(bench, "missing.html", 404, what=f"claim {ident!r}")
        record = ws.claims[ident]
        where = bench.where("claim", ident)
        assert where is not None
        problems = [
            p
            for p, r in bench.problems()
            if r is not None and (r.kind, r.ident) == ("claim", ident)
        ]
        return page(
            bench,
            "claim.html",
            claim=record,
            file=_relative(bench, where[0]),
            line=where[1],
            uses=bench.uses().get(ident, []),
            problems=problems,
            is_draft=is_draft(record),
        )

    def sources(request: Request) -> Response:
        ws = bench.current.checked.ws
        counts: dict[str, int] = {}
        for c in ws.claims.values():
            for ident in {s.source for s in c.sources}:
                counts[ident] = counts.get(ident, 0) + 1
        return page(bench, "sources.html", sources=list(ws.sources.values()), counts=counts)

    def source(request: Request) -> Response:
        ident = request.path_params["ident"]
        ws = bench.current.checked.ws
        if ident not in ws.sources:
            return page(bench, "missing.html", 404, what=f"source {ident!r}")
        text = ws.texts.get(ident)
        files = sorted(p.name for p in (bench.root / "store" / "claims").glob("*.yaml"))
        return page(
            bench,
            "source.html",
            source=ws.sources[ident],
            paragraphs=text.paragraphs if text else [],
            paged=bool(text and text.pages is not None),
            files=files or [writes.NEW_FILE],
            markings=[m.name for m in ws.settings.markings],
            claims=[c for c in ws.claims.values() if any(s.source == ident for s in c.sources)],
        )

    def drafts(request: Request) -> Response:
        ws = bench.current.checked.ws
        found = [ws.claims[i] for i in store_drafts(ws)]
        return page(
            bench, "drafts.html", claims=found, markings=[m.name for m in ws.settings.markings]
        )

    def memos(request: Request) -> Response:
        return page(bench, "memos.html", memos=bench.memos())

    def problems(request: Request) -> Response:
        found = [(p, r, _relative_shown(bench, p.path)) for p, r in bench.problems()]
        return page(bench, "problems.html", problems=found)

    def preview(request: Request) -> Response:
        brief, audience = request.path_params["brief"], request.path_params["audience"]
        try:
            html = bench.preview(brief, audience)
        except BriefgenError as exc:  # pandoc's failure, say: the memo cannot be made now
            return page(bench, "nopreview.html", brief=brief, audience=audience, failed=str(exc))
        if html is None:
            known = (brief, audience) in bench.memos()
            return page(
                bench,
                "nopreview.html",
                200 if known else 404,
                brief=brief,
                audience=audience,
                known=known,
                failed="",
            )
        script = f'<script src="/static/live.js" data-version="{bench.current.version}"></script>'
        return HTMLResponse(html.replace("</body>", f"{script}\n</body>", 1))

    def file(request: Request) -> Response:
        relative = request.path_params["path"]
        path = bench.inside(relative)
        if path is None:
            return page(bench, "missing.html", 404, what=f"file {relative!r} in the workspace")
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            return page(bench, "missing.html", 404, what=f"readable file {relative!r} ({exc})")
        return page(bench, "file.html", path=relative, lines=lines)

    def version(request: Request) -> Response:
        return JSONResponse({"version": bench.current.version})

    def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return PlainTextResponse("not found", 404)
        return Response((HERE / "static" / name).read_bytes(), media_type=STATIC[name])

    return [
        Route("/", store),
        Route("/claim/{ident}", claim),
        Route("/sources", sources),
        Route("/source/{ident}", source),
        Route("/drafts", drafts),
        Route("/memos", memos),
        Route("/problems", problems),
        Route("/preview/{brief}/{audience}", preview),
        Route("/file/{path:path}", file),
        Route("/api/version", version),
        Route("/static/{name}", static),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
    ]


def _relative(bench: Workbench, path: Path) -> str:
    """Return a workspace file's path inside it, as the file page names it."""
    try:
        return path.resolve().relative_to(bench.root.resolve()).as_posix()
    except ValueError:
        return ""


def _relative_shown(bench: Workbench, shown: str) -> str:
    return _relative(bench, Path.cwd() / shown)
