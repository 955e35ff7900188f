"""`ingest` of PDF reports: paragraphs verbatim over page breaks, running heads, feet and
page numbers gone, and quotes placed by page ("p. N") through `check` to the memo."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pypdf
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from briefgen.readers.texts import CapturedText, is_heading
from briefgen.sources.furniture import clean
from briefgen.sources.saved import read_pdf

from ..conftest import briefgen, make_variant, make_workspace
from .reports import report_pdf, running_furniture
from .test_pages import ARTICLE_FILES, SCRIPTS, added_record, captured, real_article

ORG = "Center for Regional Policy Analysis"
TITLE = "The Limits of the Partnership"
CJK = "\u3001-\u30ff\u3400-\u9fff\uff00-\uffef"


def folded(text: str) -> str:
    """Return `text` with white space as a reader sees it: runs as one space, none
    between two Chinese or Japanese characters (a PDF's line and page breaks)."""
    text = " ".join(text.split())
    return re.sub(f"(?<=[{CJK}]) (?=[{CJK}])", "", text)


def blocks(text: str) -> list[str]:
    return [folded(b) for b in text.split("\n\n") if b.strip()]


def page_lines(pdf: Path) -> list[list[str]]:
    """Return each page's lines as pypdf, a PDF reader of its own, extracts them."""
    return [page.extract_text().splitlines() for page in pypdf.PdfReader(pdf).pages]


def assert_report_kept(text: str, body: list[str], pages: int) -> None:
    """The report's title, then every paragraph of the body whole and in order; no
    running head or foot, nor page number; one form feed ending each page."""
    assert blocks(text) == [TITLE, *blocks("\n\n".join(body))]
    left = [s for s in running_furniture(ORG, TITLE) if s in text]
    assert not left, left
    assert text.count("\f") == pages


def one_page_quote(pdf: Path, body: list[str], page: int) -> str:
    """Return a line of the body that pypdf finds on `page` (1-based), a quote whose page
    is known without briefgen."""
    paragraphs = [folded(p) for p in body if not is_heading(p)]
    for line in page_lines(pdf)[page - 1]:
        line = line.strip()
        if len(line.split()) >= 4 and sum(p.count(folded(line)) for p in paragraphs) == 1:
            return line
    raise AssertionError(f"no line of the body on page {page}")


@pytest.mark.parametrize("name", sorted(ARTICLE_FILES))
def test_a_pdf_report_keeps_its_paragraphs_over_page_breaks(name: str, good: Path) -> None:
    article = real_article(name)
    pdf = good / "report.pdf"
    pages = report_pdf(pdf, ORG, TITLE, article.body)
    assert pages >= 4
    run = briefgen("ingest", str(pdf), "--id", "report-2024", "--title", TITLE, cwd=good)
    assert run.code == 0, run.err
    text = captured(good, "report-2024")
    assert_report_kept(text, article.body, pages)
    assert any("\f" in b.strip() for b in text.split("\n\n"))  # runs over a page, one block
    assert added_record(good)["title"] == TITLE


def _claims(source: str, quotes: dict[str, tuple[str, str | None]]) -> str:
    """Return a claims file of one claim per quote, in the weekly brief's week and topic."""
    claims = []
    for ident, (quote, locator) in quotes.items():
        cited = {"source": source, "quote": quote} | ({"locator": locator} if locator else {})
        claims.append(
            {"id": ident, "text": f"Claim {ident}.", "sources": [cited], "topics": ["trade"]}
            | {"date": "2024-06-12"}
        )
    return yaml.safe_dump(claims, allow_unicode=True, sort_keys=False)


@pytest.mark.parametrize("style", ["apa", "chicago"])
def test_a_quote_from_page_2_is_cited_as_p_2_through_check_and_the_memo(
    style: str, tmp_path: Path
) -> None:
    workspace = make_variant(tmp_path, "author-date-style") if style == "apa" else None
    workspace = workspace or make_workspace(tmp_path)
    article = real_article("kirillova")
    pdf = workspace / "report.pdf"
    report_pdf(pdf, ORG, TITLE, article.body)
    run = briefgen(
        "ingest",
        str(pdf),
        *("--id", "kirillova-2023", "--author", "Kirillova, Kseniya", "--issued", "2023"),
        *("--title", TITLE, "--type", "article-journal"),  # Chicago: the page's bare number
        cwd=workspace,
    )
    assert run.code == 0, run.err
    on_two = one_page_quote(pdf, article.body, 2)
    on_three = one_page_quote(pdf, article.body, 3)
    (workspace / "store" / "claims" / "report.yaml").write_text(
        _claims(
            "kirillova-2023",
            {
                "on-page-two": (on_two, None),
                "said-page-four": (on_three, "p. 4"),
                "said-page-three": (on_three, "p. 3"),
            },
        ),
        encoding="utf-8",
    )
    run = briefgen("check", cwd=workspace)
    assert run.code == 0, run.err
    assert (
        "claim 'said-page-four': locator 'p. 4', but the quote stands in p. 3 of 'kirillova-2023'"
        in run.err
    )
    assert "'on-page-two'" not in run.err and "'said-page-three'" not in run.err
    out = tmp_path / "out"
    run = briefgen("build", "--format", "json", "-a", "analyst", "--out", str(out), cwd=workspace)
    assert run.code == 0, run.err
    memo = json.loads((out / "weekly.analyst.json").read_text(encoding="utf-8"))
    if style == "apa":  # the citation in the text, "p." printed
        shown = {
            block["claim_id"]: "".join(span["text"] for span in block["content"])
            for section in memo["sections"]
            for block in section["blocks"]
            if block["claim_id"]
        }
        assert "(Kirillova, 2023, p. 2)" in shown["on-page-two"], shown
    else:  # the footnote: Chicago prints a page as its bare number
        (note,) = [n for n in memo["notes"] if "on-page-two" in n["claim_ids"]]
        text = "".join(span["text"] for span in note["content"])
        assert text.startswith("Kseniya Kirillova") and text.endswith(", 2023, 2."), text


def test_a_quote_over_a_page_break_is_cited_by_both_pages(good: Path) -> None:
    article = real_article("svetlova")
    pdf = good / "report.pdf"
    report_pdf(pdf, ORG, TITLE, article.body)
    lines = page_lines(pdf)
    paragraphs = [folded(p) for p in article.body]
    for page in range(1, len(lines)):  # the last line of the body on a page, the first on the next
        last = [ln for ln in lines[page - 1] if any(folded(ln) in p for p in paragraphs)][-1]
        first = [ln for ln in lines[page] if any(folded(ln) in p for p in paragraphs)][0]
        quote = " ".join(last.split()[-3:] + first.split()[:3])
        if any(folded(quote) in p for p in paragraphs):
            break
    else:
        raise AssertionError("no paragraph runs over a page break")
    text = CapturedText.parse(clean(read_pdf(pdf).text, [article.author]))
    assert text.places(quote) == [f"pp. {page}\u2013{page + 1}"]


def test_a_file_that_is_no_pdf_is_refused_clearly(good: Path) -> None:
    bad = good / "report.pdf"
    bad.write_bytes(b"<html>not a PDF</html>")
    run = briefgen("ingest", str(bad), "--id", "x-2024", cwd=good)
    assert run.code == 1 and "Traceback" not in run.err
    assert f"briefgen: error: cannot read {bad} as a PDF" in run.err
    assert not (good / "store" / "texts" / "x-2024.txt").exists()


# Generated reports: paragraphs in one script each, set in a font that has it.
FACE_OF = {"latin": "NotoSerif", "cyrillic": "NotoSerif", "korean": "Nanum", "chinese": "Droid"}
FACE_OF |= {"japanese": "Droid", "persian": "Naskh", "arabic": "Naskh"}


@st.composite
def reports(draw: st.DrawFn) -> tuple[str, list[str], int]:
    """Draw a report's script, body and leading: 4 to 12 paragraphs of 10 to 120 words
    (each beginning with a capital, where the script has them), some long enough to run
    over a page, with subheadings among them, set single to double spaced."""
    script = draw(st.sampled_from(sorted(FACE_OF)))
    letters, space, stop = SCRIPTS[script]
    word = st.text(alphabet=letters, min_size=2, max_size=7)
    body = []
    for _ in range(draw(st.integers(4, 12))):
        if draw(st.integers(0, 5)) == 0:
            body.append(space.join(draw(st.lists(word, min_size=1, max_size=3))).capitalize())
        words = draw(st.lists(word, min_size=10, max_size=120))
        body.append(space.join(words).capitalize() + stop)
    assume(len(set(body)) == len(body))
    return script, body, draw(st.sampled_from([13, 16, 20]))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=reports(), data=st.data())
def test_any_report_survives_its_pages_and_quotes_find_their_page(
    drawn: tuple[str, list[str], int], data: st.DataObject
) -> None:
    """The PDF reader and furniture removal, on generated reports: the body whole, no
    running furniture, and a line pypdf reads on page N is found on page N."""
    script, body, leading = drawn
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "report.pdf"
        pages = report_pdf(pdf, ORG, TITLE, body, FACE_OF[script], leading)
        assume(pages > 1)  # a running head is told by its repeating
        text = clean(read_pdf(pdf).text)
        assert_report_kept(text, body, pages)
        page = data.draw(st.integers(1, pages))
        quote = _line_on(pdf, body, page)
        assume(quote)
    assert CapturedText.parse(text).places(quote) == [f"p. {page}"]


def _line_on(pdf: Path, body: list[str], page: int) -> str:
    """Return a line of the body's paragraphs that pypdf reads on `page` and that stands
    once in the body."""
    paragraphs = [folded(p) for p in body if not is_heading(p)]
    headings = {folded(p) for p in body if is_heading(p)}
    for line in page_lines(pdf)[page - 1]:
        # pypdf gives a right-to-left line in the order it is drawn: turned round
        for read in (line.strip(), line.strip()[::-1]):
            if folded(read) in headings:
                continue  # a subheading, which may also begin a paragraph elsewhere
            if len(read) > 8 and sum(p.count(folded(read)) for p in paragraphs) == 1:
                return read
    return ""


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=reports(), data=st.data())
def test_ingest_then_check_places_a_quote_on_its_page(
    drawn: tuple[str, list[str], int], data: st.DataObject
) -> None:
    """Through the commands: a generated report ingested, a claim quoting a line of page
    N with the locator "p. N" checks clean, and one saying another page is warned of."""
    script, body, leading = drawn
    with tempfile.TemporaryDirectory() as folder:
        workspace = make_workspace(Path(folder))
        pdf = workspace / "report.pdf"
        pages = report_pdf(pdf, ORG, TITLE, body, FACE_OF[script], leading)
        assume(pages > 1)
        page = data.draw(st.integers(1, pages))
        quote = _line_on(pdf, body, page)
        assume(quote)
        run = briefgen("ingest", "report.pdf", "--id", "report-2024", cwd=workspace)
        assert run.code == 0, run.err
        assert_report_kept(captured(workspace, "report-2024"), body, pages)
        wrong = page + 1
        (workspace / "store" / "claims" / "report.yaml").write_text(
            _claims(
                "report-2024",
                {"right-page": (quote, f"p. {page}"), "wrong-page": (quote, f"p. {wrong}")},
            ),
            encoding="utf-8",
        )
        run = briefgen("check", cwd=workspace)
        assert run.code == 0, run.err
        assert "'right-page'" not in run.err
        assert (
            f"claim 'wrong-page': locator 'p. {wrong}', but the quote stands in p. {page} of "
            "'report-2024'" in run.err
        )


def test_a_quote_on_two_pages_is_warned_of_by_page(good: Path) -> None:
    """In a text with pages, check names the pages a quote stands on, and cites the first."""
    (good / "store" / "texts" / "doe-2024.txt").write_text(
        "Grain Talks Stall Again\n\nTalks on the grain corridor stalled on Tuesday, officials"
        " said.\n\n\fWheat prices rose 4% in the week to June 12, according to exchange data."
        "\n\n\fThe ministry said it “remains committed” to a deal — but gave no date. Talks on"
        " the grain corridor stalled on Tuesday, it added.\n\f",
        encoding="utf-8",
    )
    run = briefgen("check", cwd=good)
    assert run.code == 0, run.err
    assert (
        "claim 'talks-stalled': the quote stands in p. 1 and p. 3 of 'doe-2024'; the note "
        "cites p. 1 (a locator settles it)" in run.err
    )
    assert "wheat-prices" not in run.err and "ministry-committed" not in run.err


@pytest.mark.parametrize(
    "head, foot",
    [
        ("The Limits of the Partnership {n}", "Page {n} of 3"),
        ("{n} | Center for Regional Policy Analysis", ""),
        ("", "- {n} -"),
        ("Center for Regional Policy Analysis", "{n} / 3"),
        ("", "{roman}"),
    ],
)
def test_running_heads_and_page_numbers_of_a_text_with_pages_go(head: str, foot: str) -> None:
    """A paginated text (as pdftotext writes one) loses its running heads and feet and
    page numbers, whatever their form; its paragraphs and pages stay."""
    body = [
        ["Talks on the grain corridor stalled on Tuesday.", "Prices rose by 4% in a"],
        ["week in which nothing else moved.", "Drones were delivered ahead of schedule."],
        ["The ministry gave no date."],
    ]
    pages = []
    for n, paragraphs in enumerate(body, 1):
        roman = ["i", "ii", "iii"][n - 1]
        furniture = [f.format(n=n, roman=roman) for f in (head, foot)]
        pages.append("\n\n".join([furniture[0], *paragraphs, furniture[1]]).strip() + "\n")
    text = clean("\f".join(pages) + "\f")
    assert text.split("\f") == [
        "Talks on the grain corridor stalled on Tuesday.\n\nPrices rose by 4% in a\n",
        "week in which nothing else moved.\n\nDrones were delivered ahead of schedule.\n\n",
        "The ministry gave no date.\n",
        "\n",
    ]


def test_a_pdf_without_text_is_refused_clearly(good: Path) -> None:
    """A scan is images of pages: nothing to quote until it is read by OCR."""
    from reportlab.pdfgen.canvas import Canvas

    scan = good / "scan.pdf"
    canvas = Canvas(str(scan))
    canvas.rect(50, 50, 400, 600, fill=1)
    canvas.showPage()
    canvas.save()
    run = briefgen("ingest", str(scan), "--id", "scan-2024", cwd=good)
    assert run.code == 1 and "Traceback" not in run.err
    assert f"briefgen: error: {scan}: no text in the PDF (a scan? run OCR on it first)" in run.err
