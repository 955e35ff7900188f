"""The writer processes of a build: units go out and results come back, a writer's
failure comes back as an error, and a writer that dies is reported."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.errors import BriefgenError
from briefgen.model import Paragraph, Section, Span
from briefgen.speed import engine
from briefgen.speed.engine import Engine, Unit

from ..docx_read import notes
from ..sample_memo import sample_memo

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="writer processes fork")


def test_memos_larger_than_a_pipe_holds_go_whole(tmp_path: Path) -> None:
    """A memo of several megabytes goes whole to a writer process, and its file is the
    same as one written here."""
    memo = sample_memo(placement="footnotes")
    text = "".join(chr(0x41 + i % 26) for i in range(3_000_001))
    huge = replace(memo, sections=[*memo.sections, Section("Annex", [Paragraph([Span(text)])])])
    with Engine(2, []) as writers:
        done = writers.write(iter([Unit(huge, "json", tmp_path / "there.json")]))
    engine.write_unit(Unit(huge, "json", tmp_path / "here.json"))
    assert [d.unit.target.name for d in done] == ["there.json"]
    assert (tmp_path / "there.json").read_bytes() == (tmp_path / "here.json").read_bytes()


def test_memos_written_by_the_writer_processes(tmp_path: Path) -> None:
    """Two processes, three units: each written whole, its page count sent back."""
    memo = sample_memo(placement="footnotes")
    big = replace(
        memo,
        sections=[
            *memo.sections,
            Section(
                "Annex",
                [
                    Paragraph([Span(f"Line {i} of an annex long enough to need many pages. " * 3)])
                    for i in range(400)
                ],
            ),
        ],
    )
    units = [
        Unit(memo, "pdf", tmp_path / "a.pdf", "a"),
        Unit(memo, "docx", tmp_path / "a.docx", "b"),
        Unit(big, "pdf", tmp_path / "big.pdf", "c"),
    ]
    with Engine(2, ["docx", "pdf"]) as writers:
        done = writers.write(iter(units))
    by_tag = {d.unit.tag: d for d in done}
    assert sorted(by_tag) == ["a", "b", "c"]
    assert by_tag["a"].pages == len(PdfReader(tmp_path / "a.pdf").pages) == 1
    assert by_tag["c"].pages == len(PdfReader(tmp_path / "big.pdf").pages) > 10
    assert by_tag["b"].pages is None
    assert any("Hidden Discord" in text for text in notes(tmp_path / "a.docx").values())


def test_a_writer_that_fails_reports_its_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(memo: object, path: Path) -> int:
        raise ValueError("no room for the notes")

    monkeypatch.setattr("briefgen.writers.pdf.writer.write_pdf", broken)
    with Engine(2, []) as writers, pytest.raises(BriefgenError) as caught:
        writers.write(iter([Unit(sample_memo(), "pdf", tmp_path / "x.pdf")]))
    assert str(caught.value) == (
        "could not write x.pdf: ValueError: no room for the notes "
        "(please report this as a briefgen bug)"
    )


@pytest.mark.parametrize("workers", [1, 2])
def test_failures_are_handed_back_and_the_rest_written(
    tmp_path: Path, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given `failed`, a unit's error goes there and the others are written; without it,
    the first error stops the write, and the units still being written then are waited
    for and dropped: the engine's next write gets only results of its own."""
    real = engine.write_unit

    def broken(unit: Unit) -> engine.Done:
        if unit.tag == "bad":
            raise BriefgenError("no room for the notes")
        return real(unit)

    monkeypatch.setattr(engine, "write_unit", broken)
    memo = sample_memo()
    failures: list[tuple[object, str]] = []
    with Engine(workers, []) as writers:
        units = [
            Unit(memo, "docx", tmp_path / "a.docx", "good"),
            Unit(memo, "pdf", tmp_path / "b.pdf", "bad"),
            Unit(memo, "pdf", tmp_path / "c.pdf", "good"),
        ]
        done = writers.write(iter(units), failed=lambda u, e: failures.append((u.tag, str(e))))
        assert sorted(d.unit.target.name for d in done) == ["a.docx", "c.pdf"]
        assert failures == [("bad", "no room for the notes")]
        with pytest.raises(BriefgenError, match="no room"):
            writers.write(
                iter(
                    [
                        Unit(memo, "pdf", tmp_path / "d.pdf", "bad"),
                        Unit(memo, "pdf", tmp_path / "e.pdf", "late"),
                    ]
                )
            )
        again = writers.write(iter([Unit(memo, "docx", tmp_path / "f.docx", "next")]))
        assert [d.unit.tag for d in again] == ["next"]


def test_a_writer_that_cannot_load_says_why_when_it_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer process whose writer fails to load ahead keeps serving: the memo it is
    then given fails with the reason, not as if the process had died."""

    def unreadable() -> None:
        raise RuntimeError("font cache unreadable")

    monkeypatch.setattr("briefgen.writers.pdf.fonts.register", unreadable)
    with Engine(2, ["pdf"]) as writers, pytest.raises(BriefgenError) as caught:
        writers.write(iter([Unit(sample_memo(), "pdf", tmp_path / "x.pdf")]))
    assert str(caught.value) == (
        "could not write x.pdf: RuntimeError: font cache unreadable "
        "(please report this as a briefgen bug)"
    )


def test_a_writer_process_that_dies_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer process killed mid-memo (out of memory, say): the build says which file
    it was writing, and stops."""
    monkeypatch.setattr(engine, "write_unit", lambda unit: os._exit(9))
    with Engine(2, []) as writers, pytest.raises(BriefgenError) as caught:
        writers.write(iter([Unit(sample_memo(), "docx", tmp_path / "x.docx")]))
    assert str(caught.value) == (
        "the process writing x.docx stopped (out of memory?); nothing was written"
    )


def test_pandoc_stops_by_itself_when_the_build_needs_no_more_notes() -> None:
    """pandoc starts before the writer processes are forked, and they close their copies
    of its pipes: when the build has formatted every memo's notes, pandoc's input ends
    and it leaves at once, while the writers may still be at work."""
    import subprocess

    from briefgen.cite.pandoc import find_style

    with Engine(2, ["docx", "pdf"], find_style("chicago-notes-bibliography")) as writers:
        pandoc = writers.citeproc._proc
        writers.citations_done()
        try:
            assert pandoc.wait(timeout=30) == 0
        except subprocess.TimeoutExpired:
            pytest.fail("pandoc is still waiting for input the writers hold open")
