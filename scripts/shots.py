"""Render the first page of each example memo to PNG, for the README and for review.

PDFs are rendered with pdftoppm; DOCX files are converted by LibreOffice first, so the
pictures show what a Word user would see. Run `make shots` (or this file) after `make memos`.
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


def render(pdf: Path, target: Path) -> None:
    """Render the first page of `pdf` to `target` (PNG)."""
    stem = target.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-r", DPI, "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
    )


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
