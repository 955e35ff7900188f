"""Read a DOCX back: body paragraphs with styles, and the notes parts as plain text."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def notes(path: Path, kind: str = "footnotes") -> dict[int, str]:
    """Return {id: text} of the real notes (not the separators) in a notes part; endnotes
    are body paragraphs under the Notes heading, each after its number and a tab."""
    if kind == "endnotes":
        return body_endnotes(path)
    with zipfile.ZipFile(path) as archive:
        if f"word/{kind}.xml" not in archive.namelist():
            return {}
        root = etree.fromstring(archive.read(f"word/{kind}.xml"))
    tag = kind[:-1]
    out = {}
    for note in root.iter(f"{W}{tag}"):
        if note.get(f"{W}type"):
            continue
        text = "".join(t.text or "" for t in note.iter(f"{W}t"))
        out[int(note.get(f"{W}id"))] = " ".join(text.split())
    return out


def body_note_ids(path: Path, kind: str = "footnotes") -> list[int]:
    """Return the note ids referenced in the document body, in order (an endnote's
    marker is a link to its note's bookmark)."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    if kind == "endnotes":
        anchors = (link.get(f"{W}anchor") or "" for link in root.iter(f"{W}hyperlink"))
        return [int(a.removeprefix("_Note")) for a in anchors if a.startswith("_Note")]
    return [int(r.get(f"{W}id")) for r in root.iter(f"{W}{kind[:-1]}Reference")]


def body_endnotes(path: Path) -> dict[int, str]:
    """Return {number: text} of the endnotes, read from the body's Endnote Text paragraphs."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    out = {}
    for p in root.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is None or style.get(f"{W}val") != "EndnoteText":
            continue
        mark = p.find(f"{W}bookmarkStart")
        texts = [t.text or "" for t in p.iter(f"{W}t")]
        out[int(mark.get(f"{W}name").removeprefix("_Note"))] = " ".join("".join(texts[1:]).split())
    return out


def part_xml(path: Path, name: str) -> bytes:
    """Return one part of the package."""
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)
