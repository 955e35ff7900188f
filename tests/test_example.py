"""The shipped example workspace, built as a user builds it, and its real artefacts read back."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import docx
import pytest
import yaml
from babel.dates import format_skeleton
from pypdf import PdfReader

from .conftest import ARTICLES, EXAMPLE, REPO, briefgen, make_variant
from .docx_read import body_note_ids, notes

ARTICLE_OF = {
    "svetlova-jst-2024": "jst-svetlova-hidden-discord-2024.txt",
    "kirillova-cepa-2023": "cepa-kirillova-russo-iranian-axis.txt",
}


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


def test_build_writes_both_audiences_in_both_formats(example_build: Path) -> None:
    names = sorted(p.name for p in example_build.iterdir() if not p.name.startswith("."))
    assert names == [
        f"russia-iran-weekly.{a}.{f}" for a in ("analyst", "principal") for f in ("docx", "pdf")
    ]


def test_principal_memo_fits_one_page(example_build: Path) -> None:
    assert len(PdfReader(example_build / "russia-iran-weekly.principal.pdf").pages) == 1


def test_docx_notes_appear_in_the_pdf_with_the_same_numbers(example_build: Path) -> None:
    for audience, kind in (("analyst", "footnotes"), ("principal", "endnotes")):
        docx_path = example_build / f"russia-iran-weekly.{audience}.docx"
        found = notes(docx_path, kind)
        assert len(found) >= 10
        assert sorted(found) == list(range(1, len(found) + 1))
        assert body_note_ids(docx_path, kind) == sorted(found)
        pdf = _pdf_text(example_build / f"russia-iran-weekly.{audience}.pdf")
        for number, text in found.items():
            assert f"{number}. {text}" in pdf, f"{audience} note {number} differs"


# How CSL's locale files quote a title: open-quote, close-quote and punctuation-in-quote
# of locales-en-US.xml and locales-en-GB.xml (“Title,” against ‘Title’,).
CSL_QUOTES = {"en-US": ("“", "”", True), "en-GB": ("‘", "’", False)}


def _quoted(title: str, locale: str) -> str:
    """Return a title quoted and followed by a comma, as the locale's CSL terms have it."""
    opening, closing, inside = CSL_QUOTES[locale]
    return f"{opening}{title},{closing}" if inside else f"{opening}{title}{closing},"


def test_first_notes_are_full_later_ones_short(example_build: Path) -> None:
    locale = yaml.safe_load((EXAMPLE / "briefgen.yaml").read_text(encoding="utf-8"))["locale"]
    sources = {
        s["id"]: s
        for s in yaml.safe_load((EXAMPLE / "store" / "sources.yaml").read_text(encoding="utf-8"))
    }
    found = notes(example_build / "russia-iran-weekly.analyst.docx", "footnotes")
    texts = list(found.values())
    source = sources["svetlova-jst-2024"]
    author = source["author"][0]
    year, month = (int(p) for p in source["issued"].split("-"))
    issued = format_skeleton("yMMMM", dt.date(year, month, 1), locale=locale.replace("-", "_"))
    svetlova = [t for t in texts if author["family"] in t]
    assert svetlova[0] == (
        f"{author['given']} {author['family']}, {_quoted(source['title'], locale)} "
        f"{source['container-title']}, {issued}, para. 6."
    )
    short = source["title"].split()[:4]  # CMOS 14.29: at most four key words
    while short[-1].lower() in ("a", "an", "the", "in", "of", "and"):
        short.pop()
    assert all(
        t.startswith(f"{author['family']}, {_quoted(' '.join(short), locale)} para.")
        for t in svetlova[1:]
        if t.startswith(author["family"])
    )
    kirillova = [t for t in texts if "Kirillova" in t]
    assert any(
        t.startswith("Kseniya Kirillova, Europe’s Edge, [March 2023?], para.") for t in kirillova
    )
    assert not any(re.search(r"\bK\. (Svetlova|Kirillova)", t) for t in texts)


def test_bibliography_is_alphabetical_and_holds_only_cited_sources(example_build: Path) -> None:
    document = docx.Document(str(example_build / "russia-iran-weekly.analyst.docx"))
    entries = [p.text for p in document.paragraphs if p.style.name == "Bibliography"]
    assert entries == sorted(entries)
    assert [e.split(",")[0] for e in entries] == ["Kirillova", "Svetlova"]


def test_principal_sees_nothing_above_public(example_build: Path) -> None:
    claims = {}
    for path in (EXAMPLE / "store" / "claims").glob("*.yaml"):
        claims.update({c["id"]: c for c in yaml.safe_load(path.read_text(encoding="utf-8"))})
    hidden = [c for c in claims.values() if c.get("marking", "PUBLIC") != "PUBLIC"]
    assert hidden
    pdf = _pdf_text(example_build / "russia-iran-weekly.principal.pdf")
    text = " ".join(
        p.text
        for p in docx.Document(str(example_build / "russia-iran-weekly.principal.docx")).paragraphs
    )
    for claim in hidden:
        words = " ".join(claim["text"].split())[:60]
        assert words not in pdf and words not in text
    assert "RESTRICTED" not in pdf and "INTERNAL" not in pdf


def test_analyst_memo_flags_the_contradiction(example_build: Path) -> None:
    pdf = _pdf_text(example_build / "russia-iran-weekly.analyst.pdf")
    assert "Sources differ: In early 2022 Russia opened a $1.4 billion credit line" in pdf
    assert "This memo rests on 2 sources (2 magazine articles)" in pdf


def test_every_quote_occurs_verbatim_in_its_article() -> None:
    articles = {k: (ARTICLES / v).read_text(encoding="utf-8") for k, v in ARTICLE_OF.items()}
    count = 0
    for path in (EXAMPLE / "store" / "claims").glob("*.yaml"):
        for claim in yaml.safe_load(path.read_text(encoding="utf-8")):
            for cited in claim["sources"]:
                assert cited["quote"] in articles[cited["source"]], claim["id"]
                count += 1
    assert count >= 30


def test_example_store_has_what_the_brief_promises() -> None:
    claims = []
    for path in (EXAMPLE / "store" / "claims").glob("*.yaml"):
        claims += yaml.safe_load(path.read_text(encoding="utf-8"))
    assert len(claims) >= 30
    assert sum(1 for c in claims if c.get("origin")) >= 5
    assert any(len({s["source"] for s in c["sources"]}) == 2 for c in claims)
    ids = {c["id"]: c for c in claims}
    pairs = [(c["id"], o) for c in claims for o in c.get("contradicts", [])]
    assert pairs and all(c in ids[o].get("contradicts", []) for c, o in pairs)
    sections = yaml.safe_load((EXAMPLE / "store" / "sections" / "background.yaml").read_text())
    assert len(sections) >= 3


def test_check_passes_on_the_example() -> None:
    run = briefgen("check", str(EXAMPLE), cwd=EXAMPLE.parent)
    assert run.code == 0, run.err
    assert "0 errors" in run.err or "0 errors" in run.out


def test_second_build_touches_nothing_and_force_gives_the_same_bytes(example_build: Path) -> None:
    workspace = example_build.parent
    before = {
        p.name: (p.stat().st_mtime_ns, p.read_bytes())
        for p in example_build.iterdir()
        if p.is_file()
    }
    run = briefgen("build", str(workspace), cwd=workspace)
    assert run.code == 0 and "0 written, 4 up to date" in run.out
    assert {p.name: p.stat().st_mtime_ns for p in example_build.iterdir() if p.is_file()} == {
        k: v[0] for k, v in before.items()
    }
    run = briefgen("build", "--force", str(workspace), cwd=workspace)
    assert run.code == 0 and "4 written" in run.out
    for name, (_, data) in before.items():
        assert (example_build / name).read_bytes() == data, name
    # written in this process, one after another, instead of by writer processes
    run = briefgen("build", "--force", "--jobs", "1", str(workspace), cwd=workspace)
    assert run.code == 0 and "4 written" in run.out
    for name, (_, data) in before.items():
        assert (example_build / name).read_bytes() == data, name


def test_a_memo_over_max_pages_fails_and_says_by_how_much(tmp_path: Path) -> None:
    # the example, its principals shown four claims a section instead of two
    copy = make_variant(tmp_path, "principal-over-max-pages", base=EXAMPLE, name="briefs")
    run = briefgen("build", str(copy), cwd=tmp_path)
    assert run.code == 1
    assert re.search(
        r"briefs/audiences\.yaml:11: principal\.max-pages: "
        r"russia-iran-weekly\.principal\.pdf is 2 pages, 1 more than max-pages 1 "
        r"allows \(about \d+ lines too long\); cut claims \(it holds 11 claims in 7 "
        r"sections",
        run.err,
    ), run.err
    assert not any((copy / "out").glob("russia-iran-weekly.*"))


def test_pdfs_pass_qpdf_check(example_build: Path) -> None:
    import shutil
    import subprocess

    import pytest

    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed")
    for pdf in example_build.glob("*.pdf"):
        done = subprocess.run(
            ["qpdf", "--check", str(pdf)], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "No syntax or stream encoding errors found" in done.stdout


@pytest.mark.skipif(
    not (REPO.parent / "shared" / "articles").is_dir(),
    reason="../shared/articles is not beside this clone",
)
def test_the_articles_tests_use_are_the_shared_ones() -> None:
    shared = REPO.parent / "shared" / "articles"
    for copy in ARTICLES.glob("*.txt"):
        assert copy.read_bytes() == (shared / copy.name).read_bytes(), copy.name
