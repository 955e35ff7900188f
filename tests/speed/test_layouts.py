"""A memo's DOCX is written after its PDF and handed the PDF's layout, in the writer
processes and without them, so it never lays the memo out again."""

from __future__ import annotations

import os
from pathlib import Path

import docx
import pytest

from briefgen.model import Paragraph, Section, Span
from briefgen.speed.engine import Engine, Unit, _Layouts, measuring_first
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


@pytest.mark.parametrize("rounds", [1, 2, 5])
def test_a_docx_waits_for_its_own_pdf_only_whatever_memo_had_its_id_before(
    tmp_path: Path, rounds: int
) -> None:
    """A memo's units are counted by the memo's id(), which CPython gives again to a later
    memo once the first is freed: each round here reuses one memo, as that later memo
    would. Its DOCX waits while its PDF is queued, and is free once the PDF is written,
    in every round (the DOCX and HTML counting down too once left a DOCX waiting for ever)."""
    memo = sample_memo("footnotes", "policy-memo")
    layouts = _Layouts()
    for _ in range(rounds):
        units = [Unit(memo, fmt, tmp_path / f"m.{fmt}") for fmt in ("pdf", "docx", "html")]
        for unit in units:
            layouts.queued(unit)
        pdf, docx_unit, html = units
        assert layouts.ready(pdf) and layouts.ready(html)
        assert not layouts.ready(docx_unit)
        layouts.finished(pdf, None)
        assert layouts.ready(docx_unit)
        layouts.finished(docx_unit, None)
        layouts.finished(html, None)
