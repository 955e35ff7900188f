"""Give the typst PDF's notes the roles PDF/UA names: each note a Note, each marker a Reference.

typst (0.14, 0.15) tags a footnote's text as a Note, but its marker in the text as a label
(Lbl); it has no endnotes, so the memo sets its Notes section as a numbered list (L, LI),
and each endnote marker is a bare Link. A document cannot name a tag of its own in typst,
so these few edits of the structure tree (pikepdf) put the roles right once typst has
written the file; no content stream, page or font is touched:

- a footnote's marker: its Lbl becomes a Reference (around the same Link);
- an endnote's marker: its Link is wrapped in a new Reference;
- the Notes list: the L becomes a Div, each LI a Note with an ID (in the IDTree, as
  PDF/UA-1 asks of every Note), each LBody a P; the number stays the Note's Lbl;
- every marker's link is described as "Note 3" (in the memo's language), not as typst's
  "page 1".

The memo's only numbered lists are its endnotes, and its only links to a place in the
document are its note markers and the contents list's entries (already TOCI, Reference,
Link): that is how the elements are found.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name, Object, String

from ...model import Memo, NoteRef

FOOTNOTE_HOMES = ("/LI", "/Note")  # where typst's Lbl is a list's or a note's own number
ENDNOTE_ID = "Endnote {}"  # typst names its footnotes "Note N"; these never meet


def retag(pdf: bytes, memo: Memo) -> bytes:
    """Return the typst PDF `pdf` of `memo` with its notes and markers tagged as PDF/UA says."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        tree = doc.Root.StructTreeRoot
        markers: list[Object] = []  # each marker's Link element, in reading order
        lists: list[Object] = []
        for element, parent in _elements(tree):
            tag = element.get("/S")
            if tag == "/Lbl" and parent.get("/S") not in FOOTNOTE_HOMES:
                element.S = Name.Reference
                markers += [k for k in _kids(element) if k.get("/S") == "/Link"]
            elif tag == "/Link" and parent.get("/S") not in ("/Reference", "/Lbl"):
                if _internal(element):
                    _wrap(doc, element, parent)
                    markers.append(element)
            elif tag == "/L" and _numbered(element):
                lists.append(element)
        numbers = _marker_numbers(memo)
        if len(markers) != len(numbers):  # the source and this module disagree: a bug
            raise AssertionError(f"{len(markers)} note markers tagged, {len(numbers)} written")
        for link, number in zip(markers, numbers, strict=True):
            for annotation in _annotations(link):
                annotation.Contents = String(memo.words.note.format(number=number))
        items = [item for element in lists for item in _note_items(element)]
        if items:  # the endnotes, dealt out in order into the list of each column
            notes = [note.number for note in memo.notes]
            ids = [_endnote(item, n) for item, n in zip(items, notes, strict=True)]
            _add_ids(doc, tree, ids)
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)  # same memo, same bytes
        return out.getvalue()


def _marker_numbers(memo: Memo) -> list[int]:
    """Return the numbers of the note markers in the memo's text, in reading order."""
    return [
        item.number
        for section in memo.sections
        for block in section.blocks
        for content in (block.content, *block.remarks)
        for item in content
        if isinstance(item, NoteRef)
    ]


def _elements(node: Object) -> Iterator[tuple[Object, Object]]:
    """Yield every structure element below `node` with its parent, in reading order."""
    for kid in list(_kids(node)):
        yield kid, node
        yield from _elements(kid)


def _kids(node: Object) -> list[Object]:
    kids = node.get("/K")
    items = kids if isinstance(kids, Array) else [kids] if kids is not None else []
    return [k for k in items if isinstance(k, Dictionary) and "/S" in k]


def _annotations(link: Object) -> list[Object]:
    """Return the link annotations a Link element holds (its object references)."""
    kids = link.get("/K")
    items = kids if isinstance(kids, Array) else [kids] if kids is not None else []
    return [k.Obj for k in items if isinstance(k, Dictionary) and k.get("/Type") == "/OBJR"]


def _internal(link: Object) -> bool:
    """Return whether a Link goes to a place in the document, not to a URL."""
    return any("/Dest" in a for a in _annotations(link))


def _numbered(element: Object) -> bool:
    attributes = element.get("/A")
    items = attributes if isinstance(attributes, Array) else [attributes] if attributes else []
    return any(isinstance(a, Dictionary) and a.get("/ListNumbering") == "/Decimal" for a in items)


def _wrap(doc: pikepdf.Pdf, element: Object, parent: Object) -> None:
    """Put a Reference between `element` and its parent, in its place among the kids."""
    reference = doc.make_indirect(
        Dictionary(Type=Name.StructElem, S=Name.Reference, P=parent, K=Array([element]))
    )
    if "/Pg" in element:
        reference.Pg = element.Pg
    kids = parent.K
    if isinstance(kids, Array):
        at = next(
            i
            for i, k in enumerate(kids)
            if isinstance(k, Dictionary) and k.is_indirect and k.objgen == element.objgen
        )
        kids[at] = reference
    else:
        parent.K = reference
    element.P = reference


def _note_items(element: Object) -> list[Object]:
    """Make a numbered list of notes a Div, and return its items."""
    element.S = Name.Div
    del element["/A"]
    return [k for k in _kids(element) if k.get("/S") == "/LI"]


def _endnote(item: Object, number: int) -> tuple[bytes, Object]:
    """Make a list item the Note of endnote `number` (its body a P); return its ID."""
    item.S = Name.Note
    for kid in _kids(item):
        if kid.get("/S") == "/LBody":
            kid.S = Name.P
    ident = ENDNOTE_ID.format(number).encode()
    item.ID = String(ident)
    return ident, item


def _add_ids(doc: pikepdf.Pdf, tree: Object, ids: list[tuple[bytes, Object]]) -> None:
    """Enter the endnotes' IDs in the structure tree's IDTree, one leaf, keys in byte order."""
    pairs = dict(_names(tree.IDTree)) if "/IDTree" in tree else {}
    pairs.update(ids)
    flat = Array()
    for key in sorted(pairs):
        flat.extend([String(key), pairs[key]])
    tree.IDTree = doc.make_indirect(Dictionary(Names=flat))


def _names(node: Object) -> Iterator[tuple[bytes, Object]]:
    """Yield a name tree's keys and values, from its leaves."""
    names = node.get("/Names", Array())
    for i in range(0, len(names), 2):
        yield bytes(names[i]), names[i + 1]
    for kid in node.get("/Kids", Array()):
        yield from _names(kid)
