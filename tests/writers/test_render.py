"""Rendered pages of the example memos: none blank, nothing drawn off the page's margins."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed"
)
DPI = 40
EDGE_MM = 6  # briefgen draws nothing this close to the paper's edge


def _pages(pdf: Path, tmp: Path) -> list[tuple[int, int, bytes]]:
    """Render every page as 8-bit grey; return (width, height, pixels) per page."""
    subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), str(pdf), str(tmp / "p")], check=True)
    pages = []
    for path in sorted(tmp.glob("p-*.pgm")):
        data = path.read_bytes()
        header, rest = data.split(b"\n", 3)[:3], data.split(b"\n", 3)[3]
        width, height = (int(v) for v in header[1].split())
        pages.append((width, height, rest))
    return pages


def _ink(pixels: bytes, width: int, box: tuple[int, int, int, int]) -> int:
    x0, y0, x1, y1 = box
    return sum(1 for y in range(y0, y1) for x in range(x0, x1) if pixels[y * width + x] < 160)


@pytest.mark.parametrize("audience", ["principal", "analyst"])
def test_pages_are_neither_blank_nor_clipped(
    example_build: Path, tmp_path: Path, audience: str
) -> None:
    pages = _pages(example_build / f"russia-iran-weekly.{audience}.pdf", tmp_path)
    assert pages
    edge = round(EDGE_MM / 25.4 * DPI)
    for width, height, pixels in pages:
        body = _ink(pixels, width, (edge, height // 10, width - edge, height * 9 // 10))
        assert body > width * 2, "a page is (nearly) blank"
        for box in (
            (0, 0, width, edge),
            (0, height - edge, width, height),
            (0, 0, edge, height),
            (width - edge, 0, width, height),
        ):
            assert _ink(pixels, width, box) == 0, "something is drawn at the paper's edge"
