"""The HTML writer: complete, escaped, notes linked both ways."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from lxml import html as lxml_html

from briefgen.model import Note, Span
from briefgen.writers.html import render, write_html

from ..conftest import REPO
from ..sample_memo import sample_memo


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [v or "" for k, v in attrs if k == "href"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Collect:
    parser = _Collect()
    parser.feed(html)
    return parser


def test_html_holds_every_claim_note_and_entry(tmp_path: Path) -> None:
    memo = sample_memo()
    write_html(memo, tmp_path / "m.html")
    doc = _parse((tmp_path / "m.html").read_text(encoding="utf-8"))
    text = "".join(doc.text)
    for section in memo.sections:
        assert section.title in text
    for note in memo.notes:
        assert "".join(s.text for s in note.content) in text
        assert f"#note-{note.number}" in doc.hrefs and f"#ref-{note.number}" in doc.hrefs
    assert "https://example.org/jst" in doc.hrefs
    assert text.count("INTERNAL") == 2  # banner at top and bottom


def test_user_text_is_escaped_and_unsafe_links_dropped() -> None:
    memo = sample_memo()
    memo.notes.append(
        Note(
            4,
            [
                Span("<img src=x onerror=alert(1)> & <b>bold</b>"),
                Span("click", url="javascript:alert(1)"),
            ],
            ["x"],
        )
    )
    doc = _parse(render(memo))
    assert "img" not in doc.tags and "javascript:alert(1)" not in doc.hrefs
    assert "<img src=x onerror=alert(1)> & <b>bold</b>" in "".join(doc.text)


def test_the_same_memo_gives_the_same_bytes_in_every_process() -> None:
    """The inliner's output depends on nothing but the page: two processes, same bytes."""
    program = (
        "import sys; from tests.sample_memo import sample_memo; "
        "from briefgen.writers.html import render; "
        "sys.stdout.buffer.write(render(sample_memo()).encode())"
    )
    pages = [
        subprocess.run(
            [sys.executable, "-c", program], capture_output=True, check=True, cwd=REPO
        ).stdout
        for _ in range(2)
    ]
    assert pages[0] == pages[1] == render(sample_memo()).encode()


def test_the_manifest_is_read_back_from_its_meta_element() -> None:
    memo = sample_memo()
    memo.manifest = {"brief": 'a "quoted" <b>&amp;</b> brief', "claims": {"c-1": "ab12"}}
    page = lxml_html.fromstring(render(memo))
    (content,) = page.xpath("//meta[@name='briefgen-manifest']/@content")
    assert json.loads(content) == memo.manifest
    assert not lxml_html.fromstring(render(sample_memo())).xpath(
        "//meta[@name='briefgen-manifest']"
    )
