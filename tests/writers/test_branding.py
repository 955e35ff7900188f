"""Branding per workspace: logo (PNG or SVG), accent colour, fonts, page size."""

from __future__ import annotations

import io
import shutil
import subprocess
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


LOGO_GREEN = (0x0A, 0x7D, 0x3B)  # the fill of the variants' logo.svg


def _green(pixel: tuple[int, ...]) -> bool:
    return all(abs(a - b) <= 8 for a, b in zip(pixel[:3], LOGO_GREEN, strict=True))


@pytest.mark.parametrize("alt", [None, "Desk emblem, green"])
def test_an_svg_logo_is_a_print_png_with_alt_text_in_the_docx(
    tmp_path: Path, alt: str | None
) -> None:
    """LibreOffice 7.4 and older Word draw a picture's SVG as its PNG stand-in: the
    DOCX holds the logo as a PNG drawn at 300 dpi for its 13 mm height, and says what it
    is (`logo-alt`, or "Logo of" and the organisation)."""
    from PIL import Image

    good = make_variant(tmp_path, "branded-svg")
    (good / "fonts").mkdir()
    shutil.copy(FONTS / "DejaVuSans-Regular.ttf", good / "fonts" / "House.ttf")
    if alt:
        _brand(good, f"logo-alt: {alt}\n")
    run = briefgen("build", "--all", "--format", "docx", cwd=good)
    assert run.code == 0, run.err
    memo = good / "out" / "weekly.analyst.docx"
    with zipfile.ZipFile(memo) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(media) == 1 and media[0].endswith(".png"), media
        image = Image.open(io.BytesIO(archive.read(media[0]))).convert("RGB")
        body = archive.read("word/document.xml").decode()
    assert abs(image.height - 13 / 25.4 * 300) <= 1
    assert image.width == pytest.approx(image.height * 3, abs=2)  # the SVG's 120 by 40
    assert _green(image.getpixel((image.width // 2, image.height // 2)))
    assert f'descr="{alt or "Logo of Test Desk"}"' in body
    if shutil.which("soffice") and shutil.which("pdftoppm"):
        _libreoffice_shows_the_logo(memo, tmp_path)


def _libreoffice_shows_the_logo(memo: Path, tmp_path: Path) -> None:
    """Render page 1 of the DOCX as LibreOffice lays it out and find the logo's green at
    the top right, where the memo puts it: at 50 dpi the logo is some 1,900 pixels of
    it, a green heading's letters far fewer."""
    from PIL import Image

    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "lo"),
            str(memo),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    pdf = tmp_path / "lo" / (memo.stem + ".pdf")
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "50", "-png", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    page = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    corner = page.crop((page.width // 2, 0, page.width, page.height // 4))
    colours = corner.getcolors(maxcolors=corner.width * corner.height) or []
    assert sum(n for n, c in colours if _green(c)) > 1000, "no logo on LibreOffice's page 1"


def test_an_svg_logo_that_cannot_be_drawn_is_reported_at_its_key(good: Path) -> None:
    (good / "logo.svg").write_text("<svg this is not", encoding="utf-8")
    _brand(good, "logo: logo.svg\n")
    run = briefgen("check", cwd=good)
    assert run.code == 1
    assert "briefgen.yaml:7: logo: 'logo.svg' is not an SVG image briefgen can draw (" in run.err
    run = briefgen("build", "--all", cwd=good)
    assert run.code == 1 and not (good / "out").exists()
