"""Memos built through the command line from generated sources, and what they print.

A workspace holds the sources given, one claim citing each, and a brief placing every
claim; the memo is built for the analyst (footnotes, a bibliography) in the formats
asked. pandoc's citeproc, run directly on the same records as a CSL-JSON file with the
same style, is the independent oracle for what a bibliography entry says.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import yaml
from lxml import etree
from lxml import html as lxml_html

from briefgen.cite import pandoc as cite

from .. import docx_read
from ..conftest import Run, briefgen, make_workspace
from ..test_content import pdf_texts


def write_workspace(
    tmp_path: Path, sources: list[dict[str, Any]], settings: dict[str, Any] | None = None
) -> Path:
    """Return a workspace whose one brief cites every one of `sources`."""
    root = make_workspace(tmp_path)
    (root / "store" / "sources.yaml").write_text(
        yaml.safe_dump(sources, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    claims = [
        {"id": f"c{i}", "text": f"Claim {i}.", "sources": [{"source": s["id"]}]}
        for i, s in enumerate(sources)
    ]
    for old in (root / "store" / "claims").glob("*.yaml"):
        old.unlink()
    for old in (root / "store" / "sections").glob("*.yaml"):
        old.unlink()
    (root / "store" / "claims" / "claims.yaml").write_text(
        yaml.safe_dump(claims, allow_unicode=True), encoding="utf-8"
    )
    brief = {
        "title": "Names",
        "date": "2024-06-14",
        "audiences": ["analyst"],
        "sections": [{"title": "All", "claims": [c["id"] for c in claims]}],
    }
    (root / "weekly.yaml").write_text(yaml.safe_dump(brief), encoding="utf-8")
    if settings:
        path = root / "briefgen.yaml"
        current = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump({**current, **settings}, allow_unicode=True), "utf-8")
    return root


def build(root: Path, fmt: str) -> Run:
    return briefgen("build", "--audience", "analyst", "--format", fmt, cwd=root)


def html_bibliography(root: Path) -> tuple[str | None, list[str]]:
    """Return the HTML memo's bibliography heading (None without one) and entries."""
    page = lxml_html.fromstring((root / "out" / "weekly.analyst.html").read_bytes())
    entries = [" ".join(p.text_content().split()) for p in page.xpath('//div[@class="bib"]/p')]
    heading = page.xpath('//div[@class="bib"]/preceding-sibling::h2[1]')
    return (heading[0].text_content() if heading else None), entries


def html_notes(root: Path) -> str:
    """Return the text of the HTML memo, notes included, white space collapsed."""
    page = lxml_html.fromstring((root / "out" / "weekly.analyst.html").read_bytes())
    return " ".join(page.text_content().split())


def docx_bibliography(root: Path) -> tuple[list[str], list[str]]:
    """Return the DOCX memo's level-1 headings and its bibliography entries."""
    w = docx_read.W
    docx = root / "out" / "weekly.analyst.docx"
    body = etree.fromstring(docx_read.part_xml(docx, "word/document.xml"))
    headings, entries = [], []
    for para in body.iter(f"{w}p"):
        style = para.find(f"{w}pPr/{w}pStyle")
        text = " ".join("".join(t.text or "" for t in para.iter(f"{w}t")).split())
        if style is not None and style.get(f"{w}val") == "Heading1":
            headings.append(text)
        elif style is not None and style.get(f"{w}val") == "Bibliography":
            entries.append(text)
    return headings, entries


def pdf_text(root: Path) -> str:
    return " ".join(pdf_texts(root / "out" / "weekly.analyst.pdf")["pdf -raw"].split())


def pandoc_bibliography(
    items: list[dict[str, Any]], style: str, locale: str = "en-US"
) -> list[str]:
    """Return the bibliography entries pandoc's citeproc gives for CSL-JSON `items`."""
    with tempfile.TemporaryDirectory() as folder:
        bib = Path(folder) / "items.json"
        bib.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        doc = Path(folder) / "doc.md"
        doc.write_text(f"---\nnocite: '@*'\nlang: {locale}\n---\n", encoding="utf-8")
        done = subprocess.run(
            [
                cite.pandoc_path(),
                "--citeproc",
                f"--csl={cite.find_style(style)}",
                f"--bibliography={bib}",
                "-t",
                "plain",
                "--wrap=none",
                str(doc),
            ],
            capture_output=True,
            check=True,
            timeout=120,
        )
    text = done.stdout.decode("utf-8")
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def csl_json(record: dict[str, Any]) -> dict[str, Any]:
    """Return a store record as the CSL-JSON item it stands for."""
    item = {k: v for k, v in record.items() if k not in ("reliability", "text")}
    if isinstance(item.get("issued"), str):
        item["issued"] = {"date-parts": [[int(p) for p in item["issued"].split("-")]]}
    return item
