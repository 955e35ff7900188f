"""A memo's DOCX is written after its PDF and handed the PDF's layout, in the writer
processes and without them, so it never lays the memo out again."""

from __future__ import annotations

import os
from pathlib import Path

import docx
import pytest

from briefgen.model import Paragraph, Section, Span
from briefgen.speed.engine import Engine, Unit, measuring_first
from briefgen.writers.pdf import writer as pdf_writer

from ..sample_memo import sample_memo


@pytest.mark.parametrize("cores", [1, 2])
def test_the_docx_takes_the_layout_of_its_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cores: int
) -> None:
    if cores > 1 and not hasattr(os, "fork"):
        pytest.skip("writer processes fork")

    def measure(memo: object) -> None:
        raise AssertionError("the DOCX laid the memo out itself")

    monkeypatch.setattr(pdf_writer, "measure", measure)  # the forked processes inherit it
    memo = sample_memo("footnotes")
    memo.sections += [
        Section(f"Part {i}", [Paragraph([Span("Sanctions tightened. " * 90)])]) for i in range(5)
    ]
    memo.contents = True
    formats = measuring_first(["docx", "pdf"])
    assert formats == ["pdf", "docx"]
    with Engine(cores, formats) as writers:
        done = writers.write(iter([Unit(memo, f, tmp_path / f"memo.{f}") for f in formats]))
    layout = next(d.layout for d in done if d.unit.fmt == "pdf")
    assert layout is not None and layout.pages == next(d.pages for d in done if d.unit.fmt == "pdf")
    document = docx.Document(str(tmp_path / "memo.docx"))
    numbers = [p.text.rsplit("\t", 1)[1] for p in document.paragraphs if p.style.name == "toc 1"]
    assert numbers == [str(n) for n in layout.heading_pages] and len(set(numbers)) > 1
