"""Section prose: a sandboxed Jinja2 template whose claim() and cite() calls place claims.

The template is rendered with placeholders for the calls, then split into parts, so a
claim's own text is never template code: `{{ 7*7 }}` in a claim prints as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from . import sandbox

_MARK = re.compile("\ue000([CN])(\\d+)\ue001")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Call:
    """A claim() or cite() call in prose: `kind` is "claim" or "cite"."""

    kind: str
    claim_id: str


Part = str | Call


class ProseError(Exception):
    """The prose template is broken; `line` is relative to the text's first line."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@lru_cache(maxsize=1)
def _environment() -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False
    )


def render(text: str) -> list[list[Part]]:
    """Return the paragraphs of `text`, each a list of strings and claim/cite calls."""
    if "\ue000" in text or "\ue001" in text:
        raise ProseError("text holds private-use characters U+E000/U+E001", 1)
    calls: list[Call] = []

    def placeholder(kind: str):
        def call(claim_id: object) -> str:
            if not isinstance(claim_id, str):
                raise ProseError(f"{kind}() takes a claim id in quotes", 0)
            calls.append(Call(kind, claim_id))
            return f"\ue000{'C' if kind == 'claim' else 'N'}{len(calls) - 1}\ue001"

        return call

    try:
        template = _environment().from_string(text)
        out = sandbox.render(template, {"claim": placeholder("claim"), "cite": placeholder("cite")})
    except jinja2.TemplateSyntaxError as exc:
        raise ProseError(f"template syntax error: {exc.message}", exc.lineno) from None
    except jinja2.UndefinedError as exc:
        raise ProseError(
            f"{exc.message} (prose may call only claim() and cite())", _line(exc)
        ) from None
    except SecurityError as exc:
        raise ProseError(f"not allowed in prose: {exc}", _line(exc)) from None
    except sandbox.Exceeded as exc:
        raise ProseError(f"prose {exc}", _line(exc) or 1) from None
    except ProseError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside a user template is theirs
        raise ProseError(f"template error: {exc}", _line(exc)) from None
    return [_split(p, calls) for p in _PARAGRAPHS.split(out.strip()) if p.strip()]


def _split(paragraph: str, calls: list[Call]) -> list[Part]:
    """Return a paragraph's text pieces and calls, whitespace folded."""
    parts: list[Part] = []
    pos = 0
    for m in _MARK.finditer(paragraph):
        if m.start() > pos:
            parts.append(paragraph[pos : m.start()])
        parts.append(calls[int(m.group(2))])
        pos = m.end()
    if pos < len(paragraph):
        parts.append(paragraph[pos:])
    return [re.sub(r"\s+", " ", p) if isinstance(p, str) else p for p in parts]


def _line(exc: BaseException) -> int:
    """Return the template line an exception was raised at, from its traceback."""
    tb = exc.__traceback__
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
