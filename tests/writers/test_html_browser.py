"""The HTML memo in a real browser, as its readers open it: on a phone, and in a mail
client that strips <style>.

Debian's chromium, driven by Playwright (never a browser of Playwright's own), one browser
for the module. The memos are the example workspace's, with a logo and an accent colour
(tests/workspaces/variants/mail), built through the command line.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

from briefgen.model import NoteRef, Quote, Span
from briefgen.writers.docx.writer import BANNER
from briefgen.writers.html import write_html

from .. import docx_read
from ..conftest import EXAMPLE, VARIANTS, briefgen, make_variant
from ..sample_memo import sample_memo
from ..test_content import ALPHABETS

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is missing")

AUDIENCES = ("analyst", "principal")
PHONES = (360, 390, 414)  # the narrow, common and wide phone widths, in CSS pixels
DROP_STYLES = "document.querySelectorAll('style').forEach(s => s.remove())"
SCROLL_WIDTH = "document.documentElement.scrollWidth"

# What must look the same whether or not the client keeps <style>: each element's
# computed properties (those the phone's @media rules leave alone).
KEPT = {
    ".banner": [
        "color",
        "background-color",
        "font-weight",
        "font-family",
        "text-align",
        "border-top-color",
    ],
    ".banner.end": ["color", "background-color", "font-weight", "margin-top"],
    ".memo": ["font-family", "font-size", "color", "max-width", "overflow-wrap"],
    ".org": ["color", "font-weight", "text-transform"],
    "h1": ["color", "font-weight", "font-family"],
    "h2": ["color", "font-size", "font-weight", "border-bottom-color", "border-bottom-width"],
    "table.head th": ["color", "font-size", "font-weight", "text-align"],
    "hr": ["border-top-color", "border-top-width"],
    ".quote": [
        "font-style",
        "font-size",
        "color",
        "border-left-color",
        "border-left-width",
        "padding-left",
    ],
    ".remark": ["font-size", "color", "padding-left"],
    ".conf": ["font-style", "color"],
    ".new": ["color", "font-weight", "font-size"],
    "sup a": ["color", "text-decoration-line", "padding-left"],
    "ol.notes li": ["font-size", "display"],
    ".bib p": ["text-indent", "padding-left"],
    ".logo": ["max-height", "display"],
}
# present in every memo built here (quotes where the audience has them; a remark, NEW and
# a confidence only in some)
ALWAYS = (".banner", ".banner.end", "h1", "h2", "ol.notes li", "sup a", ".logo")
COMPUTED = """specs => Object.fromEntries(Object.entries(specs).map(([selector, props]) => {
  const element = document.querySelector(selector);
  if (!element) return [selector, null];
  const style = getComputedStyle(element);
  return [selector, Object.fromEntries(props.map(p => [p, style.getPropertyValue(p)]))];
}))"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@contextmanager
def opened(browser: Browser, width: int = 390, mobile: bool = True) -> Iterator[Page]:
    """Open a page as a phone `width` CSS pixels wide shows it (a desktop window if not
    `mobile`): a phone lays a page without a viewport meta out 980 px wide."""
    context = browser.new_context(
        viewport={"width": width, "height": 844}, is_mobile=mobile, has_touch=mobile
    )
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the example workspace, with a logo and an accent, in HTML and in DOCX."""
    root = make_variant(tmp_path_factory.mktemp("mail"), "mail", base=EXAMPLE)
    for fmt in ("html", "docx"):
        run = briefgen("build", "--all", "--format", fmt, cwd=root)
        assert run.code == 0, run.err
    return root / "out"


def _url(path: Path) -> str:
    return path.resolve().as_uri()


def _rgb(hex_colour: str) -> str:
    """Return `#rrggbb` as the browser computes a colour."""
    r, g, b = (int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"


def _accent() -> str:
    settings_file = (VARIANTS / "mail" / "briefgen.yaml").read_text(encoding="utf-8")
    return settings_file.split("accent-colour: '", 1)[1][:7]


@pytest.mark.parametrize("width", PHONES)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_a_phone_shows_the_memo_its_own_width_in_readable_type(
    browser: Browser, out: Path, audience: str, width: int
) -> None:
    """No sideways scrolling at 360-414 px, with or without the <style> element, and
    text no smaller than 14 px."""
    with opened(browser, width) as page:
        page.goto(_url(out / f"russia-iran-weekly.{audience}.html"))
        assert page.evaluate(SCROLL_WIDTH) <= width
        sizes = page.evaluate(
            "[document.body, ...document.querySelectorAll('.memo > p, ul.claims > li')]"
            ".map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        assert len(sizes) > 1 and min(sizes) >= 14
        page.evaluate(DROP_STYLES)
        assert page.evaluate(SCROLL_WIDTH) <= width


@pytest.mark.parametrize("audience", AUDIENCES)
def test_a_desktop_shows_one_centred_column(browser: Browser, out: Path, audience: str) -> None:
    with opened(browser, 1280, mobile=False) as page:
        page.goto(_url(out / f"russia-iran-weekly.{audience}.html"))
        left, right, width, em = page.evaluate(
            "(() => { const m = document.querySelector('.memo'), s = getComputedStyle(m);"
            " const r = m.getBoundingClientRect();"
            " return [r.left, r.right, parseFloat(s.width), parseFloat(s.fontSize)]; })()"
        )
        assert width <= 46 * em + 0.5 and abs(left - (1280 - right)) <= 1
        assert page.evaluate(SCROLL_WIDTH) <= 1280


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_memo_looks_the_same_without_its_style_element(
    browser: Browser, out: Path, audience: str
) -> None:
    """A mail client that strips <style> keeps the banner in the marking's colour (the
    DOCX's), the headings in the accent, quotes, notes and the logo as designed."""
    with opened(browser) as page:
        page.goto(_url(out / f"russia-iran-weekly.{audience}.html"))
        styled = page.evaluate(COMPUTED, KEPT)
        page.evaluate(DROP_STYLES)
        assert page.evaluate("document.querySelectorAll('style').length") == 0
        assert page.evaluate(COMPUTED, KEPT) == styled
    assert all(styled[selector] for selector in ALWAYS), styled
    profile = yaml.safe_load((EXAMPLE / "audiences.yaml").read_text(encoding="utf-8"))[audience]
    assert bool(styled[".quote"]) == profile["quotes"]
    banner, memo = styled[".banner"], styled[".memo"]
    assert banner["color"] == _rgb(str(BANNER)) != memo["color"]
    assert banner["background-color"] not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    assert int(banner["font-weight"]) >= 700 and banner["text-align"] == "center"
    assert styled["h1"]["color"] == styled["h2"]["color"] == _rgb(_accent())
    assert styled["sup a"]["color"] == _rgb(_accent())
    assert styled["sup a"]["text-decoration-line"] == "none"  # a note marker, not a link
    if profile["quotes"]:
        assert styled[".quote"]["font-style"] == "italic"
        assert styled[".quote"]["border-left-width"] != "0px"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_notes_are_there_and_linked_both_ways_without_styles(
    browser: Browser, out: Path, audience: str
) -> None:
    """Every note marker leads to its note and back, and the notes read as the DOCX's."""
    with opened(browser) as page:
        page.goto(_url(out / f"russia-iran-weekly.{audience}.html"))
        page.evaluate(DROP_STYLES)
        notes = page.evaluate(
            """[...document.querySelectorAll('ol.notes > li')].map(li => ({
              id: li.id,
              text: li.innerText,
              back: document.getElementById(li.querySelector('a.back').hash.slice(1)) !== null,
              shown: li.getBoundingClientRect().height > 0,
            }))"""
        )
        targets = page.evaluate("[...document.querySelectorAll('sup a')].map(a => a.hash.slice(1))")
        page.click("sup a")
        assert page.evaluate("location.hash") == f"#{targets[0]}"
    docx = out / f"russia-iran-weekly.{audience}.docx"
    expected = [*docx_read.notes(docx, "footnotes").values()]
    expected += docx_read.notes(docx, "endnotes").values()
    assert [" ".join(n["text"].removesuffix("↩").split()) for n in notes] == expected
    assert all(n["back"] and n["shown"] for n in notes)
    assert set(targets) == {n["id"] for n in notes}


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_manifest_meta_is_the_docx_manifest(browser: Browser, out: Path, audience: str) -> None:
    """The page carries the manifest the DOCX stores and the build recorded for it."""
    with opened(browser) as page:
        page.goto(_url(out / f"russia-iran-weekly.{audience}.html"))
        meta = page.evaluate("document.querySelector('meta[name=\"briefgen-manifest\"]').content")
        viewport = page.evaluate("document.querySelector('meta[name=\"viewport\"]').content")
    assert viewport == "width=device-width, initial-scale=1"
    custom = etree.fromstring(
        docx_read.part_xml(out / f"russia-iran-weekly.{audience}.docx", "docProps/custom.xml")
    )
    (stored,) = [p[0].text for p in custom if p.get("name") == "BriefgenManifest"]
    assert meta == stored
    state = json.loads((out / ".briefgen" / "state.json").read_text(encoding="utf-8"))
    assert json.loads(meta) == state["outputs"][f"russia-iran-weekly.{audience}.html"]["manifest"]


def _logo(folder: Path, kind: str) -> Path:
    """Write a logo of `kind`: PNG and JPEG made here by Pillow, the variant's SVG."""
    if kind == "svg":
        return VARIANTS / "mail" / "logo.svg"
    image = Image.new("RGB", (60, 20), (11, 95, 122))
    data = io.BytesIO()
    image.save(data, format=kind)
    path = folder / f"logo.{kind}"
    path.write_bytes(data.getvalue())
    return path


@pytest.mark.parametrize("kind", ["png", "jpeg", "svg"])
def test_the_logo_travels_inside_the_page(browser: Browser, tmp_path: Path, kind: str) -> None:
    memo = sample_memo()
    memo.branding.logo = str(_logo(tmp_path, kind))
    write_html(memo, tmp_path / "memo.html")
    with opened(browser) as page:
        page.goto(_url(tmp_path / "memo.html"))
        page.evaluate(DROP_STYLES)
        logo = page.evaluate(
            "(() => { const i = document.querySelector('img.logo');"
            " return [i.complete, i.naturalWidth, i.alt, i.src.slice(0, 5),"
            " i.getBoundingClientRect().height]; })()"
        )
    complete, width, alt, scheme, height = logo
    assert complete and width > 0 and scheme == "data:"
    assert alt == memo.branding.logo_alt  # the resolver makes it "Logo of" the organisation
    assert 0 < height <= 3.2 * 14.7  # the logo's max-height, on the element itself


def test_the_logo_of_the_built_memo_loads(browser: Browser, out: Path) -> None:
    with opened(browser) as page:
        page.goto(_url(out / "russia-iran-weekly.analyst.html"))
        page.evaluate(DROP_STYLES)
        assert page.evaluate("document.querySelector('img.logo').naturalWidth") > 0


# a word no line can break between its letters, in each script a desk reads; alone, as
# an address, or tied to another by no-break spaces
WORD = st.sampled_from(["latin", "cyrillic", "arabic", "persian", "chinese", "korean"]).flatmap(
    lambda script: st.text(alphabet=ALPHABETS[script], min_size=30, max_size=160)
)
LONG = st.one_of(
    WORD,
    WORD.map(lambda word: f"https://example.org/{word}?q={word}"),
    st.lists(WORD, min_size=2, max_size=3).map("\u00a0".join),
)


@settings(max_examples=12, deadline=None)
@given(words=st.lists(LONG, min_size=8, max_size=8))
def test_long_words_in_any_script_never_widen_the_page(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory, words: list[str]
) -> None:
    """Words and addresses longer than a phone is wide, in the title, heading table,
    banner, section title, claim, quote, note and bibliography, break inside the page."""
    memo = sample_memo()
    title, subject, banner, section, claim, quote, note, entry = words
    memo.header.title, memo.header.subject, memo.banner = title, subject, banner
    memo.header.organisation = memo.header.to = subject
    memo.sections[0].title = section
    block = memo.sections[0].blocks[1]
    block.content = [Span(claim), NoteRef(1)]
    block.quotes = [Quote(quote, quote)]
    memo.notes[0].content = [Span(note, url=f"https://example.org/{note}")]
    memo.bibliography[0].content = [Span(entry)]
    memo.summary = [entry]
    path = tmp_path_factory.mktemp("long") / "memo.html"
    write_html(memo, path)
    with opened(browser, 360) as page:
        page.goto(_url(path))
        assert page.evaluate(SCROLL_WIDTH) <= 360
        page.evaluate(DROP_STYLES)
        assert page.evaluate(SCROLL_WIDTH) <= 360
