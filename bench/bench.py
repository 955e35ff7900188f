"""Benchmark briefgen against the pandoc pipeline on the same work, and at store scale.

    python bench/bench.py               # the full run (about 3 minutes on 2 cores)
    python bench/bench.py --quick       # smaller stores and fewer runs, for a look
    python bench/bench.py --only single # one part: single, batch, scale or latency (repeatable)

The pandoc pipeline is what a desk would otherwise script: the same memo as Markdown with
a CSL-JSON bibliography, `pandoc --citeproc` to DOCX, and `pandoc --citeproc -t typst`
compiled to PDF by the `typst` package. Every figure times whole processes, cold (a new
process each run, and for briefgen an empty store cache unless the row says warm), and
is the median of the runs (at 100,000 claims, of 3 runs for the rows that start from an
empty cache); the single memo is run at least 15 times by each tool, alternated. At
scale, "one edit" is a memo built after one claim in one claim file was reworded, as
an analyst rebuilds while editing (a different edit before each run). Peak
memory is the process's maximum resident set size. briefgen's modules are compiled to
bytecode first, as pip does when it installs a package. "latency" is the workbench's:
from a claim file saved to the memo's preview updated in the browser (bench/latency.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.generate import generate  # noqa: E402
from briefgen import __version__  # noqa: E402
from briefgen.cite.pandoc import find_style, pandoc_path  # noqa: E402

PY = sys.executable
SINGLE_PAIRS = 15  # the fewest runs of each tool for the single memo, in a full run


def run(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Run a command; return (seconds, peak memory in MB). Fail loudly if it fails."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err}")
    return seconds, usage.ru_maxrss // 1024


def median(
    cmds: list[list[str]], cwd: Path, runs: int, before=None, after=None
) -> tuple[float, int]:
    """Return the median time and the peak memory of `runs` runs of a command sequence."""
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        total, peak = 0.0, 0
        for cmd in cmds:
            seconds, mb = run(cmd, cwd)
            total += seconds
            peak = max(peak, mb)
        times.append(total)
        peaks.append(peak)
        if after:
            after()
    return statistics.median(times), max(peaks)


def clear_cache(ws: Path) -> None:
    shutil.rmtree(ws / ".briefgen", ignore_errors=True)


def wait_for_cache(ws: Path, seconds: float = 120) -> None:
    """Wait until the store cache written in the background exists (and its writer has
    gone: it renames the file into place as its last act)."""
    deadline = time.time() + seconds
    while time.time() < deadline and not list((ws / ".briefgen" / "cache").glob("*.msgpack")):
        time.sleep(0.2)
    time.sleep(0.5)


def briefgen(*args: str) -> list[str]:
    return [PY, "-m", "briefgen", *args]


# --- the same memo, for pandoc -------------------------------------------------------------


def export_markdown(ws: Path, brief: str, folder: Path) -> None:
    """Write the memo briefgen makes of `brief` as Markdown + CSL-JSON, for pandoc."""
    from briefgen.build.memos import check_workspace
    from briefgen.cite import csl
    from briefgen.resolve.memo import plan_memo

    checked = check_workspace(ws, use_cache=False)
    path = ws / f"{brief}.yaml"
    plan = plan_memo(checked.ws, brief, checked.briefs[path], "analyst")
    clusters = plan.draft.clusters
    lines = ["---", f'title: "{checked.briefs[path].title}"', "---", ""]
    for section in plan.draft.sections:
        lines += [f"# {section.title}", ""]
        for block in section.blocks:
            text = ""
            for item in block.content:
                if hasattr(item, "number"):
                    cites = "; ".join(
                        f"@{c.source_id}" + (f", {c.locator}" if c.locator else "")
                        for c in clusters[item.number - 1].cites
                    )
                    text += f"[{cites}]"
                else:
                    text += item.text
            bullet = "- " if block.kind == "claim" else ""
            lines += [bullet + text, ""]
            for quote in block.quotes:
                lines += [f"  > “{quote.text}” — {quote.attribution}", ""]
    lines += ["# Bibliography", "", "::: {#refs}", ":::", ""]
    (folder / "memo.md").write_text("\n".join(lines), encoding="utf-8")
    family = csl.style_family(checked.ws.settings.citation_style)
    items = [csl.csl_item(checked.ws.sources[s], set(), family) for s in plan.source_ids()]
    # text a style may re-case goes to pandoc as text nodes; the pipeline gets it as text
    plain = json.dumps(items, default=lambda words: "".join(t for t, _ in words.pieces))
    (folder / "refs.json").write_text(plain, encoding="utf-8")


def pandoc_pipeline(folder: Path, style: Path) -> list[list[str]]:
    pandoc = pandoc_path()
    common = ["memo.md", "--citeproc", f"--csl={style}", "--bibliography=refs.json"]
    return [
        [pandoc, *common, "-o", "memo.docx"],
        [pandoc, *common, "-s", "-t", "typst", "-o", "memo.typ"],
        [PY, "-c", "import typst; typst.compile('memo.typ', output='memo.pdf')"],
    ]


# --- the report ------------------------------------------------------------------------------


def machine() -> list[str]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    except (OSError, ValueError, IndexError):
        mem = 0
    pandoc = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True)
    import typst

    return [
        f"machine: {platform.platform()}; {cpu}; {os.cpu_count()} cores; {mem} GiB",
        f"python {platform.python_version()}; briefgen {__version__}; "
        f"{pandoc.stdout.splitlines()[0]}; typst (python) {typst.__version__}",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small stores, 3 runs")
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument(
        "--only",
        choices=["single", "batch", "scale", "latency"],
        action="append",
        help="run only this part (repeatable); default: all four",
    )
    args = parser.parse_args()
    parts = set(args.only or ["single", "batch", "scale", "latency"])
    runs = args.runs or (3 if args.quick else 5)
    sizes = [1000, 10_000] if args.quick else [1000, 10_000, 100_000]
    rows: list[tuple[str, str, str, str]] = []
    print("\n".join(machine()))
    if parts == {"latency"}:
        _latency(args.quick)
        return 0
    # as installed: pip compiles the package's modules; a source checkout under
    # PYTHONDONTWRITEBYTECODE would otherwise compile them again in every run
    subprocess.run([PY, "-m", "compileall", "-q", str(HERE.parent / "briefgen")], check=True)
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-") as tmp:
        root = Path(tmp)
        # one memo: about 3 pages, 15 notes, DOCX and PDF
        ws = generate(root / "single", 300, briefs=1)
        style = find_style("chicago-notes-bibliography")
        (root / "pandoc").mkdir()
        export_markdown(ws, "brief-00", root / "pandoc")
        # alternated run by run, so that a machine's drifting speed hits both alike; the
        # ratio sits near its target, so it gets more runs than the other figures
        pairs = runs if args.quick else max(runs, SINGLE_PAIRS)
        ours_runs, theirs_runs = [], []
        for _ in range(pairs):
            ours_runs.append(
                median(
                    [briefgen("build", "brief-00.yaml", "--force")],
                    ws,
                    1,
                    before=lambda: clear_cache(ws),
                )
            )
            theirs_runs.append(median(pandoc_pipeline(root / "pandoc", style), root / "pandoc", 1))
        ours = statistics.median(t for t, _ in ours_runs)
        theirs = statistics.median(t for t, _ in theirs_runs)
        ours_mb = max(mb for _, mb in ours_runs)
        theirs_mb = max(mb for _, mb in theirs_runs)
        pages = _pages(ws / "out" / "brief-00.analyst.pdf")
        notes = len(json.loads(_json(ws))["notes"])
        rows.append(
            (
                f"one memo ({pages} pages, {notes} notes), DOCX+PDF, cold, {pairs} runs",
                f"{ours:.2f} s",
                f"{theirs:.2f} s",
                f"{ours / theirs:.2f}x",
            )
        )
        # a batch of 40 memos
        if "batch" in parts:
            batch_row(root, runs, theirs, rows)
        # store scale
        scale = []
        for n in sizes if "scale" in parts else []:
            scale.append(scale_row(root, n, runs))
    _report(rows, scale, ours_mb, theirs_mb)
    if "latency" in parts:
        print()
        _latency(args.quick)
    return 0


def _latency(quick: bool) -> None:
    """Time the workbench's preview after a save (bench/latency.py)."""
    from bench import latency

    edits = 20 if quick else 100
    latency.report(latency.run(edits, 10_000), edits)


def batch_row(root: Path, runs: int, theirs: float, rows: list) -> None:
    """Time `build --all` over 40 briefs; add the per-memo row."""
    batch = generate(root / "batch", 2000, briefs=40)
    total, _ = median(
        [briefgen("build", "--all", "--force")],
        batch,
        max(1, runs - 2),
        before=lambda: clear_cache(batch),
    )
    per = total / 40
    rows.append(
        (
            "batch of 40 memos (build --all), per memo",
            f"{per:.2f} s",
            f"{theirs:.2f} s",
            f"{per / theirs:.2f}x",
        )
    )


def scale_row(root: Path, n: int, runs: int) -> tuple[int, float, float, float, float, int]:
    """Time check, a cold memo, a warm memo, and a memo after one claim file was edited,
    on a store of `n` claims."""
    store = generate(root / f"store-{n}", n, briefs=1)
    # a cold run leaves a process behind that writes the store cache; the next run waits
    # for it, so that no run is timed while another's background work takes a core
    few = min(3, runs) if n >= 100_000 else runs  # each waits for its cache writer
    check, check_mb = median(
        [briefgen("check")],
        store,
        few,
        before=lambda s=store: clear_cache(s),
        after=lambda s=store: wait_for_cache(s),
    )
    cold, cold_mb = median(
        [briefgen("build", "brief-00.yaml", "--force")],
        store,
        few,
        before=lambda s=store: clear_cache(s),
        after=lambda s=store: wait_for_cache(s),
    )
    warm, warm_mb = median([briefgen("build", "brief-00.yaml", "--force")], store, runs)
    # an analyst's rebuild after editing one claim (a new edit before every run)
    edits = iter(range(1000))
    edited, edited_mb = median(
        [briefgen("build", "brief-00.yaml", "--force")],
        store,
        few,
        before=lambda s=store: _edit_one_claim(s, next(edits)),
        after=lambda s=store: wait_for_new_cache(s),
    )
    shutil.rmtree(store)
    return n, check, cold, warm, edited, max(check_mb, cold_mb, warm_mb, edited_mb)


def _edit_one_claim(ws: Path, edit: int) -> None:
    """Reword one claim in the middle of the store, differently each time."""
    files = sorted((ws / "store" / "claims").glob("*.yaml"))
    path = files[len(files) // 2]
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("  text: "))
    lines[at] = f"  text: Edit {edit} of this claim, as an analyst rewords it."
    path.write_text("\n".join(lines), encoding="utf-8")


def wait_for_new_cache(ws: Path, seconds: float = 120) -> None:
    """Wait until the store cache of the store as it is now has been written."""
    from briefgen.speed import cache

    name = f"store-{cache.digest(ws.resolve()).key}.msgpack"
    deadline = time.time() + seconds
    while time.time() < deadline and not (ws / cache.FOLDER / name).exists():
        time.sleep(0.2)
    time.sleep(0.5)


def _report(rows: list, scale: list, ours_mb: int, theirs_mb: int) -> None:
    print()
    print(f"{'work':58} {'briefgen':>9} {'pandoc':>9} {'ratio':>7}")
    for work, a, b, ratio in rows:
        print(f"{work:58} {a:>9} {b:>9} {ratio:>7}")
    print(
        f"(pandoc pipeline: pandoc --citeproc to DOCX, then to typst and typst to PDF; "
        f"peak memory briefgen {ours_mb} MB, pipeline {theirs_mb} MB)"
    )
    print()
    print(
        f"{'claims':>8} {'check':>8} {'memo cold':>10} {'memo warm':>10} "
        f"{'one edit':>9} {'peak MB':>8}"
    )
    for n, check, cold, warm, edited, mb in scale:
        print(f"{n:>8} {check:>7.2f}s {cold:>9.2f}s {warm:>9.2f}s {edited:>8.2f}s {mb:>8}")
    print("(one edit: a memo built after one claim in one claim file was reworded)")
    for (n1, c1, b1, w1, _, _), (n2, c2, b2, w2, _, _) in zip(scale, scale[1:], strict=False):
        print(
            f"growth {n1:>6} -> {n2:>6} claims (x{n2 // n1}): check x{c2 / c1:.1f}, "
            f"memo cold x{b2 / b1:.1f}, warm x{w2 / w1:.1f}"
        )


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def _json(ws: Path) -> str:
    subprocess.run(
        briefgen("build", "brief-00.yaml", "-f", "json", "--force"),
        cwd=ws,
        check=True,
        capture_output=True,
    )
    return (ws / "out" / "brief-00.analyst.json").read_text(encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
