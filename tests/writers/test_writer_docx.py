"""The DOCX writer, read back with python-docx and the raw parts."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Mm
from lxml import etree

from briefgen.model import Memo, Paragraph, Section, Span, plain_text
from briefgen.writers.docx.writer import write_docx

from ..docx_read import body_note_ids, notes, part_xml
from ..sample_memo import sample_memo

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MARKUP = "<b>&amp; {{ 7*7 }} & <img src=x>"


def _write(
    tmp_path: Path, placement: str = "footnotes", layout: str = "policy-memo", **changes
) -> Path:
    memo = sample_memo(placement, layout)
    for key, value in changes.items():
        setattr(memo, key, value)
    path = tmp_path / f"m-{placement}-{layout}.docx"
    write_docx(memo, path)
    return path


def _xml(path: Path, name: str) -> etree._Element:
    return etree.fromstring(part_xml(path, name))


def _style_ids(element: etree._Element, tag: str) -> list[str]:
    """Return the style ids of the `w:pStyle` or `w:rStyle` elements under `element`."""
    return [s.get(f"{W}val") for s in element.iter(f"{W}{tag}")]


def _rels(path: Path, name: str) -> dict[str, tuple[str, str | None]]:
    """Return {id: (target, target mode)} of a part's relationships."""
    root = _xml(path, name)
    return {r.get("Id"): (r.get("Target"), r.get("TargetMode")) for r in root}


def _links(path: Path, part: str) -> dict[str, str]:
    """Return {link text: target} of the hyperlinks in `word/<part>.xml`."""
    rels = _rels(path, f"word/_rels/{part}.xml.rels")
    out = {}
    for link in _xml(path, f"word/{part}.xml").iter(f"{W}hyperlink"):
        text = "".join(t.text or "" for t in link.iter(f"{W}t"))
        target, mode = rels[
            link.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        ]
        assert mode == "External"
        out[text] = target
    return out


# --- styles and body ---------------------------------------------------------------------


def test_styles_make_the_navigation_pane_work(tmp_path: Path) -> None:
    document = docx.Document(str(_write(tmp_path)))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Title", "Russia–Iran: Weekly Update") in styles
    assert [t for s, t in styles if s == "Heading 1"] == [
        "Bottom line",
        "Background",
        "Bibliography",
        "Source summary",
    ]
    bullets = [t for s, t in styles if s == "List Bullet"]
    assert bullets == [
        "(P) According to Ukrainian military launch data, the Alabuga plant had delivered about "
        "4,500 of the 6,000 Shahed drones promised. (moderate confidence)",
        "(P) Two-way trade fell to around $4 billion in 2023. (high confidence)",
    ]
    assert [t for s, t in styles if s == "Normal" and t][:2] == [
        "The partnership delivers arms, not trade.",
        "(I) Moscow and Tehran drew closer before 2022. Sanctions then pushed them together.",
    ]
    assert [t for s, t in styles if s == "Bibliography"] == [
        "Kirillova, Kseniya. Europe’s Edge, [March 2023?].",
        "Svetlova, Ksenia. “Hidden Discord in the Russia-Iran Alliance.” Jerusalem Strategic "
        "Tribune, June 2024.",
    ]


def test_word_built_in_styles_keep_word_names_and_the_memo_fonts(tmp_path: Path) -> None:
    root = _xml(_write(tmp_path), "word/styles.xml")
    styles = {s.get(f"{W}styleId"): s for s in root.iter(f"{W}style")}
    for style_id, name in [
        ("FootnoteText", "footnote text"),
        ("FootnoteReference", "footnote reference"),
        ("EndnoteText", "endnote text"),
        ("EndnoteReference", "endnote reference"),
        ("Hyperlink", "Hyperlink"),
        ("Bibliography", "Bibliography"),
    ]:
        style = styles[style_id]
        assert style.find(f"{W}name").get(f"{W}val") == name
        assert style.get(f"{W}customStyle") is None  # else Word adds a second one for its notes
    for style_id in ("FootnoteReference", "EndnoteReference"):
        assert styles[style_id].find(f"{W}rPr/{W}vertAlign").get(f"{W}val") == "superscript"
    for style_id, font in [
        ("Title", "Noto Sans"),
        ("Heading1", "Noto Sans"),
        ("Normal", "Noto Serif"),
    ]:
        fonts = styles[style_id].find(f"{W}rPr/{W}rFonts")
        assert fonts.get(f"{W}ascii") == font
        assert fonts.get(f"{W}asciiTheme") is None  # Word would show the theme's font instead
    assert styles["ClaimQuote"].get(f"{W}type") == "paragraph"
    assert styles["MemoHeaderLabel"].get(f"{W}type") == "character"
    bib = styles["Bibliography"].find(f"{W}pPr/{W}ind")
    assert int(bib.get(f"{W}hanging")) > 0 and bib.get(f"{W}left") == bib.get(f"{W}hanging")


def test_heading_block_labels_values_and_rule(tmp_path: Path) -> None:
    document = docx.Document(str(_write(tmp_path)))
    lines = [p for p in document.paragraphs if p.style.name == "Memo Header"]
    assert [p.text for p in lines] == [
        "TO\tDirector, Eurasia Programme",
        "FROM\tEurasia Desk",
        "DATE\t14 June 2024",
        "SUBJECT\tLimits of the Russia–Iran partnership",
        "PERIOD\t10–16 June 2024 (2024-W24)",
        "FOR\tAnalysts",
    ]
    assert all(p.runs[0].style.name == "Memo Header Label" for p in lines)
    assert document.paragraphs[0].text == "EURASIA DESK, EXAMPLE POLICY INSTITUTE"
    rule = lines[-1]._p.getnext()
    assert rule.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None


def test_claims_carry_quotes_remarks_and_italic_confidence(tmp_path: Path) -> None:
    document = docx.Document(str(_write(tmp_path)))
    styles = [(p.style.name, p) for p in document.paragraphs]
    quotes = [p.text for s, p in styles if s == "Claim Quote"]
    assert quotes == [
        "“has already supplied approximately 4500 of the promised 6000 drones as of "
        "late April 2024” — Svetlova, para. 9"
    ]
    assert [p.text for s, p in styles if s == "Claim Remark"] == ["Sources differ: see note 2."]
    claim = next(p for s, p in styles if s == "List Bullet")
    assert claim.runs[0].text == "(P) " and claim.runs[0].bold
    assert claim.runs[-1].text == " (moderate confidence)" and claim.runs[-1].italic
    assert not any(r.italic for r in claim.runs[:-1])
    kept = [p.text[:5] for _, p in styles if p.paragraph_format.keep_with_next]
    assert kept == ["(P) A", "(P) T"]  # each claim stays with its quote or remark


def test_markup_like_text_round_trips_literally(tmp_path: Path) -> None:
    memo = sample_memo("footnotes")
    memo.header.title = MARKUP
    memo.sections[0].blocks.append(Paragraph([Span(MARKUP)]))
    memo.notes[1].content.append(Span(" " + MARKUP))
    write_docx(memo, tmp_path / "m.docx")
    document = docx.Document(str(tmp_path / "m.docx"))
    texts = [p.text for p in document.paragraphs]
    assert MARKUP in texts and texts.count(MARKUP) == 2  # the title and the paragraph
    assert document.core_properties.title == MARKUP
    assert notes(tmp_path / "m.docx")[2].endswith(MARKUP)


# --- notes -------------------------------------------------------------------------------


def test_real_footnotes_match_the_memo_notes(tmp_path: Path) -> None:
    placement = "footnotes"
    memo = sample_memo(placement)
    path = _write(tmp_path, placement)
    found = notes(path, placement)
    assert list(found.items()) == [
        (n.number, " ".join(plain_text(n.content).split())) for n in memo.notes
    ]
    assert body_note_ids(path, placement) == [1, 2, 3]
    assert notes(path, "endnotes") == {} and body_note_ids(path, "endnotes") == []
    tag = placement[:-1]
    root = _xml(path, f"word/{placement}.xml")
    separators = [(n.get(f"{W}type"), n.get(f"{W}id")) for n in root if n.get(f"{W}type")]
    assert separators == [("separator", "-1"), ("continuationSeparator", "0")]
    cap = tag.capitalize()
    for note in root:
        if note.get(f"{W}type"):
            continue
        assert _style_ids(note, "pStyle") == [f"{cap}Text"]
        first_run = note.find(f"{W}p/{W}r")
        assert first_run.find(f"{W}{tag}Ref") is not None
        assert _style_ids(first_run, "rStyle") == [f"{cap}Reference"]
    body = _xml(path, "word/document.xml")
    refs = [r.getparent() for r in body.iter(f"{W}{tag}Reference")]
    assert all(_style_ids(r, "rStyle") == [f"{cap}Reference"] for r in refs)
    settings = _xml(path, "word/settings.xml").find(f"{W}{tag}Pr")
    assert [n.get(f"{W}id") for n in settings.iter(f"{W}{tag}")] == ["-1", "0"]
    assert f"word/{placement}.xml" in zipfile.ZipFile(path).namelist()


def test_endnotes_follow_their_heading_before_the_bibliography(tmp_path: Path) -> None:
    """Endnotes are the body's, in the PDF's order: Notes heading, notes, Bibliography;
    each marker links to its note's bookmark."""
    memo = sample_memo("endnotes")
    path = _write(tmp_path, "endnotes")
    assert list(notes(path, "endnotes").items()) == [
        (n.number, " ".join(plain_text(n.content).split())) for n in memo.notes
    ]
    assert body_note_ids(path, "endnotes") == [1, 2, 3]
    assert notes(path, "footnotes") == {} and body_note_ids(path, "footnotes") == []
    names = zipfile.ZipFile(path).namelist()
    assert "word/endnotes.xml" not in names and "word/footnotes.xml" not in names
    body = _xml(path, "word/document.xml")
    order = [
        ("".join(p.itertext()), _style_ids(p, "pStyle"))
        for p in body.iter(f"{W}p")
        if _style_ids(p, "pStyle") in (["Heading1"], ["EndnoteText"])
    ]
    titles = [t for t, style in order if style == ["Heading1"]]
    notes_at = titles.index(memo.words.notes)
    assert titles[notes_at + 1] == memo.words.bibliography
    first_note = next(i for i, (_, style) in enumerate(order) if style == ["EndnoteText"])
    assert order[first_note - 1][0] == memo.words.notes
    marks = {m.get(f"{W}name") for m in body.iter(f"{W}bookmarkStart")}
    anchors = [a.get(f"{W}anchor") for a in body.iter(f"{W}hyperlink") if a.get(f"{W}anchor")]
    assert anchors and set(anchors) <= marks


def test_italic_spans_stay_italic_in_notes(tmp_path: Path) -> None:
    root = _xml(_write(tmp_path), "word/footnotes.xml")
    italic = [
        "".join(r.itertext()) for r in root.iter(f"{W}r") if r.find(f"{W}rPr/{W}i") is not None
    ]
    assert italic == ["Jerusalem Strategic Tribune", "Europe’s Edge"]


def test_memo_without_notes_has_no_notes_part(tmp_path: Path) -> None:
    path = _write(tmp_path, notes=[])
    names = zipfile.ZipFile(path).namelist()
    assert "word/footnotes.xml" not in names and "word/endnotes.xml" not in names


# --- links -------------------------------------------------------------------------------


def test_links_are_external_hyperlinks_in_the_note_part(tmp_path: Path) -> None:
    path = _write(tmp_path)
    assert _links(path, "footnotes") == {"https://example.org/jst": "https://example.org/jst"}
    link = _xml(path, "word/footnotes.xml").find(f".//{W}hyperlink")
    assert _style_ids(link, "rStyle") == ["Hyperlink"]


def test_only_web_and_mail_links_become_hyperlinks(tmp_path: Path) -> None:
    memo = sample_memo("footnotes")
    urls = [
        "https://example.org/a?x=1&y=<2>",
        "http://example.org/b",
        "mailto:desk@example.org",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,hi",
    ]
    memo.sections[1].blocks.append(
        Paragraph([Span(f"link {i} ", url=u) for i, u in enumerate(urls)])
    )
    memo.bibliography[0].content.append(Span("bib link", url="https://example.org/bib"))
    write_docx(memo, tmp_path / "m.docx")
    path = tmp_path / "m.docx"
    assert _links(path, "document") == {
        "link 0 ": urls[0],
        "link 1 ": urls[1],
        "link 2 ": urls[2],
        "bib link": "https://example.org/bib",
    }
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "link 0 link 1 link 2 link 3 link 4 link 5 " in texts  # unsafe ones as plain text
    targets = [t for t, _ in _rels(path, "word/_rels/document.xml.rels").values()]
    assert not any(t.startswith(("javascript", "file", "data")) for t in targets)


# --- page, header and footer ---------------------------------------------------------------


def test_header_and_footer_carry_banner_and_page_fields(tmp_path: Path) -> None:
    document = docx.Document(str(_write(tmp_path)))
    section = document.sections[0]
    title = sample_memo().header.title
    assert section.different_first_page_header_footer
    header = section.first_page_header.paragraphs
    assert [(p.style.name, p.text) for p in header] == [("Banner", "INTERNAL")]
    later = [(p.style.name, p.text) for p in section.header.paragraphs]
    assert later == [("Banner", "INTERNAL"), ("Running Header", title)]  # as the PDF's
    for footer in (section.first_page_footer.paragraphs, section.footer.paragraphs):
        assert footer[-1].style.name == "Banner" and footer[-1].text == "INTERNAL"
        # the fields' cached results show before Word updates them
        assert footer[0].text == "Eurasia Desk, Example Policy Institute\tPage 1 of 1"
        instructions = [t.text.strip() for t in footer[0]._p.iter(f"{W}instrText")]
        assert instructions == ["PAGE", "NUMPAGES"]
        kinds = [c.get(f"{W}fldCharType") for c in footer[0]._p.iter(f"{W}fldChar")]
        assert kinds == ["begin", "separate", "end"] * 2
    banner = document.styles["Banner"]
    assert banner.font.bold and banner.paragraph_format.alignment == 1  # centred


@pytest.mark.parametrize("size, width, height", [("A4", 210, 297), ("letter", 215.9, 279.4)])
def test_page_size_and_margins(tmp_path: Path, size: str, width: float, height: float) -> None:
    section = docx.Document(str(_write(tmp_path, page_size=size))).sections[0]
    assert abs(section.page_width - Mm(width)) < Mm(0.1)
    assert abs(section.page_height - Mm(height)) < Mm(0.1)
    assert (
        abs(section.left_margin - Mm(20)) < Mm(0.1) and section.right_margin == section.left_margin
    )


def test_one_page_layout_is_compact(tmp_path: Path) -> None:
    full = docx.Document(str(_write(tmp_path))).styles
    compact = docx.Document(str(_write(tmp_path, layout="one-page"))).styles
    for name in ("Normal", "Title", "Heading 1", "footnote text"):
        assert compact[name].font.size < full[name].font.size, name
    assert (
        compact["Heading 1"].paragraph_format.space_before
        < full["Heading 1"].paragraph_format.space_before
    )


# --- properties and bytes ---------------------------------------------------------------


def test_core_and_custom_properties(tmp_path: Path) -> None:
    manifest = {"brief": "russia-iran-weekly", "claims": {"trade-2023": "a<b&c"}}
    path = _write(tmp_path, manifest=manifest, language="de-DE")
    props = docx.Document(str(path)).core_properties
    assert props.title == "Russia–Iran: Weekly Update"
    assert props.author == "Eurasia Desk, Example Policy Institute"
    assert props.subject == "Limits of the Russia–Iran partnership"
    assert props.keywords == "drones, economy, military"
    assert props.last_modified_by == "briefgen"
    assert props.language == "de-DE"
    assert props.created.isoformat() == props.modified.isoformat() == "2024-06-14T00:00:00+00:00"
    custom = _xml(path, "docProps/custom.xml")
    values = {p.get("name"): "".join(p.itertext()) for p in custom}
    assert json.loads(values["BriefgenManifest"]) == manifest
    assert values["BriefgenBrief"] == "russia-iran-weekly"


def test_same_memo_same_bytes_with_fixed_zip_times(tmp_path: Path) -> None:
    memo = sample_memo("footnotes")
    write_docx(memo, tmp_path / "a.docx")
    write_docx(copy.deepcopy(memo), tmp_path / "b.docx")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.docx") as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[0] == "[Content_Types].xml"


def test_no_stale_template_parts_and_no_compatibility_mode(tmp_path: Path) -> None:
    path = _write(tmp_path)
    names = zipfile.ZipFile(path).namelist()
    assert not any("stylesWithEffects" in n or "thumbnail" in n for n in names)
    settings = _xml(path, "word/settings.xml")
    modes = [
        s.get(f"{W}val")
        for s in settings.iter(f"{W}compatSetting")
        if s.get(f"{W}name") == "compatibilityMode"
    ]
    assert modes == ["15"]


# --- contents ----------------------------------------------------------------------------


def test_long_memos_open_with_a_filled_in_table_of_contents(tmp_path: Path) -> None:
    memo = sample_memo("footnotes")
    memo.sections += [Section(f"Part {i}", [Paragraph([Span(f"Text {i}.")])]) for i in range(5)]
    memo.contents = True  # the resolver's decision (tests/resolve/test_resolve.py)
    write_docx(memo, tmp_path / "long.docx")
    document = docx.Document(str(tmp_path / "long.docx"))
    entries = [p.text.split("\t")[0] for p in document.paragraphs if p.style.name == "toc 1"]
    assert entries == [
        "Bottom line",
        "Background",
        "Part 0",
        "Part 1",
        "Part 2",
        "Part 3",
        "Part 4",
        "Bibliography",
        "Source summary",
    ]
    body = part_xml(tmp_path / "long.docx", "word/document.xml").decode()
    assert 'TOC \\o "1-1" \\h \\z \\u' in body
    assert body.count("<w:bookmarkStart") == 9 and 'w:anchor="_Toc00000001"' in body
    write_docx(sample_memo("footnotes"), tmp_path / "short.docx")
    assert "toc 1" not in {
        p.style.name for p in docx.Document(str(tmp_path / "short.docx")).paragraphs
    }


# --- LibreOffice ---------------------------------------------------------------------------


def _pdf_pages(tmp_path: Path, path: Path) -> list[str]:
    """Convert `path` with LibreOffice (its own profile) and return each page's text."""
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    pdf = path.with_suffix(".pdf")
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    from pypdf import PdfReader

    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages]


def _memo_texts(memo: Memo) -> list[str]:
    texts = [
        b
        for s in memo.sections
        for b in [s.title] + [plain_text(p.content).split("[")[0] for p in s.blocks]
    ]
    return texts + [plain_text(e.content) for e in memo.bibliography] + memo.summary


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("placement", ["footnotes", "endnotes"])
def test_libreoffice_keeps_all_text_and_places_the_notes(tmp_path: Path, placement: str) -> None:
    memo = sample_memo(placement)
    pages = _pdf_pages(tmp_path, _write(tmp_path, placement))
    text = " ".join(pages)
    for expected in _memo_texts(memo):
        assert " ".join(expected.split()) in text
    last_body = " ".join(memo.summary[-1].split())
    for note in memo.notes:
        content = " ".join(plain_text(note.content).split())
        page = next(i for i, p in enumerate(pages) if content in p)
        if placement == "footnotes":  # at the foot of the page that cites it, under the body
            assert page == 0 and pages[0].index(content) > pages[0].index(last_body)
        else:  # under the Notes heading, before the bibliography
            start = text.index(f"{memo.words.notes} 1.")
            assert start < text.index(content) < text.index(memo.words.bibliography)
    assert f"Page 1 of {len(pages)}" in pages[0]


@pytest.mark.parametrize("placement", ["footnotes", "endnotes"])
@pytest.mark.parametrize("layout", ["policy-memo", "one-page"])
def test_every_style_a_part_names_is_defined(tmp_path: Path, placement: str, layout: str) -> None:
    """Word shows a paragraph or run whose style id styles.xml lacks in Normal: each
    `w:pStyle` and `w:rStyle` of every part names a style it defines (a NEW claim too)."""
    memo = sample_memo(placement, layout)
    for section in memo.sections:
        for block in section.blocks:
            block.new = True
    path = tmp_path / "m.docx"
    write_docx(memo, path)
    defined = {s.get(f"{W}styleId") for s in _xml(path, "word/styles.xml").iter(f"{W}style")}
    with zipfile.ZipFile(path) as archive:
        parts = [n for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml")]
    named = {
        (part, style)
        for part in parts
        for tag in ("pStyle", "rStyle")
        for style in _style_ids(_xml(path, part), tag)
    }
    assert {(part, style) for part, style in named if style not in defined} == set()
    assert any(style == "NewMark" for _, style in named)
