"""Read a tagged PDF back: its structure tree (pikepdf), each element's text (pdfminer), and
an independent validator's verdict (page-validation, on veraPDF's rules)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import page
import pikepdf
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

PROFILES = ("ua1", "2u")  # PDF/UA-1 and PDF/A-2u


@dataclass
class Element:
    """A structure element: its type, attributes and the text of its marked content."""

    tag: str
    text: str
    alt: str | None = None
    ident: str | None = None  # its /ID, which the IDTree maps back to it
    links: list[str] = field(default_factory=list)  # the /Contents of the annotations it holds
    kids: list[Element] = field(default_factory=list)
    parts: list[str | Element] = field(default_factory=list)  # marked text and kids, in order

    def text_without(self, tag: str) -> str:
        """Return the element's text, leaving out that of the elements of type `tag`."""
        return "".join(
            p if isinstance(p, str) else "" if p.tag == tag else p.text_without(tag)
            for p in self.parts
        )

    def walk(self) -> list[Element]:
        """Return this element and all below it, in document (reading) order."""
        return [self, *(e for kid in self.kids for e in kid.walk())]


def failures(path: Path) -> list[str]:
    """Return the rules of PDF/UA-1 and PDF/A-2u the file breaks, as `profile rule: message`.

    page-validation reports a stream whose compressed data happen to end in a carriage
    return as one whose /Length is wrong (it takes that byte for part of the end-of-line
    before `endstream`); such a finding is checked here against the bytes themselves,
    and dropped only where every stream's /Length is exactly right.
    """
    found = []
    for profile in PROFILES:
        for failure in page.validate_pdf(path, profile=profile).failures:
            if failure.rule_id == "PDFA2U-STREAM-LENGTH-001" and _lengths_exact(path):
                continue
            found.append(f"{profile} {failure.rule_id}: {failure.message}")
    return found


def _lengths_exact(path: Path) -> bool:
    """Return whether every stream's data is /Length bytes, then an EOL and `endstream`."""
    data = path.read_bytes()
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Stream) or not obj.is_indirect:
                continue
            number = obj.objgen[0]
            start = re.search(rb"(?:^|[\r\n])%d 0 obj\b" % number, data)
            if start is None:
                return False
            head = re.compile(rb"stream(\r\n|\n)").search(data, start.end())
            if head is None:
                return False
            end = head.end() + int(obj.Length)
            if not re.match(rb"(\r\n|\r|\n)?endstream", data[end : end + 12]):
                return False
    return True


def structure(path: Path) -> Element:
    """Return the document's structure tree, each element with the text it marks."""
    texts = _marked_texts(path)
    with pikepdf.open(path) as pdf:
        pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
        root = pdf.Root.StructTreeRoot
        return _element(root, None, pages, texts)


def ids(path: Path) -> dict[str, str]:
    """Return the structure tree's IDTree: each ID and the type of the element it names."""
    with pikepdf.open(path) as pdf:
        tree = pdf.Root.StructTreeRoot.get("/IDTree")
        found: dict[str, str] = {}
        stack = [tree] if tree is not None else []
        while stack:
            node = stack.pop()
            names = node.get("/Names", [])
            for i in range(0, len(names), 2):
                found[str(names[i])] = str(names[i + 1].S)[1:]
            stack += list(node.get("/Kids", []))
        return found


def _element(node: Any, page_no: int | None, pages: dict, texts: dict) -> Element:
    if "/Pg" in node:
        page_no = pages.get(node.Pg.objgen, page_no)
    tag = str(node.get("/S", "/StructTreeRoot"))[1:]
    alt = str(node.Alt) if "/Alt" in node else None
    element = Element(tag, "", alt, str(node.ID) if "/ID" in node else None)
    kids = node.get("/K")
    if kids is None:
        return element
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int):  # marked content on the element's page
            element.parts.append(texts[(page_no, kid)])
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            child = _element(kid, page_no, pages, texts)
            element.kids.append(child)
            element.parts.append(child)
        elif isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid:
            where = pages.get(kid.Pg.objgen, page_no) if "/Pg" in kid else page_no
            element.parts.append(texts[(where, int(kid.MCID))])
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
            element.links.append(str(kid.Obj.get("/Contents", "")))
    element.text = "".join(p if isinstance(p, str) else p.text for p in element.parts)
    return element


class _MarkedText(PDFTextDevice):
    """Collects the characters drawn in each marked-content sequence, by page and MCID."""

    def __init__(self, rsrcmgr: PDFResourceManager) -> None:
        super().__init__(rsrcmgr)
        self.page = 0
        self.stack: list[int | None] = []
        self.texts: dict[tuple[int, int], str] = defaultdict(str)

    def begin_tag(self, tag: Any, props: Any = None) -> None:
        self.stack.append(props.get("MCID") if isinstance(props, dict) else None)

    def end_tag(self) -> None:
        if self.stack:
            self.stack.pop()

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):  # type: ignore[no-untyped-def]
        mcid = next((m for m in reversed(self.stack) if m is not None), None)
        if mcid is not None:
            self.texts[(self.page, mcid)] += font.to_unichr(cid)
        return font.char_width(cid) * fontsize * scaling


def _marked_texts(path: Path) -> dict[tuple[int, int], str]:
    manager = PDFResourceManager()
    device = _MarkedText(manager)
    interpreter = PDFPageInterpreter(manager, device)
    with open(path, "rb") as handle:
        for number, pdf_page in enumerate(PDFPage.get_pages(handle)):
            device.page = number
            interpreter.process_page(pdf_page)
    return device.texts
