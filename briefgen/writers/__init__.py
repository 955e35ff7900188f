"""Writers: each formats a Memo in one file format and decides nothing about its content.

`WRITERS` maps a format to its module and function; modules are imported only when that
format is written, so a build or check loads reportlab and python-docx only in the writer
processes (see speed/engine.py), where there are any.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from ..model import Memo

WRITERS: dict[str, tuple[str, str]] = {
    "docx": ("briefgen.writers.docx.writer", "write_docx"),
    "pdf": ("briefgen.writers.pdf.writer", "write_pdf"),
    "json": ("briefgen.writers.json", "write_json"),
    "html": ("briefgen.writers.html", "write_html"),
}


def writer(fmt: str) -> Callable[[Memo, Path], object]:
    """Return the function that writes a memo in format `fmt`."""
    module, name = WRITERS[fmt]
    return getattr(importlib.import_module(module), name)


def prepare(fmt: str) -> None:
    """Load the writer of `fmt` ahead of its first memo (and, for PDF, parse the fonts)."""
    writer(fmt)
    if fmt == "pdf":
        from .pdf.fonts import register

        register()
