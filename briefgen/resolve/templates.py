"""Memo templates: Jinja2 files that lay out a memo for one audience.

A template decides which parts of the resolved memo appear, in what order, under which
headings, with what text of its own around them. It cannot change a claim or a note:
it places prepared blocks (`{{ block }}`) and the writers format them. Templates run in
Jinja2's immutable sandbox with strict undefined variables, bounded in time and size.

Built-in templates ship in briefgen/resolve/templates/; a workspace's templates/NAME.j2 adds a
template or overrides a built-in one of the same name. The output is a small markup:

    ## Heading              a section
    {{ block }}             a prepared paragraph (claim or prose), alone on its line
    any other text          a paragraph of the template's own (blank lines separate them)

and these calls, anywhere: header("TO", "DATE", …) chooses the heading block's fields,
bibliography() and summary() include those parts, layout("one-page") picks the compact
typography.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from ..errors import Problems, WorkspaceError
from ..model import Paragraph, Section, Span, plain_text
from ..readers.workspace import Workspace
from ..words import plural
from . import sandbox

BUILT_IN = Path(__file__).parent / "templates"
SUFFIX = ".j2"
FIELDS = ("TO", "FROM", "DATE", "SUBJECT", "PERIOD", "FOR")
LAYOUTS = ("policy-memo", "one-page")
_TOKEN = re.compile("\ue000([BD])([^\ue001]*)\ue001")


def template_path(ws: Workspace, name: str) -> Path | None:
    """Return the file of template `name`: the workspace's own, else the built-in one."""
    for folder in (ws.root / "templates", BUILT_IN):
        path = folder / f"{name}{SUFFIX}"
        if path.is_file():
            return path
    return None


def _escapes(ws: Workspace) -> list[Path]:
    """Return the workspace templates that lead out of templates/ (symbolic links)."""
    folder = ws.root / "templates"
    if not folder.is_dir():
        return []
    home = folder.resolve()
    return [p for p in folder.rglob("*") if p.is_file() and not p.resolve().is_relative_to(home)]


def known_templates(ws: Workspace) -> list[str]:
    """Return the names of every template the workspace can use."""
    names = {p.stem for p in BUILT_IN.glob(f"*{SUFFIX}")}
    if (ws.root / "templates").is_dir():
        names |= {p.stem for p in (ws.root / "templates").glob(f"*{SUFFIX}")}
    return sorted(names)


@dataclass
class Layout:
    """What a template made of a memo: its fields, sections and optional parts."""

    fields: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    bibliography: bool = False
    summary: bool = False
    layout: str = "policy-memo"
    # the name and text of each template the memo was made from: the audience's, and
    # those it included, imported or extended (see inputs.template_version)
    templates: dict[str, str] = field(default_factory=dict)


class _Loader(jinja2.FileSystemLoader):
    """The workspace's templates/, then the built-in ones; it notes each template it loads."""

    def __init__(self, ws: Workspace) -> None:
        super().__init__([str(ws.root / "templates"), str(BUILT_IN)])
        self.loaded: dict[str, str] = {}

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """Return the template's source, file name and freshness check, and note it."""
        source = super().get_source(environment, template)
        self.loaded[template] = source[0]
        return source


class TemplateBlock:
    """A prepared paragraph as a template sees it; `{{ block }}` places it."""

    def __init__(self, index: int, para: Paragraph, info: dict[str, Any]) -> None:
        self._token = f"\ue000B{index}\ue001"
        self.kind = para.kind
        self.claim_id = para.claim_id
        self.text = _clean(plain_text([i for i in para.content if isinstance(i, Span)]))
        self.confidence = info.get("confidence")
        self.topics = list(info.get("topics", []))
        self.marking = info.get("marking")
        self.new = bool(info.get("new"))
        self.origin = info.get("origin")

    def __str__(self) -> str:
        return self._token

    __html__ = __str__


class TemplateSection:
    """A section as a template sees it: its title and blocks."""

    def __init__(self, title: str, blocks: list[TemplateBlock]) -> None:
        self.title = _clean(title)
        self.blocks = blocks
        self.claims = [b for b in blocks if b.kind == "claim"]
        self.prose = [b for b in blocks if b.kind == "prose"]


def _clean(text: str) -> str:
    """Remove the private-use characters the template markup uses."""
    return text.replace("\ue000", "").replace("\ue001", "")


def _environment(ws: Workspace) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=_Loader(ws),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["plain"] = lambda block: getattr(block, "text", str(block))
    env.filters["plural"] = plural  # {{ n | plural("item") }}: "1 item", "2 items"
    return env


def apply(
    ws: Workspace,
    name: str,
    sections: list[Section],
    context: dict[str, Any],
    block_info: dict[int, dict[str, Any]],
) -> Layout:
    """Render template `name` over the resolved sections; return the memo's layout."""
    blocks: list[Paragraph] = []
    view = []
    for section in sections:
        mine = []
        for para in section.blocks:
            blocks.append(para)
            mine.append(TemplateBlock(len(blocks) - 1, para, block_info.get(id(para), {})))
        view.append(TemplateSection(section.title, mine))
    text, loaded = _render(ws, name, {**context, "sections": view})
    layout = _parse(text, blocks, ws, name)
    layout.templates = loaded
    return layout


def _render(ws: Workspace, name: str, context: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """Render a template with the directive functions; return its text and the templates
    it was made from. Errors name its file and line."""

    def directive(kind: str):
        def call(*args: object) -> str:
            return f"\ue000D{kind}:{'|'.join(str(a) for a in args)}\ue001"

        return call

    outside = _escapes(ws)
    if outside:
        raise _error(
            ws,
            name,
            str(outside[0]),
            0,
            "this template leads out of the workspace's "
            "templates/ folder (a symbolic link); copy the file in instead",
        )
    env = _environment(ws)
    functions = {k: directive(k) for k in ("header", "bibliography", "summary", "layout")}
    try:
        template = env.get_template(f"{name}{SUFFIX}")
        text = sandbox.render(template, {**context, **functions})
        assert isinstance(env.loader, _Loader)
        return text, dict(sorted(env.loader.loaded.items()))
    except jinja2.TemplateNotFound:
        raise _error(
            ws,
            name,
            None,
            0,
            f"template {name!r} not found; known: {', '.join(known_templates(ws))}",
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise _error(ws, name, exc.filename, exc.lineno, f"syntax error: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise _error(ws, name, *_where(exc), f"{exc.message}") from None
    except SecurityError as exc:
        raise _error(ws, name, *_where(exc), f"not allowed: {exc}") from None
    except sandbox.Exceeded as exc:
        raise _error(ws, name, *_where(exc), str(exc)) from None
    except WorkspaceError:
        raise
    except Exception as exc:  # noqa: BLE001 - anything a template does wrong is the user's
        raise _error(ws, name, *_where(exc), f"{type(exc).__name__}: {exc}") from None


def _where(exc: BaseException) -> tuple[str | None, int]:
    """Return the template file and line an exception was raised at."""
    tb = exc.__traceback__
    found: tuple[str | None, int] = (None, 0)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(SUFFIX):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _error(
    ws: Workspace, name: str, filename: str | None, line: int, message: str
) -> WorkspaceError:
    problems = Problems()
    path = filename or str(template_path(ws, name) or ws.root / "templates" / f"{name}{SUFFIX}")
    problems.add(path, line or 0, "template", message)
    return WorkspaceError(problems)


def _parse(text: str, blocks: list[Paragraph], ws: Workspace, name: str) -> Layout:
    """Turn the template's output into a Layout."""
    layout = Layout()
    current: Section | None = None
    pending: list[str] = []

    def flush() -> None:
        nonlocal current
        words = " ".join(" ".join(pending).split())
        pending.clear()
        if words:
            if current is None:
                current = Section("", [])
                layout.sections.append(current)
            current.blocks.append(Paragraph([Span(words)]))

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = _directives(raw, layout, ws, name)
        stripped = line.strip()
        token = _TOKEN.fullmatch(stripped)
        if not stripped:
            flush()
        elif stripped.startswith("## "):
            flush()
            current = Section(stripped[3:].strip(), [])
            layout.sections.append(current)
        elif token:
            flush()
            if current is None:
                current = Section("", [])
                layout.sections.append(current)
            current.blocks.append(replace(blocks[int(token.group(2))]))  # placed twice: two
        else:
            pending.append(_TOKEN.sub("", stripped))
    flush()
    return layout


def _directives(line: str, layout: Layout, ws: Workspace, name: str) -> str:
    """Apply the directive calls on a line and return the line without them."""
    for match in _TOKEN.finditer(line):
        if match.group(1) != "D":
            continue
        kind, _, args = match.group(2).partition(":")
        values = [a for a in args.split("|") if a]
        if kind == "header":
            unknown = [v for v in values if v.upper() not in FIELDS]
            if unknown:
                raise _error(
                    ws,
                    name,
                    None,
                    0,
                    f"header(): unknown field {unknown[0]!r}; known: {', '.join(FIELDS)}",
                )
            layout.fields = [v.upper() for v in values]
        elif kind == "layout":
            if not values or values[0] not in LAYOUTS:
                raise _error(ws, name, None, 0, f"layout(): expected one of {', '.join(LAYOUTS)}")
            layout.layout = values[0]
        elif kind == "bibliography":
            layout.bibliography = True
        elif kind == "summary":
            layout.summary = True
    return re.sub("\ue000D[^\ue001]*\ue001", "", line)
