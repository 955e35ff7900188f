"""Branding per workspace: logo (PNG or SVG), accent colour, fonts, page size."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from briefgen.scripts import FONTS

from ..conftest import briefgen, make_variant


def _brand(ws: Path, lines: str) -> None:
    settings = ws / "briefgen.yaml"
    settings.write_text(settings.read_text() + lines, encoding="utf-8")


@pytest.mark.parametrize("logo", ["logo.png", "logo.svg"])
def test_logo_accent_fonts_and_page_size_reach_both_formats(tmp_path: Path, logo: str) -> None:
    """The variants branded-png and branded-svg: a logo, accent-colour #0a7d3b, a house
    body font (a copy of a shipped one, made here), DejaVu Sans headings, letter pages."""
    good = make_variant(tmp_path, "branded-" + logo.rsplit(".", 1)[1])
    (good / "fonts").mkdir()
    shutil.copy(FONTS / "DejaVuSans-Regular.ttf", good / "fonts" / "House.ttf")
    run = briefgen("build", "--all", cwd=good)
    assert run.code == 0, run.err
    pdf = PdfReader(good / "out" / "weekly.analyst.pdf")
    page = pdf.pages[0]
    assert [round(float(v)) for v in page.mediabox[2:]] == [612, 792]
    fonts = {
        str(f.get_object()["/BaseFont"]).split("+")[-1]
        for f in page["/Resources"]["/Font"].values()
    }
    assert "DejaVuSans" in fonts and not any("Noto" in f for f in fonts)
    content = page.get_contents().get_data()
    assert b".039216 .490196 .231373" in content  # the accent, as reportlab writes #0a7d3b
    has_image = "/XObject" in page["/Resources"] or b" re f" in content
    assert has_image
    with zipfile.ZipFile(good / "out" / "weekly.analyst.docx") as archive:
        names = archive.namelist()
        styles = archive.read("word/styles.xml").decode()
        body = archive.read("word/document.xml").decode()
    assert any(n.startswith("word/media/") for n in names)
    assert 'w:val="0A7D3B"' in styles and 'w:ascii="DejaVu Sans"' in styles
    assert 'w:color="0A7D3B"' in body and "1F3A5F" not in body + styles  # the heading rule
    run = briefgen("build", "--all", "--format", "html", cwd=good)
    assert run.code == 0, run.err
    page = lxml_html.fromstring((good / "out" / "weekly.analyst.html").read_bytes())
    styles = " ".join(page.xpath("//@style"))  # the inliner put the rules on the elements
    assert "color:#0a7d3b" in styles and "#1f3a5f" not in styles
    assert "'DejaVu Sans'" in page.xpath("//h2/@style")[0]
    assert "'briefgen body'" in page.xpath("//div[@class='memo']/@style")[0]
    assert '@font-face{font-family:"briefgen body"' in page.xpath("string(//style)")  # inside
    (img,) = page.xpath("//img[@class='logo']")
    kind = "image/png" if logo.endswith(".png") else "image/svg+xml"
    assert img.get("src").startswith(f"data:{kind};base64,")
    assert img.get("alt") == "Logo of Test Desk"


@pytest.mark.parametrize(
    "lines, message",
    [
        (
            "logo: ../outside.png\n",
            "logo: '../outside.png' leaves the workspace; give a path inside it",
        ),
        ("logo: missing.png\n", "logo: 'missing.png' not found"),
        (
            "body-font: Comic Sans\n",
            "body-font: unknown font 'Comic Sans'; use Noto Serif, Noto Sans, "
            "DejaVu Sans or a .ttf file in the workspace",
        ),
        ("accent-colour: blue\n", "accent-colour: expected a colour as #RRGGBB, got 'blue'"),
    ],
)
def test_bad_branding_is_reported_at_its_key(good: Path, lines: str, message: str) -> None:
    _brand(good, lines)
    run = briefgen("check", cwd=good)
    assert run.code == 1
    assert f"briefgen.yaml:7: {message}" in run.err
