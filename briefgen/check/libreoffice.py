"""DOCX memos laid out by LibreOffice, where it is installed: `check` counts their pages.

The PDF's pages are briefgen's own; a DOCX is paginated by whoever opens it. The DOCX is
set to the PDF's measure (writers/measure.py), and `check` holds it to its audience's
max-pages by converting it with LibreOffice, as a reader without Word would see it.
`build` never calls LibreOffice: it must work where it is not installed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 120.0  # seconds for LibreOffice to start, and as long again for each file
PER_FILE = 30.0


def installed() -> bool:
    """Return whether LibreOffice's command (soffice) is on PATH."""
    return shutil.which("soffice") is not None


def page_counts(files: list[Path], work: Path) -> dict[Path, int]:
    """Return the pages LibreOffice lays each of `files` out in; a file it could not
    convert in time is left out.

    LibreOffice gets a user profile of its own in a temporary folder in `work`, so that
    checks running side by side, or a LibreOffice the user has open, do not share one.
    """
    soffice = shutil.which("soffice")
    if soffice is None or not files:
        return {}
    with tempfile.TemporaryDirectory(prefix="soffice-", dir=work) as tmp:
        out = Path(tmp) / "out"
        command = [
            soffice,
            f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, files),
        ]
        _run(command, TIMEOUT + PER_FILE * len(files))
        counts = {}
        for path in files:
            pdf = out / f"{path.stem}.pdf"
            if pdf.is_file():
                counts[path] = _pages(pdf)
        return counts


def _run(command: list[str], timeout: float) -> None:
    """Run LibreOffice, and end it and every process it started if it takes too long."""
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _pages(pdf: Path) -> int:
    """Return a PDF's page count."""
    from pdfminer.pdfpage import PDFPage

    with open(pdf, "rb") as handle:
        return sum(1 for _ in PDFPage.get_pages(handle))
