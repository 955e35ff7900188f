"""Every script a desk reads, in every position: fonts per run, UAX #9 order, a true text layer.

The PDF is read back with poppler (`pdftotext`, and `pdftotext -bbox` for where each word
stands), the DOCX and HTML as text.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from bidi import get_display
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefgen import scripts
from briefgen.model import NoteRef, Paragraph, Span
from briefgen.writers.docx.writer import write_docx
from briefgen.writers.html import write_html
from briefgen.writers.pdf.writer import write_pdf

from .conftest import briefgen
from .sample_memo import sample_memo

POPPLER = shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(POPPLER is None, reason="pdftotext (poppler-utils) missing")

PERSIAN = "جمهوری اسلامی ایران"
# One sample of each script a policy desk reads, as written (logical order).
SAMPLES = {
    "Latin": "Łódź, Ærø, İstanbul, Šiauliai, café",
    "Cyrillic": "Москва ответила: «Нет»",
    "Greek": "Αθήνα, Ελλάδα",
    "Arabic": "المملكة العربية السعودية",
    "Persian": "می‌خواهیم در تهران",
    "Urdu": "پاکستان کے لیے ہے",
    "Hebrew": "שלום עולם",
    "Chinese": "中华人民共和国",
    "Japanese": "日本語のテキスト",
    "Korean": "대한민국 서울",
    "Devanagari": "हिन्दी भाषा",
    "Thai": "ภาษาไทย",
    "currency": "€ £ ¥ ₽ ₹ ₺ ₩ ₿ ₴ ₦ ﷼",
    "emoji": "😀 🚀 👍 🌍",
}
FAMILIES = {
    "Arabic": "NotoNaskhArabic",
    "Hebrew": "NotoSansHebrew",
    "Chinese": "DroidSansFallback",
    "Korean": "NanumGothic",
    "Devanagari": "NotoSansDevanagari",
    "Thai": "NotoSerifThai",
}
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdfb\ufdfd-\ufdff\ufe70-\ufeff]")


def _memo(*texts: str):
    memo = sample_memo()
    for text in texts:
        memo.sections[0].blocks.append(Paragraph([Span(text), NoteRef(1)], kind="claim"))
    return memo


def _pdftotext(path: Path, *flags: str) -> str:
    return subprocess.run(
        ["pdftotext", *flags, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _comparable(text: str) -> str:
    """Text without the embedding marks poppler adds and the ignorables, spaces folded."""
    text = "".join(c for c in text if c not in scripts.IGNORABLE or c.isspace())
    return " ".join(text.split())


# --- the algorithm -----------------------------------------------------------------------

BIDI_TEXT = st.text(
    st.sampled_from(
        list("ab CD12 ")
        + list("تهران شاهد")
        + list("۱۳۶٠١")
        + list("שלום")
        + list("()[]«».,:;-–/%\"'")
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(BIDI_TEXT)
def test_levels_reordered_by_rule_l2_give_python_bidis_display(text: str) -> None:
    """Our reading of python-bidi's levels and our line reordering (rule L2) give what
    python-bidi itself displays (which leaves mirroring, rule L4, to the renderer)."""
    levels = scripts.levels(text)
    assert "".join(text[i] for i in scripts.reorder(levels)) == get_display(text, base_dir="L")


# --- the PDF: order on the page, and the text layer ---------------------------------------

POSITIONS = [
    "تهران is the capital.",  # at the start
    "Officials in Tehran (تهران) met.",  # inside brackets, mid-sentence
    "The drone شاهد-۱۳۶ was named.",  # a word glued to a Persian number
    "Officials in Tehran said تهران",  # at the end, before the note number
    "Talks in تهران و مسکو stalled, 2024.",  # a run of several words, then a comma
    "Hebrew: שלום עולם, and 3 more.",
    "x (تهران [1] شاهد) y",  # brackets inside a right-to-left run: mirrored
    "تهران (شاهد) مسکو",
    "< ژپۀی",
]


@needs_poppler
def test_right_to_left_runs_stand_in_the_algorithms_visual_order(tmp_path: Path) -> None:
    """Each line's words, left to right on the page (pdftotext -bbox), are the words of
    the line's visual order by UAX #9, with the note number a left-to-right unit. (A
    mirrored bracket is drawn mirrored, but its text is the bracket written, as in
    python-bidi's display.)"""
    write_pdf(_memo(*POSITIONS), tmp_path / "m.pdf")
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>',
        _pdftotext(tmp_path / "m.pdf", "-bbox"),
    )
    lines: dict[int, list[tuple[float, str]]] = {}
    for x, y, word in words:
        lines.setdefault(round(float(y)), []).append((float(x), html.unescape(word)))
    drawn = [" ".join(w for _, w in sorted(line) if w != "•") for line in lines.values()]
    for text in POSITIONS:
        logical = f"{text}\u200e1\u200e"
        expected = get_display(logical, base_dir="L").replace("\u200e", "")
        expected = re.sub(r"(?<=\S)1$", "", expected)  # the note number is raised
        assert any(line.startswith(expected) for line in drawn), (text, expected, drawn)


@needs_poppler
def test_the_text_layer_holds_every_script_as_written(tmp_path: Path) -> None:
    """pdftotext gives every sample in logical order, as the characters written: no
    presentation forms, no private-use code points, every script in its own font.

    poppler guesses spaces from gaps, and closes the narrow ones between symbols, so
    symbols are compared without spaces."""
    write_pdf(_memo(*SAMPLES.values(), PERSIAN), tmp_path / "m.pdf")
    text = _pdftotext(tmp_path / "m.pdf")
    assert not PRESENTATION_FORMS.search(text)
    assert not re.search("[\ue000-\uf8ff]", text)
    flat = _comparable(text)
    for name, sample in SAMPLES.items():
        if name in ("currency", "emoji"):
            assert _comparable(sample).replace(" ", "") in flat.replace(" ", ""), name
        else:
            assert _comparable(sample) in flat, name
    fonts = {
        str(f.get_object()["/BaseFont"]).split("+")[-1].split("-")[0]
        for f in PdfReader(tmp_path / "m.pdf").pages[0]["/Resources"]["/Font"].values()
    }
    assert set(FAMILIES.values()) <= fonts, fonts


def test_docx_and_html_keep_every_script_in_logical_order(tmp_path: Path) -> None:
    memo = _memo(*SAMPLES.values())
    write_docx(memo, tmp_path / "m.docx")
    write_html(memo, tmp_path / "m.html")
    xml = zipfile.ZipFile(tmp_path / "m.docx").read("word/document.xml").decode()
    words = _comparable(
        "".join(html.unescape(t) for t in re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    )
    page = _comparable(html.unescape(re.sub(r"<[^>]+>", "", (tmp_path / "m.html").read_text())))
    for name, sample in SAMPLES.items():
        assert _comparable(sample) in words, name
        assert _comparable(sample) in page, name
    assert f'<w:rtl/></w:rPr><w:t xml:space="preserve">{SAMPLES["Hebrew"]}</w:t>' in xml


@pytest.mark.parametrize("text", ["a", "Łódź", PERSIAN, "中文 ok", "x😀y", "हिन्दी"])
def test_a_run_is_set_in_a_font_that_has_its_characters(text: str) -> None:
    base = scripts.coverage(scripts.SERIF)
    runs = scripts.font_runs(text, base)
    assert "".join(text[a:b] for a, b, _ in runs) == text
    for a, b, family in runs:
        held = base if family is None else scripts.coverage(family)
        assert all(ord(c) in held or c in scripts.IGNORABLE for c in text[a:b]), (text, family)


# --- check: what no font can show ---------------------------------------------------------


def _cannot_be_held(char: str) -> bool:
    """A control other than tab, newline and carriage return, a surrogate, or one of
    Unicode's 66 noncharacters, by their definitions."""
    code = ord(char)
    return (
        (unicodedata.category(char) == "Cc" and char not in "\t\n\r")
        or unicodedata.category(char) == "Cs"
        or 0xFDD0 <= code <= 0xFDEF
        or code & 0xFFFE == 0xFFFE
    )


NONCHARACTERS = [chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF)]


@settings(max_examples=300)
@given(
    st.text(
        st.one_of(
            st.characters(codec=None),
            st.sampled_from(NONCHARACTERS),
            st.sampled_from(["\ud800", "\udfff", "\x85", "\x00", "\t"]),
        )
    )
)
def test_the_first_character_a_document_cannot_hold_is_found_anywhere(text: str) -> None:
    expected = next((c for c in text if _cannot_be_held(c)), None)
    assert scripts.invalid(text) == expected


@pytest.mark.parametrize(
    "path, old, new, key, message",
    [
        (
            "store/claims/grain.yaml",
            "text: Talks on the grain corridor stalled on 11 June 2024.",
            'text: "Bell \\a rings."',
            "2: text",
            "claim 'talks-stalled' holds U+0007 (unnamed), a "
            "control character or noncharacter a document cannot hold; remove it",
        ),
        (
            "store/claims/grain.yaml",
            "text: Talks on the grain corridor stalled on 11 June 2024.",
            'text: "A new face 🥲 and 🫠."',
            "2: text",
            "claim 'talks-stalled' holds U+1F972 "
            "(SMILING FACE WITH TEAR), U+1FAE0 (MELTING FACE), which no font briefgen ships can show",
        ),
        (
            "store/sources.yaml",
            "title: Grain Talks Stall Again",
            'title: "Grain \\uFDD0 Talks"',
            "3: title",
            "source 'doe-2024' holds U+FDD0 (unnamed), a control character or "
            "noncharacter a document cannot hold; remove it",
        ),
        (
            "store/sources.yaml",
            "author: [{family: Doe, given: Jane}]",
            'author: [{family: "Doe\\x85", given: Jane}]',
            "4: author[0].family",
            "source 'doe-2024' holds U+0085 (unnamed), a control character or noncharacter a "
            "document cannot hold; remove it",
        ),
        (
            "audiences.yaml",
            "label: Analysts",
            'label: "Analysts 🫠"',
            "9: label",
            "audience 'analyst' holds U+1FAE0 (MELTING FACE), which no font "
            "briefgen ships can show",
        ),
    ],
)
def test_unshowable_characters_are_errors_naming_the_field(
    good: Path, path: str, old: str, new: str, key: str, message: str
) -> None:
    file = good / path
    assert old in file.read_text()
    file.write_text(file.read_text().replace(old, new))
    run = briefgen("check", cwd=good)
    assert run.code == 1
    assert f"{path}:{key}: {message}" in run.err, run.err


def test_every_script_sample_passes_check(good: Path) -> None:
    path = good / "store" / "claims" / "grain.yaml"
    text = " ".join(SAMPLES.values())
    path.write_text(
        path.read_text().replace(
            "text: Talks on the grain corridor stalled on 11 June 2024.", f'text: "{text}"'
        )
    )
    run = briefgen("check", cwd=good)
    assert run.code == 0, run.err


def test_the_shipped_coverage_table_matches_the_fonts() -> None:
    """check reads coverage.json instead of the fonts; it must say what the fonts hold
    (after changing a font: python scripts/coverage.py)."""
    import json

    table = json.loads(scripts.COVERAGE.read_text(encoding="utf-8"))
    for family in scripts.FAMILIES:
        assert table[family] == scripts.coverage_ranges(
            scripts.font_coverage(scripts.font_file(family))
        ), family
    assert 0x0416 in scripts.coverage("NotoSerif")  # Ж: Noto Serif holds Cyrillic
    assert 0x0634 in scripts.coverage("NotoNaskhArabic")  # ش
    assert not scripts.missing("".join(SAMPLES.values()))


def test_characters_are_named_by_their_unicode_names() -> None:
    assert scripts.describe("ش") == f"U+0634 ({unicodedata.name('ش')})"


# --- DOCX and HTML carry the fallback fonts they need -------------------------------------


def _deobfuscated(data: bytes, key: str) -> bytes:
    digits = key.strip("{}").replace("-", "")
    order = bytes(int(digits[i : i + 2], 16) for i in range(30, -1, -2))
    return bytes(b ^ order[i % 16] for i, b in enumerate(data[:32])) + data[32:]


def test_docx_embeds_a_subset_of_each_fallback_font_its_text_needs(tmp_path: Path) -> None:
    """Each run names a font that holds its characters; each named fallback font is in
    the package, obfuscated as Word does, and holds the characters set in it."""
    import io

    from fontTools.ttLib import TTFont

    write_docx(_memo(*SAMPLES.values()), tmp_path / "m.docx")
    package = zipfile.ZipFile(tmp_path / "m.docx")
    table = package.read("word/fontTable.xml").decode()
    rels = package.read("word/_rels/fontTable.xml.rels").decode()
    targets = {}
    for rel in re.findall(r"<Relationship [^>]*>", rels):
        targets[re.search(r'Id="([^"]+)"', rel)[1]] = re.search(r'Target="([^"]+)"', rel)[1]
    held: dict[str, set[int]] = {}
    for name, body in re.findall(r'<w:font w:name="([^"]+)">(.*?)</w:font>', table):
        for rid, key in re.findall(r'<w:embedRegular r:id="(rId\d+)" w:fontKey="([^"]+)"', body):
            data = _deobfuscated(package.read(f"word/{targets[rid]}"), key)
            held[name] = set(TTFont(io.BytesIO(data)).getBestCmap())
    assert {
        f"briefgen {n}"
        for n in (
            "Noto Naskh Arabic",
            "Noto Sans Hebrew",
            "Droid Sans Fallback",
            "NanumGothic",
            "Noto Sans Devanagari",
            "Noto Serif Thai",
        )
    } <= set(held)
    xml = package.read("word/document.xml").decode()
    for font, text in re.findall(
        r'<w:rFonts w:ascii="(briefgen [^"]+)"[^>]*/>.*?<w:t[^>]*>'
        r"([^<]*)</w:t>",
        xml,
    ):
        assert all(
            ord(c) in held[font] or c in scripts.IGNORABLE
            for c in html.unescape(text)
            if not c.isspace()
        ), (font, text)


def test_a_memo_its_fonts_show_embeds_no_font(tmp_path: Path) -> None:
    memo = _memo("Łódź, Москва, Αθήνα")
    write_docx(memo, tmp_path / "m.docx")
    write_html(memo, tmp_path / "m.html")
    assert not [n for n in zipfile.ZipFile(tmp_path / "m.docx").namelist() if "fonts/" in n]
    assert "@font-face" not in (tmp_path / "m.html").read_text()


def test_html_embeds_the_fallback_fonts_its_text_needs(tmp_path: Path) -> None:
    import base64
    import io

    from fontTools.ttLib import TTFont

    write_html(_memo(SAMPLES["Chinese"], SAMPLES["Arabic"]), tmp_path / "m.html")
    page = (tmp_path / "m.html").read_text()
    faces = dict(
        re.findall(
            r'@font-face\{font-family:"([^"]+)";font-weight:400;'
            r"src:url\(data:font/ttf;base64,([^)]+)\)",
            page,
        )
    )
    for name, sample in (
        ("briefgen Droid Sans Fallback", SAMPLES["Chinese"]),
        ("briefgen Noto Naskh Arabic", SAMPLES["Arabic"]),
    ):
        cmap = TTFont(io.BytesIO(base64.b64decode(faces[name]))).getBestCmap()
        assert all(ord(c) in cmap for c in sample if not c.isspace()), name
    # the inliner writes the family list on the elements, in its own quotes
    assert re.search(r"font-family:[\"']Noto Serif[\"'],\s*[\"']briefgen Droid Sans Fallback", page)


@pytest.mark.skipif(
    shutil.which("soffice") is None or POPPLER is None,
    reason="LibreOffice or poppler-utils missing",
)
def test_libreoffice_shows_every_script_of_the_docx_in_its_embedded_fonts(tmp_path: Path) -> None:
    """LibreOffice, which has no fonts of these scripts here, sets them in the fonts the
    DOCX carries: its PDF embeds them and its text holds every sample."""
    write_docx(_memo(*SAMPLES.values()), tmp_path / "m.docx")
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "m.docx"),
        ],
        capture_output=True,
        timeout=240,
        check=True,
    )
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "m.pdf")], capture_output=True, text=True, check=True
    ).stdout
    for family in (
        "Noto-Naskh-Arabic",
        "Droid-Sans-Fallback",
        "NanumGothic",
        "Noto-Sans-Devanagari",
        "Noto-Serif-Thai",
        "Noto-Sans-Hebrew",
    ):
        assert f"briefgen-{family}" in fonts, fonts
    text = _comparable(_pdftotext(tmp_path / "m.pdf"))
    for name in ("Chinese", "Japanese", "Korean", "Thai", "Hebrew"):
        assert _comparable(SAMPLES[name]) in text, name


@needs_poppler
def test_a_right_to_left_paragraph_over_two_pages_is_whole_on_both(tmp_path: Path) -> None:
    """reportlab builds the rest of a split paragraph from its shaped fragments: they are
    drawn as they are, not shaped again."""
    long = " ".join(["ωγωε, <![CDATA[x]]> السلام عليكم شاهد (تهران)"] * 120)
    pages = write_pdf(_memo(long), tmp_path / "m.pdf")
    assert pages >= 2
    text = _pdftotext(tmp_path / "m.pdf")
    words = [w for w in text.split() if re.search("[\u0600-\u06ff]", w)]
    assert sum("عليكم" in w for w in words) == 120
    assert sum("شاهد" in w for w in words) == 120
    assert text.count("ε") == 120


@needs_poppler
def test_a_long_marking_is_shown_whole_in_the_banner(tmp_path: Path) -> None:
    """The banner is set smaller rather than run off the page."""
    memo = _memo()
    memo.banner = "RESTRICTED // " + "HANDLE VIA SPECIAL CHANNELS ONLY " * 8 + "// تهران"
    write_pdf(memo, tmp_path / "m.pdf")
    text = " ".join(_pdftotext(tmp_path / "m.pdf").split())
    assert ("HANDLE VIA SPECIAL CHANNELS ONLY " * 8).strip() in text
    assert "تهران" in text


@needs_poppler
def test_an_indic_word_at_the_start_of_a_line_keeps_its_own_text_only(tmp_path: Path) -> None:
    """A word's ActualText span never crosses lines: reportlab ends a line with the marker
    that opens the next word's span; in a right-to-left embedding, where the line is
    drawn in another order, the span would then take in the text drawn between."""
    words = "\u202b" + " ".join(f"w{i} تهران हिन्दी" for i in range(150))
    write_pdf(_memo(words), tmp_path / "m.pdf")
    text = _pdftotext(tmp_path / "m.pdf")
    # right to left, the words come in each line's visual order, some glued by poppler
    assert sorted(map(int, re.findall(r"w(\d+)", text))) == list(range(150))
    assert text.count("हिन्दी") == 150 and text.count("تهران") == 150


@needs_poppler
def test_an_indic_word_under_a_right_to_left_override_closes_its_span(tmp_path: Path) -> None:
    """An override draws a word's two markers the other way round; the first drawn opens
    its span and the second closes it, so the text after it stays in the text layer."""
    write_pdf(_memo("2024 - \u202e <![CDATA[x]]>घच", "After the override."), tmp_path / "m.pdf")
    assert "After the override." in _pdftotext(tmp_path / "m.pdf")


_WORD_BOX = re.compile(
    r'<page width="([\d.]+)"|<word xMin="([\d.]+)" yMin="[\d.]+" '
    r'xMax="([\d.]+)"'
)
_LONG = st.sampled_from(
    ["https://example.org/" + "a" * 180 + "?q=1&r=<2>#frag", "Ω" * 150, "x" * 40 + "-" + "y" * 140]
)
# neighbours of every kind that puts a marker in a paragraph: right to left, Indic, and
# words whose letters decompose (Hangul syllables, combining marks) and get ActualText
_NEIGHBOUR = st.sampled_from(
    ["", " - القاهرة", " تهران", " हिन्दी", " ภาษาไทย", " 中文", " שלום", " (سپاه) ",
     " 다사한마마가", " アお漢", " ǟx", " cafe\u0301"]
)  # fmt: skip
_URL = "https://example.org/" + "a" * 180 + "?q=1&r=<2>#frag"


@needs_poppler
@settings(max_examples=16, deadline=None)
@given(
    before=_NEIGHBOUR,
    long=_LONG,
    after=_NEIGHBOUR,
    where=st.sampled_from(["organisation", "title", "claim"]),
    joiner=st.sampled_from([" ", "\xa0"]),  # a no-break space makes one word of them all
)
@example(before=" 다사한마마가", long=_URL, after=" `code`", where="title", joiner="\xa0")
def test_a_word_longer_than_a_line_is_split_and_stays_on_the_page(
    tmp_path_factory: pytest.TempPathFactory,
    before: str,
    long: str,
    after: str,
    where: str,
    joiner: str,
) -> None:
    """reportlab splits a word too long for its line unless the word starts with a
    callback: a right-to-left, Indic or ActualText run anywhere in the paragraph put one
    there, in a paragraph shaped by HarfBuzz or not."""
    text = joiner.join(part.strip() for part in (before, long, after) if part.strip())
    memo = _memo(text) if where == "claim" else _memo()
    if where == "organisation":
        memo.header.organisation = text
    elif where == "title":
        memo.header.title = text
    path = tmp_path_factory.mktemp("long") / "m.pdf"
    write_pdf(memo, path)
    box = _pdftotext(path, "-bbox")
    width = float(_WORD_BOX.search(box).group(1))
    right = max(float(m.group(3)) for m in _WORD_BOX.finditer(box) if m.group(3))
    assert right <= width, (where, text[:60])
    shown = _comparable(_pdftotext(path)).replace(" ", "")
    core = long.upper() if where == "organisation" else long
    assert core[-30:] in shown, (where, text[:60])


_HEBREW_WORD = st.text("אבגדהוזחטיכךלמםנןסעפףצץקרשת", min_size=2, max_size=8)


@needs_poppler
@settings(max_examples=10, deadline=None)
@given(words=st.lists(_HEBREW_WORD, min_size=1, max_size=4).map(lambda ws: [*ws, "קיו", "ביום"]))
def test_every_hebrew_word_is_drawn_and_read_back_as_written(
    tmp_path_factory: pytest.TempPathFactory, words: list[str]
) -> None:
    """reportlab turned on discretionary ligatures, and Noto Sans Hebrew's join yod and
    vav: "קיו" was drawn, and read back, as "קוי"."""
    path = tmp_path_factory.mktemp("hebrew") / "m.pdf"
    write_pdf(_memo(" ".join(words)), path)
    shown = _comparable(_pdftotext(path)).split()
    for word in words:
        assert word in shown, (word, [w for w in shown if set(w) & set(word)])
