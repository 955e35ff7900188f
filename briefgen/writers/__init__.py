"""Writers: each formats a Memo in one file format and decides nothing about its content.

`FORMATS` is the one table of formats: every other place that names formats (the brief's
`formats` key, `--format`, output names, `status`, page limits, the writer processes)
reads it. A writer's module is imported only when its format is written, so a build or
check loads reportlab and python-docx only in the writer processes (see
speed/engine.py), where there are any.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Memo


@dataclass(frozen=True)
class Format:
    """One output format and how it is written."""

    name: str  # as briefs and --format spell it, and the file's suffix
    writer: str  # "module:function" of the function that writes a memo
    paged: bool = False  # laid out in pages: an audience's max-pages applies to it
    heavy: bool = False  # its writer takes long to load: writer processes load it ahead
    prepare: str | None = None  # "module:function" run once before the first memo
    # the format whose layout gives this one its page numbers: its writer takes that
    # format's `layout`, so a build writes that format of a memo first
    measured_by: str | None = None

    @property
    def suffix(self) -> str:
        return f".{self.name}"


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("docx", "briefgen.writers.docx.writer:write_docx", heavy=True, measured_by="pdf"),
        Format(
            "pdf",
            "briefgen.writers.pdf.writer:write_pdf",
            paged=True,
            heavy=True,
            prepare="briefgen.writers.pdf.fonts:register",
        ),
        Format("html", "briefgen.writers.html:write_html"),
        Format("json", "briefgen.writers.json:write_json"),
    )
}
DEFAULT_FORMATS = ("docx", "pdf")  # what a brief that names no formats is built in


def writer(fmt: str) -> Callable[[Memo, Path], object]:
    """Return the function that writes a memo in format `fmt`."""
    return _function(FORMATS[fmt].writer)


def prepare(fmt: str) -> None:
    """Load the writer of `fmt` ahead of its first memo, and run its preparation (for PDF,
    parsing the fonts)."""
    writer(fmt)
    step = FORMATS[fmt].prepare
    if step:
        _function(step)()


def _function(path: str) -> Callable[..., object]:
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]
