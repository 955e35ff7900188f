"""Compare the two PDF engines on the example workspace: conformance and time per memo.

    python bench/engines.py            # 7 runs of each engine, alternated
    python bench/engines.py --runs 15

For each engine (`pdf-engine: reportlab`, `pdf-engine: typst`) it builds the example's
two memos as PDF (`briefgen build --format pdf --force`, whole processes) and prints the
median time of a build, and, in one process, the median time the writer takes per memo
(the memo models read back from `--format json`). Then it runs page-validation's PDF/UA-1
and PDF/A-2u checks on each PDF and counts the rules it breaks.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from briefgen import model  # noqa: E402
from briefgen.writers.pdf.writer import write_pdf  # noqa: E402

ENGINES = ("reportlab", "typst")


def workspace(root: Path, engine: str) -> Path:
    """Return a copy of the example workspace that writes its PDFs with `engine`."""
    ws = root / engine
    shutil.copytree(HERE.parent / "briefs", ws, ignore=shutil.ignore_patterns("out", ".briefgen"))
    settings = ws / "briefgen.yaml"
    text = re.sub(r"(?m)^pdf-engine:.*\n", "", settings.read_text(encoding="utf-8"))
    settings.write_text(text + f"pdf-engine: {engine}\n", encoding="utf-8")
    return ws


def build(ws: Path, fmt: str = "pdf") -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "--format", fmt, "--force"],
        cwd=ws,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def memo_of(data: dict[str, Any]) -> model.Memo:
    """Return the Memo a `--format json` file holds."""

    def inline(item: dict[str, Any]) -> model.Inline:
        kind = item.pop("type")
        return model.NoteRef(**item) if kind == "NoteRef" else model.Span(**item)

    def paragraph(p: dict[str, Any]) -> model.Paragraph:
        p["content"] = [inline(i) for i in p["content"]]
        p["quotes"] = [model.Quote(**q) for q in p["quotes"]]
        p["remarks"] = [[inline(i) for i in r] for r in p["remarks"]]
        return model.Paragraph(**p)

    header = data["header"]
    header["fields"] = [tuple(f) for f in header["fields"]]
    return model.Memo(
        **{
            **data,
            "header": model.Header(**header),
            "sections": [
                model.Section(s["title"], [paragraph(b) for b in s["blocks"]])
                for s in data["sections"]
            ],
            "notes": [
                model.Note(n["number"], [inline(i) for i in n["content"]], n["claim_ids"])
                for n in data["notes"]
            ],
            "bibliography": [
                model.BibEntry(b["source_id"], [inline(i) for i in b["content"]])
                for b in data["bibliography"]
            ],
            "words": model.Words(**data["words"]),
            "branding": model.Branding(**data["branding"]),
        }
    )


def failed_rules(pdf: Path) -> dict[str, int]:
    import page

    return {
        profile: page.validate_pdf(pdf, profile=profile).rules.failed for profile in ("ua1", "2u")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        spaces = {engine: workspace(Path(folder), engine) for engine in ENGINES}
        for ws in spaces.values():
            build(ws, "json")
            build(ws)  # warm the font cache
        times: dict[str, list[float]] = {e: [] for e in ENGINES}
        for _ in range(runs):
            for engine, ws in spaces.items():
                times[engine].append(build(ws))
        print(
            f"| engine | build, 2 memos (median of {runs}) | writer, per memo | "
            "PDF/UA-1 rules failed | PDF/A-2u rules failed |"
        )
        print("|---|---|---|---|---|")
        for engine, ws in spaces.items():
            memos = [memo_of(json.loads(p.read_text())) for p in sorted(ws.glob("out/*.json"))]
            out = Path(folder) / "writer.pdf"
            for memo in memos:
                write_pdf(memo, out)  # load the engine
            writer = []
            for _ in range(runs):
                for memo in memos:
                    started = time.perf_counter()
                    write_pdf(memo, out)
                    writer.append(time.perf_counter() - started)
            failed = [failed_rules(p) for p in sorted(ws.glob("out/*.pdf"))]
            print(
                f"| {engine} | {statistics.median(times[engine]):.2f} s | "
                f"{statistics.median(writer):.3f} s | "
                f"{' / '.join(str(f['ua1']) for f in failed)} | "
                f"{' / '.join(str(f['2u']) for f in failed)} |"
            )


if __name__ == "__main__":
    main()
