"""Render the first page of each example memo to PNG, for the README and for review.

PDFs are rendered with pdftoppm; DOCX files are converted by LibreOffice first, so the
pictures show what a Word user would see; the analyst's HTML memo is opened by Chromium
(Playwright driving Debian's chromium) as a phone 390 px wide shows it, with its <style>
element and without it, as a mail client that strips it shows it. Run `make shots` (or
this file) after `make memos`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEMOS = ROOT / "briefs" / "out"
SHOTS = ROOT / "docs" / "shots"
DPI = "60"
CHROMIUM = Path("/usr/bin/chromium")


def render(pdf: Path, target: Path) -> None:
    """Render the first page of `pdf` to `target` (PNG)."""
    stem = target.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-r", DPI, "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
    )


def phone(page: Path) -> None:
    """Render the top of the HTML memo `page` at phone width, with and without <style>."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
        tab.goto(page.resolve().as_uri())
        for suffix in ("html", "html-unstyled"):
            target = SHOTS / f"{page.stem}.{suffix}.png"
            tab.screenshot(path=str(target))
            print(f"wrote {target}")
            tab.evaluate("document.querySelectorAll('style').forEach(s => s.remove())")
        browser.close()


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: install poppler-utils", file=sys.stderr)
        return 1
    subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "--all", str(ROOT / "briefs")], check=True
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    for pdf in sorted(MEMOS.glob("*.pdf")):
        render(pdf, SHOTS / f"{pdf.stem}.pdf.png")
        print(f"wrote {SHOTS / (pdf.stem + '.pdf.png')}")
    if CHROMIUM.exists():
        html = [sys.executable, "-m", "briefgen", "build", "--all", "--format", "html"]
        subprocess.run([*html, str(ROOT / "briefs")], check=True)
        phone(MEMOS / "russia-iran-weekly.analyst.html")
    else:
        print("chromium is missing: the HTML memo not rendered", file=sys.stderr)
    soffice = shutil.which("soffice")
    if soffice is None:
        print("LibreOffice is missing: DOCX pages not rendered", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        for docx in sorted(MEMOS.glob("*.docx")):
            subprocess.run(
                [soffice, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(docx)],
                check=True,
                capture_output=True,
                timeout=300,
            )
            render(Path(tmp) / f"{docx.stem}.pdf", SHOTS / f"{docx.stem}.docx.png")
            print(f"wrote {SHOTS / (docx.stem + '.docx.png')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
